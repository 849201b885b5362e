"""`manage.py remind_stale_profiles [--dry-run] [--site-url URL]`: list the partnership profiles
more than a year old whose owners have not been asked to renew them, and email those owners
(each person who acts for the organisation), once per stale period. Meant to run daily."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ...reminders import renewal_reminders_send


class Command(BaseCommand):
    help = "Ask the owners of partnership profiles older than a year to renew them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list them; send nothing")
        parser.add_argument(
            "--site-url",
            default=str(getattr(settings, "COMMONGROUND_SITE_URL", "") or "http://localhost:8000"),
            help="the site's address, for the link in the email",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = renewal_reminders_send(site_url=options["site_url"], dry_run=options["dry_run"])
        verb = "would be asked" if options["dry_run"] else "asked"
        for reminder in reminders:
            profile = reminder.profile
            who = (
                f"{len(reminder.recipients)} people {verb}"
                if reminder.recipients
                else ("nobody acts for it yet; not asked")
            )
            self.stdout.write(
                f"{profile.organisation.name} ({profile.organisation.org_id}): last confirmed "
                f"{profile.confirmed_at:%Y-%m-%d}; {who}"
            )
        self.stdout.write(f"{len(reminders)} stale profiles not yet asked to renew.")
