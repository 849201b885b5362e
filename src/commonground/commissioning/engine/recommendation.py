"""The recommendation: of the routes that are open, the one that fits this service best and two
alternatives, each with the reasons and what it needs next. The ranking is data
(rules/recommendation.yaml): the routes' fit with the partnership principles, weighted towards
the service's own aims, whether the route is open now or needs conditions, and whether its
process is proportionate to the size of the contract."""

from __future__ import annotations

from typing import Any

from ..answers import Answers
from ..catalogue import PRINCIPLES, Rules
from .context import AVAILABLE, NOT_AVAILABLE, Ctx

SIZE_WORDS = {
    "small": "a contract below the threshold",
    "medium": "a contract above the threshold",
    "large": "a large contract",
}
PROCESS_WORDS = {
    "light": "a light process",
    "moderate": "a moderate process",
    "heavy": "a heavy process",
}
NOTICE_KINDS = ("notice", "standstill", "publication")


def _size(ctx: Ctx, w: dict[str, Any]) -> str:
    assert ctx.threshold is not None
    value = ctx.a.estimated_value_pence
    if value < ctx.threshold.value:
        return "small"
    return "large" if value > ctx.threshold.value * w["large_multiple"] else "medium"


def _weights(answers: Answers, w: dict[str, Any]) -> dict[str, float]:
    return {
        p: (w["aim_weight"] if p in answers.aims else w["principle_weights"][p]) for p in PRINCIPLES
    }


def _score(route: dict[str, Any], weights: dict[str, float], size: str, w: dict[str, Any]):
    fit = {f["principle"]: f["fit"] for f in route["principle_fit"]}
    principle_points = sum(weights[p] * w["fit_points"][fit[p]] for p in PRINCIPLES)
    process = route.get("process", "moderate")
    proportion = w["proportionality"][size][process]
    conditions = len(route["conditions_to_confirm"])
    total = (
        principle_points
        + w["status_points"][route["status"]]
        + w["condition_points"] * conditions
        + proportion
    )
    return total, process, proportion


def _best_possible(weights: dict[str, float], size: str, w: dict[str, Any]) -> float:
    return (
        sum(weights.values()) * w["fit_points"]["strong"]
        + w["status_points"]["available"]
        + max(w["proportionality"][size].values())
    )


def _why(
    route: dict[str, Any], answers: Answers, size: str, process: str, proportion: float
) -> list[str]:
    out = []
    if route["status"] == AVAILABLE:
        out.append("Open to you on these answers.")
    else:
        n = len(route["conditions_to_confirm"])
        out.append(
            f"Open if {n} condition{'s' if n != 1 else ''} below {'are' if n != 1 else 'is'} met."
        )
    fit = {f["principle"]: f for f in route["principle_fit"]}
    aims = [fit[a]["label"] for a in answers.aims if fit[a]["fit"] == "strong"]
    weak_aims = [fit[a]["label"] for a in answers.aims if fit[a]["fit"] == "weak"]
    if aims:
        out.append(f"Fits the aims you put first: {', '.join(aims)}.")
    if weak_aims:
        out.append(f"Weak on aims you put first: {', '.join(weak_aims)}.")
    strong = [f["label"] for f in route["principle_fit"] if f["fit"] == "strong"]
    if not answers.aims and strong:
        out.append(f"Strong on {len(strong)} of the 9 partnership principles.")
    judged = "proportionate" if proportion > 0 else "less proportionate"
    out.append(f"{PROCESS_WORDS[process].capitalize()}, {judged} for {SIZE_WORDS[size]}.")
    out.append(route["principle_note"])
    return out


def _next(route: dict[str, Any]) -> dict[str, Any]:
    return {
        "notices": [o["text"] for o in route["obligations"] if o["kind"] in NOTICE_KINDS],
        "timeline": route["timeline"],
        "to_confirm": [c["text"] for c in route["conditions_to_confirm"]],
    }


def recommend(
    ctx: Ctx, routes: list[dict[str, Any]], catalogue: Rules, top: int = 3
) -> list[dict[str, Any]]:
    """The open routes best fitted to this service, best first (ties keep catalogue order)."""
    w = catalogue.recommendation
    answers = ctx.a
    weights = _weights(answers, w)
    size = _size(ctx, w)
    best = _best_possible(weights, size, w)
    scored = []
    for i, route in enumerate(routes):
        if route["status"] == NOT_AVAILABLE:
            continue
        total, process, proportion = _score(route, weights, size, w)
        scored.append((-total, i, route, process, proportion, total))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [
        {
            "code": route["code"],
            "name": route["name"],
            "status": route["status"],
            "fit": max(0, min(100, round(100 * total / best))) if best > 0 else 0,
            "why": _why(route, answers, size, process, proportion),
            "next": _next(route),
        }
        for _, _, route, process, proportion, total in scored[:top]
    ]
