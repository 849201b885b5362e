"""Rows matching a list of values are found alike on both databases, whatever the values hold."""

from __future__ import annotations

import pytest

from commonground.core.sql_lists import SQLITE_CHUNK, select_in

pytestmark = pytest.mark.django_db

AWKWARD = ['say "hello"', "back\\slash", "a,b", "{braces}", " spaced ", "NULL", "", "Ünïcode £"]


def rows_matching(held: list[str], wanted: list) -> list[str]:
    values = ", ".join(["(%s)"] * len(held))
    sql = f"WITH t(v) AS (VALUES {values}) SELECT v FROM t WHERE v {{IN}} ORDER BY v"
    return [v for (v,) in select_in(sql, wanted, before=held)]


def test_strings_with_quotes_backslashes_commas_and_braces_are_matched_exactly() -> None:
    held = [*AWKWARD, "plain", "say", "back", "a", "b", "null"]

    assert rows_matching(held, AWKWARD) == sorted(AWKWARD)
    assert rows_matching(held, ["plain", "nothing held"]) == ["plain"]


def test_more_values_than_sqlite_takes_at_once_are_all_looked_for() -> None:
    held = ["first", "last"]
    wanted = ["first", *(f"absent {n}" for n in range(SQLITE_CHUNK * 2)), "last"]

    assert rows_matching(held, wanted) == ["first", "last"]


def test_numbers_are_matched_too() -> None:
    sql = "WITH t(v) AS (VALUES (1), (2), (3)) SELECT v FROM t WHERE v {IN} ORDER BY v"

    assert [v for (v,) in select_in(sql, [3, 1, 7])] == [1, 3]
