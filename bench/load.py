"""Load run: many concurrent clients against gunicorn (production settings) and PostgreSQL.

`python -m bench load [--clients 50 --seconds 60]`. A bench database is created, migrated and
loaded with the Trafford demo data (`manage.py load_demo`: real registers, not synthetic),
served by scripts/ops/serve_production.py on a free loopback port, then driven by client
threads mixing partner search (page and API), organisation pages, place pages, the place's
money profile (page and API) and signed-in writes (creating an API token on the tokens page,
using it on the API, then revoking it). The
server and the database are removed afterwards. Targets: zero errors, p95 under 300 ms.

Each client waits a random think time between requests (0.2 to 1.0 s, like a person reading
a page); --think 0 turns it into a closed loop that measures the saturation throughput.

The server is configured as production would be: persistent database connections (the
production default) and, when Redis answers on 127.0.0.1:6379, Redis as the shared cache of
public pages and derived figures (ADR 0012); otherwise the cache is kept in files. The cache
starts empty (keys under a prefix of this run's own, removed afterwards), so every page is
rendered at least once during the run. --no-cache turns the page cache off, for comparison;
DATABASE_CONN_MAX_AGE=0 in the environment turns persistent connections off.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from scripts.ops import serve_production

from . import OUT_DIR, PROJECT_DIR
from .harness import PG_SERVER, load_average, machine, percentile, say

TARGET_P95_MS = 300.0
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "load test password 4 bench"
WRITERS = 10  # clients that sign in and write; the rest browse anonymously
BASELINE_SECONDS = 10.0


# --- the server under test ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    database_url: str
    env: dict[str, str]
    process: subprocess.Popen
    fixtures: dict[str, Any] = field(default_factory=dict)

    @property
    def page_cache(self) -> str:
        """Where the server keeps public pages: "Redis", "files" or "off"."""
        if self.env.get("COMMONGROUND_PAGE_CACHE_SECONDS") == "0":
            return "off"
        return "Redis" if self.env.get("REDIS_URL") else "files"

    def page_cache_entries(self) -> int | None:
        """How many pages and derived figures the cache holds (Redis only): each was rendered
        once and then served from the cache."""
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


def _manage(env: dict[str, str], *arguments: str, capture: bool = False) -> str:
    completed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), *arguments],
        env=env,
        cwd=PROJECT_DIR,
        check=True,
        capture_output=capture,
        text=True,
    )
    return completed.stdout if capture else ""


SETUP = """
import json, random
from commonground.accounts import services, tokens
from commonground.organisations.models import Organisation
from commonground.places.models import Place
users = []
for n in range({writers}):
    email = f"load{{n}}@bench.invalid"
    user = services.account_sign_up(email, {password!r}, site_url="http://127.0.0.1/")
    services.email_verify(tokens.email_verification_token(user.pk, user.email))
    users.append(email)
orgs = list(Organisation.objects.filter(local_authority__gss_code="E08000009")
            .values_list("org_id", "name")[:400])
words = sorted({{w.lower() for _, n in orgs for w in n.split() if len(w) > 4 and w.isalpha()}})
places = list(Place.objects.filter(parent__gss_code="E08000009").values_list("gss_code", flat=True))
print(json.dumps({{"users": users, "orgs": [o for o, _ in orgs], "words": words[:200],
                  "places": ["E08000009", *places]}}))
