"""Writes to the money ledger: loading flows from an import, and applying organisation links.

Imports call `flows_upsert` batch by batch inside the import's transaction, then
`flows_link_dataset` once at the end; a reviewer's decision reaches the ledger through
`flows_apply_link_decision` (registered with the linkage in apps.py).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from commonground.core.bulk_insert import insert_rows
from commonground.imports.bulk import update_rows
from commonground.imports.engine import LoadCounts
from commonground.imports.models import ImportRun
from commonground.organisations.models import Organisation
from commonground.places.models import LocalAuthorityCode, Place, PlaceKind
from commonground.places.selectors import current_place_ids, place_ids_for_postcodes

from . import attribution as attr
from . import linking
from .models import LinkMethod, MoneyFlow
from .parsing import financial_year
from .party_places import recipient_places
from .records import FlowRecord, PartyRecord, encode_json

logger = logging.getLogger(__name__)

_FLOW_FIELDS = (
    "channel",
    "import_run",
    "file_name",
    "row_number",
    "json_path",
    "raw",
    "checksum",
    "payer_name",
    "payer_key",
    "payer_identifiers",
    "recipient_name",
    "recipient_key",
    "recipient_identifiers",
    "recipient_postcode",
    "amount_pence",
    "currency",
    "date",
    "financial_year",
    "purpose",
    "category",
    "place",
    "ward",
    "attributes",
)


def _resolve_places(records: list[FlowRecord]) -> tuple[dict[str, int], dict[str, Any]]:
    """Place code -> place id (GSS codes, and GB-LAE org-ids through the GB-LAE register), and
    postcode -> (la id, ward id, lat, lon), for one batch."""
    codes = {r.place_gss for r in records if r.place_gss} | {
        r.ward_gss for r in records if r.ward_gss
    }
    lae = {c for c in codes if c.upper().startswith("GB-LAE-")}
    lae_gss = {c: local_authority_gss_for_lae(c) for c in lae}
    ids = current_place_ids((codes - lae) | {g for g in lae_gss.values() if g})
    for code, gss in lae_gss.items():
        if gss in ids:
            ids[code] = ids[gss]
    postcodes = {r.recipient.postcode for r in records if r.recipient.postcode}
    postcodes |= {r.place_postcode for r in records if r.place_postcode}
    return ids, place_ids_for_postcodes(postcodes)


def _ward_parents(ward_ids: Iterable[int]) -> dict[int, int | None]:
    return dict(Place.objects.filter(pk__in=set(ward_ids)).values_list("pk", "parent_id"))


_UNRESOLVED_PAYER = (None, LinkMethod.UNRESOLVED.value)


# A changed flow's fields that flows_upsert writes.
_UPDATED_FIELDS = [
    *_FLOW_FIELDS,
    "recipient_organisation",
    "recipient_link_method",
    "recipient_sector",
    "recipient_local_authority",
    "recipient_form_rule",
    "recipient_attribution",
    "payer_organisation",
    "payer_link_method",
]


def flows_upsert(
    records: list[FlowRecord],
    run: ImportRun,
    touched: set[str] | None = None,
    *,
    new_dataset: bool = False,
    expected_payers: dict[str, tuple[Any, ...]] | None = None,
    elsewhere: Counter[str] | None = None,
) -> LoadCounts:
    """Create new flows, update changed ones, leave unchanged ones alone (idempotent).

    The party keys of new and changed flows are added to `touched`: those need linking.
    `new_dataset` says the dataset had no flows when this import began (and the engine refuses
    repeated record keys), so there are none to look up.

    With `expected_payers` (payer key -> link values, as link_values gives them), new flows are
    written as linking is expected to leave them: recipients unresolved (the commonest outcome),
    payers as given, else unresolved. Linking then rewrites only the flows whose outcome
    differs. Only for an import that links every new flow's parties before it commits
    (flows_link_dataset with the touched keys): until then the values are a guess.

    A flow's record key is its identity across the whole ledger (identity.py): a record whose
    flow was loaded under another dataset code is compared as that dataset's record, and the
    flow stays there; `elsewhere` counts such records by the dataset that holds them."""
    counts = LoadCounts()
    if not records:
        return counts
    places, postcodes = _resolve_places(records)
    for record in records:
        record.checksum = record.checksum or record.compute_checksum()
    unchanged: set[str] = set()
    existing: dict[str, MoneyFlow] = {}
    if not new_dataset:
        unchanged, existing = _existing_flows(records, elsewhere)
    ward_of = _flow_wards(records, places, postcodes)
    parents = _ward_parents(w for w in ward_of.values() if w is not None)
    to_create: list[list[Any]] = []
    to_update: list[MoneyFlow] = []
    run_id = run.pk
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    unresolved_method = LinkMethod.UNRESOLVED.value
    at = _insert_layout().at
    at_run, at_place, at_ward, at_time = (
        at["import_run_id"],
        at["place_id"],
        at["ward_id"],
        at["updated_at"],
    )
    at_payer, at_payer_method = at["payer_organisation_id"], at["payer_link_method"]
    at_recipient_method = at["recipient_link_method"]
    for record in records:
        if record.record_key in unchanged:
            counts.unchanged += 1
            continue
        flow = existing.get(record.record_key)
        if touched is not None:
            touched.update((record.payer.key, record.recipient.key))
        ward_id = ward_of[record.record_key]
        place_id = _flow_place(record, ward_id, places, postcodes, parents)
        if flow is None:
            row = flow_insert_row(record)
            row[at_run], row[at_place], row[at_ward], row[at_time] = run_id, place_id, ward_id, now
            if expected_payers is not None:
                payer = expected_payers.get(record.payer.key, _UNRESOLVED_PAYER)
                row[at_payer], row[at_payer_method] = payer
                if not record.recipient.redacted:
                    row[at_recipient_method] = unresolved_method
            to_create.append(row)
            continue
        _update_flow(flow, record, run_id, place_id, ward_id)
        to_update.append(flow)
    _insert_flows(to_create)
    update_rows(to_update, _UPDATED_FIELDS)
    counts.loaded += len(to_create)
    counts.updated += len(to_update)
    return counts


def _flow_wards(
    records: list[FlowRecord], places: dict[str, int], postcodes: dict[str, Any]
) -> dict[str, int | None]:
    """Record key -> ward id: the record's ward code, else its recipient's postcode's ward."""
    ward_of: dict[str, int | None] = {}
    for record in records:
        ward_id = places.get(record.ward_gss) if record.ward_gss else None
        if ward_id is None and record.recipient.postcode in postcodes:
            ward_id = postcodes[record.recipient.postcode][1]
        ward_of[record.record_key] = ward_id
    return ward_of


