"""A framework as plain data, before it is saved: read from a reviewable TOML file in
`frameworks/` or built from an imported spreadsheet, and validated the same way either way."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .models import Unit

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
UNITS = {u.value for u in Unit}
# The longest text each field holds (the models' max_length): a longer one is refused here,
# naming it, rather than failing the database write (PostgreSQL) or being kept too long
# (SQLite).
FRAMEWORK_LIMITS = {
    "version": 40,
    "name": 200,
    "licence": 200,
    "publisher": 200,
    "source_url": 500,
    "licence_url": 500,
}
NAME_LIMIT = 300  # a theme's, outcome's or measure's name
PROXY_LIMITS = {"proxy_source": 500, "proxy_source_url": 500, "proxy_version": 80}
# £1 billion for one unit of a measure: beyond it a figure is a typing mistake, and far beyond
# it no database column holds it.
MAX_PROXY_PENCE = 100_000_000_000


class FrameworkInvalid(ValueError):
    """What is wrong with a framework's data: every problem, each naming where it is."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass
class MeasureSpec:
    code: str
    name: str
    unit: str
    description: str = ""
    proxy_value_pence: int | None = None
    proxy_source: str = ""
    proxy_source_url: str = ""
    proxy_version: str = ""


@dataclass
class OutcomeSpec:
    code: str
    name: str
    description: str = ""
    measures: list[MeasureSpec] = field(default_factory=list)


@dataclass
class ThemeSpec:
    code: str
    name: str
    description: str = ""
    outcomes: list[OutcomeSpec] = field(default_factory=list)


@dataclass
class FrameworkSpec:
    slug: str
    version: str
    name: str
    licence: str
    description: str = ""
    publisher: str = ""
    source_url: str = ""
    licence_url: str = ""
    provenance_note: str = ""
    is_default: bool = False
    themes: list[ThemeSpec] = field(default_factory=list)

    def measures(self) -> list[MeasureSpec]:
        return [m for t in self.themes for o in t.outcomes for m in o.measures]


