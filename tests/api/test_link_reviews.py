"""GET /api/v1/link-reviews and POST /api/v1/link-reviews/{id}/decision: who may use them."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.accounts import services
from commonground.audit.models import AuditEvent
from commonground.organisations.models import LinkReviewStatus
from tests.organisations.factories import queued_review, reviewers

pytestmark = pytest.mark.django_db

URL = "/api/v1/link-reviews"


@pytest.fixture
def people(atlas):
    return reviewers()


def headers(user) -> dict[str, str]:
    if user is None:
        return {}
    _token, raw = services.api_token_create(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("outsider", 403), ("reviewer", 200), ("admin", 200)]
)
def test_only_reviewers_read_the_queue(people, who, status) -> None:
    review = queued_review()
    response = Client().get(URL, **headers(people.get(who)))
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["total"] == 1
        item = body["results"][0]
        assert item["id"] == review.pk and item["party_name"] == review.party_name
        assert item["organisation_id"] == review.organisation.org_id
        assert {e["field"] for e in item["evidence"]} == {"name", "postcode"}


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("outsider", 403)])
def test_others_cannot_decide(people, who, status) -> None:
    review = queued_review()
    response = Client().post(
        f"{URL}/{review.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
        **headers(people.get(who)),
    )
    assert response.status_code == status
    review.refresh_from_db()
    assert review.status == LinkReviewStatus.PENDING


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_reviewers_decide_once_and_it_is_audited(people, who) -> None:
    review = queued_review()
    auth = headers(people[who])
    url = f"{URL}/{review.pk}/decision"
    response = Client().post(url, {"decision": "reject"}, content_type="application/json", **auth)
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert AuditEvent.objects.filter(action="linkage.review_reject", actor=people[who]).exists()
    again = Client().post(url, {"decision": "accept"}, content_type="application/json", **auth)
    assert again.status_code == 409


def test_bad_decisions_and_unknown_reviews(people) -> None:
    review = queued_review()
    auth = headers(people["reviewer"])
    url = f"{URL}/{review.pk}/decision"
    bad = Client().post(url, {"decision": "maybe"}, content_type="application/json", **auth)
    assert bad.status_code == 422
    assert bad.json()["field"] == "decision"
    missing = Client().post(
        f"{URL}/{review.pk + 1000}/decision",
        {"decision": "accept"},
        content_type="application/json",
        **auth,
    )
    assert missing.status_code == 404
