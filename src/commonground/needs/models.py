"""A need published by a commissioner or funder, and what organisations answer it (ADR 0028).

What every respondent was told is kept as `NeedNotice` rows (the need as published, each later
change and each answer to a question), shown to every respondent at once: nobody learns
something the others were not told (equal treatment, Procurement Act 2023 s.16-17 for a
preliminary market engagement).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NeedKind(models.TextChoices):
    CALL_FOR_INTEREST = "call_for_interest", "Call for grant or partnership interest"
    MARKET_ENGAGEMENT = "market_engagement", "Preliminary market engagement"


class NoticeStatus(models.TextChoices):
    NOT_APPLICABLE = "", "Not applicable"
    PUBLISHED = "published", "A preliminary market engagement notice was published"
    WILL_PUBLISH = "will_publish", "A preliminary market engagement notice will be published"
    NOT_PUBLISHING = (
        "not_publishing",
        "No notice: the reasons will be given in the tender notice",
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", "Anyone"
    ORGANISATIONS = "organisations", "Signed-in members of organisations"


class NeedStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Need(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="needs"
    )
    title = models.CharField(max_length=200)
    outcomes = models.TextField(help_text="The outcomes sought, in the owner's words.")
    who_for = models.TextField(help_text="Who the service is for.")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    ward_codes = models.JSONField(default=list, blank=True)  # GSS codes of wards in the place
    budget_min_pence = models.BigIntegerField(null=True, blank=True)
    budget_max_pence = models.BigIntegerField(null=True, blank=True)
    timeline = models.CharField(max_length=300, blank=True)
    route_codes = models.JSONField(default=list, blank=True)  # commissioning catalogue codes
    appraisal = models.ForeignKey(
        "commissioning.Appraisal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    # A saved shortlist from partner search, attached by the owner (organisations it holds).
    shortlist = models.ForeignKey(
        "organisations.Shortlist",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=NeedKind.choices)
    notice_status = models.CharField(
        max_length=20, choices=NoticeStatus.choices, blank=True, default=""
    )
    notice_reference = models.CharField(max_length=300, blank=True)  # a link or notice id
    notice_date = models.DateField(null=True, blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=NeedStatus.choices, default=NeedStatus.DRAFT)
    closes_on = models.DateField()
    is_example = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["closes_on", "pk"]
        indexes = [models.Index(fields=["status", "closes_on"])]

    def __str__(self) -> str:
        return self.title


class NoticeKind(models.TextChoices):
    PUBLISHED = "published", "The need as published"
    CHANGE = "change", "A change after publication"
    ANSWER = "answer", "An answer to a question"


class NeedNotice(models.Model):
    """Something every respondent was told, kept as it was told, in order."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    text = models.TextField()
    content = models.JSONField(default=dict, blank=True)  # the need's fields at the time
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"


class InterestKind(models.TextChoices):
    INTERESTED = "interested", "Interested"
    LEAD = "lead", "Would lead"
    CONSORTIUM = "consortium", "Would join a consortium"
    CAPACITY_ONLY = "capacity_only", "Can offer capacity only"


class InterestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INVITED = "invited", "Invited"


class Interest(models.Model):
    """An organisation's expression of interest in a need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=InterestKind.choices)
    message = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=InterestStatus.choices, default=InterestStatus.RECEIVED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    invitation = models.ForeignKey(
        "partnerships.PartnershipInvitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "organisation"], name="need_interest_one")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in need {self.need_id} ({self.kind})"


class Question(models.Model):
    """A respondent's question. Its answer goes to every respondent at once, never with the
    asker's name."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
