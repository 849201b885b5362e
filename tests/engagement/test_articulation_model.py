"""The trained articulation model (ADR 0022): a small committed artefact of plain arrays that
training reproduces, labels with evidence for every decision, and a reform stance."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.engagement.analysis import corpus, training
from commonground.engagement.analysis.model import (
    META_PATH,
    WEIGHTS_PATH,
    articulate,
    articulate_many,
    current_model,
    load_model,
)


def test_the_artefact_is_small_plain_arrays_and_names_its_training_statements() -> None:
    assert WEIGHTS_PATH.stat().st_size + META_PATH.stat().st_size < 2_000_000
    with np.load(WEIGHTS_PATH, allow_pickle=False) as data:
        # Numbers, and the character n-grams the reform stance reads as plain text (ADR 0041).
        assert all(data[name].dtype.kind == "f" for name in data.files if name != "ngrams.terms")
        assert data["ngrams.terms"].dtype.kind == "U"
    model = load_model()
    assert model is not None
    assert set(model.heads) == {
        "orientation",
        "concepts",
        "principles",
        "methodologies",
        "reform_stance",
    }
    assert model.version.startswith("articulation-")
    known = {s.id for s in corpus.load_corpus() if s.trainable}
    assert set(model.meta["training_ids"]) <= known


def test_training_again_on_the_same_statements_gives_the_same_model() -> None:
    model = load_model()
    assert model is not None
    ids = set(model.meta["training_ids"])
    labels = model.meta.get("labels", "original")
    statements = [s for s in corpus.load_corpus(labels) if s.id in ids]
    assert corpus.row_checksum(statements) == model.meta["training_checksum"], (
        "the training statements changed: run manage.py train_articulation_model"
    )
    choices = {name: spec["chosen"] for name, spec in model.meta["heads"].items()}
    meta, arrays = training.train(statements, choices, labels)
    assert meta["labels"] == labels
    assert {name: spec["chosen"] for name, spec in meta["heads"].items()} == choices
    # The version hashes the arrays' exact bits, and the solver's last float32 bit differs
    # between machines (the committed model was trained elsewhere), so the arrays are compared
    # to within float32 rounding: a change of data, choices or calibration moves them far more.
    with np.load(WEIGHTS_PATH, allow_pickle=False) as committed:
        assert set(committed.files) == set(arrays)
        for name in committed.files:
            if committed[name].dtype.kind == "U":  # the character n-grams: the same text
                assert arrays[name].tolist() == committed[name].tolist(), name
                continue
            np.testing.assert_allclose(
                arrays[name], committed[name], rtol=1e-5, atol=1e-6, err_msg=name
            )


def test_every_label_keeps_evidence_from_the_lexicon_or_the_deciding_sentence() -> None:
    texts = [
        "The contract goes to whoever quotes least.",
        "Residents bought the shop together through a share issue. It is ours now.",
        "We will not go to tender; we want collaboration and trust over ten years.",
        "Investors expect their money back with a healthy margin within five years.",
    ]
    for text, result in zip(texts, articulate_many(texts), strict=True):
        assert result.model_version == current_model().version
        items = [
            *result.concepts,
            *result.principles,
            *result.methodologies,
            result.reform_stance,
            result.orientation,
        ]
        for item in items:
            assert item is not None and item.evidence, (text, item)
            for e in item.evidence:
                assert text[e.start : e.end] == e.text
            if item.basis == "model":
                assert item.evidence[0].kind == "sentence"
                assert len(item.reads_like) == 2


def test_confidences_are_probabilities_and_the_score_follows_them() -> None:
    result = articulate("Purpose over profit: we collaborate with partners for the common good.")
    assert result.orientation.label == "purpose"
    assert 0.5 < (result.orientation.confidence or 0) <= 1
    assert 0 < result.orientation.score <= 1
    for item in result.concepts:
        assert 0 < item.confidence <= 1


@pytest.mark.parametrize(
    "practice",
    [
        # Issue 13's examples of practices described without naming a concept, which the
        # lexicon alone read as neutral (written for the issue, in no split of the corpus).
        "The contract goes to whoever quotes least.",
        "Bidders are scored seventy percent on cost.",
        "Investors expect their money back with a healthy margin within five years.",
        "Residents bought the shop together through a share issue.",
        "The trust gives core funding for a decade with no strings.",
        "The council sold the old fire station to the land trust for a pound.",
    ],
)
def test_a_practice_described_without_naming_a_concept_is_not_read_as_neutral(
    practice: str,
) -> None:
    result = articulate(practice)
    assert result.orientation.label != "neutral"
    assert result.orientation.evidence
