"""The corpus of statements restated from published documents (issue 13, item 1): every row is
well formed, every label is a code the lexicon knows, every statement cites a listed source,
and the corpus keeps the coverage the labelling work reached (docs/labelling-guide.md,
docs/dataset-cards/articulation-corpus.md)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import yaml

from commonground.accounts.perspectives import Perspective

DATA = Path(__file__).resolve().parents[2] / "src/commonground/engagement/analysis"
STATEMENTS = DATA / "data" / "published_statements.csv"
SOURCES = DATA / "data" / "published_sources.csv"
DEV_SET = DATA / "data" / "articulation_eval.csv"
LEXICON = DATA / "lexicon.yaml"

STATEMENT_COLUMNS = [
    "id", "text", "perspective", "register", "source_id", "locator", "orientation",
    "concepts", "principles", "methodologies", "reform_stance", "names_concept",
]  # fmt: skip
SOURCE_COLUMNS = ["source_id", "title", "publisher", "url", "date", "register"]
REGISTERS = {"report", "minutes", "evidence", "letter", "forum", "speech"}
ORIENTATIONS = {"market", "purpose", "mixed", "neutral"}
STANCES = {"socialise", "refine", "mature", "replace", "none"}

# The issue's coverage targets (issue 13, item 1): at least 900 statements from at least 80
# sources; each perspective at least 20%, market at least 20%, mixed at least 15%, and at least
# 30% describing a practice without naming a concept.
MIN_STATEMENTS = 900
MIN_SOURCES = 80
MIN_SHARE_PERSPECTIVE = 0.20
MIN_SHARE_MARKET = 0.20
MIN_SHARE_MIXED = 0.15
MIN_SHARE_UNNAMED = 0.30


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _statements() -> list[dict[str, str]]:
    return _rows(STATEMENTS)[1]


def test_both_files_have_exactly_the_documented_columns() -> None:
    assert _rows(STATEMENTS)[0] == STATEMENT_COLUMNS
    assert _rows(SOURCES)[0] == SOURCE_COLUMNS


def test_ids_run_p0001_upwards_without_gaps_or_repeats() -> None:
    ids = [row["id"] for row in _statements()]
    assert ids == [f"P{n:04d}" for n in range(1, len(ids) + 1)]


def test_no_statement_is_repeated_here_or_copied_from_the_development_set() -> None:
    def norm(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9']+", text.lower()))

    texts = [norm(row["text"]) for row in _statements()]
    assert len(set(texts)) == len(texts)
    dev = {norm(row["text"]) for row in _rows(DEV_SET)[1]}
    assert not dev & set(texts)


def test_every_label_is_a_code_the_lexicon_or_the_issue_defines() -> None:
    lexicon = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    perspectives = {p.value for p in Perspective}
    for row in _statements():
        where = f"{row['id']}"
        assert row["text"].strip(), where
        assert row["locator"].strip(), where
        assert row["perspective"] in perspectives, where
        assert row["register"] in REGISTERS, where
        assert row["orientation"] in ORIENTATIONS, where
        assert row["reform_stance"] in STANCES, where
        assert row["names_concept"] in ("yes", "no"), where
        for kind in ("concepts", "principles", "methodologies"):
            codes = row[kind].split()
            assert len(codes) == len(set(codes)), (where, kind)
            assert set(codes) <= set(lexicon[kind]), (where, kind, codes)


def test_every_statement_cites_a_listed_source_and_every_source_is_cited() -> None:
    _, sources = _rows(SOURCES)
    ids = [s["source_id"] for s in sources]
    assert len(ids) == len(set(ids))
    for source in sources:
        assert source["url"].startswith(("http://", "https://")), source["source_id"]
        assert source["register"] in REGISTERS, source["source_id"]
        assert source["title"].strip() and source["publisher"].strip(), source["source_id"]
    cited = {row["source_id"] for row in _statements()}
    assert cited == set(ids)


def test_the_corpus_keeps_its_size_and_coverage() -> None:
    rows = _statements()
    n = len(rows)
    assert n >= MIN_STATEMENTS
    assert len({row["source_id"] for row in rows}) >= MIN_SOURCES
    perspectives = Counter(row["perspective"] for row in rows)
    for perspective in Perspective:
        assert perspectives[perspective.value] / n >= MIN_SHARE_PERSPECTIVE, perspective
    orientations = Counter(row["orientation"] for row in rows)
    assert orientations["market"] / n >= MIN_SHARE_MARKET
    assert orientations["mixed"] / n >= MIN_SHARE_MIXED
    unnamed = sum(row["names_concept"] == "no" for row in rows)
    assert unnamed / n >= MIN_SHARE_UNNAMED


def test_a_locator_points_into_the_source_without_quoting_it() -> None:
    # A locator names a section or page; a quotation mark would mean the source's words.
    for row in _statements():
        assert not re.search(r"[\"“”]", row["locator"]), row["id"]
        assert len(row["locator"].split()) <= 12, row["id"]
