"""`python -m bench [ch|ccew|search ...] [--rows N] [--reps N]`: every benchmark below, at full
scale, by default.

- ch: Companies House filter-and-load of 5,000,000 rows (SQLite and PostgreSQL) beside DuckDB
  count(*); the new organisations' embeddings, made after the load, timed apart.
- ccew: Charity Commission extract of 400,000 charities (SQLite) beside DuckDB count(*).
- search: partner search over 1,000,000 organisations on SQLite and on PostgreSQL, beside a
  naive icontains query with the same filters.
- load: 50 clients for 60 s against gunicorn + PostgreSQL with the demo data, page cache off
  (the headline) then on, each after a cold one-client baseline (bench/load.py).
- fault: PostgreSQL restarted under load and during an import (bench/fault.py).
- money: spend import and link, the place profile over 5,000,000 flows, 360Giving validation
  throughput (bench/money.py).
- flows: the flows downloads (CSV and JSON, streamed) of Trafford's real 2026-27 spend, first
  byte and whole body, beside the download built whole as before (bench/flows.py).
- search_quality: recall@20 and nDCG@10 of partner search on commissioners' own queries
  within Trafford, hybrid beside full text alone (bench/search_quality.py).
- linkage: charity-to-company linkage quality (precision, recall, F1) against the published
  links (bench/linkage.py): a derived set and a development set.
- linkage_heldout: linkage of 300 of Trafford's spend recipients, checked by hand and held out
  (nothing in the model was set looking at them), beside exact names (bench/linkage_heldout.py).
- appraisal: the route appraisal engine for one answer set and for 10,000 random valid answer
  sets, p95 each, beside validating the same answers (bench/appraisal.py).
- engagement: articulation analysis of 10,000 statements and the alignment report for a
  2,000-statement conversation (bench/engagement.py).
- sectors: the sector guide's pages and API for Trafford over 1,000,000 organisations and
  1,000,000 flows, beside the atlas search page and API in the same run (bench/sectors.py).
- needs: the matches for a need over 1,000,000 organisations and 100,000 services, beside
  partner search alone in the same run (bench/needs.py).
- postcodes: the national postcode import's peak memory (synthetic NSPL, 1,000,000 rows) in
  bounded memory beside every record key held in memory, in the same run (bench/postcodes.py).

The register and search inputs (ch, ccew, search) are synthetic, generated once into
bench/out/ in the publishers' real layouts and reused; load, fault, money, linkage and
engagement read the real files in ../shared/data (engagement's speed runs also recombine the
labelled statements into synthetic ones). Each result says which. Results are printed, and
written to bench/out/results.json and bench/out/RESULTS.md (--write-results also writes
bench/RESULTS.md, the copy kept in the repository).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from . import (
    BENCH_DIR,
    OUT_DIR,
    PROJECT_DIR,
    appraisal,
    ccew,
    ch,
    engagement,
    fault,
    flows,
    generators,
    linkage,
    linkage_heldout,
    load,
    money,
    needs,
    postcodes,
    search,
    search_quality,
    sectors,
)
from .harness import machine, say, timed

BENCHMARKS = (
    "ch",
    "ccew",
    "search",
    "search_quality",
    "load",
    "fault",
    "money",
    "flows",
    "linkage",
    "linkage_heldout",
    "engagement",
    "appraisal",
    "sectors",
    "needs",
    "postcodes",
)
# Benchmarks that report their own figures: module.run(rows) returns a result whose "figures"
# are table rows (see render) and whose optional "report_md" is printed after the table.
SELF_REPORTING = {
    "money": money,
    "flows": flows,
    "linkage": linkage,
    "linkage_heldout": linkage_heldout,
    "engagement": engagement,
    "appraisal": appraisal,
    "sectors": sectors,
    "needs": needs,
    "search_quality": search_quality,
    "postcodes": postcodes,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "benchmarks", nargs="*", help="ch, ccew, search, load and/or fault (default: all)"
    )
    parser.add_argument("--rows", type=int, help="scale: rows, charities or organisations")
    parser.add_argument("--reps", type=int, default=40, help="repetitions of each search query")
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="databases for the ch and search benchmarks"
    )
    parser.add_argument("--write-results", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument(
        "--report",
        nargs="+",
        type=Path,
        metavar="RESULTS_JSON",
        help="run nothing: print one report from the results of earlier runs",
    )
    args = parser.parse_args(argv)
    if args.report:
        results = [r for path in args.report for r in json.loads(path.read_text())]
        total = sum(r.get("wall_seconds", 0.0) for r in results)
        report = render(results, total)
        say(report)
        if args.write_results:
            (BENCH_DIR / "RESULTS.md").write_text(report)
        return 0
    chosen = args.benchmarks or list(BENCHMARKS)
    unknown = [b for b in chosen if b not in BENCHMARKS]
    if unknown:
        parser.error(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )

    started = time.perf_counter()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    say(f"Common Ground benchmarks, {datetime.now():%Y-%m-%d %H:%M}, on {machine()}")
    say("Register and search inputs are SYNTHETIC (publishers' real layouts); the rest are real.\n")
    results: list[dict[str, Any]] = []
    if "ch" in chosen:
        rows = args.rows or ch.FULL_ROWS
        say(f"[ch] Companies House BasicCompanyData, {rows:,} rows (synthetic)")
        with timed() as elapsed:
            path, reused = generators.companies_house_csv(rows)
        say(f"  input {path} ({_size(path)}): {_made(reused, elapsed())}")
        for backend in args.backends.split(","):
            say(f"  [ch on {backend.strip()}]")
            results.append(_worker("ch", backend.strip(), rows, args.reps, path))
    if "ccew" in chosen:
        rows = args.rows or ccew.FULL_CHARITIES
        say(f"\n[ccew] Charity Commission register extract, {rows:,} charities (synthetic)")
        with timed() as elapsed:
            folder, reused = generators.ccew_extract(rows)
        say(f"  input {folder}/ ({_size(folder)}): {_made(reused, elapsed())}")
        results.append(_worker("ccew", "sqlite", rows, args.reps, folder))
    if "search" in chosen:
        rows = args.rows or search.FULL_ORGANISATIONS
        for backend in args.backends.split(","):
            say(f"\n[search] partner search over {rows:,} organisations (synthetic) on {backend}")
            results.append(_worker("search", backend.strip(), rows, args.reps, None))
    for name, module in SELF_REPORTING.items():
        if name in chosen:
            say(f"\n[{name}]")
            try:
                result = module.run(args.rows)
            except Exception as error:  # a failed run is reported, the others still print
                result = {"failed": True, "error": f"{type(error).__name__}: {error}"}
            result.setdefault("benchmark", name)
            result.setdefault("backend", "")
            result.setdefault("scale", args.rows or 0)
            results.append(result)
    # The operations runs start their own gunicorn and database; they take no --rows.
    for name, module in (("load", load), ("fault", fault)):
        if name in chosen:
            say("")
            try:
                result = module.run()
                result["report_md"] = module.render(result)
            except Exception as error:  # a failed run is reported, the others still print
                result = {
                    "benchmark": name,
                    "backend": "postgresql",
                    "failed": True,
                    "error": f"{type(error).__name__}: {error}",
                }
            result["scale"] = 0
            results.append(result)

    total = time.perf_counter() - started
    report = render(results, total)
    say("\n" + report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    saved = json.dumps(results, indent=2, default=str)
    (OUT_DIR / "results.json").write_text(saved)
    (OUT_DIR / f"results-{datetime.now():%Y%m%d-%H%M%S}-{'-'.join(chosen)}.json").write_text(saved)
    (OUT_DIR / "RESULTS.md").write_text(report)
    if args.write_results:
        (BENCH_DIR / "RESULTS.md").write_text(report)
    return 1 if any(r.get("failed") for r in results) else 0


def _made(reused: bool, seconds: float) -> str:
    return "reused (same parameters)" if reused else f"generated in {seconds:.1f} s"


def _size(path: Path) -> str:
    size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
    return f"{size / 1e6:,.0f} MB"


def _worker(name: str, backend: str, rows: int, reps: int, path: Path | None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", dir=OUT_DIR, delete=False) as handle:
        result_file = Path(handle.name)
    command = [
        sys.executable,
        "-m",
        "bench.worker",
        name,
        "--backend",
        backend,
        "--rows",
        str(rows),
        "--reps",
        str(reps),
        "--result",
        str(result_file),
    ]
    if path is not None:
        command += ["--input", str(path)]
    with timed() as elapsed:
        completed = subprocess.run(command, cwd=PROJECT_DIR, check=False)
    try:
        result = json.loads(result_file.read_text() or "{}")
    except (OSError, json.JSONDecodeError):
        result = {}
    finally:
        result_file.unlink(missing_ok=True)
    result.setdefault("benchmark", name)
    result.setdefault("backend", backend)
    result["scale"] = rows
    result["wall_seconds"] = elapsed()
    if completed.returncode != 0 and not result.get("failed"):
        result["failed"] = True
        result["error"] = result.get("error") or f"worker exited with {completed.returncode}"
    return result


# --- the report --------------------------------------------------------------------------------


def _p50_p95(figures: dict[str, float] | None) -> str:
    return f"{figures['p50']:.1f} / {figures['p95']:.1f}" if figures else "–"


def _yes_no(met: Any) -> str:
    return "n/a" if met is None else ("yes" if met else "NO")


def render(results: list[dict[str, Any]], total_seconds: float) -> str:
    lines = [
        "# Common Ground benchmark results",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {machine()}. "
        f"Whole run {total_seconds / 60:.1f} min. The register and search inputs are synthetic "
        "(bench/generators.py, in the publishers' real layouts); the others read the real files "
        "in ../shared/data.",
        "",
        "| benchmark | database | figure | same-run baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["benchmark"] in SELF_REPORTING:
            if r.get("failed"):
                lines.append(f"| {r['benchmark']} | | FAILED: {r.get('error')} | | | | |")
            # Each figure: name, database, figure, baseline, ratio, target, met (True/False/None).
            for f in r.get("figures", []):
                lines.append(
                    f"| {f['name']} | {f.get('backend', '')} | {f['figure']} "
                    f"| {f.get('baseline', '')} | {f.get('ratio', '')} | {f.get('target', '')} "
                    f"| {_yes_no(f.get('met'))} |"
                )
            continue
        if r["benchmark"] in ("load", "fault"):
            if r.get("failed"):
                lines.append(
                    f"| {r['benchmark']} run | postgresql | FAILED: {r.get('error')} | | | | |"
                )
            continue
        name = {
            "ch": "Companies House load",
            "ccew": "CCEW extract load",
            "search": "Partner search",
        }[r["benchmark"]]
        if r.get("failed"):
            lines.append(
                f"| {name} ({r['scale']:,}) | {r['backend']} | FAILED: {r.get('error', '')} "
                "| | | | |"
            )
            continue
        if r["benchmark"] in ("ch", "ccew"):
            figure = (
                f"{r['seconds']:.1f} s, {r['rows_per_second']:,.0f} rows/s (read "
                f"{r['rows_read']:,}, loaded {r['rows_loaded']:,}, skipped {r['rows_skipped']:,}, "
                f"rejected {r['rows_rejected']:,}; {r['status']})"
            )
            baseline = f"{r['baseline_seconds']:.1f} s ({r['baseline']})"
            ratio = f"{r['ratio']:.1f}x"
            if "with_embeddings_seconds" in r:
                # The embeddings of the new organisations, made after the load commits.
                figure += (
                    f"; then embeddings of {r['embedded']:,} organisations "
                    f"{r['embed_seconds']:.1f} s: load and embeddings "
                    f"{r['with_embeddings_seconds']:.1f} s"
                )
                ratio += f" (load and embeddings {r['with_embeddings_ratio']:.1f}x)"
        else:
            s, n = r["selector_ms"], r["naive_ms"]
            # Judged on the typical (place + sector) queries; national ones are shown apart.
            typical = [q["selector_ms"]["p95"] for q in r["queries"] if q["kind"] == "typical"]
            national = [q["selector_ms"]["p95"] for q in r["queries"] if q["kind"] != "typical"]
            r["met"] = max(typical) < search.TARGET_P95_MS
            r["targets"] = f"p95 under {search.TARGET_P95_MS:g} ms for every typical query"
            figure = (
                f"p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms over the 10 typical queries "
                f"(worst typical query p95 {max(typical):.1f} ms; national queries p95 up to "
                f"{max(national, default=0):.1f} ms)"
            )
            baseline = f"naive icontains p50 {n['p50']:.1f} ms, p95 {n['p95']:.1f} ms"
            ratio = f"{r['ratio_p50']:.2f} (p50), {r['ratio_p95']:.2f} (p95)"
        lines.append(
            f"| {name} ({r['scale']:,}) | {r['backend']} | {figure} | {baseline} | {ratio} "
            f"| {r.get('targets', '')} | {_yes_no(r.get('met'))} |"
        )
    loads = [
        f"{r['benchmark']}/{r['backend']} {r['load_average_before']} before, "
        f"{r['load_average_after']} after"
        for r in results
        if "load_average_before" in r and "load_average_after" in r
    ]
    if loads:
        lines += [
            "",
            "Machine load average during each run (the 2 cores may be shared with other work, "
            "which slows every figure and its baseline alike): " + "; ".join(loads) + ".",
        ]
    for r in results:
        if r.get("report_md"):
            lines += ["", r["report_md"].rstrip("\n")]
    for r in results:
        if r["benchmark"] != "search" or r.get("failed"):
            continue
        lines += [
            "",
            f"## Partner search on {r['backend']}: {r['organisations']:,} organisations",
            "",
            f"Built by the {r['build']}: insert {r['insert_seconds']:.0f} s, search index "
            f"{r['index_seconds']:.0f} s, analyse {r['analyse_seconds']:.0f} s. Each query ran "
            f"up to {r['reps']} times after two warm-up runs (timings include the place lookup "
            "a request makes). Place kept: the selector with the place's organisations and "
            "vectors kept for the public data generation (ADR 0037), beside the selector "
            "computing them. Ratio = selector / naive; below 1 means the selector is faster.",
            "",
            "| query | place | sectors | found (naive) | selector p50 / p95 ms "
            "| place kept p50 / p95 ms | words alone p50 / p95 ms "
            "| naive p50 / p95 ms | ratio p50 / p95 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for q in r["queries"]:
            s, n = q["selector_ms"], q["naive_ms"]
            kept, words = q.get("selector_kept_ms"), q.get("full_text_ms")
            lines.append(
                f"| {q['text']}{' (national)' if q['kind'] == 'national' else ''} | {q['place']} "
                f"| {', '.join(q['sectors']) or 'any'} | {q['found']:,} ({q['naive_found']:,}) "
                f"| {s['p50']:.1f} / {s['p95']:.1f} | {_p50_p95(kept)} | {_p50_p95(words)} "
                f"| {n['p50']:.1f} / {n['p95']:.1f} "
                f"| {q['ratio_p50']:.2f} / {q['ratio_p95']:.2f} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
