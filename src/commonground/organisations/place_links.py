"""Writing an organisation's place links from its source records (ADR 0022).

Called by the organisation services whenever an organisation's facts are derived, before the
search index is refreshed (the index holds the places an organisation works in). Idempotent:
a link already held is kept as it is (with the date it was first seen); a derived link no
longer supported by any record goes; links members declared are never touched here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from commonground.core.sql_lists import SQLITE_CHUNK, chunks

from .coverage import DerivedLink, works_in_links
from .models import PlaceLink, PlaceRelation

DECLARED = "declared"


def place_links_write(facts_by_org: dict[int, list[dict[str, Any]]]) -> set[int]:
    """Make the derived works-in links of these organisations agree with their facts.

    Returns the organisations whose links changed."""
    ids = sorted(facts_by_org)
    if not ids:
        return set()
    held: dict[tuple[int, str, str], int] = {}
    for chunk in chunks(ids, SQLITE_CHUNK):
        for pk, org, code, source in (
            PlaceLink.objects.filter(organisation_id__in=chunk, relation=PlaceRelation.WORKS_IN)
            .exclude(source=DECLARED)
            .values_list("pk", "organisation_id", "gss_code", "source")
        ):
            held[(org, code, source)] = pk
    wanted: dict[tuple[int, str, str], DerivedLink] = {}
    for org, facts in facts_by_org.items():
        for link in works_in_links(facts):
            wanted[(org, link.gss_code, link.source)] = link
    gone = [pk for key, pk in held.items() if key not in wanted]
    new = [(key[0], link) for key, link in wanted.items() if key not in held]
    changed = {key[0] for key in held if key not in wanted} | {org for org, _ in new}
    for chunk in chunks(gone, SQLITE_CHUNK):
        PlaceLink.objects.filter(pk__in=chunk).delete()
    today = date.today().isoformat()
    rows = [
        (
            org,
            PlaceRelation.WORKS_IN.value,
            link.gss_code,
            link.place_name[:200],
            link.coverage,
            link.source,
            link.evidence[:400],
            link.as_of or today,
        )
        for org, link in new
    ]
    if rows:
        with connection.cursor() as cursor:
            for chunk in chunks(rows, 5000):
                cursor.executemany(
                    f"INSERT INTO {PlaceLink._meta.db_table} (organisation_id, relation, "
                    "gss_code, place_name, coverage, source, evidence, as_of) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    chunk,
                )
    return changed
