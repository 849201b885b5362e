"""Linking a saved route appraisal to a partnership from the appraisal's own page: only to a
partnership the person may change, only an appraisal they can see; audited; the partnership
shows on the appraisal page to its members."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from commonground.audit.models import AuditEvent
from commonground.commissioning import services as appraisal_services
from commonground.commissioning.answers import parse_answers
from tests.accounts.factories import UserFactory
from tests.commissioning.factories import answers
from tests.partnerships.factories import MemberFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _appraisal(author):
    return appraisal_services.appraisal_create(
        author=author, answers=parse_answers(answers()), name="Routes for day services"
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_links_their_appraisal_to_their_partnership_from_the_appraisal_page() -> None:
    lead = UserFactory(email="lead@example.org")
    partnership = MemberFactory(user=lead, role="lead").partnership
    appraisal = _appraisal(lead)
    client = _client(lead)
    page = client.get(f"/appraisals/{appraisal.pk}/").content.decode()
    assert "Not linked to a partnership" in page
    form = client.get(f"/appraisals/{appraisal.pk}/partnership/").content.decode()
    assert partnership.name in form
    done = client.post(f"/appraisals/{appraisal.pk}/partnership/", {"partnership": partnership.pk})
    assert done.status_code == 302 and done.url.endswith("#partnership")
    partnership.refresh_from_db()
    assert partnership.appraisal == appraisal
    assert AuditEvent.objects.filter(action="partnership.route_appraisal").exists()
    page = client.get(f"/appraisals/{appraisal.pk}/").content.decode()
    assert f'href="/partnerships/{partnership.pk}/"' in page
    # The decision record names the partnership it settled the route of.
    doc = Document(io.BytesIO(client.get(f"/appraisals/{appraisal.pk}/record.docx").content))
    rows = [tuple(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    assert ("Partnership", partnership.name) in rows


@pytest.mark.parametrize("role", ["observer", None])
def test_an_observer_or_outsider_cannot_link_an_appraisal_to_the_partnership(role) -> None:
    person = UserFactory(email="someone@example.org")
    partnership = PartnershipFactory()
    if role:
        MemberFactory(user=person, partnership=partnership, role=role)
    appraisal = _appraisal(person)
    refused = _client(person).post(
        f"/appraisals/{appraisal.pk}/partnership/", {"partnership": partnership.pk}
    )
    assert refused.status_code == 400  # not one of the partnerships they may change
    partnership.refresh_from_db()
    assert partnership.appraisal is None


def test_nobody_links_an_appraisal_they_cannot_see() -> None:
    lead = UserFactory(email="lead@example.org")
    partnership = MemberFactory(user=lead, role="lead").partnership
    private = _appraisal(UserFactory(email="author@example.org"))
    client = _client(lead)
    assert client.get(f"/appraisals/{private.pk}/partnership/").status_code == 404
    posted = client.post(f"/appraisals/{private.pk}/partnership/", {"partnership": partnership.pk})
    assert posted.status_code == 404
    partnership.refresh_from_db()
    assert partnership.appraisal is None
