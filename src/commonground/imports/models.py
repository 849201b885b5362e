"""Every import is an ImportRun: which file, its checksum, what was read, loaded and rejected.

Most runs read published open data and are public, like the data they load. A run of a file a
person uploaded (a council's own social value framework) is private: its error and rejected rows
can quote the file, so only its uploader and platform administrators see it (ADR 0062)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from commonground.core.permissions import is_platform_admin, is_signed_in


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    # Importers that report their outcome (Importer.reports_outcome) also say these:
    PARTIAL = "partial", "Partly loaded"  # some rows refused, the rest loaded
    UNCHANGED = "unchanged", "Already loaded"  # every row was already present
    FAILED = "failed", "Failed"

    @classmethod
    def loaded(cls) -> tuple[str, ...]:
        """The statuses of a run whose rows are in the database."""
        return (cls.SUCCEEDED, cls.PARTIAL, cls.UNCHANGED)


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def public(self) -> ImportRunQuerySet:
        """Runs anyone may see: every run but a person's upload."""
        return self.filter(private=False)

    def visible_to(self, user: Any) -> ImportRunQuerySet:
        """The one rule for who sees a run: a public run, anyone; a private run (a person's
        upload), its uploader and platform administrators. Everyone else is told it does not
        exist, so its number says nothing."""
        if is_platform_admin(user):
            return self.all()
        if not is_signed_in(user):
            return self.public()
        return self.filter(Q(private=False) | Q(uploaded_by_id=user.pk))


class ImportRun(models.Model):
    dataset = models.CharField(max_length=80, db_index=True)  # a catalogue dataset code
    importer = models.CharField(max_length=120)
    source = models.CharField(max_length=1000)  # file path or address it was read from
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    strict = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)  # new records
    rows_updated = models.PositiveIntegerField(default=0)  # existing records that changed
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)  # filtered out on purpose
    rows_rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the whole file failed, if it did
    # Who runs it: the machine and process, and on PostgreSQL the server process of its
    # connection, so a run cut off without recording its end is found (engine.py).
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    db_pid = models.PositiveIntegerField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)  # e.g. extra columns ignored
    # A person's upload (run_import's `uploaded_by`): private to them and platform
    # administrators. It stays private if their account is ever removed outright.
    private = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uploaded_by__isnull=True) | Q(private=True),
                name="import_run_upload_is_private",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} #{self.pk} ({self.status})"


class RejectedRow(models.Model):
    """One row the import could not use, and why."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejected_rows")
    file_name = models.CharField(max_length=300, blank=True)
    row_number = models.PositiveIntegerField(null=True)  # 1-based, header is row 1
    field = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    raw = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "row_number"]

    def __str__(self) -> str:
        return f"{self.file_name} row {self.row_number}: {self.reason}"
