"""Routes of the procurement family: competitions above and below the thresholds, direct
awards, reservations and call-offs."""

from __future__ import annotations

from typing import Any

from ..answers import Subject
from ..catalogue import Route
from .context import (
    AVAILABLE,
    AVAILABLE_IF,
    NOT_AVAILABLE,
    Ctx,
    Outcome,
    above_reason,
    contract_gate,
    pounds,
)


def r_open_procedure(ctx: Ctx, route: Route) -> Outcome:
    gate = contract_gate(ctx, route)
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
    return Outcome(AVAILABLE, [above_reason(ctx, route)], regime=ctx.regime)


def r_competitive_flexible(ctx: Ctx, route: Route) -> Outcome:
    gate = contract_gate(ctx, route)
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
    return Outcome(AVAILABLE, [above_reason(ctx, route)], regime=ctx.regime)


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
    central = ctx.central
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
    gate = contract_gate(ctx, route)
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
    gate = contract_gate(ctx, route)
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
    gate = contract_gate(ctx, route)
    if gate:
        return gate
    if not ctx.maybe("light_touch_service"):
        return ctx.closed(
            route,
            "light_touch_service",
            "The service is not a light touch service, so the light touch rules do not apply.",
            because="light_touch_service",
        )
    if not ctx.above_light_touch:
        return ctx.closed(
            route,
            "above_light_touch_threshold",
            ctx.threshold_text(light_touch=True) + " Below it, the below-threshold routes apply.",
            change="This route would open at a value at or above the light touch threshold.",
        )
    return Outcome(
        AVAILABLE,
        [
            ctx.reason(route, "light_touch_service"),
            ctx.reason(route, "above_light_touch_threshold", ctx.threshold_text(light_touch=True)),
        ],
        regime=ctx.regime,
    )


def r_direct_award_schedule5(ctx: Ctx, route: Route) -> Outcome:
    gate = contract_gate(ctx, route)
    if gate:
        return gate
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
    if ctx.maybe("novel_or_prototype"):
        strong.append(ctx.reason(route, "prototype"))
    if ctx.maybe("only_one_capable_provider"):
        strong.append(ctx.reason(route, "single_supplier"))
    if ctx.maybe("extreme_urgency_unforeseeable"):
        strong.append(ctx.reason(route, "urgency"))
    if ctx.regime != "pa2023":
        if not strong:
            return ctx.closed(
                route,
                "legacy_grounds",
                "None of the answers points to a ground for awarding without competition "
                "(novelty, a single capable provider, extreme urgency).",
                change="This route would open if the service were novel, only one provider "
                "could deliver it, or there were unforeseeable extreme urgency.",
            )
        return Outcome(
            AVAILABLE_IF,
            [above_reason(ctx, route)],
            [ctx.reason(route, "legacy_grounds"), *strong],
            regime=ctx.regime,
        )
    possible = list(strong)
    if ctx.maybe("light_touch_service"):
        possible.append(ctx.reason(route, "user_choice"))
    if ctx.maybe("incumbent_exists"):
        possible.append(ctx.reason(route, "repeat"))
    if not possible:
        return ctx.closed(
            route,
            "prototype",
            "None of the Schedule 5 grounds fits the answers: the service is not novel, more "
            "than one provider could deliver it, there is no extreme urgency, no incumbent for "
            "a repeat award and it is not a light touch user choice contract.",
            change="This route would open if one of those grounds applied.",
        )
    return Outcome(AVAILABLE_IF, [above_reason(ctx, route)], possible, regime=ctx.regime)


def r_reserved_mutual_s33(ctx: Ctx, route: Route) -> Outcome:
    gate = contract_gate(ctx, route)
    if gate:
        return gate
    a = ctx.a
    for name in ("light_touch_service", "reservable_for_mutuals"):
        if not ctx.maybe(name):
            return ctx.closed(
                route,
                "reservable_service",
                "The service is not a reservable light touch service.",
                because=name,
            )
    if not ctx.above_light_touch:
        return ctx.closed(
            route,
            "above_threshold",
            ctx.threshold_text(light_touch=True),
            change="This route would open at a value at or above the light touch threshold.",
        )
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
    if not ctx.maybe("mutual_eligible"):
        return ctx.closed(
            route,
            "mutual_bidders",
            "The likely partners are not public service mutuals, so a reservation would "
            "exclude them.",
            because="mutual_eligible",
        )
    return Outcome(
        AVAILABLE_IF,
        [
            ctx.reason(route, "reservable_service"),
            ctx.reason(route, "above_threshold", ctx.threshold_text(light_touch=True)),
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
    gate = contract_gate(ctx, route)
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
            above_reason(ctx, route),
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
    if not ctx.maybe("council_receives_services"):
        return ctx.closed(
            route,
            "is_contract",
            "Nothing is received in return: no call-off.",
            because="council_receives_services",
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
