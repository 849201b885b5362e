"""Adjudicated orientation and reform stance (ADR 0036): each label is the majority of three
labellers' votes, the dataset card reports the agreement the votes give, and the adjudicated
test labels are a second frozen reference beside the original test split. The revised
orientation (ADR 0041): the majority of the original label and two more blind labellers' votes
under the current guide (labeller 5 and labeller 6), reported in the card the same way, and a
third frozen reference."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from commonground.engagement.analysis import corpus

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "docs" / "dataset-cards" / "articulation-corpus.md"
ADR = ROOT / "docs" / "adr" / "0036-adjudicated-labels.md"
REVISED_ADR = ROOT / "docs" / "adr" / "0041-revised-orientation-and-character-features.md"
VOTERS = ("original", "labeller3", "labeller4")
REVISED_VOTERS = ("original", "labeller5", "labeller6")


def _rows() -> list[dict[str, str]]:
    with open(corpus.ADJUDICATED_PATH, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _card_section(heading: str = "## Adjudicated orientation and reform stance") -> str:
    text = CARD.read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _fleiss(ratings: list[list[str]]) -> float:
    # Written here from the textbook formula, independently of the adjudication module.
    categories = sorted({r for item in ratings for r in item})
    counts = np.array([[item.count(c) for c in categories] for item in ratings], dtype=float)
    n = counts.sum(axis=1)[0]
    p_item = ((counts**2).sum(axis=1) - n) / (n * (n - 1))
    p_category = counts.sum(axis=0) / counts.sum()
    expected = float((p_category**2).sum())
    return float((p_item.mean() - expected) / (1 - expected))


def test_every_statement_has_one_row_and_the_original_vote_is_the_first_labellers_label() -> None:
    rows = _rows()
    # The practice set (one labeller, after the adjudication) has no votes: ADR 0036.
    statements = {s.id: s for s in corpus.load_corpus(practice=False)}
    assert sorted(r["id"] for r in rows) == sorted(statements)
    for row in rows:
        s = statements[row["id"]]
        assert row["orientation_original"] == s.orientation
        assert row["reform_stance_original"] == s.reform_stance


@pytest.mark.parametrize("field", ["orientation", "reform_stance"])
def test_each_label_is_the_majority_of_the_votes_or_the_original_without_one(field: str) -> None:
    for row in _rows():
        votes = [row[f"{field}_{v}"] for v in VOTERS if row[f"{field}_{v}"]]
        top = Counter(votes).most_common(1)
        if top and top[0][1] >= 2:
            assert row[field] == top[0][0], row["id"]
            assert field not in row["no_majority"].split(), row["id"]
        elif row[f"{field}_original"]:
            assert row[field] == row[f"{field}_original"], row["id"]
            assert (field in row["no_majority"].split()) == (len(votes) > 1), row["id"]
        else:  # a development-set stance the two new labellers did not agree on: unlabelled
            assert row[field] == "", row["id"]


ADJUDICATED = "## Adjudicated orientation and reform stance"


@pytest.mark.parametrize(
    ("field", "voters", "heading", "marked"),
    [
        ("orientation", VOTERS, ADJUDICATED, "no_majority"),
        ("reform_stance", VOTERS, ADJUDICATED, "no_majority"),
        ("orientation", REVISED_VOTERS, "## Revised orientation", "no_majority_revised"),
    ],
)
def test_card_reports_the_kappas_the_three_votes_give_on_the_published_statements(
    field: str, voters: tuple[str, ...], heading: str, marked: str
) -> None:
    rows = [r for r in _rows() if r["id"].startswith("P")]
    rated = [[r[f"{field}_{v}"] for v in voters] for r in rows]
    rated = [item for item in rated if all(item)]
    section = _card_section(heading)
    for i, j in ((0, 1), (0, 2), (1, 2)):
        first, second = [x[i] for x in rated], [x[j] for x in rated]
        kappa = cohen_kappa_score(first, second)
        raw = sum(a == b for a, b in zip(first, second, strict=True)) / len(rated)
        line = f"| {field} | {len(rated)} | {voters[i]}/{voters[j]} | {raw:.3f} | {kappa:.3f} |"
        assert line in section
    flagged = sum(field in r[marked].split() for r in _rows())
    assert f"| {field} | {len(rated)} | {_fleiss(rated):.3f} | {flagged} |" in section


@pytest.mark.parametrize(
    ("labels", "adr", "name"),
    [("adjudicated", ADR, "Adjudicated"), ("revised", REVISED_ADR, "Revised")],
)
def test_the_test_labels_of_each_label_set_are_the_reference_frozen_in_its_adr(
    labels: str, adr: Path, name: str
) -> None:
    text = adr.read_text(encoding="utf-8")
    checksum = re.search(rf"{name} test reference checksum \(sha256\): `([0-9a-f]{{64}})`", text)
    count = re.search(rf"{name} test reference size: (\d+) statements", text)
    assert checksum and count, f"{adr.name} must record the {labels} reference's checksum"
    test = corpus.by_split(corpus.load_corpus(labels), "test")
    assert len(test) == int(count.group(1))
    assert corpus.row_checksum(test) == checksum.group(1)


def test_the_adjudicated_labels_leave_every_other_label_and_the_split_as_they_were() -> None:
    original = {s.id: s for s in corpus.load_corpus()}
    for s in corpus.load_corpus("adjudicated"):
        before = original[s.id]
        assert (s.split, s.text, s.concepts, s.principles, s.methodologies) == (
            before.split,
            before.text,
            before.concepts,
            before.principles,
            before.methodologies,
        )


def test_every_statement_has_both_new_votes() -> None:
    rows = _rows()
    assert len(rows) == 1560
    allowed = set(corpus.ORIENTATIONS)
    for row in rows:
        assert row["orientation_labeller5"] in allowed, row["id"]
        assert row["orientation_labeller6"] in allowed, row["id"]


def test_the_revised_orientation_is_the_majority_of_the_original_and_the_two_new_votes() -> None:
    for row in _rows():
        votes = [row[f"orientation_{v}"] for v in REVISED_VOTERS]
        top, count = Counter(votes).most_common(1)[0]
        if count >= 2:
            assert row["orientation_revised"] == top, row["id"]
            assert row["no_majority_revised"] == "", row["id"]
        else:  # all three differ: the original, marked
            assert row["orientation_revised"] == row["orientation_original"], row["id"]
            assert row["no_majority_revised"] == "orientation", row["id"]


def test_the_revised_labels_change_orientation_only() -> None:
    adjudicated = {s.id: s for s in corpus.load_corpus("adjudicated")}
    for s in corpus.load_corpus("revised"):
        before = adjudicated[s.id]
        assert (s.split, s.text, s.reform_stance, s.concepts, s.principles, s.methodologies) == (
            before.split,
            before.text,
            before.reform_stance,
            before.concepts,
            before.principles,
            before.methodologies,
        )
