"""A places search holding a NUL character is said to be wrong: no name holds one, and
PostgreSQL refuses to compare text that does, so sending it to the database was a server error
there (ADR 0059). The request runs as PostgreSQL would (a NUL in a query's
parameters raises), so the test holds on SQLite too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test import Client

from tests.places.factories import PlaceFactory


def _values(params: Any) -> Iterator[Any]:
    for value in params.values() if isinstance(params, dict) else params or ():
        if isinstance(value, list | tuple):
            yield from _values(value)
        else:
            yield value


def _as_postgresql(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    if any(isinstance(v, str) and "\x00" in v for v in _values(params)):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


def test_a_places_search_with_a_nul_character_says_which_parameter_holds_it(db: None) -> None:
    PlaceFactory(name="Trafford")
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(_as_postgresql):
        response = client.get("/places/", {"q": "Traff\x00ord"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The query parameter &#x27;q&#x27; holds a NUL character" in page
