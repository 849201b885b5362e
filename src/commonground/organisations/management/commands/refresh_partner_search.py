"""Bring every organisation's place links and embedding up to date with its records.

Importers keep both in step as they write (ADR 0022); this is for a database loaded before
they did, or after the embedding model changes. Only changed links and changed texts are
written: a second run embeds nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.organisations.models import Organisation
from commonground.organisations.services import organisation_refresh


class Command(BaseCommand):
    help = "Derive place links and embeddings for every organisation (only what changed)."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 20_000):
            organisation_refresh(ids[start : start + 20_000])
        self.stdout.write(f"Checked {len(ids):,} organisations' place links and embeddings.")
