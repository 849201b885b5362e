"""Reads of profiles and services as QuerySet methods (selectors.py builds on them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

STALE_AFTER = dt.timedelta(days=365)


class ProfileQuerySet(models.QuerySet[Any]):
    def open(self) -> ProfileQuerySet:
        """Open to partnership, with or without conditions."""
        return self.filter(open_to_partnership__in=["yes", "conditions"])

    def stale(self, now: dt.datetime | None = None) -> ProfileQuerySet:
        return self.filter(confirmed_at__lt=(now or timezone.now()) - STALE_AFTER)

    def current(self, now: dt.datetime | None = None) -> ProfileQuerySet:
        return self.filter(confirmed_at__gte=(now or timezone.now()) - STALE_AFTER)

    def for_organisations(self, ids: Iterable[int]) -> ProfileQuerySet:
        return self.filter(organisation_id__in=list(ids))


class ServiceQuerySet(models.QuerySet[Any]):
    def active(self) -> ServiceQuerySet:
        return self.filter(status="active")

    def public(self) -> ServiceQuerySet:
        """What the open feed serves: every service, with its places and organisation."""
        return self.select_related("organisation").prefetch_related("places")

    def serving(self, place_ids: Iterable[int]) -> ServiceQuerySet:
        """Services whose areas served include any of `place_ids` (list wards and their local
        authority both if a service for the whole authority should count for a ward)."""
        return self.filter(places__in=list(place_ids)).distinct()

    def of_organisations(self, ids: Iterable[int]) -> ServiceQuerySet:
        return self.filter(organisation_id__in=list(ids))

    def by_organisation(self, organisation: Any) -> ServiceQuerySet:
        return self.filter(organisation=organisation)
