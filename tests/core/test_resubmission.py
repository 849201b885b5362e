"""The same form sent twice within the window is the record already made (core.resubmission)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from commonground.core.resubmission import RESUBMISSION_WINDOW, made_just_now
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_record_with_the_same_fields_made_just_now_is_found_and_an_older_one_is_not() -> None:
    users = get_user_model().objects.all()
    person = UserFactory(first_name="Sam", date_joined=timezone.now())
    assert made_just_now(users, "date_joined", first_name="Sam") == person
    assert made_just_now(users, "date_joined", first_name="Alex") is None
    users.filter(pk=person.pk).update(
        date_joined=timezone.now() - RESUBMISSION_WINDOW - dt.timedelta(seconds=1)
    )
    assert made_just_now(users, "date_joined", first_name="Sam") is None
