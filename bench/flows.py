"""Flows downloads: /money/flows.csv and .json for Trafford's real 2026-27 spend (38,055 flows),
streamed, beside the download as it was built before (whole, from model instances), in the same
run, on SQLite and on PostgreSQL.

The ledger is loaded through the real importers: Trafford's charities register (for the links)
and the real 2026-27 supplier spend file, whole (`--rows` does not apply). Each download is
requested through Django's own request handler (every middleware, the view, the streaming body)
three times after one warm-up; the median is reported for the first byte and for the whole body.
Targets (issue 16): first byte under 1 s, the whole 38,000 rows under 5 s.

Baseline: the same rows built the way the download was built before streaming in chunks, from
MoneyFlow instances with their linked organisations (`select_related`, the published record
deferred) into one CSV held whole before the first byte is sent. Its first byte is its last.

Each backend runs in its own process (`python -m bench.flows --backend B --result F`) against
its own bench database. `run(rows)` returns {"figures": [...], "report_md": "..."}.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from . import SHARED_DATA
from .harness import run_child, run_on_each_backend, say, timed

FIRST_BYTE_TARGET_S = 1.0
WHOLE_TARGET_S = 5.0
REPEATS = 3
TRAFFORD = "E08000009"
BACKENDS = ("sqlite", "postgresql")


def run(rows: int | None = None) -> dict[str, Any]:
    return run_on_each_backend("flows", "Flows downloads", rows)


def _load() -> int:
    from commonground.imports.engine import run_import
    from commonground.money.models import MoneyFlow
    from commonground.money.spend import SpendImporter
    from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
    from commonground.places.models import Place, PlaceKind

    Place.objects.create(gss_code=TRAFFORD, name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY)
    run_import(
        TraffordCharitiesImporter(), SHARED_DATA / "registers/trafford_charities_ccew_2023.csv"
    )
    importer = SpendImporter(
        "trafford", metadata=SHARED_DATA / "spend/trafford-supplier-spend-csv-metadata.json"
    )
    run_import(importer, SHARED_DATA / "spend/trafford-supplier-spend-2026-27.zip")
    return MoneyFlow.objects.filter(place__gss_code=TRAFFORD).count()


def _streamed(url: str) -> tuple[float, float, int]:
    """(seconds to the first byte, seconds to the last, bytes) of one request."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    first = None
    size = 0
    body = response.streaming_content if response.streaming else [response.content]
    for piece in body:
        if first is None:
            first = time.perf_counter() - started
        size += len(piece)
    return first or 0.0, time.perf_counter() - started, size


def _baseline_csv() -> tuple[float, float, int]:
    """The download as it was built before: model instances, one CSV held whole."""
    from commonground.core.spreadsheets import csv_text
    from commonground.money.flow_views import FLOW_COLUMNS
    from commonground.money.flows import FlowFilters, filtered_flows

    def values(flow: Any) -> list[Any]:
        return [
            flow.pk, flow.date.isoformat(), flow.financial_year, flow.channel, flow.payer_name,
            flow.payer_organisation.org_id if flow.payer_organisation else "",
            flow.recipient_name,
            flow.recipient_organisation.org_id if flow.recipient_organisation else "",
            flow.recipient_link_method, flow.recipient_sector, flow.amount_pence,
            f"{flow.amount_pence / 100:.2f}", flow.purpose, flow.category,
            flow.place.gss_code if flow.place else "", flow.dataset, flow.record_key,
            flow.file_name, flow.row_number if flow.row_number is not None else "",
            flow.json_path, flow.import_run_id or "",
        ]  # fmt: skip

    started = time.perf_counter()
    flows = (
        filtered_flows(FlowFilters(place=TRAFFORD))
        .select_related("recipient_organisation", "payer_organisation", "place")
        .defer("raw")
        .order_by("-date", "-id")
        .iterator(chunk_size=2000)
    )
    body = csv_text(FLOW_COLUMNS, (values(f) for f in flows)).encode()
    seconds = time.perf_counter() - started
    return seconds, seconds, len(body)


def _median(samples: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    return (
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
        samples[-1][2],
    )


def downloads(rows: int | None, backend: str) -> dict[str, Any]:
    with timed() as elapsed:
        flows = _load()
    say(f"  {flows:,} real flows loaded in {elapsed():.0f} s")
    measured: dict[str, tuple[float, float, int]] = {}
    cases = {
        "CSV, newest first": lambda: _streamed(f"/money/flows.csv?place={TRAFFORD}"),
        "CSV, largest first": lambda: _streamed(f"/money/flows.csv?place={TRAFFORD}&sort=largest"),
        "JSON, newest first": lambda: _streamed(f"/money/flows.json?place={TRAFFORD}"),
        "baseline": _baseline_csv,
    }
    for name, case in cases.items():
        case()  # warm-up
        measured[name] = _median([case() for _ in range(REPEATS)])
        first, whole, size = measured[name]
        say(f"  {name}: first byte {first:.2f} s, whole {whole:.2f} s, {size / 1e6:.1f} MB")
    base_first, base_whole, _ = measured.pop("baseline")
    figures, notes = [], []
    for name, (first, whole, size) in measured.items():
        figures.append(
            _figure(f"Flows download, {name}: first byte (s)", backend, first, base_first,
                    f"< {FIRST_BYTE_TARGET_S:.0f} s", first < FIRST_BYTE_TARGET_S)
        )  # fmt: skip
        figures.append(
            _figure(f"Flows download, {name}: {flows:,} real flows (s)", backend, whole,
                    base_whole, f"< {WHOLE_TARGET_S:.0f} s", whole < WHOLE_TARGET_S)
        )  # fmt: skip
        notes.append(
            f"- {name} on {backend}: {flows:,} real flows ({size / 1e6:.1f} MB), first byte "
            f"{first:.2f} s, whole {whole:.2f} s (median of {REPEATS}); the download as built "
            f"before (whole, from model instances) takes {base_whole:.2f} s before its first byte."
        )
    return {"figures": figures, "notes": notes}


def _figure(
    name: str, backend: str, figure: float, baseline: float, target: str, met: bool
) -> dict[str, Any]:
    return {
        "name": name,
        "backend": backend,
        "figure": round(figure, 3),
        "baseline": round(baseline, 3),
        "ratio": round(figure / baseline, 2) if baseline else None,
        "target": target,
        "met": met,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flows")
    parser.add_argument("--backend", default="sqlite", choices=BACKENDS)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--result", type=Path, help="write the result here (else print it)")
    args = parser.parse_args(argv)
    return run_child(
        "flows",
        args.backend,
        lambda: downloads(args.rows, args.backend),
        args.result,
        {"backend": args.backend},
    )


if __name__ == "__main__":
    raise SystemExit(main())
