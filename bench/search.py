"""Partner search over a national-scale atlas (1,000,000 synthetic organisations).

Build (fast path, said so in the output): organisations and identifiers are bulk-inserted
straight into their tables (executemany on SQLite, COPY on PostgreSQL), spread over the 296
English local authorities and their wards (Place rows; Trafford's 21 wards are real, the other
wards are synthetic), then the full-text index is built with the app's own
organisations.search.index.refresh_search_index, and the tables are analysed.

Then ten typical queries (text + a local authority's GSS code + a sector) run many times each
through commonground.organisations.selectors.search_organisations, and the same filters run as a
naive name__icontains / activities__icontains query, timed the same way (including the place
lookup each request makes). Two national queries (no place) follow, where the naive query has no
place to narrow it.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from . import vocab as v
from .generators import business_name, social_name
from .harness import KEEP, say, summary, timed

FULL_ORGANISATIONS = 1_000_000
TARGET_P95_MS = 50.0
# Issue 14: a hybrid search (words and meaning) with a place, at 1,000,000 organisations.
TARGET_HYBRID_P95_MS = 100.0
WARDS_PER_AUTHORITY = 20
PAGE = 20

# (text, local authority GSS code or "" for national, sectors)
QUERIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("youth", "E08000009", ("charity",)),  # Trafford
    ("age uk", "E08000003", ("charity",)),  # Manchester
    ("community centre", "E08000035", ("charity",)),  # Leeds
    ("food bank", "E08000025", ("charity",)),  # Birmingham
    ("mental health", "E06000023", ("charity", "social_enterprise")),  # Bristol
    ("football club", "E08000019", ("charity", "community_business")),  # Sheffield
    ("credit union", "E06000052", ("cooperative_mutual",)),  # Cornwall
    ("carers", "E09000012", ("charity",)),  # Hackney
    ("community", "E08000025", ("social_enterprise",)),  # Birmingham, a broad word
    ("arts", "E07000148", ("charity", "social_enterprise")),  # Norwich
)
NATIONAL_QUERIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("food bank", "", ("charity",)),
    ("age uk", "", ()),
)

SECTORS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("charity", 45, ("Charitable company", "CIO", "Trust", "Other")),
    ("social_enterprise", 14, ("Community Interest Company",)),
    ("cooperative_mutual", 5, ("Registered Society", "Co-operative")),
    ("community_business", 3, ("Community Interest Company", "Registered Society")),
    ("social_finance", 2, ("Charitable company", "Trust")),
    ("public_body", 1, ("Local authority",)),
    ("private_business", 25, ("Private Limited Company",)),
    ("unknown", 5, ("",)),
)


# --- building the atlas ------------------------------------------------------------------------


def _trafford_wards() -> list[tuple[str, str]]:
    import csv

    from . import SHARED_DATA

    wards: dict[str, str] = {}
    with open(SHARED_DATA / "places" / "trafford_postcodes.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            wards.setdefault(row["ward_code"], row["ward_name"])
    return sorted(wards.items())


def build_places(rng: random.Random) -> tuple[list[int], list[float], dict[int, list[int]]]:
    """Local authorities (real codes and names) and wards. Returns (LA ids, weights, wards)."""
    from commonground.places.models import Place, PlaceKind

    authorities = Place.objects.bulk_create(
        [
            Place(gss_code=code, name=name, kind=PlaceKind.LOCAL_AUTHORITY)
            for code, name in v.english_local_authorities()
        ]
    )
    wards: list[Place] = []
    serial = 0
    for authority in authorities:
        if authority.gss_code == "E08000009":
            for code, name in _trafford_wards():
                wards.append(Place(gss_code=code, name=name, kind=PlaceKind.WARD, parent=authority))
            continue
        for number in range(1, WARDS_PER_AUTHORITY + 1):
            serial += 1
            wards.append(
                Place(
                    gss_code=f"E0590{serial:04d}",
                    name=f"{authority.name} ward {number} (synthetic)",
                    kind=PlaceKind.WARD,
                    parent=authority,
                )
            )
    created = Place.objects.bulk_create(wards, batch_size=2000)
    wards_of: dict[int, list[int]] = defaultdict(list)
    for ward in created:
        wards_of[ward.parent_id].append(ward.pk)  # type: ignore[index]
    # Some places have many more organisations than others, as they do in life.
    weights = [1.0 + 4.0 * rng.random() ** 2 for _ in authorities]
    return [a.pk for a in authorities], weights, wards_of


def organisation_rows(count: int, seed: int) -> tuple[list[str], Any]:
    """(column names, an iterator of row tuples) for organisations_organisation."""
    from commonground.organisations.search.normalise import normalise
    from commonground.places.models import Place

    rng = random.Random(seed)
    authority_ids, weights, wards_of = build_places(rng)
    names = dict(Place.objects.filter(pk__in=authority_ids).values_list("pk", "name"))
    cum_la: list[float] = []
    for weight in weights:
        cum_la.append((cum_la[-1] if cum_la else 0.0) + weight)
    cum_sector: list[int] = []
    for _, weight, _ in SECTORS:
        cum_sector.append((cum_sector[-1] if cum_sector else 0) + weight)
    now = datetime.now(UTC)
    columns = [
        "id",
        "org_id",
        "name",
        "sector",
        "sector_evidence",
        "legal_form",
        "status",
        "date_registered",
        "date_removed",
        "address",
        "postcode",
        "local_authority_id",
        "ward_id",
        "latitude",
        "longitude",
        "activities",
        "website",
        "latest_income_pence",
        "latest_income_date",
        "latest_income_source",
        "search_name",
        "search_other",
        "updated_at",
    ]

    def rows() -> Any:
        for pk in range(1, count + 1):
            la = rng.choices(authority_ids, cum_weights=cum_la)[0]
            ward = rng.choice(wards_of[la])
            sector, _, forms = rng.choices(SECTORS, cum_weights=cum_sector)[0]
            town = names[la] if rng.random() < 0.6 else rng.choice(v.TOWNS)
            income = None
            if sector == "private_business":
                name = f"{business_name(rng)} Limited"
                activities = ""
                org_id = f"GB-COH-{pk:08d}"
            elif sector == "social_finance":
                name = f"{town} Community Foundation"
                activities = f"Grants to charities and community groups in {town}."
                org_id = f"GB-CHC-{1_000_000 + pk}"
            else:
                name, activity = social_name(rng, town)
                activities = (
                    f"Provides {activity} for {rng.choice(v.BENEFICIARIES)} in {town} "
                    "and the surrounding area."
                )
                org_id = (
                    f"GB-CHC-{1_000_000 + pk}"
                    if sector == "charity"
                    else f"GB-MPR-{pk}"
                    if sector == "cooperative_mutual"
                    else f"GB-COH-{pk:08d}"
                )
                if sector == "charity":
                    income = int(rng.lognormvariate(10, 2)) * 100
            status = "active" if rng.random() < 0.85 else "removed"
            yield (
                pk,
                org_id,
                name,
                sector,
                "[]",
                rng.choice(forms),
                status,
                date(max(1950, 2024 - int(rng.expovariate(1 / 12))), rng.randint(1, 12), 1),
                None,
                f"{rng.randint(1, 200)} {rng.choice(v.STREETS)}, {town}",
                "",
                la,
                ward,
                None,
                None,
                activities,
                "",
                income,
                date(2023, 3, 31) if income is not None else None,
                "ccew_register" if income is not None else "",
                normalise(name),
                "",
                now,
            )

    return columns, rows()


def build(count: int, seed: int) -> dict[str, float]:
    from django.db import connection, transaction

    from commonground.organisations.search.index import refresh_search_index

    timings: dict[str, float] = {}
    columns, rows = organisation_rows(count, seed)
    org_ids: list[tuple[int, str]] = []
    with timed() as elapsed:
        _bulk_insert(
            connection, "organisations_organisation", columns, _remembering_ids(rows, org_ids)
        )
        _bulk_insert(
            connection,
            "organisations_identifier",
            ["id", "organisation_id", "value", "scheme", "local_id"],
            _identifier_rows(org_ids),
        )
    timings["insert_seconds"] = elapsed()
    say(f"  inserted {count:,} organisations and identifiers in {timings['insert_seconds']:.1f} s")
    with timed() as elapsed:
        _bulk_insert(
            connection,
            "organisations_placelink",
            [
                "id",
                "organisation_id",
                "relation",
                "gss_code",
                "place_name",
                "coverage",
                "source",
                "evidence",
                "as_of",
            ],
            _place_link_rows(org_ids, seed, _authority_codes()),
        )
    timings["place_link_seconds"] = elapsed()
    say(f"  works-in links (2% national, 5% another authority) in {elapsed():.1f} s")
    with timed() as elapsed:
        timings["embedded"] = embed_all(count)
    timings["embed_seconds"] = elapsed()
    say(
        f"  embedded {timings['embedded']:,} organisations' texts (core.embeddings, stored) "
        f"in {timings['embed_seconds']:.1f} s"
    )
    with timed() as elapsed, transaction.atomic():
        for start in range(1, count + 1, 50_000):
            refresh_search_index(range(start, min(count, start + 49_999) + 1))
    timings["index_seconds"] = elapsed()
    say(f"  refresh_search_index over all of them in {timings['index_seconds']:.1f} s")
    with timed() as elapsed:
        vacuum_analyse()
    timings["analyse_seconds"] = elapsed()
    return timings


def vacuum_analyse() -> None:
    """Leave the tables as a running database's autovacuum would: statistics gathered and, on
    PostgreSQL, the bulk load's rows marked visible (unvacuumed, every read of a fresh row checks
    its transaction: partner search at 1,000,000 took 178 ms at p95 against 135 ms vacuumed).
    Every table, since the server here runs without autovacuum: the needs bench's 100,000
    services had no statistics, and matching read all of them at each need (40 ms of 260)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            cursor.execute("ANALYZE")  # VACUUM cannot run inside a transaction (tests)
        elif connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _authority_codes() -> list[tuple[str, str]]:
    from commonground.places.models import Place, PlaceKind

    return list(
        Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY).values_list("gss_code", "name")
    )


