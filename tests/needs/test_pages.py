"""The needs pages: a need from writing to publishing, an expression of interest and a question,
an answer every respondent sees, and the owner's side-by-side comparison, shortlist and
invitation; nobody sees what is not theirs, and no respondent's email address is shown."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.audit.models import AuditEvent
from commonground.needs.models import Interest, Need, Question
from commonground.partnerships.models import PartnershipInvitation
from tests.accounts.factories import PASSWORD
from tests.needs.factories import URMSTON
from tests.organisations.factories import shortlist_of
from tests.partnerships.factories import MemberFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def signed_in(world, who: str) -> Client:
    client = Client()
    assert client.login(username=world.people[who].email, password=PASSWORD)
    return client


def test_a_commissioner_writes_a_need_on_the_page_and_publishes_it(needs_world) -> None:
    client = signed_in(needs_world, "commissioner")
    form = {
        "organisation": str(needs_world.council.pk),
        "title": "Later-life wellbeing service",
        "outcomes": "Older people stay well and connected.",
        "who_for": "People over 65 living alone.",
        "place": "E08000009",
        "wards": "Urmston",
        "budget_min": "200000",
        "budget_max": "350000",
        "route_codes": ["grant"],
        "kind": "call_for_interest",
        "visibility": "public",
        "closes_on": "31/12/2099",
    }
    answer = client.post("/needs/new/", form)
    need = Need.objects.get()
    assert answer.status_code == 302 and need.ward_codes == [URMSTON]
    assert need.budget_max_pence == 35_000_000
    assert Client().get(f"/needs/{need.pk}/").status_code == 404  # a draft
    client.post(f"/needs/{need.pk}/publish/")
    page = Client().get(f"/needs/{need.pk}/")
    assert page.status_code == 200
    assert "£200k to £350k" in page.content.decode()


def test_a_ward_outside_the_area_is_refused_on_the_form_naming_it(needs_world) -> None:
    client = signed_in(needs_world, "commissioner")
    answer = client.post(
        "/needs/new/",
        {
            "organisation": str(needs_world.council.pk),
            "title": "x",
            "outcomes": "y",
            "who_for": "z",
            "place": "E08000009",
            "wards": "Atlantis",
            "kind": "call_for_interest",
            "visibility": "public",
            "closes_on": "31/12/2099",
        },
    )
    assert answer.status_code == 400
    assert "“ATLANTIS” is not a ward" in answer.content.decode()
    assert not Need.objects.exists()


def test_a_provider_responds_and_asks_and_the_answer_reaches_every_respondent(
    needs_world,
) -> None:
    need = needs_world.need()
    provider = signed_in(needs_world, "provider")
    provider.post(
        f"/needs/{need.pk}/interest/",
        {"organisation": str(needs_world.provider_org.pk), "kind": "lead", "message": "Hi"},
    )
    provider.post(
        f"/needs/{need.pk}/questions/",
        {"organisation": str(needs_world.provider_org.pk), "text": "Is transport in scope?"},
    )
    assert Interest.objects.get().kind == "lead"
    question = Question.objects.get()
    other = signed_in(needs_world, "other_provider")
    assert "Is transport in scope?" not in other.get(f"/needs/{need.pk}/").content.decode()
    commissioner = signed_in(needs_world, "commissioner")
    commissioner.post(f"/needs/{need.pk}/questions/{question.pk}/answer/", {"answer": "Yes."})
    seen = other.get(f"/needs/{need.pk}/").content.decode()
    assert "Is transport in scope?" in seen and "Yes." in seen
    assert needs_world.provider_org.name not in seen


def test_the_owner_compares_shortlists_and_invites_without_seeing_an_address(
    needs_world, django_capture_on_commit_callbacks
) -> None:
    need = needs_world.need()
    commissioner_user = needs_world.people["commissioner"]
    partnership = PartnershipFactory(place=needs_world.place, created_by=commissioner_user)
    MemberFactory(partnership=partnership, user=commissioner_user, role="lead")
    provider = signed_in(needs_world, "provider")
    provider.post(
        f"/needs/{need.pk}/interest/",
        {"organisation": str(needs_world.provider_org.pk), "kind": "consortium"},
    )
    interest = Interest.objects.get()
    assert provider.get(f"/needs/{need.pk}/respondents/").status_code == 403
    commissioner = signed_in(needs_world, "commissioner")
    page = commissioner.get(f"/needs/{need.pk}/respondents/").content.decode()
    assert needs_world.provider_org.name in page and "provider.example" not in page
    commissioner.post(f"/needs/{need.pk}/respondents/{interest.pk}/shortlist/")
    with django_capture_on_commit_callbacks(execute=True):
        commissioner.post(
            f"/needs/{need.pk}/respondents/{interest.pk}/invite/",
            {"partnership": str(partnership.pk)},
        )
    interest.refresh_from_db()
    assert interest.status == "invited"
    assert PartnershipInvitation.objects.get().partnership == partnership
    page = commissioner.get(f"/needs/{need.pk}/respondents/").content.decode()
    assert "provider.example" not in page
    # The partnership's own list of invitations names the organisation, not the person's address.
    listed = commissioner.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert f"A person at {needs_world.provider_org.name}" in listed
    assert "provider.example" not in listed


def test_a_need_for_organisations_is_not_shown_to_signed_out_visitors(needs_world) -> None:
    need = needs_world.need(visibility="organisations")
    assert Client().get(f"/needs/{need.pk}/").status_code == 404
    assert need.title not in Client().get("/needs/").content.decode()
    assert signed_in(needs_world, "joiner").get(f"/needs/{need.pk}/").status_code == 200


def test_forms_without_a_csrf_token_are_refused(needs_world) -> None:
    need = needs_world.need()
    client = Client(enforce_csrf_checks=True)
    client.login(username=needs_world.people["provider"].email, password=PASSWORD)
    answer = client.post(
        f"/needs/{need.pk}/interest/",
        {"organisation": str(needs_world.provider_org.pk), "kind": "lead"},
    )
    assert answer.status_code == 403
    assert not Interest.objects.exists()


def test_the_owner_attaches_a_saved_shortlist_and_sees_who_on_it_responded(needs_world) -> None:
    need = needs_world.need()
    commissioner_user = needs_world.people["commissioner"]
    saved = shortlist_of(
        commissioner_user, "Later life", [needs_world.provider_org, needs_world.other_org]
    )
    provider = signed_in(needs_world, "provider")
    provider.post(
        f"/needs/{need.pk}/interest/",
        {"organisation": str(needs_world.provider_org.pk), "kind": "interested"},
    )
    assert provider.post(f"/needs/{need.pk}/shortlist/", {"shortlist": saved.pk}).status_code == 403
    commissioner = signed_in(needs_world, "commissioner")
    commissioner.post(f"/needs/{need.pk}/shortlist/", {"shortlist": saved.pk})
    page = commissioner.get(f"/needs/{need.pk}/respondents/").content.decode()
    assert "Attached: Later life." in page
    assert "has responded" in page and "has not responded" in page
    # Once, in the page's body: not in its title, not above its heading.
    assert page.count("Saved shortlist from partner search") == 1
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and title.startswith("Respondents: ")
    assert page.index("<h1") < page.index("Saved shortlist from partner search")
    need.refresh_from_db()
    assert need.shortlist == saved


@pytest.mark.parametrize("posted", ["²", "abc", "99999999999999999999999"])
def test_attaching_a_shortlist_with_a_mangled_id_answers_not_found_and_attaches_nothing(
    needs_world, posted
) -> None:
    need = needs_world.need()
    commissioner = signed_in(needs_world, "commissioner")
    commissioner.raise_request_exception = False
    response = commissioner.post(f"/needs/{need.pk}/shortlist/", {"shortlist": posted})
    assert response.status_code == 404
    need.refresh_from_db()
    assert need.shortlist is None


def test_a_question_sent_twice_is_asked_once_and_can_be_asked_again_once_answered(
    needs_world,
) -> None:
    need = needs_world.need()
    provider = signed_in(needs_world, "provider")
    form = {"organisation": str(needs_world.provider_org.pk), "text": "Is transport in scope?"}
    for _ in range(2):  # a double click
        assert provider.post(f"/needs/{need.pk}/questions/", form).status_code == 302
    question = Question.objects.get()
    assert AuditEvent.objects.filter(action="need.question_ask").count() == 1
    signed_in(needs_world, "commissioner").post(
        f"/needs/{need.pk}/questions/{question.pk}/answer/", {"answer": "Yes."}
    )
    provider.post(f"/needs/{need.pk}/questions/", form)
    assert Question.objects.count() == 2


def test_inviting_a_respondent_too_often_never_shows_their_address(needs_world) -> None:
    """The owner is refused once the address has been invited as often as allowed, in words
    that name the organisation, never the respondent's email address."""
    need = needs_world.need()
    commissioner_user = needs_world.people["commissioner"]
    partnership = PartnershipFactory(place=needs_world.place, created_by=commissioner_user)
    MemberFactory(partnership=partnership, user=commissioner_user, role="lead")
    signed_in(needs_world, "provider").post(
        f"/needs/{need.pk}/interest/",
        {"organisation": str(needs_world.provider_org.pk), "kind": "consortium"},
    )
    interest = Interest.objects.get()
    commissioner = signed_in(needs_world, "commissioner")
    url = f"/needs/{need.pk}/respondents/{interest.pk}/invite/"
    for _ in range(4):  # the fourth is over the limit for one address
        response = commissioner.post(url, {"partnership": str(partnership.pk)}, follow=True)
    page = response.content.decode()
    assert "most allowed" in page
    assert "provider.example" not in page
    assert needs_world.provider_org.name in page
    assert PartnershipInvitation.objects.count() == 3


def test_a_need_form_sent_twice_saves_one_draft(needs_world) -> None:
    client = signed_in(needs_world, "commissioner")
    form = {
        "organisation": str(needs_world.council.pk),
        "title": "Later-life wellbeing service",
        "outcomes": "Older people stay well and connected.",
        "who_for": "People over 65 living alone.",
        "place": "E08000009",
        "kind": "call_for_interest",
        "visibility": "public",
        "closes_on": "31/12/2099",
    }
    first, second = (client.post("/needs/new/", form) for _ in range(2))
    need = Need.objects.get()
    assert first["Location"] == second["Location"] == f"/needs/{need.pk}/"
    assert AuditEvent.objects.filter(action="need.create").count() == 1
    client.post("/needs/new/", {**form, "title": "Another need"})
    assert Need.objects.count() == 2