def _flow_place(
    record: FlowRecord,
    ward_id: int | None,
    places: dict[str, int],
    postcodes: dict[str, Any],
    parents: dict[int, int | None],
) -> int | None:
    """A flow's place: its place code, its place postcode, its ward's district, else its
    recipient's postcode's district."""
    place_id = places.get(record.place_gss) if record.place_gss else None
    if place_id is None and record.place_postcode in postcodes:
        place_id = postcodes[record.place_postcode][0]
    if place_id is None and ward_id is not None:
        place_id = parents.get(ward_id)
    if place_id is None and record.recipient.postcode in postcodes:
        place_id = postcodes[record.recipient.postcode][0]
    return place_id


def _record_fields(record: FlowRecord, *, encoded: bool) -> dict[str, Any]:
    """A flow's fields that come from its record alone: where it was read, the payer, the
    recipient, the amount, the date and what it was for. Both ways of writing a flow use them:
    `encoded`, JSON columns as compact text for the bulk INSERT (flow_insert_row); otherwise as
    Python values for a changed flow's update (_update_flow)."""
    payer, recipient = record.payer, record.recipient
    if encoded:
        raw: Any = record.raw_json or encode_json(record.raw)
        attributes: Any = record.attributes_json or encode_json(record.attributes)
        payer_ids: Any = _identifiers_json(tuple(payer.identifiers))
        recipient_ids: Any = _identifiers_json(tuple(recipient.identifiers))
    else:
        raw, attributes = record.raw_record(), record.attributes
        payer_ids, recipient_ids = list(payer.identifiers), list(recipient.identifiers)
    return {
        "channel": record.channel,
        "file_name": record.file_name[:300],
        "row_number": record.row_number,
        "json_path": record.json_path[:200],
        "raw": raw,
        "checksum": record.checksum or record.compute_checksum(),
        "payer_name": payer.name[:500],
        "payer_key": payer.key[:300],
        "payer_identifiers": payer_ids,
        "recipient_name": recipient.name[:500],
        "recipient_key": recipient.key[:300],
        "recipient_identifiers": recipient_ids,
        "recipient_postcode": recipient.postcode[:8],
        "amount_pence": record.amount_pence,
        "currency": record.currency,
        "date": record.date,
        "financial_year": financial_year(record.date),
        "purpose": record.purpose,
        "category": record.category[:300],
        "attributes": attributes,
    }


