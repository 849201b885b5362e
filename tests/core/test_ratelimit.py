"""The shared rate-limit helper (core.ratelimit): one table of limits, each documented where
operators and API users look (issue 20, item 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from commonground.api.urls import api
from commonground.core import ratelimit

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
# The API operations each limit applies to (method, path in the OpenAPI description).
LIMITED_OPERATIONS = {
    "articulation": [("post", "/api/v1/analysis/articulation")],
    "statement": [("post", "/api/v1/conversations/{conversation_id}/statements")],
    "vote": [("post", "/api/v1/shared-statements/{shared_statement_id}/votes")],
    "invitation-answer": [
        ("post", "/api/v1/invitations/{token}/accept"),
        ("post", "/api/v1/invitations/{token}/decline"),
    ],
}


def test_every_limit_is_in_the_operations_guide_with_its_figures() -> None:
    text = OPERATIONS.read_text(encoding="utf-8")
    for limit in ratelimit.LIMITS.values():
        row = re.search(rf"^\| `{re.escape(limit.name)}` \|([^|]+)\|([^|]+)\|", text, re.M)
        assert row is not None, f"{limit.name} is not in docs/operations.md"
        assert str(limit.count) in row.group(1), limit.name
        assert limit.per.split()[0] in row.group(2), limit.name


def test_every_api_operation_under_a_limit_documents_429() -> None:
    paths = api.get_openapi_schema()["paths"]
    for name, operations in LIMITED_OPERATIONS.items():
        assert name in ratelimit.LIMITS
        for method, path in operations:
            responses = {str(status) for status in paths[path][method]["responses"]}
            assert "429" in responses, (name, path)


@pytest.mark.django_db
@override_settings(COMMONGROUND_RATE_LIMITS={"statement": (2, 600)})
def test_over_a_limit_the_wait_is_given_and_other_keys_are_not_affected() -> None:
    ratelimit.hit("statement", account=1)
    ratelimit.hit("statement", account=1)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("statement", account=1)
    assert 1 <= refused.value.retry_after <= 600
    assert "at most 2 statements added per account every 10 minutes" in refused.value.message
    ratelimit.hit("statement", account=2)  # another account counts on its own


def test_a_limit_refuses_a_key_it_does_not_count_by() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(ValueError, match="counts per account"):
        ratelimit.hit("vote", request=request)
