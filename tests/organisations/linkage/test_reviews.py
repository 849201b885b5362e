"""The review queue: who may see and decide it, and that decisions are kept across re-imports."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonground.audit.models import AuditEvent
from commonground.organisations.linkage import Party, callbacks, link_parties, on_link_decided
from commonground.organisations.models import LinkReviewStatus
from tests.organisations.factories import UNCERTAIN, queued_review, reviewers

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:link-reviews")


def decide_url(pk: int, decision: str) -> str:
    return reverse("organisations:link-review-decide", args=[pk, decision])


@pytest.fixture
def people(atlas):
    return reviewers()


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("outsider", 403), ("reviewer", 200), ("admin", 200)]
)
def test_only_reviewers_see_the_queue(people, who, status) -> None:
    review = queued_review()
    response = signed_in(people.get(who)).get(LIST)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert review.party_name in page and review.organisation.name in page
        assert "SK8 1AA" in page and review.organisation.postcode in page


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("outsider", 403)])
def test_others_cannot_decide(people, who, status) -> None:
    review = queued_review()
    response = signed_in(people.get(who)).post(decide_url(review.pk, "accept"))
    assert response.status_code == status
    review.refresh_from_db()
    assert review.status == LinkReviewStatus.PENDING
    assert not AuditEvent.objects.filter(action__startswith="linkage.").exists()


def test_deciding_needs_the_csrf_token(people) -> None:
    review = queued_review()
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reviewer"])
    assert client.post(decide_url(review.pk, "accept")).status_code == 403
    review.refresh_from_db()
    assert review.status == LinkReviewStatus.PENDING


def test_an_unknown_review_or_decision_is_not_found(people) -> None:
    review = queued_review()
    client = signed_in(people["reviewer"])
    assert client.post(decide_url(review.pk + 1000, "accept")).status_code == 404
    assert client.post(decide_url(review.pk, "maybe")).status_code == 404
    assert client.get(decide_url(review.pk, "accept")).status_code == 405


def test_an_accepted_match_is_audited_told_to_the_ledger_and_kept(people, atlas) -> None:
    told: list[tuple[str, int | None]] = []
    registered = list(callbacks._callbacks)
    on_link_decided(lambda key, org_id: told.append((key, org_id)))
    try:
        review = queued_review()
        response = signed_in(people["reviewer"]).post(decide_url(review.pk, "accept"))
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.status == LinkReviewStatus.ACCEPTED
        assert review.decided_by == people["reviewer"]
        event = AuditEvent.objects.get(action="linkage.review_accept")
        assert event.actor == people["reviewer"] and event.object_id == str(review.pk)
        assert told == [(UNCERTAIN.key, atlas["GB-CHC-1100006"].pk)]
        # A re-import (same key), and another source with the same name and postcode.
        again = link_parties([UNCERTAIN, Party("grants:x", UNCERTAIN.name, "sk8 1aa")])
        assert {r.method for r in again.values()} == {"review_accepted"}
        assert {r.organisation_id for r in again.values()} == {atlas["GB-CHC-1100006"].pk}
    finally:
        # Back to the callbacks the apps registered (the ledger's among them).
        callbacks._callbacks[:] = registered


def test_a_rejected_match_is_not_asked_again(people) -> None:
    told: list[tuple[str, int | None]] = []
    registered = list(callbacks._callbacks)
    on_link_decided(lambda key, org_id: told.append((key, org_id)))
    try:
        review = queued_review()
        signed_in(people["admin"]).post(decide_url(review.pk, "reject"))
        review.refresh_from_db()
        assert review.status == LinkReviewStatus.REJECTED
        assert AuditEvent.objects.filter(action="linkage.review_reject").count() == 1
        assert told == [(UNCERTAIN.key, None)]
        result = link_parties([UNCERTAIN])[UNCERTAIN.key]
        assert (result.organisation_id, result.method) == (None, "review_rejected")
        assert review.__class__.objects.filter(status=LinkReviewStatus.PENDING).count() == 0
    finally:
        # Back to the callbacks the apps registered (the ledger's among them).
        callbacks._callbacks[:] = registered


def test_a_decided_match_cannot_be_decided_twice(people) -> None:
    review = queued_review()
    client = signed_in(people["reviewer"])
    client.post(decide_url(review.pk, "accept"))
    response = client.post(decide_url(review.pk, "reject"), follow=True)
    assert "already decided" in response.content.decode()
    review.refresh_from_db()
    assert review.status == LinkReviewStatus.ACCEPTED


def test_a_reviewers_decisions_are_in_their_data_download(people) -> None:
    review = queued_review()
    client = signed_in(people["reviewer"])
    client.post(decide_url(review.pk, "accept"))

    data = client.get(reverse("accounts:download")).json()

    [decision] = data["link_review_decisions"]
    assert decision["party_name"] == review.party_name
    assert decision["decision"] == LinkReviewStatus.ACCEPTED
