"""The linkage model: one Splink (Fellegi-Sunter) model, the same on DuckDB and on Spark.

Records on both sides are dicts with `unique_id`, `name`, `postcode` and, optionally, `places`
(GSS codes of the local authorities a record is placed in); `prepare` adds the compared forms.
The m and u probabilities are fixed here rather than trained on each run, so a party scores the
same whichever backend, batch or database it is scored in (ADR 0008); the bench
(bench/linkage.py) measures them against the published charity-to-company links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from .names import compare_key, distinctive_words, key_words, postcode_area, postcode_parts
from .words import names_with


def _name_levels() -> tuple[tuple[str, ComparisonLevelCreator], ...]:
    """The name comparison's levels, the first that holds wins: (what it says, the level).
    Made afresh for each model, as Splink sets the probabilities on the level objects."""
    return (
        ("same name", cll.ExactMatchLevel("name_full")),
        # "The Federation of Jewish Services (The Fed)" and "Federation of Jewish Services".
        (
            "same name, but one of them adds a part in brackets",
            cll.CustomLevel(
                "name_key_l = name_key_r"
                " AND (name_full_l = name_key_l OR name_full_r = name_key_r)",
                base_dialect_str="duckdb",
            ),
        ),
        # "Royal British Legion Club (Chesham)" and "(Marlow)": branches of one name.
        ("same name, but for different parts in brackets", cll.ExactMatchLevel("name_key")),
        # "Friends of Victoria Park" and "Victoria Park Friends"; "Sea Cadet", "Sea Cadets". Two
        # words or more: "Kids" and "With Kids" are two charities.
        (
            "same words in another order, or singular for plural",
            cll.And(cll.ExactMatchLevel("name_sorted"), cll.ArrayIntersectLevel("name_tokens", 2)),
        ),
        (
            "nearly the same name (Jaro-Winkler 0.95 or more)",
            cll.JaroWinklerLevel("name_key", 0.95),
        ),
        # Words in common say more when few organisations' names use them ("Victoria",
        # "Gorse") than when many do ("Community Centre" in "Community Centre Trust"): a term
        # frequency adjustment by classes of word (words.py), which Splink's own (on exact
        # values only) cannot make.
        # "Friends of Victoria Park" and "Friends of Victoria Park, Stretford": registers often
        # add a place or a qualifier at the end of a name. Two words or more: "Sense" and
        # "Sense Scotland" are two charities.
        (
            "one name is the other with words added at its end, one of them a word few names use",
            cll.And(
                cll.CustomLevel(
                    "name_key_l LIKE concat(name_key_r, ' %')"
                    " OR name_key_r LIKE concat(name_key_l, ' %')",
                    base_dialect_str="duckdb",
                ),
                cll.ArrayIntersectLevel("name_tokens", 2),
                cll.ArrayIntersectLevel("name_distinctive", 1),
            ),
        ),
        # "Home-Start Trafford and Salford", "Home-Start Trafford, Salford and Wigan".
        (
            "all the words of one name are in the other, one of them a word few names use",
            cll.And(
                cll.ArraySubsetLevel("name_tokens"),
                cll.ArrayIntersectLevel("name_tokens", 2),
                cll.ArrayIntersectLevel("name_distinctive", 1),
            ),
        ),
        (
            "all the words of one name are in the other (two or more)",
            cll.And(cll.ArraySubsetLevel("name_tokens"), cll.ArrayIntersectLevel("name_tokens", 2)),
        ),
        ("similar name (Jaro-Winkler 0.88 or more)", cll.JaroWinklerLevel("name_key", 0.88)),
        (
            "two or more words in common that few names use",
            cll.ArrayIntersectLevel("name_distinctive", 2),
        ),
        # Not one rare word in common: it is most often a place ("Devon", "Lambeth"), which
        # organisations at one address share whoever they are.
        ("two or more words in common", cll.ArrayIntersectLevel("name_tokens", 2)),
        ("different name", cll.ElseLevel()),
    )


NAME_LEVELS = ("name missing", *(label for label, _ in _name_levels()))
POSTCODE_LEVELS = (
    "postcode missing",
    "same postcode",
    "same postcode sector",
    "same postcode district",
    "same postcode area (such as M or WA)",
    "postcode in another area",
)
# What each level says, in the order of the levels (null level first, which Splink skips).
# u: how often two different organisations agree at that level: the mean of Splink's estimates
# over every pair of different bodies in each of three real registers (charitable companies
# by their Companies House names, Co-operatives UK, Trafford's charities: 36 million pairs;
# postcodes from the two that have them), `python -m bench.linkage u`, ADR 0014. Two levels
# fewer than ten of those pairs reached (a part in brackets added, the same words in another
# order) are taken as no rarer than the same name, not as rare as a handful of pairs says.
# m: how often two publishers' names for one body agree at that level. Judgement, informed by
# the Trafford grants set (the largest real labelled one: 22 of 34 the same name, 4 with words
# added at the end), which the bench therefore reports beside sets it did not see.
NAME_M = [0.60, 0.05, 0.01, 0.03, 0.03, 0.09, 0.03, 0.02, 0.03, 0.04, 0.02]
# fmt: off
NAME_U = [2.5e-6, 2.5e-6, 1.8e-5, 2.5e-6, 4.3e-5, 3.1e-6, 8e-6, 2.3e-4, 5.6e-4, 3.8e-5, 1.3e-2]
# fmt: on
NAME_M.append(1 - sum(NAME_M))
NAME_U.append(1 - sum(NAME_U))
POSTCODE_M = [0.65, 0.08, 0.1, 0.08, 0.09]
POSTCODE_U = [2.1e-4, 3.9e-3, 1.3e-2, 0.19]
POSTCODE_U.append(1 - sum(POSTCODE_U))
PLACE_LEVELS = (
    "place not compared",
    "in the local authority the source names",
    "in another local authority than the source names",
)
# A party's place is a local authority its source names (a 360Giving recipient's own location,
# or the one authority its grants benefit); an organisation's is the authority of its postcode.
# u: how often two different bodies share a local authority, counted over the pairs within two
# real registers that place their bodies (Power to Change's recipients across England, 0.0105;
# Trafford's charities, in Trafford or not, 0.23), and their mean (`python -m bench.linkage u`,
# ADR 0016). m: judgement. Of the 56 recipients of Trafford's grants (beneficiary area:
# Trafford) with a charity number, 28 are charities operating in Trafford at a Trafford
# postcode, 6 operate in Trafford from a postcode elsewhere and 22 are not among the charities
# operating in Trafford (among them national ones such as the National Trust): a body funded
# for an area is in it about half the time, so "another authority" counts against a match only
# a little. Names sharing a place word ("Urmston") are more often in one authority than two
# bodies at random: the bench reports how much more (ADR 0016).
PLACE_M = [0.55]
PLACE_U = [0.12]
PLACE_M.append(1 - sum(PLACE_M))
PLACE_U.append(1 - sum(PLACE_U))
# That a party and one organisation of the atlas are the same body: about one in the number of
# organisations (some 10,000 in the demo atlas). A national atlas needs a smaller one.
PRIOR = 1e-4


def _name_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[cll.NullLevel("name_key"), *(level for _, level in _name_levels())],
    ).configure(m_probabilities=NAME_M, u_probabilities=NAME_U)


def _postcode_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode"),
            cll.ExactMatchLevel("postcode_sector"),
            cll.ExactMatchLevel("postcode_district"),
            # A registered office and the address a funder was given are often in one town.
            cll.ExactMatchLevel("postcode_area"),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=POSTCODE_M, u_probabilities=POSTCODE_U)


def _place_comparison() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            # Not compared where either side has no place, or where both have a postcode: the
            # postcode comparison has then said where they are, more precisely, and the
            # authority of two postcodes is no second, independent piece of evidence.
            cll.CustomLevel(
                "array_length(places_l) = 0 OR array_length(places_r) = 0"
                " OR (postcode_l IS NOT NULL AND postcode_r IS NOT NULL)",
                base_dialect_str="duckdb",
            ).configure(is_null_level=True),
            cll.ArrayIntersectLevel("places", 1),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=PLACE_M, u_probabilities=PLACE_U)


def settings() -> SettingsCreator:
    """The model: the same object for every backend."""
    return SettingsCreator(
        link_type="link_only",
        probability_two_random_records_match=PRIOR,
        comparisons=[_name_comparison(), _postcode_comparison(), _place_comparison()],
        # Pairs are only scored when they share one of these: a name that could be the same
        # needs a word in common, and blocking on a name's two rarest words (either of one
        # name's with either of the other's) keeps nearly every true pair while skipping the
        # large blocks of common first words ("Community ...") a national atlas would make.
        blocking_rules_to_generate_predictions=[
            block_on("name_key"),
            block_on("rare_words", arrays_to_explode=["rare_words"]),
            block_on("postcode"),
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
    )


def prepare(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with `unique_id`, `name`, `postcode` and optionally `places` -> rows in the form
    the model compares."""
    prepared = []
    for row in rows:
        name = row.get("name") or ""
        key = compare_key(name)
        whole_name = compare_key(name, brackets=True) if "(" in name or "[" in name else key
        words = key_words(key)
        rarest = sorted(words, key=lambda w: (names_with(w), -len(w), w))[:2]
        full, sector, district = postcode_parts(row.get("postcode") or "")
        places = sorted({code for code in row.get("places") or () if code})
        prepared.append(
            {
                "unique_id": str(row["unique_id"]),
                "name": row.get("name") or "",
                "name_key": key or None,
                "name_full": whole_name or None,
                "name_sorted": " ".join(sorted(words)) or None,
                "name_tokens": sorted(words),
                "name_distinctive": sorted(distinctive_words(words)),
                "rare_words": sorted(rarest),
                "postcode": full or None,
                "postcode_sector": sector or None,
                "postcode_district": district or None,
                "postcode_area": postcode_area(full) or None,
                # Empty, not null, when there is none: a backend can then tell the column's
                # type even when no record of a batch has a place (Spark cannot from nulls).
                "places": places,
            }
        )
    return prepared


