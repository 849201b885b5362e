"""The 360Giving importer: grants as money flows, with their funder, recipient and beneficiary
places, linked to the atlas."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from commonground.imports.engine import ImportContext
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row
from commonground.organisations.identifiers import company_number
from commonground.places.postcodes import normalise_postcode

from ..identity import grant_key
from ..loading import FlowImporter
from ..parsing import clean, parse_amount_pence, parse_flexible_date
from ..records import FlowRecord, PartyRecord, normalise_name, party_key
from .readers import GrantsFile, read_grants_file
from .validation import GrantProblem

# GSS code prefixes of local authorities and of wards, for beneficiary locations.
_LA_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")
_WARD_PREFIXES = ("E05", "W05", "S13", "N08")


def _org_identifiers(org: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    org_id = clean(org.get("id"))
    if org_id and not org_id.upper().startswith("360G-"):
        found.append(org_id)
    charity = clean(org.get("charityNumber"))
    if charity:
        digits = re.sub(r"\D", "", charity)
        if charity.upper().startswith("SC"):
            found.append(f"GB-SC-{charity.upper()}")
        elif digits:
            found.append(f"GB-CHC-{int(digits)}")
    company = clean(org.get("companyNumber"))
    if company:
        found.append(f"GB-COH-{company_number(company)}")
    return tuple(dict.fromkeys(found))


def beneficiary_places(grant: dict[str, Any]) -> tuple[str, str, list[str]]:
    """(district code, ward code, every distinct code) from all the grant's beneficiary
    locations, in the order published.

    A flow has one place and one ward, so the first location that is a local-authority
    district gives the district and the first that is a ward gives the ward: a grant for
    several districts or wards is counted in full in the first the publisher lists. The other
    codes stay in the raw record, and in the flow's attributes (beneficiary_codes), so nothing
    is lost. Other codes (LSOA, constituency, region) place nothing: the ledger falls back to
    the ward's district and then to the recipient's postcode."""
    place_gss, ward_gss = "", ""
    codes: list[str] = []
    for location in grant.get("beneficiaryLocation") or []:
        code = clean(location.get("geoCode")).upper() if isinstance(location, dict) else ""
        if not code or code in codes:
            continue
        codes.append(code)
        if code.startswith(_LA_PREFIXES) and not place_gss:
            place_gss = code
        elif code.startswith(_WARD_PREFIXES) and not ward_gss:
            ward_gss = code
    return place_gss, ward_gss, codes


# Up to this many problems of one field are listed one by one; more are summed up.
LISTED_PROBLEMS = 5


def _warnings(file_name: str, problems: list[GrantProblem]) -> list[str]:
    """Problems that do not stop a grant loading, one warning each, or one for a field's
    problems when there are many (a large funder may leave https:// off every web address)."""
    by_field: dict[str, list[GrantProblem]] = {}
    for problem in problems:
        if problem.grant_index >= 0:
            by_field.setdefault(re.sub(r"/\d+", "/N", problem.field), []).append(problem)
    notes: list[str] = []
    for field_name, found in by_field.items():
        if len(found) <= LISTED_PROBLEMS:
            notes.extend(f"{file_name}, {problem} (the grant was loaded)" for problem in found)
            continue
        notes.append(
            f"{file_name}: {len(found)} grants have a problem in {field_name}, a field the "
            f"ledger does not use, and were loaded; the first: {found[0]}"
        )
    return notes


def _several(grants: list[dict[str, Any]], name: str) -> int:
    return sum(1 for g in grants if isinstance(g.get(name), list) and len(g[name]) > 1)


def _first(grant: dict[str, Any], name: str) -> dict[str, Any]:
    values = grant.get(name)
    if isinstance(values, list) and values and isinstance(values[0], dict):
        return values[0]
    return {}


class GrantsImporter(FlowImporter):
    """A 360Giving file (JSON, CSV or XLSX); the dataset code names the publisher's data."""

    def __init__(self, dataset: str = "trafford_grants") -> None:
        super().__init__(dataset)
        self._file: GrantsFile | None = None
        self._problems: dict[int, list[GrantProblem]] = {}

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        grants_file = read_grants_file(path)
        if grants_file.report.file_error:
            raise FileRejected(path.name, grants_file.report.file_error)
        self._file = grants_file
        context.warnings.extend(f"{path.name}: {note}" for note in grants_file.report.notes)
        self._problems = {}
        for problem in grants_file.report.problems:
            if problem.grant_index < 0:
                context.warnings.append(f"{path.name}: {problem.message}")
                continue
            self._problems.setdefault(problem.grant_index, []).append(problem)
        context.warnings.extend(
            _warnings(path.name, [p for p in grants_file.report.problems if not p.blocking])
        )
        # The ledger has one payer and one recipient a flow: say when the file gives more.
        for field_name, role in (
            ("fundingOrganization", "funder"),
            ("recipientOrganization", "recipient"),
        ):
            several = _several(grants_file.grants, field_name)
            if several:
                context.warnings.append(
                    f"{path.name}: {several} grants name more than one {role}; the ledger "
                    f"records the first {role} of each (the others are kept in the grant's "
                    "source record)"
                )
        yield from grants_file.unreadable  # each refused with its reason (the wrong width)
        name = f"{path.name}:{grants_file.sheet}" if grants_file.sheet else path.name
        for index, grant in enumerate(grants_file.grants):
            data = {"index": index, "grant": grant}
            raw = [json.dumps(grant, default=str)[:4000]]
            yield Row(name, grants_file.rows[index], cast(dict[str, str], data), raw)

    def parse(self, row: Row) -> FlowRecord:
        data = cast(dict[str, Any], row.data)
        index: int = data["index"]
        grant: dict[str, Any] = data["grant"]
        blocking = [p for p in self._problems.get(index, []) if p.blocking]
        # Problems in fields the ledger does not use stay with the grant they belong to.
        warnings = [str(p) for p in self._problems.get(index, []) if not p.blocking]
        if blocking:
            raise RowRejected(
                "; ".join(str(p) for p in blocking)[:2000], blocking[0].field or "grant"
            )
        grant_id = clean(grant.get("id"))
        if not grant_id:
            raise RowRejected("the grant has no identifier", "id")
        currency = clean(grant.get("currency")) or "GBP"
        if currency != "GBP":
            raise RowRejected(
                f"grant {grant_id}: the amount is in {currency}; the ledger adds up pounds only",
                "currency",
            )
        amount = parse_amount_pence(grant.get("amountAwarded"), "amountAwarded")
        assert amount is not None
        awarded = parse_flexible_date(grant.get("awardDate"), "awardDate")
        assert awarded is not None
        funder = _first(grant, "fundingOrganization")
        funder_name = clean(funder.get("name"))
        if not funder_name:
            raise RowRejected(f"grant {grant_id}: the funder has no name", "fundingOrganization")
        funder_ids = _org_identifiers(funder)
        recipient_party = self._recipient_party(grant, grant_id)
        place_gss, ward_gss, codes = beneficiary_places(grant)
        if not place_gss and any(i.upper().startswith("GB-LAE-") for i in funder_ids):
            place_gss = next(i for i in funder_ids if i.upper().startswith("GB-LAE-"))
        programme = _first(grant, "grantProgramme")
        file = self._file
        return FlowRecord(
            dataset=self.dataset,
            record_key=grant_key(
                grant_id, funder_ids[0] if funder_ids else normalise_name(funder_name)
            ),
            channel="grant",
            payer=PartyRecord(
                name=funder_name,
                key=party_key(self.dataset, funder_name, clean(funder.get("id"))),
                identifiers=funder_ids,
            ),
            recipient=recipient_party,
            amount_pence=amount,
            date=awarded,
            purpose=clean(grant.get("title")) or clean(grant.get("description"))[:500],
            category=clean(programme.get("title")) or clean(programme.get("code")),
            place_gss=place_gss,
            ward_gss=ward_gss,
            attributes={
                "programme_code": clean(programme.get("code")),
                "from_open_call": clean(grant.get("fromOpenCall")),
                "description": clean(grant.get("description"))[:2000],
                # Only when there is a choice, so that single-place grants keep their checksum.
                **({"beneficiary_codes": codes} if len(codes) > 1 else {}),
                **({"warnings": warnings[:20]} if warnings else {}),
            },
            raw=grant,
            file_name=row.file_name,
            row_number=None if file is not None and file.json else row.number,
            json_path=f"/grants/{index}",
        )

    def _recipient_party(self, grant: dict[str, Any], grant_id: str) -> PartyRecord:
        """The grant's first recipient organisation, or its withheld individual."""
        recipient = _first(grant, "recipientOrganization")
        if recipient:
            recipient_name = clean(recipient.get("name"))
            if not recipient_name:
                raise RowRejected(
                    f"grant {grant_id}: the recipient organisation has no name",
                    "recipientOrganization/0/name",
                )
            return PartyRecord(
                name=recipient_name,
                key=party_key(self.dataset, recipient_name, clean(recipient.get("id"))),
                identifiers=_org_identifiers(recipient),
                postcode=normalise_postcode(clean(recipient.get("postalCode"))),
            )
        if isinstance(grant.get("recipientIndividual"), dict):
            return PartyRecord(
                name="Individual (name withheld)",
                key=f"{self.dataset}:individual",
                redacted=True,
            )
        raise RowRejected(
            f"grant {grant_id}: there is no recipient organisation or individual",
            "recipientOrganization",
        )
