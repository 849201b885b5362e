"""Adjudicated orientation and reform stance (ADR 0036): each label is the majority of three
labellers' votes, the dataset card reports the agreement the votes give, and the adjudicated
test labels are a second frozen reference beside the original test split."""

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
VOTERS = ("original", "labeller3", "labeller4")


def _rows() -> list[dict[str, str]]:
    with open(corpus.ADJUDICATED_PATH, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _card_section() -> str:
    text = CARD.read_text(encoding="utf-8")
    start = text.index("## Adjudicated orientation and reform stance")
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


@pytest.mark.parametrize("field", ["orientation", "reform_stance"])
def test_card_reports_the_kappas_the_three_votes_give_on_the_published_statements(
    field: str,
) -> None:
    rows = [r for r in _rows() if r["id"].startswith("P")]
    rated = [[r[f"{field}_{v}"] for v in VOTERS] for r in rows]
    rated = [item for item in rated if all(item)]
    section = _card_section()
    for i, j in ((0, 1), (0, 2), (1, 2)):
        first, second = [x[i] for x in rated], [x[j] for x in rated]
        kappa = cohen_kappa_score(first, second)
        raw = sum(a == b for a, b in zip(first, second, strict=True)) / len(rated)
        line = f"| {field} | {len(rated)} | {VOTERS[i]}/{VOTERS[j]} | {raw:.3f} | {kappa:.3f} |"
        assert line in section
    flagged = sum(field in r["no_majority"].split() for r in _rows())
    assert f"| {field} | {len(rated)} | {_fleiss(rated):.3f} | {flagged} |" in section


def test_the_adjudicated_test_labels_are_the_reference_frozen_in_adr_0036() -> None:
    text = ADR.read_text(encoding="utf-8")
    checksum = re.search(r"Adjudicated test reference checksum \(sha256\): `([0-9a-f]{64})`", text)
    count = re.search(r"Adjudicated test reference size: (\d+) statements", text)
    assert checksum and count, "ADR 0036 must record the adjudicated reference's checksum"
    test = corpus.by_split(corpus.load_corpus("adjudicated"), "test")
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
