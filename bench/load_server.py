"""The server a load run measures: a bench PostgreSQL database with the Trafford demo data, and
gunicorn serving it with the production settings (scripts/ops/serve_production.py).

`bench_database` builds the database once (migrate, `manage.py load_demo`, then the run's
accounts and URL set); `gunicorn_server` starts a fresh gunicorn on it, with the page cache on
(empty at the start) or off, so one run can measure both on the same data. `bench_server` is
both at once, for the fault run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import OUT_DIR, PROJECT_DIR
from .harness import PG_SERVER, say
from .load_http import PASSWORD, request

REDIS_URL = "redis://127.0.0.1:6379/0"
WRITERS = 10  # clients that sign in; the rest browse anonymously
ATLAS_SAMPLE = 20000  # organisations drawn across the whole atlas (the demo holds ~8,800)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Database:
    name: str
    url: str
    env: dict[str, str]  # for manage.py and gunicorn (without the page cache settings)
    var: Path
    fixtures: dict[str, Any] = field(default_factory=dict)

    def manage(self, *arguments: str, capture: bool = False) -> str:
        return _manage(self.env, *arguments, capture=capture)


@dataclass
class Server:
    url: str
    port: int
    database_url: str
    env: dict[str, str]
    process: subprocess.Popen
    fixtures: dict[str, Any] = field(default_factory=dict)
    database: Database | None = None

    @property
    def page_cache(self) -> str:
        """Where the server keeps public pages: "Redis", "files" or "off"."""
        if self.env.get("COMMONGROUND_PAGE_CACHE_SECONDS") == "0":
            return "off"
        return "Redis" if self.env.get("REDIS_URL") else "files"

    def page_cache_entries(self) -> int | None:
        """How many pages and derived figures the cache holds (Redis only)."""
        if self.page_cache != "Redis":
            return None
        import redis

        client = redis.Redis.from_url(self.env["REDIS_URL"])
        prefix = self.env["COMMONGROUND_CACHE_KEY_PREFIX"] + "pages:"
        return sum(
            1
            for key in client.scan_iter(match=prefix + "*", count=1000)
            if b":page:" in key or b":derived:" in key
        )


def redis_answers(url: str = REDIS_URL) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _forget_cache(env: dict[str, str]) -> None:
    if not env.get("REDIS_URL") or not env.get("COMMONGROUND_CACHE_KEY_PREFIX"):
        return
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(match=env["COMMONGROUND_CACHE_KEY_PREFIX"] + "*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def manage_process(
    env: dict[str, str], *arguments: str, capture: bool = True, check: bool = False
) -> subprocess.CompletedProcess:
    """`manage.py arguments` in its own process, with the local settings and `env`."""
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), *arguments],
        env={**env, "DJANGO_SETTINGS_MODULE": "commonground.config.settings.local"},
        cwd=PROJECT_DIR,
        check=check,
        capture_output=capture,
        text=True,
    )


def _manage(env: dict[str, str], *arguments: str, capture: bool = False) -> str:
    completed = manage_process(env, *arguments, capture=capture, check=True)
    return completed.stdout if capture else ""


# The run's accounts (each writer acts for an organisation of its own, so it may edit that
# organisation's partnership profile) and its URL set, drawn across the whole atlas.
SETUP = """
import json
from django.utils import timezone
from commonground.accounts import services, tokens
from commonground.accounts.models import Membership
from commonground.money.models import MoneyFlow
from commonground.organisations.models import Organisation
from commonground.places.models import Place
trafford = list(Organisation.objects.filter(local_authority__gss_code="E08000009")
                .order_by("org_id").values_list("pk", "org_id")[:{writers}])
users, owned = [], []
for n, (pk, org_id) in enumerate(trafford):
    email = f"load{{n}}@bench.invalid"
    user = services.account_sign_up(email, {password!r}, site_url="http://127.0.0.1/")
    services.email_verify(tokens.email_verification_token(user.pk, user.email))
    Membership.objects.create(user=user, organisation_id=pk, role="admin", status="approved",
                              requested_at=timezone.now(), decided_at=timezone.now())
    users.append(email)
    owned.append(org_id)
