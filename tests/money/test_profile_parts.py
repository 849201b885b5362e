"""What the place profile says beyond its totals: a ward's profile agrees with the place's grants
by ward, the grant money that names no ward is stated, the map's key gives values, a joint award
reads as a share of it, and a council's page names its place (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from commonground.money.award_shares import shared_award_note
from commonground.money.flows import FlowFilters, filtered_flows
from commonground.money.maps import ward_legend
from commonground.money.models import MoneyFlow
from commonground.money.organisation_money import organisation_money
from commonground.money.selectors import place_profile
from commonground.organisations.models import Organisation, Sector
from commonground.places.models import LocalAuthorityCode, Place, PlaceKind
from commonground.places.selectors import place_by_gss

pytestmark = pytest.mark.django_db
ALL_YEARS = date(1990, 4, 1)


def test_each_ward_profile_agrees_with_the_place_profiles_grants_by_ward(grants_demo) -> None:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    whole = place_profile(trafford, ALL_YEARS)
    with_grants = [w for w in whole.grants_by_ward if w.count]
    assert len(with_grants) >= 5
    for figure in with_grants:
        ward = place_profile(figure.ward, ALL_YEARS)
        grants = next(f for f in ward.by_channel if f.key == "grant")
        assert (grants.pence, grants.count) == (figure.pence, figure.count), figure.ward.name


def test_grant_money_that_names_no_ward_is_stated_and_adds_up(grants_demo, client: Client) -> None:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    profile = place_profile(trafford, ALL_YEARS)
    unmapped, grants = profile.grants_unmapped, profile.grants_total
    assert unmapped is not None and grants is not None
    assert unmapped.pence + sum(w.pence for w in profile.grants_by_ward) == grants.pence
    assert 0 < unmapped.pence < grants.pence
    flows = client.get(f"/api/v1/money-flows?{unmapped.flows_query}").json()
    assert flows["total_pence"] == unmapped.pence
    html = client.get("/places/E08000009/profile/", {"from": "1990-04-01"}).content.decode()
    assert f"{unmapped.share * 100:.1f}% of grant money names no ward" in html


def test_the_map_key_gives_the_amounts_of_each_band(grants_demo) -> None:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    figures = place_profile(trafford, ALL_YEARS).grants_by_ward
    legend = ward_legend(figures)
    assert legend[0].text == "No grant money"
    assert sum(item.wards for item in legend) == len(figures)
    top = max(figures, key=lambda f: f.pence)
    assert any(f"£{top.pence / 100:,.2f}" in item.text for item in legend)


def test_a_joint_award_reads_as_one_share_of_it_on_the_organisations_page(
    grants_demo, client: Client
) -> None:
    share = MoneyFlow.objects.filter(attributes__shared_award=True).first()
    assert share is not None
    award = share.attributes["award_value_pence"]
    suppliers = share.attributes["suppliers_in_award"]
    note = shared_award_note(share.attributes, share.raw, share.amount_pence)
    assert note.startswith(f"one of {suppliers} suppliers of a £{award // 100:,}")
    assert note.endswith(f"equal share £{share.amount_pence / 100:,.2f}")
    org = Organisation.objects.create(
        org_id="GB-CHC-0000001", name=share.recipient_name, sector=Sector.CHARITY
    )
    MoneyFlow.objects.filter(recipient_key=share.recipient_key).update(recipient_organisation=org)
    money = organisation_money(org)
    assert [row.note for row in money.received if row.note] == [note]
    html = client.get(f"/organisations/{org.org_id}/").content.decode()
    assert "One of" in html and "equal share" in html


def test_an_organisations_page_lists_every_grant_it_received_not_only_joint_awards(
    grants_demo, client: Client
) -> None:
    grant = (
        MoneyFlow.objects.filter(channel="grant", recipient_organisation__isnull=False)
        .exclude(attributes__has_key="shared_award")
        .select_related("recipient_organisation")
        .first()
    )
    assert grant is not None, "the Trafford grants link some recipients to the atlas"
    org = grant.recipient_organisation
    expected = sum(
        MoneyFlow.objects.filter(recipient_organisation=org).values_list("amount_pence", flat=True)
    )
    money = organisation_money(org)
    assert money.received and money.received_total == expected
    html = client.get(f"/organisations/{org.org_id}/").content.decode()
    assert "Money received and paid" in html


def test_a_councils_page_names_the_place_it_governs(grants_demo, client: Client) -> None:
    LocalAuthorityCode.objects.create(code="TRF", name="Trafford", gss_code="E08000009")
    Organisation.objects.create(
        org_id="GB-LAE-TRF", name="Trafford Metropolitan Borough Council", sector="public_body"
    )
    html = client.get("/organisations/GB-LAE-TRF/").content.decode()
    assert "The council of" in html
    assert 'href="/places/E08000009/profile/"' in html


def test_a_joint_award_share_is_never_shown_as_a_contract_value_in_the_flows_list_page_or_api(
    grants_demo, client: Client
) -> None:
    share = MoneyFlow.objects.filter(attributes__shared_award=True).first()
    assert share is not None
    note = shared_award_note(share.attributes, share.raw, share.amount_pence)
    award = f"a £{share.attributes['award_value_pence'] // 100:,}"
    listed = client.get("/money/flows/", {"q": share.recipient_name, "channel": "contract"})
    html = listed.content.decode()
    assert "Equal share of a joint award, not a contract value: one of" in html
    assert award in html
    page = client.get(f"/money/flows/{share.pk}/").content.decode()
    assert '<h1 class="govuk-heading-l">Equal share of a joint award:' in page
    assert "not a contract value" in page and note in page
    body = client.get(f"/api/v1/money-flows/{share.pk}").json()
    assert body["award_share"] == note
    listed_api = client.get("/api/v1/money-flows", {"q": share.recipient_name}).json()
    found = next(f for f in listed_api["results"] if f["id"] == share.pk)
    assert found["award_share"].startswith(f"one of {share.attributes['suppliers_in_award']}")
    single = MoneyFlow.objects.filter(channel="grant").first()
    assert single is not None
    assert client.get(f"/api/v1/money-flows/{single.pk}").json()["award_share"] == ""


def test_a_wards_flows_are_those_naming_it_and_those_to_its_recipients_naming_no_ward(
    grants_demo,
) -> None:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    flow = MoneyFlow.objects.filter(
        place=trafford, ward=None, recipient_organisation__ward__isnull=False
    ).first()
    assert flow is not None and flow.recipient_organisation is not None
    home = flow.recipient_organisation.ward
    assert home is not None
    other = Place.objects.filter(parent=trafford, kind=PlaceKind.WARD).exclude(pk=home.pk).first()
    assert other is not None

    def in_ward(ward: Place) -> bool:
        filters = FlowFilters(place=trafford.gss_code, ward=ward.gss_code)
        return filtered_flows(filters).filter(pk=flow.pk).exists()

    assert in_ward(home) and not in_ward(other)
    flow.ward = other  # the flow's own ward comes before its recipient's
    flow.save(update_fields=["ward"])
    assert in_ward(other) and not in_ward(home)
