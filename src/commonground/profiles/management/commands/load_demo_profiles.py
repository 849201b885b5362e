"""Give the demo's example people the organisation memberships their partnership roles imply, and
Age UK Trafford a partnership profile with services, written by its example member (issue 15).

Before this, the example providers and the second commissioner belonged to the example
partnership but to no organisation, so their account pages said "Community member" while the
partnership listed them as providers. The example funder is left without an organisation: the
only funder in the partnership is a grant-making charity, and a charity's people speak as
providers under the perspective rule (accounts.perspectives).

Re-running changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commonground.accounts.services import example_membership_grant
from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_by_identifier

from ...models import PartnershipProfile
from ...services import profile_save

AGE_UK_TRAFFORD = "GB-CHC-1109047"
# (example person, the real Trafford organisation they act for as an officer).
ACTS_FOR = [
    ("commissioner@example.org", "GB-LAE-TRF"),  # Trafford Council
    ("provider.one@example.org", AGE_UK_TRAFFORD),
    ("provider.two@example.org", "GB-CHC-1102075"),  # Trafford Carers Centre
    ("provider.three@example.org", "GB-CHC-1098222"),  # Voluntary and Community Action Trafford
]
WRITER = "provider.one@example.org"

# Made up for the demo in the organisation's voice; not Age UK Trafford's own words or figures.
PROFILE: dict[str, Any] = {
    "summary": "Example profile (demo): later-life services across Trafford, written to show "
    "what a partnership profile holds. The figures are illustrative, not the charity's own.",
    "open_to_partnership": "conditions",
    "conditions": "We lead or join consortia where the service is funded for at least three "
    "years and volunteers' expenses are covered.",
    "routes": ["grant", "contract", "consortium_lead", "consortium_member"],
    "people_served_a_year": 4000,
    "staff": 60,
    "volunteers": 200,
    "income_band": "1m_10m",
    "asset_lock": True,
    "asset_lock_evidence": "A registered charity: its assets are held for its charitable "
    "purposes (Charity Commission register, 1109047).",
    "member_owned": False,
    "member_owned_evidence": "",
    "community_control": False,
    "community_control_evidence": "",
    "quality_marks": [],
    "contact_email": "partnerships@example.org",
    "contact_consent": True,
}
SERVICES: list[dict[str, Any]] = [
    {
        "name": "Later life wellbeing and befriending (example)",
        "description": "Weekly befriending calls and visits, lunch clubs and activity groups for "
        "older people who live alone or feel isolated.",
        "who_for": "People aged 60 and over living in Trafford, and their carers",
        "eligibility": "Aged 60 or over and living in Trafford",
        "how_to_access": "Refer yourself by phone, or be referred by a GP or social worker",
        "languages": ["English"],
        "cost": "",
        "free": True,
        "url": "",
        "areas": ["E08000009"],
    },
    {
        "name": "Information and advice for older people (example)",
        "description": "Help with benefits, pensions, care costs and housing, by phone and at "
        "drop-in sessions.",
        "who_for": "Older people in Trafford, their families and carers",
        "eligibility": "",
        "how_to_access": "Phone or visit a drop-in session",
        "languages": ["English"],
        "cost": "",
        "free": True,
        "url": "",
        "areas": ["E08000009"],
    },
]


class Command(BaseCommand):
    help = "Give the example people their organisations and Age UK Trafford its profile."

    def handle(self, *args: Any, **options: Any) -> None:
        writer = User.objects.filter(username=WRITER).first()
        age_uk = organisation_by_identifier(AGE_UK_TRAFFORD)
        if writer is None or age_uk is None:
            raise CommandError(
                "The example people and Age UK Trafford are needed first: run "
                "load_demo_partnerships (and import_register trafford_charities)."
            )
        with transaction.atomic():
            joined = self._memberships()
            made = self._profile(writer, age_uk)
        self.stdout.write(
            f"Example people given {joined} organisation memberships; "
            + ("Age UK Trafford's example profile written." if made else "profile already there.")
        )

    def _memberships(self) -> int:
        joined = 0
        for email, identifier in ACTS_FOR:
            person = User.objects.filter(username=email).first()
            organisation = organisation_by_identifier(identifier)
            if person is None or organisation is None:
                self.stdout.write(f"  {email} or {identifier} is not loaded; left out.")
                continue
            joined += example_membership_grant(person, organisation)
        return joined

    def _profile(self, writer: User, age_uk: Organisation) -> bool:
        if PartnershipProfile.objects.filter(organisation=age_uk).exists():
            return False
        profile_save(writer, age_uk, PROFILE, version=None, services=SERVICES)
        return True
