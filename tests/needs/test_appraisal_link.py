"""A need's route appraisal: a commissioner starts the question flow from their need (its name,
council and likely partners already filled in), saves it linked to the need, or links a saved
appraisal to one of their needs. The link shows on both pages and in the API, only to people
who may see both ends; every link is audited; nobody else can make one."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from docx import Document

from commonground.accounts import services as account_services
from commonground.audit.models import AuditEvent
from commonground.commissioning import services as appraisal_services
from commonground.commissioning.answers import parse_answers
from commonground.commissioning.flow import ORIGIN_KEY, SESSION_KEY
from commonground.commissioning.models import Appraisal
from commonground.commissioning.questions import next_question
from commonground.needs import services
from tests.accounts.factories import PASSWORD
from tests.commissioning.factories import answers
from tests.organisations.factories import shortlist_of

pytestmark = pytest.mark.django_db

# An answer of each kind, for the questions a test does not care about.
PLAIN = {
    "yesno": False,
    "money": 30_000_000,
    "months": 36,
    "share": 0.0,
    "aims": [],
    "text": "",
    "partners": [],
}


def signed_in(world, who: str) -> Client:
    client = Client()
    assert client.login(username=world.people[who].email, password=PASSWORD)
    return client


def answer_the_rest(client: Client) -> dict:
    """Answer every question still open in the client's flow, as a commissioner would."""
    session = client.session
    raw = dict(session[SESSION_KEY])
    given = answers(light_touch_service=True, social_investor_interest="unknown")
    while (q := next_question(raw)) is not None:
        raw[q.field] = given.get(q.field, PLAIN.get(q.kind))
    session[SESSION_KEY] = raw
    session.save()
    return raw


def test_a_commissioner_appraises_the_routes_for_their_need_and_saves_it_linked(
    needs_world,
) -> None:
    need = needs_world.need()
    client = signed_in(needs_world, "commissioner")
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "Appraise the routes for this need" in page
    started = client.post(f"/needs/{need.pk}/appraise/", follow=True)
    assert started.redirect_chain[-1][0] == "/appraisals/new/nation/"
    assert "Question 3" in started.content.decode()  # the service and council are answered
    raw = answer_the_rest(client)
    assert raw["service_name"] == "Later-life wellbeing service"
    assert raw["authority_name"] == "Trafford Council"

    result = client.get("/appraisals/new/result/").content.decode()
    assert "Later-life wellbeing service" in result
    assert f'action="/needs/{need.pk}/appraise/save/"' in result
    assert "Save and link to the need" in result
    saved = client.post(f"/needs/{need.pk}/appraise/save/", {"name": ""})
    appraisal = Appraisal.objects.get()
    assert saved.url == f"/appraisals/{appraisal.pk}/"
    need.refresh_from_db()
    assert need.appraisal == appraisal and appraisal.name == need.title
    assert AuditEvent.objects.filter(action="need.link_appraisal", object_id=str(need.pk)).exists()
    assert ORIGIN_KEY not in client.session  # the next appraisal is a plain one

    appraisal_page = client.get(f"/appraisals/{appraisal.pk}/").content.decode()
    assert f'href="/needs/{need.pk}/"' in appraisal_page
    need_page = client.get(f"/needs/{need.pk}/").content.decode()
    assert f'href="/appraisals/{appraisal.pk}/"' in need_page
    assert "Appraise the routes again" in need_page
    record = Document(io.BytesIO(client.get(f"/appraisals/{appraisal.pk}/record.docx").content))
    rows = [tuple(c.text for c in row.cells) for t in record.tables for row in t.rows]
    assert ("Need", "Later-life wellbeing service") in rows


def test_the_needs_shortlisted_organisations_are_the_appraisals_likely_partners(
    needs_world,
) -> None:
    need = needs_world.need()
    commissioner = needs_world.people["commissioner"]
    shortlist = shortlist_of(commissioner, "Later life", [needs_world.other_org])
    services.need_attach_shortlist(commissioner, need, shortlist)
    interest = services.interest_submit(
        needs_world.people["provider"], need, needs_world.provider_org, kind="lead", message=""
    )
    services.interest_shortlist(commissioner, interest)
    client = signed_in(needs_world, "commissioner")
    client.post(f"/needs/{need.pk}/appraise/")
    assert client.session[SESSION_KEY]["partners"] == ["GB-CHC-9990102", "GB-CHC-9990101"]