_LIST_COLUMNS = frozenset({"name_tokens", "name_distinctive", "rare_words", "places"})


def _typed(rows: list[dict[str, Any]], db_api: Any) -> Any:
    """The rows as the backend should read them. Spark guesses each column's type from its
    values, and cannot from a column no record of a batch fills (no place, or no postcode): it
    is given the types instead. DuckDB reads the dicts as they are."""
    if db_api.sql_dialect.sql_dialect_str != "spark":
        return rows
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    schema = StructType(
        [
            StructField(
                column, ArrayType(StringType()) if column in _LIST_COLUMNS else StringType()
            )
            for column in rows[0]
        ]
    )
    return db_api.spark.createDataFrame(rows, schema)


@dataclass(frozen=True)
class ScoredPair:
    left_id: str
    right_id: str
    probability: float
    name_level: int  # index into NAME_LEVELS, -1 for the null level
    postcode_level: int
    place_level: int = 0  # index into PLACE_LEVELS; 0: not compared


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
        db_api.register(_typed(left_rows, db_api), dataset_display_name="parties"),
        db_api.register(_typed(right_rows, db_api), dataset_display_name="organisations"),
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
                place_level=_level_name(int(row["gamma_place"]), PLACE_LEVELS),
            )
        )
    pairs.sort(key=lambda p: (p.left_id, -p.probability, p.right_id))
    return pairs
