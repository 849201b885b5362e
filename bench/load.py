"""Load run: many concurrent clients against gunicorn (production settings) and PostgreSQL.

`python -m bench load [--clients 50 --seconds 60]`. A bench database is created, migrated and
loaded with the Trafford demo data (`manage.py load_demo`: real registers, not synthetic), then
measured twice, each time on a fresh gunicorn (scripts/ops/serve_production.py):

1. with the page cache OFF (the headline: what a signed-in person, or anyone just after an
   import or an edit, meets);
2. with the page cache ON (Redis when it answers on 127.0.0.1:6379, else files), empty at the
   start.

Each phase starts with one client alone for 10 s, no think time, on the cold server (fresh
processes, empty cache): the baseline, measured before the load. Then the clients run for the
given time; bench/load_clients.py says what they do (reads drawn across the whole atlas,
signed-in reads, profile edits that make public pages stale, API tokens) and an import
(bench/load_clients.IMPORT) starts a quarter of the way in. Clients wait a random think time
between requests (0.2 to 1.0 s); --think 0 makes a closed loop that measures saturation.
--no-cache runs phase 1 only. Targets (phase 1): zero errors, p95 under 300 ms. The server and
the database are removed afterwards; DATABASE_CONN_MAX_AGE=0 turns persistent connections off.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from scripts.ops import serve_production

from . import OUT_DIR
from .harness import load_average, machine, say
from .load_clients import IMPORT, import_during, run_clients
from .load_http import Recorder, figures
from .load_server import WRITERS, Database, _forget_cache, bench_database, gunicorn_server

TARGET_P95_MS = 300.0
BASELINE_SECONDS = 10.0


def run_phase(
    db: Database, page_cache: bool, clients: int, seconds: float, think: float
) -> dict[str, Any]:
    """The cold one-client baseline, then the load with an import part-way, on a fresh
    gunicorn with the page cache on or off."""
    say(f"  [phase: page cache {'on' if page_cache else 'off'}]")
    with gunicorn_server(db, page_cache=page_cache) as server:
        before = load_average()
        alone = Recorder()
        run_clients(server, 1, BASELINE_SECONDS, 0, alone, writers=False)
        _forget_cache(server.env)  # the load starts on an empty cache too
        imported: dict[str, Any] = {}
        importer = import_during(server, seconds / 4, imported)
        recorder = Recorder()
        run_clients(server, clients, seconds, think, recorder)
        importer.join(timeout=300)
        result = figures(recorder.samples, seconds)
        result.update(
            alone=figures(alone.samples, BASELINE_SECONDS),
            page_cache=server.page_cache,
            page_cache_entries=server.page_cache_entries(),
            database_conn_max_age=server.env.get("DATABASE_CONN_MAX_AGE", "600 (default)"),
            load_average_before=before,
            load_average_after=load_average(),
            imported=imported,
        )
    result["met"] = result["errors"] == 0 and result["p95_ms"] < TARGET_P95_MS
    return result


def run(
    clients: int = 50, seconds: float = 60, think: float = 1.0, page_cache: bool = True
) -> dict[str, Any]:
    """Phase 1 (cache off, the headline) and, unless page_cache is False, phase 2 (cache on)."""
    say(
        f"[load] {clients} clients for {seconds:.0f} s against gunicorn + PostgreSQL "
        "(Trafford demo data), page cache off then on"
    )
    with bench_database("load") as db:
        off = run_phase(db, False, clients, seconds, think)
        on = run_phase(db, True, clients, seconds, think) if page_cache else None
        atlas = {k: len(v) for k, v in db.fixtures.items()}
    result = dict(off)
    result.update(
        benchmark="load",
        backend="postgresql",
        clients=clients,
        seconds=seconds,
        think_seconds=think,
        gunicorn_workers=serve_production.default_workers(),
        gunicorn_threads=serve_production.default_threads(),
        machine=machine(),
        atlas=atlas,
        cache_on=on,
    )
    return result


def render(result: dict[str, Any]) -> str:
    r = result
    phases = [("off", r)] + ([("on", r["cache_on"])] if r.get("cache_on") else [])
    lines = [
        f"## Load run: {r['clients']} clients for {r['seconds']:.0f} s, page cache off "
        "(headline) and on (gunicorn + PostgreSQL)",
        "",
        *_setting(r),
        "",
        "| page cache | clients | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms "
        "| errors | load before / after | target (0 errors, p95 < 300 ms) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, p in phases:
        a = p["alone"]
        lines.append(
            f"| {name} | 1 alone, cold, no think time, {BASELINE_SECONDS:.0f} s before the load "
            f"(baseline) | {a['requests']:,} | {a['requests_per_second']:.1f} "
            f"| {a['p50_ms']:.0f} | {a['p95_ms']:.0f} | {a['p99_ms']:.0f} | {a['max_ms']:.0f} "
            f"| {a['errors']} | {p['load_average_before']} / – | – |"
        )
        lines.append(
            f"| {name} | {r['clients']} | {p['requests']:,} | {p['requests_per_second']:.1f} "
            f"| {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['p99_ms']:.0f} | {p['max_ms']:.0f} "
            f"| {p['errors']} | – / {p['load_average_after']} "
            f"| {'met' if p['met'] else 'NOT met'} |"
        )
    for name, p in phases:
        lines += ["", *_phase_detail(name, p)]
    return "\n".join(lines) + "\n"


def _setting(r: dict[str, Any]) -> list[str]:
    atlas = r.get("atlas", {})
    return [
        f"{r['machine']}; gunicorn with production settings, {r['gunicorn_workers']} workers of "
        f"{r['gunicorn_threads']} threads, on loopback; the bench database holds the Trafford "
        "demo data (`manage.py load_demo`, real registers). Anonymous readers draw from "
        f"{atlas.get('orgs', 0):,} organisations (the whole atlas), {atlas.get('places', 0):,} "
        f"places, {atlas.get('profiled', 0):,} places with money in {atlas.get('years', 0)} "
        f"financial years and {atlas.get('words', 0):,} search words. "
        f"{min(WRITERS, r['clients'])} clients are signed in: their reads bypass the cache, and "
        "a tenth of their actions save their organisation's partnership profile (each save "
        "makes every cached public page stale), three tenths create, use and revoke an API "
        "token. None of these is rate limited. "
        f"`manage.py {' '.join(IMPORT)}` starts a quarter of the way into each load. Clients "
        f"think {r['think_seconds'] * 0.2:.1f} to {r['think_seconds']:.1f} s between requests. "
        "Client threads, gunicorn and PostgreSQL share the machine's cores, with other work "
        "on the machine (the load averages are in the table).",
    ]


def _phase_detail(name: str, p: dict[str, Any]) -> list[str]:
    i = p.get("imported", {})
    lines = [
        f"Page cache {name}: {_cache_words(p)}. Import during the load: "
        + (
            f"started at {i['started_at']:.0f} s, took {i['seconds']:.0f} s "
            f"(exit {i['returncode']}; {i['summary']})"
            if i
            else "did not run"
        )
        + ".",
        "",
        "| request | n | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for kind, k in p["by_kind"].items():
        lines.append(
            f"| {kind} | {k['n']:,} | {k['p50']:.0f} | {k['p95']:.0f} | {k.get('p99', 0):.0f} "
            f"| {k['errors']} |"
        )
    if p["error_kinds"]:
        lines += ["", "Errors: " + "; ".join(f"{e} ({n})" for e, n in p["error_kinds"].items())]
    return lines


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
    parser.add_argument("--no-cache", action="store_true", help="run the cache-off phase only")
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
