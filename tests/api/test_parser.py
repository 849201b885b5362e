"""Any JSON body holding a NUL character is refused before it reaches a handler: a 422 in the
one error shape naming the field, nothing written, on SQLite and PostgreSQL alike (PostgreSQL
text cannot hold U+0000)."""

from __future__ import annotations

import json

import pytest

from commonground.accounts import services as account_services
from commonground.api.v1.parser import nul_path
from commonground.organisations.models import Shortlist
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _post_shortlist(client, body: str):  # type: ignore[no-untyped-def]
    _token, raw = account_services.api_token_create(UserFactory(), "test")
    return client.post(
        "/api/v1/shortlists",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_nul_in_a_text_field_is_a_422_naming_the_field_and_nothing_is_saved(client) -> None:  # type: ignore[no-untyped-def]
    answer = _post_shortlist(client, json.dumps({"name": "Carers\u0000 list"}))
    assert answer.status_code == 422
    assert answer.json()["field"] == "name"
    assert "NUL" in answer.json()["detail"]
    assert not Shortlist.objects.exists()


def test_a_nul_in_an_unexpected_key_is_refused_too(client) -> None:  # type: ignore[no-untyped-def]
    answer = _post_shortlist(client, json.dumps({"name": "Carers", "x\u0000": [1]}))
    assert answer.status_code == 422
    assert answer.json()["field"] == "x\\u0000"
    assert not Shortlist.objects.exists()


def test_the_same_body_without_the_nul_is_accepted(client) -> None:  # type: ignore[no-untyped-def]
    assert _post_shortlist(client, json.dumps({"name": "Carers list"})).status_code == 201


def test_nested_places_are_named_by_their_dotted_path() -> None:
    body = {"answers": [{"score": 1}, {"note": "ok", "why": ["fine", "bad\u0000"]}]}
    assert nul_path(body) == ("answers", "1", "why", "1")
    assert nul_path({"answers": [{"note": "fine"}]}) is None


def test_an_appraisal_answer_holding_a_nul_is_a_400_naming_the_field(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/api/v1/appraisals",
        data=json.dumps({"service_name": "Wellbeing\u0000"}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "service_name"


@pytest.mark.parametrize(
    ("query", "field"),
    [("dataset=%00", "dataset"), ("q=food%00bank&page=1", "q"), ("to=%00", "to")],
)
def test_a_nul_in_a_query_string_is_a_422_naming_the_filter_never_a_500(
    client, query: str, field: str
) -> None:  # type: ignore[no-untyped-def]
    answer = client.get(f"/api/v1/money-flows?{query}")
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert "NUL" in answer.json()["detail"]


def test_the_same_filters_without_the_nul_are_answered(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/money-flows?dataset=x&q=food").status_code == 200
