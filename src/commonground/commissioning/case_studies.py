"""The case-study library: real public service community partnerships as data with sources.

The data lives in case_studies.yaml beside this module (reviewable, one case a block) and is
validated when first read: an unknown route code, a missing source or a duplicate slug fails
loudly rather than showing a half-true precedent. The route appraisal cites these through
`precedents_for(route_code)`; a partnership names the one it resembles by slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from commonground.commissioning.catalogue import ROUTE_CODES as CATALOGUE_ROUTE_CODES

DATA_FILE = Path(__file__).with_name("case_studies.yaml")

# The route codes are the commissioning context's; a case study may only cite those.
ROUTE_CODES = frozenset(CATALOGUE_ROUTE_CODES)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CaseStudyDataError(ValueError):
    """The case-study file is wrong; the message names the case and the field."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Outcome:
    text: str
    source: str


@dataclass(frozen=True)
class CaseStudy:
    slug: str
    title: str
    place_name: str
    year: int
    summary: str
    service: str
    partners: tuple[str, ...]
    routes: tuple[str, ...]
    sources: list[Source]
    route_notes: dict[str, str] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    caveats: str = ""

    def route_note(self, code: str) -> str:
        return self.route_notes.get(code, "")


def _text(case: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = case.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CaseStudyDataError(f"{where}: '{key}' must be non-empty text.")
    return value.strip()


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s]+$", value):
        raise CaseStudyDataError(f"{where}: {value!r} is not a web address.")
    return value


def parse_case_studies(raw: Any) -> list[CaseStudy]:
    """Validate the loaded YAML and build the case studies, in file order."""
    if not isinstance(raw, list) or not raw:
        raise CaseStudyDataError("The case-study file must be a non-empty list of cases.")
    cases: list[CaseStudy] = []
    seen: set[str] = set()
    for index, case in enumerate(raw, start=1):
        if not isinstance(case, dict):
            raise CaseStudyDataError(f"Case {index} must be a mapping of fields.")
        slug = case.get("slug")
        where = f"Case {index} ({slug or 'no slug'})"
        if not isinstance(slug, str) or not SLUG.match(slug):
            raise CaseStudyDataError(f"{where}: 'slug' must be lower-case words and hyphens.")
        if slug in seen:
            raise CaseStudyDataError(f"{where}: the slug is used twice.")
        seen.add(slug)
        year = case.get("year")
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            raise CaseStudyDataError(f"{where}: 'year' must be a year such as 2019.")
        routes = case.get("routes")
        if not isinstance(routes, list) or not routes:
            raise CaseStudyDataError(f"{where}: 'routes' must list at least one route code.")
        for code in routes:
            if code not in ROUTE_CODES:
                raise CaseStudyDataError(f"{where}: route {code!r} is not a known route code.")
        notes = case.get("route_notes") or {}
        if not isinstance(notes, dict):
            raise CaseStudyDataError(f"{where}: 'route_notes' must map route codes to text.")
        for code, note in notes.items():
            if code not in routes:
                raise CaseStudyDataError(f"{where}: a note is given for {code!r}, not a route.")
            if not isinstance(note, str) or not note.strip():
                raise CaseStudyDataError(f"{where}: the note for {code!r} is empty.")
        partners = case.get("partners")
        if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
            raise CaseStudyDataError(f"{where}: 'partners' must be a list of names.")
        sources_raw = case.get("sources")
        if not isinstance(sources_raw, list) or not sources_raw:
            raise CaseStudyDataError(f"{where}: 'sources' must list at least one source.")
        sources = []
        for source in sources_raw:
            if not isinstance(source, dict):
                raise CaseStudyDataError(f"{where}: each source needs a title and a url.")
            sources.append(
                Source(title=_text(source, "title", where), url=_url(source.get("url"), where))
            )
        outcomes = []
        for outcome in case.get("outcomes") or []:
            if not isinstance(outcome, dict):
                raise CaseStudyDataError(f"{where}: each outcome needs text and a source.")
            outcomes.append(
                Outcome(
                    text=_text(outcome, "text", where),
                    source=_url(outcome.get("source"), where),
                )
            )
        cases.append(
            CaseStudy(
                slug=slug,
                title=_text(case, "title", where),
                place_name=_text(case, "place_name", where),
                year=year,
                summary=_text(case, "summary", where),
                service=_text(case, "service", where),
                partners=tuple(partners),
                routes=tuple(routes),
                sources=sources,
                route_notes={k: v.strip() for k, v in notes.items()},
                outcomes=outcomes,
                caveats=_text(case, "caveats", where, required=False),
            )
        )
    return cases


@cache
def all_case_studies() -> tuple[CaseStudy, ...]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return tuple(parse_case_studies(yaml.safe_load(handle)))


def case_study(slug: str) -> CaseStudy | None:
    return next((c for c in all_case_studies() if c.slug == slug), None)


def precedents_for(route_code: str) -> list[CaseStudy]:
    """The case studies that used a route, for the route appraisal to cite."""
    return [c for c in all_case_studies() if route_code in c.routes]


def case_study_choices() -> list[tuple[str, str]]:
    return [(c.slug, f"{c.title} ({c.place_name})") for c in all_case_studies()]
