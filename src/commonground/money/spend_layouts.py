"""Council spend layouts: one entry a publisher in layouts/spend.json, so that a new council is
data, not code (ADR 0007, ADR 0030).

A layout names the columns holding the ledger's fields, each with the titles the council has
used for it; titles are matched whatever their case and separators, so 'Supplier Name',
'supplier_name' and 'SupplierName' are one column, and misspellings are listed as aliases.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from commonground.imports.errors import FileRejected

_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


def header_key(title: str) -> str:
    """A column title as matched: its letters and digits, in lower case."""
    return _NOT_LETTERS.sub("", title.casefold())


LAYOUTS_FILE = Path(__file__).parent / "layouts" / "spend.json"
REQUIRED_FIELDS = ("beneficiary", "amount", "date")


@dataclass(frozen=True)
class SpendLayout:
    name: str
    dataset: str
    publisher: str
    # The ledger's field -> the publisher's column titles: the first is the column's name in
    # the ledger, the others its aliases (other spellings, misspellings). Titles match whatever
    # their case, spaces, underscores and punctuation (Title Case, snake_case, CamelCase).
    columns: dict[str, tuple[str, ...]]
    publisher_identifiers: tuple[str, ...] = ()
    place_gss: str = ""
    member_suffix: str | None = None
    encodings: tuple[str, ...] = ("utf-8", "cp1252")
    delimiter: str = ","
    csvw_metadata: str | None = None
    optional: tuple[str, ...] = ()
    redacted_names: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_config(cls, name: str, config: dict[str, Any]) -> SpendLayout:
        missing = [f for f in REQUIRED_FIELDS if f not in config.get("columns", {})]
        if missing:
            raise ValueError(f"spend layout {name!r} has no column for: {', '.join(missing)}")
        return cls(
            name=name,
            dataset=config["dataset"],
            publisher=config.get("publisher", ""),
            columns={
                name: (titles,) if isinstance(titles, str) else tuple(titles)
                for name, titles in config["columns"].items()
            },
            publisher_identifiers=tuple(config.get("publisher_identifiers", ())),
            place_gss=config.get("place_gss", ""),
            member_suffix=config.get("member_suffix"),
            encodings=tuple(config.get("encodings", ("utf-8", "cp1252"))),
            delimiter=config.get("delimiter", ","),
            csvw_metadata=config.get("csvw_metadata"),
            optional=tuple(config.get("optional", ())),
            redacted_names=frozenset(n.casefold() for n in config.get("redacted_names", ())),
        )

    def title(self, name: str) -> str:
        """The column's name in the ledger (its first title), or '' if the layout has none."""
        titles = self.columns.get(name)
        return titles[0] if titles else ""

    def required_columns(self) -> tuple[str, ...]:
        return tuple(t[0] for name, t in self.columns.items() if name not in self.optional)

    def aliases(self) -> dict[str, str]:
        """Every title's key (header_key) -> the column's name in the ledger."""
        return {
            header_key(title): titles[0] for titles in self.columns.values() for title in titles
        }

    def header_notes(self, header: list[str], file_name: str) -> list[str]:
        """What a file's header leaves out or adds: an optional column not found (with the
        unused column it most looks like, which may be a misspelling to add as an alias), and
        the columns the layout does not read (kept in each flow's source record only)."""
        known = {titles[0] for titles in self.columns.values()}
        unused = [h for h in header if h and h not in known]
        by_key = {header_key(h): h for h in unused}
        notes = []
        for name in self.optional:
            title = self.title(name)
            if not title or title in header:
                continue
            near = difflib.get_close_matches(header_key(title), list(by_key), n=1, cutoff=0.75)
            hint = (
                f"; the column '{by_key[near[0]]}' looks like it: if it is, add it to the "
                f"layout's titles for {name}"
                if near
                else ""
            )
            notes.append(
                f"{file_name}: the optional column {title} ({name}) is not in the file, so no "
                f"flow has it{hint}"
            )
        if unused:
            notes.append(
                f"{file_name}: columns the layout '{self.name}' does not read (kept in each "
                f"flow's source record only): {', '.join(unused)}"
            )
        return notes


@cache
def layouts() -> dict[str, SpendLayout]:
    config = json.loads(LAYOUTS_FILE.read_text(encoding="utf-8"))
    return {
        name: SpendLayout.from_config(name, value)
        for name, value in config.items()
        if not name.startswith("_")
    }


def csvw_column_titles(path: Path) -> list[str]:
    """Column titles from CSVW metadata. Trafford's file has trailing commas (not strict JSON):
    they are tolerated, since the columns are what matter."""
    text = path.read_text(encoding="utf-8-sig")
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    try:
        metadata = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRejected(
            path.name, f"the CSVW metadata is not readable JSON: {error.msg}", row=error.lineno
        ) from None
    schema = metadata.get("tableSchema") or {}
    titles = []
    for column in schema.get("columns", []):
        title = column.get("titles") or column.get("name")
        if isinstance(title, list):
            title = title[0] if title else ""
        if title:
            titles.append(str(title))
    return titles