def _place_link_rows(seen: list[tuple[int, str]], seed: int, codes: list[tuple[str, str]]) -> Any:
    """Works-in links as registers give them: some charities work throughout England (one
    link, national), some in an authority other than the one they are based in. (The codes
    are read beforehand: the rows are made while the connection is busy copying.)"""
    rng = random.Random(seed + 7)
    serial = 0
    for pk, org_id in seen:
        if not org_id.startswith("GB-CHC-"):
            continue
        draw = rng.random()
        if draw < 0.02:
            code, name, coverage = "E92000001", "England", "national"
        elif draw < 0.07:
            code, name = rng.choice(codes)
            coverage = "local"
        else:
            continue
        serial += 1
        yield (
            serial,
            pk,
            "works_in",
            code,
            name,
            coverage,
            "ccew_register",
            "area of operation (synthetic)",
            date(2024, 1, 1),
        )


def embed_all(count: int, chunk: int = 20_000) -> int:
    """Every organisation's text embedded and stored, as the importers do (timed by build)."""
    from django.db import transaction

    from commonground.organisations.models import Organisation
    from commonground.organisations.search.semantic import embedding_text, embeddings_write

    embedded = 0
    for start in range(1, count + 1, chunk):
        rows = Organisation.objects.filter(pk__gte=start, pk__lt=start + chunk).values_list(
            "pk", "name", "activities"
        )
        with transaction.atomic():
            embedded += embeddings_write(
                {pk: embedding_text(name, activities) for pk, name, activities in rows}
            )
    return embedded


