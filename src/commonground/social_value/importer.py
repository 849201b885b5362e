"""A council's own social value framework from a CSV (UTF-8) or XLSX file, one row a measure,
on the shared import engine: strict (one bad row and nothing is loaded), every error naming the
file, row and field, and re-running the same file changes nothing.

Columns (header row first; the order does not matter):
  required: theme_code, theme_name, outcome_code, outcome_name, measure_code, measure_name, unit
  optional: measure_description, proxy_value_gbp, proxy_source, proxy_source_url, proxy_version
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commonground.imports.engine import ImportContext, Importer, LoadCounts, run_import
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.models import ImportRun
from commonground.imports.readers import Row, check_header, make_row, read_delimited

from .services import SocialValueError, framework_save
from .spec import (
    CODE_PATTERN,
    UNITS,
    FrameworkInvalid,
    FrameworkSpec,
    MeasureSpec,
    OutcomeSpec,
    ThemeSpec,
    pounds_to_pence,
    proxy_problems,
)

DATASET = "social_value_framework"
REQUIRED = (
    "theme_code",
    "theme_name",
    "outcome_code",
    "outcome_name",
    "measure_code",
    "measure_name",
    "unit",
)
OPTIONAL = (
    "measure_description",
    "proxy_value_gbp",
    "proxy_source",
    "proxy_source_url",
    "proxy_version",
)
MAX_ROWS = 5000  # far more measures than any framework has; a bigger file is the wrong file


@dataclass
class FrameworkDetails:
    """What the file does not say about itself: given by whoever imports it."""

    slug: str
    version: str
    name: str
    licence: str
    publisher: str = ""
    source_url: str = ""
    licence_url: str = ""
    description: str = ""
    provenance_note: str = ""


@dataclass
class MeasureRow:
    row_number: int
    theme_code: str
    theme_name: str
    outcome_code: str
    outcome_name: str
    measure: MeasureSpec


def read_xlsx(path: Path, file_name: str) -> Iterator[Row]:
    """The first worksheet's rows, as the delimited reader yields them."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRejected(file_name, f"not a readable XLSX workbook: {error}") from error
    try:
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        first = next(values, None)
        if first is None:
            raise FileRejected(file_name, "the workbook's first sheet is empty")
        header = [_cell(v).strip() for v in first]
        while header and not header[-1]:
            header.pop()
        check_header(header, file_name, REQUIRED, None)
        width = len(header)
        for number, row in enumerate(values, start=2):
            cells = [_cell(v) for v in row][:width]
            cells += [""] * (width - len(cells))
            if all(not c.strip() for c in cells):
                continue
            extra = [_cell(v) for v in row][width:]
            if any(e.strip() for e in extra):
                yield Row(
                    file_name, number, {}, cells + extra, "the row has values beyond the header"
                )
                continue
            yield make_row(file_name, number, header, cells, width)
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class FrameworkImporter(Importer[MeasureRow]):
    dataset = DATASET
    batch_size = MAX_ROWS + 1  # one batch: the framework is checked and saved as a whole

    def __init__(self, details: FrameworkDetails, actor: Any = None) -> None:
        self.details = details
        self.actor = actor
        self.outcome_word = ""
        self.framework_id: int | None = None

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            source: Iterator[Row] = read_xlsx(path, path.name)
        elif suffix == ".csv":
            source = read_delimited(path, encodings=("utf-8",), required_columns=REQUIRED)
        else:
            raise FileRejected(path.name, "the file must be a .csv (UTF-8) or .xlsx file")
        try:
            for count, row in enumerate(source, start=1):
                if count > MAX_ROWS:
                    raise FileRejected(path.name, f"more than {MAX_ROWS} measures", row=row.number)
                if count == 1 and row.data:
                    unknown = [c for c in row.data if c and c not in REQUIRED + OPTIONAL]
                    if unknown:
                        raise FileRejected(
                            path.name,
                            f"unknown column(s): {', '.join(unknown)}. The columns are: "
                            f"{', '.join(REQUIRED + OPTIONAL)}",
                            row=1,
                        )
                yield row
        except FileRejected as error:
            if "encoding" in error.reason:
                error.reason += ". Save the file as 'CSV UTF-8' and try again"
            raise

    def parse(self, row: Row) -> MeasureRow:
        data = {k: (v or "").strip() for k, v in row.data.items()}
        for name in REQUIRED:
            if not data.get(name):
                raise RowRejected("a value is required", name)
        for name in ("theme_code", "outcome_code", "measure_code"):
            if not CODE_PATTERN.match(data[name]):
                raise RowRejected(
                    f"{data[name]!r} is not a code (letters, digits, '.', '-', '_'; up to 40)",
                    name,
                )
        unit = data["unit"].lower()
        if unit not in UNITS:
            raise RowRejected(
                f"{data['unit']!r} is not a unit Common Ground knows; use one of "
                f"{', '.join(sorted(UNITS))}",
                "unit",
            )
        proxy = None
        if data.get("proxy_value_gbp"):
            try:
                proxy = pounds_to_pence(data["proxy_value_gbp"])
            except ValueError as error:
                raise RowRejected(str(error), "proxy_value_gbp") from None
        measure = MeasureSpec(
            code=data["measure_code"],
            name=data["measure_name"],
            unit=unit,
            description=data.get("measure_description", ""),
            proxy_value_pence=proxy,
            proxy_source=data.get("proxy_source", ""),
            proxy_source_url=data.get("proxy_source_url", ""),
            proxy_version=data.get("proxy_version", ""),
        )
        problems = proxy_problems(measure)
        if problems:
            raise RowRejected(problems[0], "proxy_value_gbp")
        return MeasureRow(
            row.number,
            data["theme_code"],
            data["theme_name"],
            data["outcome_code"],
            data["outcome_name"],
            measure,
        )

    def record_key(self, record: MeasureRow) -> str:
        return record.measure.code

    def load(self, records: list[MeasureRow], context: ImportContext) -> LoadCounts:
        file_name = Path(context.run.source).name
        spec = self._spec(records, file_name)
        try:
            framework, word = framework_save(
                spec, origin=f"import: {file_name}", actor=self.actor, source=file_name
            )
        except FrameworkInvalid as error:
            raise FileRejected(file_name, "; ".join(error.problems)) from error
        except SocialValueError as error:
            raise FileRejected(file_name, error.message, field=error.field) from error
        self.outcome_word, self.framework_id = word, framework.pk
        return LoadCounts(
            loaded=len(records) if word == "created" else 0,
            updated=len(records) if word == "updated" else 0,
            unchanged=len(records) if word == "unchanged" else 0,
        )

    def finish(self, context: ImportContext) -> None:
        if self.framework_id is None:
            raise FileRejected(Path(context.run.source).name, "the file has no measures")

    def _spec(self, records: list[MeasureRow], file_name: str) -> FrameworkSpec:
        d = self.details
        spec = FrameworkSpec(
            slug=d.slug,
            version=d.version,
            name=d.name,
            licence=d.licence,
            publisher=d.publisher,
            source_url=d.source_url,
            licence_url=d.licence_url,
            description=d.description,
            provenance_note=d.provenance_note or f"Imported from {file_name}.",
        )
        themes: dict[str, tuple[ThemeSpec, int]] = {}
        outcomes: dict[str, tuple[OutcomeSpec, str, int]] = {}
        for r in records:
            if r.theme_code in themes:
                theme, first = themes[r.theme_code]
                if theme.name != r.theme_name:
                    raise FileRejected(
                        file_name,
                        f"theme {r.theme_code} is named {r.theme_name!r} here but "
                        f"{theme.name!r} on row {first}",
                        row=r.row_number,
                        field="theme_name",
                    )
            else:
                theme = ThemeSpec(r.theme_code, r.theme_name)
                themes[r.theme_code] = (theme, r.row_number)
                spec.themes.append(theme)
            if r.outcome_code in outcomes:
                outcome, theme_code, first = outcomes[r.outcome_code]
                if theme_code != r.theme_code or outcome.name != r.outcome_name:
                    raise FileRejected(
                        file_name,
                        f"outcome {r.outcome_code} differs from row {first} (an outcome has one "
                        "name and belongs to one theme)",
                        row=r.row_number,
                        field="outcome_code",
                    )
            else:
                outcome = OutcomeSpec(r.outcome_code, r.outcome_name)
                outcomes[r.outcome_code] = (outcome, r.theme_code, r.row_number)
                theme.outcomes.append(outcome)
            outcome.measures.append(r.measure)
        return spec


def framework_import(
    path: Path | str, details: FrameworkDetails, actor: Any = None, *, uploaded: bool = False
) -> ImportRun:
    """Import a framework file strictly; the ImportRun says what happened (its `error` names
    the file, row and field when it failed, and then nothing was loaded). An `uploaded` file is
    the actor's own: its run is private to them (and platform administrators)."""
    return run_import(
        FrameworkImporter(details, actor),
        path,
        strict=True,
        uploaded_by=actor if uploaded else None,
    )


def import_uploaded_framework(
    upload: Any, kind: str, details: FrameworkDetails, actor: Any
) -> ImportRun:
    """An uploaded file (already checked by check_upload) through the same strict import, from a
    private temporary copy that is removed afterwards. Errors name the uploaded file."""
    import tempfile

    name = Path(str(upload.name)).stem[:60] or "framework"
    with tempfile.TemporaryDirectory(prefix="cg-framework-") as folder:
        path = Path(folder) / f"{name}.{kind}"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return framework_import(path, details, actor, uploaded=True)
