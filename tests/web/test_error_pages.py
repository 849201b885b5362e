"""The demo (`make demo`, the local settings) runs as production does: DEBUG off, so a missing
page is a plain 404 that lists no URL patterns (issue 20), and static files still load through
WhiteNoise. Only a developer who asks (COMMONGROUND_DEBUG=true) gets Django's debug pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Asks the demo's own settings for a missing page and a stylesheet, as a browser would.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")  # the address make demo serves on
missing = client.get("/no-such-page/")
css = client.get("/static/web/commonground.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "demo_passwords": settings.COMMONGROUND_DEMO_PASSWORDS,
    "missing_status": missing.status_code,
    "missing_body": missing.content.decode(errors="replace"),
    "css_status": css.status_code,
    "css_type": css.get("Content-Type", ""),
}))
"""


def demo(**env: str) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COMMONGROUND_DEBUG", "DATABASE_URL")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="commonground.config.settings.local",
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT}",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_demo_serves_with_debug_off_and_a_missing_page_lists_no_url_patterns() -> None:
    answer = demo()
    assert answer["debug"] is False
    assert answer["missing_status"] == 404
    assert "URLconf" not in answer["missing_body"]
    assert "organisations/download.csv" not in answer["missing_body"]


def test_the_demo_serves_its_static_files_with_debug_off() -> None:
    answer = demo()
    assert answer["css_status"] == 200
    assert answer["css_type"].startswith("text/css")


def test_the_demo_people_can_still_sign_in_with_the_printed_password() -> None:
    assert demo()["demo_passwords"] is True


def test_debug_pages_are_only_for_a_developer_who_asks_for_them() -> None:
    answer = demo(COMMONGROUND_DEBUG="true")
    assert answer["debug"] is True
    assert "URLconf" in answer["missing_body"]  # which is why the demo must not run this way
