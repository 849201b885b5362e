"""The search index survives its migrations: a database made before migration 0003 keeps
finding its organisations, by text and by place, once migrated (and after going back)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commonground.organisations.models import Organisation
from commonground.organisations.search.index import FTS_TABLE
from commonground.organisations.selectors import SearchParams, search_organisations
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db(transaction=True)  # migrations cannot run in a transaction

BEFORE = [("organisations", "0002_search_index")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    # Every app's latest migration, not only organisations': going back to 0002 also unapplies
    # other apps' migrations that depend on later ones, and the tests after this need them.
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _organisation(name: str, authority: Place | None, ward: Place | None, number: int) -> int:
    org = Organisation.objects.create(
        org_id=f"GB-CHC-{number}",
        name=name,
        search_name=name.lower(),
        local_authority=authority,
        ward=ward,
    )
    return org.pk


def test_existing_organisations_are_found_by_place_after_the_index_is_rebuilt() -> None:
    trafford = Place.objects.create(
        gss_code="E08000009", name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY
    )
    urmston = Place.objects.create(
        gss_code="E05015259", name="Urmston", kind=PlaceKind.WARD, parent=trafford
    )
    latest = _latest()
    try:
        _migrate(BEFORE)
        # Rows as an older version left them, indexed by the older index (SQLite) or its
        # vector (PostgreSQL).
        _organisation("Urmston Riverside Trust", trafford, urmston, 1)
        _organisation("Urmston Lantern Trust", None, urmston, 2)
        _organisation("Urmston Elsewhere Trust", None, None, 3)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, name, other_names, activities) "
                    "SELECT id, search_name, search_other, activities "
                    "FROM organisations_organisation"
                )
        else:
            with connection.cursor() as cursor:  # the vector before it held place tokens
                cursor.execute(
                    "UPDATE organisations_organisation SET search_vector = "
                    "setweight(to_tsvector('simple', search_name), 'A') || "
                    "setweight(to_tsvector('simple', search_other), 'B') || "
                    "setweight(to_tsvector('simple', activities), 'C')"
                )

        _migrate(latest)

        def found(place: Place | None) -> list[str]:
            result = search_organisations(SearchParams(text="urmston trust", place=place))
            return sorted(o.name for o in result.organisations)

        assert found(None) == [
            "Urmston Elsewhere Trust",
            "Urmston Lantern Trust",
            "Urmston Riverside Trust",
        ]
        assert found(trafford) == ["Urmston Lantern Trust", "Urmston Riverside Trust"]
        assert found(urmston) == ["Urmston Lantern Trust", "Urmston Riverside Trust"]

        _migrate(BEFORE)  # and back again: the older index is refilled too
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'urmston'")
                assert len(cursor.fetchall()) == 3
    finally:
        _migrate(latest)
        if connection.vendor == "sqlite":  # the flush after this test empties model tables only
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
