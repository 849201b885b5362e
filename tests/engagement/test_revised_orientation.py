"""The revised orientation (ADR 0041): each statement's orientation is the majority of the
original label and two more blind labellers' votes under the current guide (labeller 5 and
labeller 6), the dataset card reports the agreement those three votes give, and the revised test
labels are a third frozen reference beside the original and the adjudicated ones."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from commonground.engagement.analysis import corpus
from commonground.engagement.analysis.analyser import ORIENTATIONS

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "docs" / "dataset-cards" / "articulation-corpus.md"
ADR = ROOT / "docs" / "adr" / "0041-revised-orientation-and-character-features.md"
VOTERS = ("original", "labeller5", "labeller6")


def _rows() -> list[dict[str, str]]:
    with open(corpus.ADJUDICATED_PATH, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _card_section() -> str:
    text = CARD.read_text(encoding="utf-8")
    start = text.index("## Revised orientation")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _fleiss(ratings: list[list[str]]) -> float:
    # From the textbook formula, independently of the adjudication module.
    categories = sorted({r for item in ratings for r in item})
    counts = np.array([[item.count(c) for c in categories] for item in ratings], dtype=float)
    n = counts.sum(axis=1)[0]
    p_item = ((counts**2).sum(axis=1) - n) / (n * (n - 1))
    p_category = counts.sum(axis=0) / counts.sum()
    expected = float((p_category**2).sum())
    return float((p_item.mean() - expected) / (1 - expected))


def test_every_statement_has_both_new_votes() -> None:
    rows = _rows()
    assert len(rows) == 1560
    allowed = set(ORIENTATIONS)
    for row in rows:
        assert row["orientation_labeller5"] in allowed, row["id"]
        assert row["orientation_labeller6"] in allowed, row["id"]


def test_the_revised_orientation_is_the_majority_of_the_original_and_the_two_new_votes() -> None:
    for row in _rows():
        votes = [row[f"orientation_{v}"] for v in VOTERS]
        top, count = Counter(votes).most_common(1)[0]
        if count >= 2:
            assert row["orientation_revised"] == top, row["id"]
            assert row["no_majority_revised"] == "", row["id"]
        else:  # all three differ: the original, marked
            assert row["orientation_revised"] == row["orientation_original"], row["id"]
            assert row["no_majority_revised"] == "orientation", row["id"]


def test_card_reports_the_kappas_the_revised_votes_give_on_the_published_statements() -> None:
    rated = [[r[f"orientation_{v}"] for v in VOTERS] for r in _rows() if r["id"].startswith("P")]
    section = _card_section()
    for i, j in ((0, 1), (0, 2), (1, 2)):
        first, second = [x[i] for x in rated], [x[j] for x in rated]
        kappa = cohen_kappa_score(first, second)
        raw = sum(a == b for a, b in zip(first, second, strict=True)) / len(rated)
        line = f"| orientation | {len(rated)} | {VOTERS[i]}/{VOTERS[j]} | {raw:.3f} | {kappa:.3f} |"
        assert line in section
    flagged = sum(r["no_majority_revised"] == "orientation" for r in _rows())
    assert f"| orientation | {len(rated)} | {_fleiss(rated):.3f} | {flagged} |" in section


def test_the_revised_test_labels_are_the_reference_frozen_in_adr_0041() -> None:
    text = ADR.read_text(encoding="utf-8")
    checksum = re.search(r"Revised test reference checksum \(sha256\): `([0-9a-f]{64})`", text)
    count = re.search(r"Revised test reference size: (\d+) statements", text)
    assert checksum and count, "ADR 0041 must record the revised reference's checksum"
    test = corpus.by_split(corpus.load_corpus("revised"), "test")
    assert len(test) == int(count.group(1))
    assert corpus.row_checksum(test) == checksum.group(1)


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
