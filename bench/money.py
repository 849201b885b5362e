"""Money: spend import and link vs DuckDB; place profile over 5M flows; 360Giving MB/s.

Three parts, each beside a baseline measured in the same run:

1. spend: Trafford's real 2024-25 supplier spend (210,068 rows; `--rows` takes the first N)
   imported and linked end to end (SpendImporter with the CSVW metadata, linkage against the
   Trafford charities register) on SQLite, the target's database, and on PostgreSQL. Baseline:
   DuckDB reading the same CSV (count and sum of Amount). Target under 30 s on SQLite. The
   ledger's total is checked against DuckDB's to the penny.
2. profile: a SYNTHETIC national ledger of 5,000,000 flows (`--rows`), generated with DuckDB
   in the ledger's layout from the real layouts' shapes (council spend lines, 360Giving grants,
   contract award shares; 296 local authorities, Trafford's real 21 wards; a quarter of
   recipients linked to synthetic organisations), loaded into SQLite and PostgreSQL; the
   Trafford place profile is computed (median of 5 after one warm-up). Baseline: the least any
   profile must do, one SUM and COUNT over the place's flows. Target under 300 ms. Beside it,
   reported without a target (ADR 0064): a ward's profile, beside one SUM and COUNT over the
   ward's flows found by their indexes; and the flows explorer's first page (the newest 50 of
   every flow), beside reading any 50 rows. SQLite is analysed after the load as an import of
   that size does it (sampled statistics), PostgreSQL vacuumed and analysed.
3. validation: a SYNTHETIC 360Giving JSON package (Trafford's real grants repeated with new
   identifiers, about 100 MB at full scale) validated by the importer's validator (read, parse,
   jsonschema_rs against the official 1.4.3 schema). Baselines: the standard's own validator,
   reported at about 0.7 MB/s on a 629 MB file (a published figure, not run here), and the
   pure-Python `jsonschema` package on a 5 MB slice, measured in this run. Target 35 MB/s.

Each part runs in its own process (`python -m bench.money PART --backend B --rows N --result F`)
against its own bench database; `python -m bench.money spend` alone runs just the spend import
and prints its result. `run(rows)` returns {"figures": [...], "report_md": "..."}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import zipfile
from pathlib import Path
from typing import Any

from . import OUT_DIR, SHARED_DATA
from .harness import load_average, run_child, run_worker, say, timed

SPEND_ROWS = 210_068
LEDGER_ROWS = 5_000_000
VALIDATION_GRANTS = 60_000  # about 100 MB
SPEND_TARGET_S = 30.0
PROFILE_TARGET_MS = 300.0
VALIDATION_TARGET_MBS = 35.0
REFERENCE_MBS = 0.7
TRAFFORD = "E08000009"
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# --- the parent: one process a part --------------------------------------------------------


def run(rows: int | None = None) -> dict[str, Any]:
    say(f"  machine load {load_average()}")
    parts = [("spend", "sqlite"), ("spend", "postgresql")]
    parts += [("profile", "sqlite"), ("profile", "postgresql")]
    parts.append(("validation", "sqlite"))
    results = []
    for part, backend in parts:
        say(f"  [{part} on {backend}]")
        results.append(_child(part, backend, rows))
    figures = [f for r in results for f in r.get("figures", [])]
    failed = [r for r in results if r.get("failed")]
    report = ["### Money", "", f"Machine load at the start: {load_average()}.", ""]
    for result in results:
        report += result.get("notes", [])
        if result.get("failed"):
            report.append(f"- {result.get('part')}: FAILED: {result.get('error')}")
    out: dict[str, Any] = {"figures": figures, "report_md": "\n".join(report)}
    if failed:
        out["failed"] = True
        out["error"] = "; ".join(str(r.get("error")) for r in failed)
    return out


def _child(part: str, backend: str, rows: int | None) -> dict[str, Any]:
    result = run_worker(["bench.money", part], backend, rows)
    result.setdefault("part", part)
    return result


def _figure(
    name: str, backend: str, figure: float, baseline: float | None, target: str, met: bool
) -> dict[str, Any]:
    ratio = figure / baseline if baseline else None
    return {
        "name": name,
        "backend": backend,
        "figure": round(figure, 3),
        "baseline": None if baseline is None else round(baseline, 3),
        "ratio": None if ratio is None else round(ratio, 2),
        "target": target,
        "met": met,
    }


# --- part 1: the real spend file --------------------------------------------------------------


def _spend_input(rows: int) -> Path:
    """The real 2024-25 zip, or (for a reduced run) a zip of its header and first rows."""
    source = SHARED_DATA / "spend/trafford-supplier-spend-2024-25.zip"
    if rows >= SPEND_ROWS:
        return source
    target = OUT_DIR / f"trafford-supplier-spend-2024-25-first-{rows}.zip"
    if not target.exists():
        with zipfile.ZipFile(source) as archive:
            member = archive.namelist()[0]
            with archive.open(member) as handle:
                lines = [next(handle) for _ in range(rows + 1)]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr(member, b"".join(lines))
    return target


def spend_part(rows: int | None, backend: str = "sqlite") -> dict[str, Any]:
    import duckdb
    from django.db.models import Sum

    from commonground.imports.engine import run_import
    from commonground.money.models import MoneyFlow
    from commonground.money.spend import SpendImporter
    from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter

    count = min(rows or SPEND_ROWS, SPEND_ROWS)
    path = _spend_input(count)
    # The linkage needs organisations to link to: the Trafford charities register (real).
    run_import(
        TraffordCharitiesImporter(), SHARED_DATA / "registers/trafford_charities_ccew_2023.csv"
    )
    csv_path = OUT_DIR / f"{path.stem}.csv"
    with zipfile.ZipFile(path) as archive:
        csv_path.write_bytes(archive.read(archive.namelist()[0]))
    with timed() as elapsed:
        lines, duck_total = duckdb.sql(
            f"SELECT count(*), sum(CAST(Amount AS DECIMAL(18,2))) FROM "
            f"read_csv('{csv_path}', all_varchar=true)"
        ).fetchall()[0]
    duck_seconds = elapsed()
    csv_path.unlink()
    importer = SpendImporter(
        "trafford", metadata=SHARED_DATA / "spend/trafford-supplier-spend-csv-metadata.json"
    )
    with timed() as elapsed:
        run_ = run_import(importer, path)
    seconds = elapsed()
    total = MoneyFlow.objects.aggregate(t=Sum("amount_pence"))["t"] or 0
    reconciles = total == int(duck_total * 100)
    methods = dict(
        MoneyFlow.objects.values_list("recipient_link_method").annotate(n=Sum(1)).order_by()
    )
    say(
        f"  spend {run_.status}: {run_.rows_loaded:,} of {lines:,} lines in {seconds:.1f} s "
        f"on {backend} (DuckDB {duck_seconds:.2f} s); total £{total / 100:,.2f}, DuckDB "
        f"£{duck_total:,.2f}, reconciles: {reconciles}"
    )
    figure = _figure(
        f"Trafford spend {count:,} real rows: import + link (s)",
        backend,
        seconds,
        duck_seconds,
        f"< {SPEND_TARGET_S:.0f} s" if backend == "sqlite" else "(no target)",
        seconds < SPEND_TARGET_S and run_.status == "succeeded",
    )
    notes = [
        f"- Spend: {run_.rows_loaded:,} real lines of Trafford's 2024-25 file imported and "
        f"linked in {seconds:.1f} s on {BACKEND_NAMES[backend]} (DuckDB reads the same CSV in "
        f"{duck_seconds:.2f} s). Ledger total £{total / 100:,.2f} "
        f"{'equals' if reconciles else 'DOES NOT equal'} DuckDB's sum of Amount "
        f"(£{duck_total:,.2f}). Recipient links: "
        + ", ".join(f"{k or 'none'} {v:,}" for k, v in sorted(methods.items()))
        + "."
    ]
    return {"figures": [figure], "notes": notes, "reconciles": reconciles}


# --- part 2: the synthetic national ledger ----------------------------------------------------

LEDGER_COLUMNS = (
    "id", "channel", "dataset", "record_key", "file_name", "row_number", "json_path", "raw",
    "checksum", "payer_name", "payer_key", "payer_identifiers", "payer_link_method",
    "recipient_name", "recipient_key", "recipient_identifiers", "recipient_postcode",
    "recipient_link_method", "recipient_sector", "recipient_attribution", "recipient_form_rule",
    "amount_pence", "currency", "date",
    "financial_year", "purpose", "category", "attributes", "updated_at", "place_id", "ward_id",
    "recipient_organisation_id", "recipient_local_authority_id", "import_run_id",
    "payer_organisation_id",
)  # fmt: skip
SECTORS = (
    "charity", "social_enterprise", "cooperative_mutual", "community_business",
    "private_business", "public_body", "unknown",
)  # fmt: skip


def _ledger_sql(rows: int, las: int, ward_ids: list[int], la_ids: list[int], orgs: int) -> str:
    """DuckDB SQL for the SYNTHETIC ledger: 5% of flows are Trafford's (la_ids[0]), the rest
    spread over the other authorities; 70% spend lines, 20% grants, 10% contract shares;
    a quarter of recipients linked to one of the synthetic organisations."""
    la_list = ", ".join(str(i) for i in la_ids)
    ward_list = ", ".join(str(i) for i in ward_ids)
    sectors = ", ".join(f"'{s}'" for s in SECTORS)
    return f"""
    WITH base AS (
      SELECT i,
        CAST(hash(i, 1) % 1000 AS BIGINT) AS r1, CAST(hash(i, 2) % 100000 AS BIGINT) AS r2,
        CAST(hash(i, 3) % 1000000 AS BIGINT) AS r3, CAST(hash(i, 4) % 7 AS BIGINT) AS r4,
        CAST(hash(i, 5) % 100 AS BIGINT) AS r5
      FROM range({rows}) t(i)
    ), shaped AS (
      SELECT i, r1, r2, r3, r4, r5,
        CASE WHEN r1 < 50 THEN 1 ELSE 2 + (r2 % {las - 1}) END AS la_pos,
        CASE WHEN r1 % 10 < 7 THEN 'spend' WHEN r1 % 10 < 9 THEN 'grant' ELSE 'contract' END
          AS channel
      FROM base
    )
    SELECT i + 1, channel, 'synthetic_' || channel, 'syn-' || i, 'synthetic', i % 100000,
      '', '{{}}', '', 'Synthetic Council ' || la_pos, 'synthetic:payer:' || la_pos, '[]',
      'unresolved',
      'Synthetic recipient ' || la_pos || '-' || (r3 % 3000),
      'synthetic:' || la_pos || '-' || (r3 % 3000), '[]', '',
      CASE WHEN r3 % 3000 < 750 THEN 'identifier' WHEN r5 < 3 THEN 'redacted'
        ELSE 'unresolved' END,
      CASE WHEN r3 % 3000 < 750 THEN [{sectors}][1 + r4] ELSE '' END,
      CASE WHEN r3 % 3000 < 750 THEN 'register' WHEN r5 < 3 THEN 'inferred' ELSE 'unknown' END,
      CASE WHEN r3 % 3000 >= 750 AND r5 < 3 THEN 'withheld' ELSE '' END,
      CASE WHEN r5 = 0 THEN -(r2 * 7 % 50000) ELSE 5000 + (r3 * 13 % 5000000) END,
      'GBP', DATE '2021-04-01' + CAST(r2 % 1800 AS INTEGER),
      CASE WHEN month(DATE '2021-04-01' + CAST(r2 % 1800 AS INTEGER)) >= 4
        THEN year(DATE '2021-04-01' + CAST(r2 % 1800 AS INTEGER))
        ELSE year(DATE '2021-04-01' + CAST(r2 % 1800 AS INTEGER)) - 1 END,
      'Synthetic purpose', 'Synthetic category', '{{}}', TIMESTAMP '2026-01-01 00:00:00',
      [{la_list}][la_pos],
      CASE WHEN la_pos = 1 AND channel = 'grant' AND r5 < 60 THEN [{ward_list}][1 + r2 % 21]
        ELSE NULL END,
      CASE WHEN r3 % 3000 < 750 THEN 1 + ((la_pos * 3000 + r3 % 3000) % {orgs}) ELSE NULL END,
      CASE WHEN r3 % 3000 < 750 THEN
        CASE WHEN r3 % 3000 < 500 THEN [{la_list}][la_pos] ELSE [{la_list}][1 + r2 % {las}] END
        ELSE NULL END,
      NULL, NULL
    FROM shaped
    """


def _make_places_and_organisations(las: int, orgs: int) -> tuple[list[int], list[int]]:
    from commonground.organisations.models import Organisation
    from commonground.places.models import Place, PlaceKind

    trafford = Place.objects.create(gss_code=TRAFFORD, name="Trafford", kind="local_authority")
    others = Place.objects.bulk_create(
        Place(gss_code=f"E0{9 - n % 3}9{n:05d}"[:9], name=f"Synthetic district {n}",
              kind=PlaceKind.LOCAL_AUTHORITY)
        for n in range(1, las)
    )  # fmt: skip
    wards_geo = json.loads((SHARED_DATA / "places/trafford_wards.geojson").read_text())
    wards = Place.objects.bulk_create(
        Place(gss_code=f["properties"]["area_code"], name=f["properties"]["area_name"],
              kind=PlaceKind.WARD, parent=trafford, boundary=f["geometry"])
        for f in wards_geo["features"]
    )  # fmt: skip
    la_ids = [trafford.pk] + [p.pk for p in others]
    Organisation.objects.bulk_create(
        (
            Organisation(
                org_id=f"GB-SYN-{n}",
                name=f"Synthetic organisation {n}",
                sector=SECTORS[n % len(SECTORS)],
                local_authority_id=la_ids[n % las],
                ward_id=wards[n % 21].pk if n % las == 0 else None,
            )
            for n in range(1, orgs + 1)
        ),
        batch_size=5000,
    )
    return la_ids, [w.pk for w in wards]


def _load_ledger(sql: str, backend: str) -> None:
    import duckdb
    from django.db import connection, transaction

    from commonground.core import planner_statistics
    from commonground.money.models import MoneyFlow

    table = MoneyFlow._meta.db_table
    columns = ", ".join(LEDGER_COLUMNS)
    duck = duckdb.connect()
    # Indexes are built once after the load (as a bulk restore would), not row by row.
    with connection.schema_editor() as editor:
        for index in MoneyFlow._meta.indexes:
            editor.remove_index(MoneyFlow, index)
    try:
        with transaction.atomic():
            _copy_rows(duck, sql, table, columns, backend)
    finally:
        with connection.schema_editor() as editor:
            for index in MoneyFlow._meta.indexes:
                editor.add_index(MoneyFlow, index)
        if backend == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM sets PostgreSQL's visibility map, as autovacuum would after a bulk
                # load, so index-only scans need not visit the table.
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            # What an import of this size does on SQLite (ADR 0064): sampled statistics, not
            # the full ANALYZE users never had.
            planner_statistics.analyse([planner_statistics.WHOLE_DATABASE])


def _copy_rows(duck: Any, sql: str, table: str, columns: str, backend: str) -> None:
    from django.db import connection

    if backend == "postgresql":
        csv_path = OUT_DIR / "synthetic-ledger.csv"
        duck.execute(f"COPY ({sql}) TO '{csv_path}' (HEADER false)")
        with connection.cursor() as cursor:
            raw = cursor.connection
            with (
                raw.cursor() as pg,
                pg.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
                open(csv_path, "rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        csv_path.unlink()
        return
    marks = ", ".join(["%s"] * len(LEDGER_COLUMNS))
    result = duck.execute(sql)
    with connection.cursor() as cursor:
        while batch := result.fetchmany(50_000):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)


def profile_part(rows: int | None, backend: str) -> dict[str, Any]:
    from django.db import connection, transaction

    from commonground.money.models import MoneyFlow
    from commonground.money.selectors import place_profile
    from commonground.places.selectors import place_by_gss

    count = rows or LEDGER_ROWS
    las, orgs = 296, max(1000, min(50_000, count // 100))
    with timed() as elapsed:
        with transaction.atomic():
            la_ids, ward_ids = _make_places_and_organisations(las, orgs)
        _load_ledger(_ledger_sql(count, las, ward_ids, la_ids, orgs), backend)
    load_seconds = elapsed()
    loaded = MoneyFlow.objects.count()
    place = place_by_gss(TRAFFORD)
    assert place is not None
    median, samples = _median_ms(lambda: place_profile(place))
    profile = place_profile(place)
    table = MoneyFlow._meta.db_table
    found: list[Any] = []

    def baseline_sum() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT SUM(amount_pence), COUNT(*) FROM {table} WHERE place_id = %s", [place.pk]
            )
            found[:] = cursor.fetchone()

    baseline, _ = _median_ms(baseline_sum)
    base_total, base_count = found
    reconciles = profile.total.pence == base_total and profile.total.count == base_count
    say(
        f"  {loaded:,} synthetic flows loaded in {load_seconds:.0f} s; Trafford profile "
        f"({profile.total.count:,} flows) median {median:.0f} ms (baseline sum {baseline:.0f} ms)"
        f"; totals agree: {reconciles}"
    )
    figure = _figure(
        f"Trafford profile over {loaded:,} synthetic flows (ms)",
        backend,
        median,
        baseline,
        f"< {PROFILE_TARGET_MS:.0f} ms",
        median < PROFILE_TARGET_MS,
    )
    notes = [
        f"- Profile on {backend}: {loaded:,} SYNTHETIC flows (loaded in {load_seconds:.0f} s); "
        f"the Trafford profile covers {profile.total.count:,} of them and takes a median "
        f"{median:.0f} ms of 5 (runs: {', '.join(f'{s:.0f}' for s in samples)} ms); one "
        f"SUM/COUNT over the same flows takes {baseline:.0f} ms. Profile total "
        f"{'equals' if reconciles else 'DOES NOT equal'} the plain sum."
    ]
    ward_figure, ward_note = _ward_profile_figure(ward_ids[0], backend)
    list_figure, list_note = _explorer_page_figure(loaded, backend)
    return {"figures": [figure, ward_figure, list_figure], "notes": [*notes, ward_note, list_note]}


def _median_ms(work: Any, times: int = 5) -> tuple[float, list[float]]:
    work()  # warm-up: caches and the query planner
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), samples


def _ward_profile_figure(ward_pk: int, backend: str) -> tuple[dict[str, Any], str]:
    """A ward's profile (ADR 0064), beside one SUM/COUNT over the same flows found the least
    costly way: the ids of the ward's flows and of its recipients' flows, each by its index."""
    from django.db import connection

    from commonground.money.models import MoneyFlow
    from commonground.money.selectors import place_profile
    from commonground.places.models import Place

    ward = Place.objects.select_related("parent").get(pk=ward_pk)
    median, samples = _median_ms(lambda: place_profile(ward))
    profile = place_profile(ward)
    table = MoneyFlow._meta.db_table
    sql = (
        f"SELECT SUM(amount_pence), COUNT(*) FROM {table} WHERE place_id = %s"
        f" AND (ward_id = %s OR ward_id IS NULL) AND id IN ("
        f"SELECT id FROM {table} WHERE ward_id = %s UNION ALL SELECT f.id FROM {table} f"
        " JOIN organisations_organisation o ON o.id = f.recipient_organisation_id"
        " WHERE o.ward_id = %s)"
    )
    found: list[Any] = []

    def baseline_sum() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [ward.parent_id, ward.pk, ward.pk, ward.pk])
            found[:] = cursor.fetchone()

    baseline, _ = _median_ms(baseline_sum)
    agrees = profile.total.pence == (found[0] or 0) and profile.total.count == found[1]
    say(
        f"  ward {ward.name} profile ({profile.total.count:,} flows) median {median:.0f} ms "
        f"(baseline sum {baseline:.0f} ms); totals agree: {agrees}"
    )
    figure = _figure(
        f"A Trafford ward's profile ({profile.total.count:,} of the synthetic flows) (ms)",
        backend, median, baseline, "reported, no target", True,
    )  # fmt: skip
    note = (
        f"- Ward profile on {backend}: {ward.name}, {profile.total.count:,} flows, median "
        f"{median:.0f} ms of 5 (runs: {', '.join(f'{s:.0f}' for s in samples)} ms); one "
        f"SUM/COUNT over the same flows {baseline:.0f} ms. Totals "
        f"{'equal' if agrees else 'DO NOT equal'}."
    )
    return figure, note


def _explorer_page_figure(loaded: int, backend: str) -> tuple[dict[str, Any], str]:
    """The flows explorer's first page, newest first, over every flow (ADR 0064), beside
    reading any 50 flows in no order."""
    from django.db import connection

    from commonground.money.flows import FlowFilters, filtered_flows, flows_page
    from commonground.money.models import MoneyFlow

    median, samples = _median_ms(lambda: list(flows_page(filtered_flows(FlowFilters()))[:50]))
    table = MoneyFlow._meta.db_table

    def any_fifty() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, date, amount_pence FROM {table} LIMIT 50")
            cursor.fetchall()

    baseline, _ = _median_ms(any_fifty)
    say(f"  flows explorer first page median {median:.1f} ms (any 50 rows {baseline:.1f} ms)")
    figure = _figure(
        f"Flows explorer first page, newest of {loaded:,} synthetic flows (ms)",
        backend, median, baseline, "reported, no target", True,
    )  # fmt: skip
    note = (
        f"- Flows explorer on {backend}: the newest 50 of {loaded:,} flows, median "
        f"{median:.1f} ms of 5 (runs: {', '.join(f'{s:.1f}' for s in samples)} ms); any 50 "
        f"rows in no order {baseline:.1f} ms."
    )
    return figure, note


# --- part 3: 360Giving validation throughput ------------------------------------------------


def _large_package(grants: int) -> Path:
    target = OUT_DIR / f"synthetic-360giving-{grants}.json"
    if target.exists():
        return target
    source = json.loads(
        (SHARED_DATA / "grants/trafford_council_grants_360giving.json").read_text()
    )["grants"]
    with open(target, "w", encoding="utf-8") as out:
        out.write('{"grants": [')
        for n in range(grants):
            grant = dict(source[n % len(source)])
            grant["id"] = f"360G-synthetic-{n}"
            out.write(("," if n else "") + json.dumps(grant))
        out.write("]}")
    return target


def validation_part(rows: int | None) -> dict[str, Any]:
    import jsonschema

    from commonground.money.giving.readers import validate_file
    from commonground.money.giving.schema import grant_schema

    grants = VALIDATION_GRANTS if not rows else max(1000, min(VALIDATION_GRANTS, rows // 50))
    path = _large_package(grants)
    megabytes = path.stat().st_size / 1e6
    with timed() as elapsed:
        report = validate_file(path)
    seconds = elapsed()
    rate = megabytes / seconds
    # Baseline: the pure-Python validator on a slice of about 5 MB (it is far slower).
    package = json.loads(path.read_text())
    slice_grants = package["grants"][: max(1, int(len(package["grants"]) * 5 / megabytes))]
    slice_mb = len(json.dumps({"grants": slice_grants})) / 1e6
    validator = jsonschema.Draft202012Validator(
        grant_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    with timed() as elapsed:
        for grant in slice_grants:
            list(validator.iter_errors(grant))
    python_rate = slice_mb / elapsed()
    say(
        f"  validated {report.grants:,} grants, {megabytes:.0f} MB, in {seconds:.1f} s: "
        f"{rate:.1f} MB/s ({len(report.problems)} problems); jsonschema {python_rate:.2f} MB/s"
    )
    figures = [
        _figure(
            f"360Giving validation, {megabytes:.0f} MB synthetic (MB/s)",
            "",
            rate,
            python_rate,
            f">= {VALIDATION_TARGET_MBS:.0f} MB/s (50x the standard's 0.7)",
            rate >= VALIDATION_TARGET_MBS,
        )
    ]
    notes = [
        f"- Validation: a SYNTHETIC {megabytes:.0f} MB package of {report.grants:,} grants "
        f"read, parsed and validated against the 1.4.3 schema at {rate:.1f} MB/s "
        f"({rate / REFERENCE_MBS:.0f}x the standard's reported {REFERENCE_MBS} MB/s); the "
        f"pure-Python jsonschema package manages {python_rate:.2f} MB/s on a {slice_mb:.1f} MB "
        "slice of the same file in this run."
    ]
    return {"figures": figures, "notes": notes}


# --- the child process ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.money")
    parser.add_argument("part", choices=("spend", "profile", "validation"))
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--result", type=Path, help="write the result here (else print it)")
    args = parser.parse_args(argv)
    parts = {
        "spend": lambda: spend_part(args.rows, args.backend),
        "profile": lambda: profile_part(args.rows, args.backend),
        "validation": lambda: validation_part(args.rows),
    }
    return run_child(
        f"money-{args.part}", args.backend, parts[args.part], args.result, {"part": args.part}
    )


if __name__ == "__main__":
    raise SystemExit(main())
