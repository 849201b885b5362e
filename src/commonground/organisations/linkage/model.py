"""The linkage model: one Splink (Fellegi-Sunter) model, the same on DuckDB and on Spark.

Records on both sides are dicts with `unique_id`, `name` and `postcode`; `prepare` adds the
compared forms. The m and u probabilities are fixed here rather than trained on each run, so a
party scores the same whichever backend, batch or database it is scored in (ADR 0008); the
bench (bench/linkage.py) measures them against the published charity-to-company links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

from .names import name_key, postcode_parts

NAME_LEVELS = (
    "name missing",
    "same name",
    "same name but for a part in brackets",
    "same words in another order",
    "nearly the same name (Jaro-Winkler 0.95 or more)",
    "all the words of one name in the other (two or more)",
    "similar name (Jaro-Winkler 0.88 or more)",
    "two or more words in common",
    "different name",
)
POSTCODE_LEVELS = (
    "postcode missing",
    "same postcode",
    "same postcode sector",
    "same postcode district",
    "different postcode",
)
# What each level says, in the order of the levels (null level first, which Splink skips).
NAME_M = [0.72, 0.08, 0.03, 0.07, 0.05, 0.02, 0.02, 0.01]
NAME_U = [1e-6, 2e-6, 1e-7, 1e-4, 4e-6, 2e-3, 1e-2]
NAME_U.append(1 - sum(NAME_U))
POSTCODE_M = [0.65, 0.08, 0.1, 0.17]
POSTCODE_U = [1e-4, 5e-4, 3e-3]
POSTCODE_U.append(1 - sum(POSTCODE_U))
PRIOR = 1e-4  # that a party and one candidate organisation are the same body


def _name_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_full"),
            cll.ExactMatchLevel("name_key"),
            cll.ExactMatchLevel("name_sorted"),
            cll.JaroWinklerLevel("name_key", 0.95),
            # "Friends of Victoria Park" and "Friends of Victoria Park, Stretford"
            cll.And(cll.ArraySubsetLevel("name_tokens"), cll.ArrayIntersectLevel("name_tokens", 2)),
            cll.JaroWinklerLevel("name_key", 0.88),
            cll.ArrayIntersectLevel("name_tokens", 2),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=NAME_M, u_probabilities=NAME_U)


def _postcode_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode"),
            cll.ExactMatchLevel("postcode_sector"),
            cll.ExactMatchLevel("postcode_district"),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=POSTCODE_M, u_probabilities=POSTCODE_U)


def settings() -> SettingsCreator:
    """The model: the same object for every backend."""
    return SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=PRIOR,
        comparisons=[_name_comparison(), _postcode_comparison()],
        # Pairs are only scored when they share one of these: a name that could be the same
        # needs a word in common, so blocking on the first two words and the longest word
        # (and on the exact name) keeps nearly every true pair while skipping almost all
        # others.
        blocking_rules_to_generate_predictions=[
            block_on("name_key"),
            block_on("first_word"),
            block_on("longest_word"),
            block_on("postcode"),
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
    )


def prepare(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with `unique_id`, `name`, `postcode` -> rows in the form the model compares."""
    prepared = []
    for row in rows:
        key = name_key(row.get("name") or "")
        whole_name = name_key(row.get("name") or "", brackets=True)
        words = key.split()
        full, sector, district = postcode_parts(row.get("postcode") or "")
        prepared.append(
            {
                "unique_id": str(row["unique_id"]),
                "name": row.get("name") or "",
                "name_key": key or None,
                "name_full": whole_name or None,
                "name_sorted": " ".join(sorted(words)) or None,
                "name_tokens": sorted(set(words)),
                "first_word": words[0] if words else None,
                "longest_word": max(words, key=lambda w: (len(w), w)) if words else None,
                "postcode": full or None,
                "postcode_sector": sector or None,
                "postcode_district": district or None,
            }
        )
    return prepared


@dataclass(frozen=True)
class ScoredPair:
    left_id: str
    right_id: str
    probability: float
    name_level: int  # index into NAME_LEVELS, -1 for the null level
    postcode_level: int


def _level_name(gamma: int, levels: Sequence[str]) -> int:
    # Splink numbers levels from the top down with the null level as -1: with n non-null
    # levels, gamma n-1 is the first after the null level. Return an index into `levels`.
    return 0 if gamma == -1 else len(levels) - 1 - gamma


def _rows(frame: Any) -> list[dict[str, Any]]:
    """A Splink result as plain dicts, read the way its backend allows."""
    from splink.internals.duckdb.dataframe import DuckDBDataFrame

    if isinstance(frame, DuckDBDataFrame):
        relation = frame.as_duckdbpyrelation()
        return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    return [row.asDict() for row in frame.as_spark_dataframe().collect()]


def score(
    left: Iterable[dict[str, Any]],
    right: Iterable[dict[str, Any]],
    db_api: Any = None,
    threshold: float = 0.01,
) -> list[ScoredPair]:
    """Every blocked pair of a left and a right record scoring at least `threshold`, on
    `db_api` (a fresh in-process DuckDB by default; pass a SparkAPI for Spark)."""
    left_rows, right_rows = prepare(left), prepare(right)
    if not left_rows or not right_rows:
        return []
    if db_api is None:
        from splink import DuckDBAPI

        db_api = DuckDBAPI()
    tables = [
        db_api.register(left_rows, dataset_display_name="parties"),
        db_api.register(right_rows, dataset_display_name="organisations"),
    ]
    linker = Linker(tables, settings(), log_level=None)
    frame = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    pairs = []
    for row in _rows(frame):
        # Which side is "l" depends on Splink's ordering of the source datasets.
        if row["source_dataset_l"] == "parties":
            left_id, right_id = row["unique_id_l"], row["unique_id_r"]
        else:
            left_id, right_id = row["unique_id_r"], row["unique_id_l"]
        pairs.append(
            ScoredPair(
                left_id=str(left_id),
                right_id=str(right_id),
                probability=float(row["match_probability"]),
                name_level=_level_name(int(row["gamma_name"]), NAME_LEVELS),
                postcode_level=_level_name(int(row["gamma_postcode"]), POSTCODE_LEVELS),
            )
        )
    pairs.sort(key=lambda p: (p.left_id, -p.probability, p.right_id))
    return pairs