def pounds_to_pence(text: str) -> int:
    """'12.34' or '£1,234.5' → pence; ValueError for anything else (negative, more than two
    decimal places, not a number)."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount in pounds") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"{text!r} must be an amount in pounds above zero")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{text!r} has more than two decimal places")
    if amount * 100 > MAX_PROXY_PENCE:
        raise ValueError(f"{text!r} is more than £{MAX_PROXY_PENCE // 100:,}")
    return int(amount * 100)


def validate(spec: FrameworkSpec, source: str) -> None:
    """Raise FrameworkInvalid listing every problem; return quietly when the data is sound."""
    problems: list[str] = []
    if not SLUG_PATTERN.match(spec.slug or ""):
        problems.append(f"framework slug {spec.slug!r} must be lower-case letters, digits, '-'")
    for name in ("version", "name", "licence"):
        if not str(getattr(spec, name) or "").strip():
            problems.append(f"framework {name} is missing")
    problems.extend(_too_long("framework", spec, FRAMEWORK_LIMITS))
    if not spec.themes:
        problems.append("the framework has no themes")
    seen: dict[str, set[str]] = {"theme": set(), "outcome": set(), "measure": set()}

    def check_code(kind: str, code: str, where: str) -> None:
        if not CODE_PATTERN.match(code or ""):
            problems.append(f"{where}: {kind} code {code!r} is not a valid code")
        elif code in seen[kind]:
            problems.append(f"{where}: {kind} code {code!r} is used more than once")
        seen[kind].add(code)

    for theme in spec.themes:
        where = f"theme {theme.code}"
        check_code("theme", theme.code, where)
        if not theme.name.strip():
            problems.append(f"{where}: name is missing")
        problems.extend(_too_long(where, theme, {"name": NAME_LIMIT}))
        if not theme.outcomes:
            problems.append(f"{where}: has no outcomes")
        for outcome in theme.outcomes:
            where = f"outcome {outcome.code}"
            check_code("outcome", outcome.code, where)
            if not outcome.name.strip():
                problems.append(f"{where}: name is missing")
            problems.extend(_too_long(where, outcome, {"name": NAME_LIMIT}))
            if not outcome.measures:
                problems.append(f"{where}: has no measures")
            for measure in outcome.measures:
                where = f"measure {measure.code}"
                check_code("measure", measure.code, where)
                if not measure.name.strip():
                    problems.append(f"{where}: name is missing")
                problems.extend(_too_long(where, measure, {"name": NAME_LIMIT, **PROXY_LIMITS}))
                if measure.unit not in UNITS:
                    problems.append(
                        f"{where}: unit {measure.unit!r} is not one of {', '.join(sorted(UNITS))}"
                    )
                problems.extend(f"{where}: {p}" for p in proxy_problems(measure))
    if problems:
        raise FrameworkInvalid(source, problems)


def _too_long(where: str, item: Any, limits: dict[str, int]) -> list[str]:
    return [
        f"{where}: {name} is longer than {limit} characters"
        for name, limit in limits.items()
        if len(str(getattr(item, name) or "")) > limit
    ]


def proxy_problems(measure: MeasureSpec) -> list[str]:
    """A proxy value needs its source and version; a source without a value is a slip too."""
    if measure.proxy_value_pence is None:
        if measure.proxy_source or measure.proxy_version:
            return ["a proxy source or version is given without a proxy value"]
        return []
    problems = []
    if measure.proxy_value_pence <= 0:
        problems.append("the proxy value must be above zero")
    if not measure.proxy_source.strip():
        problems.append("the proxy value has no source")
    if not measure.proxy_version.strip():
        problems.append("the proxy value has no version")
    if measure.unit == Unit.POUNDS:
        problems.append("a measure counted in pounds is money already and takes no proxy")
    return problems


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value.strip() if isinstance(value, str) else str(value)


def _proxy_pence(data: dict[str, Any], where: str, problems: list[str]) -> int | None:
    value = data.get("proxy_value_gbp")
    if value is None or value == "":
        return None
    try:
        return pounds_to_pence(str(value))
    except ValueError as error:
        problems.append(f"{where}: proxy_value_gbp {error}")
        return None


def from_toml(path: Path) -> FrameworkSpec:
    """Read a framework file; FrameworkInvalid for bad TOML or missing structure."""
    source = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FrameworkInvalid(source, [f"not a readable TOML file: {error}"]) from error
    head = data.get("framework")
    if not isinstance(head, dict):
        raise FrameworkInvalid(source, ["the [framework] table is missing"])
    problems: list[str] = []
    spec = FrameworkSpec(
        slug=_text(head, "slug"),
        version=_text(head, "version"),
        name=_text(head, "name"),
        licence=_text(head, "licence"),
        description=_text(head, "description"),
        publisher=_text(head, "publisher"),
        source_url=_text(head, "source_url"),
        licence_url=_text(head, "licence_url"),
        provenance_note=_text(head, "provenance_note"),
        is_default=bool(head.get("is_default", False)),
    )
    for t in data.get("themes", []):
        theme = ThemeSpec(_text(t, "code"), _text(t, "name"), _text(t, "description"))
        for o in t.get("outcomes", []):
            outcome = OutcomeSpec(_text(o, "code"), _text(o, "name"), _text(o, "description"))
            for m in o.get("measures", []):
                code = _text(m, "code")
                outcome.measures.append(
                    MeasureSpec(
                        code=code,
                        name=_text(m, "name"),
                        unit=_text(m, "unit"),
                        description=_text(m, "description"),
                        proxy_value_pence=_proxy_pence(m, f"measure {code}", problems),
                        proxy_source=_text(m, "proxy_source"),
                        proxy_source_url=_text(m, "proxy_source_url"),
                        proxy_version=_text(m, "proxy_version"),
                    )
                )
            theme.outcomes.append(outcome)
        spec.themes.append(theme)
    if problems:
        raise FrameworkInvalid(source, problems)
    validate(spec, source)
    return spec


def shipped_framework_files() -> list[Path]:
    return sorted(FRAMEWORKS_DIR.glob("*.toml"))
