"""Writes to the atlas. Importers, commands and views call these; nothing else writes organisations.

Identity: records that share an identifier, directly or through a published identifier link,
are one organisation, whatever order the registers were loaded in. Facts: derived from all of an
organisation's source records by organisation_refresh (ADR 0004).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from commonground.imports.bulk import update_rows
from commonground.imports.engine import LoadCounts
from commonground.imports.models import ImportRun
from commonground.places.selectors import place_ids_for_postcodes

from . import identifiers as orgids
from .models import Identifier, IdentifierLink, Organisation, OtherName, SourceRecord, Status
from .records import OrganisationRecord
from .search.index import refresh_search_index, remove_from_search_index
from .search.normalise import normalise
from .sectors import decide_sector


def linked_identifiers(values: Iterable[str]) -> dict[str, set[str]]:
    """Every published link touching these org-ids, both directions."""
    values = list(set(values))
    linked: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(values, 900):
        for a, b in IdentifierLink.objects.filter(org_id_a__in=chunk).values_list(
            "org_id_a", "org_id_b"
        ):
            linked[a].add(b)
        for a, b in IdentifierLink.objects.filter(org_id_b__in=chunk).values_list(
            "org_id_a", "org_id_b"
        ):
            linked[b].add(a)
    return linked


def _owners(values: Iterable[str]) -> dict[str, int]:
    owners: dict[str, int] = {}
    for chunk in _chunks(list(set(values)), 900):
        owners.update(
            Identifier.objects.filter(value__in=chunk).values_list("value", "organisation_id")
        )
    return owners


@transaction.atomic
def organisations_upsert(records: list[OrganisationRecord], run: ImportRun | None) -> LoadCounts:
    """Create or update the organisations these records describe (idempotent)."""
    counts = LoadCounts()
    if not records:
        return counts
    links = linked_identifiers(i for r in records for i in r.identifiers)
    record_ids = [
        set(r.identifiers).union(*(links.get(i, set()) for i in r.identifiers)) for r in records
    ]
    owners = _owners(i for ids in record_ids for i in ids)
    dataset = records[0].dataset
    existing_sources = {
        key: (pk, org, checksum)
        for chunk in _chunks([r.record_key for r in records], 900)
        for key, pk, org, checksum in SourceRecord.objects.filter(
            dataset=dataset, record_key__in=chunk
        ).values_list("record_key", "pk", "organisation_id", "checksum")
    }

    # Group records that share an identifier (within the batch or with existing organisations).
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_holder: dict[str, int] = {}
    org_holder: dict[int, int] = {}
    for index, ids in enumerate(record_ids):
        orgs = {owners[i] for i in ids if i in owners}
        if records[index].record_key in existing_sources:
            orgs.add(existing_sources[records[index].record_key][1])
        for value in ids:
            if value in first_holder:
                parent[find(index)] = find(first_holder[value])
            else:
                first_holder[value] = index
        for org in orgs:
            if org in org_holder:
                parent[find(index)] = find(org_holder[org])
            else:
                org_holder[org] = index
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(records)):
        groups[find(index)].append(index)
    group_orgs: dict[int, set[int]] = defaultdict(set)
    for org, index in org_holder.items():
        group_orgs[find(index)].add(org)

    # One target organisation per group: an existing one (merging any others) or a new one.
    target: dict[int, int] = {}
    to_create: list[tuple[int, Organisation]] = []
    for root, members in groups.items():
        orgs = sorted(group_orgs.get(root, ()))
        if orgs:
            target[root] = orgs[0]
            if len(orgs) > 1:
                organisation_merge(orgs[0], orgs[1:])
        else:
            ids = set().union(*(record_ids[i] for i in members))
            to_create.append((root, Organisation(org_id=orgids.preferred(ids), name=records[members[0]].name)))
    created = Organisation.objects.bulk_create([org for _, org in to_create], batch_size=1000)
    for (root, _), org in zip(to_create, created, strict=True):
        target[root] = org.pk

    new_identifiers: dict[str, Identifier] = {}
    new_sources: list[SourceRecord] = []
    changed_sources: list[SourceRecord] = []
    touched: set[int] = set()
    for root, members in groups.items():
        org_id = target[root]
        for index in members:
            record = records[index]
            for value in record_ids[index]:
                if value not in owners and value not in new_identifiers:
                    scheme, local = orgids.split_org_id(value)
                    new_identifiers[value] = Identifier(
                        organisation_id=org_id, value=value, scheme=scheme, local_id=local
                    )
            facts = record.facts()
            checksum = record.checksum(facts)
            existing = existing_sources.get(record.record_key)
            source = SourceRecord(
                organisation_id=org_id,
                dataset=record.dataset,
                record_key=record.record_key,
                raw=record.raw,
                facts=facts,
                checksum=checksum,
                import_run=run,
                row_number=record.row_number,
                file_name=record.file_name[:300],
            )
            if existing is None:
                new_sources.append(source)
                counts.loaded += 1
                touched.add(org_id)
            elif existing[2] != checksum or existing[1] != org_id:
                source.pk = existing[0]
                changed_sources.append(source)
                counts.updated += 1
                touched.add(org_id)
            else:
                counts.unchanged += 1
    Identifier.objects.bulk_create(new_identifiers.values(), batch_size=1000)
    SourceRecord.objects.bulk_create(new_sources, batch_size=1000)
    update_rows(
        changed_sources,
        ["organisation", "raw", "facts", "checksum", "import_run", "row_number", "file_name"],
    )
    touched.update(o.organisation_id for o in new_identifiers.values())
    organisation_refresh(touched)
    return counts


@transaction.atomic
def organisation_merge(target_id: int, other_ids: Iterable[int]) -> None:
    """Fold other organisations into the target: identifiers, names and source records move."""
    others = [o for o in other_ids if o != target_id]
    if not others:
        return
    Identifier.objects.filter(organisation_id__in=others).update(organisation_id=target_id)
    SourceRecord.objects.filter(organisation_id__in=others).update(organisation_id=target_id)
    OtherName.objects.filter(organisation_id__in=others).delete()
    remove_from_search_index(others)
    Organisation.objects.filter(pk__in=others).delete()
    organisation_refresh([target_id])


@transaction.atomic
def identifier_links_apply(links: Iterable[tuple[str, str]]) -> int:
    """Make existing organisations agree with published links: merge, or add the other identifier.

    Returns the number of organisations changed.
    """
    pairs = list(links)
    owners = _owners(v for pair in pairs for v in pair)
    touched: set[int] = set()
    for a, b in pairs:
        org_a, org_b = owners.get(a), owners.get(b)
        if org_a and org_b and org_a != org_b:
            keep, gone = min(org_a, org_b), max(org_a, org_b)
            organisation_merge(keep, [gone])
            owners = {k: (keep if v == gone else v) for k, v in owners.items()}
            touched.add(keep)
        elif org_a or org_b:
            owner = org_a or org_b
            missing = b if org_a else a
            if missing not in owners:
                scheme, local = orgids.split_org_id(missing)
                Identifier.objects.create(
                    organisation_id=owner, value=missing, scheme=scheme, local_id=local
                )
                owners[missing] = owner  # type: ignore[assignment]
                touched.add(owner)  # type: ignore[arg-type]
    organisation_refresh(touched)
    return len(touched)


def organisation_refresh(org_ids: Iterable[int]) -> None:
    """Re-derive each organisation's facts from its source records and identifiers."""
    ids = sorted(set(org_ids))
    for chunk in _chunks(ids, 500):
        _refresh_chunk(chunk)


