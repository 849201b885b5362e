"""Running one benchmark in its own process against its own database.

The parent (`python -m bench`) starts `python -m bench.worker NAME --backend ...`; the worker
calls `django_setup`, which points Django at a bench database (never the developer's
var/commonground.sqlite3), migrates it, and leaves a result as JSON for the parent to print.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import OUT_DIR, PROJECT_DIR

SETTINGS = "commonground.config.settings.local"
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
# One database per worker process, so that two bench runs at once cannot clobber each other.
PG_DATABASE = f"commonground_bench_{os.getpid()}"
# BENCH_KEEP=1: a benchmark that supports it keeps its database after the run (one a benchmark
# and backend, named below) and the next run with BENCH_KEEP=1 measures on it without building
# again. Building 1,000,000 organisations takes most of an hour on a busy 2-core machine.
KEEP = bool(os.environ.get("BENCH_KEEP"))
# BENCH_SHARE=needs (with BENCH_KEEP): every benchmark measures on the fixture the needs bench
# kept (its 1,000,000-organisation atlas with embeddings), so the atlas is built once for the
# search, needs and sectors benches (the sectors bench adds its ledger to it).
SHARE = os.environ.get("BENCH_SHARE", "")


def kept_database(name: str) -> str:
    return f"commonground_bench_kept_{SHARE or name}"


def var_dir(name: str, backend: str) -> Path:
    return (
        OUT_DIR
        / "var"
        / f"{(SHARE if KEEP else '') or name}-{backend}-{'kept' if KEEP else os.getpid()}"
    )


def django_setup(name: str, backend: str) -> None:
    """Configure Django for a fresh bench database of this backend and migrate it (with
    BENCH_KEEP, the database kept by the last run, if any, is migrated and used as it is)."""
    global PG_DATABASE
    folder = var_dir(name, backend)
    if not KEEP:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["COMMONGROUND_VAR_DIR"] = str(folder)
    if backend == "postgresql":
        if KEEP:
            PG_DATABASE = kept_database(name)
            create_postgres_database_if_missing()
        else:
            recreate_postgres_database()
        os.environ["DATABASE_URL"] = PG_SERVER.rstrip("/") + "/" + PG_DATABASE
    elif backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        raise SystemExit(f"unknown backend {backend!r} (sqlite or postgresql)")
    src = str(PROJECT_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # Local settings turn DEBUG on, which makes Django keep every query's SQL; a deployment
    # does not, and at millions of rows it would distort the timings.
    settings.DEBUG = False
    database = settings.DATABASES["default"]
    assert "bench" in str(database["NAME"]), f"refusing to run against {database['NAME']}"
    call_command("migrate", verbosity=0, interactive=False)


def recreate_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_SERVER.rstrip("/") + "/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {PG_DATABASE}")


def create_postgres_database_if_missing() -> None:
    import psycopg

    with psycopg.connect(PG_SERVER.rstrip("/") + "/postgres", autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        if found is None:
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")


def cleanup(name: str, backend: str) -> None:
    """Drop the bench database (PostgreSQL) and remove the worker's var folder (SQLite), unless
    BENCH_KEEP keeps them for the next run."""
    from django.db import connections

    connections.close_all()
    if KEEP:
        return
    if backend == "postgresql":
        drop_postgres_database()
    shutil.rmtree(var_dir(name, backend), ignore_errors=True)


def run_child(
    name: str,
    backend: str,
    measure: Callable[[], dict[str, Any]],
    result_path: Path | None,
    label: dict[str, Any],
) -> int:
    """One benchmark in this child process: Django on the bench's own database, `measure()`,
    then the database cleaned up. The result, labelled, is written to `result_path` (else
    printed); an error is written as the result, for the parent to print with the others."""
    result: dict[str, Any]
    django_setup(name, backend)
    try:
        result = measure()
    except Exception as error:
        traceback.print_exc()
        result = {"failed": True, "error": f"{type(error).__name__}: {error}"}
    finally:
        cleanup(name, backend)
    result |= label
    if result_path is None:
        print(json.dumps(result, default=str, indent=2))
    else:
        result_path.write_text(json.dumps(result, default=str))
    return 1 if result.get("failed") else 0


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def drop_postgres_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(PG_SERVER.rstrip("/") + "/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


@contextmanager
def timed() -> Any:
    """`with timed() as t: ...` then t() is the elapsed seconds."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: p95 of 100 samples is the 95th smallest)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "min": min(samples),
        "max": max(samples),
        "n": len(samples),
    }


