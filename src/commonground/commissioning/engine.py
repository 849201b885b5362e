"""The appraisal engine: answers and a date in, every route out with its status, the reasons
and the rules that decided it. A pure function of its inputs and the rules files: no database,
no clock, no randomness, so the same answers always give the same result and the result can be
stored and shown as the record of what the rules said.

Each route has one function below. A function may only cite conditions that exist in that
route's YAML file (`Ctx.reason` looks them up), so the data a lawyer reviews and the code that
applies it cannot drift apart silently: a missing condition id fails every test run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .answers import Answers, AuthorityType, Nation, Subject
from .catalogue import PRINCIPLES, Route, Rules, Threshold, ThresholdValue, rules

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
                "display": pounds(v.value) if t.unit == "pence" else _plain(v.value, t.unit),
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


def _plain(value: float, unit: str) -> str:
    if unit == "months":
        return f"{value:g} months"
    return f"{value * 100:g}%"


# -- shared gates ------------------------------------------------------------------------------


def _contract_gate(ctx: Ctx, route: Route) -> Outcome | None:
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


def _above_reason(ctx: Ctx, route: Route, rule_id: str = "above_threshold") -> dict[str, Any]:
    return ctx.reason(route, rule_id, ctx.threshold_text())


# -- procurement -------------------------------------------------------------------------------


def r_open_procedure(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if not ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "above_threshold",
                    ctx.threshold_text() + " A below-threshold competition does the same job "
                    "with less process.",
                )
            ],
        )
    return Outcome(AVAILABLE, [_above_reason(ctx, route)], regime=ctx.regime)


def r_competitive_flexible(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if ctx.regime != "pa2023":
        why = (
            "Scottish authorities stay under the Public Contracts (Scotland) Regulations 2015, "
            "which have no competitive flexible procedure."
            if ctx.regime == "pcs2015"
            else "The competitive flexible procedure exists only for procurements started on or "
            "after 24 February 2025. Under the 2015 Regulations the nearest equivalents were the "
            "competitive procedure with negotiation, competitive dialogue, the innovation "
            "partnership and, for light touch services, a process of the council's own design."
        )
        return Outcome(NOT_AVAILABLE, [ctx.reason(route, "regime", why)])
    if not ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "above_threshold", ctx.threshold_text())],
        )
    return Outcome(AVAILABLE, [_above_reason(ctx, route)], regime=ctx.regime)


def _notifiable_reason(ctx: Ctx, route: Route) -> tuple[list[dict[str, Any]], str]:
    a = ctx.a
    if ctx.regime == "pcs2015":
        key = (
            "scotland_regulated_works"
            if a.subject is Subject.works
            else "scotland_regulated_goods_services"
        )
        v = ctx.figure(key)
        if v is not None and a.estimated_value_pence >= v.value:
            return [], (
                f"At {pounds(a.estimated_value_pence)} this is a regulated procurement in "
                f"Scotland (from {pounds(v.value)}): the Procurement Reform (Scotland) Act 2014 "
                "duties apply."
            )
        return [], "Below the Scottish regulated procurement level; follow standing orders."
    central = a.authority_type in (AuthorityType.central_government, AuthorityType.nhs_body)
    key = (
        "notifiable_below_threshold_central"
        if central
        else "notifiable_below_threshold_sub_central"
    )
    v = ctx.figure(key)
    assert v is not None
    if a.estimated_value_pence >= v.value:
        return [
            ctx.reason(
                route
                if route.code == "below_threshold_competition"
                else ctx.rules.routes["below_threshold_competition"],
                "notifiable",
                f"At {pounds(a.estimated_value_pence)} the contract is notifiable (from "
                f"{pounds(v.value)} for this kind of authority on the date).",
            )
        ], ""
    return [], f"Below {pounds(v.value)}, no notice is required; follow standing orders."


def r_below_threshold_competition(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "below_threshold",
                    ctx.threshold_text() + " It is a covered procurement, so the "
                    "above-threshold procedures apply.",
                )
            ],
        )
    reasons = [ctx.reason(route, "below_threshold", ctx.threshold_text())]
    extra, text = _notifiable_reason(ctx, route)
    reasons += extra
    if text:
        reasons.append(ctx.reason(route, "below_threshold", text))
    return Outcome(AVAILABLE, reasons, regime=ctx.regime)


def r_below_threshold_direct(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "below_threshold",
                    ctx.threshold_text() + " A direct award needs a Schedule 5 ground instead.",
                )
            ],
        )
    reasons = [ctx.reason(route, "below_threshold", ctx.threshold_text())]
    confirm = [ctx.reason(route, "standing_orders")]
    if ctx.regime == "pcs2015":
        key = (
            "scotland_regulated_works"
            if ctx.a.subject is Subject.works
            else "scotland_regulated_goods_services"
        )
        v = ctx.figure(key)
        if v is not None and ctx.a.estimated_value_pence >= v.value:
            confirm.append(ctx.reason(route, "scotland_regulated"))
    return Outcome(AVAILABLE_IF, reasons, confirm, regime=ctx.regime)


def r_light_touch_flexible(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if not ctx.a.light_touch_service:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "light_touch_service",
                    "The service is not a light touch service, so the light touch rules do "
                    "not apply.",
                )
            ],
        )
    if not ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "above_light_touch_threshold",
                    ctx.threshold_text() + " Below it, the below-threshold routes apply.",
                )
            ],
        )
    return Outcome(
        AVAILABLE,
        [
            ctx.reason(route, "light_touch_service"),
            _above_reason(ctx, route, "above_light_touch_threshold"),
        ],
        regime=ctx.regime,
    )


def r_direct_award_schedule5(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    a = ctx.a
    if not ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "above_threshold",
                    ctx.threshold_text() + " Below it, see the below-threshold direct award.",
                )
            ],
        )
    strong = []
    if a.novel_or_prototype:
        strong.append(ctx.reason(route, "prototype"))
    if a.only_one_capable_provider:
        strong.append(ctx.reason(route, "single_supplier"))
    if a.extreme_urgency_unforeseeable:
        strong.append(ctx.reason(route, "urgency"))
    if ctx.regime != "pa2023":
        if not strong:
            return Outcome(
                NOT_AVAILABLE,
                [
                    ctx.reason(
                        route,
                        "legacy_grounds",
                        "None of the answers points to a ground for awarding without "
                        "competition (novelty, a single capable provider, extreme urgency).",
                    )
                ],
            )
        return Outcome(
            AVAILABLE_IF,
            [_above_reason(ctx, route)],
            [ctx.reason(route, "legacy_grounds"), *strong],
            regime=ctx.regime,
        )
    possible = list(strong)
    if a.light_touch_service:
        possible.append(ctx.reason(route, "user_choice"))
    if a.incumbent_exists:
        possible.append(ctx.reason(route, "repeat"))
    if not possible:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "prototype",
                    "None of the Schedule 5 grounds fits the answers: the service is not novel, "
                    "more than one provider could deliver it, there is no extreme urgency, no "
                    "incumbent for a repeat award and it is not a light touch user choice "
                    "contract.",
                )
            ],
        )
    return Outcome(AVAILABLE_IF, [_above_reason(ctx, route)], possible, regime=ctx.regime)


def r_reserved_mutual_s33(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    a = ctx.a
    if not (a.light_touch_service and a.reservable_for_mutuals):
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "reservable_service",
                    "The service is not a reservable light touch service.",
                )
            ],
        )
    if not ctx.above:
        return Outcome(NOT_AVAILABLE, [ctx.reason(route, "above_threshold", ctx.threshold_text())])
    term = ctx.figure("mutual_reservation_max_term")
    assert term is not None
    if a.duration_months > term.value:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "max_term",
                    f"The term of {a.duration_months} months is longer than the {term.value:g} "
                    f"months allowed for a reserved contract on this date.",
                )
            ],
        )
    if not a.mutual_eligible:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "mutual_bidders",
                    "The likely partners are not public service mutuals, so a reservation would "
                    "exclude them.",
                )
            ],
        )
    return Outcome(
        AVAILABLE_IF,
        [
            ctx.reason(route, "reservable_service"),
            _above_reason(ctx, route),
            ctx.reason(
                route,
                "max_term",
                f"The term of {a.duration_months} months is within the {term.value:g}-month limit.",
            ),
            ctx.reason(route, "mutual_bidders"),
        ],
        [ctx.reason(route, "no_recent_award")],
        regime=ctx.regime,
    )


def r_reserved_supported_employment_s32(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if not ctx.above:
        return Outcome(NOT_AVAILABLE, [ctx.reason(route, "above_threshold", ctx.threshold_text())])
    share = ctx.figure("supported_employment_share")
    assert share is not None
    pct = f"{ctx.a.supported_employment_share * 100:g}%"
    if ctx.a.supported_employment_share < share.value:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "workforce_share",
                    f"{pct} of the likely providers' workforce are disabled or disadvantaged; "
                    f"the test is at least {share.value * 100:g}%.",
                )
            ],
        )
    return Outcome(
        AVAILABLE,
        [
            _above_reason(ctx, route),
            ctx.reason(
                route,
                "workforce_share",
                f"{pct} of the likely providers' workforce are disabled or disadvantaged, at or "
                f"above the {share.value * 100:g}% test.",
            ),
        ],
        regime=ctx.regime,
    )


def r_framework_call_off(ctx: Ctx, route: Route) -> Outcome:
    if not ctx.is_contract:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "is_contract", "Nothing is received in return: no call-off.")],
        )
    if ctx.psr:
        return Outcome(
            AVAILABLE_IF,
            [ctx.reason(route, "is_contract")],
            [ctx.reason(route, "framework_exists"), ctx.reason(route, "psr_framework")],
            regime="psr2023",
        )
    return Outcome(
        AVAILABLE_IF,
        [ctx.reason(route, "is_contract")],
        [ctx.reason(route, "framework_exists"), ctx.reason(route, "call_off_rules")],
        regime=ctx.regime,
    )


# -- Provider Selection Regime -----------------------------------------------------------------


def _psr_gate(ctx: Ctx, route: Route) -> Outcome | None:
    if ctx.psr:
        return None
    return Outcome(
        NOT_AVAILABLE, [ctx.reason(route, "psr_applies", text) for text in ctx.psr_blockers]
    )


def _a_required(ctx: Ctx) -> bool:
    return ctx.a.incumbent_exists and ctx.a.only_one_capable_provider


def _psr_applies_reason(ctx: Ctx, route: Route) -> dict[str, Any]:
    return ctx.reason(
        route,
        "psr_applies",
        "A health care service commissioned in England by a relevant authority on or after "
        "1 January 2024: the PSR applies.",
    )


def r_psr_direct_award_a(ctx: Ctx, route: Route) -> Outcome:
    gate = _psr_gate(ctx, route)
    if gate:
        return gate
    if not _a_required(ctx):
        why = (
            "There is no existing provider; process A is not for new services."
            if not ctx.a.incumbent_exists
            else "The existing provider is not the only capable provider."
        )
        return Outcome(NOT_AVAILABLE, [ctx.reason(route, "incumbent_only_capable", why)])
    return Outcome(
        AVAILABLE,
        [
            _psr_applies_reason(ctx, route),
            ctx.reason(
                route,
                "incumbent_only_capable",
                "The existing provider is the only capable provider: process A must be used.",
            ),
        ],
        regime="psr2023",
    )


def r_psr_direct_award_b(ctx: Ctx, route: Route) -> Outcome:
    gate = _psr_gate(ctx, route)
    if gate:
        return gate
    if not ctx.a.patient_choice_applies:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "patient_choice", "Patient choice does not apply to this service.")],
        )
    return Outcome(
        AVAILABLE,
        [
            _psr_applies_reason(ctx, route),
            ctx.reason(
                route,
                "patient_choice",
                "Patients choose their provider: process B must be used.",
            ),
        ],
        regime="psr2023",
    )


def _ab_required(ctx: Ctx, route: Route) -> Outcome | None:
    if _a_required(ctx):
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "not_a_or_b", "Direct award process A must be used instead.")],
        )
    if ctx.a.patient_choice_applies:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "not_a_or_b", "Direct award process B must be used instead.")],
        )
    return None


def r_psr_direct_award_c(ctx: Ctx, route: Route) -> Outcome:
    gate = _psr_gate(ctx, route) or _ab_required(ctx, route)
    if gate:
        return gate
    a = ctx.a
    if not a.incumbent_exists:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "incumbent_satisfying", "There is no existing provider.")],
        )
    if not a.incumbent_performing_well:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "incumbent_satisfying",
                    "The existing provider is not satisfying its current contract.",
                )
            ],
        )
    if a.considerable_change:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "no_considerable_change",
                    "The change is considerable, so process C cannot be used.",
                )
            ],
        )
    return Outcome(
        AVAILABLE_IF,
        [
            _psr_applies_reason(ctx, route),
            ctx.reason(
                route,
                "incumbent_satisfying",
                "The existing provider is performing well and likely to satisfy the new contract.",
            ),
            ctx.reason(route, "no_considerable_change", "You said the change is not considerable."),
        ],
        [
            ctx.reason(
                route,
                "incumbent_satisfying",
                "The existing contract is expiring and the incumbent's performance is assessed "
                "and recorded against the key criteria.",
            ),
            ctx.reason(route, "no_considerable_change"),
        ],
        regime="psr2023",
    )


def r_psr_most_suitable_provider(ctx: Ctx, route: Route) -> Outcome:
    gate = _psr_gate(ctx, route) or _ab_required(ctx, route)
    if gate:
        return gate
    return Outcome(
        AVAILABLE_IF,
        [_psr_applies_reason(ctx, route), ctx.reason(route, "not_a_or_b")],
        [ctx.reason(route, "identifiable")],
        regime="psr2023",
    )


def r_psr_competitive(ctx: Ctx, route: Route) -> Outcome:
    gate = _psr_gate(ctx, route) or _ab_required(ctx, route)
    if gate:
        return gate
    return Outcome(
        AVAILABLE,
        [_psr_applies_reason(ctx, route), ctx.reason(route, "not_a_or_b")],
        regime="psr2023",
    )


# -- grant and subsidy -------------------------------------------------------------------------


def r_grant(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if a.council_receives_services:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "no_services_in_return",
                    "The council receives services in return for payment, so this is a "
                    "contract whatever it is called.",
                )
            ],
        )
    if a.estimated_value_pence == 0:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "no_services_in_return", "No money is to be paid.")],
        )
    reasons = [
        ctx.reason(
            route,
            "no_services_in_return",
            "The council receives nothing in return; the terms only govern the use of the money.",
        )
    ]
    if a.recipient_carries_on_economic_activity:
        reasons.append(ctx.reason(route, "subsidy_check"))
    return Outcome(AVAILABLE, reasons)


def _subsidy_gate(ctx: Ctx, route: Route) -> Outcome | None:
    a = ctx.a
    if ctx.day < SCA_START:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "in_force",
                    "The Subsidy Control Act 2022 regime starts on 4 January 2023; this decision "
                    "date falls under the earlier rules, which this tool does not cover.",
                )
            ],
        )
    if ctx.subsidy_amount == 0:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "subsidy",
                    "No financial assistance in the answers: no grant, and no building or land "
                    "below market value. Payment for services bought at a price set by fair "
                    "competition is not normally an advantage.",
                )
            ],
        )
    if not a.recipient_carries_on_economic_activity:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "enterprise",
                    "The recipient does not carry on economic activity, so it is not an "
                    "enterprise and the support is not a subsidy.",
                )
            ],
        )
    return None


def _subsidy_amount_reason(ctx: Ctx, route: Route) -> dict[str, Any]:
    parts = []
    if not ctx.a.council_receives_services and ctx.a.estimated_value_pence:
        parts.append(f"a grant of {pounds(ctx.a.estimated_value_pence)}")
    if ctx.a.asset_undervalue_pence:
        parts.append(f"an undervalue of {pounds(ctx.a.asset_undervalue_pence)} on land or building")
    return ctx.reason(
        route,
        "subsidy",
        f"Financial assistance of {pounds(ctx.subsidy_amount)} ({' and '.join(parts)}) to an "
        "enterprise.",
    )


def r_subsidy_minimal_financial_assistance(ctx: Ctx, route: Route) -> Outcome:
    gate = _subsidy_gate(ctx, route)
    if gate:
        return gate
    limit = ctx.figure("minimal_financial_assistance")
    assert limit is not None
    total = ctx.subsidy_amount + ctx.a.prior_subsidy_pence_3y
    text = (
        f"This award plus {pounds(ctx.a.prior_subsidy_pence_3y)} already received in the window "
        f"makes {pounds(total)}"
    )
    if total > limit.value:
        return Outcome(
            NOT_AVAILABLE,
            [
                _subsidy_amount_reason(ctx, route),
                ctx.reason(route, "within_limit", f"{text}, over the {pounds(limit.value)} limit."),
            ],
        )
    extra = []
    db = ctx.figure("subsidy_database")
    if db is not None and ctx.subsidy_amount > db.value:
        extra.append(
            {
                "kind": "publication",
                "text": f"This award is over {pounds(db.value)}: upload it to the subsidy "
                "database within 3 months.",
                "source": db.source,
                "unconfirmed": False,
            }
        )
    return Outcome(
        AVAILABLE,
        [
            _subsidy_amount_reason(ctx, route),
            ctx.reason(route, "within_limit", f"{text}, within the {pounds(limit.value)} limit."),
        ],
        extra_obligations=extra,
    )


def r_subsidy_spei(ctx: Ctx, route: Route) -> Outcome:
    gate = _subsidy_gate(ctx, route)
    if gate:
        return gate
    limit = ctx.figure("spei_assistance")
    assert limit is not None
    total = ctx.subsidy_amount + ctx.a.prior_subsidy_pence_3y
    if total <= limit.value:
        within = ctx.reason(
            route,
            "within_limit",
            f"{pounds(total)} in the window is within the {pounds(limit.value)} SPEI assistance "
            "limit.",
        )
    else:
        within = ctx.reason(
            route,
            "within_limit",
            f"{pounds(total)} in the window is over the {pounds(limit.value)} SPEI assistance "
            "limit, so only an SPEI subsidy (costs plus reasonable profit, assigned in writing) "
            "is possible.",
        )
    return Outcome(
        AVAILABLE_IF,
        [_subsidy_amount_reason(ctx, route), within],
        [ctx.reason(route, "spei_service")],
    )


def r_subsidy_principles_assessment(ctx: Ctx, route: Route) -> Outcome:
    gate = _subsidy_gate(ctx, route)
    if gate:
        return gate
    mfa = ctx.figure("minimal_financial_assistance")
    assert mfa is not None
    total = ctx.subsidy_amount + ctx.a.prior_subsidy_pence_3y
    reasons = [_subsidy_amount_reason(ctx, route)]
    if total <= mfa.value:
        reasons.append(
            ctx.reason(
                route,
                "assessment",
                "Not needed if you use minimal financial assistance, but open to you.",
            )
        )
    else:
        reasons.append(
            ctx.reason(
                route,
                "assessment",
                f"Over the {pounds(mfa.value)} MFA limit: assess against the principles unless "
                "SPEI assistance or a streamlined route fits.",
            )
        )
    extra = []
    ssopi = ctx.figure("ssopi_referral")
    if ssopi is not None and ctx.subsidy_amount >= ssopi.value:
        extra.append(
            {
                "kind": "notice",
                "text": f"At {pounds(ctx.subsidy_amount)} this is a subsidy of particular "
                f"interest: refer it to the CMA Subsidy Advice Unit (from {pounds(ssopi.value)}).",
                "source": ssopi.source,
                "unconfirmed": False,
            }
        )
        reasons.append(ctx.reason(route, "referral"))
    confirm = []
    if ctx.day >= dt.date(2026, 1, 12):
        confirm.append(ctx.reason(route, "streamlined"))
    return Outcome(AVAILABLE, reasons, confirm, extra_obligations=extra)


# -- assets ------------------------------------------------------------------------------------


def r_community_asset_transfer(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if not a.involves_land_or_building:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "land_or_building", "No building or land is involved.")],
        )
    reasons = [ctx.reason(route, "land_or_building")]
    if a.asset_undervalue_pence and a.recipient_carries_on_economic_activity:
        reasons.append(ctx.reason(route, "subsidy_check"))
    if a.nation is not Nation.england:
        return Outcome(AVAILABLE_IF, reasons, [ctx.reason(route, "england_only")])
    short = ctx.figure("short_tenancy_months")
    assert short is not None
    if a.duration_months <= short.value:
        reasons.append(
            ctx.reason(
                route,
                "short_tenancy",
                f"A term of {a.duration_months} months is a short tenancy ({short.value:g} "
                "months or less): the best consideration duty does not apply.",
            )
        )
        return Outcome(AVAILABLE, reasons)
    gdc = ctx.figure("general_disposal_consent_undervalue")
    assert gdc is not None
    if a.asset_undervalue_pence <= gdc.value:
        text = (
            f"The undervalue of {pounds(a.asset_undervalue_pence)} is within the "
            f"{pounds(gdc.value)} General Disposal Consent: no specific consent is needed if "
            "the disposal promotes the area's wellbeing."
            if a.asset_undervalue_pence
            else "At market value: the best consideration duty is met with proper valuation advice."
        )
        reasons.append(ctx.reason(route, "gdc_undervalue", text))
        return Outcome(AVAILABLE, reasons)
    reasons.append(
        ctx.reason(
            route,
            "gdc_undervalue",
            f"The undervalue of {pounds(a.asset_undervalue_pence)} is over the "
            f"{pounds(gdc.value)} General Disposal Consent limit.",
        )
    )
    return Outcome(
        AVAILABLE_IF,
        reasons,
        [
            ctx.reason(
                route,
                "gdc_undervalue",
                "The Secretary of State gives specific consent to the disposal.",
            )
        ],
    )


def r_community_right_to_bid(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if not a.involves_land_or_building:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "land_or_building", "No building or land is involved.")],
        )
    if a.nation is not Nation.england:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "england_only", "Assets of community value are an English scheme.")],
        )
    if a.asset_listed_as_community_value:
        return Outcome(
            AVAILABLE,
            [
                ctx.reason(route, "listed", "The asset is listed as an asset of community value."),
                ctx.reason(route, "right_to_buy_pending"),
            ],
        )
    return Outcome(
        AVAILABLE_IF,
        [ctx.reason(route, "land_or_building")],
        [
            ctx.reason(
                route,
                "listed",
                "The asset is not listed yet: a community group would first need to nominate it "
                "and the council to list it.",
            )
        ],
    )


def r_community_right_to_challenge(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if a.nation is not Nation.england or a.authority_type is not AuthorityType.local_authority:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "relevant_authority",
                    "The right applies to county, district and London borough councils in England.",
                )
            ],
        )
    if not a.council_receives_services or a.subject is not Subject.services:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "council_service",
                    "This is not a service the council provides or pays for.",
                )
            ],
        )
    return Outcome(
        AVAILABLE_IF,
        [ctx.reason(route, "relevant_authority"), ctx.reason(route, "council_service")],
        [ctx.reason(route, "eoi")],
    )


# -- investment and partnership ----------------------------------------------------------------


def r_social_outcomes_contract(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if not a.council_receives_services:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route, "is_contract", "The council is not paying for outcomes it receives."
                )
            ],
        )
    if not a.outcomes_measurable:
        return Outcome(
            NOT_AVAILABLE,
            [ctx.reason(route, "measurable", "The outcomes cannot yet be defined and measured.")],
        )
    reasons = [ctx.reason(route, "measurable")]
    if a.subject is Subject.services and ctx.day >= BETTER_FUTURES_ANNOUNCED:
        reasons.append(ctx.reason(route, "better_futures"))
    if a.social_investor_interest:
        reasons.append(ctx.reason(route, "investors"))
        return Outcome(AVAILABLE, reasons)
    return Outcome(AVAILABLE_IF, reasons, [ctx.reason(route, "investors")])


def r_social_investment(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if a.counterparty_is_public_body:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "independent_partner",
                    "The partner is a public body; social investment is for independent "
                    "organisations.",
                )
            ],
        )
    reasons = [ctx.reason(route, "independent_partner")]
    if a.recipient_carries_on_economic_activity:
        reasons.append(ctx.reason(route, "subsidy_check"))
    if a.social_investor_interest:
        reasons.append(ctx.reason(route, "investors"))
        return Outcome(AVAILABLE, reasons)
    return Outcome(AVAILABLE_IF, reasons, [ctx.reason(route, "investors")])


def r_innovation_partnership(ctx: Ctx, route: Route) -> Outcome:
    gate = _contract_gate(ctx, route)
    if gate:
        return gate
    if not ctx.a.innovation_required:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "innovation_need",
                    "Solutions already on the market can meet the need.",
                )
            ],
        )
    if not ctx.above:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "above_threshold",
                    ctx.threshold_text() + " Design a phased below-threshold competition instead.",
                )
            ],
        )
    how = {
        "pcr2015": "Started before 24 February 2025: the statutory innovation partnership "
        "procedure (PCR 2015 reg 31) is available.",
        "pa2023": "Under the Procurement Act 2023 the innovation partnership is run as a "
        "competitive flexible procedure designed in phases.",
        "pcs2015": "Scottish authorities have an innovation partnership procedure in the "
        "Public Contracts (Scotland) Regulations 2015.",
    }[ctx.regime]
    return Outcome(
        AVAILABLE,
        [ctx.reason(route, "innovation_need", how), _above_reason(ctx, route)],
        regime=ctx.regime,
    )


def r_alliance_contract(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if not a.council_receives_services:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route, "is_contract", "Nothing is received in return: no alliance contract."
                )
            ],
        )
    if not a.multiple_providers_to_integrate:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "multiple_providers",
                    "There are not several providers' services to bring together.",
                )
            ],
        )
    how = (
        "Selected through the PSR competitive process, since the PSR applies."
        if ctx.psr
        else "Selected through a competition that allows negotiation and co-design."
    )
    return Outcome(
        AVAILABLE,
        [ctx.reason(route, "multiple_providers"), ctx.reason(route, "procured", how)],
        regime="psr2023" if ctx.psr else ctx.regime,
    )


def r_public_public_cooperation(ctx: Ctx, route: Route) -> Outcome:
    if not ctx.a.counterparty_is_public_body:
        return Outcome(
            NOT_AVAILABLE,
            [
                ctx.reason(
                    route,
                    "public_counterparty",
                    "The partner is not a public body or a body the council controls.",
                )
            ],
        )
    return Outcome(
        AVAILABLE_IF,
        [ctx.reason(route, "public_counterparty")],
        [ctx.reason(route, "activity_tests"), ctx.reason(route, "public_interest")],
        regime=ctx.regime,
    )


def r_integrated_community_partnership(ctx: Ctx, route: Route) -> Outcome:
    return Outcome(
        AVAILABLE_IF,
        [ctx.reason(route, "convener")],
        [ctx.reason(route, "component_routes")],
    )


ROUTE_FUNCTIONS: dict[str, Callable[[Ctx, Route], Outcome]] = {
    "open_procedure": r_open_procedure,
    "competitive_flexible": r_competitive_flexible,
    "below_threshold_competition": r_below_threshold_competition,
    "below_threshold_direct": r_below_threshold_direct,
    "light_touch_flexible": r_light_touch_flexible,
    "direct_award_schedule5": r_direct_award_schedule5,
    "reserved_mutual_s33": r_reserved_mutual_s33,
    "reserved_supported_employment_s32": r_reserved_supported_employment_s32,
    "framework_call_off": r_framework_call_off,
    "psr_direct_award_a": r_psr_direct_award_a,
    "psr_direct_award_b": r_psr_direct_award_b,
    "psr_direct_award_c": r_psr_direct_award_c,
    "psr_most_suitable_provider": r_psr_most_suitable_provider,
    "psr_competitive": r_psr_competitive,
    "grant": r_grant,
    "subsidy_minimal_financial_assistance": r_subsidy_minimal_financial_assistance,
    "subsidy_spei": r_subsidy_spei,
    "subsidy_principles_assessment": r_subsidy_principles_assessment,
    "community_asset_transfer": r_community_asset_transfer,
    "community_right_to_bid": r_community_right_to_bid,
    "community_right_to_challenge": r_community_right_to_challenge,
    "social_outcomes_contract": r_social_outcomes_contract,
    "social_investment": r_social_investment,
    "innovation_partnership": r_innovation_partnership,
    "alliance_contract": r_alliance_contract,
    "public_public_cooperation": r_public_public_cooperation,
    "integrated_community_partnership": r_integrated_community_partnership,
}

# Routes whose obligations come from the procurement regime of the day.
_PROCUREMENT_ROUTES = {
    "open_procedure",
    "competitive_flexible",
    "light_touch_flexible",
    "direct_award_schedule5",
    "reserved_mutual_s33",
    "reserved_supported_employment_s32",
    "innovation_partnership",
    "alliance_contract",
}


def _regime_obligations(ctx: Ctx, code: str, outcome: Outcome) -> list[dict[str, Any]]:
    """Duties that attach to the contract rather than the route: social value, KPIs, the
    national policy statements."""
    a = ctx.a
    out: list[dict[str, Any]] = []
    if outcome.status == NOT_AVAILABLE or code not in _PROCUREMENT_ROUTES or ctx.psr:
        return out
    if not ctx.above:
        return out
    if (
        a.subject is Subject.services
        and a.nation is Nation.england
        and code != "light_touch_flexible"
        and code != "reserved_mutual_s33"
    ):
        out.append(
            {
                "kind": "duty",
                "text": "Social Value Act 2012 s.1: before starting, consider how the procurement "
                "might improve the area's economic, social and environmental wellbeing, and "
                "whether to consult.",
                "source": "https://legislation.gov.uk/ukpga/2012/3/2016-04-18/data.html",
                "unconfirmed": False,
            }
        )
    if ctx.regime == "pa2023" and a.nation is Nation.england:
        out.append(
            {
                "kind": "duty",
                "text": "Have regard to the National Procurement Policy Statement (s.13) - "
                "follow it or record reasons for departing.",
                "source": "https://bevanbrittan.com/insights/articles/2025/the-national-procurement-policy-statement",
                "unconfirmed": False,
            }
        )
    kpi = ctx.figure("kpi_publication")
    if (
        ctx.regime == "pa2023"
        and kpi is not None
        and a.estimated_value_pence > kpi.value
        and not a.light_touch_service
    ):
        out.append(
            {
                "kind": "publication",
                "text": f"Over {pounds(kpi.value)}: set at least 3 KPIs and publish them; the "
                "contract details notice gives access to the contract (s.52).",
                "source": kpi.source,
                "unconfirmed": False,
            }
        )
    if a.nation is Nation.wales and ctx.day >= WALES_SPPP_START:
        out.append(
            {
                "kind": "duty",
                "text": "Social Partnership and Public Procurement (Wales) Act 2023 s.24: "
                "socially responsible procurement duty for prescribed contracts; publish "
                "objectives and report annually.",
                "source": "https://legislation.gov.uk/asc/2023/1/section/24/data.htm?view=plain",
                "unconfirmed": False,
            }
        )
    if a.nation is Nation.scotland:
        cb = ctx.figure("scotland_community_benefits")
        if cb is not None and a.estimated_value_pence >= cb.value:
            out.append(
                {
                    "kind": "duty",
                    "text": f"Regulated procurement of {pounds(cb.value)} or more: consider "
                    "community benefit requirements, summarise them in the contract notice and "
                    "report them in the award notice.",
                    "source": "http://www.legislation.gov.uk/asp/2014/12/part/3/crossheading/community-benefit-requirements/enacted?view=plain",
                    "unconfirmed": cb.unconfirmed,
                }
            )
    return out


def _route_result(ctx: Ctx, route: Route) -> dict[str, Any]:
    outcome = ROUTE_FUNCTIONS[route.code](ctx, route)
    data = route.data
    regime = outcome.regime
    obligations = [
        {
            "kind": o["kind"],
            "text": o["text"],
            "source": o["source"],
            "unconfirmed": bool(o.get("unconfirmed", False)),
        }
        for o in data["obligations"]
        if "regimes" not in o or regime in o["regimes"]
    ]
    obligations += outcome.extra_obligations
    obligations += _regime_obligations(ctx, route.code, outcome)
    basis = [
        {
            "citation": b["citation"],
            "url": b["url"],
            "unconfirmed": bool(b.get("unconfirmed", False)),
        }
        for b in data["legal_basis"]
        if "regimes" not in b or regime in b["regimes"] or regime == "none"
    ] or [
        {"citation": b["citation"], "url": b["url"], "unconfirmed": bool(b.get("unconfirmed"))}
        for b in data["legal_basis"]
    ]
    # A route that is not open rests only on the rules that closed it.
    unconfirmed = list(data.get("unconfirmed", [])) if outcome.status != NOT_AVAILABLE else []
    cited = outcome.reasons + outcome.to_confirm
    for r in cited:
        if r["unconfirmed"] and r["rule_text"] not in unconfirmed:
            unconfirmed.append(r["rule_text"])
    for b in basis if outcome.status != NOT_AVAILABLE else []:
        if b["unconfirmed"]:
            unconfirmed.append(f"Legal basis not set out in the fact base: {b['citation']}.")
    for o in obligations if outcome.status != NOT_AVAILABLE else []:
        if o["unconfirmed"] and o["text"] not in unconfirmed:
            unconfirmed.append(o["text"])
    if outcome.status != NOT_AVAILABLE and route.code in _PROCUREMENT_ROUTES | {
        "below_threshold_competition",
        "below_threshold_direct",
    }:
        t = ctx.figures.get(ctx.contract_threshold_key)
        if t and t["unconfirmed"]:
            unconfirmed.append(
                f"The threshold used ({t['display']} from {t['applies_from']}) is not in the "
                "law fact base."
            )
        if ctx.a.nation is Nation.scotland:
            unconfirmed.append(
                "Scottish thresholds are assumed to follow the UK figures; not in the fact base."
            )
        if ctx.a.nation is Nation.northern_ireland:
            unconfirmed.append("Northern Ireland specifics are not in the law fact base.")
    return {
        "code": route.code,
        "name": route.name,
        "family": route.family,
        "summary": data["summary"],
        "status": outcome.status,
        "regime": regime,
        "regime_label": REGIME_LABELS[regime],
        "reasons": [_public_reason(r) for r in outcome.reasons],
        "conditions_to_confirm": [_public_reason(r) for r in outcome.to_confirm],
        "obligations": obligations if outcome.status != NOT_AVAILABLE else [],
        "legal_basis": basis,
        "timeline": data["timeline"],
        "risks": list(data["risks"]),
        "principle_fit": [
            {"principle": key, "label": label, "fit": data["principle_fit"][key]}
            for key, label in PRINCIPLES.items()
        ],
        "principle_note": data["principle_note"],
        "rests_on_unconfirmed": bool(unconfirmed),
        "unconfirmed": unconfirmed,
    }


def _public_reason(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r[k] for k in ("rule", "text", "source", "unconfirmed")}


def appraise(answers: Answers, catalogue: Rules | None = None) -> dict[str, Any]:
    """Every route for these answers on their decision date. Pure and deterministic."""
    catalogue = catalogue or rules()
    ctx = Ctx(answers, catalogue)
    routes = [_route_result(ctx, route) for route in catalogue.routes.values()]
    notes = [
        "The decision date stands for the date the procurement or decision starts: thresholds "
        "apply to procurements commenced on or after the date they change.",
    ]
    t = ctx.figures.get(ctx.contract_threshold_key)
    if t and t["vat_inclusive"] is False:
        notes.append(
            "Thresholds before 1 January 2022 were net of VAT while the value you gave includes "
            "VAT: if the value is near the threshold, compare it without VAT."
        )
    if ctx.regime == "pcr2015":
        notes.append(
            "Before 24 February 2025 the Public Contracts Regulations 2015 applied; procurements "
            "started then stay under them."
        )
    return {
        "rules_version": catalogue.version,
        "decision_date": answers.decision_date.isoformat(),
        "regime": ctx.regime,
        "regime_label": REGIME_LABELS[ctx.regime],
        "psr_applies": ctx.psr,
        "contract_threshold": ctx.contract_threshold_key,
        "above_threshold": ctx.above if ctx.is_contract else None,
        "figures": sorted(ctx.figures.values(), key=lambda f: f["key"]),
        "notes": notes,
        "counts": {s: sum(1 for r in routes if r["status"] == s) for s in STATUSES},
        "routes": routes,
    }