def _refresh_chunk(ids: list[int]) -> None:
    facts_by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for org_id, dataset, facts in SourceRecord.objects.filter(
        organisation_id__in=ids
    ).values_list("organisation_id", "dataset", "facts"):
        facts_by_org[org_id].append({**facts, "_dataset": dataset})
    identifiers_by_org: dict[int, list[str]] = defaultdict(list)
    for org_id, value in Identifier.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "value"
    ):
        identifiers_by_org[org_id].append(value)

    organisations = list(Organisation.objects.filter(pk__in=ids))
    postcodes = {
        f["postcode"] for facts in facts_by_org.values() for f in facts if f.get("postcode")
    }
    places = place_ids_for_postcodes(postcodes)
    other_names: list[OtherName] = []
    for org in organisations:
        facts = sorted(facts_by_org.get(org.pk, []), key=lambda f: (f["priority"], f["_dataset"]))
        if not facts:
            continue
        _apply_facts(org, facts, identifiers_by_org.get(org.pk, [org.org_id]), places)
        seen = {org.name.casefold()}
        names: list[str] = []
        for f in facts:
            for name in [f["name"], *f.get("other_names", [])]:
                if name and name.casefold() not in seen:
                    seen.add(name.casefold())
                    names.append(name)
                    other_names.append(
                        OtherName(organisation_id=org.pk, name=name[:500], source=f["_dataset"])
                    )
        org.search_name = normalise(org.name)
        org.search_other = normalise(" ".join(names))
    update_rows(organisations, DERIVED_FIELDS)
    OtherName.objects.filter(organisation_id__in=ids).delete()
    OtherName.objects.bulk_create(other_names, batch_size=1000)
    refresh_search_index(ids)


DERIVED_FIELDS = [
    "org_id",
    "name",
    "sector",
    "sector_evidence",
    "legal_form",
    "status",
    "date_registered",
    "date_removed",
    "address",
    "postcode",
    "local_authority",
    "ward",
    "latitude",
    "longitude",
    "activities",
    "website",
    "latest_income_pence",
    "latest_income_date",
    "latest_income_source",
    "search_name",
    "search_other",
]


def _first(facts: list[dict[str, Any]], key: str) -> Any:
    return next((f[key] for f in facts if f.get(key)), None)


def _apply_facts(
    org: Organisation,
    facts: list[dict[str, Any]],
    identifiers: list[str],
    places: dict[str, tuple[int | None, int | None, float | None, float | None]],
) -> None:
    best = facts[0]
    org.org_id = orgids.preferred(identifiers)
    org.name = best["name"][:500]
    evidence = [
        {**claim, "source": f["_dataset"], "register": f.get("register", "")}
        for f in facts
        for claim in f.get("sector_claims", [])
    ]
    org.sector = decide_sector(evidence)
    org.sector_evidence = evidence
    org.legal_form = (_first(facts, "legal_form") or "")[:200]
    org.status = best.get("status") or Status.UNKNOWN
    org.date_registered = _first(facts, "date_registered")
    org.date_removed = best.get("date_removed")
    org.address = _first(facts, "address") or ""
    org.postcode = _first(facts, "postcode") or ""
    org.local_authority_id, org.ward_id, org.latitude, org.longitude = places.get(
        org.postcode, (None, None, None, None)
    )
    org.activities = _first(facts, "activities") or ""
    org.website = (_first(facts, "website") or "")[:500]
    with_income = [f for f in facts if f.get("latest_income_pence") is not None]
    if with_income:
        latest = max(with_income, key=lambda f: (f.get("latest_income_date") or "", -f["priority"]))
        org.latest_income_pence = latest["latest_income_pence"]
        org.latest_income_date = latest.get("latest_income_date")
        org.latest_income_source = latest["_dataset"]
    else:
        org.latest_income_pence = org.latest_income_date = None
        org.latest_income_source = ""


def _chunks(values: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