def machine() -> str:
    cpus = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.machine()}, {cpus} cores{memory}, Python {platform.python_version()}"


def say(message: str) -> None:
    print(message, flush=True)


def timed_import(importer: Any, path: Path) -> dict[str, Any]:
    """Run one import, timed, and describe it the way every load benchmark reports it."""
    from commonground.imports.engine import run_import
    from commonground.organisations.models import Organisation

    say(f"  run_import({type(importer).__name__}(), {path.name}) ...")
    with timed() as elapsed:
        run_ = run_import(importer, path)
    seconds = elapsed()
    say(
        f"  import {run_.status}: read {run_.rows_read:,}, loaded {run_.rows_loaded:,}, "
        f"skipped {run_.rows_skipped:,}, rejected {run_.rows_rejected:,} in {seconds:.1f} s"
    )
    if run_.error:
        say(f"  import error: {run_.error}")
    return {
        "status": str(run_.status),
        "error": run_.error,
        "rows_read": run_.rows_read,
        "rows_loaded": run_.rows_loaded,
        "rows_skipped": run_.rows_skipped,
        "rows_rejected": run_.rows_rejected,
        "organisations": Organisation.objects.count(),
        "seconds": seconds,
        "rows_per_second": run_.rows_read / seconds if seconds else 0.0,
    }


def run_on_each_backend(module: str, title: str, rows: int | None) -> dict[str, Any]:
    """Run `python -m bench.<module> --backend B` for SQLite then PostgreSQL, each in its own
    process (a fresh database and no warm caches), and join their figures and notes."""
    results = [_worker(module, backend, rows) for backend in ("sqlite", "postgresql")]
    report = [f"### {title}", "", f"Machine load at the start: {load_average()}.", ""]
    for result in results:
        report += result.get("notes", [])
        if result.get("failed"):
            report.append(f"- {result.get('backend')}: FAILED: {result.get('error')}")
    out: dict[str, Any] = {
        "figures": [f for r in results for f in r.get("figures", [])],
        "report_md": "\n".join(report),
    }
    failed = [r for r in results if r.get("failed")]
    if failed:
        out["failed"] = True
        out["error"] = "; ".join(str(r.get("error")) for r in failed)
    return out


def _worker(module: str, backend: str, rows: int | None) -> dict[str, Any]:
    say(f"  [{module} on {backend}]")
    return run_worker([f"bench.{module}"], backend, rows)


def run_worker(module_args: list[str], backend: str, rows: int | None) -> dict[str, Any]:
    """Run `python -m <module_args> --backend B --result FILE [--rows N]` in its own process
    and return the JSON it wrote; a worker that died is reported as failed."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".json", dir=OUT_DIR, delete=False) as handle:
        result_file = Path(handle.name)
    command = [sys.executable, "-m", *module_args, "--backend", backend]
    command += ["--result", str(result_file)] + (["--rows", str(rows)] if rows else [])
    completed = subprocess.run(command, cwd=PROJECT_DIR, check=False)
    try:
        result = json.loads(result_file.read_text() or "{}")
    except (OSError, json.JSONDecodeError):
        result = {}
    finally:
        result_file.unlink(missing_ok=True)
    result.setdefault("backend", backend)
    if completed.returncode != 0 and not result.get("failed"):
        result.update(failed=True, error=f"worker exited with {completed.returncode}")
    return result


def child_main(
    name: str,
    measure: Callable[[int | None, str, int], dict[str, Any]],
    reps: int,
    argv: list[str] | None,
) -> int:
    """The command line of a benchmark run in a child process (`python -m bench.<name>`):
    --backend, --rows (else the full scale), --reps and --result, then run_child."""
    parser = argparse.ArgumentParser(prog=f"python -m bench.{name}")
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--reps", type=int, default=reps)
    parser.add_argument("--result", type=Path, help="write the result here (else print it)")
    args = parser.parse_args(argv)
    return run_child(
        name,
        args.backend,
        lambda: measure(args.rows, args.backend, args.reps),
        args.result,
        {"backend": args.backend},
    )
