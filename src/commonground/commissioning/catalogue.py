"""The routes and thresholds as data: YAML files under rules/, validated on load against the JSON
Schemas beside them. A broken file is refused with the file and the field named.

`load_rules(directory)` reads a directory (tests point it at a broken copy); `rules()` is the
catalogue shipped with the code, read once per process.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

RULES_DIR = Path(__file__).parent / "rules"

ROUTE_CODES: tuple[str, ...] = (
    "open_procedure",
    "competitive_flexible",
    "below_threshold_competition",
    "below_threshold_direct",
    "light_touch_flexible",
    "direct_award_schedule5",
    "reserved_mutual_s33",
    "reserved_supported_employment_s32",
    "framework_call_off",
    "psr_direct_award_a",
    "psr_direct_award_b",
    "psr_direct_award_c",
    "psr_most_suitable_provider",
    "psr_competitive",
    "grant",
    "subsidy_minimal_financial_assistance",
    "subsidy_spei",
    "subsidy_principles_assessment",
    "community_asset_transfer",
    "community_right_to_bid",
    "community_right_to_challenge",
    "social_outcomes_contract",
    "social_investment",
    "innovation_partnership",
    "alliance_contract",
    "public_public_cooperation",
    "integrated_community_partnership",
)

FAMILIES: dict[str, str] = {
    "procurement": "Procurement",
    "health_care_selection": "Health care provider selection",
    "grant": "Grant",
    "subsidy": "Subsidy",
    "investment": "Investment",
    "asset": "Asset",
    "partnership": "Partnership",
}

PRINCIPLES: dict[str, str] = {
    "long_term_planning": "Long-term planning",
    "integration": "Integration",
    "prevention": "Prevention",
    "collaboration": "Collaboration",
    "communication": "Communication",
    "transparency": "Transparency",
    "trust": "Trust",
    "mutuality_and_fairness": "Mutuality and fairness",
    "flexibility": "Flexibility",
}


class RulesError(ValueError):
    """A rules file is missing, unreadable or does not match its schema."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: {field}: {problem}")


@dataclass(frozen=True)
class ThresholdValue:
    starts: dt.date
    value: float
    source: str
    vat_inclusive: bool | None
    note: str
    unconfirmed: bool


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str
    unit: str
    values: tuple[ThresholdValue, ...]  # oldest first

    def on(self, day: dt.date) -> ThresholdValue | None:
        """The figure in force on `day`, or None before the first one."""
        found = None
        for v in self.values:
            if v.starts <= day:
                found = v
        return found


@dataclass(frozen=True)
class Route:
    code: str
    data: dict[str, Any]
    file: str

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def family(self) -> str:
        return str(self.data["family"])

    def condition(self, rule_id: str) -> dict[str, Any]:
        for c in self.data["conditions"]:
            if c["id"] == rule_id:
                return dict(c)
        raise KeyError(f"{self.file}: conditions: no condition with id {rule_id!r}")


@dataclass(frozen=True)
class Rules:
    routes: dict[str, Route]
    thresholds: dict[str, Threshold]
    reviewed: dt.date
    version: str
    files: tuple[str, ...] = field(default=())
    # How open routes are ranked for the recommendation (rules/recommendation.yaml).
    recommendation: dict[str, Any] = field(default_factory=dict)

    def threshold(self, key: str) -> Threshold:
        return self.thresholds[key]


def _field_path(error: Any) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        # The missing property is in the message, not the path.
        missing = error.message.split("'")[1] if "'" in error.message else ""
        parts.append(missing)
    if error.validator == "additionalProperties" and "'" in error.message:
        parts.append(error.message.split("'")[1])
    return ".".join(parts) or "(top level)"


def _validate(validator: Draft202012Validator, data: Any, file: str) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise RulesError(file, _field_path(first), first.message)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise RulesError(path.name, where, f"not valid YAML: {exc}") from exc
    except OSError as exc:
        raise RulesError(path.name, "(file)", f"cannot be read: {exc}") from exc


def _date(text: str, file: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise RulesError(file, where, f"{text!r} is not a date (YYYY-MM-DD)") from exc


def load_rules(directory: Path = RULES_DIR) -> Rules:
    """Read and validate every rules file in `directory`; raise RulesError naming the first
    problem's file and field."""
    route_schema = json.loads((directory / "route.schema.json").read_text(encoding="utf-8"))
    threshold_schema = json.loads(
        (directory / "thresholds.schema.json").read_text(encoding="utf-8")
    )
    route_validator = Draft202012Validator(route_schema)
    threshold_validator = Draft202012Validator(threshold_schema)
    digest = hashlib.sha256()
    files: list[str] = []

    thresholds_path = directory / "thresholds.yaml"
    raw_t = _read_yaml(thresholds_path)
    _validate(threshold_validator, raw_t, "thresholds.yaml")
    digest.update(thresholds_path.read_bytes())
    files.append("thresholds.yaml")
    thresholds: dict[str, Threshold] = {}
    for key, spec in raw_t["thresholds"].items():
        values = []
        previous: dt.date | None = None
        for i, v in enumerate(spec["values"]):
            where = f"thresholds.{key}.values.{i}.from"
            starts = _date(v["from"], "thresholds.yaml", where)
            if previous is not None and starts <= previous:
                raise RulesError("thresholds.yaml", where, "dates must be in increasing order")
            previous = starts
            values.append(
                ThresholdValue(
                    starts=starts,
                    value=v["value"],
                    source=v["source"],
                    vat_inclusive=v.get("vat_inclusive"),
                    note=v.get("note", ""),
                    unconfirmed=bool(v.get("unconfirmed", False)),
                )
            )
        thresholds[key] = Threshold(key, spec["label"], spec.get("unit", "pence"), tuple(values))
    reviewed = _date(raw_t["reviewed"], "thresholds.yaml", "reviewed")

    weights_path = directory / "recommendation.yaml"
    weights = _read_yaml(weights_path)
    weights_schema = json.loads(
        (directory / "recommendation.schema.json").read_text(encoding="utf-8")
    )
    _validate(Draft202012Validator(weights_schema), weights, "recommendation.yaml")
    digest.update(weights_path.read_bytes())
    files.append("recommendation.yaml")

    routes: dict[str, Route] = {}
    for path in sorted((directory / "routes").glob("*.yaml")):
        data = _read_yaml(path)
        _validate(route_validator, data, f"routes/{path.name}")
        if data["code"] != path.stem:
            raise RulesError(
                f"routes/{path.name}", "code", f"{data['code']!r} must match the file name"
            )
        if data["code"] not in ROUTE_CODES:
            raise RulesError(f"routes/{path.name}", "code", f"{data['code']!r} is not a route code")
        ids = [c["id"] for c in data["conditions"]]
        if len(ids) != len(set(ids)):
            raise RulesError(f"routes/{path.name}", "conditions", "condition ids must be unique")
        routes[data["code"]] = Route(data["code"], data, f"routes/{path.name}")
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        files.append(f"routes/{path.name}")
    missing = [c for c in ROUTE_CODES if c not in routes]
    if missing:
        raise RulesError("routes/", "code", f"no file for route(s): {', '.join(missing)}")
    ordered = {code: routes[code] for code in ROUTE_CODES}
    version = f"{reviewed.isoformat()}+{digest.hexdigest()[:12]}"
    return Rules(ordered, thresholds, reviewed, version, tuple(files), weights)


@functools.cache
def rules() -> Rules:
    """The shipped catalogue, loaded once (the files change only with a deploy)."""
    return load_rules(RULES_DIR)
