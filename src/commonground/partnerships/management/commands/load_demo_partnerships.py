"""The partnerships part of `make demo` (called by load_demo). Re-running changes nothing.

One illustrative partnership in Trafford, marked `is_example=True` and labelled as an example
on every page: real Trafford organisations from the loaded atlas (picked by identifier, skipped
if a register was not loaded), example people of each perspective (direct members, so no real
organisation gains made-up officers), a stage history, milestones and two closed health-check
rounds whose results show commissioners and providers seeing trust very differently, and (when
the money demo ran first) real grants to member organisations linked as its funding.

The example people can sign in only under the local demo settings (COMMONGROUND_DEMO_PASSWORDS,
as `make demo` runs) or when a password is given with --password; otherwise their passwords are
unusable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import Profile
from commonground.commissioning import services as commissioning
from commonground.commissioning.answers import parse_answers
from commonground.organisations.selectors import organisation_by_identifier
from commonground.partnerships import selectors, services
from commonground.partnerships.models import Partnership, Principle
from commonground.places.selectors import place_by_gss

TRAFFORD = "E08000009"
NAME = "Trafford Later Life Wellbeing Partnership (example)"
FUNDING_FROM = dt.date(2024, 4, 1)
DEMO_PASSWORD = "trafford example partnership"  # noqa: S105 - printed for local demo use only

# (identifier, perspective, role): real organisations in the Trafford atlas.
ORGANISATIONS = [
    ("GB-LAE-TRF", "commissioner", "accountable_body"),  # Trafford Council, if the atlas has it
    ("GB-CHC-1109047", "provider", "member"),  # Age UK Trafford
    ("GB-CHC-1102075", "provider", "member"),  # Trafford Carers Centre
    ("GB-CHC-1098222", "provider", "member"),  # Voluntary and Community Action Trafford
    ("GB-CHC-515734", "funder", "member"),  # The Frances Del Panno Trust Fund (makes grants)
]

# (email, perspective, role, scores by principle for round 1 and round 2). Made-up people.
PEOPLE: list[tuple[str, str, str]] = [
    ("lead.commissioner@example.org", "commissioner", "lead"),
    ("commissioner@example.org", "commissioner", "member"),
    ("provider.one@example.org", "provider", "member"),
    ("provider.two@example.org", "provider", "member"),
    ("provider.three@example.org", "provider", "member"),
    ("funder@example.org", "funder", "member"),
    ("resident.one@example.org", "community", "member"),
    ("resident.two@example.org", "community", "observer"),
]

# The example appraisal: the issue 17 service (£1.2m over three years, light touch, several
# providers), with the facts a commissioner would not know yet answered "not sure".
DEMO_APPRAISAL: dict[str, Any] = {
    "service_name": "Later life wellbeing service (example)",
    "authority_name": "Trafford Council",
    "nation": "england",
    "decision_date": "2026-09-01",
    "authority_type": "local_authority",
    "subject": "services",
    "council_receives_services": True,
    "estimated_value_pence": 120_000_000,
    "duration_months": 36,
    "light_touch_service": True,
    "reservable_for_mutuals": "unknown",
    "mutual_eligible": "unknown",
    "multiple_providers_to_integrate": True,
    "incumbent_exists": True,
    "incumbent_performing_well": True,
    "outcomes_measurable": "unknown",
    "social_investor_interest": False,
    "aims": ["long_term_planning", "collaboration", "trust"],
}

# Scores by perspective: commissioners rate trust, transparency and mutuality high; providers
# rate them low. Round 2 shows providers' view of trust improving a little.
BASE = {
    "commissioner": {
        "long_term": 4, "integration": 4, "prevention": 4, "collaboration": 4,
        "communication": 4, "transparency": 5, "trust": 5, "mutuality": 5, "flexibility": 4,
    },
    "provider": {
        "long_term": 3, "integration": 3, "prevention": 4, "collaboration": 3,
        "communication": 3, "transparency": 2, "trust": 2, "mutuality": 2, "flexibility": 3,
    },
    "funder": {
        "long_term": 2, "integration": 3, "prevention": 4, "collaboration": 3,
        "communication": 3, "transparency": 3, "trust": 3, "mutuality": 3, "flexibility": 3,
    },
    "community": {
        "long_term": 3, "integration": 2, "prevention": 3, "collaboration": 3,
        "communication": 2, "transparency": 3, "trust": 3, "mutuality": 3, "flexibility": 3,
    },
}  # fmt: skip
COMMENTS = {
    ("commissioner", "trust"): "We share the outcomes framework with every partner.",
    ("provider", "trust"): "Monthly monitoring returns still feel like being audited.",
    ("provider", "transparency"): "We have not seen how the pooled budget is split.",
    ("community", "communication"): "Residents hear about changes late.",
    ("funder", "long_term"): "Funding is still year to year.",
}


def _scores(perspective: str, index: int, round_number: int) -> dict[str, tuple[int, str]]:
    out = {}
    for principle in Principle.values:
        score = BASE[perspective][principle]
        # A little variation between people of one perspective, so spreads are not zero.
        if index % 2 == 1 and principle in ("prevention", "flexibility"):
            score = max(1, score - 1)
        improving = principle in ("trust", "collaboration")
        if round_number == 2 and perspective == "provider" and improving:
            score = min(5, score + 1)
        comment = COMMENTS.get((perspective, principle), "") if index == 0 else ""
        out[principle] = (score, comment)
    return out


class Command(BaseCommand):
    help = "Load the illustrative Trafford partnership (marked as an example)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default="",
            help="Password for the example people (default: a fixed demo password under the "
            "local demo settings; unusable otherwise).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        place = place_by_gss(TRAFFORD)
        if place is None:
            raise CommandError("Trafford (E08000009) is not loaded: run load_places first.")
        existing = Partnership.objects.filter(is_example=True, place__gss_code=TRAFFORD).first()
        if existing is not None:
            self.stdout.write(f"The example partnership is already loaded ({existing.name}).")
            return
        password = options["password"] or (
            DEMO_PASSWORD if settings.COMMONGROUND_DEMO_PASSWORDS else ""
        )
        with transaction.atomic():
            partnership, found = self._load(place, password)
        self.stdout.write(
            f"Loaded the example partnership '{partnership.name}' with {found} real Trafford "
            f"organisations and {len(PEOPLE)} example people."
        )
        if password:
            self.stdout.write(
                f"Sign in as {PEOPLE[0][0]} (or any example person) with the password "
                f"'{password}' to see it."
            )

    def _person(self, email: str, password: str) -> User:
        user = User.objects.filter(username=email).first()
        if user is None:
            # A made-up name to be shown by (people are never shown by their address).
            name = email.split("@")[0].replace(".", " ").capitalize() + " (example)"
            user = User.objects.create_user(username=email, email=email, first_name=name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"email_verified_at": timezone.now()})
        return user

    def _link_appraisal(self, lead: User, partnership: Partnership) -> None:
        """The lead's saved route appraisal for the service, linked as the partnership's route
        (private to the lead, as any saved appraisal is)."""
        partners = list(
            partnership.members.filter(organisation__isnull=False, perspective="provider")
            .values_list("organisation__org_id", flat=True)
            .order_by("organisation__org_id")
        )
        answers = parse_answers(
            {
                **DEMO_APPRAISAL,
                "partners": partners,
            }
        )
        appraisal = commissioning.appraisal_create(
            author=lead, answers=answers, name="Later life wellbeing service (example)"
        )
        services.partnership_link_appraisal(lead, partnership, appraisal)

    def _link_funding(self, lead: User, partnership: Partnership) -> int:
        """Grants from the ledger (if `load_demo_money` ran) paid to member organisations since
        April 2024, linked as the example's funding: real money, illustrative link."""
        flows = [
            flow
            for flow in selectors.funding_candidates(partnership, limit=200)
            if flow.recipient_organisation_id is not None
            and flow.date >= FUNDING_FROM
            and (flow.channel == "grant" or "grant" in flow.purpose.lower())
        ]
        for flow in flows:
            services.partnership_add_funding(
                lead,
                partnership,
                flow,
                note="Illustrative link: a real grant to a member organisation.",
            )
        return len(flows)

    def _load(self, place: Any, password: str) -> tuple[Partnership, int]:
        people = [(self._person(e, password), p, r) for e, p, r in PEOPLE]
        lead = people[0][0]
        partnership = services.partnership_create(
            lead,
            name=NAME,
            purpose=(
                "An illustrative example. Older people in Trafford stay well, connected and "
                "independent for longer: the council, local charities, a grant-maker and "
                "residents plan prevention together rather than buying separate services."
            ),
            place=place,
            perspective="commissioner",
            stage="idea",
            resembles_case_study="oldham-social-prescribing",
            is_example=True,
            started_on=dt.date(2025, 6, 2),
        )
        found = 0
        for identifier, perspective, role in ORGANISATIONS:
            organisation = organisation_by_identifier(identifier)
            if organisation is None:
                self.stdout.write(f"  {identifier} is not in the atlas; left out.")
                continue
            services.partnership_add_member(
                lead,
                partnership,
                organisation=organisation,
                perspective=perspective,
                role=role,
                joined_on=dt.date(2025, 7, 14),
            )
            found += 1
        for person, perspective, role in people[1:]:
            services.partnership_add_member(
                lead,
                partnership,
                user=person,
                perspective=perspective,
                role=role,
                joined_on=dt.date(2025, 7, 14),
            )
        for stage, on, note in [
            ("exploring", dt.date(2025, 7, 14), "First meeting of all partners."),
            ("co_design", dt.date(2025, 10, 1), "Design workshops with residents begin."),
            ("agreement", dt.date(2026, 1, 12), "Collaboration agreement drafted."),
        ]:
            services.partnership_change_stage(lead, partnership, stage, on, note)
        for title, due, done in [
            ("Map who already supports older people in each ward", dt.date(2025, 9, 1),
             dt.date(2025, 9, 12)),
            ("Agree shared outcomes with residents", dt.date(2025, 12, 1), dt.date(2025, 12, 8)),
            ("Sign the collaboration agreement", dt.date(2026, 4, 1), None),
        ]:  # fmt: skip
            milestone = services.milestone_add(lead, partnership, title=title, due_on=due)
            if done:
                services.milestone_mark_done(lead, milestone, done)
        linked = self._link_funding(lead, partnership)
        self._link_appraisal(lead, partnership)
        if linked:
            self.stdout.write(f"  Linked {linked} real grants to member organisations as funding.")
        counters: dict[str, int] = {}
        index_of = {}
        for person, perspective, _ in people:
            index_of[person.pk] = counters.get(perspective, 0)
            counters[perspective] = index_of[person.pk] + 1
        for number, (opened, closed) in enumerate(
            [(dt.date(2025, 10, 6), dt.date(2025, 10, 24)), (dt.date(2026, 2, 2), None)],
            start=1,
        ):
            health_round = services.health_check_round_open(lead, partnership, opened)
            for person, perspective, _ in people:
                services.health_check_answer(
                    person, health_round, _scores(perspective, index_of[person.pk], number)
                )
            services.health_check_round_close(lead, health_round, closed)
        return partnership, found
