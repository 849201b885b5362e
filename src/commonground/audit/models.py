"""The audit trail: one row a write, never changed or removed by the application.

Rows point at the acting account; deleting an account turns that account into an anonymous
tombstone (accounts.services.account_delete), so authorship is anonymised without touching a
single audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AuditTrailIsAppendOnly("Audit events cannot be changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    # PROTECT: an account with a history is tombstoned, never deleted (see module docstring).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=80, db_index=True)  # e.g. "membership.approve"
    model = models.CharField(max_length=100, db_index=True)  # app_label.model_name
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # Where the write came from when it was not a web request, e.g. "command: load_demo".
    channel = models.CharField(max_length=100, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.model}#{self.object_id}"

    # The one place the trail defends itself: a saved event is final.
    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")
