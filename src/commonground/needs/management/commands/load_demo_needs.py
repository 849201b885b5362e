"""The example need (issue 15's done-when), marked `is_example=True`, written through the services.

The example commissioner (the example partnership's lead, acting for Trafford Council) publishes
a need for a later-life wellbeing service as a preliminary market engagement; two example
provider officers, acting for two real Trafford charities, express interest; one asks a question
whose answer is published to every respondent; the commissioner shortlists that charity and
invites its officer into the example partnership (ADR 0015's invitation). The people are
made up; the organisations are real register entries. Run after load_demo_partnerships.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import Profile
from commonground.accounts.services import example_membership_grant
from commonground.commissioning.models import Appraisal
from commonground.needs import services
from commonground.needs.models import Need
from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_by_identifier
from commonground.partnerships.models import Partnership

TRAFFORD = "E08000009"
LEAD = "lead.commissioner@example.org"
COUNCIL = "GB-LAE-TRF"
# (email, organisation, interest, message): made-up officers of real Trafford charities.
RESPONDENTS = [
    (
        "befriending.officer@example.org",
        "GB-CHC-1146179",  # The Cyril Flint Volunteering Charity
        "lead",
        "We run free one-to-one befriending for older people across Trafford and would lead "
        "a neighbourhood model with other local groups (example).",
    ),
    (
        "hale.officer@example.org",
        "GB-CHC-255181",  # Hale Older People's Welfare Committee
        "consortium",
        "We would join a consortium for the Hale area (example).",
    ),
]
QUESTION = "Can the budget cover volunteers' travel expenses, or only paid staff? (example)"
ANSWER = (
    "Yes: reasonable volunteer expenses can be included in the budget. This answer is "
    "published to every organisation that has responded (example)."
)
NEED = {
    "title": "Later-life wellbeing service (example)",
    "outcomes": "Older people in Trafford feel less lonely, stay well and independent at home "
    "for longer, keep active and connected to their neighbours, and get help early, before a "
    "fall or a crisis.",
    "who_for": "People over 65, especially those living alone, and the family members who "
    "care for them.",
    "ward_codes": ["E05015259", "E05015246"],  # Urmston, Flixton
    "budget_min_pence": 100_000_000,
    "budget_max_pence": 120_000_000,
    "timeline": "Three years from April 2027",
    "route_codes": ["grant", "light_touch_flexible", "integrated_community_partnership"],
    "kind": "market_engagement",
    "notice_status": "will_publish",
    "visibility": "public",
}


class Command(BaseCommand):
    help = "Load the example need with its matches, responses, a question and an invitation."

    def handle(self, *args: Any, **options: Any) -> None:
        if Need.objects.filter(is_example=True, place__gss_code=TRAFFORD).exists():
            self.stdout.write("The example need is already loaded.")
            return
        lead = User.objects.filter(username=LEAD).first()
        partnership = Partnership.objects.filter(is_example=True, place__gss_code=TRAFFORD).first()
        council = organisation_by_identifier(COUNCIL)
        if lead is None or partnership is None or council is None:
            raise CommandError(
                "The example partnership and Trafford Council are needed first: run "
                "load_demo_partnerships (and import_register gb_lae_codes)."
            )
        with transaction.atomic():
            need = self._load(lead, council, partnership)
        self.stdout.write(
            f"Loaded the example need '{need.title}': {need.interests.count()} expressions of "
            "interest, one question answered to all, one invitation into the example partnership."
        )

    def _load(self, lead: User, council: Organisation, partnership: Partnership) -> Need:
        example_membership_grant(lead, council)
        appraisal = Appraisal.objects.filter(author=lead).order_by("pk").first()
        data = {
            **NEED,
            "place": TRAFFORD,
            "appraisal": appraisal.pk if appraisal else None,
            "closes_on": timezone.localdate() + dt.timedelta(days=60),
        }
        need = services.need_create(lead, council, data, is_example=True)
        need = services.need_publish(lead, need)
        interests = []
        for email, org_id, kind, message in RESPONDENTS:
            organisation = organisation_by_identifier(org_id)
            if organisation is None:
                self.stdout.write(f"  {org_id} is not in the atlas; left out.")
                continue
            person = _person(email, lead.password)
            example_membership_grant(person, organisation)
            interests.append(
                services.interest_submit(person, need, organisation, kind=kind, message=message)
            )
        if not interests:
            return need
        first = interests[0]
        question = services.question_ask(
            first.submitted_by, need, first.organisation, text=QUESTION
        )
        services.question_answer(lead, question, answer=ANSWER)
        services.interest_shortlist(lead, first)
        services.interest_invite(lead, first, partnership, site_url=_site_url())
        return need


def _site_url() -> str:
    return str(getattr(settings, "COMMONGROUND_SITE_URL", "") or "http://localhost:8000")


def _person(email: str, password_hash: str) -> User:
    """A made-up example person, with the example people's password (or none)."""
    user = User.objects.filter(username=email).first()
    if user is None:
        name = email.split("@")[0].replace(".", " ").capitalize() + " (example)"
        user = User.objects.create_user(username=email, email=email, first_name=name)
        user.password = password_hash
        user.save()
    Profile.objects.update_or_create(user=user, defaults={"email_verified_at": timezone.now()})
    return user
