"""The social value pages: who may see and do what (exact status codes), the forms' error
messages, claimed and verified shown apart, evidence served only through the permission check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonground.audit.models import AuditEvent
from commonground.social_value import services
from commonground.social_value.models import Commitment, Delivery, ValueStatement
from tests.partnerships.factories import MemberFactory

pytestmark = pytest.mark.django_db

YEAR = {"period_start": dt.date(2026, 4, 1), "period_end": dt.date(2027, 3, 31)}
QUARTER = {"period_start": dt.date(2026, 4, 1), "period_end": dt.date(2026, 6, 30)}


@pytest.fixture
def recorded(social_value_world):
    provider = social_value_world.people["provider"]
    commitment = services.commitment_create(
        provider,
        social_value_world.partnership,
        measure=social_value_world.measure("CG-T5.2-A"),
        quantity="100",
        unit="hours",
        **YEAR,
    )
    verified = services.delivery_claim(provider, commitment, quantity="30", unit="hours", **QUARTER)
    services.evidence_add_file(
        provider,
        verified,
        upload=SimpleUploadedFile("sheets.pdf", b"%PDF-1.4\n%sheets\n"),
        description="Sign-in sheets",
    )
    services.delivery_decide(
        social_value_world.people["commissioner"], verified, decision="verified"
    )
    claimed = services.delivery_claim(
        provider, commitment, quantity="12.5", unit="hours", **QUARTER
    )
    return {"commitment": commitment, "verified": verified, "claimed": claimed}


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pages(social_value_world, recorded) -> list[str]:
    p = social_value_world.partnership.pk
    evidence = recorded["verified"].evidence.get()
    return [
        f"/partnerships/{p}/social-value/",
        f"/partnerships/{p}/social-value/report.csv",
        f"/partnerships/{p}/social-value/deliveries/{recorded['claimed'].pk}/",
        f"/partnerships/{p}/social-value/evidence/{evidence.pk}/",
    ]


def forms(social_value_world, recorded) -> list[str]:
    p = social_value_world.partnership.pk
    return [
        f"/partnerships/{p}/social-value/commitments/new/",
        f"/partnerships/{p}/social-value/commitments/{recorded['commitment'].pk}/deliveries/new/",
        f"/partnerships/{p}/social-value/statements/new/",
    ]


def test_the_frameworks_are_open_to_everyone(social_value_world) -> None:
    response = client_for().get("/social-value/frameworks/")
    assert response.status_code == 200
    assert "Social Value Model" in response.text
    detail = client_for().get(f"/social-value/frameworks/{social_value_world.framework.pk}/")
    assert detail.status_code == 200
    assert "Improve community cohesion" in detail.text
    assert client_for().get("/social-value/frameworks/999999/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in(social_value_world, recorded) -> None:
    for url in pages(social_value_world, recorded) + forms(social_value_world, recorded):
        response = client_for().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/sign-in/"), url


@pytest.mark.parametrize("who", ["outsider", "other_member"])
def test_outsiders_and_other_partnerships_members_find_nothing(
    social_value_world, recorded, who
) -> None:
    client = client_for(social_value_world.people[who])
    for url in pages(social_value_world, recorded) + forms(social_value_world, recorded):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["provider", "commissioner", "observer", "staff"])
def test_members_and_platform_admins_see_the_report_csv_delivery_and_evidence(
    social_value_world, recorded, who
) -> None:
    client = client_for(social_value_world.people[who])
    for url in pages(social_value_world, recorded):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("who", "status"), [("provider", 200), ("observer", 403), ("staff", 403)])
def test_only_acting_members_get_the_forms(social_value_world, recorded, who, status) -> None:
    client = client_for(social_value_world.people[who])
    for url in forms(social_value_world, recorded):
        assert client.get(url).status_code == status, url


def test_the_report_shows_verified_and_claimed_apart(social_value_world, recorded) -> None:
    text = (
        client_for(social_value_world.people["funder"])
        .get(f"/partnerships/{social_value_world.partnership.pk}/social-value/")
        .text
    )
    assert "Claimed figures are never counted as verified" in text
    # Measure row: committed 100, verified 30, claimed-not-verified 12.5, disputed 0.
    row = text.split("Hours volunteered by residents through the partnership <span")[1]
    cells = [c.split("<")[0] for c in row.split('govuk-table__cell--numeric">')[1:5]]
    assert cells == ["100", "30", "12.50", "0"]
    assert "Claimed, not yet verified" in text and "No money value is shown" in text


def test_the_csv_download_is_private_and_labelled(social_value_world, recorded) -> None:
    response = client_for(social_value_world.people["provider"]).get(
        f"/partnerships/{social_value_world.partnership.pk}/social-value/report.csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    assert "verified_quantity,claimed_quantity" in response.content.decode()


def test_evidence_is_served_as_a_safe_download(social_value_world, recorded) -> None:
    evidence = recorded["verified"].evidence.get()
    response = client_for(social_value_world.people["funder"]).get(
        f"/partnerships/{social_value_world.partnership.pk}/social-value/evidence/{evidence.pk}/"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_evidence_of_one_partnership_is_not_found_through_another(
    social_value_world, recorded
) -> None:
    MemberFactory(
        partnership=social_value_world.other,
        user=social_value_world.people["funder"],
        perspective="funder",
    )
    evidence = recorded["verified"].evidence.get()
    response = client_for(social_value_world.people["funder"]).get(
        f"/partnerships/{social_value_world.other.pk}/social-value/evidence/{evidence.pk}/"
    )
    assert response.status_code == 404


def test_a_commitment_form_with_errors_says_what_is_wrong(social_value_world) -> None:
    client = client_for(social_value_world.people["provider"])
    url = f"/partnerships/{social_value_world.partnership.pk}/social-value/commitments/new/"
    response = client.post(url, {"quantity": "", "start_day": "31", "start_month": "2"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose the measure you commit to" in response.text
    assert "Enter the quantity" in response.text
    assert "as a real date" in response.text
    assert "Enter the date the period ends" in response.text
    assert not Commitment.objects.exists()


def test_a_commitment_in_the_wrong_unit_is_refused_on_the_page(social_value_world) -> None:
    client = client_for(social_value_world.people["provider"])
    url = f"/partnerships/{social_value_world.partnership.pk}/social-value/commitments/new/"
    data = {
        "measure": social_value_world.measure("CG-T5.2-A").pk,
        "quantity": "50",
        "unit": "people",
        "start_day": "1",
        "start_month": "4",
        "start_year": "2026",
        "end_day": "31",
        "end_month": "3",
        "end_year": "2027",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This measure counts hours, not people" in response.text
    assert not Commitment.objects.exists()
    response = client.post(url, {**data, "unit": "hours"})
    assert response.status_code == 302
    assert Commitment.objects.get().perspective == "provider"


def test_claiming_adding_evidence_and_verifying_through_the_pages(
    social_value_world, recorded
) -> None:
    p = social_value_world.partnership.pk
    provider = client_for(social_value_world.people["provider"])
    response = provider.post(
        f"/partnerships/{p}/social-value/commitments/{recorded['commitment'].pk}/deliveries/new/",
        {
            "quantity": "5",
            "unit": "hours",
            "start_day": "1",
            "start_month": "7",
            "start_year": "2026",
            "end_day": "30",
            "end_month": "9",
            "end_year": "2026",
        },
    )
    assert response.status_code == 302
    delivery = Delivery.objects.order_by("-pk").first()
    assert delivery is not None and delivery.status == "claimed"
    url = f"/partnerships/{p}/social-value/deliveries/{delivery.pk}/"
    # The claimant is told why they cannot verify, and a forced post is refused.
    page = provider.get(url).text
    assert "You claimed this delivery, so someone else must verify it." in page
    assert provider.post(url, {"action": "decide", "decision": "verified"}).status_code == 403
    # A too-large or wrong-type file is refused with a clear message.
    fake = SimpleUploadedFile("log.pdf", b"not a pdf at all")
    response = provider.post(url, {"action": "evidence", "description": "Log", "file": fake})
    assert "is named as a PDF but its content is not" in response.text
    response = provider.post(
        url, {"action": "evidence", "description": "Log", "url": "https://example.org/log"}
    )
    assert response.status_code == 302
    # Another side can verify (same-perspective refusal: test_commitments_and_verification).
    funder = client_for(social_value_world.people["funder"])
    response = funder.post(url, {"action": "decide", "decision": "disputed", "note": ""})
    assert "Say why you dispute this delivery" in response.text
    response = funder.post(url, {"action": "decide", "decision": "verified", "note": "Seen it"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.decided_by) == (
        "verified",
        social_value_world.people["funder"],
    )
    assert "Verified by" in funder.get(url).text


def test_a_value_statement_appears_beside_the_figures(social_value_world) -> None:
    client = client_for(social_value_world.people["commissioner"])
    url = f"/partnerships/{social_value_world.partnership.pk}/social-value/statements/new/"
    assert "Describe the value the partnership creates" in client.post(url, {"text": " "}).text
    assert client.post(url, {"text": "Families trust the service again."}).status_code == 302
    assert ValueStatement.objects.get().perspective == "commissioner"
    report = client.get(f"/partnerships/{social_value_world.partnership.pk}/social-value/").text
    assert "Families trust the service again." in report
    assert "From the commissioner perspective" in report


def test_a_form_sent_twice_records_one_commitment_one_delivery_and_one_description(
    social_value_world,
) -> None:
    """A double click, or a page refreshed after posting, must not double the totals."""
    p = social_value_world.partnership.pk
    client = client_for(social_value_world.people["provider"])
    period = {"start_day": "1", "start_month": "4", "start_year": "2026"}
    period |= {"end_day": "31", "end_month": "3", "end_year": "2027"}
    commitment = {
        "measure": social_value_world.measure("CG-T5.2-A").pk,
        "quantity": "50",
        "unit": "hours",
        **period,
    }
    url = f"/partnerships/{p}/social-value/commitments/new/"
    assert [client.post(url, commitment).status_code for _ in range(2)] == [302, 302]
    made = Commitment.objects.get()
    url = f"/partnerships/{p}/social-value/commitments/{made.pk}/deliveries/new/"
    delivery = {"quantity": "5", "unit": "hours", **period}
    first, second = client.post(url, delivery), client.post(url, delivery)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]  # both go to the one delivery
    assert Delivery.objects.count() == 1
    url = f"/partnerships/{p}/social-value/statements/new/"
    for _ in range(2):
        assert client.post(url, {"text": "Families trust the service."}).status_code == 302
    assert ValueStatement.objects.count() == 1
    written = ["commitment.create", "delivery.claim", "statement.add"]
    actions = [f"social_value.{action}" for action in written]
    assert AuditEvent.objects.filter(action__in=actions).count() == 3
    # A different quantity is another delivery.
    url = f"/partnerships/{p}/social-value/commitments/{made.pk}/deliveries/new/"
    assert client.post(url, {**delivery, "quantity": "6"}).status_code == 302
    assert Delivery.objects.count() == 2
