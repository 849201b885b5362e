"""The routes an organisation can say it is open to, as reviewed data (data/willing_routes.yaml),
each mapped to the commissioning catalogue's route codes so that needs, appraisals and the sector
guide speak of the same routes. Validated against data/willing_routes.schema.json when the
application starts; a broken file stops it, naming the file and field (as the catalogue does).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from commonground.commissioning.catalogue import ROUTE_CODES

DATA_DIR = Path(__file__).parent / "data"
FILE = "willing_routes.yaml"


class WillingRoutesError(ValueError):
    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: {field}: {problem}")


@dataclass(frozen=True)
class WillingRoute:
    code: str
    label: str
    hint: str
    catalogue_routes: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class WillingRoutes:
    routes: dict[str, WillingRoute]
    reviewed: str

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.routes)

    def catalogue_codes(self, willing: Iterable[str]) -> set[str]:
        """The catalogue route codes an organisation open to `willing` is open to."""
        return {
            c for code in willing if code in self.routes for c in self.routes[code].catalogue_routes
        }

    def willing_for(self, catalogue_codes: Iterable[str]) -> set[str]:
        """The willing-route codes that cover any of `catalogue_codes`."""
        wanted = set(catalogue_codes)
        return {r.code for r in self.routes.values() if wanted & set(r.catalogue_routes)}


def _where(error: object) -> str:
    parts = [str(p) for p in getattr(error, "absolute_path", [])]
    message = str(getattr(error, "message", ""))
    if getattr(error, "validator", "") in ("required", "additionalProperties") and "'" in message:
        parts.append(message.split("'")[1])
    return ".".join(parts) or "(top level)"


def load_willing_routes(directory: Path = DATA_DIR) -> WillingRoutes:
    schema = json.loads((directory / "willing_routes.schema.json").read_text(encoding="utf-8"))
    try:
        raw = yaml.safe_load((directory / FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WillingRoutesError(FILE, "(file)", f"cannot be read: {exc}") from exc
    errors = sorted(
        Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.absolute_path)
    )
    if errors:
        raise WillingRoutesError(FILE, _where(errors[0]), errors[0].message)
    routes: dict[str, WillingRoute] = {}
    for i, item in enumerate(raw["routes"]):
        if item["code"] in routes:
            raise WillingRoutesError(FILE, f"routes.{i}.code", f"{item['code']!r} is listed twice")
        for j, code in enumerate(item["catalogue_routes"]):
            if code not in ROUTE_CODES:
                raise WillingRoutesError(
                    FILE, f"routes.{i}.catalogue_routes.{j}", f"{code!r} is not a catalogue route"
                )
        routes[item["code"]] = WillingRoute(
            item["code"], item["label"], item["hint"], tuple(item["catalogue_routes"]), item["why"]
        )
    return WillingRoutes(routes, raw["reviewed"])


@functools.cache
def willing_routes() -> WillingRoutes:
    return load_willing_routes(DATA_DIR)
