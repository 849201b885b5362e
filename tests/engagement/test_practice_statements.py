"""The practice set (ADR 0036): plain descriptions of practice written for the project, a second
development set that is learnt from and never held out, and that copies no test statement."""

from __future__ import annotations

from collections import Counter

from commonground.engagement.analysis import corpus
from commonground.engagement.analysis.copycheck import shared_runs

# Issue 13's own examples: checked against the model, so they must not be training statements.
ISSUE_EXAMPLES = (
    "the contract goes to whoever quotes least",
    "bidders are scored seventy percent on cost",
    "investors expect their money back with a healthy margin within five years",
    "residents bought the shop together through a share issue",
    "the trust gives core funding for a decade with no strings",
    "the council sold the old fire station to the land trust for a pound",
    "the day centre went out to tender and the cheapest bidder won",
)
PERSPECTIVES = ("commissioner", "provider", "funder", "community")


def test_no_practice_statement_shares_six_words_in_a_row_with_a_test_statement() -> None:
    practice = corpus.load_practice()
    test = corpus.by_split(corpus.load_corpus(practice=False), "test", "test_new")
    assert practice and test
    copied = [
        (p.id, t.id, run) for p in practice for t in test for run in shared_runs(p.text, t.text)
    ]
    assert copied == []


def test_the_practice_set_is_learnt_from_and_never_scored_as_held_out() -> None:
    statements = corpus.load_corpus()
    practice = corpus.by_split(statements, "practice")
    assert len(practice) == len(corpus.load_practice()) >= 400
    assert all(s.trainable and not s.lists_labelled for s in practice)
    assert not {s.id for s in practice} & {s.id for s in corpus.by_split(statements, "test")}


def test_the_practice_set_covers_every_perspective_frame_and_stance() -> None:
    practice = corpus.load_practice()
    share = len(practice) / 100
    perspectives = Counter(s.perspective for s in practice)
    orientations = Counter(s.orientation for s in practice)
    stances = Counter(s.reform_stance for s in practice)
    assert all(perspectives[p] >= 20 * share for p in PERSPECTIVES)
    assert orientations["market"] >= 20 * share and orientations["mixed"] >= 15 * share
    assert set(orientations) == {"market", "mixed", "purpose", "neutral"}
    assert set(stances) == set(corpus.REFORM_STANCES)
    assert sum(s.names_concept == "no" for s in practice) >= 60 * share


def test_the_issues_own_examples_are_not_in_the_practice_set() -> None:
    texts = {" ".join(s.text.lower().rstrip(".").split()) for s in corpus.load_practice()}
    assert not texts & set(ISSUE_EXAMPLES)
