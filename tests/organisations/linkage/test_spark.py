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


def test_spark_and_duckdb_make_the_same_links(spark: Any) -> None:
    from splink import SparkAPI

    sample = bench.set_other_publishers()[0]
    left = [p.row() for p in sample.parties]
    right = [r.row() for r in sample.register]
    on_spark = model.score(
        left,
        right,
        db_api=SparkAPI(
            spark_session=spark, num_partitions_on_repartition=2, break_lineage_method="persist"
        ),
    )
    on_duckdb = model.score(left, right)
    assert len(on_duckdb) > len(sample.parties) // 2
    assert [(p.left_id, p.right_id) for p in on_spark] == [
        (p.left_id, p.right_id) for p in on_duckdb
    ]
    for a, b in zip(on_spark, on_duckdb, strict=True):
        assert a.probability == pytest.approx(b.probability, rel=1e-9, abs=1e-12)
        assert (a.name_level, a.postcode_level) == (b.name_level, b.postcode_level)
    assert _links(on_spark) == _links(on_duckdb)
