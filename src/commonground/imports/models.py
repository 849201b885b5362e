"""Every import is an ImportRun: which file, its checksum, what was read, loaded and rejected."""

from __future__ import annotations

from django.db import models


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

    class Meta:
        ordering = ["-started_at"]

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
