"""The sector guide and glossary as reviewed data: YAML files under data/, validated on load
against the JSON Schemas beside them (as the commissioning routes are, ADR 0006). A broken file
is refused with the file and the field named, and the application does not start.

Beyond the schema, the loader checks what a schema cannot: each sector's code is a sector the
atlas records, each route is a code in the routes catalogue, and legal form codes are unique.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from commonground.commissioning.catalogue import ROUTE_CODES
from commonground.organisations.models import Sector

DATA_DIR = Path(__file__).parent / "data"

# The guide's sectors, in the order the pages list them. private_business and unknown are
# sectors the atlas records but not sectors of the social economy this guide explains.
SECTOR_CODES: tuple[str, ...] = (
    Sector.CHARITY.value,
    Sector.SOCIAL_ENTERPRISE.value,
    Sector.COOPERATIVE_MUTUAL.value,
    Sector.COMMUNITY_BUSINESS.value,
    Sector.SOCIAL_FINANCE.value,
    Sector.PUBLIC_BODY.value,
)
PERSPECTIVES = ("commissioner", "provider", "funder", "community")


class SectorsError(ValueError):
    """A sector or glossary file is missing, unreadable or does not match its schema."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: {field}: {problem}")


@dataclass(frozen=True)
class LegalForm:
    code: str
    sector: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def recorded_as(self) -> tuple[str, ...]:
        return tuple(self.data["recorded_as"])


@dataclass(frozen=True)
class SectorEntry:
    code: str
    data: dict[str, Any]
    file: str
    reviewed: dt.date

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def legal_forms(self) -> list[LegalForm]:
        return [LegalForm(f["code"], self.code, f) for f in self.data["legal_forms"]]

    @property
    def route_codes(self) -> list[str]:
        return list(dict.fromkeys(r["route"] for r in self.data["routes"]))

    @property
    def regulators(self) -> list[str]:
        return list(dict.fromkeys(f["regulator"] for f in self.data["legal_forms"]))

    @property
    def sources(self) -> list[str]:
        """Every address the entry cites, in the order first cited."""
        return list(dict.fromkeys(_urls(self.data)))


@dataclass(frozen=True)
class GlossaryTerm:
    code: str
    data: dict[str, Any]

    @property
    def term(self) -> str:
        return str(self.data["term"])

    @property
    def words(self) -> tuple[str, ...]:
        """The term and its other forms, as they may appear in a page's text."""
        return (self.term, *self.data.get("also", ()))


@dataclass(frozen=True)
class Catalogue:
    sectors: dict[str, SectorEntry]
    glossary: dict[str, GlossaryTerm]
    glossary_reviewed: dt.date
    version: str

    def legal_forms(self) -> list[LegalForm]:
        return [form for entry in self.sectors.values() for form in entry.legal_forms]

    def sectors_for_route(self, route_code: str) -> list[tuple[SectorEntry, dict[str, Any]]]:
        """The sectors that can use, or be reached by, a route, with the entry's condition."""
        found = []
        for entry in self.sectors.values():
            for route in entry.data["routes"]:
                if route["route"] == route_code:
                    found.append((entry, route))
        return found


def _urls(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [u for k, v in value.items() for u in (_urls(v) if k != "register_url" else [])]
    if isinstance(value, list):
        return [u for v in value for u in _urls(v)]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return [value]
    return []


def _field_path(error: Any) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator in ("required", "additionalProperties") and "'" in error.message:
        parts.append(error.message.split("'")[1])
    return ".".join(parts) or "(top level)"


def _validate(schema_path: Path, data: Any, file: str) -> None:
    validator = Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise SectorsError(file, _field_path(errors[0]), errors[0].message)


def _read_yaml(path: Path, file: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise SectorsError(file, where, f"not valid YAML: {exc}") from exc
    except OSError as exc:
        raise SectorsError(file, "(file)", f"cannot be read: {exc}") from exc


def _date(text: str, file: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise SectorsError(file, where, f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _check_sector(data: dict[str, Any], file: str, stem: str) -> None:
    if data["code"] != stem:
        raise SectorsError(file, "code", f"{data['code']!r} must match the file name")
    if data["code"] not in SECTOR_CODES:
        raise SectorsError(
            file, "code", f"{data['code']!r} is not a guide sector ({', '.join(SECTOR_CODES)})"
        )
    for i, route in enumerate(data["routes"]):
        if route["route"] not in ROUTE_CODES:
            raise SectorsError(
                file, f"routes.{i}.route", f"{route['route']!r} is not in the routes catalogue"
            )


def load_catalogue(directory: Path = DATA_DIR) -> Catalogue:
    """Read and validate every sector file and the glossary in `directory`; raise SectorsError
    naming the first problem's file and field."""
    digest = hashlib.sha256()
    sectors: dict[str, SectorEntry] = {}
    form_codes: dict[str, str] = {}
    for path in sorted((directory / "sectors").glob("*.yaml")):
        file = f"sectors/{path.name}"
        data = _read_yaml(path, file)
        _validate(directory / "sector.schema.json", data, file)
        _check_sector(data, file, path.stem)
        for i, form in enumerate(data["legal_forms"]):
            if form["code"] in form_codes:
                raise SectorsError(
                    file,
                    f"legal_forms.{i}.code",
                    f"{form['code']!r} is already a legal form in {form_codes[form['code']]}",
                )
            form_codes[form["code"]] = file
        reviewed = _date(data["reviewed"], file, "reviewed")
        sectors[data["code"]] = SectorEntry(data["code"], data, file, reviewed)
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    missing = [code for code in SECTOR_CODES if code not in sectors]
    if missing:
        raise SectorsError("sectors/", "code", f"no file for sector(s): {', '.join(missing)}")

    glossary_path = directory / "glossary.yaml"
    raw = _read_yaml(glossary_path, "glossary.yaml")
    _validate(directory / "glossary.schema.json", raw, "glossary.yaml")
    glossary: dict[str, GlossaryTerm] = {}
    for i, term in enumerate(raw["terms"]):
        if term["code"] in glossary:
            raise SectorsError("glossary.yaml", f"terms.{i}.code", "term codes must be unique")
        glossary[term["code"]] = GlossaryTerm(term["code"], term)
    digest.update(glossary_path.read_bytes())
    glossary_reviewed = _date(raw["reviewed"], "glossary.yaml", "reviewed")

    ordered = {code: sectors[code] for code in SECTOR_CODES}
    newest = max([e.reviewed for e in ordered.values()] + [glossary_reviewed])
    version = f"{newest.isoformat()}+{digest.hexdigest()[:12]}"
    return Catalogue(ordered, glossary, glossary_reviewed, version)


@functools.cache
def catalogue() -> Catalogue:
    """The shipped guide, loaded once (the files change only with a deploy)."""
    return load_catalogue(DATA_DIR)
