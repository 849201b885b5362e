"""A person's data download includes what they entered in the needs context."""

from __future__ import annotations

import pytest

from commonground.accounts.data_rights import personal_data_export
from commonground.needs import services

pytestmark = pytest.mark.django_db


def test_a_persons_data_download_includes_their_needs_interest_questions_and_answers(
    needs_world,
) -> None:
    need = needs_world.need()
    provider, commissioner = needs_world.people["provider"], needs_world.people["commissioner"]
    services.interest_submit(
        provider, need, needs_world.provider_org, kind="lead", message="We run lunch clubs."
    )
    question = services.question_ask(
        provider, need, needs_world.provider_org, text="Is transport in scope?"
    )
    services.question_answer(commissioner, question, answer="Yes, within Trafford.")

    theirs = personal_data_export(provider)["needs"]
    assert theirs["interests_expressed"][0]["message"] == "We run lunch clubs."
    assert theirs["questions_asked"][0]["text"] == "Is transport in scope?"
    assert theirs["needs_written"] == [] and theirs["answers_given"] == []

    owner = personal_data_export(commissioner)["needs"]
    assert owner["needs_written"][0]["title"] == need.title
    assert owner["answers_given"][0]["answer"] == "Yes, within Trafford."
    assert owner["interests_expressed"] == [] and owner["questions_asked"] == []