def _remembering_ids(rows: Any, seen: list[tuple[int, str]]) -> Any:
    for row in rows:
        seen.append((row[0], row[1]))
        yield row


def _identifier_rows(seen: list[tuple[int, str]]) -> Any:
    for pk, org_id in seen:
        scheme, _, local = org_id.rpartition("-")
        yield (pk, pk, org_id, scheme, local)


def _bulk_insert(connection: Any, table: str, columns: list[str], rows: Any) -> None:
    from django.db import transaction

    names = ", ".join(columns)
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        else:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(_sqlite_value(value) for value in row))
                if len(batch) >= 20_000:
                    raw.executemany(sql, batch)
                    batch = []
            if batch:
                raw.executemany(sql, batch)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- the queries -------------------------------------------------------------------------------


def selector_query(text: str, gss: str, sectors: tuple[str, ...]) -> int:
    from commonground.organisations.selectors import (
        SearchParams,
        find_place,
        search_organisations,
    )

    place = find_place(gss) if gss else None
    result = search_organisations(SearchParams(text=text, place=place, sectors=sectors))
    return result.total


def full_text_query(text: str, gss: str, sectors: tuple[str, ...]) -> int:
    """The same search by words alone (no meaning): the hybrid search's same-run baseline."""
    from commonground.organisations.selectors import (
        SearchParams,
        find_place,
        search_organisations,
    )

    place = find_place(gss) if gss else None
    params = SearchParams(text=text, place=place, sectors=sectors)
    return search_organisations(params, meaning=False).total


def naive_query(text: str, gss: str, sectors: tuple[str, ...]) -> int:
    """What one would write without a search index: icontains on name and activities."""
    from django.db.models import Q

    from commonground.organisations.models import Organisation
    from commonground.organisations.selectors import find_place
    from commonground.places.models import Place, PlaceKind

    organisations = Organisation.objects.all()
    if gss:
        place = find_place(gss)
        wards = list(
            Place.objects.filter(parent=place, kind=PlaceKind.WARD).values_list("pk", flat=True)
        )
        organisations = organisations.filter(Q(local_authority=place) | Q(ward_id__in=wards))
    if sectors:
        organisations = organisations.filter(sector__in=sectors)
    for word in text.split():
        organisations = organisations.filter(
            Q(name__icontains=word) | Q(activities__icontains=word)
        )
    total = organisations.count()
    list(organisations.order_by("name")[:PAGE])
    return total


