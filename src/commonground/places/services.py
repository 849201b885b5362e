"""Writes to geography. Place importers call these; nothing else writes places or postcodes.

Each function is an idempotent upsert of one batch and returns what it counted, so importing
the same file twice changes nothing and says so.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from commonground.core.sql_lists import SQLITE_CHUNK, chunks
from commonground.imports.bulk import update_rows
from commonground.imports.engine import LoadCounts
from commonground.imports.models import ImportRun

from .models import LocalAuthorityCode, Place, PlaceKind, Postcode
from .records import (
    BoundaryRecord,
    DeprivationRecord,
    LocalAuthorityCodeRecord,
    PostcodeRecord,
)

IOD_KEY = "iod2025"
# SQLite allows a limited number of query parameters; stay well inside it.
CHUNK = SQLITE_CHUNK


@transaction.atomic
def local_authorities_deprivation_upsert(
    records: list[DeprivationRecord], run: ImportRun | None, start_date: date
) -> LoadCounts:
    """Create the districts (if new) and store each domain's figures under attributes['iod2025'].

    Counted per domain row: loaded when the domain is new for that district, updated when its
    figures or the district's name changed.
    """
    counts = LoadCounts()
    codes = sorted({r.gss_code for r in records})
    places = {
        p.gss_code: p
        for chunk in chunks(codes, CHUNK)
        for p in Place.objects.filter(gss_code__in=chunk, start_date=start_date)
    }
    new: dict[str, Place] = {}
    changed: dict[str, Place] = {}
    for record in records:
        place = places.get(record.gss_code) or new.get(record.gss_code)
        if place is None:
            place = Place(
                gss_code=record.gss_code,
                name=record.name,
                kind=PlaceKind.LOCAL_AUTHORITY,
                start_date=start_date,
                attributes={},
                import_run=run,
            )
            new[record.gss_code] = place
        domains = place.attributes.setdefault(IOD_KEY, {})
        before = domains.get(record.domain)
        renamed = place.name != record.name
        if before is None:
            counts.loaded += 1
        elif before != record.figures or renamed:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        domains[record.domain] = record.figures
        place.name = record.name
        if place.pk is not None:
            place.import_run = run
            changed[place.gss_code] = place
    Place.objects.bulk_create(list(new.values()), batch_size=500)
    update_rows(list(changed.values()), ["name", "attributes", "import_run"])
    return counts


@transaction.atomic
def local_authority_codes_upsert(records: list[LocalAuthorityCodeRecord]) -> LoadCounts:
    counts = LoadCounts()
    fields = ["name", "official_name", "authority_type", "gss_code", "start_date", "end_date"]
    existing = {
        c.code: c
        for chunk in chunks([r.code for r in records], CHUNK)
        for c in LocalAuthorityCode.objects.filter(code__in=chunk)
    }
    new: list[LocalAuthorityCode] = []
    changed: list[LocalAuthorityCode] = []
    for record in records:
        current = existing.get(record.code)
        if current is None:
            new.append(
                LocalAuthorityCode(code=record.code, **{f: getattr(record, f) for f in fields})
            )
            counts.loaded += 1
        elif any(getattr(current, f) != getattr(record, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(record, f))
            changed.append(current)
            counts.updated += 1
        else:
            counts.unchanged += 1
    LocalAuthorityCode.objects.bulk_create(new, batch_size=500)
    update_rows(changed, fields)
    return counts


@transaction.atomic
def place_boundaries_upsert(records: list[BoundaryRecord], run: ImportRun | None) -> LoadCounts:
    """Set boundaries and centroids; create the place when the record says what kind it is.

    A record without a kind only adds a boundary to a place that is already loaded (the
    importer checks that it is).
    """
    counts = LoadCounts()
    fields = ["name", "boundary", "latitude", "longitude", "parent", "import_run"]
    new: list[Place] = []
    changed: list[Place] = []
    for record in records:
        query = Place.objects.filter(gss_code=record.gss_code)
        if record.kind:
            query = query.filter(start_date=record.start_date)
        else:
            query = query.filter(end_date__isnull=True).order_by("-start_date")
        place = query.first()
        if place is None:
            if not record.kind:
                continue
            new.append(
                Place(
                    gss_code=record.gss_code,
                    name=record.name,
                    kind=record.kind,
                    start_date=record.start_date,
                    parent_id=record.parent_id,
                    boundary=record.boundary,
                    latitude=record.latitude,
                    longitude=record.longitude,
                    import_run=run,
                )
            )
            counts.loaded += 1
            continue
        wanted = {
            "name": record.name,
            "boundary": record.boundary,
            "latitude": record.latitude,
            "longitude": record.longitude,
            "parent_id": record.parent_id if record.kind else place.parent_id,
        }
        if all(getattr(place, k) == v for k, v in wanted.items()):
            counts.unchanged += 1
            continue
        for key, value in wanted.items():
            setattr(place, key, value)
        place.import_run = run
        changed.append(place)
        counts.updated += 1
    Place.objects.bulk_create(new, batch_size=100)
    update_rows(changed, fields)
    return counts


_POSTCODE_FIELDS = (
    "local_authority_code",
    "ward_code",
    "lsoa_code",
    "msoa_code",
    "latitude",
    "longitude",
    "introduced",
    "terminated",
)


@transaction.atomic
def postcodes_upsert(records: list[PostcodeRecord], run: ImportRun | None) -> LoadCounts:
    counts = LoadCounts()
    existing: dict[str, tuple] = {}
    for chunk in chunks([r.postcode for r in records], CHUNK):
        for row in Postcode.objects.filter(postcode__in=chunk).values_list(
            "postcode", "pk", *_POSTCODE_FIELDS
        ):
            existing[row[0]] = row[1:]
    new: list[Postcode] = []
    changed: list[Postcode] = []
    for record in records:
        values = {f: getattr(record, f) for f in _POSTCODE_FIELDS}
        current = existing.get(record.postcode)
        if current is None:
            new.append(Postcode(postcode=record.postcode, import_run=run, **values))
            counts.loaded += 1
        elif tuple(current[1:]) != tuple(values.values()):
            changed.append(
                Postcode(pk=current[0], postcode=record.postcode, import_run=run, **values)
            )
            counts.updated += 1
        else:
            counts.unchanged += 1
    Postcode.objects.bulk_create(new, batch_size=1000)
    update_rows(changed, [*_POSTCODE_FIELDS, "import_run"])
    return counts
