"""Every operation in /api/v1/openapi.json, fed generated requests (schemathesis, in-process over
WSGI): no server error, and every response matches the documented status, content type and
schema, without a token and with a live Bearer token."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commonground.accounts import services
from commonground.accounts.models import Membership
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected (the document needs no database). Not through
# schemathesis.pytest.from_fixture: its lazy loader reads a private attribute pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def keep_the_test_transaction_open():
    """Requests go straight to Django's WSGI handler, which closes the database connection after
    each one; that would end the test's transaction. Django's own test client does the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer_headers(trafford, django_user_model) -> dict[str, str]:
    """The token of an organisation's admin who has a request to join to decide."""
    admin = UserFactory(email="admin@example.org")
    organisation = OrganisationFactory(
        org_id="GB-TEST-SCHEMA", name="Schema Test Trust (synthetic)", sector="charity"
    )
    platform_admin = UserFactory(email="platform@example.org", is_staff=True)
    django_user_model.objects.filter(pk=platform_admin.pk).update(is_superuser=True)
    platform_admin.refresh_from_db()
    claim = services.membership_request(admin, organisation, "officer", "I run it")
    services.membership_approve(platform_admin, claim)
    services.membership_request(UserFactory(email="joiner@example.org"), organisation, "member", "")
    assert Membership.objects.filter(status="pending").count() == 1
    _token, raw = services.api_token_create(admin, "schemathesis")
    return {"Authorization": f"Bearer {raw}"}


HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@pytest.mark.usefixtures("trafford")
@schema.parametrize()
@HYPOTHESIS
def test_without_a_token_every_api_operation_answers_within_its_schema(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_with_a_bearer_token_every_api_operation_answers_within_its_schema(case, bearer_headers):
    case.call_and_validate(headers=bearer_headers, checks=CHECKS)
