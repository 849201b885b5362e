"""The social value part of `make demo` (called by load_demo, after the partnerships demo).
Re-running changes nothing.

Adds commitments, deliveries, evidence links, verification decisions and the partners' own
words to the illustrative Trafford partnership: some deliveries verified by someone from
another perspective, some only claimed, one disputed. Everything goes through the services,
so the same rules and the audit trail apply. All of it is illustrative, like the partnership.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from commonground.audit.origin import command_origin
from commonground.partnerships.models import Partnership

from ...models import Commitment, Measure
from ...selectors import default_framework
from ...services import (
    commitment_create,
    delivery_claim,
    delivery_decide,
    evidence_add_link,
    value_statement_add,
)

TRAFFORD = "E08000009"
YEAR = (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
Q1 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
Q2 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
EVIDENCE = "https://example.org/illustrative-evidence/"

# (measure code, committer, quantity, description,
#  [(period, claimant, quantity, evidence?, decision, decider, note)])
PLAN: list[tuple[str, str, str, str, list[tuple[Any, ...]]]] = [
    (
        "CG-T5.2-A",
        "provider.one@example.org",
        "2000",
        "Residents volunteer as befrienders and walk leaders.",
        [
            (Q1, "provider.one@example.org", "480", True, "verified",
             "lead.commissioner@example.org", "Checked the volunteer sign-in sheets."),
            (Q2, "provider.one@example.org", "520", True, None, None, ""),
        ],
    ),
    (
        "CG-T5.1-A",
        "provider.two@example.org",
        "300",
        "Older people and carers supported with their health and wellbeing.",
        [
            (Q1, "provider.two@example.org", "85", True, "verified", "funder@example.org",
             "Matches the anonymised case list."),
            (Q2, "provider.two@example.org", "90", False, None, None, ""),
        ],
    ),
    (
        "CG-T5.1-B",
        "provider.three@example.org",
        "96",
        "Weekly group sessions in community centres across the borough.",
        [
            (Q1, "provider.three@example.org", "24", True, "verified",
             "resident.one@example.org", "I went to several; the register is right."),
            (Q2, "provider.three@example.org", "30", True, "disputed",
             "lead.commissioner@example.org",
             "The venue bookings show 22 sessions; eight were cancelled in the heatwave."),
        ],
    ),
    (
        "CG-T2.2-A",
        "lead.commissioner@example.org",
        "250000",
        "Pooled budget spent with voluntary, community and social enterprise partners.",
        [
            (Q1, "lead.commissioner@example.org", "61250.00", True, "verified",
             "provider.one@example.org", "Payments received as listed."),
        ],
    ),
]  # fmt: skip

STATEMENTS = [
    (
        "resident.one@example.org",
        "The walking group is the one morning a week my neighbour leaves the house. None of "
        "that shows up as a number, but it is why we come.",
    ),
    (
        "provider.one@example.org",
        "Because the partnership plans over years, not contract cycles, we kept our "
        "befriending volunteers through the winter instead of letting them go.",
    ),
    (
        "lead.commissioner@example.org",
        "Fewer crisis calls from people the partnership already knows: the value is in "
        "problems that did not happen.",
    ),
]


class Command(BaseCommand):
    help = "Load illustrative social value commitments and deliveries for the example partnership."

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(is_example=True, place__gss_code=TRAFFORD).first()
        if partnership is None:
            self.stdout.write(
                "No example partnership in Trafford: run load_demo_partnerships first. "
                "Nothing loaded."
            )
            return
        call_command("load_social_value_frameworks", stdout=io.StringIO())
        if Commitment.objects.filter(partnership=partnership).exists():
            self.stdout.write("The example social value is already loaded.")
            return
        framework = default_framework()
        if framework is None:
            self.stdout.write("No default social value framework is loaded. Nothing loaded.")
            return
        people = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
        needed = {p[1] for p in PLAN} | {d[1] for p in PLAN for d in p[4]}
        needed |= {d[5] for p in PLAN for d in p[4] if d[5]} | {s[0] for s in STATEMENTS}
        missing = sorted(e for e in needed if e not in people)
        if missing:
            self.stdout.write(f"Example people missing ({', '.join(missing)}). Nothing loaded.")
            return
        with command_origin("load_demo_social_value"), transaction.atomic():
            counts = self._load(partnership, framework, people)
        self.stdout.write(
            f"Loaded {counts[0]} commitments and {counts[1]} deliveries for '{partnership.name}' "
            "(illustrative: some verified, some only claimed, one disputed)."
        )

    def _load(self, partnership: Partnership, framework: Any, people: dict[str, User]) -> tuple:
        measures = {m.code: m for m in Measure.objects.filter(framework=framework)}
        commitments = deliveries = 0
        for code, committer, quantity, description, planned in PLAN:
            measure = measures[code]
            commitment = commitment_create(
                people[committer],
                partnership,
                measure=measure,
                quantity=Decimal(quantity),
                unit=measure.unit,
                period_start=YEAR[0],
                period_end=YEAR[1],
                description=description,
            )
            commitments += 1
            for period, claimant, amount, evidenced, decision, decider, note in planned:
                delivery = delivery_claim(
                    people[claimant],
                    commitment,
                    quantity=Decimal(amount),
                    unit=measure.unit,
                    period_start=period[0],
                    period_end=period[1],
                    description="Illustrative example figure.",
                )
                deliveries += 1
                if evidenced:
                    evidence_add_link(
                        people[claimant],
                        delivery,
                        url=f"{EVIDENCE}{code.lower()}-{period[0]:%Y-%m}",
                        description="Illustrative evidence (an example link, not a real record)",
                    )
                if decision:
                    delivery_decide(people[decider], delivery, decision=decision, note=note)
        for email, text in STATEMENTS:
            value_statement_add(people[email], partnership, text=text)
        return commitments, deliveries
