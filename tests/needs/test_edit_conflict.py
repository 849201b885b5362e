"""Two people changing a need on its page at once: the page carries the version it was opened
at, and a save from an older version is refused (as the API refuses it) with a plain message,
what the need now says and a link to it, and everything the person typed kept to save again."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commonground.needs.models import Need
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(world, who: str) -> Client:
    client = Client()
    assert client.login(username=world.people[who].email, password=PASSWORD)
    return client


def page_version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the edit page carries the version it shows"
    return found.group(1)


def edit_form(need: Need, version: str, **changes: str) -> dict[str, object]:
    form: dict[str, object] = {
        "version": version,
        "title": need.title,
        "outcomes": need.outcomes,
        "who_for": need.who_for,
        "place": need.place.gss_code,
        "wards": "Urmston",
        "budget_min": str(need.budget_min_pence // 100),
        "budget_max": str(need.budget_max_pence // 100),
        "timeline": need.timeline,
        "route_codes": list(need.route_codes),
        "kind": need.kind,
        "visibility": need.visibility,
        "closes_on": need.closes_on.strftime("%d/%m/%Y"),
    }
    form.update(changes)
    return form


def test_a_save_from_a_page_opened_before_someone_elses_save_is_refused_keeping_what_was_typed(
    needs_world,
) -> None:
    need = needs_world.need(published=False)
    first, second = signed_in(needs_world, "commissioner"), signed_in(needs_world, "commissioner")
    url = f"/needs/{need.pk}/edit/"
    opened = page_version(first.get(url).content.decode())
    assert page_version(second.get(url).content.decode()) == opened

    saved = first.post(url, edit_form(need, opened, title="Wellbeing for older people"))
    assert saved.status_code == 302
    mine = "Fewer older people are lonely (typed by the second person)."
    refused = second.post(url, edit_form(need, opened, outcomes=mine))

    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Someone else changed this need while you were editing it" in page
    assert "Your changes have not been saved" in page
    assert mine in page  # what they typed is still in the form
    assert "Wellbeing for older people" in page  # what it now says, shown
    assert f'href="/needs/{need.pk}/"' in page  # and linked
    need.refresh_from_db()
    assert need.title == "Wellbeing for older people"
    assert need.outcomes != mine


def test_after_seeing_the_change_the_person_can_save_their_own_again(needs_world) -> None:
    need = needs_world.need(published=False)
    first, second = signed_in(needs_world, "commissioner"), signed_in(needs_world, "commissioner")
    url = f"/needs/{need.pk}/edit/"
    opened = page_version(first.get(url).content.decode())
    first.post(url, edit_form(need, opened, title="Wellbeing for older people"))
    refused = second.post(url, edit_form(need, opened, timeline="From June 2027"))
    now = page_version(refused.content.decode())
    assert now != opened  # the kept form is now made from the current version

    again = second.post(url, edit_form(need, now, timeline="From June 2027"))
    assert again.status_code == 302
    need.refresh_from_db()
    assert need.timeline == "From June 2027"


def test_a_save_from_the_current_version_is_kept(needs_world) -> None:
    need = needs_world.need(published=False)
    client = signed_in(needs_world, "commissioner")
    url = f"/needs/{need.pk}/edit/"
    opened = page_version(client.get(url).content.decode())
    assert opened == str(need.version)
    answer = client.post(url, edit_form(need, opened, timeline="From June 2027"))
    assert answer.status_code == 302
    need.refresh_from_db()
    assert need.timeline == "From June 2027" and need.version == int(opened) + 1
