"""Saving an appraisal under a name that cannot be stored (a NUL character, which PostgreSQL
refuses; more than 200 characters) saves nothing and says why on the results page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.commissioning.models import Appraisal


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Day services\x00 2027", "Null characters are not allowed"),
        ("D" * 201, "The name must be 200 characters or fewer"),
    ],
)
def test_a_name_that_cannot_be_stored_saves_nothing_and_says_why(
    client, appraisal_people, name: str, message: str
) -> None:
    client.force_login(appraisal_people.author)
    client.post(reverse("commissioning:appraisal-reuse", args=[appraisal_people.appraisal.pk]))

    response = client.post(reverse("commissioning:save"), {"name": name}, follow=True)

    assert Appraisal.objects.count() == 1  # only the one the fixture saved
    assert response.redirect_chain[-1][0] == reverse("commissioning:result")
    assert message in response.content.decode()


def test_a_name_is_still_optional(client, appraisal_people) -> None:
    client.force_login(appraisal_people.author)
    client.post(reverse("commissioning:appraisal-reuse", args=[appraisal_people.appraisal.pk]))

    response = client.post(reverse("commissioning:save"), {"name": "  "})

    saved = Appraisal.objects.latest("pk")
    assert response["Location"] == reverse("commissioning:appraisal", args=[saved.pk])
    assert saved.name.startswith("Appraisal for ")
