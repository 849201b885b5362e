"""Fault run: PostgreSQL restarted under load, and in the middle of an import.

`python -m bench fault`. Uses the same server as bench/load.py (gunicorn, production settings,
a bench PostgreSQL database with the Trafford demo data, on loopback):

1. Under a shorter load, with /healthz polled four times a second, PostgreSQL is restarted
   (`pg_ctlcluster ... restart`). Requests during the outage must fail quickly (5xx, /healthz
   503), none may hang past the client's timeout, and the app must recover by itself: gunicorn
   is never restarted.
2. A larger import (a synthetic Companies House file, bench/generators.py) runs in its own
   process; PostgreSQL is restarted part-way. The import must leave the atlas as it was, and
   running it again must succeed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from typing import Any

from . import OUT_DIR, PROJECT_DIR, generators
from .harness import load_average, machine, say
from .load_clients import run_clients
from .load_http import Recorder, request
from .load_server import Server, bench_server

CLIENT_TIMEOUT_S = 10.0


def restart_postgres() -> float:
    """Restart the local cluster; the seconds the restart command took."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.perf_counter()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def wait_for_postgres(server: Server, limit: float = 60) -> None:
    import psycopg

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(server.database_url, connect_timeout=2) as connection:
                connection.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise RuntimeError("PostgreSQL did not come back within a minute")


def atlas_counts(server: Server) -> dict[str, int]:
    import psycopg

    tables = {
        "organisations": "organisations_organisation",
        "identifiers": "organisations_identifier",
        "source_records": "organisations_sourcerecord",
    }
    with psycopg.connect(server.database_url) as connection:
        counts = {
            name: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for name, table in tables.items()
        }
        for status, n in connection.execute(
            "SELECT status, count(*) FROM imports_importrun "
            "WHERE dataset = 'companies_house' GROUP BY status"
        ):
            counts[f"companies_house runs {status}"] = n
    return counts


def restart_under_load(server: Server, clients: int, seconds: float, at: float) -> dict[str, Any]:
    recorder = Recorder()
    health: list[tuple[float, int, float]] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            began = time.perf_counter()
            try:
                status, _ = request("GET", server.port, "/healthz", timeout=CLIENT_TIMEOUT_S)
            except OSError:
                status = 0
            ended = time.perf_counter()
            health.append((began - recorder.start, status, (ended - began) * 1000))
            time.sleep(0.25)

    restart: dict[str, float] = {}

    def fault() -> None:
        time.sleep(at)
        restart["at"] = time.perf_counter() - recorder.start
        restart["took"] = restart_postgres()

    load = threading.Thread(
        target=run_clients, args=(server, clients, seconds, 1.0, recorder), daemon=True
    )
    load.start()
    time.sleep(1)  # sign-ins done and the clock started
    poller = threading.Thread(target=poll, daemon=True)
    faulter = threading.Thread(target=fault, daemon=True)
    poller.start()
    faulter.start()
    load.join()
    stop.set()
    poller.join()
    faulter.join()

    down_at = restart["at"]
    bad_health = [t for t, status, _ in health if t >= down_at and status != 200]
    first_bad = min(bad_health, default=down_at)
    recovered = next(
        (t for t, status, _ in health if t > max(bad_health, default=down_at) and status == 200),
        None,
    )
    samples = recorder.samples
    during = [s for s in samples if down_at <= s.at <= (recovered or seconds)]
    after = [s for s in samples if recovered is not None and s.at > recovered + 1]
    before = [s for s in samples if s.at < down_at]
    return {
        "clients": clients,
        "seconds": seconds,
        "restart_at_s": round(down_at, 1),
        "restart_command_s": round(restart["took"], 1),
        "health_statuses": sorted({status for _, status, _ in health}),
        "health_first_failure_s": round(first_bad, 1),
        "health_recovered_s": round(recovered, 1) if recovered is not None else None,
        "outage_s": round(recovered - down_at, 1) if recovered is not None else None,
        "health_max_ms": round(max((ms for *_, ms in health), default=0), 0),
        "requests": len(samples),
        "before": _tally(before),
        "during": _tally(during),
        "after": _tally(after),
        "hangs": sum(
            1 for s in samples if s.ms >= CLIENT_TIMEOUT_S * 1000 or "timed out" in s.error
        ),
        "max_ms": round(max((s.ms for s in samples), default=0), 0),
    }


def _tally(samples: list) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for s in samples:
        key = str(s.status) if s.status else "no response"
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "requests": len(samples),
        "errors": sum(1 for s in samples if s.error),
        "statuses": statuses,
        "max_ms": round(max((s.ms for s in samples), default=0), 0),
    }