def _update_flow(
    flow: MoneyFlow, record: FlowRecord, run_id: int, place_id: int | None, ward_id: int | None
) -> None:
    """Rewrite a changed flow from its record, clearing links to a party that changed."""
    values = {
        **_record_fields(record, encoded=False),
        "import_run_id": run_id,
        "place_id": place_id,
        "ward_id": ward_id,
    }
    if flow.recipient_key != record.recipient.key:
        _clear_recipient_link(flow)
    if flow.payer_key != record.payer.key:
        flow.payer_organisation_id = None
        flow.payer_link_method = LinkMethod.NOT_LINKED_YET
    for name, value in values.items():
        setattr(flow, name, value)
    if record.recipient.redacted:
        _clear_recipient_link(flow)
        flow.recipient_link_method = LinkMethod.REDACTED
    redacted = record.recipient.redacted
    flow.recipient_form_rule = attr.form_rule_code(flow.recipient_name, redacted)
    flow.recipient_attribution = attr.level(
        attr.is_linked(flow.recipient_organisation_id, flow.recipient_link_method),
        flow.recipient_form_rule,
    )


@dataclass(frozen=True)
class _InsertLayout:
    """The columns a new flow's INSERT writes (all but the id) in order, where each one is,
    and their defaults."""

    fields: list[models.Field[Any, Any]]
    at: dict[str, int]
    defaults: tuple[Any, ...]


@cache
def _insert_layout() -> _InsertLayout:
    fields = [f for f in MoneyFlow._meta.concrete_fields if not f.primary_key]
    return _InsertLayout(
        fields=fields,
        at={f.attname: position for position, f in enumerate(fields)},
        defaults=tuple(
            encode_json(f.get_default()) if isinstance(f, models.JSONField) else f.get_default()
            for f in fields
        ),
    )


def flow_insert_row(record: FlowRecord) -> list[Any]:
    """A new flow's row as INSERT writes it, in column order, from the record alone. Its places,
    import run, links and time are filled in by flows_upsert."""
    recipient = record.recipient
    form_rule = attr.form_rule_code(recipient.name[:500], recipient.redacted)
    given = {
        **_record_fields(record, encoded=True),
        "dataset": record.dataset,
        "record_key": record.record_key,
        "recipient_link_method": LinkMethod.REDACTED.value if recipient.redacted else "",
        "recipient_form_rule": form_rule,
        "recipient_attribution": attr.level(False, form_rule),
    }
    layout = _insert_layout()
    row = list(layout.defaults)
    for name, value in given.items():
        row[layout.at[name]] = value
    return row


