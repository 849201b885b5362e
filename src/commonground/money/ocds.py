"""Contract awards from Open Contracting (OCDS 1.1) release and record packages.

One flow per award and supplier. Contracts Finder gives an award's value for all its suppliers
together (a framework or a shared award); when the suppliers' own values are not published
(`x_awardValue`), the value is split equally, to the penny, so the flows still add up to the
award, and the flow says so (`attributes.shared_award`). The buyer, the procedure and the
suppliers' SME and voluntary/community (VCSE) flags are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from commonground.imports.engine import ImportContext
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row
from commonground.organisations.identifiers import company_number
from commonground.places.postcodes import normalise_postcode

from .identity import contract_key
from .loading import FlowImporter
from .parsing import clean, parse_amount_pence, parse_flexible_date
from .records import FlowRecord, PartyRecord, normalise_name, party_key

_SCHEMES = {"GB-COH", "GB-CHC", "GB-SC", "GB-NIC", "GB-MPR", "GB-LAE", "GB-NHS", "GB-GOR"}


def _load_package(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileRejected(path.name, "the JSON is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise FileRejected(
            path.name,
            f"the JSON is malformed at line {error.lineno}, column {error.colno}: {error.msg}",
            row=error.lineno,
        ) from None
    if isinstance(data, dict) and "grants" in data:
        raise FileRejected(
            path.name, "this is a 360Giving grants file, not OCDS: import it as grants"
        )
    if not isinstance(data, dict) or not (
        isinstance(data.get("releases"), list) or isinstance(data.get("records"), list)
    ):
        raise FileRejected(
            path.name,
            "this is not an OCDS release or record package: it needs a 'releases' or "
            "'records' list",
        )
    version = str(data.get("version") or "1.0")
    if not version.startswith("1."):
        raise FileRejected(path.name, f"OCDS version {version} is not supported (1.x is)")
    return cast(dict[str, Any], data)


def package_files(path: Path) -> list[Path]:
    """The file itself, or a folder's .json files in name order (read as one import)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
    return [path]


def _releases(package: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON path, release): each release of a release package; for a record package, its
    compiled release, else its latest release."""
    if isinstance(package.get("releases"), list):
        for index, release in enumerate(package["releases"]):
            if isinstance(release, dict):
                yield f"/releases/{index}", release
        return
    for index, record in enumerate(package.get("records") or []):
        if not isinstance(record, dict):
            continue
        if isinstance(record.get("compiledRelease"), dict):
            yield f"/records/{index}/compiledRelease", record["compiledRelease"]
            continue
        releases = [r for r in record.get("releases") or [] if isinstance(r, dict)]
        if releases:
            position, latest = max(enumerate(releases), key=lambda p: str(p[1].get("date", "")))
            yield f"/records/{index}/releases/{position}", latest


def _identifiers(party: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for identifier in [party.get("identifier"), *(party.get("additionalIdentifiers") or [])]:
        if not isinstance(identifier, dict):
            continue
        scheme = clean(identifier.get("scheme")).upper()
        value = clean(identifier.get("id"))
        if scheme in _SCHEMES and value:
            if scheme == "GB-COH":
                value = company_number(value)
            found.append(f"{scheme}-{value}")
    return tuple(dict.fromkeys(found))


def _object(value: Any, field: str, ocid: str) -> dict[str, Any]:
    """A JSON object the ledger reads from a release ({} when it is absent); anything else
    refuses the award, naming the field."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        shown = json.dumps(value, default=str)
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        raise RowRejected(f"{ocid}: {field} must be a JSON object, not {shown}", field)
    return value


def _postcode(party: dict[str, Any]) -> str:
    address = party.get("address")
    if not isinstance(address, dict):
        return ""
    postcode = normalise_postcode(clean(address.get("postalCode")))
    if postcode:
        return postcode
    # Contracts Finder often writes the whole address, postcode last, in streetAddress.
    for line in reversed(str(address.get("streetAddress") or "").splitlines()):
        postcode = normalise_postcode(line)
        if postcode:
            return postcode
    return ""


def _own_values(suppliers: list[dict[str, Any]]) -> list[int] | None:
    """Each supplier's published share of the award (Contracts Finder's x_awardValue)."""
    values = []
    for supplier in suppliers:
        value = supplier.get("x_awardValue")
        amount = value.get("amount") if isinstance(value, dict) else None
        if amount is None:
            return None
        try:
            pence = parse_amount_pence(amount, "x_awardValue.amount")
        except RowRejected:
            return None
        if pence is None:
            return None
        values.append(pence)
    return values


def _classification(tender: dict[str, Any], ocid: str) -> dict[str, Any]:
    """The first item's classification (its CPV code), if the tender lists items."""
    items = tender.get("items")
    if items is None or items == []:
        return {}
    if not isinstance(items, list):
        raise RowRejected(f"{ocid}: tender.items must be a list of items", "tender.items")
    first = _object(items[0], "tender.items", ocid)
    return _object(first.get("classification"), "tender.items.classification", ocid)


def split_pence(total: int, parts: int) -> list[int]:
    """Split an amount into equal shares that add up exactly (the first shares get a penny)."""
    share, remainder = divmod(abs(total), parts)
    shares = [share + (1 if i < remainder else 0) for i in range(parts)]
    return [-s for s in shares] if total < 0 else shares