def restart_during_import(server: Server, rows: int) -> dict[str, Any]:
    path, _ = generators.companies_house_csv(rows)
    env = {**server.env, "DJANGO_SETTINGS_MODULE": "commonground.config.settings.local"}
    command = [
        sys.executable,
        str(PROJECT_DIR / "manage.py"),
        "import_register",
        "companies_house",
        "--file",
        str(path),
    ]
    before = atlas_counts(server)
    log = OUT_DIR / "fault-import.log"
    with open(log, "w") as handle:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=PROJECT_DIR, stdout=handle, stderr=handle)
        time.sleep(4)  # well into reading and writing batches
        interrupted_at = time.perf_counter() - started
        still_running = process.poll() is None
        restart_took = restart_postgres()
        first_exit = process.wait(timeout=600)
    wait_for_postgres(server)
    after_interrupt = atlas_counts(server)
    with open(log, "a") as handle:
        started = time.perf_counter()
        second = subprocess.run(
            command, env=env, cwd=PROJECT_DIR, stdout=handle, stderr=handle, check=False
        )
        rerun_seconds = time.perf_counter() - started
    after_rerun = atlas_counts(server)
    unchanged = {k: v for k, v in after_interrupt.items() if not k.startswith("companies_house")}
    return {
        "file": f"{path.name} ({rows:,} rows, synthetic)",
        "restarted_after_s": round(interrupted_at, 1),
        "import_was_running": still_running,
        "restart_command_s": round(restart_took, 1),
        "interrupted_exit_code": first_exit,
        "counts_before": before,
        "counts_after_interrupt": after_interrupt,
        "previous_state_kept": unchanged
        == {k: v for k, v in before.items() if not k.startswith("companies_house")},
        "rerun_exit_code": second.returncode,
        "rerun_seconds": round(rerun_seconds, 1),
        "counts_after_rerun": after_rerun,
        "log": str(log),
    }


def run(
    clients: int = 20, seconds: float = 40, at: float = 10, rows: int = 200_000
) -> dict[str, Any]:
    say(f"[fault] PostgreSQL restarted under {clients} clients, then during an import")
    with bench_server("fault") as server:
        before = load_average()
        under_load = restart_under_load(server, clients, seconds, at)
        wait_for_postgres(server)
        # The same gunicorn, never restarted, still serves after both restarts.
        status, _ = request("GET", server.port, "/healthz")
        during_import = restart_during_import(server, rows)
        status_end, _ = request("GET", server.port, "/healthz")
        gunicorn_pid = server.process.pid
        still_up = server.process.poll() is None
    result = {
        "benchmark": "fault",
        "backend": "postgresql",
        "machine": machine(),
        "load_average_before": before,
        "load_average_after": load_average(),
        "under_load": under_load,
        "health_after_load_fault": status,
        "during_import": during_import,
        "health_at_end": status_end,
        "gunicorn_pid": gunicorn_pid,
        "gunicorn_never_restarted": still_up,
    }
    u, i = under_load, during_import
    result["met"] = bool(
        u["hangs"] == 0
        and u["outage_s"] is not None
        and u["after"]["errors"] == 0
        and status == 200
        and status_end == 200
        and still_up
        and i["previous_state_kept"]
        and i["rerun_exit_code"] == 0
    )
    return result


def render(result: dict[str, Any]) -> str:
    u, i = result["under_load"], result["during_import"]

    def tally(t: dict[str, Any]) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(t["statuses"].items()))
        return (
            f"{t['requests']} requests ({statuses}), {t['errors']} errors, "
            f"slowest {t['max_ms']:.0f} ms"
        )

    lines = [
        "## Fault run: PostgreSQL restarted under load and during an import",
        "",
        f"{result['machine']}; the same gunicorn (production settings) and bench database as the "
        f"load run. Load average {result['load_average_before']} before, "
        f"{result['load_average_after']} after. Overall: {'met' if result['met'] else 'NOT met'}.",
        "",
        f"**Under load** ({u['clients']} clients for {u['seconds']:.0f} s, /healthz polled every "
        f"0.25 s): PostgreSQL restarted at {u['restart_at_s']} s (the restart command took "
        f"{u['restart_command_s']} s). /healthz answered {u['health_statuses']}; first failure at "
        f"{u['health_first_failure_s']} s, 200 again at {u['health_recovered_s']} s "
        f"(outage {u['outage_s']} s), slowest health check {u['health_max_ms']:.0f} ms. "
        f"Requests that hung past the client's {CLIENT_TIMEOUT_S:.0f} s timeout: {u['hangs']}.",
        "",
        f"- before the restart: {tally(u['before'])}",
        f"- during the outage: {tally(u['during'])}",
        f"- from 1 s after recovery: {tally(u['after'])}",
        "",
        f"**During an import** of {i['file']}: PostgreSQL restarted {i['restarted_after_s']} s in "
        f"(import still running: {i['import_was_running']}); the import process exited with "
        f"{i['interrupted_exit_code']}. Atlas before: {i['counts_before']}; after the interrupted "
        f"import: {i['counts_after_interrupt']} (previous state kept: {i['previous_state_kept']}). "
        f"Run again: exit {i['rerun_exit_code']} in {i['rerun_seconds']} s; atlas then "
        f"{i['counts_after_rerun']}.",
        "",
        f"gunicorn (pid {result['gunicorn_pid']}) was never restarted and still running at the "
        f"end: {result['gunicorn_never_restarted']}; /healthz after the first restart "
        f"{result['health_after_load_fault']}, at the end {result['health_at_end']}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench fault")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args(argv)
    result = run(args.clients, args.seconds, rows=args.rows)
    report = render(result)
    say("\n" + report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "fault.json").write_text(json.dumps(result, indent=2, default=str))
    (OUT_DIR / "fault.md").write_text(report)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
