"""The partnerships API's refusals name a field of its own body (ADR 0020), so a client can
show the problem beside what the person typed; and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from commonground.accounts import services as account_services
from commonground.partnerships import services
from commonground.partnerships.models import HealthCheckAnswer, Principle

pytestmark = pytest.mark.django_db


def test_a_health_check_leaving_out_a_principle_is_refused_naming_the_answers(
    partnership_world,
) -> None:
    services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    _token, raw = account_services.api_token_create(partnership_world.people["member"], "test")
    body = {"answers": [{"principle": p.value, "score": 3} for p in Principle][1:]}
    response = Client().post(
        f"/api/v1/partnerships/{partnership_world.partnership.pk}/health-checks",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "answers"
    assert response.json()["detail"] == "Choose a score for long-term planning."
    assert not HealthCheckAnswer.objects.exists()
