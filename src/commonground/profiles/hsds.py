"""Services in and out of HSDS 3 (Open Referral UK) form, against the specification's compiled
schemas (the `hsds3_schema` dataset of the source catalogue).

Out: `service_json(service)` is one service as the feed serves it (public fields only: no
contact, no email, no phone). In: `validation_errors(records)` names every problem by record and
field; `service_fields(record)` takes what a Service keeps. ADR 0026 says which HSDS fields map
to which of ours.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from commonground.sources.locate import locate

from .models import Service

NAMESPACE = uuid.UUID("6f1d3c52-3a41-4e0c-9a4e-0c6b2f0a9d15")  # ids of rows derived from ours
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
GSS = re.compile(r"\b([EWSN]\d{8})\b")


@functools.cache
def schema(name: str = "service") -> dict[str, Any]:
    return json.loads(locate("hsds3_schema", name).read_text(encoding="utf-8"))


@functools.cache
def validator(name: str = "service") -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=FormatChecker())


def _field(error: Any) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required" and "'" in error.message:
        parts.append(error.message.split("'")[1])
    return ".".join(parts) or "(the record)"


def record_label(index: int, record: Any) -> str:
    """'record 3 (id …, "Name")': how a feed's record is named in errors (1-based)."""
    if not isinstance(record, dict):
        return f"record {index}"
    bits = [f"id {record['id']}" if record.get("id") else "", repr(record.get("name") or "")]
    return f"record {index} ({', '.join(b for b in bits if b and b != repr(''))})"


def validation_errors(records: Iterable[Any]) -> list[tuple[int, str, str]]:
    """(record number from 1, field, problem) for every record that breaks the schema, and
    for ids given twice."""
    found: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records, start=1):
        for error in sorted(validator().iter_errors(record), key=lambda e: list(e.absolute_path)):
            found.append((index, _field(error), error.message))
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            if record["id"] in seen:
                found.append((index, "id", f"the same id as record {seen[record['id']]}"))
            seen.setdefault(record["id"], index)
    return found


def _derived_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _organization(service: Service) -> dict[str, Any] | None:
    org = service.organisation
    if org is None:
        if not service.feed_organisation_name:
            return None
        return {
            "id": service.feed_organisation_id or _derived_id("feed-org", str(service.pk)),
            "name": service.feed_organisation_name,
            "description": service.feed_organisation_name,
        }
    scheme, _, identifier = org.org_id.rpartition("-")
    return {
        "id": _derived_id("organisation", org.org_id),
        "name": org.name,
        "description": org.activities or org.name,
        "organization_identifiers": [
            {
                "id": _derived_id("identifier", org.org_id),
                "identifier_scheme": scheme,
                "identifier_type": "org-id",
                "identifier": identifier,
            }
        ],
    }


def _eligibility(service: Service) -> str:
    parts = [f"For: {service.who_for}." if service.who_for else "", service.eligibility]
    return " ".join(p for p in parts if p)


def service_json(service: Service) -> dict[str, Any]:
    """One service in HSDS 3 form, public fields only."""
    sid = str(service.pk)
    data: dict[str, Any] = {
        "id": sid,
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "eligibility_description": _eligibility(service),
        "application_process": service.how_to_access,
        "fees_description": service.cost or ("Free" if service.free else ""),
        "last_modified": service.updated_at.isoformat(),
        "service_areas": [
            {
                "id": _derived_id("area", sid, place.gss_code),
                "service_id": sid,
                "name": place.name,
                "extent_type": place.kind,
                "uri": GSS_URI + place.gss_code,
            }
            for place in service.places.all()
        ]
        + [
            {"id": _derived_id("area", sid, name), "service_id": sid, "name": name}
            for name in service.other_areas
        ],
        "languages": [
            {"id": _derived_id("language", sid, name), "service_id": sid, "name": name}
            for name in service.languages
        ],
    }
    if service.url:
        data["url"] = service.url
    for name in ("minimum_age", "maximum_age"):
        if getattr(service, name) is not None:
            data[name] = getattr(service, name)
    organization = _organization(service)
    if organization is not None:
        data["organization"] = organization
        data["organization_id"] = organization["id"]
    return data


def area_codes_and_names(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(GSS code or "", name) for each of a record's service areas."""
    found = []
    for area in record.get("service_areas") or []:
        text = " ".join(str(area.get(k) or "") for k in ("uri", "extent", "name"))
        match = GSS.search(text)
        found.append((match.group(1) if match else "", str(area.get("name") or "").strip()))
    return found


def org_ids_of(record: dict[str, Any]) -> list[str]:
    """The org-ids (GB-CHC-1109047) a record's organisation gives."""
    organization = record.get("organization") or {}
    ids = []
    for item in organization.get("organization_identifiers") or []:
        scheme, identifier = item.get("identifier_scheme"), item.get("identifier")
        if scheme and identifier:
            ids.append(f"{scheme}-{identifier}")
    return ids


def service_fields(record: dict[str, Any]) -> dict[str, Any]:
    """What a Service keeps of an HSDS record (places and organisation are linked apart)."""
    fees = record.get("fees_description") or record.get("fees") or ""
    return {
        "name": record["name"][:500],
        "description": record.get("description") or "",
        "status": str(record.get("status") or "active")[:20],
        "eligibility": record.get("eligibility_description") or "",
        "minimum_age": _age(record.get("minimum_age")),
        "maximum_age": _age(record.get("maximum_age")),
        "how_to_access": record.get("application_process") or "",
        "languages": [
            str(x.get("name") or x.get("code"))
            for x in record.get("languages") or []
            if x.get("name") or x.get("code")
        ],
        "cost": fees,
        "url": (record.get("url") or "")[:500],
    }


def _age(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and value >= 0 else None
