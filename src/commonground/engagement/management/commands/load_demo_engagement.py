"""The engagement part of `make demo` (called by load_demo). Re-running changes nothing.

One illustrative Trafford round table, marked `is_example=True` and labelled as an example on
every page and in its report: example participants of the four perspectives, statements WRITTEN
AS EXAMPLES for the demo (nobody said them), analysed, with shared statements drafted from the
common ground and some votes recorded. Linked to the example partnership when it is loaded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import Profile
from commonground.engagement import services
from commonground.engagement.models import Conversation
from commonground.partnerships.models import Partnership
from commonground.places.selectors import place_by_gss

TRAFFORD = "E08000009"
TITLE = "Trafford round table: what should partnership mean here? (example)"
CONVENER = "engagement.convener@example.org"
DEMO_PASSWORD = "trafford example round table"  # noqa: S105 - printed for local demo use only
PARTNERSHIP_NAME = "Trafford Later Life Wellbeing Partnership (example)"

PARTICIPANTS = [
    ("Example commissioner A", "commissioner"),
    ("Example commissioner B", "commissioner"),
    ("Example provider A", "provider"),
    ("Example provider B", "provider"),
    ("Example funder A", "funder"),
    ("Example funder B", "funder"),
    ("Example resident A", "community"),
    ("Example resident B", "community"),
]

# (participant index, statement): example statements written for the demo.
STATEMENTS = [
    (0, "We want to work together with providers over ten years, not three-year cycles."),
    (0, "Trust has to replace prescriptive contracts if this is going to work."),
    (0, "We still have to show value for money, and the budget has to balance."),
    (1, "Prevention should be the basis of the service, so we stop cutting it first."),
    (1, "The light touch regime lets us run a competitive process that weights purpose heavily."),
    (1, "Collaboration with the voluntary sector is how we reach the people we never see."),
    (2, "This is not about profit; it is about a partnership built on trust."),
    (2, "We spend half our time writing bids to compete with national firms."),
    (2, "Long-term funding would let us invest in prevention rather than crisis work."),
    (3, "We collaborate with other charities on the ground, yet we compete for every contract."),
    (3, "We are happy to be open-book about our costs and a reasonable surplus."),
    (3, "Working together with residents is what makes our work last."),
    (4, "We fund for the long term because prevention takes years to show results."),
    (4, "Trust-based grants give groups the flexibility to respond to what they hear."),
    (4, "Funders should collaborate around a shared purpose rather than compete for credit."),
    (5, "Impact investment here should serve purpose and the public good, not returns."),
    (5, "We would put money into an alliance if the council shares the risk fairly."),
    (6, "Help us before things go wrong, not after; prevention matters to families here."),
    (6, "If the council and the charities worked together, we would not fall through the gaps."),
    (6, "We have to be able to trust the people running the services in our neighbourhood."),
    (7, "Decisions about our estate should be made on our estate, for the long term."),
    (7, "The day centre went out to tender and the cheapest bidder won."),
    (7, "Keep talking to us and we will trust you."),
]

# (participant index, choice) for each drafted shared statement, in order; the rest pass.
VOTES = [
    ["agree"] * 8,
    ["agree", "agree", "agree", "disagree", "agree", "agree", "agree", "pass"],
    ["agree", "pass", "agree", "agree", "disagree", "disagree", "agree", "agree"],
]


def _convener() -> User:
    user, created = User.objects.get_or_create(
        username=CONVENER, defaults={"email": CONVENER, "first_name": "Example convener"}
    )
    if created:
        # Usable only under the local demo settings, as `make demo` runs.
        if settings.COMMONGROUND_DEMO_PASSWORDS:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    # Convening needs a confirmed address; the example convener's is made up, so it is marked
    # confirmed here, as the example partnership's people are.
    Profile.objects.update_or_create(user=user, defaults={"email_verified_at": timezone.now()})
    return user


class Command(BaseCommand):
    help = "Load the illustrative Trafford round table for engagement (an example)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Conversation.objects.filter(title=TITLE, is_example=True).exists():
            self.stdout.write("The example round table is already loaded.")
            return
        with transaction.atomic():
            convener = _convener()
            partnership = Partnership.objects.filter(name=PARTNERSHIP_NAME).first()
            conversation = services.conversation_create(
                convener,
                title=TITLE,
                kind="round_table",
                prompt=(
                    "What should partnership between the council, providers, funders and "
                    "residents mean in Trafford? (Example prompt for the demo.)"
                ),
                place=place_by_gss(TRAFFORD),
                visibility="public",
                allow_anonymous=True,
                is_example=True,
            )
            if partnership is not None:
                conversation.partnership = partnership
                conversation.save(update_fields=["partnership"])
            participants = [
                services.participant_add(
                    convener, conversation, display_name=name, perspective=perspective
                )
                for name, perspective in PARTICIPANTS
            ]
            for index, text in STATEMENTS:
                services.statement_add(
                    convener, conversation, text=text, participant=participants[index]
                )
            drafts = services.shared_statements_draft(convener, conversation)
            for shared, choices in zip(drafts, VOTES, strict=False):
                for participant, choice in zip(participants, choices, strict=True):
                    services.vote_record(convener, shared, participant, choice)
        self.stdout.write(
            f"Loaded the example round table: {len(STATEMENTS)} example statements, "
            f"{len(drafts)} shared statements drafted, votes on {min(len(drafts), len(VOTES))}."
        )
        if settings.COMMONGROUND_DEMO_PASSWORDS:
            self.stdout.write(f"The example convener signs in as {CONVENER} / {DEMO_PASSWORD}.")
