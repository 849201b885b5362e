"""Which groups' figures are withheld so that nobody's own answer can be read from them
(core.disclosure), as the health check and the votes on shared statements rely on."""

from __future__ import annotations

import pytest

from commonground.core.disclosure import too_few, withheld


@pytest.mark.parametrize(("size", "hidden"), ((0, False), (1, True), (2, False), (9, False)))
def test_a_figure_over_more_than_none_but_fewer_than_the_minimum_is_too_few(
    size: int, hidden: bool
) -> None:
    assert too_few(size, 2) is hidden


def test_groups_with_enough_in_them_are_all_shown() -> None:
    assert withheld([3, 2, 5], 2) == [False, False, False]


def test_a_lone_answer_hides_its_group_and_the_smallest_other_so_it_cannot_be_subtracted() -> None:
    assert withheld([4, 2, 1, 3], 2) == [False, True, True, False]


def test_of_equal_groups_the_one_listed_last_is_hidden_beside_a_lone_answer() -> None:
    assert withheld([2, 2, 1, 2], 2) == [False, False, True, True]


def test_two_lone_answers_hidden_together_need_nothing_else_hidden() -> None:
    assert withheld([1, 3, 1], 2) == [True, False, True]


def test_lone_answers_hidden_together_but_fewer_than_the_minimum_hide_the_smallest_other() -> None:
    assert withheld([1, 1, 5, 4], 3) == [True, True, False, True]


def test_an_empty_group_is_never_hidden_and_never_hides_a_lone_answer() -> None:
    assert withheld([0, 1, 0, 2], 2) == [False, True, False, True]
    assert withheld([0, 0], 2) == [False, False]


def test_with_only_lone_answers_every_group_is_hidden() -> None:
    assert withheld([1], 2) == [True]
    assert withheld([1, 0], 2) == [True, False]
