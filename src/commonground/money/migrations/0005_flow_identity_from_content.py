"""Flows are keyed by their content, across the whole ledger (ADR 0030).

Spend lines were keyed by their file's name, transaction number and place in the file, so a
renamed copy of a file loaded again; grants and contract awards were unique only within their
dataset code, so one file imported under two codes counted twice. Here every spend line gets
its content key (identity.spend_key: the council, the line's facts and its occurrence number
among identical lines of its file) and the checksum a new import computes for it, a grant
without a registered 360Giving prefix is qualified by its funder, and a flow whose key another
flow already holds (the second copy of a file, or of a dataset) is deleted: it counted twice.
Identical lines of one file all stay: each is a payment. Irreversible, as deletions are.
"""

from collections import defaultdict
from typing import Any

from django.db import migrations

from commonground.money.identity import (
    GIVING_PREFIX,
    grant_key,
    spend_digest,
    spend_key,
    spend_publisher,
)
from commonground.money.records import FlowRecord, PartyRecord, normalise_name
from commonground.money.spend_layouts import layouts

_LAYOUT_PLACES = {layout.dataset: layout.place_gss for layout in layouts().values()}

SPEND_COLUMNS = (
    "pk", "dataset", "file_name", "row_number", "payer_name", "payer_key", "payer_identifiers",
    "recipient_name", "recipient_key", "recipient_identifiers", "recipient_postcode",
    "recipient_link_method", "amount_pence", "currency", "date", "purpose", "category",
    "attributes", "place__gss_code",
)  # fmt: skip


def _spend_record(row: dict[str, Any], key: str) -> FlowRecord:
    return FlowRecord(
        dataset=row["dataset"],
        record_key=key,
        channel="spend",
        payer=PartyRecord(row["payer_name"], row["payer_key"], tuple(row["payer_identifiers"])),
        recipient=PartyRecord(
            row["recipient_name"],
            row["recipient_key"],
            tuple(row["recipient_identifiers"]),
            postcode=row["recipient_postcode"],
            redacted=row["recipient_link_method"] == "redacted",
        ),
        amount_pence=row["amount_pence"],
        date=row["date"],
        currency=row["currency"],
        purpose=row["purpose"],
        category=row["category"],
        # The place the import was given: the layout's for its dataset, else the flow's.
        place_gss=_LAYOUT_PLACES.get(row["dataset"]) or row["place__gss_code"] or "",
        attributes=row["attributes"] or {},
    )


def _rekey_spend(flows: Any) -> tuple[list[tuple[str, str, int]], list[int]]:
    """(new key, checksum, pk) for every spend flow, and the pks of second copies."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    rows = flows.filter(channel="spend").order_by("pk").values(*SPEND_COLUMNS)
    for row in rows.iterator(chunk_size=5000):
        publisher = spend_publisher(row["payer_identifiers"] or (), row["payer_name"])
        digest = spend_digest(
            row["date"],
            row["amount_pence"],
            row["recipient_name"],
            row["purpose"],
            row["category"],
            row["attributes"] or {},
        )
        groups[(publisher, digest)].append(row)
    updates: list[tuple[str, str, int]] = []
    copies: list[int] = []
    for (publisher, digest), members in groups.items():
        by_file: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in members:  # in pk order: the file imported first comes first
            by_file[(row["dataset"], row["file_name"])].append(row)
        taken: set[str] = set()
        for lines in by_file.values():
            lines.sort(key=lambda r: (r["row_number"] or 0, r["pk"]))
            for occurrence, row in enumerate(lines, start=1):
                key = spend_key(publisher, row["date"], digest, occurrence)
                if key in taken:
                    copies.append(row["pk"])
                    continue
                taken.add(key)
                record = _spend_record(row, key)
                updates.append((key, record.compute_checksum(), row["pk"]))
    return updates, copies


def _rekey_grants(flows: Any) -> list[tuple[str, int]]:
    updates = []
    rows = flows.filter(channel="grant").exclude(record_key__istartswith=GIVING_PREFIX)
    for pk, key, identifiers, name in rows.values_list(
        "pk", "record_key", "payer_identifiers", "payer_name"
    ):
        funder = (identifiers or [""])[0] or normalise_name(name)
        updates.append((grant_key(key, funder), pk))
    return updates


def forwards(apps: Any, schema_editor: Any) -> None:
    MoneyFlow = apps.get_model("money", "MoneyFlow")
    flows = MoneyFlow.objects.all()
    spend, copies = _rekey_spend(flows)
    grants = _rekey_grants(flows)
    table = schema_editor.quote_name(MoneyFlow._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(copies), 2000):
            chunk = copies[start : start + 2000]
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk
            )
        cursor.executemany(f"UPDATE {table} SET record_key = %s, checksum = %s WHERE id = %s", spend)
        cursor.executemany(f"UPDATE {table} SET record_key = %s WHERE id = %s", grants)
    # The same key under two dataset codes: the flow loaded first stays.
    seen: set[str] = set()
    doubles = []
    for pk, key in flows.order_by("pk").values_list("pk", "record_key").iterator(chunk_size=5000):
        if key in seen:
            doubles.append(pk)
        seen.add(key)
    for start in range(0, len(doubles), 2000):
        MoneyFlow.objects.filter(pk__in=doubles[start : start + 2000]).delete()


class Migration(migrations.Migration):
    dependencies = [("money", "0004_fk_indexes_led_by_composite_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
