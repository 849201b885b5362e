"""Import services from an HSDS 3 JSON feed (an Open Referral UK directory's), through the shared
import engine: one ImportRun with the file's checksum and counts.

Every record is checked against the HSDS 3 service schema before anything is written; a file
with any bad record fails whole, naming each bad record by number, id and name, and its field.
Records are upserted by their HSDS id, so importing the same file again changes nothing.
A service is linked to the atlas through its organisation's org-id identifiers, and its areas to
places through a GSS code in the area (its uri, extent or name) or the exact name of a ward or
local authority; areas that match no place are kept as text.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone

from commonground.imports.engine import ImportContext, Importer, LoadCounts, run_import
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.models import ImportRun
from commonground.imports.readers import Row
from commonground.organisations.selectors import organisation_by_identifier
from commonground.places.models import Place

from . import hsds
from .models import Service

DATASET = "hsds_services"
MAX_LISTED = 20  # problems named in the run's error; the rest counted


@dataclass
class ParsedService:
    id: str
    record: dict[str, Any]
    organisation_id: int | None
    place_ids: list[int]
    other_areas: list[str]


def _records(data: Any, file_name: str) -> list[Any]:
    """A feed page ({"contents": [...]}), a list of services, or one service."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return list(data["contents"])
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "name" in data:
        return [data]
    raise FileRejected(
        file_name,
        "not an HSDS 3 services feed: expected a page with 'contents', a list or a service",
    )


def _place(code: str, name: str) -> Place | None:
    current = Place.objects.filter(end_date__isnull=True, kind__in=["ward", "local_authority"])
    if code:
        return current.filter(gss_code=code).order_by("-start_date").first()
    if name:
        found = list(current.filter(Q(name__iexact=name))[:2])
        return found[0] if len(found) == 1 else None
    return None


class HsdsServicesImporter(Importer[ParsedService]):
    dataset = DATASET
    batch_size = 500
    fails_when_nothing_loaded = True  # a feed of no services failed, saying so

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FileRejected(path.name, f"not valid JSON ({exc})") from exc
        records = _records(data, path.name)
        problems = hsds.validation_errors(records)
        if problems:
            listed = "; ".join(
                f"{hsds.record_label(n, records[n - 1])}, field '{field}': {message}"
                for n, field, message in problems[:MAX_LISTED]
            )
            more = len(problems) - MAX_LISTED
            raise FileRejected(
                path.name,
                f"{len(problems)} problem(s) against the HSDS 3 service schema, so nothing was "
                f"loaded: {listed}" + (f"; and {more} more" if more > 0 else ""),
                row=problems[0][0],
                field=problems[0][1],
            )
        for number, record in enumerate(records, start=1):
            yield Row(
                path.name, number, {"record": json.dumps(record)}, [json.dumps(record)[:4000]]
            )

    def parse(self, row: Row) -> ParsedService:
        record = json.loads(row.data["record"])
        organisation_id = None
        for org_id in hsds.org_ids_of(record):
            organisation = organisation_by_identifier(org_id)
            if organisation is not None:
                organisation_id = organisation.pk
                break
        place_ids, other = [], []
        for code, name in hsds.area_codes_and_names(record):
            place = _place(code, name)
            if place is not None:
                place_ids.append(place.pk)
            elif code:
                raise RowRejected(
                    f"the area {code} is not a ward or local authority we know", "service_areas"
                )
            elif name:
                other.append(name)
        return ParsedService(
            str(uuid.UUID(record["id"])), record, organisation_id, place_ids, other
        )

    def record_key(self, record: ParsedService) -> str:
        return record.id

    def load(self, records: list[ParsedService], context: ImportContext) -> LoadCounts:
        counts = LoadCounts()
        existing = {str(s.pk): s for s in Service.objects.filter(pk__in=[r.id for r in records])}
        taken = [r for r in records if r.id in existing and existing[r.id].source != "hsds"]
        if taken:
            raise FileRejected(
                "",
                f"service id {taken[0].id} belongs to a service written on a partnership profile",
            )
        now = timezone.now()
        for parsed in records:
            service = existing.get(parsed.id)
            organization = parsed.record.get("organization") or {}
            wanted = {
                **hsds.service_fields(parsed.record),
                "organisation_id": parsed.organisation_id,
                "feed_organisation_id": str(
                    organization.get("id") or parsed.record.get("organization_id") or ""
                )[:100],
                "feed_organisation_name": str(organization.get("name") or "")[:500],
                "other_areas": parsed.other_areas,
                "raw": parsed.record,
            }
            if service is not None:
                same = all(getattr(service, k) == v for k, v in wanted.items()) and sorted(
                    service.places.values_list("pk", flat=True)
                ) == sorted(parsed.place_ids)
                if same:
                    counts.unchanged += 1
                    continue
                counts.updated += 1
            else:
                service = Service(pk=uuid.UUID(parsed.id), source="hsds")
                counts.loaded += 1
            for name, value in wanted.items():
                setattr(service, name, value)
            service.import_run = context.run
            service.updated_at = now
            service.save()
            service.places.set(parsed.place_ids)
        return counts


def import_services(path: Path | str) -> ImportRun:
    """Import one HSDS 3 JSON file; strict, so one bad record loads nothing."""
    return run_import(HsdsServicesImporter(), path, strict=True)
