"""Emergent themes: statements grouped by meaning, named by their words, backed by quotes, with
drafts only where every perspective speaks and only in words someone said."""

from __future__ import annotations

from commonground.engagement.alignment import StatementRecord
from commonground.engagement.themes import emergent_themes

SAID = [
    ("commissioner", "The day centre contract went to the cheapest bidder after the tender."),
    ("provider", "We lost the tender because another bidder undercut our price."),
    ("community", "The cheapest bid won the tender and the day centre got worse."),
    ("funder", "Tenders that reward the lowest price push good charities out."),
    ("commissioner", "Residents will run the library as a community hub from next year."),
    ("provider", "Our volunteers keep the library open three days a week."),
    ("community", "We saved our library by running it ourselves with volunteers."),
    ("funder", "We fund community groups that take over their local library."),
]


def _records() -> list[StatementRecord]:
    return [
        StatementRecord(i, perspective, text, "neutral", 0.0, (), (), ())
        for i, (perspective, text) in enumerate(SAID, start=1)
    ]


def test_statements_about_the_same_thing_form_a_theme_named_by_their_words() -> None:
    themes = emergent_themes(_records(), k=2)
    assert len(themes) == 2
    groups = [{q.statement_id for q in t.quotes} for t in themes]
    names = " ".join(t.name for t in themes)
    assert "library" in names and ("tender" in names or "cheapest" in names)
    assert all(g <= {1, 2, 3, 4} or g <= {5, 6, 7, 8} for g in groups)


def test_a_theme_every_perspective_speaks_to_offers_drafts_in_their_own_words() -> None:
    themes = emergent_themes(_records(), k=2)
    said = {text for _, text in SAID}
    for theme in themes:
        assert theme.shared_by_all
        assert set(theme.by_perspective) == {"commissioner", "provider", "community", "funder"}
        assert theme.drafts and all(d.text in said for d in theme.drafts)


def test_the_same_statements_always_give_the_same_themes() -> None:
    first = emergent_themes(_records())
    second = emergent_themes(_records())
    assert [(t.name, t.size) for t in first] == [(t.name, t.size) for t in second]


def test_too_few_statements_give_no_themes() -> None:
    assert emergent_themes(_records()[:3]) == []
