"""Writes to the atlas. Importers, commands and views call these; nothing else writes organisations.

Identity: records that share an identifier, directly or through a published identifier link,
are one organisation, whatever order the registers were loaded in. Facts: derived from all of an
organisation's source records by organisation_refresh (ADR 0004).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from commonground.core.sql_lists import chunks, select_in
from commonground.imports.bulk import concrete_field
from commonground.imports.engine import LoadCounts
from commonground.imports.models import ImportRun
from commonground.places.selectors import place_ids_for_postcodes

from . import identifiers as orgids
from .models import Identifier, IdentifierLink, Organisation, OtherName, SourceRecord, Status
from .place_links import place_links_write
from .records import OrganisationRecord, to_json
from .search.index import refresh_search_index, remove_from_search_index
from .search.normalise import normalise
from .search.semantic import embedding_text, embeddings_write
from .sectors import decide_sector


def linked_identifiers(values: Iterable[str]) -> dict[str, set[str]]:
    """Every published link touching these org-ids, both directions."""
    linked: dict[str, set[str]] = defaultdict(set)
    for a, b in select_in(
        f"SELECT org_id_a, org_id_b FROM {IdentifierLink._meta.db_table} "
        "WHERE org_id_a {IN} OR org_id_b {IN}",
        list(set(values)),
    ):
        linked[a].add(b)
        linked[b].add(a)
    return linked


def _owners(values: Iterable[str]) -> dict[str, int]:
    return dict(
        select_in(
            f"SELECT value, organisation_id FROM {Identifier._meta.db_table} WHERE value {{IN}}",
            list(set(values)),
        )
    )


def _existing_sources(dataset: str, keys: list[str]) -> dict[str, tuple[int, int, str]]:
    """record key -> (source record id, organisation id, checksum) for records already held."""
    return {
        key: (pk, org, checksum)
        for key, pk, org, checksum in select_in(
            "SELECT record_key, id, organisation_id, checksum "
            f"FROM {SourceRecord._meta.db_table} WHERE dataset = %s AND record_key {{IN}}",
            keys,
            before=[dataset],
        )
    }


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
    keys_by_dataset: dict[str, list[str]] = defaultdict(list)
    for r in records:
        keys_by_dataset[r.dataset].append(r.record_key)
    existing_sources = {
        (dataset, key): found
        for dataset, keys in keys_by_dataset.items()
        for key, found in _existing_sources(dataset, keys).items()
    }
    groups, group_orgs = _group_records(records, record_ids, owners, existing_sources)
    encoded = [record.encoded() for record in records]
    facts = [e[0] for e in encoded]
    target, new_groups = _target_organisations(groups, group_orgs, records, record_ids, facts)
    created = {target[root] for root in new_groups}
    run_id = run.pk if run is not None else None
    new_identifiers, new_sources, changed_sources, touched = _sort_sources(
        groups, target, records, record_ids, owners, existing_sources, encoded, run_id, counts
    )
    _write_sources(list(new_identifiers.values()), new_sources, changed_sources)
    organisation_refresh(touched - created)
    return counts


def _group_records(
    records: list[OrganisationRecord],
    record_ids: list[set[str]],
    owners: dict[str, int],
    existing_sources: dict[tuple[str, str], tuple[int, int, str]],
) -> tuple[dict[int, list[int]], dict[int, set[int]]]:
    """Group records that share an identifier (within the batch or with existing organisations).

    Returns group root -> record indexes, and group root -> the existing organisations it holds.
    """
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
        source_key = (records[index].dataset, records[index].record_key)
        if source_key in existing_sources:
            orgs.add(existing_sources[source_key][1])
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
    return groups, group_orgs


def _target_organisations(
    groups: dict[int, list[int]],
    group_orgs: dict[int, set[int]],
    records: list[OrganisationRecord],
    record_ids: list[set[str]],
    facts: list[dict[str, Any]],
) -> tuple[dict[int, int], list[int]]:
    """One target organisation per group: an existing one (merging any others) or a new one.

    A new organisation's facts come from this batch alone, so they are derived here, in
    memory, and written once, instead of being written, read back and refreshed.
    Returns group root -> organisation id, and the roots of the groups given new organisations.
    """
    target: dict[int, int] = {}
    new_groups: list[int] = []
    for root in groups:
        existing_orgs = sorted(group_orgs.get(root, ()))
        if existing_orgs:
            target[root] = existing_orgs[0]
            if len(existing_orgs) > 1:
                organisation_merge(existing_orgs[0], existing_orgs[1:])
        else:
            new_groups.append(root)
    if new_groups:
        target.update(_create_organisations(new_groups, groups, records, record_ids, facts))
    return target, new_groups


def _sort_sources(
    groups: dict[int, list[int]],
    target: dict[int, int],
    records: list[OrganisationRecord],
    record_ids: list[set[str]],
    owners: dict[str, int],
    existing_sources: dict[tuple[str, str], tuple[int, int, str]],
    encoded: list[tuple[dict[str, Any], str, str, str]],
    run_id: int | None,
    counts: LoadCounts,
) -> tuple[
    dict[str, tuple[int, str, str, str]], list[tuple[Any, ...]], list[tuple[Any, ...]], set[int]
]:
    """Sort each record into new, changed or unchanged, counting them in counts.

    Returns the identifiers to insert, the source rows to insert and to update, and the
    organisations whose facts need deriving again.
    """
    new_identifiers: dict[str, tuple[int, str, str, str]] = {}
    new_sources: list[tuple[Any, ...]] = []
    changed_sources: list[tuple[Any, ...]] = []
    touched: set[int] = set()  # existing organisations whose facts need deriving again
    for root, members in groups.items():
        org_id = target[root]
        for index in members:
            record = records[index]
            for value in record_ids[index]:
                if value not in owners and value not in new_identifiers:
                    scheme, local = orgids.split_org_id(value)
                    new_identifiers[value] = (org_id, value, scheme, local)
                    touched.add(org_id)
            _, raw_json, facts_json, checksum = encoded[index]
            existing = existing_sources.get((record.dataset, record.record_key))
            values = (
                org_id,
                raw_json,
                facts_json,
                checksum,
                run_id,
                record.row_number,
                record.file_name[:300],
            )
            if existing is None:
                new_sources.append((*values, record.dataset, record.record_key))
                counts.loaded += 1
                touched.add(org_id)
            elif existing[2] != checksum or existing[1] != org_id:
                changed_sources.append((*values, existing[0]))
                counts.updated += 1
                touched.add(org_id)
            else:
                counts.unchanged += 1
    return new_identifiers, new_sources, changed_sources, touched


def _write_sources(
    new_identifiers: list[tuple[int, str, str, str]],
    new_sources: list[tuple[Any, ...]],
    changed_sources: list[tuple[Any, ...]],
) -> None:
    """Insert the new identifiers and source records, and update the changed source records."""
    _executemany(
        "INSERT INTO organisations_identifier (organisation_id, value, scheme, local_id) "
        "VALUES (%s, %s, %s, %s)",
        new_identifiers,
    )
    json_value = _json_placeholder()
    _executemany(
        "INSERT INTO organisations_sourcerecord (organisation_id, raw, facts, checksum, "
        "import_run_id, row_number, file_name, dataset, record_key) "
        f"VALUES (%s, {json_value}, {json_value}, %s, %s, %s, %s, %s, %s)",
        new_sources,
    )
    _executemany(
        f"UPDATE organisations_sourcerecord SET organisation_id = %s, raw = {json_value}, "
        f"facts = {json_value}, checksum = %s, import_run_id = %s, row_number = %s, "
        "file_name = %s WHERE id = %s",
        changed_sources,
    )


def _create_organisations(
    roots: list[int],
    groups: dict[int, list[int]],
    records: list[OrganisationRecord],
    record_ids: list[set[str]],
    facts: list[dict[str, Any]],
) -> dict[int, int]:
    """Insert one fully derived organisation per group; returns group root -> new id."""
    postcodes = {
        facts[i]["postcode"] for root in roots for i in groups[root] if facts[i]["postcode"]
    }
    places = place_ids_for_postcodes(postcodes)
    rows: list[tuple[Any, ...]] = []
    names: dict[str, list[tuple[str, str]]] = {}
    root_by_org_id: dict[str, int] = {}
    facts_by_org_id: dict[str, list[dict[str, Any]]] = {}
    texts: dict[str, str] = {}
    for root in roots:
        members = groups[root]
        alone = records[members[0]].__dict__.get("_alone") if len(members) == 1 else None
        if alone is not None and record_ids[members[0]] == set(records[members[0]].identifiers):
            # Derived ahead by prepare_for_load, but for the place, which needs the database.
            values, other_names = alone
            row = _with_place(values, places)
            rows.append(row)
            names[row[_ORG_ID]] = other_names
            root_by_org_id[row[_ORG_ID]] = root
            facts_by_org_id[row[_ORG_ID]] = [
                {**facts[members[0]], "_dataset": records[members[0]].dataset}
            ]
            texts[row[_ORG_ID]] = _embedding_text(
                row[_NAME], row[_ACTIVITIES], facts_by_org_id[row[_ORG_ID]]
            )
            continue
        group_facts = sorted(
            ({**facts[i], "_dataset": records[i].dataset} for i in members),
            key=_fact_order,
        )
        identifiers = sorted(set().union(*(record_ids[i] for i in members)))
        derived, other_names = _derive(group_facts, identifiers, places)
        rows.append(_db_values(derived))
        names[derived["org_id"]] = other_names
        root_by_org_id[derived["org_id"]] = root
        facts_by_org_id[derived["org_id"]] = group_facts
        texts[derived["org_id"]] = _embedding_text(
            derived["name"], derived["activities"], group_facts
        )
    pks = _insert_organisations(rows)
    _executemany(
        "INSERT INTO organisations_othername (organisation_id, name, source) VALUES (%s, %s, %s)",
        [
            (pks[org_id], name, source)
            for org_id, org_names in names.items()
            for name, source in org_names
        ],
    )
    place_links_write({pks[org_id]: found for org_id, found in facts_by_org_id.items()})
    embeddings_write({pks[org_id]: text for org_id, text in texts.items()})
    refresh_search_index(sorted(pks.values()))
    return {root_by_org_id[org_id]: pk for org_id, pk in pks.items()}


def _with_place(values: tuple[Any, ...], places: dict[str, Any]) -> tuple[Any, ...]:
    """A row derived ahead by prepare_for_load, with its postcode's local authority and ward."""
    row = list(values)
    local_authority, ward, latitude, longitude = places.get(
        row[_POSTCODE], (None, None, None, None)
    )
    row[_LOCAL_AUTHORITY], row[_WARD] = local_authority, ward
    if latitude is not None and longitude is not None:
        row[_LATITUDE], row[_LONGITUDE] = latitude, longitude
    return tuple(row)


