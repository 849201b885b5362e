"""What every route function shares: the statuses, the context of one appraisal (the answers,
the rules and the figures in force on the decision date) and the gates many routes pass through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..answers import Answers, AuthorityType, Nation, Subject
from ..catalogue import Route, Rules, Threshold, ThresholdValue

AVAILABLE = "available"
AVAILABLE_IF = "available_if"
NOT_AVAILABLE = "not_available"
STATUSES = (AVAILABLE, AVAILABLE_IF, NOT_AVAILABLE)
STATUS_LABELS = {
    AVAILABLE: "Available",
    AVAILABLE_IF: "Available if conditions are met",
    NOT_AVAILABLE: "Not available",
}

PA2023_START = dt.date(2025, 2, 24)
PSR_START = dt.date(2024, 1, 1)
SCA_START = dt.date(2023, 1, 4)
WALES_SPPP_START = dt.date(2026, 3, 25)
BETTER_FUTURES_ANNOUNCED = dt.date(2025, 7, 14)

REGIME_LABELS = {
    "pcr2015": "Public Contracts Regulations 2015",
    "pa2023": "Procurement Act 2023 and Procurement Regulations 2024",
    "pcs2015": "Public Contracts (Scotland) Regulations 2015 and Procurement Reform (Scotland) "
    "Act 2014",
    "psr2023": "Health Care Services (Provider Selection Regime) Regulations 2023",
    "none": "Outside procurement law",
}


def pounds(pence: float) -> str:
    value = pence / 100
    return f"£{value:,.0f}" if value == int(value) else f"£{value:,.2f}"


@dataclass
class Outcome:
    status: str
    reasons: list[dict[str, Any]]
    to_confirm: list[dict[str, Any]] = field(default_factory=list)
    extra_obligations: list[dict[str, Any]] = field(default_factory=list)
    regime: str = "none"


class Ctx:
    """What every route function needs: the answers, the rules and the figures of the day."""

    def __init__(self, answers: Answers, catalogue: Rules) -> None:
        self.a = answers
        self.rules = catalogue
        self.day = answers.decision_date
        self.figures: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []
        a = answers
        if a.nation is Nation.scotland:
            self.regime = "pcs2015"
        elif self.day >= PA2023_START:
            self.regime = "pa2023"
        else:
            self.regime = "pcr2015"
        self.is_contract = a.council_receives_services
        self.psr_blockers = self._psr_blockers()
        self.psr = not self.psr_blockers
        self.contract_threshold_key = self._contract_threshold_key()
        self.threshold = self.figure(self.contract_threshold_key)
        assert self.threshold is not None  # the table starts before the earliest decision date
        self.above = a.estimated_value_pence >= self.threshold.value
        self.subsidy_amount = (
            0 if a.council_receives_services else a.estimated_value_pence
        ) + a.asset_undervalue_pence

    # -- figures -------------------------------------------------------------------------------

    def figure(self, key: str) -> ThresholdValue | None:
        """The figure in force on the decision date, remembered for the record."""
        t: Threshold = self.rules.threshold(key)
        v = t.on(self.day)
        if v is not None and key not in self.figures:
            self.figures[key] = {
                "key": key,
                "label": t.label,
                "unit": t.unit,
                "value": v.value,
                "display": pounds(v.value) if t.unit == "pence" else plain(v.value, t.unit),
                "applies_from": v.starts.isoformat(),
                "vat_inclusive": v.vat_inclusive,
                "source": v.source,
                "note": v.note,
                "unconfirmed": v.unconfirmed,
            }
        return v

    def _contract_threshold_key(self) -> str:
        a = self.a
        if a.subject is Subject.works:
            return "works"
        if a.light_touch_service:
            return "light_touch"
        if a.authority_type is AuthorityType.central_government:
            return "goods_services_central"
        return "goods_services_sub_central"

    def _psr_blockers(self) -> list[str]:
        a = self.a
        out = []
        if not a.is_health_care_service:
            out.append("The service is not a health care service, so the PSR does not apply.")
        if a.nation is not Nation.england:
            out.append("The PSR applies to relevant authorities in England only.")
        if self.day < PSR_START:
            out.append(
                "The PSR came into force on 1 January 2024; before that, health care "
                "services were procured under the Public Contracts Regulations 2015."
            )
        if a.authority_type not in (AuthorityType.local_authority, AuthorityType.nhs_body):
            out.append(
                "Only NHS bodies and local or combined authorities are relevant "
                "authorities under the PSR."
            )
        if not a.council_receives_services:
            out.append("Nothing is received in return, so there is no health care contract.")
        return out

    # -- reasons -------------------------------------------------------------------------------

    def reason(self, route: Route, rule_id: str, text: str = "") -> dict[str, Any]:
        c = route.condition(rule_id)
        return {
            "rule": f"{route.code}.{rule_id}",
            "text": text or c["text"],
            "rule_text": c["text"],
            "source": c["source"],
            "unconfirmed": bool(c.get("unconfirmed", False)),
        }

    def threshold_text(self) -> str:
        t = self.threshold
        assert t is not None
        label = self.rules.threshold(self.contract_threshold_key).label.lower()
        side = "at or above" if self.above else "below"
        return (
            f"The estimated value {pounds(self.a.estimated_value_pence)} is {side} the "
            f"{label}, {pounds(t.value)} from {t.starts:%-d %B %Y}."
        )


def plain(value: float, unit: str) -> str:
    if unit == "months":
        return f"{value:g} months"
    return f"{value * 100:g}%"


# -- shared gates ------------------------------------------------------------------------------


def contract_gate(ctx: Ctx, route: Route) -> Outcome | None:
    """Every procurement route needs a contract, and none under the Act applies where the PSR
    does."""
    if not ctx.is_contract:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "is_contract",
                    "The council receives nothing in return, so there is no contract to "
                    "procure; see the grant and subsidy routes.",
                )
            ],
        )
    if ctx.psr:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "not_psr",
                    "This health care service falls under the Provider Selection Regime, "
                    "so it is not procured under the procurement rules; see the PSR routes.",
                )
            ],
        )
    return None


def above_reason(ctx: Ctx, route: Route, rule_id: str = "above_threshold") -> dict[str, Any]:
    return ctx.reason(route, rule_id, ctx.threshold_text())