"""


@contextmanager
def bench_server(
    name: str, workers: int | None = None, page_cache: bool = True
) -> Iterator[Server]:
    """A bench PostgreSQL database with the demo data, served by gunicorn; removed afterwards."""
    import psycopg

    database = f"commonground_bench_{name}_{os.getpid()}"
    admin_url = PG_SERVER.rstrip("/") + "/postgres"
    database_url = PG_SERVER.rstrip("/") + "/" + database
    var = OUT_DIR / "var" / f"{name}-{os.getpid()}"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        COMMONGROUND_VAR_DIR=str(var),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(PROJECT_DIR / "src"),
    )
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if not page_cache:
        env["COMMONGROUND_PAGE_CACHE_SECONDS"] = "0"
    elif "REDIS_URL" not in env and redis_answers():
        env["REDIS_URL"] = REDIS_URL
    if env.get("REDIS_URL"):
        # Keys of this run only: the cache starts empty and is removed afterwards.
        env["COMMONGROUND_CACHE_KEY_PREFIX"] = f"bench-{name}-{os.getpid()}:"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")
    process = None
    log = (var / "gunicorn.log").open("w")
    try:
        setup_env = {**env, "DJANGO_SETTINGS_MODULE": "commonground.config.settings.local"}
        started = time.perf_counter()
        _manage(setup_env, "migrate", "--verbosity", "0")
        _manage(setup_env, "load_demo", capture=True)
        say(
            f"  bench database {database} loaded with the demo data in "
            f"{time.perf_counter() - started:.0f} s"
        )
        fixtures = json.loads(
            _manage(
                setup_env,
                "shell",
                "-c",
                SETUP.format(writers=WRITERS, password=PASSWORD),
                capture=True,
            )
            .strip()
            .splitlines()[-1]
        )
        process = subprocess.Popen(
            [sys.executable, str(PROJECT_DIR / "scripts" / "ops" / "serve_production.py")],
            env=env,
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {var / 'gunicorn.log'}")
            try:
                status, _ = request("GET", port, "/healthz", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 3 minutes")
        yield Server(url, port, database_url, env, process, fixtures)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        _forget_cache(env)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(var, ignore_errors=True)


# --- clients -----------------------------------------------------------------------------------

# Behind the TLS-terminating proxy the production settings expect.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def request(method: str, port: int, path: str, **kwargs: Any) -> tuple[int, bytes]:
    status, payload, _ = request_with_cookies(method, port, path, **kwargs)
    return status, payload


def request_with_cookies(
    method: str,
    port: int,
    path: str,
    *,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, bytes, list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = {**PROXY_HEADERS, **(headers or {})}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        payload = response.read()
        return response.status, payload, response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


class Session:
    """A signed-in browser: cookies and the CSRF token, as a real form post sends them."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def _remember(self, cookies: list[str]) -> None:
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def call(
        self, method: str, path: str, body: dict[str, str] | None = None, timeout: float = 10
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            origin = "https://127.0.0.1"  # the Host the proxy headers name
            headers.update(Origin=origin, Referer=origin + path)
            body = {**(body or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        status, payload, cookies = request_with_cookies(
            method, self.port, path, body=body, headers=headers, timeout=timeout
        )
        self._remember(cookies)
        return status, payload

    def sign_in(self, email: str) -> None:
        self.call("GET", "/account/sign-in/")
        status, _ = self.call("POST", "/account/sign-in/", {"email": email, "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"could not sign in as {email} (status {status})")


@dataclass
class Sample:
    kind: str
    status: int  # 0: no response (connection refused, timeout)
    ms: float
    at: float  # seconds since the start
    error: str = ""


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.start = time.perf_counter()

    def timed(self, kind: str, call, ok=(200,)) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            status, payload = call()
            error = "" if status in ok else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as exc:
            status, payload, error = 0, b"", f"{type(exc).__name__}: {exc}"
        ended = time.perf_counter()
        with self.lock:
            self.samples.append(
                Sample(kind, status, (ended - began) * 1000, began - self.start, error)
            )
        return status, payload


REVOKE = re.compile(rb"/account/tokens/(\d+)/revoke/")
NEW_TOKEN = re.compile(rb"cg_[A-Za-z0-9_-]{20,}")


def browse(server: Server, recorder: Recorder, rng: random.Random) -> None:
    f, port = server.fixtures, server.port
    roll = rng.random()
    if roll < 0.35:
        word = urllib.parse.quote(rng.choice(f["words"]))
        recorder.timed(
            "search page",
            lambda: request("GET", port, f"/organisations/?q={word}&place=E08000009"),
        )
    elif roll < 0.5:
        word = urllib.parse.quote(rng.choice(f["words"]))
        recorder.timed(
            "search API",
            lambda: request("GET", port, f"/api/v1/organisations?q={word}&place=E08000009"),
        )
    elif roll < 0.7:
        org = urllib.parse.quote(rng.choice(f["orgs"]))
        recorder.timed("organisation page", lambda: request("GET", port, f"/organisations/{org}/"))
    elif roll < 0.8:
        # The money profile of the demo place: page and API alternate.
        path = rng.choice(["/places/E08000009/profile/", "/api/v1/places/E08000009/profile"])
        recorder.timed("place profile", lambda: request("GET", port, path))
    else:
        place = rng.choice(f["places"])
        recorder.timed("place page", lambda: request("GET", port, f"/places/{place}/"))


def write(session: Session, recorder: Recorder, rng: random.Random, n: int) -> None:
    status, page = recorder.timed(
        "write: create token",
        lambda: session.call("POST", "/account/tokens/", {"name": f"load {n}"}),
    )
    if status != 200:
        return
    raw = NEW_TOKEN.search(page)
    if raw:
        token = raw.group(0).decode()
        recorder.timed(
            "API with token",
            lambda: request(
                "GET",
                session.port,
                "/api/v1/account/me",
                headers={"Authorization": f"Bearer {token}"},
            ),
        )
    ids = REVOKE.findall(page)
    if ids:
        newest = max(int(i) for i in ids)
        recorder.timed(
            "write: revoke token",
            lambda: session.call("POST", f"/account/tokens/{newest}/revoke/"),
            ok=(302,),
        )


def run_clients(
    server: Server,
    clients: int,
    seconds: float,
    think: float,
    recorder: Recorder,
    stop: threading.Event | None = None,
) -> None:
    stop = stop or threading.Event()
    sessions: list[Session] = []
    for email in server.fixtures["users"][: min(WRITERS, clients)]:
        session = Session(server.port)
        session.sign_in(email)  # before the clock starts: password hashing is slow on purpose
        sessions.append(session)
    recorder.start = time.perf_counter()
    deadline = recorder.start + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        session = sessions[number] if number < len(sessions) else None
        n = 0
        while time.perf_counter() < deadline and not stop.is_set():
            n += 1
            if session is not None and rng.random() < 0.5:
                write(session, recorder, rng, n)
            else:
                browse(server, recorder, rng)
            if think:
                time.sleep(rng.uniform(think * 0.2, think))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)


def figures(samples: list[Sample], seconds: float) -> dict[str, Any]:
    ms = [s.ms for s in samples]
    errors = [s for s in samples if s.error]
    by_kind: dict[str, Any] = {}
    for kind in sorted({s.kind for s in samples}):
        times = [s.ms for s in samples if s.kind == kind]
        by_kind[kind] = {
            "n": len(times),
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "errors": sum(1 for s in samples if s.kind == kind and s.error),
        }
    return {
        "requests": len(samples),
        "requests_per_second": len(samples) / seconds,
        "p50_ms": percentile(ms, 0.5) if ms else 0.0,
        "p95_ms": percentile(ms, 0.95) if ms else 0.0,
        "p99_ms": percentile(ms, 0.99) if ms else 0.0,
        "max_ms": max(ms, default=0.0),
        "errors": len(errors),
        "error_kinds": dict(Counter(s.error for s in errors).most_common(5)),
        "by_kind": by_kind,
    }


def run(
    clients: int = 50, seconds: float = 60, think: float = 1.0, page_cache: bool = True
) -> dict[str, Any]:
    say(
        f"[load] {clients} clients for {seconds:.0f} s against gunicorn + PostgreSQL "
        "(Trafford demo data)"
    )
    with bench_server("load", page_cache=page_cache) as server:
        workers = server.env.get("WEB_CONCURRENCY", str(serve_production.default_workers()))
        threads = server.env.get("GUNICORN_THREADS", str(serve_production.default_threads()))
        before = load_average()
        recorder = Recorder()
        run_clients(server, clients, seconds, think, recorder)
        result = figures(recorder.samples, seconds)
        # Same-run baseline: one client alone, no think time, the same mix on the same server
        # (its cache now warm), so the ratio is what concurrency and the cold start cost.
        alone = Recorder()
        run_clients(server, 1, BASELINE_SECONDS, 0, alone)
        result["alone"] = figures(alone.samples, BASELINE_SECONDS)
        result.update(
            page_cache=server.page_cache,
            page_cache_entries=server.page_cache_entries(),
            database_conn_max_age=server.env.get("DATABASE_CONN_MAX_AGE", "600 (default)"),
            gunicorn_threads=int(threads),
        )
    result.update(
        benchmark="load",
        backend="postgresql",
        clients=clients,
        seconds=seconds,
        think_seconds=think,
        gunicorn_workers=int(workers),
        load_average_before=before,
        load_average_after=load_average(),
        machine=machine(),
    )
    result["met"] = result["errors"] == 0 and result["p95_ms"] < TARGET_P95_MS
    return result


def render(result: dict[str, Any]) -> str:
    r = result
    lines = [
        f"## Load run: {r['clients']} clients for {r['seconds']:.0f} s (gunicorn + PostgreSQL)",
        "",
        f"{r['machine']}; gunicorn with production settings, {r['gunicorn_workers']} "
        + (
            "sync workers"
            if r.get("gunicorn_threads", 1) == 1
            else f"workers of {r['gunicorn_threads']} threads"
        )
        + ", on loopback; the bench database holds the Trafford demo data "
        f"(`manage.py load_demo`, real registers). Clients think {r['think_seconds'] * 0.2:.1f}"
        f" to {r['think_seconds']:.1f} s between requests; {min(WRITERS, r['clients'])} of them "
        "are signed in and "
        "half their actions are writes (create an API token, call the API with it, revoke it). "
        f"Load average {r['load_average_before']} before, {r['load_average_after']} after "
        "(client threads, gunicorn and PostgreSQL share the machine's cores).",
        "",
        f"Page cache: {_cache_words(r)}. Database connections kept for "
        f"{r.get('database_conn_max_age', '0')} s (DATABASE_CONN_MAX_AGE).",
        "",
        "| clients | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors "
        "| target (0 errors, p95 < 300 ms) |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {r['clients']} | {r['requests']:,} | {r['requests_per_second']:.1f} "
        f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['max_ms']:.0f} "
        f"| {r['errors']} | {'met' if r['met'] else 'NOT met'} |",
        *_alone_rows(r),
        "",
        "| request | n | p50 ms | p95 ms | errors |",
        "|---|---|---|---|---|",
    ]
    for kind, k in r["by_kind"].items():
        lines.append(f"| {kind} | {k['n']:,} | {k['p50']:.0f} | {k['p95']:.0f} | {k['errors']} |")
    if r["error_kinds"]:
        lines += ["", "Errors: " + "; ".join(f"{e} ({n})" for e, n in r["error_kinds"].items())]
    return "\n".join(lines) + "\n"


def _alone_rows(r: dict[str, Any]) -> list[str]:
    a = r.get("alone")
    if not a:
        return []
    ratio = r["p95_ms"] / a["p95_ms"] if a["p95_ms"] else 0.0
    return [
        f"| 1 alone, no think time, {BASELINE_SECONDS:.0f} s after (baseline) | {a['requests']:,} "
        f"| {a['requests_per_second']:.1f} | {a['p50_ms']:.0f} | {a['p95_ms']:.0f} "
        f"| {a['p99_ms']:.0f} | {a['max_ms']:.0f} | {a['errors']} | – |",
        "",
        f"p95 under load is {ratio:.1f}x the p95 of one client alone on the same server "
        "(same-run baseline; its cache is warm by then, so the ratio includes the cold start).",
    ]


def _cache_words(r: dict[str, Any]) -> str:
    cache = r.get("page_cache", "off")
    if cache == "off":
        return "off"
    words = f"on, in {cache}, empty at the start"
    if r.get("page_cache_entries") is not None:
        words += f"; {r['page_cache_entries']:,} pages and figures kept by the end"
    return words


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="longest think time, seconds")
    parser.add_argument(
        "--no-cache", action="store_true", help="turn the page cache off, for comparison"
    )
    args = parser.parse_args(argv)
    result = run(args.clients, args.seconds, args.think, page_cache=not args.no_cache)
    report = render(result)
    say("\n" + report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "load.json").write_text(json.dumps(result, indent=2, default=str))
    (OUT_DIR / "load.md").write_text(report)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
