"""Random search parameters, on the search page and the API, never cause a server error: the
page shows the form's error messages and the API answers 422, or both show results."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARAMETERS = [
    "q", "place", "postcode", "distance", "sector", "status", "income", "legal_form", "sort",
    "page", "page_size", "format", "",
]  # fmt: skip

# Text a form field might receive: anything printable, plus the edges that break parsers
# (NUL, surrogates are not sendable in a URL; huge numbers, negatives, SQL and FTS syntax).
values = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60),
    st.sampled_from(
        [
            "\x00",
            "-1",
            "0",
            "99999999999999999999999",
            "1e309",
            "nan",
            "' OR 1=1 --",
            '"unbalanced',
            "NEAR(",
            "a AND OR NOT b",
            "*",
            "E08000009",
            "M41 9EH",
            "charity",
            "active",
        ]
    ),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=6)


def _query_string(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


@FUZZ
@given(pairs=queries)
def test_the_search_page_never_fails_whatever_the_parameters(client: Client, pairs) -> None:
    response = client.get("/organisations/", _query_string(pairs))
    assert response.status_code in (200, 400), (pairs, response.status_code)


@FUZZ
@given(pairs=queries)
def test_the_search_api_answers_results_or_a_validation_error_whatever_the_parameters(
    client: Client, pairs
) -> None:
    response = client.get("/api/v1/organisations", _query_string(pairs))
    assert response.status_code in (200, 422), (pairs, response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