def _insert_flows(rows: list[list[Any]]) -> None:
    """INSERT new flows, given as rows in column order (flow_insert_row): building model
    instances and bulk_create's per-value preparation cost more than the database at hundreds
    of thousands of rows. JSON is written as compact text. PostgreSQL takes the rows by COPY,
    SQLite by one executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [quote(str(f.column)) for f in _insert_layout().fields]
    insert_rows(quote(MoneyFlow._meta.db_table), columns, rows)


@lru_cache(maxsize=4096)  # most parties have none, a payer the same few on every flow
def _identifiers_json(identifiers: tuple[str, ...]) -> str:
    return encode_json(list(identifiers))


def _existing_flows(
    records: list[FlowRecord], elsewhere: Counter[str] | None
) -> tuple[set[str], dict[str, MoneyFlow]]:
    """The keys of these records whose flows are unchanged, and the flows that changed. Keys
    and checksums are read first, and only changed flows are loaded whole: a re-import is
    mostly unchanged. Keys are looked up in every dataset: a record already loaded under
    another dataset code is moved to it (records.FlowRecord.move_to) before it is compared."""
    table = connection.ops.quote_name(MoneyFlow._meta.db_table)
    by_key = {r.record_key: r for r in records}
    keys = list(by_key)
    unchanged: set[str] = set()
    changed: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            cursor.execute(
                f"SELECT record_key, id, checksum, dataset FROM {table} "
                f"WHERE record_key IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for key, pk, checksum, dataset in cursor.fetchall():
                record = by_key[key]
                if dataset != record.dataset:
                    record.move_to(dataset)
                    if elsewhere is not None:
                        elsewhere[dataset] += 1
                if checksum == record.checksum:
                    unchanged.add(key)
                else:
                    changed.append(pk)
    flows: dict[str, MoneyFlow] = {}
    for start in range(0, len(changed), 2000):
        for flow in MoneyFlow.objects.filter(pk__in=changed[start : start + 2000]).defer("raw"):
            flows[flow.record_key] = flow
    return unchanged, flows


def _clear_recipient_link(flow: MoneyFlow) -> None:
    flow.recipient_organisation_id = None
    flow.recipient_link_method = LinkMethod.NOT_LINKED_YET
    flow.recipient_sector = ""
    flow.recipient_local_authority_id = None


# Linking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyLink:
    key: str
    organisation_id: int | None
    method: str


def _parties_of(dataset: str, side: str, keys: set[str] | None) -> list[PartyRecord]:
    """The distinct parties on one side (payer or recipient) of a dataset's flows."""
    seen: dict[str, PartyRecord] = {}
    flows = MoneyFlow.objects.filter(dataset=dataset)
    if keys is not None:
        flows = flows.filter(**{f"{side}_key__in": sorted(keys)})
    if side == "recipient":
        flows = flows.exclude(recipient_link_method=LinkMethod.REDACTED)
    rows = flows.values_list(f"{side}_key", f"{side}_name", f"{side}_identifiers").order_by()
    postcodes: dict[str, str] = {}
    places: dict[str, tuple[str, ...]] = {}
    if side == "recipient":
        postcodes = dict(
            flows.exclude(recipient_postcode="")
            .values_list("recipient_key", "recipient_postcode")
            .order_by()
        )
        places = recipient_places(dataset, keys)
    for key, name, identifiers in rows.distinct():
        if key in seen:
            merged = tuple(dict.fromkeys([*seen[key].identifiers, *(identifiers or [])]))
            seen[key] = replace(seen[key], identifiers=merged)
            continue
        seen[key] = PartyRecord(
            name=name,
            key=key,
            identifiers=tuple(identifiers or ()),
            postcode=postcodes.get(key, ""),
            places=places.get(key, ()),
        )
    return list(seen.values())


