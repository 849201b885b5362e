"""Partnership profiles and services: what an organisation's verified members say of it.

Kept apart from the register's facts (organisations.Organisation): nothing here changes what a
register says, and pages show the two side by side, never mixed. Services follow HSDS 3 / Open
Referral UK (ADR 0026): the fields kept are those the platform shows and serves in the feed; an
imported service keeps its whole source record.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .querysets import ProfileQuerySet, ServiceQuerySet


class Openness(models.TextChoices):
    YES = "yes", "Yes"
    CONDITIONS = "conditions", "Yes, with conditions"
    NO = "no", "No"


class IncomeBand(models.TextChoices):
    UNDER_10K = "under_10k", "Under £10,000"
    FROM_10K = "10k_100k", "£10,000 to £100,000"
    FROM_100K = "100k_1m", "£100,000 to £1 million"
    FROM_1M = "1m_10m", "£1 million to £10 million"
    OVER_10M = "over_10m", "Over £10 million"


class PartnershipProfile(models.Model):
    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="partnership_profile"
    )
    summary = models.TextField(blank=True)
    open_to_partnership = models.CharField(
        max_length=10, choices=Openness.choices, default=Openness.YES
    )
    conditions = models.TextField(blank=True)  # what "with conditions" means here
    # Codes of data/willing_routes.yaml (routes.py), each mapped to catalogue route codes.
    routes = models.JSONField(default=list, blank=True)
    people_served_a_year = models.PositiveIntegerField(null=True, blank=True)
    staff = models.PositiveIntegerField(null=True, blank=True)
    volunteers = models.PositiveIntegerField(null=True, blank=True)
    income_band = models.CharField(max_length=10, choices=IncomeBand.choices, blank=True)
    # Governance, each claim with its evidence (a document, a clause, a register entry).
    asset_lock = models.BooleanField(default=False)
    asset_lock_evidence = models.TextField(blank=True)
    member_owned = models.BooleanField(default=False)
    member_owned_evidence = models.TextField(blank=True)
    community_control = models.BooleanField(default=False)
    community_control_evidence = models.TextField(blank=True)
    # [{"name": "Investing in Volunteers", "evidence": "Awarded 2024, certificate ..."}]
    quality_marks = models.JSONField(default=list, blank=True)
    # A role address (partnerships@...), shown only to signed-in commissioners and funders, and
    # only with the consent of whoever gave it (recorded when and by whom).
    contact_email = models.EmailField(blank=True)
    contact_consent_at = models.DateTimeField(null=True, blank=True)
    contact_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Dated: confirmed_at is when an owner last said it is true; stale a year later.
    confirmed_at = models.DateTimeField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    renewal_asked_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: each save must name the version it edited (409 otherwise).
    version = models.PositiveIntegerField(default=1)

    objects = ProfileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Partnership profile of {self.organisation_id}"


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Service(models.Model):
    """A service in HSDS 3 form. `id` is the HSDS id (a UUID), kept from an imported feed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services",
    )
    # The feed's organisation when it is not (yet) in the atlas: HSDS id and name.
    feed_organisation_id = models.CharField(max_length=100, blank=True)
    feed_organisation_name = models.CharField(max_length=500, blank=True)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE, db_index=True
    )
    who_for = models.TextField(blank=True)  # HSDS attributes/ORUK "who it is for", as text
    eligibility = models.TextField(blank=True)  # HSDS eligibility_description
    minimum_age = models.PositiveIntegerField(null=True, blank=True)
    maximum_age = models.PositiveIntegerField(null=True, blank=True)
    how_to_access = models.TextField(blank=True)  # HSDS application_process
    languages = models.JSONField(default=list, blank=True)  # ["English", "Urdu"]
    cost = models.TextField(blank=True)  # HSDS fees_description
    free = models.BooleanField(null=True, blank=True)  # None: not said
    url = models.URLField(max_length=500, blank=True)
    places = models.ManyToManyField("places.Place", blank=True, related_name="+")
    other_areas = models.JSONField(default=list, blank=True)  # feed areas no place matched
    # Where it came from: written on the profile, or an HSDS import (with its record).
    source = models.CharField(max_length=10, default="profile")  # "profile" | "hsds"
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raw = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField()

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
