"""What every route function shares: the statuses, the context of one appraisal (the answers,
the rules and the figures in force on the decision date) and the gates many routes pass through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..answers import FACTS, UNKNOWN, Answers, AuthorityType, Nation, Subject
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
# NHS foundation trusts became central government authorities for the thresholds in August
# 2021 (law fact base 1.1 gives the month; the first of the month is taken).
FOUNDATION_TRUST_CENTRAL = dt.date(2021, 8, 1)
PSR_AUTHORITIES = (
    AuthorityType.local_authority,
    AuthorityType.nhs_trust,
    AuthorityType.nhs_foundation_trust,
    AuthorityType.nhs_body,
)

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
    would_change: list[str] = field(default_factory=list)


class Ctx:
    """What every route function needs: the answers, the rules and the figures of the day.

    Route functions read yes/no answers through `maybe` and `surely`, never directly: an
    "unknown" answer is then taken the way that keeps the route open, and remembered, so the
    route can be shown as available only if that answer is found out (see appraisal.py).
    """

    def __init__(self, answers: Answers, catalogue: Rules) -> None:
        self.a = answers
        self.rules = catalogue
        self.day = answers.decision_date
        self.figures: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []
        self.unknowns: list[str] = []  # answers consulted as unknown by the current route
        a = answers
        if a.nation is Nation.scotland:
            self.regime = "pcs2015"
        elif self.day >= PA2023_START:
            self.regime = "pa2023"
        else:
            self.regime = "pcr2015"
        self.central = self._is_central()
        self.authority_points = self._authority_points()
        self.psr_static_blockers = self._psr_static_blockers()
        health, contract = a.is_health_care_service, a.council_receives_services
        self.psr = not self.psr_static_blockers and health is True and contract is True
        self.psr_possible = (
            not self.psr_static_blockers and health is not False and contract is not False
        )
        self.contract_threshold_key = self._contract_threshold_key()
        self.threshold = self.figure(self.contract_threshold_key)
        assert self.threshold is not None  # the table starts before the earliest decision date
        self.above = a.estimated_value_pence >= self.threshold.value
        self.above_light_touch = self.above
        self.light_touch_unknown_matters = False
        if a.light_touch_service == UNKNOWN and a.subject is Subject.services:
            lt = self.figure("light_touch")
            assert lt is not None
            self.above_light_touch = a.estimated_value_pence >= lt.value
            self.light_touch_unknown_matters = self.above_light_touch != self.above

    # -- answers -------------------------------------------------------------------------------

    def start_route(self) -> None:
        self.unknowns = []

    def _note(self, name: str) -> None:
        if name not in self.unknowns:
            self.unknowns.append(name)

    def maybe(self, name: str) -> bool:
        """True if the answer is yes or unknown (an unknown is remembered): for answers a route
        needs to be yes."""
        value = getattr(self.a, name)
        if value == UNKNOWN:
            self._note(name)
            return True
        return value is True

    def surely(self, name: str) -> bool:
        """True only if the answer is yes (an unknown is remembered): for answers that close a
        route when yes."""
        value = getattr(self.a, name)
        if value == UNKNOWN:
            self._note(name)
            return False
        return value is True

    def closed(
        self, route: Route, rule_id: str, text: str = "", *, because: str = "", change: str = ""
    ) -> Outcome:
        """Not available, with the reason and what would change it: `because` names the
        yes/no answer that closed it (the change is that answer the other way)."""
        if because and not change:
            yes, no = FACTS[because]
            change = f"This route would open if {yes if getattr(self.a, because) is False else no}."
        return Outcome(
            NOT_AVAILABLE,
            [self.reason(route, rule_id, text)],
            would_change=[change] if change else [],
        )

    def subsidy_amount(self) -> int:
        """Financial assistance in the answers: the payment if it is a grant (or might be) and
        any undervalue on land or buildings."""
        grant = 0 if self.surely("council_receives_services") else self.a.estimated_value_pence
        return grant + self.a.asset_undervalue_pence

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

    def _is_central(self) -> bool:
        """Central government authorities for the thresholds: departments and agencies, NHS
        trusts, and NHS foundation trusts from 1 August 2021 (law fact base section 1.1)."""
        kind = self.a.authority_type
        if kind in (AuthorityType.central_government, AuthorityType.nhs_trust):
            return True
        return kind is AuthorityType.nhs_foundation_trust and self.day >= FOUNDATION_TRUST_CENTRAL

    def _authority_points(self) -> list[str]:
        """Unconfirmed points in how the authority is classed, for routes that use a threshold."""
        kind = self.a.authority_type
        if kind is AuthorityType.nhs_body:
            return [
                "Other NHS bodies (such as integrated care boards) are treated as sub-central "
                "authorities; the law fact base does not classify them."
            ]
        nhs_trusts = (AuthorityType.nhs_trust, AuthorityType.nhs_foundation_trust)
        if kind in nhs_trusts and self.central and self.regime == "pa2023":
            return [
                "NHS trusts and foundation trusts are taken to stay central government "
                "authorities under the Procurement Act 2023, as under the 2015 Regulations; the "
                "Act's own definition is not yet checked in the law fact base."
            ]
        return []

    def _contract_threshold_key(self) -> str:
        a = self.a
        if a.subject is Subject.works:
            return "works"
        if a.light_touch_service is True:
            return "light_touch"
        if self.central:
            return "goods_services_central"
        return "goods_services_sub_central"

    def _psr_static_blockers(self) -> list[str]:
        """What keeps the PSR away whatever the yes/no answers say."""
        a = self.a
        out = []
        if a.nation is not Nation.england:
            out.append("The PSR applies to relevant authorities in England only.")
        if self.day < PSR_START:
            out.append(
                "The PSR came into force on 1 January 2024; before that, health care "
                "services were procured under the Public Contracts Regulations 2015."
            )
        if a.authority_type not in PSR_AUTHORITIES:
            out.append(
                "Only NHS bodies and local or combined authorities are relevant "
                "authorities under the PSR."
            )
        return out

    @property
    def psr_blockers(self) -> list[str]:
        out = []
        if self.a.is_health_care_service is False:
            out.append("The service is not a health care service, so the PSR does not apply.")
        out += self.psr_static_blockers
        if self.a.council_receives_services is False:
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

    def threshold_text(self, light_touch: bool = False) -> str:
        """The value against the contract threshold (or, if asked and the service might be
        light touch, the light touch threshold)."""
        key = "light_touch" if light_touch else self.contract_threshold_key
        t = self.rules.threshold(key).on(self.day)
        assert t is not None
        label = self.rules.threshold(key).label.lower()
        above = self.above_light_touch if light_touch else self.above
        side = "at or above" if above else "below"
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
    if not ctx.maybe("council_receives_services"):
        return ctx.closed(
            route,
            "is_contract",
            "The council receives nothing in return, so there is no contract to procure; see "
            "the grant and subsidy routes.",
            because="council_receives_services",
        )
    if not ctx.psr_static_blockers and ctx.surely("is_health_care_service"):
        return ctx.closed(
            route,
            "not_psr",
            "This health care service falls under the Provider Selection Regime, so it is not "
            "procured under the procurement rules; see the PSR routes.",
            because="is_health_care_service",
        )
    return None


def above_reason(ctx: Ctx, route: Route, rule_id: str = "above_threshold") -> dict[str, Any]:
    return ctx.reason(route, rule_id, ctx.threshold_text())
