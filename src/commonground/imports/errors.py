"""Errors an import reports: every message names the file, and the row and field where known."""

from __future__ import annotations


class FileRejected(Exception):
    """The whole file cannot be used; nothing from it is loaded."""

    def __init__(
        self, file_name: str, reason: str, row: int | None = None, field: str = ""
    ) -> None:
        self.file_name = file_name
        self.reason = reason
        self.row = row
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.file_name
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.reason}"


class RowRejected(Exception):
    """One row cannot be used; it is reported and skipped (or, when strict, stops the import)."""

    def __init__(self, reason: str, field: str = "") -> None:
        self.reason = reason
        self.field = field
        super().__init__(reason)


class StrictImportFailed(Exception):
    """A strict import met a bad row: nothing is loaded."""
