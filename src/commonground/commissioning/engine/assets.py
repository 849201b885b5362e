"""Asset routes: transferring or leasing council land and buildings, and assets of community
value."""

from __future__ import annotations

from ..answers import Nation
from ..catalogue import Route
from .context import (
    AVAILABLE,
    AVAILABLE_IF,
    Ctx,
    Outcome,
    pounds,
)


def r_community_asset_transfer(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if not ctx.maybe("involves_land_or_building"):
        return ctx.closed(
            route,
            "land_or_building",
            "No building or land is involved.",
            because="involves_land_or_building",
        )
    reasons = [ctx.reason(route, "land_or_building")]
    if a.asset_undervalue_pence and a.recipient_carries_on_economic_activity is not False:
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
    if not ctx.maybe("involves_land_or_building"):
        return ctx.closed(
            route,
            "land_or_building",
            "No building or land is involved.",
            because="involves_land_or_building",
        )
    if a.nation is not Nation.england:
        return ctx.closed(
            route,
            "england_only",
            "Assets of community value are an English scheme.",
            change="This route is open only to English councils.",
        )
    if ctx.surely("asset_listed_as_community_value"):
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
