"""The development set (320 statements written for this project, on which the lexicon was
tuned) and the evaluation's arithmetic. Held-out figures are on the published statements' test
split (test_splits.py, `make eval`)."""

from __future__ import annotations

import csv

import pytest

from commonground.engagement.analysis.analyser import LABELS, ORIENTATIONS
from commonground.engagement.analysis.corpus import Statement
from commonground.engagement.analysis.evaluation import (
    DATA_PATH,
    TARGETS,
    constant_baseline,
    evaluate,
    expected_calibration_error,
    load_examples,
)


def test_the_set_has_at_least_300_statements_with_unique_ids_and_texts() -> None:
    examples = load_examples()
    assert len(examples) >= 300
    assert len({e.id for e in examples}) == len(examples)
    assert len({" ".join(e.text.lower().split()) for e in examples}) == len(examples)


def test_every_row_has_a_known_split_perspective_and_labels() -> None:
    with open(DATA_PATH, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert row["split"] in ("train", "test"), row["id"]
        assert row["perspective"] in ("commissioner", "provider", "funder", "community")
        assert row["orientation"] in ORIENTATIONS
        for kind in LABELS:
            assert set(row[kind].split()) <= set(LABELS[kind]), row["id"]


def test_the_lexicon_alone_still_reads_the_development_set_as_when_it_was_tuned() -> None:
    # A regression check, not a held-out figure: the lexicon was written from these statements.
    figures = evaluate(load_examples(), "dev").figures()
    assert figures["orientation_accuracy"] >= 0.90
    assert figures["concepts_macro_f1"] >= 0.95
    assert figures["methodologies_macro_f1"] >= 0.95


def test_the_report_gives_per_label_figures_a_confusion_table_and_calibration() -> None:
    report = evaluate(load_examples()[:40], "dev")
    text = report.to_text()
    assert "Orientation accuracy" in text and "precision" in text and "macro-F1" in text
    assert set(TARGETS) >= {"orientation_accuracy", "reform_stance_macro_f1"}


def test_calibration_error_is_the_weighted_gap_between_confidence_and_accuracy() -> None:
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 4, [True, False, True, False]) == pytest.approx(0.45)


def test_the_constant_baseline_always_gives_the_commonest_training_answer() -> None:
    def statement(orientation: str, stance: str) -> Statement:
        empty: frozenset[str] = frozenset()
        return Statement("X", "train", "", "text", orientation, empty, empty, empty, stance)

    train = [statement("purpose", "none")] * 3 + [statement("market", "refine")]
    test = [statement("purpose", "none"), statement("market", "refine")]
    line = constant_baseline(train, test)
    assert "'purpose'" in line and "orientation 0.500" in line
    # 'none' scores F1 2/3 (one right, one wrong); 'refine' is missed (F1 0): mean 1/3.
    assert "reform stance 0.333" in line
