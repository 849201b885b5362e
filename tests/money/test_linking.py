"""Payers and recipients linked to organisations: identifiers first, a reviewer's decision
reaches every flow of that party, and survives a re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from commonground.imports.engine import run_import
from commonground.money.giving.importer import GrantsImporter
from commonground.money.models import MoneyFlow
from commonground.organisations.linkage.services import link_review_decide
from commonground.organisations.models import LinkReview, LinkReviewStatus
from tests.accounts.factories import UserFactory
from tests.organisations.factories import load_trafford

pytestmark = pytest.mark.django_db

GRANTS_JSON = "grants/trafford_council_grants_360giving.json"


@pytest.fixture
def grants(shared_data: Path) -> None:
    load_trafford(shared_data)
    run_import(GrantsImporter("trafford_grants"), shared_data / GRANTS_JSON)


def test_recipients_with_a_charity_number_are_linked_by_it(grants) -> None:
    linked = MoneyFlow.objects.filter(recipient_link_method="identifier")
    assert linked.exists()
    for flow in linked.select_related("recipient_organisation")[:20]:
        assert flow.recipient_organisation is not None
        assert flow.recipient_sector == flow.recipient_organisation.sector
        assert set(flow.recipient_identifiers) & {
            i.value for i in flow.recipient_organisation.identifiers.all()
        }


def test_a_reviewers_decision_reaches_every_flow_of_the_party_and_survives_reimport(
    grants, shared_data: Path
) -> None:
    review = LinkReview.objects.filter(status=LinkReviewStatus.PENDING).first()
    assert review is not None, "the demo grants leave some matches for review"
    flows = MoneyFlow.objects.filter(recipient_key=review.party_key)
    assert set(flows.values_list("recipient_link_method", flat=True)) == {"review_pending"}
    assert set(flows.values_list("recipient_organisation", flat=True)) == {None}
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.groups.add(Group.objects.get_or_create(name="reviewers")[0])

    link_review_decide(reviewer, review, accept=True)

    assert set(flows.values_list("recipient_link_method", flat=True)) == {"review_accepted"}
    assert set(flows.values_list("recipient_organisation", flat=True)) == {review.organisation_id}
    assert set(flows.values_list("recipient_sector", flat=True)) == {review.organisation.sector}
    # Re-importing (even after the flows changed) keeps the decision.
    MoneyFlow.objects.filter(recipient_key=review.party_key).update(checksum="changed")
    run_import(GrantsImporter("trafford_grants"), shared_data / GRANTS_JSON)
    assert set(flows.values_list("recipient_link_method", flat=True)) == {"review_accepted"}
    assert set(flows.values_list("recipient_organisation", flat=True)) == {review.organisation_id}


def test_a_rejected_match_leaves_the_flows_unlinked(grants) -> None:
    review = LinkReview.objects.filter(status=LinkReviewStatus.PENDING).first()
    assert review is not None
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.groups.add(Group.objects.get_or_create(name="reviewers")[0])
    link_review_decide(reviewer, review, accept=False)
    flows = MoneyFlow.objects.filter(recipient_key=review.party_key)
    assert set(flows.values_list("recipient_link_method", flat=True)) == {"review_rejected"}
    assert set(flows.values_list("recipient_organisation", flat=True)) == {None}
