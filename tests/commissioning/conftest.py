"""People for the commissioning page and API tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from commonground.commissioning import services
from commonground.commissioning.answers import parse_answers
from tests.accounts.conftest import make_user

from .helpers import answers

WHO = ("anonymous", "outsider", "author", "shared_with", "admin")


@pytest.fixture
def people(db):
    author = make_user("author@example.org")
    shared = make_user("shared@example.org")
    outsider = make_user("outsider@example.org")
    admin = make_user("admin@example.org", staff=True)
    appraisal = services.appraisal_create(
        author=author,
        answers=parse_answers(answers(light_touch_service=True, estimated_value_pence=70_000_000)),
        name="Day services 2026",
    )
    services.appraisal_share(
        user=author, appraisal=appraisal, email="shared@example.org", site_url="http://testserver/"
    )
    services.share_invitation_answer(
        user=shared, invitation=appraisal.invitations.get(email="shared@example.org"), accept=True
    )
    return SimpleNamespace(
        author=author,
        shared_with=shared,
        outsider=outsider,
        admin=admin,
        appraisal=appraisal,
        by_role={"author": author, "shared_with": shared, "outsider": outsider, "admin": admin},
    )


def sign_in(client, people, who):
    if who != "anonymous":
        client.force_login(people.by_role[who])
    return client
