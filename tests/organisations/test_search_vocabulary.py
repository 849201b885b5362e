"""The sector's vocabulary (ADR 0053): what a commissioner's words call up in partner search."""

from __future__ import annotations

import pytest

from commonground.organisations.search.concepts import expansions
from commonground.organisations.search.hybrid import search_words, word_groups
from commonground.organisations.search.normalise import normalise
from commonground.organisations.search.vocabulary import VOCABULARY

LOOKED_UP = sorted({word for _, words in VOCABULARY for word in words})


def test_a_word_the_query_already_has_is_looked_up_once() -> None:
    for word in LOOKED_UP:
        words = search_words(f"{word} projects")
        assert len(words) == len(set(words)), word


def test_every_word_looked_up_is_written_as_the_index_writes_it() -> None:
    for word in LOOKED_UP:
        assert word == normalise(word), word


@pytest.mark.parametrize(
    ("query", "called_up", "not_called_up"),
    [
        ("uniformed youth groups", "scout", "food bank"),
        ("SEND advice for parents", "special educational", "scout"),
        ("sending birthday cards", None, "special educational"),
        ("holiday activities and food", None, "food bank"),
        ("emergency food parcels", "food bank", "first aid"),
        # A kind of work is searched as itself, not widened to its siblings.
        ("scouts", None, "guiding"),
        ("church halls to hire", None, "mosque"),
        ("epilepsy support", None, "parkinson"),
        ("college courses for adults", None, "university"),
        ("support for students", "university", "scout"),
    ],
)
def test_a_phrase_calls_up_its_words_and_only_as_the_sector_means_it(
    query: str, called_up: str | None, not_called_up: str
) -> None:
    added = expansions(query)

    if called_up is not None:
        assert called_up in added
    assert not_called_up not in added


def test_a_concepts_words_are_one_group_and_the_querys_own_words_one_each() -> None:
    groups = word_groups("uniformed youth groups")

    assert groups[:3] == [["uniform"], ["youth"], ["group"]]
    uniformed = next(group for group in groups[3:] if "scout" in group)
    assert {"guiding", "cadet"} <= set(uniformed)
    assert search_words("uniformed youth groups") == [w for group in groups for w in group]