def flows_link_dataset(dataset: str, keys: set[str] | None = None) -> dict[str, int]:
    """Link the payers and recipients of a dataset (those with these party keys, or all) to
    organisations; returns counts by method. Unchanged flows keep their links, so a re-import
    of the same file does no linking; `manage.py relink_money` re-links everything (after new
    registers are loaded)."""
    counts: dict[str, int] = {}
    if keys is not None and not keys:
        return counts
    for side in ("payer", "recipient"):
        parties = _parties_of(dataset, side, keys)
        if not parties:
            continue
        results = linking.link(parties, source=dataset)
        _apply_links(side, [PartyLink(r.key, r.organisation_id, r.method) for r in results])
        for result in results:
            counts[f"{side}:{result.method}"] = counts.get(f"{side}:{result.method}", 0) + 1
    return counts


def link_values(side: str, links: Iterable[PartyLink]) -> dict[str, tuple[Any, ...]]:
    """What each party's link writes onto its flows, by party key: payer (organisation id,
    method); recipient (organisation id, method, the organisation's sector and local authority).
    A link to an organisation that no longer exists is no link."""
    links = list(links)
    org_ids = {link.organisation_id for link in links if link.organisation_id is not None}
    facts = {
        pk: (sector, la)
        for pk, sector, la in Organisation.objects.filter(pk__in=org_ids).values_list(
            "pk", "sector", "local_authority_id"
        )
    }
    values: dict[str, tuple[Any, ...]] = {}
    for link in links:
        org = link.organisation_id if link.organisation_id in facts else None
        method = link.method if org is not None or link.method != "identifier" else "unresolved"
        if side == "recipient":
            sector, la = facts[org] if org is not None else ("", None)
            values[link.key] = (org, method, sector, la)
        else:
            values[link.key] = (org, method)
    return values


def _apply_links(side: str, links: list[PartyLink]) -> None:
    """Write each party's link onto its flows (those not already so), with the recipient's
    sector and place."""
    table = connection.ops.quote_name(MoneyFlow._meta.db_table)
    if side == "recipient":
        sql = (
            f"UPDATE {table} SET recipient_organisation_id = %s, recipient_link_method = %s, "
            "recipient_sector = %s, recipient_local_authority_id = %s, "
            f"recipient_attribution = CASE WHEN %s THEN '{attr.REGISTER}' "
            f"WHEN recipient_form_rule <> '' THEN '{attr.INFERRED}' ELSE '{attr.UNKNOWN}' END "
            "WHERE recipient_key = %s AND recipient_link_method <> %s AND NOT ("
            "recipient_organisation_id IS NOT DISTINCT FROM %s AND recipient_link_method = %s "
            "AND recipient_sector = %s "
            "AND recipient_local_authority_id IS NOT DISTINCT FROM %s)"
        )
    else:
        sql = (
            f"UPDATE {table} SET payer_organisation_id = %s, payer_link_method = %s "
            "WHERE payer_key = %s AND NOT (payer_organisation_id IS NOT DISTINCT FROM %s "
            "AND payer_link_method = %s)"
        )
    if connection.vendor == "sqlite":
        sql = sql.replace("IS NOT DISTINCT FROM", "IS")
    params: list[list[Any]] = []
    for key, value in link_values(side, links).items():
        if side == "recipient":
            linked = attr.is_linked(value[0], value[1])
            params.append([*value, linked, key, LinkMethod.REDACTED, *value])
        else:
            params.append([*value, key, *value])
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def flows_apply_link_decision(key: str, organisation_id: int | None) -> None:
    """A reviewer decided a party's link: every flow with that party key follows."""
    method = LinkMethod.REVIEW_ACCEPTED if organisation_id else LinkMethod.REVIEW_REJECTED
    link = PartyLink(key, organisation_id, method)
    if MoneyFlow.objects.filter(recipient_key=key).exists():
        _apply_links("recipient", [link])
    if MoneyFlow.objects.filter(payer_key=key).exists():
        _apply_links("payer", [link])


