"""The articulation analyser: negation, hedges, irony, each kind of label, evidence spans."""

from __future__ import annotations

import json

import pytest

from commonground.engagement.analysis.analyser import (
    CONCEPTS,
    LABELS,
    METHODOLOGIES,
    PRINCIPLES,
    analyse,
    load_lexicon,
)


def test_not_about_profit_is_not_the_market_frame() -> None:
    result = analyse("This is not about profit; it is about the public good.")
    assert "profit" not in result.labels("concepts")
    assert "public_value" in result.labels("concepts")
    assert result.orientation.label == "purpose"
    assert result.orientation.score > 0
    assert [e.text for e in result.negated] == ["profit"]


def test_profit_affirmed_is_the_market_frame() -> None:
    result = analyse("If a provider can make a healthy profit from this, good luck to them.")
    assert result.labels("concepts") == ["profit"]
    assert result.orientation.label == "market"
    assert result.orientation.score < 0


@pytest.mark.parametrize(
    "text, negated",
    [
        ("Collaboration rather than competition should shape the next round.", "competition"),
        ("Purpose over profit, every single time.", "profit"),
        ("People before profit.", "profit"),
        ("We don't want competition between the food banks.", "competition"),
        ("The council talks about collaboration in name only.", "collaboration"),
        ("Another so-called partnership, then.", "partnership"),
    ],
)
def test_negation_and_irony_stop_a_phrase_counting(text: str, negated: str) -> None:
    result = analyse(text)
    found = result.labels("concepts") + result.labels("principles")
    assert negated not in found
    assert any(negated[:6] in e.text.lower() for e in result.negated)


def test_not_just_about_profit_still_counts_profit() -> None:
    assert "profit" in analyse("It is not just about profit.").labels("concepts")


def test_negation_stops_at_the_clause() -> None:
    result = analyse("We do not want competition, we want collaboration.")
    assert "collaboration" in result.labels("concepts")
    assert "competition" not in result.labels("concepts")


def test_a_hedge_weakens_the_words_it_reaches_only() -> None:
    result = analyse("Maybe purpose should come first, but the cabinet wants savings.")
    purpose = next(e for e in result.orientation.evidence if e.text == "purpose")
    savings = next(e for e in result.orientation.evidence if e.text == "savings")
    assert purpose.hedged and not savings.hedged
    assert abs(purpose.weight) < abs(savings.weight)
    assert result.orientation.label == "mixed"


def test_a_named_methodology_counts_even_when_rejected() -> None:
    result = analyse("We will not go out to tender this time.")
    assert result.labels("methodologies") == ["procurement"]


def test_evidence_spans_point_at_the_words_in_the_text() -> None:
    text = "We want trust, open-book costs and an alliance contract with providers."
    result = analyse(text)
    for kind in ("concepts", "principles", "methodologies"):
        for label in getattr(result, kind):
            assert 0 < label.confidence <= 1
            for evidence in label.evidence:
                assert text[evidence.start : evidence.end] == evidence.text
                assert evidence.text in evidence.sentence
    assert {"trust", "transparency"} <= set(result.labels("principles"))
    assert result.labels("methodologies") == ["alliance"]


@pytest.mark.parametrize(
    "text, kind, label",
    [
        ("They only care about margins.", "concepts", "profit"),
        ("We have to compete with national firms.", "concepts", "competition"),
        ("Value for money is the only test.", "concepts", "private_value"),
        ("We are a purpose-led organisation.", "concepts", "purpose"),
        ("We collaborate with other charities.", "concepts", "collaboration"),
        ("Libraries are a public good.", "concepts", "public_value"),
        ("We see ourselves as partners.", "principles", "partnership"),
        ("It is relational work.", "principles", "relational"),
        ("The relationship is purely transactional.", "principles", "transactional"),
        ("We fund place-based work.", "principles", "place_based"),
        ("Social value should mean local jobs.", "principles", "social_value"),
        ("We need long-term funding.", "principles", "long_term"),
        ("Services should be joined up.", "principles", "integration"),
        ("Early help prevents crises.", "principles", "prevention"),
        ("Communication with providers matters.", "principles", "communication"),
        ("We are transparent about costs.", "principles", "transparency"),
        ("Trust is the working currency.", "principles", "trust"),
        ("We ask for full cost recovery.", "principles", "mutuality_fairness"),
        ("The contract needs flexibility.", "principles", "flexibility"),
        ("The procurement timetable is out.", "methodologies", "procurement"),
        ("A small grant got us started.", "methodologies", "grant_subsidy"),
        ("We are exploring preferential investment.", "methodologies", "preferential_investment"),
        ("Social investors lent us the money.", "methodologies", "impact_investment"),
        ("Community organisers helped us.", "methodologies", "community_facilitation"),
        ("The consultation closes on Friday.", "methodologies", "engagement"),
        ("The hall came to us by community asset transfer.", "methodologies", "asset_transfer"),
        ("An integrated community partnership covers the borough.", "methodologies",
         "integrated_partnership"),
        ("Oldham used an innovation partnership.", "methodologies", "innovation_partnership"),
        ("The alliance board meets next week.", "methodologies", "alliance"),
    ],
)  # fmt: skip
def test_each_label_is_found_with_its_evidence(text: str, kind: str, label: str) -> None:
    result = analyse(text)
    found = next(x for x in getattr(result, kind) if x.label == label)
    assert found.evidence and found.evidence[0].text.lower() in text.lower()


def test_the_partnership_in_a_methodology_name_is_not_the_principle() -> None:
    result = analyse("Oldham used an innovation partnership.")
    assert "partnership" not in result.labels("principles")


def test_a_statement_without_either_frame_is_neutral() -> None:
    result = analyse("The meeting is on Tuesday in the town hall.")
    assert result.orientation.label == "neutral"
    assert result.orientation.score == 0
    assert not result.concepts and not result.principles and not result.methodologies


def test_both_frames_make_a_mixed_statement() -> None:
    result = analyse("Some competition is healthy, but collaboration should win out.")
    assert result.orientation.label == "mixed"
    assert {"competition", "collaboration"} <= set(result.labels("concepts"))


def test_the_analysis_is_the_same_in_every_process(printed_by_fresh_processes) -> None:
    text = "Competition keeps providers sharp, but trust and purpose matter more."
    here = json.loads(json.dumps(analyse(text).to_dict()))
    code = (
        "from commonground.engagement.analysis.analyser import analyse\n"
        f"print(json.dumps(analyse({text!r}).to_dict()))"
    )
    assert printed_by_fresh_processes(code) == [here, here]


def test_the_lexicon_covers_exactly_the_labels_the_issue_lists() -> None:
    lexicon = load_lexicon()
    by_kind: dict[str, set[str]] = {}
    for entry in lexicon.entries:
        by_kind.setdefault(entry.kind, set()).add(entry.label)
    assert by_kind["concepts"] == set(CONCEPTS)
    assert by_kind["principles"] == set(PRINCIPLES)
    assert by_kind["methodologies"] == set(METHODOLOGIES)
    assert len(LABELS["principles"]) == 14
