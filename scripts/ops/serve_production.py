"""Serve Common Ground in production: migrate, collect static files, then run gunicorn.

`make serve-production` runs this. It needs, from the environment:

- DJANGO_SECRET_KEY: a long random value (the production settings refuse to start without one);
- DJANGO_ALLOWED_HOSTS: the host names the site answers to, comma separated;
- DATABASE_URL: the database, normally PostgreSQL (postgres://user@host:5432/name).

Optional: HOST (127.0.0.1), PORT (8000), WEB_CONCURRENCY (gunicorn worker processes, cores + 1),
GUNICORN_THREADS (threads in each, 4), DJANGO_SECURE_SSL_REDIRECT (true; false to try it over
plain http). See docs/operations.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
SETTINGS = "commonground.config.settings.production"
REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # gunicorn imports commonground.config.wsgi; the package lives under src/.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_DIR / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))


def default_threads() -> int:
    # Threaded workers (gunicorn's gthread) serve pages from the cache while another thread of
    # the same process waits for the database; measured against 5 sync workers on 2 cores in
    # ADR 0012.
    return int(os.environ.get("GUNICORN_THREADS", "4"))


def gunicorn_command(host: str, port: str, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "commonground.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # A request that takes longer than this is stuck, not slow: the worker is replaced.
        "--timeout",
        os.environ.get("GUNICORN_TIMEOUT", "30"),
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
        "--access-logformat",
        '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", '
        '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s}',
        "--error-logfile",
        "-",
        # Unused, and several instances (tests, benchmarks) would share its default path.
        "--no-control-socket",
    ]


def main() -> int:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(
            f"serve-production needs {', '.join(missing)} in the environment "
            "(see docs/operations.md)",
            file=sys.stderr,
        )
        return 2
    env = environment()
    manage = [sys.executable, str(PROJECT_DIR / "manage.py")]
    # collectstatic first: the URL map names hashed static files, so Django's checks (run by
    # migrate) need the manifest to exist.
    for step in (["collectstatic", "--noinput", "--verbosity", "0"], ["migrate", "--noinput"]):
        subprocess.run(manage + step, env=env, cwd=PROJECT_DIR, check=True)  # noqa: S603
    workers, threads = default_workers(), default_threads()
    command = gunicorn_command(
        os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000"), workers, threads
    )
    # Replace this process, so signals (TERM from a supervisor) reach gunicorn directly.
    os.chdir(PROJECT_DIR)
    os.execve(command[0], command, env)  # noqa: S606
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
