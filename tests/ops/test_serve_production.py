"""`make serve-production`: gunicorn, production settings, WhiteNoise static files."""

from __future__ import annotations

import http.client
import json

import pytest

from tests.ops.servers import database_url_for_subprocess, get, production_server


@pytest.mark.django_db(transaction=True)
def test_production_server_checks_its_database_serves_hashed_static_files_and_sends_pages_to_https(
    tmp_path,
):
    with production_server(tmp_path, database_url_for_subprocess(tmp_path)) as url:
        health = get(f"{url}/healthz")
        assert health.status == 200
        assert json.loads(health.read()) == {"status": "ok", "database": "ok"}

        manifest = json.loads((tmp_path / "var" / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["web/commonground.css"]
        assert hashed != "web/commonground.css"  # the name carries the content's hash
        # Behind the TLS-terminating proxy the production settings expect.
        static = get(
            f"{url}/static/{hashed}",
            headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
        )
        assert static.status == 200
        assert "immutable" in static.headers["Cache-Control"]
        max_age = int(static.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age >= 365 * 24 * 3600
        assert static.headers["Content-Encoding"] == "gzip"

        # Pages over plain http are sent to https (only /healthz is exempt, for load balancers).
        connection = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]))
        connection.request("GET", "/organisations/")
        page = connection.getresponse()
        assert page.status == 301
        assert (
            page.headers["Location"] == f"https://127.0.0.1:{url.rsplit(':', 1)[1]}/organisations/"
        )
