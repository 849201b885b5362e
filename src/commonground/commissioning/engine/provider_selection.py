"""Routes of the health care Provider Selection Regime (England, from 1 January 2024)."""

from __future__ import annotations

from typing import Any

from ..catalogue import Route
from .context import (
    AVAILABLE,
    AVAILABLE_IF,
    NOT_AVAILABLE,
    Ctx,
    Outcome,
)


def _psr_gate(ctx: Ctx, route: Route) -> Outcome | None:
    """The PSR routes need the PSR to apply; an unknown health care or contract answer leaves
    them open only if it is found out."""
    if ctx.psr_possible:
        ctx.maybe("is_health_care_service")
        ctx.maybe("council_receives_services")
        return None
    change = (
        "This route would open for a health care contract commissioned in England by a "
        "relevant authority on or after 1 January 2024."
    )
    return Outcome(
        NOT_AVAILABLE,
        [ctx.reason(route, "psr_applies", text) for text in ctx.psr_blockers],
        would_change=[change],
    )


def _a_required(ctx: Ctx) -> bool:
    """Process A must be used: definitely an incumbent that is the only capable provider."""
    return ctx.surely("incumbent_exists") and ctx.surely("only_one_capable_provider")


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
    if not ctx.maybe("incumbent_exists"):
        return ctx.closed(
            route,
            "incumbent_only_capable",
            "There is no existing provider; process A is not for new services.",
            because="incumbent_exists",
        )
    if not ctx.maybe("only_one_capable_provider"):
        return ctx.closed(
            route,
            "incumbent_only_capable",
            "The existing provider is not the only capable provider.",
            because="only_one_capable_provider",
        )
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
    if not ctx.maybe("patient_choice_applies"):
        return ctx.closed(
            route,
            "patient_choice",
            "Patient choice does not apply to this service.",
            because="patient_choice_applies",
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
        return ctx.closed(
            route,
            "not_a_or_b",
            "Direct award process A must be used instead.",
            because="only_one_capable_provider",
        )
    if ctx.surely("patient_choice_applies"):
        return ctx.closed(
            route,
            "not_a_or_b",
            "Direct award process B must be used instead.",
            because="patient_choice_applies",
        )
    return None


def r_psr_direct_award_c(ctx: Ctx, route: Route) -> Outcome:
    gate = _psr_gate(ctx, route) or _ab_required(ctx, route)
    if gate:
        return gate
    if not ctx.maybe("incumbent_exists"):
        return ctx.closed(
            route,
            "incumbent_satisfying",
            "There is no existing provider.",
            because="incumbent_exists",
        )
    if not ctx.maybe("incumbent_performing_well"):
        return ctx.closed(
            route,
            "incumbent_satisfying",
            "The existing provider is not satisfying its current contract.",
            because="incumbent_performing_well",
        )
    if ctx.surely("considerable_change"):
        return ctx.closed(
            route,
            "no_considerable_change",
            "The change is considerable, so process C cannot be used.",
            because="considerable_change",
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
