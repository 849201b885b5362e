"""The operations tests' production server, started on a free loopback port against the
database this test run uses."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url_for_subprocess(tmp_path: Path) -> str:
    """The database this test run uses, as a URL another process can open."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"
    # The SQLite test database lives in memory; another process needs a file.
    return f"sqlite:///{tmp_path / 'production.sqlite3'}"


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 10):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        return error


@contextmanager
def production_server(tmp_path: Path, database_url: str) -> Iterator[str]:
    """Run scripts/ops/serve_production.py (migrate, collectstatic, gunicorn); yield its URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "COV_"))}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        COMMONGROUND_VAR_DIR=str(tmp_path / "var"),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_DIR / "scripts" / "ops" / "serve_production.py")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=PROJECT_DIR,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # Wait for it to come up (collectstatic compresses every file first); give up after 2 min.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                get(f"{url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        if process.poll() is not None:
            raise AssertionError(
                f"the production server stopped:\n{(tmp_path / 'server.log').read_text()}"
            )
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
