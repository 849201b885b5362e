"""The partnerships part of `make demo` (called by load_demo). Re-running changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the Trafford demo data for partnerships."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Nothing to load yet.")
