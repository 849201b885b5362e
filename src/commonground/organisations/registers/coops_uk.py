"""Co-operatives UK open data: one row a co-operative (CSV in the ESSGlobal "standard" layout).

Every row is a co-operative Co-operatives UK lists, so each is claimed for the
cooperative_mutual sector, with the listing and the legal form as the evidence. Co-operatives UK
drops co-operatives that have closed, so a listed one is taken to be active.

Identifiers: the "Companies House Number" column holds company numbers only (8 digits, or SC /
NI / OC prefixed; 915 of 7,272 rows in the 2023 Q2 file). Registered societies (most rows) carry
no number here, neither their FCA society number nor their Companies House IP/RS number, so
they get a local identifier XI-COOPSUK-<Identifier>. A society is then joined to its FCA
(GB-MPR) and Companies House records only through the published mutual-company links, never by
name. Any number the column does hold is a Companies House number, IP/RS/SP ones included, and
becomes GB-COH-<number>.

Coordinates: the file's Latitude/Longitude when given, otherwise its postcode centroid
("Geo Container Latitude/Longitude"); the Postcode table, when it knows the postcode, wins.
The ESSGlobal codes (organisational structure, primary activity) are shown with their labels
from coops_uk_vocabs.json when that file sits beside the CSV.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

from commonground.imports.engine import ImportContext
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited
from commonground.places.postcodes import normalise_postcode

from ..identifiers import company_number
from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from .base import RegisterImporter, require, text, whole_file_encoding

COLUMNS = (
    "Identifier",
    "Name",
    "Organisational Structure",
    "Primary Activity",
    "Street Address",
    "Locality",
    "Region",
    "Postcode",
    "Website",
    "Companies House Number",
    "Geo Container Latitude",
    "Geo Container Longitude",
    "Sector",
    "SIC Section",
    "SIC Code",
    "Ownership Classification",
    "Legal Form",
)
VOCABULARY_FILE = "coops_uk_vocabs.json"

# Co-operatives UK's "Ownership Classification" (who the members, the owners, are) as a finer
# co-op type, each with what it takes in, in plain words. This is why the co-operative sector
# holds members' clubs and a county cricket club: they are societies their members own.
OWNERSHIP_TYPES: dict[str, tuple[str, str]] = {
    "Consumers": (
        "Consumer co-operative",
        "owned by the people who use it: shops, pubs, and members' social, political and "
        "sports clubs",
    ),
    "Community of Interest": (
        "Community-owned",
        "owned by members who share an interest or a place: community shares, community "
        "energy, and sports and social clubs",
    ),
    "Tenants": ("Housing co-operative", "owned by its tenants"),
    "Workers": ("Worker co-operative", "owned by the people who work in it"),
    "Multi-stakeholder": (
        "Multi-stakeholder co-operative",
        "owned by more than one group together, such as workers and customers",
    ),
    "Enterprises": (
        "Co-operative of businesses",
        "owned by the businesses that trade through it, such as farmers' buying groups",
    ),
    "Self-employed": (
        "Co-operative of self-employed people",
        "owned by self-employed members who work through it, such as freelancers",
    ),
    "Employee Trust": ("Employee-owned", "held in trust for the people who work in it"),
    "Co-operatives": ("Co-operative of co-operatives", "owned by other co-operatives"),
}


def ownership_claim(ownership: str) -> SectorClaim | None:
    """The finer co-op type the ownership classification gives, as sector evidence."""
    known = OWNERSHIP_TYPES.get(ownership)
    if known is None:
        return None
    kind, owners = known
    return SectorClaim(
        Sector.COOPERATIVE_MUTUAL.value,
        "Ownership Classification",
        ownership,
        f"{kind}: {owners} (Co-operatives UK's ownership classification)",
    )


_LOCAL_ID = re.compile(r"[A-Za-z0-9]+")
_COMPANY = re.compile(r"([A-Z]{2})?\d{1,8}[A-Z]?")


def load_vocabulary(path: Path) -> dict[str, str]:
    """ESSGlobal term URI -> English label, from the vocabulary file (empty if unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        prefixes = {short: uri for uri, short in data["prefixes"].items()}
        labels: dict[str, str] = {}
        for vocab in data["vocabs"].values():
            for term, label in vocab.get("EN", {}).get("terms", {}).items():
                short, _, code = term.partition(":")
                if short in prefixes:
                    labels[prefixes[short] + code] = label
        return labels
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


class CoopsUkImporter(RegisterImporter):
    dataset = "coops_uk"
    register = "Co-operatives UK open data"
    priority = 40  # a compilation of the registers: the registers themselves win

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        self.labels = load_vocabulary(path.parent / VOCABULARY_FILE)
        return read_delimited(
            path,
            encodings=whole_file_encoding(path),
            required_columns=COLUMNS,
            warnings=context.warnings,
        )

    def parse(self, row: Row) -> OrganisationRecord:
        data = row.data
        local = require(data["Identifier"], "Identifier")
        if not _LOCAL_ID.fullmatch(local):
            raise RowRejected(f"{local!r} is not a Co-operatives UK identifier", "Identifier")
        identifiers = [f"XI-COOPSUK-{local}"]
        company = text(data["Companies House Number"]).upper().replace(" ", "")
        if company:
            if not _COMPANY.fullmatch(company):
                raise RowRejected(
                    f"{company!r} is not a Companies House number", "Companies House Number"
                )
            identifiers = [f"GB-COH-{company_number(company)}"]
        legal_form = text(data["Legal Form"])
        structure = self._label(data["Organisational Structure"])
        rule = "listed in Co-operatives UK open data as a co-operative"
        if structure:
            rule += f" ({structure})"
        latitude, longitude = self._coordinates(data)
        claims = [SectorClaim(Sector.COOPERATIVE_MUTUAL.value, "Legal Form", legal_form, rule)]
        ownership = ownership_claim(text(data["Ownership Classification"]))
        if ownership is not None:
            claims.append(ownership)
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=local,
            raw=data,
            identifiers=identifiers,
            name=require(data["Name"], "Name"),
            priority=self.priority,
            register=self.register,
            legal_form=legal_form or structure,
            sector_claims=claims,
            classifications=[f"Co-op type: {c.rule.split(':', 1)[0]}" for c in claims[1:]],
            status=Status.ACTIVE.value,
            address=", ".join(
                p
                for p in (
                    *(text(line) for line in data["Street Address"].splitlines()),
                    text(data["Locality"]),
                    text(data["Region"]),
                )
                if p
            ),
            postcode=normalise_postcode(data["Postcode"]),
            latitude=latitude,
            longitude=longitude,
            activities=self._activities(data),
            website=text(data["Website"]),
            row_number=row.number,
            file_name=row.file_name,
        )

    def _label(self, value: str) -> str:
        value = text(value)
        return self.labels.get(value, value.rsplit("/", 1)[-1]) if value else ""

    def _activities(self, data: dict[str, str]) -> str:
        parts = [self._label(data["Primary Activity"]), text(data["Sector"])]
        section, code = text(data["SIC Section"]), text(data["SIC Code"])
        if section or code:
            parts.append(f"{section} (SIC {code})" if code else section)
        seen: list[str] = []
        for part in parts:
            if part and part not in seen:
                seen.append(part)
        return "; ".join(seen)

    def _coordinates(self, data: dict[str, str]) -> tuple[float | None, float | None]:
        for lat_field, lon_field in (
            ("Latitude", "Longitude"),
            ("Geo Container Latitude", "Geo Container Longitude"),
        ):
            lat, lon = text(data.get(lat_field)), text(data.get(lon_field))
            if not lat and not lon:
                continue
            latitude = _float(lat, lat_field, -90, 90)
            longitude = _float(lon, lon_field, -180, 180)
            return latitude, longitude
        return None, None


def _float(value: str, field: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise RowRejected(f"{value!r} is not a number", field) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise RowRejected(f"{value!r} is not between {low} and {high}", field)
    return number