@pytest.mark.parametrize("who", ["provider", "outsider"])
def test_only_people_who_may_change_the_need_start_or_save_its_appraisal(needs_world, who) -> None:
    need = needs_world.need()
    client = signed_in(needs_world, who)
    assert client.post(f"/needs/{need.pk}/appraise/").status_code == 403
    assert client.post(f"/needs/{need.pk}/appraise/save/").status_code == 403
    assert "Appraise the routes" not in client.get(f"/needs/{need.pk}/").content.decode()
    assert Client().post(f"/needs/{need.pk}/appraise/").status_code == 302  # to sign in
    need.refresh_from_db()
    assert need.appraisal is None


def _saved(user, name: str = "Wellbeing routes") -> Appraisal:
    return appraisal_services.appraisal_create(
        author=user, answers=parse_answers(answers(light_touch_service=True)), name=name
    )


def test_a_saved_appraisal_is_linked_to_one_of_the_commissioners_needs_from_its_page(
    needs_world,
) -> None:
    need = needs_world.need(published=False)
    appraisal = _saved(needs_world.people["commissioner"])
    client = signed_in(needs_world, "commissioner")
    page = client.get(f"/appraisals/{appraisal.pk}/").content.decode()
    assert "Not linked to a need" in page and f"/appraisals/{appraisal.pk}/need/" in page
    form = client.get(f"/appraisals/{appraisal.pk}/need/").content.decode()
    assert "Later-life wellbeing service (Trafford Council, draft)" in form
    assert client.post(f"/appraisals/{appraisal.pk}/need/", {"need": "0"}).status_code == 400
    linked = client.post(f"/appraisals/{appraisal.pk}/need/", {"need": str(need.pk)})
    assert linked.status_code == 302
    need.refresh_from_db()
    assert need.appraisal == appraisal
    event = AuditEvent.objects.get(action="need.link_appraisal")
    assert event.before == {"appraisal": None} and event.after == {"appraisal": appraisal.pk}


def test_nobody_links_an_appraisal_they_cannot_see_or_to_a_need_they_cannot_change(
    needs_world,
) -> None:
    need = needs_world.need()
    others = _saved(needs_world.people["outsider"], "Someone else's")
    commissioner = signed_in(needs_world, "commissioner")
    assert commissioner.get(f"/appraisals/{others.pk}/need/").status_code == 404
    own = _saved(needs_world.people["provider"], "A provider's own")
    provider = signed_in(needs_world, "provider")
    refused = provider.post(f"/appraisals/{own.pk}/need/", {"need": str(need.pk)})
    assert refused.status_code == 400  # not one of the needs they may change
    need.refresh_from_db()
    assert need.appraisal is None


def test_respondents_see_the_need_but_never_its_private_appraisal(needs_world) -> None:
    need = needs_world.need()
    appraisal = _saved(needs_world.people["commissioner"], "Private routes for the council")
    services.need_link_appraisal(needs_world.people["commissioner"], need, appraisal)
    for client in (signed_in(needs_world, "provider"), Client()):
        page = client.get(f"/needs/{need.pk}/").content.decode()
        assert "Private routes for the council" not in page
        assert f"/appraisals/{appraisal.pk}/" not in page
    assert not need.notices.filter(kind="change").exists()  # not a change told to respondents
    # Nor when it is linked with the need's own form or API (need_update).
    other = _saved(needs_world.people["commissioner"], "A second appraisal")
    services.need_update(needs_world.people["commissioner"], need, {"appraisal": other.pk})
    need.refresh_from_db()
    assert need.appraisal == other and not need.notices.filter(kind="change").exists()


def test_the_api_names_the_needs_a_saved_appraisal_is_for_to_people_who_may_see_them(
    needs_world,
) -> None:
    need = needs_world.need(published=False)
    commissioner = needs_world.people["commissioner"]
    appraisal = _saved(commissioner)
    services.need_link_appraisal(commissioner, need, appraisal)
    _token, raw = account_services.api_token_create(commissioner, "test")
    body = (
        Client()
        .get(f"/api/v1/appraisals/{appraisal.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .json()
    )
    assert body["needs"] == [{"id": need.pk, "name": need.title, "url": f"/needs/{need.pk}/"}]
    assert body["partnerships"] == []
    # Shared with someone who cannot see the draft need: the appraisal, without the need.
    appraisal.shared_with.add(needs_world.people["provider"])
    _token, other = account_services.api_token_create(needs_world.people["provider"], "test")
    seen = Client().get(f"/api/v1/appraisals/{appraisal.pk}", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert seen.status_code == 200 and seen.json()["needs"] == []
    assert json.dumps(seen.json()).count(need.title) == 0
