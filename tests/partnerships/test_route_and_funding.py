"""A partnership's route (a saved route appraisal) and the money flows that fund it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from commonground.audit.models import AuditEvent
from commonground.commissioning.answers import parse_answers
from commonground.commissioning.services import appraisal_create
from commonground.money.models import MoneyFlow
from commonground.partnerships import services
from tests.organisations.factories import OrganisationFactory
from tests.partnerships.factories import ROUTE_ANSWERS, WHO

pytestmark = pytest.mark.django_db


def _flow(recipient, amount_pence=5_000_000, key="1"):
    # A synthetic ledger row (the money importers are tested in tests/money).
    return MoneyFlow.objects.create(
        channel="grant",
        dataset="synthetic_test",
        record_key=key,
        payer_name="Trafford Council (synthetic)",
        payer_key="GB-LAE-TRF",
        recipient_name=recipient.name,
        recipient_key=recipient.org_id,
        recipient_organisation=recipient,
        amount_pence=amount_pence,
        date=dt.date(2025, 4, 1),
        financial_year=2025,
    )


def test_a_member_links_an_appraisal_they_can_see_and_it_is_audited(partnership_world):
    appraisal = appraisal_create(
        author=partnership_world.people["member"], answers=parse_answers(ROUTE_ANSWERS)
    )
    services.partnership_link_appraisal(
        partnership_world.people["member"], partnership_world.partnership, appraisal
    )
    partnership_world.partnership.refresh_from_db()
    assert partnership_world.partnership.appraisal == appraisal
    event = AuditEvent.objects.get(action="partnership.route_appraisal")
    assert (event.before["appraisal"], event.after["appraisal"]) == (None, appraisal.pk)


def test_an_appraisal_someone_else_keeps_private_cannot_be_linked(partnership_world):
    private = appraisal_create(
        author=partnership_world.people["outsider"], answers=parse_answers(ROUTE_ANSWERS)
    )
    with pytest.raises(services.PartnershipError, match="saved route appraisals"):
        services.partnership_link_appraisal(
            partnership_world.people["lead"], partnership_world.partnership, private
        )
    partnership_world.partnership.refresh_from_db()
    assert partnership_world.partnership.appraisal is None


def test_money_flows_to_member_organisations_are_offered_and_linked_once(client, partnership_world):
    charity = OrganisationFactory(
        org_id="GB-CHC-9990021", name="Sale Lunch Club (synthetic)", sector="charity"
    )
    services.partnership_add_member(
        partnership_world.people["lead"], partnership_world.partnership, organisation=charity
    )
    flow = _flow(charity)
    client.force_login(partnership_world.people["member"])
    page = client.get(f"/partnerships/{partnership_world.partnership.pk}/funding/").content.decode()
    assert "Sale Lunch Club (synthetic)" in page
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/funding/",
        {"action": "add", "money_flow": flow.pk},
    )
    assert response.status_code == 302
    assert partnership_world.partnership.funding.get().money_flow == flow
    with pytest.raises(services.PartnershipError, match="already linked"):
        services.partnership_add_funding(
            partnership_world.people["lead"], partnership_world.partnership, flow
        )
    detail = client.get(f"/partnerships/{partnership_world.partnership.pk}/").content.decode()
    assert "£50,000 from 1 money flow" in detail


def test_an_observer_cannot_link_funding(partnership_world):
    charity = OrganisationFactory(
        org_id="GB-CHC-9990022", name="Observer test (synthetic)", sector="charity"
    )
    with pytest.raises(PermissionDenied):
        services.partnership_add_funding(
            partnership_world.people["observer"], partnership_world.partnership, _flow(charity)
        )


@pytest.mark.parametrize("who", WHO)
def test_route_and_funding_pages(client, partnership_world, who):
    if who != "anonymous":
        client.force_login(partnership_world.people[who])
    pk = partnership_world.partnership.pk
    route = client.get(f"/partnerships/{pk}/route/").status_code
    funding = client.get(f"/partnerships/{pk}/funding/").status_code
    expected = {
        "anonymous": (302, 302),
        "outsider": (404, 404),
        "other_member": (404, 404),
        "observer": (403, 200),
        "member": (200, 200),
        "lead": (200, 200),
        "staff": (403, 200),
    }[who]
    assert (route, funding) == expected


@pytest.mark.parametrize("posted", ["abc", "1.5", "²", "-1", "99999999999999999999999"])
@pytest.mark.parametrize("action,field", [("add", "money_flow"), ("remove", "link")])
def test_a_funding_form_with_a_mangled_id_answers_not_found_and_links_nothing(
    client, partnership_world, posted, action, field
):
    client.raise_request_exception = False
    client.force_login(partnership_world.people["member"])
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/funding/",
        {"action": action, field: posted},
    )
    assert response.status_code == 404
    assert not partnership_world.partnership.funding.exists()
