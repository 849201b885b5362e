"""Asking the owners of a stale partnership profile to renew it (issue 15, ADR 0026).

A profile is stale a year after an owner last confirmed it. `renewal_reminders_send` emails each
person who acts for the organisation (an approved administrator or officer with a confirmed
address) once per stale period: saving or confirming the profile clears `renewal_asked_at`,
so the next time it goes stale they are asked again. Run daily by `remind_stale_profiles`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import Membership, MembershipStatus
from commonground.accounts.services import _send as send_email

from .models import PartnershipProfile
from .services import profile_mark_renewal_asked

ACTING_ROLES = ("admin", "officer")


@dataclass
class Reminder:
    profile: PartnershipProfile
    recipients: list[str] = field(default_factory=list)  # addresses (never printed by the command)


def owners_to_ask(profile: PartnershipProfile) -> list[str]:
    """Addresses of the people who act for the profile's organisation, confirmed, active."""
    return sorted(
        Membership.objects.filter(
            organisation_id=profile.organisation_id,
            status=MembershipStatus.APPROVED,
            role__in=ACTING_ROLES,
            user__is_active=True,
            user__profile__email_verified_at__isnull=False,
        ).values_list("user__email", flat=True)
    )


def due(now: dt.datetime | None = None) -> list[PartnershipProfile]:
    """Stale profiles whose owners have not been asked since they went stale."""
    return list(
        PartnershipProfile.objects.stale(now)
        .filter(renewal_asked_at__isnull=True)
        .select_related("organisation")
        .order_by("confirmed_at", "pk")
    )


def renewal_reminders_send(
    *, site_url: str, now: dt.datetime | None = None, dry_run: bool = False
) -> list[Reminder]:
    """Email the owners of each stale profile not yet asked, and record that they were asked
    (audited). With `dry_run`, only say who would be asked."""
    now = now or timezone.now()
    sent = []
    for profile in due(now):
        reminder = Reminder(profile, owners_to_ask(profile))
        sent.append(reminder)
        if dry_run or not reminder.recipients:
            continue  # nobody to ask yet: asked when someone acts for it
        context = {
            "organisation": profile.organisation.name,
            "confirmed_on": timezone.localtime(profile.confirmed_at).date(),
            "link": site_url.rstrip("/")
            + reverse("profiles:edit", args=[profile.organisation.org_id]),
        }
        with transaction.atomic():
            profile_mark_renewal_asked(profile, now)
            for address in reminder.recipients:
                transaction.on_commit(
                    lambda to=address, said=context: send_email(
                        to,
                        f"Please renew the partnership profile of {said['organisation']}",
                        "profiles/email/renew.txt",
                        said,
                    )
                )
    return sent
