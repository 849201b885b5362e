"""The order of a hybrid search's matches (organisations/search/hybrid.py rank), on candidates
made here: no database and no embedding, the closeness in meaning given."""

from __future__ import annotations

from commonground.organisations.search.hybrid import Candidate, rank


def _candidate(pk: int, name: str, *, passes: bool = True, local: bool = True) -> Candidate:
    return Candidate(pk, passes, name, None, None, None, local)


def test_matches_that_score_the_same_are_listed_by_name() -> None:
    # Zeta is first by words and second in meaning, Alpha the other way round: equal scores.
    zeta, alpha = _candidate(1, "zeta group"), _candidate(2, "alpha group")
    semantic = {1: (2, 0.5), 2: (1, 0.6)}

    ranked = rank("befriending", [zeta, alpha], {"befriend": {1, 2}}, semantic=semantic)

    assert zeta.score == alpha.score
    assert [c.id for c in ranked] == [2, 1]


def test_matches_with_the_same_score_and_name_are_listed_by_id() -> None:
    later, earlier = _candidate(5, "twin trust"), _candidate(4, "twin trust")
    semantic = {5: (3, 0.5), 4: (3, 0.5)}

    ranked = rank("twins", [later, earlier], {"twin": set()}, total=10, semantic=semantic)

    assert [c.id for c in ranked] == [4, 5]


def test_matches_passing_the_filters_and_local_come_first_whatever_their_score() -> None:
    elsewhere = _candidate(1, "best by far", local=False)
    filtered_out = _candidate(2, "also very good", passes=False)
    local = _candidate(3, "a weaker local match")
    semantic = {1: (1, 0.9), 2: (2, 0.8), 3: (30, 0.3)}

    ranked = rank("x", [elsewhere, filtered_out, local], {"x": {1, 2, 3}}, semantic=semantic)

    assert [c.id for c in ranked] == [3, 1, 2]


def test_a_candidate_with_no_word_and_far_in_meaning_is_not_a_match() -> None:
    near, far = _candidate(1, "near"), _candidate(2, "far")
    semantic = {1: (1, 0.7), 2: (2, 0.1)}

    ranked = rank("x", [near, far], {"x": set()}, total=50, semantic=semantic)

    assert [c.id for c in ranked] == [1]
    assert near.words == [] and near.similarity == 0.7


def test_an_organisation_is_credited_with_the_best_of_a_concepts_words_not_their_sum() -> None:
    # "lists" has three of a concept's alternative words; "focused" has the query's own, rarer
    # word. Summed, the three would outweigh it; the best of them does not.
    lists, focused = _candidate(1, "lists them all"), _candidate(2, "focused")
    word_ids = {"own": {2, 3}, "alt1": {1, 4, 5, 6}, "alt2": {1, 7, 8, 9}, "alt3": {1, 10, 11, 12}}
    groups = [["own"], ["alt1", "alt2", "alt3"]]
    semantic = {1: (5, 0.5), 2: (6, 0.5)}

    ranked = rank("own", [lists, focused], word_ids, total=100, semantic=semantic, groups=groups)

    assert [c.id for c in ranked] == [2, 1]
    assert lists.words == ["alt1", "alt2", "alt3"]
