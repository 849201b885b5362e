"""The social value API against resubmission: a client that retries after a lost answer gets
the record it made, not a second one counted in the partnership's totals."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.accounts import services as account_services
from commonground.audit.models import AuditEvent
from commonground.social_value.models import Commitment, Delivery, Evidence

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(user, url: str, body: dict) -> tuple[int, dict]:
    _token, raw = account_services.api_token_create(user, "test")
    response = Client().post(
        API + url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    return response.status_code, response.json()


def test_a_commitment_and_a_delivery_posted_twice_are_each_recorded_once(
    social_value_world,
) -> None:
    provider = social_value_world.people["provider"]
    commitment = {
        "measure_id": social_value_world.measure("CG-T5.2-A").pk,
        "quantity": "120",
        "unit": "hours",
        "period_start": "2026-04-01",
        "period_end": "2027-03-31",
    }
    url = f"/partnerships/{social_value_world.partnership.pk}/commitments"
    (first, made), (second, again) = (
        _post(provider, url, commitment),
        _post(provider, url, commitment),
    )
    assert first == second == 201 and made["id"] == again["id"]
    assert Commitment.objects.count() == 1
    delivery = {
        "quantity": "40.5",
        "unit": "hours",
        "period_start": "2026-04-01",
        "period_end": "2026-06-30",
        "evidence_links": [{"url": "https://example.org/log", "description": "Sign-in sheets"}],
    }
    url = f"/commitments/{made['id']}/deliveries"
    (first, claimed), (second, again) = (
        _post(provider, url, delivery),
        _post(provider, url, delivery),
    )
    assert first == second == 201 and claimed["id"] == again["id"]
    assert len(again["evidence"]) == 1
    assert (Delivery.objects.count(), Evidence.objects.count()) == (1, 1)
    assert AuditEvent.objects.filter(action="social_value.delivery.claim").count() == 1