def _insert_organisations(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Insert the organisation rows in chunks; returns org_id -> new id."""
    columns = ", ".join([*(_COLUMNS[f] for f in DERIVED_FIELDS), "updated_at"])
    json_value = _json_placeholder()
    marks = (
        "("
        + ", ".join(
            [json_value if f == "sector_evidence" else "%s" for f in DERIVED_FIELDS] + ["%s"]
        )
        + ")"
    )
    now = timezone.now()
    pks: dict[str, int] = {}
    with connection.cursor() as cursor:
        for chunk in chunks(rows, 400):
            cursor.execute(
                f"INSERT INTO organisations_organisation ({columns}) "
                f"VALUES {', '.join([marks] * len(chunk))} RETURNING id, org_id",
                [value for row in chunk for value in (*row, now)],
            )
            # Matched by org_id (unique), not by position: RETURNING promises no order.
            pks.update((org_id, pk) for pk, org_id in cursor.fetchall())
    return pks


def prepare_for_load(record: OrganisationRecord) -> None:
    """Work out ahead, without the database, what loading the record will need: its JSON and
    checksum, and the organisation it would make on its own (all but the place, which needs
    the Postcode table). An import's worker process calls this, off the writing process's core;
    organisations_upsert uses it when the record does turn out to be a new organisation alone.
    """
    record.keep_encoded()
    record.__dict__["_alone"] = derive_alone(
        {**record.encoded()[0], "_dataset": record.dataset}, record.identifiers
    )


def derive_alone(
    facts: dict[str, Any], identifiers: Iterable[str]
) -> tuple[tuple[Any, ...], list[tuple[str, str]]]:
    """The organisation one record's facts (with `_dataset`) make on their own, as database
    values without the place (`_with_place` adds it), and its other names."""
    derived, other_names = _derive([facts], sorted(set(identifiers)), {})
    return _db_values(derived), other_names


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
            assert owner is not None
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
    for chunk in chunks(ids, 500):
        _refresh_chunk(chunk)


def _refresh_chunk(ids: list[int]) -> None:
    facts_by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for org_id, dataset, facts in (
        SourceRecord.objects.filter(organisation_id__in=ids)
        .order_by("pk")
        .values_list("organisation_id", "dataset", "facts")
    ):
        facts_by_org[org_id].append({**facts, "_dataset": dataset})
    identifiers_by_org: dict[int, list[str]] = defaultdict(list)
    for org_id, value in Identifier.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "value"
    ):
        identifiers_by_org[org_id].append(value)
    attnames = [_ATTNAMES[f] for f in DERIVED_FIELDS]
    current = {
        row[0]: row[1:]
        for row in Organisation.objects.filter(pk__in=ids).values_list("pk", *attnames)
    }
    names_now: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for org_id, name, source in (
        OtherName.objects.filter(organisation_id__in=ids)
        .order_by("pk")
        .values_list("organisation_id", "name", "source")
    ):
        names_now[org_id].append((name, source))
    postcodes = {
        f["postcode"] for facts in facts_by_org.values() for f in facts if f.get("postcode")
    }
    places = place_ids_for_postcodes(postcodes)

    updates: list[tuple[Any, ...]] = []
    texts: dict[int, str] = {}
    renamed: list[int] = []
    new_names: list[tuple[int, str, str]] = []
    now = timezone.now()
    for pk, row in current.items():
        facts = sorted(facts_by_org.get(pk, []), key=_fact_order)
        if not facts:
            continue
        identifiers = identifiers_by_org.get(pk) or [row[DERIVED_FIELDS.index("org_id")]]
        derived, other_names = _derive(facts, identifiers, places)
        texts[pk] = _embedding_text(derived["name"], derived["activities"], facts)
        values = _db_values(derived)
        # Unchanged organisations are left alone: no write, no re-indexing.
        if _comparable(values) != _comparable(row):
            updates.append((*values, now, pk))
        if other_names != names_now.get(pk, []):
            renamed.append(pk)
            new_names.extend((pk, name, source) for name, source in other_names)
    assignments = ", ".join(
        f"{_COLUMNS[f]} = {_json_placeholder() if f == 'sector_evidence' else '%s'}"
        for f in DERIVED_FIELDS
    )
    _executemany(
        f"UPDATE organisations_organisation SET {assignments}, updated_at = %s WHERE id = %s",
        updates,
    )
    if renamed:
        OtherName.objects.filter(organisation_id__in=renamed).delete()
        _executemany(
            "INSERT INTO organisations_othername (organisation_id, name, source) "
            "VALUES (%s, %s, %s)",
            new_names,
        )
    relinked = place_links_write({pk: facts_by_org.get(pk, []) for pk in current})
    embeddings_write(texts)
    refresh_search_index(sorted({u[-1] for u in updates} | set(renamed) | relinked))


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
_ATTNAMES = {f: concrete_field(Organisation, f).attname for f in DERIVED_FIELDS}
_COLUMNS = {f: str(concrete_field(Organisation, f).column) for f in DERIVED_FIELDS}
_DATE_FIELDS = {"date_registered", "date_removed", "latest_income_date"}
_ORG_ID, _NAME, _ACTIVITIES = (DERIVED_FIELDS.index(f) for f in ("org_id", "name", "activities"))
_POSTCODE, _LOCAL_AUTHORITY, _WARD, _LATITUDE, _LONGITUDE = (
    DERIVED_FIELDS.index(f)
    for f in ("postcode", "local_authority", "ward", "latitude", "longitude")
)


def _embedding_text(name: str, activities: str, facts: list[dict[str, Any]]) -> str:
    classifications = [c for f in facts for c in f.get("classifications") or []]
    return embedding_text(name or "", activities or "", classifications)


def _fact_order(facts: dict[str, Any]) -> tuple[int, str]:
    return facts["priority"], facts["_dataset"]


def _first(facts: list[dict[str, Any]], key: str) -> Any:
    return next((f[key] for f in facts if f.get(key)), None)


def _derive(
    facts: list[dict[str, Any]],
    identifiers: list[str],
    places: dict[str, tuple[int | None, int | None, float | None, float | None]],
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """An organisation's derived fields, and its other names (name, source), from its records'
    facts in priority order. The one place these rules live, for new and existing organisations.
    """
    best = facts[0]
    derived: dict[str, Any] = {}
    derived["org_id"] = orgids.preferred(identifiers)
    derived["name"] = best["name"][:500]
    evidence = [
        {**claim, "source": f["_dataset"], "register": f.get("register", "")}
        for f in facts
        for claim in f.get("sector_claims", [])
    ]
    derived["sector"] = decide_sector(evidence)
    derived["sector_evidence"] = evidence
    derived["legal_form"] = (_first(facts, "legal_form") or "")[:200]
    derived["status"] = best.get("status") or Status.UNKNOWN.value
    derived["date_registered"] = _first(facts, "date_registered")
    derived["date_removed"] = best.get("date_removed")
    derived["address"] = _first(facts, "address") or ""
    postcode = _first(facts, "postcode") or ""
    derived["postcode"] = postcode
    local_authority, ward, latitude, longitude = places.get(postcode, (None, None, None, None))
    if latitude is None or longitude is None:
        # No known postcode: the register's own coordinates, if it gives any.
        located = next(
            (f for f in facts if f.get("latitude") is not None and f.get("longitude") is not None),
            None,
        )
        if located is not None:
            latitude, longitude = located["latitude"], located["longitude"]
    derived["local_authority"], derived["ward"] = local_authority, ward
    derived["latitude"], derived["longitude"] = latitude, longitude
    derived["activities"] = _first(facts, "activities") or ""
    derived["website"] = (_first(facts, "website") or "")[:500]
    with_income = [f for f in facts if f.get("latest_income_pence") is not None]
    if with_income:
        latest = max(with_income, key=lambda f: (f.get("latest_income_date") or "", -f["priority"]))
        derived["latest_income_pence"] = latest["latest_income_pence"]
        derived["latest_income_date"] = latest.get("latest_income_date")
        derived["latest_income_source"] = latest["_dataset"]
    else:
        derived["latest_income_pence"] = derived["latest_income_date"] = None
        derived["latest_income_source"] = ""
    seen = {derived["name"].casefold()}
    names: list[str] = []
    other_names: list[tuple[str, str]] = []
    for f in facts:
        for name in [f["name"], *f.get("other_names", [])]:
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
                other_names.append((name[:500], f["_dataset"]))
    derived["search_name"] = normalise(derived["name"])
    derived["search_other"] = normalise(" ".join(names))
    return derived, other_names


def _db_values(derived: dict[str, Any]) -> tuple[Any, ...]:
    """Derived fields as database parameters, in DERIVED_FIELDS order."""
    values = []
    for f in DERIVED_FIELDS:
        value = derived[f]
        if f == "sector_evidence":
            value = _json(value)
        elif f in _DATE_FIELDS and isinstance(value, date):
            value = value.isoformat()
        values.append(value)
    return tuple(values)


def _comparable(values: Iterable[Any]) -> tuple[Any, ...]:
    """Database values and derived values in one form, to tell whether anything changed."""
    out = []
    for f, value in zip(DERIVED_FIELDS, values, strict=True):
        if f == "sector_evidence" and isinstance(value, str):
            value = json.loads(value)
        elif f in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        out.append(value)
    return tuple(out)


def _json(value: Any) -> str:
    return to_json(value)


def _json_placeholder() -> str:
    # psycopg sends a str as text; PostgreSQL needs it cast to jsonb.
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def _executemany(sql: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        for chunk in chunks(rows, 5000):
            cursor.executemany(sql, chunk)
