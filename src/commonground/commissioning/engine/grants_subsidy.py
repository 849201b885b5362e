"""Grant and subsidy routes: money given for a purpose, and the Subsidy Control Act tests it
may have to pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..catalogue import Route
from .context import (
    AVAILABLE,
    AVAILABLE_IF,
    NOT_AVAILABLE,
    SCA_START,
    Ctx,
    Outcome,
    pounds,
)


def r_grant(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if ctx.surely("council_receives_services"):
        return ctx.closed(
            route,
            "no_services_in_return",
            "The council receives services in return for payment, so this is a contract "
            "whatever it is called.",
            because="council_receives_services",
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
    # Whether the recipient trades changes what to check, not whether a grant is possible.
    if a.recipient_carries_on_economic_activity is not False:
        reasons.append(ctx.reason(route, "subsidy_check"))
    return Outcome(AVAILABLE, reasons)


def _subsidy_gate(ctx: Ctx, route: Route) -> Outcome | None:
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
    if ctx.subsidy_amount() == 0:
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
    if not ctx.maybe("recipient_carries_on_economic_activity"):
        return ctx.closed(
            route,
            "enterprise",
            "The recipient does not carry on economic activity, so it is not an enterprise and "
            "the support is not a subsidy.",
            because="recipient_carries_on_economic_activity",
        )
    return None


def _subsidy_amount_reason(ctx: Ctx, route: Route) -> dict[str, Any]:
    parts = []
    if ctx.a.council_receives_services is not True and ctx.a.estimated_value_pence:
        parts.append(f"a grant of {pounds(ctx.a.estimated_value_pence)}")
    if ctx.a.asset_undervalue_pence:
        parts.append(f"an undervalue of {pounds(ctx.a.asset_undervalue_pence)} on land or building")
    return ctx.reason(
        route,
        "subsidy",
        f"Financial assistance of {pounds(ctx.subsidy_amount())} ({' and '.join(parts)}) to an "
        "enterprise.",
    )


def r_subsidy_minimal_financial_assistance(ctx: Ctx, route: Route) -> Outcome:
    gate = _subsidy_gate(ctx, route)
    if gate:
        return gate
    limit = ctx.figure("minimal_financial_assistance")
    assert limit is not None
    total = ctx.subsidy_amount() + ctx.a.prior_subsidy_pence_3y
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
    if db is not None and ctx.subsidy_amount() > db.value:
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
    total = ctx.subsidy_amount() + ctx.a.prior_subsidy_pence_3y
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
    total = ctx.subsidy_amount() + ctx.a.prior_subsidy_pence_3y
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
    if ssopi is not None and ctx.subsidy_amount() >= ssopi.value:
        extra.append(
            {
                "kind": "notice",
                "text": f"At {pounds(ctx.subsidy_amount())} this is a subsidy of particular "
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
