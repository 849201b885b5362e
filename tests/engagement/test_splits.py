"""Honest splits (ADR 0022): the published statements are split by source, the test split is
frozen against the checksum recorded in the ADR, and no lexicon phrase or rule was written from
a test statement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commonground.engagement.analysis import corpus, leakage
from commonground.engagement.analysis.analyser import LEXICON_PATH, load_lexicon
from commonground.engagement.analysis.model import load_model

ADR = Path(__file__).resolve().parents[2] / "docs/adr/0022-articulation-model-and-splits.md"


def _frozen() -> tuple[str, int]:
    text = ADR.read_text(encoding="utf-8")
    checksum = re.search(r"Test split checksum \(sha256\): `([0-9a-f]{64})`", text)
    count = re.search(r"Test split size: (\d+) statements", text)
    assert checksum and count, "ADR 0022 must record the test split's checksum and size"
    return checksum.group(1), int(count.group(1))


def test_no_source_has_statements_in_two_splits() -> None:
    splits_of: dict[str, set[str]] = {}
    for s in corpus.load_published():
        splits_of.setdefault(s.source_id, set()).add("train" if s.trainable else "test")
    assert splits_of, "the published corpus is there"
    assert all(len(found) == 1 for found in splits_of.values())


def test_a_source_split_follows_from_its_id_alone() -> None:
    assert corpus.source_split("KNG-GRANTS") == corpus.source_split(" KNG-GRANTS ")
    shares = [corpus.source_split(f"SOURCE-{i}") for i in range(2000)]
    assert 0.25 < shares.count("test") / len(shares) < 0.35


def test_the_test_split_is_the_one_frozen_in_adr_0022() -> None:
    checksum, count = _frozen()
    test = corpus.by_split(corpus.load_corpus(), "test")
    assert len(test) == count
    assert corpus.row_checksum(test) == checksum


def test_a_changed_test_statement_changes_the_checksum() -> None:
    test = corpus.by_split(corpus.load_corpus(), "test")
    first = test[0]
    changed = [
        corpus.Statement(
            **{
                **first.__dict__,
                "orientation": "neutral" if first.orientation != "neutral" else "market",
            }
        ),
        *test[1:],
    ]
    assert corpus.row_checksum(changed) != corpus.row_checksum(test)


def test_a_statement_added_to_a_test_source_after_the_freeze_is_kept_out_of_training(
    tmp_path: Path,
) -> None:
    frozen = corpus.frozen_test_ids()
    rows = corpus.PUBLISHED_PATH.read_text(encoding="utf-8").splitlines()
    test_source = next(s.source_id for s in corpus.load_published() if s.split == "test")
    extra = (
        f'P9999,"A later statement from the same document.",provider,report,{test_source},'
        "p. 1,neutral,,,,none,no"
    )
    path = tmp_path / "published.csv"
    path.write_text("\n".join([*rows, extra]) + "\n", encoding="utf-8")
    added = next(s for s in corpus.load_published(path, frozen) if s.id == "P9999")
    assert added.split == "test_new" and not added.trainable


def test_no_lexicon_phrase_or_rule_fires_only_on_test_statements() -> None:
    statements = corpus.load_corpus()
    test = corpus.by_split(statements, "test", "test_new")
    train = corpus.by_split(statements, "dev", "train")
    assert test and train
    assert leakage.unseen(test, train) == []


def test_the_leak_check_finds_a_phrase_written_from_a_test_statement(tmp_path: Path) -> None:
    source = LEXICON_PATH.read_text(encoding="utf-8")
    copied = source.replace(
        '      - {p: "profits?", c: 0.9}\n',
        '      - {p: "profits?", c: 0.9}\n      - {p: "quotes least", c: 0.9}\n',
    )
    assert copied != source
    path = tmp_path / "lexicon.yaml"
    path.write_text(copied, encoding="utf-8")
    test = [
        corpus.Statement(
            "T1",
            "test",
            "community",
            "The contract goes to whoever quotes least.",
            "market",
            frozenset(),
            frozenset(),
            frozenset(),
        )
    ]
    train = corpus.load_dev()
    found = leakage.unseen(test, train, load_lexicon(path))
    assert [(u.phrase, u.statement_ids) for u in found] == [("quotes least", ("T1",))]


@pytest.mark.parametrize(
    "phrase",
    [
        "race to the bottom",
        "honest conversations",
        "as equals",
        "cost per (outcome",
        "favourable terms",
        "life better",
        "supplier of",
        "publish (the|every)",
        "for (at least )?(five|ten) years",
    ],
)
def test_the_phrases_that_copied_old_test_statements_are_gone(phrase: str) -> None:
    assert phrase not in LEXICON_PATH.read_text("utf-8")


def test_the_model_never_learnt_from_a_test_statement() -> None:
    model = load_model()
    assert model is not None
    test_ids = {s.id for s in corpus.load_corpus() if not s.trainable}
    assert test_ids
    assert not test_ids & set(model.meta["training_ids"])
