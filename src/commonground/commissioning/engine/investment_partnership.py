"""Investment and partnership routes: paying for outcomes, social investment, the right to
challenge, innovation and alliance contracts, public-public co-operation and the integrated
community partnership that combines other routes."""

from __future__ import annotations

from typing import Any

from ..answers import AuthorityType, Nation, Subject
from ..catalogue import Route
from .context import (
    AVAILABLE,
    AVAILABLE_IF,
    BETTER_FUTURES_ANNOUNCED,
    NOT_AVAILABLE,
    Ctx,
    Outcome,
    above_reason,
    contract_gate,
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
    if a.subject is not Subject.services or not ctx.maybe("council_receives_services"):
        return ctx.closed(
            route,
            "council_service",
            "This is not a service the council provides or pays for.",
            change="This route would open for a service the council pays for.",
        )
    return Outcome(
        AVAILABLE_IF,
        [ctx.reason(route, "relevant_authority"), ctx.reason(route, "council_service")],
        [ctx.reason(route, "eoi")],
    )


def r_social_outcomes_contract(ctx: Ctx, route: Route) -> Outcome:
    a = ctx.a
    if not ctx.maybe("council_receives_services"):
        return ctx.closed(
            route,
            "is_contract",
            "The council is not paying for outcomes it receives.",
            because="council_receives_services",
        )
    if not ctx.maybe("outcomes_measurable"):
        return ctx.closed(
            route,
            "measurable",
            "The outcomes cannot yet be defined and measured.",
            because="outcomes_measurable",
        )
    reasons = [ctx.reason(route, "measurable")]
    if a.subject is Subject.services and ctx.day >= BETTER_FUTURES_ANNOUNCED:
        reasons.append(ctx.reason(route, "better_futures"))
    return _with_investors(ctx, route, reasons)


def _with_investors(ctx: Ctx, route: Route, reasons: list[dict[str, Any]]) -> Outcome:
    """Investors interested: open; not interested: closed until they are; not known: open if
    they are found."""
    if not ctx.maybe("social_investor_interest"):
        return ctx.closed(
            route,
            "investors",
            "No social investors or community shareholders are interested in funding it.",
            because="social_investor_interest",
        )
    reasons.append(ctx.reason(route, "investors"))
    return Outcome(AVAILABLE, reasons)


def r_social_investment(ctx: Ctx, route: Route) -> Outcome:
    if ctx.surely("counterparty_is_public_body"):
        return ctx.closed(
            route,
            "independent_partner",
            "The partner is a public body; social investment is for independent organisations.",
            because="counterparty_is_public_body",
        )
    reasons = [ctx.reason(route, "independent_partner")]
    if ctx.a.recipient_carries_on_economic_activity is not False:
        reasons.append(ctx.reason(route, "subsidy_check"))
    return _with_investors(ctx, route, reasons)


def r_innovation_partnership(ctx: Ctx, route: Route) -> Outcome:
    gate = contract_gate(ctx, route)
    if gate:
        return gate
    if not ctx.maybe("innovation_required"):
        return ctx.closed(
            route,
            "innovation_need",
            "Solutions already on the market can meet the need.",
            because="innovation_required",
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
        [ctx.reason(route, "innovation_need", how), above_reason(ctx, route)],
        regime=ctx.regime,
    )


def r_alliance_contract(ctx: Ctx, route: Route) -> Outcome:
    if not ctx.maybe("council_receives_services"):
        return ctx.closed(
            route,
            "is_contract",
            "Nothing is received in return: no alliance contract.",
            because="council_receives_services",
        )
    if not ctx.maybe("multiple_providers_to_integrate"):
        return ctx.closed(
            route,
            "multiple_providers",
            "There are not several providers' services to bring together.",
            because="multiple_providers_to_integrate",
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
    if not ctx.maybe("counterparty_is_public_body"):
        return ctx.closed(
            route,
            "public_counterparty",
            "The partner is not a public body or a body the council controls.",
            because="counterparty_is_public_body",
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
