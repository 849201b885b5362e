"""/healthz tells a load balancer whether the app is up and can reach its database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

ASK_HEALTHZ = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps([response.status_code, response.json()]))
"""


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer() -> None:
    # A fresh process whose database is a PostgreSQL port nothing listens on.
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="commonground.config.settings.test",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nothing_here",
        PYTHONPATH=str(PROJECT / "src"),
    )
    result = subprocess.run(
        [sys.executable, "-c", ASK_HEALTHZ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {"status": "error", "database": "unavailable"}