def _supplier_share(
    award: dict[str, Any], ocid: str, suppliers: list[dict[str, Any]], share: int
) -> tuple[int, int, bool]:
    """(award value, this supplier's pence, whether the award is split) for one supplier."""
    value = _object(award.get("value"), "value", ocid)
    if value.get("amount") is None:
        raise RowRejected(f"award {award.get('id')} of {ocid} has no value", "value.amount")
    currency = clean(value.get("currency")) or "GBP"
    if currency != "GBP":
        raise RowRejected(f"the award is in {currency}; the ledger adds up pounds only")
    total = parse_amount_pence(value.get("amount"), "value.amount")
    assert total is not None
    own = _own_values(suppliers)
    # Suppliers' own values are used only when every supplier has one and they add up to
    # the award; otherwise the award is split equally, so the flows always sum to it.
    shared = len(suppliers) > 1 and (own is None or sum(own) != total)
    if own is not None and not shared:
        return total, own[share], shared
    return total, split_pence(total, len(suppliers))[share], shared


class ContractsImporter(FlowImporter):
    def __init__(self, dataset: str = "contracts_finder") -> None:
        super().__init__(dataset)

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        files = package_files(path)
        if not files:
            raise FileRejected(path.name, "the folder holds no .json files")
        for file in files:
            yield from self._file_rows(file)

    def _file_rows(self, path: Path) -> Iterator[Row]:
        package = _load_package(path)
        number = 0
        for json_path, release in _releases(package):
            parties = {
                clean(p.get("id")): p for p in release.get("parties") or [] if isinstance(p, dict)
            }
            awards = [a for a in release.get("awards") or [] if isinstance(a, dict)]
            for a_index, award in enumerate(awards):
                suppliers = [s for s in award.get("suppliers") or [] if isinstance(s, dict)]
                award_path = f"{json_path}/awards/{a_index}"
                number += 1
                if not suppliers:
                    data: dict[str, Any] = {
                        "release": release,
                        "award": award,
                        "path": award_path,
                    }
                    yield Row(path.name, number, cast(dict[str, str], data), [award_path])
                    continue
                for s_index, supplier in enumerate(suppliers):
                    data = {
                        "release": release,
                        "award": award,
                        "supplier": parties.get(clean(supplier.get("id")), supplier),
                        "suppliers": [parties.get(clean(s.get("id")), s) for s in suppliers],
                        "share": s_index,
                        "parties": parties,
                        "path": f"{award_path}/suppliers/{s_index}",
                    }
                    yield Row(path.name, number, cast(dict[str, str], data), [str(data["path"])])

    def parse(self, row: Row) -> FlowRecord:
        data = cast(dict[str, Any], row.data)
        release: dict[str, Any] = data["release"]
        award: dict[str, Any] = data["award"]
        ocid = clean(release.get("ocid"))
        if "supplier" not in data:
            raise RowRejected(f"award {award.get('id')} of {ocid} names no supplier", "suppliers")
        supplier: dict[str, Any] = data["supplier"]
        suppliers: list[dict[str, Any]] = data["suppliers"]
        total, amount, shared = _supplier_share(award, ocid, suppliers, data["share"])
        awarded = parse_flexible_date(award.get("date") or release.get("date"), "awards.date")
        assert awarded is not None
        buyer_ref = _object(release.get("buyer"), "buyer", ocid)
        buyer = _object(data["parties"].get(clean(buyer_ref.get("id")), buyer_ref), "buyer", ocid)
        buyer_name = clean(buyer.get("name"))
        if not buyer_name:
            raise RowRejected(f"{ocid} names no buyer", "buyer")
        supplier_name = clean(supplier.get("name"))
        if not supplier_name:
            raise RowRejected(f"a supplier of {ocid} has no name", "suppliers.name")
        tender = _object(release.get("tender"), "tender", ocid)
        buyer_postcode = _postcode(buyer)
        supplier_ids = _identifiers(supplier)
        classification = _classification(tender, ocid)
        return FlowRecord(
            dataset=self.dataset,
            record_key=contract_key(
                ocid,
                clean(award.get("id")),
                # A supplier without an id is told apart from the award's others by its name.
                clean(supplier.get("id")) or f"name:{normalise_name(supplier_name)}",
            ),
            channel="contract",
            payer=PartyRecord(
                name=buyer_name,
                key=party_key(self.dataset, buyer_name),
                identifiers=_identifiers(buyer),
                postcode=buyer_postcode,
            ),
            recipient=PartyRecord(
                name=supplier_name,
                key=party_key(self.dataset, supplier_name, supplier_ids[0] if supplier_ids else ""),
                identifiers=supplier_ids,
                postcode=_postcode(supplier),
            ),
            amount_pence=amount,
            date=awarded,
            purpose=clean(tender.get("title")) or clean(award.get("title")),
            category=clean(classification.get("description")),
            # The buyer's place: resolved from its postcode when the batch is loaded.
            place_postcode=buyer_postcode,
            attributes={
                "ocid": ocid,
                "award_id": clean(award.get("id")),
                "award_value_pence": total,
                "shared_award": shared,
                "published_supplier_value": (supplier.get("x_awardValue") or {}).get("amount"),
                "suppliers_in_award": len(suppliers),
                "procedure": clean(tender.get("procurementMethod"))
                or clean(tender.get("procurementMethodDetails")),
                "sme": supplier.get("sme"),
                "vcse": supplier.get("vco"),
                "buyer_postcode": buyer_postcode,
                "cpv": clean(classification.get("id")),
            },
            raw={
                "release": {k: v for k, v in release.items() if k != "parties"},
                "supplier": supplier,
            },
            file_name=row.file_name,
            json_path=data["path"],
        )