def _time_query(function: Any, query: tuple[str, str, tuple[str, ...]], reps: int) -> Any:
    for _ in range(2):  # warm caches and connections, as a running server would be
        found = function(*query)
    samples: list[float] = []
    budget = 15.0  # seconds per query per implementation, so a slow naive query stays bounded
    for _ in range(reps):
        with timed() as elapsed:
            function(*query)
        samples.append(elapsed() * 1000)
        if sum(samples) / 1000 > budget and len(samples) >= 5:
            break
    return found, samples


def _kept(timings: Any) -> Any:
    """`timings()` with the place's organisations and vectors kept for the public data
    generation (organisations/search/scopes.py), as a server with its page cache on keeps
    them; the selector's own figures are measured with nothing kept."""
    from django.conf import settings

    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 600
    try:
        return timings()
    finally:
        settings.COMMONGROUND_PAGE_CACHE_SECONDS = 0


def run(count: int, backend: str, reps: int, seed: int = 1) -> dict[str, Any]:
    from commonground.core.startup import freeze_startup_objects
    from commonground.organisations.models import Organisation

    if KEEP and Organisation.objects.count() >= count:  # BENCH_KEEP (and BENCH_SHARE)
        say(f"  measuring on the {Organisation.objects.count():,} organisations a run kept")
        timings = {"insert_seconds": 0.0, "index_seconds": 0.0, "analyse_seconds": 0.0}
    else:
        say(f"  building {count:,} synthetic organisations (fast path: bulk insert + index) ...")
        timings = build(count, seed)
        assert Organisation.objects.count() == count
    # As the server does once it is set up (config/wsgi.py, ADR 0052).
    say(f"  {freeze_startup_objects():,} start-up objects frozen, as the server freezes them")
    results: list[dict[str, Any]] = []
    all_selector: list[float] = []
    all_naive: list[float] = []
    for kind, queries in (("typical", QUERIES), ("national", NATIONAL_QUERIES)):
        for query in queries:
            found, selector_ms = _time_query(selector_query, query, reps)
            kept_ms = _kept(lambda q=query: _time_query(selector_query, q, reps)[1])
            words_found, words_ms = _time_query(full_text_query, query, reps)
            naive_found, naive_ms = _time_query(naive_query, query, reps)
            s, n, w = summary(selector_ms), summary(naive_ms), summary(words_ms)
            if kind == "typical":
                all_selector.extend(selector_ms)
                all_naive.extend(naive_ms)
            text, gss, sectors = query
            row = {
                "kind": kind,
                "text": text,
                "place": gss or "(all England)",
                "sectors": list(sectors),
                "found": found,
                "naive_found": naive_found,
                "selector_ms": s,
                "naive_ms": n,
                "selector_kept_ms": summary(kept_ms),
                "full_text_found": words_found,
                "full_text_ms": w,
                "ratio_p50": s["p50"] / n["p50"],
                "ratio_p95": s["p95"] / n["p95"],
            }
            results.append(row)
            say(
                f"  {text!r:20} {gss or 'England':10} {','.join(sectors) or 'any':28} "
                f"found {found:6,} (naive {naive_found:6,})  "
                f"selector p50 {s['p50']:7.1f} p95 {s['p95']:7.1f} ms | "
                f"place kept p95 {row['selector_kept_ms']['p95']:7.1f} ms | "
                f"full text alone p95 {w['p95']:7.1f} ms | "
                f"naive p50 {n['p50']:7.1f} p95 {n['p95']:7.1f} ms | "
                f"ratio p95 {row['ratio_p95']:.2f}"
            )
    overall = summary(all_selector)
    naive_overall = summary(all_naive)
    worst_p95 = max(r["selector_ms"]["p95"] for r in results if r["kind"] == "typical")
    return {
        "benchmark": "search",
        "backend": backend,
        "organisations": count,
        "build": "fast path: bulk insert (executemany/COPY) + refresh_search_index + ANALYZE",
        **timings,
        "reps": reps,
        "queries": results,
        "selector_ms": overall,
        "naive_ms": naive_overall,
        "ratio_p50": overall["p50"] / naive_overall["p50"],
        "ratio_p95": overall["p95"] / naive_overall["p95"],
        "worst_query_p95_ms": worst_p95,
        "targets": f"p95 under {TARGET_P95_MS:g} ms for every typical query (hybrid within a "
        f"place: under {TARGET_HYBRID_P95_MS:g} ms)",
        "met": worst_p95 < TARGET_HYBRID_P95_MS,
    }


def dumps(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, default=str)
