"""A NUL character (U+0000) in a page's address is not found; in a query parameter it is
refused with 400 and a message naming the parameter; the API answers 404 and 422 in its one
error shape (ADR 0020, ADR 0059). The same on both databases: PostgreSQL cannot hold such
text, so before this rule such requests were server errors there."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def test_a_search_with_a_nul_character_says_which_field_holds_it(client: Client) -> None:
    response = client.get("/organisations/", {"q": "age\x00uk", "place": "E08000009"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The query parameter &#x27;q&#x27; holds a NUL character" in page


def test_an_address_with_a_nul_character_is_not_found(client: Client) -> None:
    response = client.get("/organisations/GB-CHC-11%0009047/")

    assert response.status_code == 404


def test_the_api_refuses_a_nul_character_in_a_query_in_its_error_shape(client: Client) -> None:
    response = client.get("/api/v1/organisations", {"q": "befriending\x00"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": response.json()["errors"][0]["detail"],
        "field": "q",
        "errors": [{"detail": response.json()["errors"][0]["detail"], "field": "q"}],
        "code": None,
    }
    assert "holds a NUL character" in response.json()["detail"]


def test_the_api_finds_nothing_at_an_operation_address_with_a_nul_character(
    client: Client,
) -> None:
    response = client.get("/api/v1/organisations/GB-CHC-%00")

    assert response.status_code == 404
    assert response.json()["detail"] == "Not found"


def test_every_page_and_operation_with_a_nul_character_in_its_address_is_not_found(
    client: Client, site_routes: list
) -> None:
    # Every URL pattern, each parameter given a NUL: PostgreSQL cannot compare such text, so
    # before this rule some of these were server errors there and "not found" on SQLite.
    answers = {}
    for route, _pattern in site_routes:
        names = _PARAMETER.findall(route)
        if route.startswith(("admin/", "^")) or not names:
            continue
        path = route
        for converter, name in names:
            token = f"<{converter}:{name}>" if converter else f"<{name}>"
            path = path.replace(token, "1%00" if converter == "int" else "x%00", 1)
        answers["/" + path] = client.get("/" + path).status_code
    assert answers, "no routes with parameters were found"
    wrong = {path: status for path, status in answers.items() if status != 404}
    assert not wrong, wrong


def test_every_page_and_operation_refuses_a_nul_character_in_its_query(
    client: Client, site_routes: list
) -> None:
    answers = {}
    for route, _pattern in site_routes:
        if route.startswith(("admin/", "^")):
            continue
        path = "/" + _PARAMETER.sub(lambda m: "1" if m.group(1) == "int" else "x", route)
        answers[path] = client.get(path, {"q": "a\x00b"}).status_code
    expected = {path: 422 if path.startswith("/api/") else 400 for path in answers}
    wrong = {path: status for path, status in answers.items() if status != expected[path]}
    assert not wrong, wrong