def flows_refresh_organisation_facts(organisation_ids: Iterable[int] | None = None) -> int:
    """Copy the linked organisations' current sector and place onto their flows."""
    flows = MoneyFlow.objects.exclude(recipient_organisation=None)
    if organisation_ids is not None:
        flows = flows.filter(recipient_organisation_id__in=list(organisation_ids))
    changed = 0
    for pk, sector, la in Organisation.objects.filter(
        pk__in=flows.values("recipient_organisation_id")
    ).values_list("pk", "sector", "local_authority_id"):
        changed += (
            flows.filter(recipient_organisation_id=pk)
            .filter(~Q(recipient_sector=sector) | ~Q(recipient_local_authority_id=la))
            .update(recipient_sector=sector, recipient_local_authority_id=la)
        )
    return changed


def local_authority_gss_for_lae(code: str) -> str:
    """GB-LAE-TRF -> E08000009 (via the GB-LAE register), or ''."""
    local = code.upper().removeprefix("GB-LAE-")
    found = (
        LocalAuthorityCode.objects.filter(code=local)
        .exclude(gss_code="")
        .values_list("gss_code", flat=True)
        .first()
    )
    return found or ""


def local_authority_ids() -> set[int]:
    return set(Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY).values_list("pk", flat=True))


# Attribution ----------------------------------------------------------------------------


def flows_attribute() -> dict[str, int]:
    """Bring each flow's stored form rule and attribution level in step with the rules and its
    link (ADR 0034): after the rules file changes, or a linked organisation was removed. Each
    distinct recipient name is judged once, and the rules reach the flows by one joined UPDATE
    a batch of names (a hash join, not a scan a name); only flows whose values differ are
    written. Returns how many flows changed, by field."""
    redacted = Q(recipient_link_method=LinkMethod.REDACTED)
    flows = MoneyFlow.objects.all()
    changed = {"recipient_form_rule": 0, "recipient_attribution": 0}
    changed["recipient_form_rule"] += (
        flows.filter(redacted)
        .exclude(recipient_form_rule=attr.WITHHELD_RULE)
        .update(recipient_form_rule=attr.WITHHELD_RULE)
    )
    names = list(flows.exclude(redacted).values_list("recipient_name", flat=True).distinct())
    pairs = [(name, attr.form_rule_code(name, False)) for name in names]
    changed["recipient_form_rule"] += set_form_rules(connection, pairs)
    linked = attr.linked_q()
    for level, which in (
        (attr.REGISTER, linked),
        (attr.INFERRED, ~linked & ~Q(recipient_form_rule="")),
        (attr.UNKNOWN, ~linked & Q(recipient_form_rule="")),
    ):
        changed["recipient_attribution"] += (
            flows.filter(which)
            .exclude(recipient_attribution=level)
            .update(recipient_attribution=level)
        )
    return changed


def set_form_rules(db: Any, pairs: list[tuple[str, str]], batch: int = 2000) -> int:
    """Set each (name, rule code) pair's rule on the flows so named whose rule differs (names
    the publisher withheld excepted); returns how many flows changed. Also used by migration
    money 0008."""
    table = db.ops.quote_name(MoneyFlow._meta.db_table)
    changed = 0
    with db.cursor() as cursor:
        for start in range(0, len(pairs), batch):
            chunk = pairs[start : start + batch]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                # VALUES columns are column1 (the name) and column2 (the rule's code) in both
                # databases.
                f"UPDATE {table} SET recipient_form_rule = rules.column2 "
                f"FROM (VALUES {values}) AS rules "
                f"WHERE {table}.recipient_name = rules.column1 "
                f"AND {table}.recipient_form_rule <> rules.column2 "
                f"AND {table}.recipient_link_method <> %s",
                [value for pair in chunk for value in pair] + [LinkMethod.REDACTED.value],
            )
            changed += max(cursor.rowcount, 0)
    return changed
