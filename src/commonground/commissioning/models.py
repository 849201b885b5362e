"""A saved route appraisal: the answers someone gave, the date they asked about, and the result
the engine produced from the rules version of the day."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Appraisal(models.Model):
    """One person's appraisal of the lawful routes for one service.

    `result` is kept as produced (not recomputed on view) so the record shows what the rules said
    when it was made; `rules_version` names those rules. Private to the author and the people
    they share it with (accounts/permissions/commissioning.py).
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals"
    )
    name = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict)
    decision_date = models.DateField()
    result = models.JSONField(default=dict)
    rules_version = models.CharField(max_length=64)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="appraisals_shared_with_me", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["author", "-updated_at"])]

    def __str__(self) -> str:
        return self.name or f"Appraisal {self.pk} ({self.decision_date:%d %B %Y})"

    @property
    def shared_with_ids(self) -> set[int]:
        """Ids of the users this appraisal is shared with (what the permission rules read)."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "shared_with" in cache:
            return {u.pk for u in cache["shared_with"]}
        if self.pk is None:
            return set()
        return set(self.shared_with.values_list("pk", flat=True))


class ShareStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REPLACED = "replaced", "Replaced by a newer invitation"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AppraisalInvitation(models.Model):
    """An offer, sent by email, to see an appraisal. It names an address, never an account:
    whether the address has an account is not looked up when it is sent, so the sender learns
    nothing about who uses Common Ground, and nothing is added to anyone's list until the
    person signed in with that confirmed address accepts. Only the SHA-256 of the link's random
    secret is kept."""

    # Share links are signed with this salt (core.signed_links).
    LINK_SALT = "commonground.commissioning.share"

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)  # lower-cased
    status = models.CharField(
        max_length=10, choices=ShareStatus.choices, default=ShareStatus.PENDING
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to see appraisal {self.appraisal_id} ({self.status})"
