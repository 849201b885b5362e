"""The production server keeps its database connections between requests, and one the database
has dropped (a restart, a failover) is replaced before it is used: no request fails for it."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.ops.servers import database_url_for_subprocess, get, production_server


def _drop_the_servers_connections() -> int:
    """What a database restart does to the server's connections; how many there were."""
    if connection.vendor != "postgresql":
        return 0  # SQLite has no server: a file is opened, there is nothing to drop
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_replaced_without_a_failed_request(tmp_path) -> None:
    with production_server(tmp_path, database_url_for_subprocess(tmp_path)) as url:
        for _ in range(4):  # each worker answers and keeps its connection
            assert get(f"{url}/healthz").status == 200

        dropped = _drop_the_servers_connections()
        if connection.vendor == "postgresql":
            # Kept between requests: with a new connection for each request there would be none.
            assert dropped >= 1

        # /healthz runs a query on the worker's connection, and answers 503 if it fails.
        for _ in range(8):
            health = get(f"{url}/healthz")
            assert health.status == 200
            assert json.loads(health.read()) == {"status": "ok", "database": "ok"}
