"""The same linkage model on Apache Spark (Splink's Spark backend, local[2]) makes the same links
with the same probabilities as on DuckDB, on a small real sample: Trafford Council's grant
recipients against Trafford's Charity Commission extract."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench import linkage as bench
from commonground.organisations.linkage import matching, model


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    import logging

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[2]")
        .appName("commonground-linkage-test")
        .config("spark.jars", similarity_jar_location())  # jaro_winkler and friends
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    # py4j logs its shutdown at interpreter exit, after pytest has closed the captured stream.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    yield session
    session.stop()


def _links(pairs: list[model.ScoredPair]) -> dict[str, tuple[str, bool]]:
    chosen = matching.choose(pairs)
    return {key: (pair.right_id, ambiguous) for key, (pair, ambiguous) in chosen.items()}


def _on_spark(spark: Any, left: list[dict[str, Any]], right: list[dict[str, Any]]) -> Any:
    from splink import SparkAPI

    # model.score names its two input tables; an earlier test's are still in the session.
    for table in ("parties", "organisations"):
        spark.catalog.dropTempView(table)
    return model.score(
        left,
        right,
        db_api=SparkAPI(
            spark_session=spark, num_partitions_on_repartition=2, break_lineage_method="persist"
        ),
    )


def test_spark_and_duckdb_make_the_same_links(spark: Any) -> None:
    sample = bench.set_other_publishers()[0]
    # Names and postcodes: places are compared in the test below.
    left = [{**p.row(), "places": []} for p in sample.parties]
    right = [{**r.row(), "places": []} for r in sample.register]
    on_spark = _on_spark(spark, left, right)
    on_duckdb = model.score(left, right)
    assert len(on_duckdb) > len(sample.parties) // 2
    assert [(p.left_id, p.right_id) for p in on_spark] == [
        (p.left_id, p.right_id) for p in on_duckdb
    ]
    for a, b in zip(on_spark, on_duckdb, strict=True):
        assert a.probability == pytest.approx(b.probability, rel=1e-9, abs=1e-12)
        assert (a.name_level, a.postcode_level) == (b.name_level, b.postcode_level)
    assert _links(on_spark) == _links(on_duckdb)


JARO_WINKLER_LEVELS = {
    model.NAME_LEVELS.index("nearly the same name (Jaro-Winkler 0.95 or more)"),
    model.NAME_LEVELS.index("similar name (Jaro-Winkler 0.88 or more)"),
}


def test_spark_and_duckdb_compare_places_alike(spark: Any) -> None:
    # Trafford's grant recipients are placed in Trafford by their grants; the charities by
    # their postcodes where they are Trafford's.
    sample = bench.set_other_publishers()[0]
    left = [p.row() for p in sample.parties]
    right = [r.row() for r in sample.register]
    on_spark = {(p.left_id, p.right_id): p for p in _on_spark(spark, left, right)}
    on_duckdb = {(p.left_id, p.right_id): p for p in model.score(left, right)}
    assert sum(1 for p in on_duckdb.values() if p.place_level == 1) > len(sample.parties) // 2
    for pair in on_spark.keys() | on_duckdb.keys():
        a, b = on_spark.get(pair), on_duckdb.get(pair)
        if a is None or b is None or a.name_level != b.name_level:
            # The backends' Jaro-Winkler functions differ in the third decimal place: "Friends
            # of Victoria Park" and "Friends of Park Road School" are 0.885 on DuckDB, under
            # 0.88 on Spark. Such a pair, far below the review threshold either way, is kept at
            # the 0.01 threshold by one backend only.
            assert {p.name_level for p in (a, b) if p is not None} & JARO_WINKLER_LEVELS, pair
            assert max(p.probability for p in (a, b) if p is not None) < 0.05, pair
            continue
        assert a.probability == pytest.approx(b.probability, rel=1e-9, abs=1e-12)
        assert (a.postcode_level, a.place_level) == (b.postcode_level, b.place_level)
    assert _links(list(on_spark.values())) == _links(list(on_duckdb.values()))
