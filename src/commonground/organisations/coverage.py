"""Where an organisation works, from what its registers say (ADR 0022).

The Charity Commission records each charity's area of operation as named areas: a local
authority ("Local Authority: Trafford"), a metropolitan county, "Throughout England", a
country abroad. The Charity Commission's area list, with a GSS code for each area, turns those
names into places. An area wider than one local authority is kept once, with its coverage
(area, region or national), never as one link per local authority; a search within a local
authority then also looks for the wider areas that contain it (`containing_codes`).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from commonground.sources.catalogue import dataset as catalogue_dataset
from commonground.sources.locate import SourceFileMissing, locate

from .models import Coverage

logger = logging.getLogger(__name__)

ENGLAND = "E92000001"
WALES = "W92000004"
ENGLAND_AND_WALES = "K04000001"
# The register of charities operating in one area: the dataset, the area and when it was taken.
AREA_REGISTERS: dict[str, tuple[str, str, str]] = {
    "trafford_charities": ("E08000009", "Trafford", "2023-04-04"),
}


@dataclass(frozen=True)
class Area:
    gss_code: str
    name: str
    coverage: str
    within: tuple[str, ...]  # GSS codes of the wider areas that contain it


def _coverage(kind: str, code: str) -> str | None:
    if kind == "A":  # "throughout England", "throughout London"
        return Coverage.REGION.value if code.startswith("E12") else Coverage.NATIONAL.value
    if kind == "C":  # a metropolitan county or Greater London
        return Coverage.REGION.value if code.startswith("E12") else Coverage.AREA.value
    if kind == "B":  # a local authority, or a shire county (E10)
        return Coverage.AREA.value if code.startswith("E10") else Coverage.LOCAL.value
    return None  # a country abroad or a continent: no place here


def _nations(code: str) -> tuple[str, ...]:
    if code.startswith("E"):
        return (ENGLAND, ENGLAND_AND_WALES)
    if code.startswith("W"):
        return (WALES, ENGLAND_AND_WALES)
    return ()


@lru_cache(maxsize=1)
def areas_by_name() -> dict[str, Area]:
    """The Charity Commission's areas by their name in capitals (the register's spelling)."""
    try:
        path = locate("ccew_area_codes", "areas")
    except SourceFileMissing as error:
        logger.warning("areas of operation are not placed: %s", error)
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_key = {row["key"]: row for row in rows}
    found: dict[str, Area] = {}
    for row in rows:
        code = row["GSS"].strip()
        coverage = _coverage(row["aootype"], code)
        if not code or coverage is None:
            continue
        wider: list[str] = []
        county = by_key.get(f"C-{row['master'].strip()}") if row["aootype"] == "B" else None
        if county is not None and county["GSS"].strip():
            wider.append(county["GSS"].strip())
        if code not in (ENGLAND_AND_WALES,):
            wider += [c for c in _nations(code) if c != code]
        name = " ".join(row["aooname"].split()).upper()
        # "THROUGHOUT ENGLAND" is England, working across it.
        place_name = _title(name.removeprefix("THROUGHOUT "))
        found[name] = Area(code, place_name, coverage, tuple(dict.fromkeys(wider)))
    return found


def _title(name: str) -> str:
    small = {"and", "of", "upon", "on", "the", "in"}
    words = [w.lower() if w.lower() in small else w.capitalize() for w in name.split()]
    return " ".join(words)


def area_for(description: str) -> Area | None:
    """The area a register's description names ("Local Authority: Trafford"), or None."""
    name = description.split(":", 1)[-1]
    return areas_by_name().get(" ".join(name.split()).upper())


@lru_cache(maxsize=512)
def containing_codes(gss_code: str) -> tuple[str, ...]:
    """The place and every wider area a link could name to cover it, closest first."""
    code = gss_code.strip().upper()
    for area in areas_by_name().values():
        if area.gss_code == code:
            return (code, *area.within)
    return (code, *_nations(code))


@dataclass(frozen=True)
class DerivedLink:
    gss_code: str
    place_name: str
    coverage: str
    source: str
    evidence: str
    as_of: str | None


def _register_name(dataset: str) -> str:
    try:
        return catalogue_dataset(dataset).name
    except KeyError:
        return dataset


def works_in_links(facts: list[dict[str, Any]]) -> list[DerivedLink]:
    """The places an organisation works in, from its records' facts (each with `_dataset`)."""
    links: dict[tuple[str, str], DerivedLink] = {}
    for fact in facts:
        dataset = fact["_dataset"]
        register = _register_name(dataset)
        listed = AREA_REGISTERS.get(dataset)
        if listed is not None:
            code, name, as_of = listed
            links[(code, dataset)] = DerivedLink(
                code,
                name,
                Coverage.LOCAL.value,
                dataset,
                f"listed in {register}",
                as_of,
            )
        for description in fact.get("areas_of_operation") or []:
            area = area_for(description)
            if area is None:
                continue
            links.setdefault(
                (area.gss_code, dataset),
                DerivedLink(
                    area.gss_code,
                    area.name,
                    area.coverage,
                    dataset,
                    f"area of operation in the {register}: {description}",
                    None,
                ),
            )
    return sorted(links.values(), key=lambda link: (link.gss_code, link.source))
