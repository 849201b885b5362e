"""Identifier schemes: the org-id.guide lists, plus what Common Ground knows about each.

`identifier_schemes_load` reads org-id.guide's published JSON lists (one file a scheme) into
IdentifierScheme, adds how to link to one record where we know the register's address for it,
and adds Common Ground's own local schemes for organisations no official register numbers.
Idempotent: loading the same files again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from commonground.imports.engine import LoadCounts
from commonground.imports.errors import FileRejected

from .identifiers import split_org_id
from .models import IdentifierScheme

# How to link to one organisation's page on its register; "{id}" is the org-id's local part.
# GB-MPR has none: the FCA register's pages are addressed by an internal number, not by the
# society's registration number.
RECORD_URL_TEMPLATES = {
    "GB-CHC": "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{id}",
    "GB-COH": "https://find-and-update.company-information.service.gov.uk/company/{id}",
    "GB-NIC": "https://www.charitycommissionni.org.uk/charity-details/?regId={id}&subId=0",
    "GB-SC": "https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number={id}",
}


@dataclass(frozen=True)
class LocalScheme:
    code: str
    name: str
    url: str = ""
    public_database: str = ""
    record_url_template: str = ""
    licence: str = ""


# Common Ground's own schemes (XI- is org-id.guide's prefix for schemes outside its register).
# Importers use them only for organisations that have no official identifier.
LOCAL_SCHEMES = (
    LocalScheme(
        code="XI-COOPSUK",
        name="Co-operatives UK open data (Common Ground local identifier for co-operatives "
        "with no company or society number)",
        url="https://www.uk.coop/resources/open-data",
        public_database="https://www.uk.coop/resources/open-data",
        licence="Open Data Commons Attribution License (ODC-By) 1.0",
    ),
)

SCHEME_FIELDS = ["name", "url", "public_database", "record_url_template", "official", "licence"]


def scheme_from_orgid_json(data: dict[str, Any], file_name: str) -> IdentifierScheme:
    """One org-id.guide list as an (unsaved) IdentifierScheme."""
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        raise FileRejected(file_name, "the list has no scheme code", field="code")
    code = code.strip().upper()
    name = data.get("name")
    name = name.get("en") if isinstance(name, dict) else name
    if not isinstance(name, str) or not name.strip():
        raise FileRejected(file_name, "the list has no English name", field="name")
    access = data.get("access") or {}
    licence = data.get("data") or {}
    return IdentifierScheme(
        code=code,
        name=name.strip()[:300],
        url=(data.get("url") or "")[:500],
        public_database=(access.get("publicDatabase") or "")[:500],
        record_url_template=RECORD_URL_TEMPLATES.get(code, ""),
        official=True,
        licence=(licence.get("licenseDetails") or licence.get("licenseStatus") or "").strip()[:200],
    )


def read_orgid_list(path: Path) -> IdentifierScheme:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise FileRejected(path.name, f"the file cannot be read: {error}") from error
    except json.JSONDecodeError as error:
        raise FileRejected(path.name, f"not valid JSON: {error.msg}", row=error.lineno) from error
    if not isinstance(data, dict):
        raise FileRejected(path.name, "expected one org-id.guide list (a JSON object)")
    return scheme_from_orgid_json(data, path.name)


@transaction.atomic
def identifier_schemes_load(paths: Iterable[Path]) -> LoadCounts:
    """Load org-id.guide lists and the local schemes. A file that cannot be read loads nothing."""
    schemes = [read_orgid_list(Path(p)) for p in sorted(paths)]
    schemes += [
        IdentifierScheme(
            code=local.code,
            name=local.name,
            url=local.url,
            public_database=local.public_database,
            record_url_template=local.record_url_template,
            official=False,
            licence=local.licence,
        )
        for local in LOCAL_SCHEMES
    ]
    seen: set[str] = set()
    for scheme in schemes:
        if scheme.code in seen:
            raise FileRejected(scheme.code, "two lists give the same scheme code", field="code")
        seen.add(scheme.code)
    existing = {s.code: s for s in IdentifierScheme.objects.filter(code__in=seen)}
    counts = LoadCounts()
    new: list[IdentifierScheme] = []
    changed: list[IdentifierScheme] = []
    for scheme in schemes:
        current = existing.get(scheme.code)
        if current is None:
            new.append(scheme)
        elif any(getattr(current, f) != getattr(scheme, f) for f in SCHEME_FIELDS):
            for f in SCHEME_FIELDS:
                setattr(current, f, getattr(scheme, f))
            changed.append(current)
        else:
            counts.unchanged += 1
    IdentifierScheme.objects.bulk_create(new)
    IdentifierScheme.objects.bulk_update(changed, SCHEME_FIELDS)
    counts.loaded, counts.updated = len(new), len(changed)
    return counts


def record_url(org_id: str) -> str:
    """The register page for one org-id, or '' where the scheme has no known address."""
    try:
        scheme, local = split_org_id(org_id)
    except ValueError:
        return ""
    template = RECORD_URL_TEMPLATES.get(scheme) or next(
        (s.record_url_template for s in LOCAL_SCHEMES if s.code == scheme), ""
    )
    return template.replace("{id}", local) if template else ""
