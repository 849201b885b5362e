"""What the fetch command downloaded (or found in the mirror), with checksums."""

from __future__ import annotations

from django.db import models


class FetchedFile(models.Model):
    dataset = models.CharField(max_length=80, db_index=True)
    file_key = models.CharField(max_length=120)
    origin = models.CharField(max_length=1000)  # the address or mirror path it came from
    path = models.CharField(max_length=1000)  # where it is on this machine
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "file_key"], name="fetched_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset}/{self.file_key}"
