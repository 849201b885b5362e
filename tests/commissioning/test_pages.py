"""The question flow in the GOV.UK pattern, the results and the saved appraisals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.audit.models import AuditEvent
from commonground.commissioning.models import Appraisal
from commonground.commissioning.views import SESSION_KEY
from tests.accounts.factories import UserFactory
from tests.commissioning.factories import OLDHAM_2019, answers, oldham_2019

pytestmark = pytest.mark.django_db

# Answers for the community centre lease, in the order the pages ask.
LEASE = [
    ("service_name", {"answer": "Moss Lane community centre"}),
    ("authority_name", {"answer": "Trafford Council"}),
    ("nation", {"answer": "england"}),
    ("authority_type", {"answer": "local_authority"}),
    ("decision_date", {"day": "27", "month": "11", "year": "2026"}),
    ("subject", {"answer": "services"}),
    ("council_receives_services", {"answer": "no"}),
    ("estimated_value_pence", {"answer": "0"}),
    ("duration_months", {"answer": "300"}),
    ("is_health_care_service", {"answer": "no"}),
    ("light_touch_service", {"answer": "no"}),
    ("incumbent_exists", {"answer": "no"}),
    ("only_one_capable_provider", {"answer": "no"}),
    ("innovation_required", {"answer": "no"}),
    ("novel_or_prototype", {"answer": "no"}),
    ("extreme_urgency_unforeseeable", {"answer": "no"}),
    ("multiple_providers_to_integrate", {"answer": "no"}),
    ("outcomes_measurable", {"answer": "no"}),
    ("social_investor_interest", {"answer": "no"}),
    ("supported_employment_share", {"answer": "0"}),
    ("counterparty_is_public_body", {"answer": "no"}),
    ("recipient_carries_on_economic_activity", {"answer": "yes"}),
    ("prior_subsidy_pence_3y", {"answer": "0"}),
    ("involves_land_or_building", {"answer": "yes"}),
    ("asset_undervalue_pence", {"answer": "150,000"}),
    ("asset_listed_as_community_value", {"answer": "no"}),
    ("aims", {"answer": ["long_term_planning", "trust"]}),
    ("partners", {"typed": ""}),
]


def q(field):
    return reverse("commissioning:question", args=[field])


def answer_all(client, steps=LEASE):
    client.post(reverse("commissioning:start"))
    for i, (field, data) in enumerate(steps):
        response = client.post(q(field), data)
        assert response.status_code == 302, (field, response.content[:500])
        expected = q(steps[i + 1][0]) if i + 1 < len(steps) else reverse("commissioning:check")
        assert response["Location"] == expected, field
    return client


def test_anyone_can_answer_one_question_a_page_and_see_the_routes(client):
    answer_all(client)
    check = client.get(reverse("commissioning:check"))
    assert check.status_code == 200
    html = check.content.decode()
    assert "Check your answers" in html
    assert f'href="{q("asset_undervalue_pence")}?change=1"' in html
    assert "£150,000" in html
    response = client.post(reverse("commissioning:check"))
    assert response["Location"] == reverse("commissioning:result")
    page = client.get(reverse("commissioning:result")).content.decode()
    assert "Community asset transfer" in page
    assert "community_asset_transfer.gdc_undervalue" not in page  # rule codes only on request
    assert "Routes for Moss Lane community centre" in page
    assert "commissioned by Trafford Council" in page
    assert "Recommended route: Community asset transfer" in page
    with_rules = client.get(reverse("commissioning:result") + "?rules=1").content.decode()
    assert "community_asset_transfer.gdc_undervalue" in with_rules
    assert "Available if conditions are met" in page
    assert "Sign in</a> to save" in page
    assert Appraisal.objects.count() == 0  # nothing is stored for an anonymous appraisal


def test_questions_that_do_not_apply_are_skipped(client):
    client.post(reverse("commissioning:start"))
    for field, data in LEASE[:7]:
        client.post(q(field), data)
    # Goods: no health care or light touch questions.
    client.post(q("subject"), {"answer": "goods"})
    client.post(q("estimated_value_pence"), {"answer": "1000"})
    response = client.post(q("duration_months"), {"answer": "12"})
    assert response["Location"] == q("incumbent_exists")


def test_a_missing_answer_shows_the_error_summary_and_inline_error(client):
    client.post(reverse("commissioning:start"))
    response = client.post(q("nation"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_answer"' in html
    assert "govuk-error-message" in html
    assert "<title>Error:" in html


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("decision_date", {"day": "31", "month": "2", "year": "2026"}, "real date"),
        ("decision_date", {"day": "1", "month": "1", "year": "2015"}, "1 January 2016"),
        ("decision_date", {"day": "", "month": "", "year": ""}, "Enter the date"),
        ("estimated_value_pence", {"answer": "a lot"}, "amount in pounds"),
        ("estimated_value_pence", {"answer": "-5"}, "0 or more"),
        ("duration_months", {"answer": "0"}, "between 1 and 1200"),
        ("supported_employment_share", {"answer": "130"}, "between 0 and 100"),
        # Numbers Python reads but no one means: each was a server error.
        ("estimated_value_pence", {"answer": "NaN"}, "amount in pounds"),
        ("estimated_value_pence", {"answer": "sNaN"}, "amount in pounds"),
        ("duration_months", {"answer": "²"}, "whole number of months"),
        ("supported_employment_share", {"answer": "nan"}, "percentage from 0 to 100"),
    ],
)
def test_bad_answers_are_refused_with_a_plain_message(client, field, data, message):
    answer_all(client)
    response = client.post(q(field), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_change_link_returns_to_check_answers(client):
    answer_all(client)
    response = client.post(q("asset_undervalue_pence") + "?change=1", {"answer": "3000000"})
    assert response["Location"] == reverse("commissioning:check")
    assert "£3,000,000" in client.get(reverse("commissioning:check")).content.decode()


def test_changing_an_answer_that_opens_new_questions_asks_them(client):
    answer_all(client)
    response = client.post(q("is_health_care_service") + "?change=1", {"answer": "yes"})
    assert response["Location"] == q("patient_choice_applies") + "?change=1"


def test_result_without_answers_goes_to_the_questions(client):
    response = client.get(reverse("commissioning:result"))
    assert response.status_code == 302


def test_the_unsaved_record_downloads_as_a_pdf(client):
    answer_all(client)
    response = client.get(reverse("commissioning:result-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_signed_in_people_save_and_come_back_to_an_appraisal(client, django_user_model):
    user = UserFactory(email="commissioner@example.org")
    client.force_login(user)
    answer_all(client)
    response = client.post(reverse("commissioning:save"), {"name": "Community centre lease"})
    appraisal = Appraisal.objects.get()
    assert response["Location"] == reverse("commissioning:appraisal", args=[appraisal.pk])
    assert appraisal.author == user
    assert appraisal.rules_version == appraisal.result["rules_version"]
    assert appraisal.answers["asset_undervalue_pence"] == 15_000_000
    assert AuditEvent.objects.filter(
        action="appraisal.create", object_id=str(appraisal.pk)
    ).exists()
    listing = client.get(reverse("commissioning:appraisals")).content.decode()
    assert "Community centre lease" in listing
    page = client.get(reverse("commissioning:appraisal", args=[appraisal.pk])).content.decode()
    assert "Community centre lease" in page and "Rules version" in page
    pdf = client.get(reverse("commissioning:appraisal-pdf", args=[appraisal.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_saving_needs_sign_in(client):
    answer_all(client)
    response = client.post(reverse("commissioning:save"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]
    assert Appraisal.objects.count() == 0


def test_reuse_puts_saved_answers_back_into_the_flow(client, appraisal_people):
    client.force_login(appraisal_people.author)
    response = client.post(
        reverse("commissioning:appraisal-reuse", args=[appraisal_people.appraisal.pk])
    )
    assert response["Location"] == reverse("commissioning:check")
    assert "Light touch service" in client.get(reverse("commissioning:check")).content.decode()


def test_an_old_result_says_the_rules_have_changed(client, appraisal_people):
    Appraisal.objects.filter(pk=appraisal_people.appraisal.pk).update(
        rules_version="2020-01-01+old"
    )
    client.force_login(appraisal_people.author)
    page = client.get(reverse("commissioning:appraisal", args=[appraisal_people.appraisal.pk]))
    assert "The rules have changed since" in page.content.decode()


def test_route_catalogue_and_route_pages_are_public(client):
    page = client.get(reverse("commissioning:routes")).content.decode()
    assert "Open procedure" in page and "£207,720" in page and "£214,904" in page
    detail = client.get(reverse("commissioning:route", args=["psr_direct_award_c"]))
    assert detail.status_code == 200
    assert "psr_direct_award_c.no_considerable_change" in detail.content.decode()
    assert client.get(reverse("commissioning:route", args=["nonsense"])).status_code == 404


def test_route_pages_show_precedents_from_the_case_study_library(client):
    detail = client.get(reverse("commissioning:route", args=["innovation_partnership"]))
    assert "/case-studies/" in detail.content.decode()


def test_the_2019_social_prescribing_case_on_the_results_page(client):
    raw = answers(**OLDHAM_2019)
    for question in (
        "is_health_care_service",
        "incumbent_exists",
        "only_one_capable_provider",
        "novel_or_prototype",
        "extreme_urgency_unforeseeable",
        "counterparty_is_public_body",
        "recipient_carries_on_economic_activity",
        "involves_land_or_building",
    ):
        raw.setdefault(question, False)
    raw["supported_employment_share"] = 0.0
    raw.update(service_name="", authority_name="", aims=[], social_investor_interest="unknown")
    raw["partners"] = []
    session = client.session
    session[SESSION_KEY] = raw
    session.save()
    page = client.get(reverse("commissioning:result")).content.decode()
    counts = oldham_2019()["counts"]
    assert f"Available ({counts['available']})" in page
    assert "Public Contracts Regulations 2015" in page
    assert "14 March 2019" in page
    assert "Innovation partnership" in page
