"""Answers for the engine tests: a plain English council buying services, changed per case."""

from __future__ import annotations

from typing import Any

from commonground.commissioning.answers import parse_answers
from commonground.commissioning.engine import appraise

BASE: dict[str, Any] = {
    "nation": "england",
    "decision_date": "2026-06-01",
    "authority_type": "local_authority",
    "subject": "services",
    "estimated_value_pence": 10_000_000,
    "duration_months": 24,
    "council_receives_services": True,
}


def answers(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def run(**changes: Any) -> dict[str, Any]:
    return appraise(parse_answers(answers(**changes)))


def by_code(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in result["routes"]}


def pounds(p: float) -> int:
    """Pence from pounds, exact for the figures in the tests."""
    return round(p * 100)