# Every organisation in the atlas may be drawn (in an order fixed by its identifier's hash).
orgs = list(Organisation.objects.extra(select={{"h": "md5(org_id)"}}).order_by("h")
            .values_list("org_id", "name")[:{sample}])
words = sorted({{w.lower() for _, n in orgs for w in n.split() if len(w) > 3 and w.isalpha()}})
places = list(Place.objects.filter(kind__in=["local_authority", "ward"])
              .values_list("gss_code", flat=True).distinct())
profiled = sorted(set(MoneyFlow.objects.values_list("place__gss_code", flat=True).distinct())
                  - {{None}})
wards = list(Place.objects.filter(parent__gss_code__in=profiled).values_list("gss_code", flat=True))
years = sorted({{d.year - (d.month < 4) for d in MoneyFlow.objects.dates("date", "month")}})
print(json.dumps({{"users": users, "owned": owned, "orgs": [o for o, _ in orgs],
                  "words": words, "places": places, "profiled": profiled + wards,
                  "years": [f"{{y}}-{{(y + 1) % 100:02d}}" for y in years]}}))
"""


@contextmanager
def bench_database(name: str) -> Iterator[Database]:
    """A bench PostgreSQL database with the demo data and the run's fixtures; dropped after."""
    import psycopg

    database = f"commonground_bench_{name}_{os.getpid()}"
    admin_url = PG_SERVER.rstrip("/") + "/postgres"
    database_url = PG_SERVER.rstrip("/") + "/" + database
    var = OUT_DIR / "var" / f"{name}-{os.getpid()}"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        COMMONGROUND_VAR_DIR=str(var),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(PROJECT_DIR / "src"),
    )
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")
    try:
        db = Database(database, database_url, env, var)
        started = time.perf_counter()
        db.manage("migrate", "--verbosity", "0")
        db.manage("load_demo", capture=True)
        say(
            f"  bench database {database} loaded with the demo data in "
            f"{time.perf_counter() - started:.0f} s"
        )
        script = SETUP.format(writers=WRITERS, password=PASSWORD, sample=ATLAS_SAMPLE)
        output = db.manage("shell", "-c", script, capture=True)
        db.fixtures = json.loads(output.strip().splitlines()[-1])
        yield db
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(var, ignore_errors=True)


@contextmanager
def gunicorn_server(
    db: Database, page_cache: bool = True, workers: int | None = None
) -> Iterator[Server]:
    """A fresh gunicorn (production settings) on the database; with the page cache on, its keys
    are this server's own, so it starts empty, and they are removed afterwards."""
    port = free_port()
    env = {**db.env, "PORT": str(port)}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if not page_cache:
        env["COMMONGROUND_PAGE_CACHE_SECONDS"] = "0"
    elif "REDIS_URL" not in env and redis_answers():
        env["REDIS_URL"] = REDIS_URL
    if env.get("REDIS_URL"):
        env["COMMONGROUND_CACHE_KEY_PREFIX"] = f"bench-{db.name}-{port}:"
    if page_cache and not env.get("REDIS_URL"):
        shutil.rmtree(db.var / "page-cache", ignore_errors=True)  # the page cache starts empty
    process = None
    log = (db.var / f"gunicorn-{port}.log").open("w")
    try:
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_DIR / "scripts" / "ops" / "serve_production.py")],
            env=env,
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _wait_for_health(process, port, db.var)
        yield Server(f"http://127.0.0.1:{port}", port, db.url, env, process, db.fixtures, db)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        _forget_cache(env)


def _wait_for_health(process: subprocess.Popen, port: int, var: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped; see the logs in {var}")
        try:
            status, _ = request("GET", port, "/healthz", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz within 3 minutes")


@contextmanager
def bench_server(
    name: str, workers: int | None = None, page_cache: bool = True
) -> Iterator[Server]:
    """A bench database with the demo data, served by one gunicorn; both removed afterwards."""
    with bench_database(name) as db, gunicorn_server(db, page_cache, workers) as server:
        yield server
