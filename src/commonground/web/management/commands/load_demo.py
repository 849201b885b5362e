"""Load the Trafford demo place through the data-source catalogue (`make demo` runs this).

Each step is an ordinary import with its own ImportRun, so the Data sources page shows what was
loaded, from which file, with which checksum. Re-running changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from commonground.audit.origin import command_origin

# Order matters only for speed: places first so organisations resolve their postcodes at once;
# identity does not depend on order (ADR 0004).
DEMO_STEPS: list[tuple[str, list[str]]] = [
    ("load_schemes", []),
    ("load_places", []),
    ("import_register", ["links_charity_company"]),
    ("import_register", ["links_mutual_company"]),
    ("import_register", ["trafford_charities"]),
    ("import_register", ["coops_uk"]),
    ("import_register", ["companies_house"]),
    ("import_register", ["ccni_register"]),
    ("import_register", ["gb_lae_codes"]),  # councils, so money and partnerships can name them
    # Money needs the organisations to link payers and recipients; partnerships are built from
    # real Trafford organisations and the money that funds them; social value from partnerships.
    ("load_demo_money", []),
    ("load_demo_partnerships", []),
    # The example people's organisations, and Age UK Trafford's partnership profile.
    ("load_demo_profiles", []),
    ("load_demo_social_value", []),
    ("load_demo_engagement", []),
    # The example need: its matches use the atlas and profiles; it invites into the partnership.
    ("load_demo_needs", []),
]


class Command(BaseCommand):
    help = "Load the Trafford demo data (places, registers, money, partnerships, conversations)."

    def handle(self, *args: Any, **options: Any) -> None:
        with command_origin("load_demo"):
            self._load()

    def _load(self) -> None:
        for number, (command, arguments) in enumerate(DEMO_STEPS, start=1):
            label = " ".join([command, *arguments])
            self.stdout.write(f"[{number}/{len(DEMO_STEPS)}] {label}")
            try:
                call_command(command, *arguments, stdout=self.stdout, stderr=self.stderr)
            except CommandError as error:
                raise CommandError(f"demo step '{label}' failed: {error}") from error
        self.stdout.write(self.style.SUCCESS("The Trafford demo data is loaded."))
