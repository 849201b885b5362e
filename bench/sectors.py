"""The sector guide's pages at national scale, beside the atlas search in the same run.

One process a database (`python -m bench.sectors --backend B --rows N --result F`): a fresh bench
database gets the partner-search bench's SYNTHETIC atlas (1,000,000 organisations over the 296
English local authorities, built by bench.search.build) and the money bench's SYNTHETIC ledger
(bench.money's generator, 1,000,000 flows, 5% of them Trafford's). Then each page is requested
through Django's test client with the page cache off, so every request computes its figures:
the atlas search page and API for Trafford's charities (the baseline, measured in the same run),
the guide's index, the charity page and the sectors API for Trafford. Two warm-up requests, then
`reps` timed ones; p50 and p95. Target: every guide page's p95 under 300 ms.

`run(rows)` returns {"figures": [...], "report_md": "..."} for the report.
"""

from __future__ import annotations

from typing import Any

from .harness import (
    KEEP,
    child_main,
    load_average,
    run_on_each_backend,
    say,
    summary,
    timed,
)

FULL_ORGANISATIONS = 1_000_000
FLOWS = 1_000_000
TARGET_P95_MS = 300.0
REPS = 30
TRAFFORD = "E08000009"
BASELINE = ("atlas search page", f"/organisations/?place={TRAFFORD}&sector=charity")
PAGES = (
    BASELINE,
    ("atlas search API", f"/api/v1/organisations?place={TRAFFORD}&sector=charity"),
    ("sector guide", f"/sectors/?place={TRAFFORD}"),
    ("sector page (charities)", f"/sectors/charity/?place={TRAFFORD}"),
    ("sectors API", f"/api/v1/sectors?place={TRAFFORD}"),
)
GUIDE_PAGES = ("sector guide", "sector page (charities)", "sectors API")


def run(rows: int | None = None) -> dict[str, Any]:
    return run_on_each_backend("sectors", "Sector guide beside the atlas search", rows)


def _build(count: int, flows: int, backend: str, atlas: bool = True) -> dict[str, float]:
    """The atlas (unless `atlas` is False: a kept one, BENCH_SHARE) and the ledger."""
    from commonground.places.models import Place, PlaceKind

    from . import money, search

    timings = (
        search.build(count, seed=1) if atlas else {"insert_seconds": 0.0, "index_seconds": 0.0}
    )
    authorities = list(
        Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY).values_list("gss_code", "pk")
    )
    la_ids = [pk for code, pk in authorities if code == TRAFFORD]
    la_ids += [pk for code, pk in authorities if code != TRAFFORD]
    wards = list(
        Place.objects.filter(parent_id=la_ids[0], kind=PlaceKind.WARD).values_list("pk", flat=True)
    )
    with timed() as elapsed:
        money._load_ledger(money._ledger_sql(flows, len(la_ids), wards, la_ids, count), backend)
    timings["ledger_seconds"] = elapsed()
    return timings


def _time(client: Any, path: str, reps: int) -> list[float]:
    for _ in range(2):  # warm caches and the query planner, as a running server would be
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    samples = []
    for _ in range(reps):
        with timed() as elapsed:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        samples.append(elapsed() * 1000)
    return samples


def measure(rows: int | None, backend: str, reps: int = REPS) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from commonground.money.models import MoneyFlow
    from commonground.organisations.models import Organisation

    count = rows or FULL_ORGANISATIONS
    flows = rows or FLOWS
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 0  # every request computes its figures
    settings.ALLOWED_HOSTS = ["*"]
    before = load_average()
    atlas_kept = KEEP and Organisation.objects.count() >= count
    kept = atlas_kept and MoneyFlow.objects.count() >= flows
    if kept:  # BENCH_KEEP: the fixture an earlier run built and kept, migrated to this code
        timings = {"insert_seconds": 0.0, "index_seconds": 0.0, "ledger_seconds": 0.0}
        _analyse()
    else:  # a kept atlas without a ledger (BENCH_SHARE) gets the ledger only
        timings = _build(count, flows, backend, atlas=not atlas_kept)
        if atlas_kept:
            _analyse()
    organisations, ledger = Organisation.objects.count(), MoneyFlow.objects.count()
    say(f"  {organisations:,} organisations and {ledger:,} flows (synthetic)")
    client = Client()
    pages = {}
    for name, path in PAGES:
        pages[name] = summary(_time(client, path, reps))
        say(f"  {name:26} p50 {pages[name]['p50']:7.1f} ms  p95 {pages[name]['p95']:7.1f} ms")
    base = pages[BASELINE[0]]["p95"]
    figures = [
        {
            "name": f"{name} p95 ms ({organisations:,} organisations, {ledger:,} flows)",
            "backend": backend,
            "figure": round(pages[name]["p95"], 1),
            "baseline": round(base, 1),
            "ratio": round(pages[name]["p95"] / base, 2) if base else None,
            "target": f"< {TARGET_P95_MS:g} ms" if name in GUIDE_PAGES else "",
            "met": pages[name]["p95"] < TARGET_P95_MS if name in GUIDE_PAGES else None,
        }
        for name, _ in PAGES
    ]
    built = (
        "built by an earlier run and kept (BENCH_KEEP)"
        if kept
        else f"insert {timings['insert_seconds']:.0f} s, index {timings['index_seconds']:.0f} s, "
        f"ledger {timings['ledger_seconds']:.0f} s"
    )
    notes = [
        f"- {backend}: {organisations:,} SYNTHETIC organisations and {ledger:,} SYNTHETIC "
        f"flows ({built}); page cache "
        f"off; {reps} requests a page after 2 warm-ups; machine load {before} before, "
        f"{load_average()} after. Baseline: the {BASELINE[0]} ({BASELINE[1]}).",
        "",
        "| page | path | p50 ms | p95 ms |",
        "|---|---|---|---|",
        *(
            f"| {name} | `{path}` | {pages[name]['p50']:.1f} | {pages[name]['p95']:.1f} |"
            for name, path in PAGES
        ),
        "",
    ]
    return {"figures": figures, "notes": notes, "pages": pages, "backend": backend}


def _analyse() -> None:
    """Refresh the planner's statistics on a kept fixture (migrations may have changed it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    return child_main("sectors", measure, REPS, argv)


if __name__ == "__main__":
    raise SystemExit(main())
