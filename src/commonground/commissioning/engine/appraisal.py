"""`appraise`: every route of the catalogue for one set of answers, each with its status, the
reasons, what to confirm, its duties and the unconfirmed law it rests on."""

from __future__ import annotations

from typing import Any

from ..answers import FACTS, UNKNOWN, UNKNOWN_ALLOWED, Answers, Nation
from ..catalogue import PRINCIPLES, Route, Rules, rules
from .context import (
    AVAILABLE_IF,
    NOT_AVAILABLE,
    REGIME_LABELS,
    STATUSES,
    Ctx,
    Outcome,
    pounds,
)
from .obligations import regime_obligations
from .recommendation import recommend
from .registry import route_function


def _obligations(ctx: Ctx, route: Route, outcome: Outcome) -> list[dict[str, Any]]:
    out = [
        {
            "kind": o["kind"],
            "text": o["text"],
            "source": o["source"],
            "unconfirmed": bool(o.get("unconfirmed", False)),
        }
        for o in route.data["obligations"]
        if "regimes" not in o or outcome.regime in o["regimes"]
    ]
    return out + outcome.extra_obligations + regime_obligations(ctx, route, outcome)


def _legal_basis(route: Route, regime: str) -> list[dict[str, Any]]:
    """The provisions for the regime of the day; all of them if none is marked for it."""

    def one(b: dict[str, Any]) -> dict[str, Any]:
        return {
            "citation": b["citation"],
            "url": b["url"],
            "unconfirmed": bool(b.get("unconfirmed", False)),
        }

    basis = route.data["legal_basis"]
    chosen = [
        one(b) for b in basis if "regimes" not in b or regime in b["regimes"] or regime == "none"
    ]
    return chosen or [one(b) for b in basis]


def _unconfirmed(
    ctx: Ctx,
    route: Route,
    outcome: Outcome,
    basis: list[dict[str, Any]],
    obligations: list[dict[str, Any]],
) -> list[str]:
    """The unconfirmed points the route's status and duties rest on. A route that is not open
    rests only on the rules that closed it."""
    is_open = outcome.status != NOT_AVAILABLE
    out = list(route.data.get("unconfirmed", [])) if is_open else []
    for r in outcome.reasons + outcome.to_confirm:
        if r["unconfirmed"] and r["rule_text"] not in out:
            out.append(r["rule_text"])
    if not is_open:
        return out
    out += [
        f"Legal basis not set out in the fact base: {b['citation']}."
        for b in basis
        if b["unconfirmed"]
    ]
    out += [o["text"] for o in obligations if o["unconfirmed"] and o["text"] not in out]
    if route.data.get("uses_contract_threshold"):
        out += [p for p in ctx.authority_points if p not in out]
        t = ctx.figures.get(ctx.contract_threshold_key)
        if t and t["unconfirmed"]:
            out.append(
                f"The threshold used ({t['display']} from {t['applies_from']}) is not in the "
                "law fact base."
            )
        if ctx.a.nation is Nation.scotland:
            out.append(
                "Scottish thresholds are assumed to follow the UK figures; not in the fact base."
            )
        if ctx.a.nation is Nation.northern_ireland:
            out.append("Northern Ireland specifics are not in the law fact base.")
    return out


def _decide(ctx: Ctx, route: Route) -> Outcome:
    """The route's outcome, capped at available-if while an answer it turns on is unknown, with
    what to find out; a closed route says what would change it."""
    ctx.start_route()
    outcome = route_function(route)(ctx, route)
    if outcome.status == NOT_AVAILABLE:
        if not outcome.would_change:
            outcome.would_change = [_would_change(ctx, outcome)]
        return outcome
    if route.data.get("uses_contract_threshold") and ctx.light_touch_unknown_matters:
        ctx.maybe("light_touch_service")
    if ctx.unknowns:
        outcome.status = AVAILABLE_IF
        outcome.to_confirm = [_find_out(route, name) for name in ctx.unknowns] + outcome.to_confirm
    return outcome


def _find_out(route: Route, name: str) -> dict[str, Any]:
    yes, _ = FACTS[name]
    return {
        "rule": f"{route.code}.answer.{name}",
        "text": f"Find out whether {yes}: you answered 'not sure', and this route depends on it.",
        "rule_text": f"Depends on the answer to {name}.",
        "source": "",
        "unconfirmed": False,
    }


def _would_change(ctx: Ctx, outcome: Outcome) -> str:
    """For routes closed by a figure or by the law of the date rather than by a yes/no answer."""
    rules = " ".join(r["rule"] for r in outcome.reasons)
    t = ctx.threshold
    if "below_threshold" in rules and t is not None:
        return f"This route would open for a value below {pounds(t.value)}."
    if "above_threshold" in rules and t is not None:
        return f"This route would open at a value of {pounds(t.value)} or more."
    return (
        "This route is closed by the law in force for this authority, nation and date; it "
        "would open only if those were different."
    )


def _route_result(ctx: Ctx, route: Route) -> dict[str, Any]:
    outcome = _decide(ctx, route)
    data = route.data
    is_open = outcome.status != NOT_AVAILABLE
    obligations = _obligations(ctx, route, outcome)
    basis = _legal_basis(route, outcome.regime)
    unconfirmed = _unconfirmed(ctx, route, outcome, basis, obligations)
    return {
        "code": route.code,
        "name": route.name,
        "family": route.family,
        "summary": data["summary"],
        "status": outcome.status,
        "regime": outcome.regime,
        "regime_label": REGIME_LABELS[outcome.regime],
        "reasons": [_public_reason(r) for r in outcome.reasons],
        "conditions_to_confirm": [_public_reason(r) for r in outcome.to_confirm],
        "obligations": obligations if is_open else [],
        "legal_basis": basis,
        "timeline": data["timeline"],
        "risks": list(data["risks"]),
        "principle_fit": [
            {"principle": key, "label": label, "fit": data["principle_fit"][key]}
            for key, label in PRINCIPLES.items()
        ],
        "principle_note": data["principle_note"],
        "process": data["process"],
        "would_change": outcome.would_change,
        "rests_on_unconfirmed": bool(unconfirmed),
        "unconfirmed": unconfirmed,
    }


def _public_reason(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r[k] for k in ("rule", "text", "source", "unconfirmed")}


def _notes(ctx: Ctx) -> list[str]:
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
    return notes


def appraise(answers: Answers, catalogue: Rules | None = None) -> dict[str, Any]:
    """Every route for these answers on their decision date. Pure and deterministic."""
    catalogue = catalogue or rules()
    ctx = Ctx(answers, catalogue)
    routes = [_route_result(ctx, route) for route in catalogue.routes.values()]
    notes = _notes(ctx)
    return {
        "rules_version": catalogue.version,
        "decision_date": answers.decision_date.isoformat(),
        "regime": ctx.regime,
        "regime_label": REGIME_LABELS[ctx.regime],
        "psr_applies": ctx.psr,
        "contract_threshold": ctx.contract_threshold_key,
        "above_threshold": ctx.above if answers.council_receives_services is not False else None,
        "figures": sorted(ctx.figures.values(), key=lambda f: f["key"]),
        "notes": notes,
        "counts": {s: sum(1 for r in routes if r["status"] == s) for s in STATUSES},
        "unknown_answers": [n for n in UNKNOWN_ALLOWED if getattr(answers, n) == UNKNOWN],
        "recommendation": recommend(ctx, routes, catalogue),
        "routes": routes,
    }
