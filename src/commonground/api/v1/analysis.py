"""POST /api/v1/analysis/articulation: articulation analysis, storing nothing.

It stores nothing and reads nothing private, so it is open without sign-in; it is rate-limited
per client address (a count in the cache with a fixed window) and answers 429 with Retry-After
when over the limit. Registered in api/urls.py.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from commonground.core.ratelimit import over_limit
from commonground.engagement.analysis.analyser import Evidence, Label
from commonground.engagement.analysis.model import articulate

from .errors import ApiError, body, refused

router = Router(tags=["analysis"])

PerspectiveCode = Literal["commissioner", "provider", "funder", "community"]
MAX_TEXT = 10_000


def rate_limited(request: HttpRequest, scope: str) -> int | None:
    """At most ENGAGEMENT_ANALYSIS_RATE_LIMIT requests (default 60) per client address in each
    ENGAGEMENT_ANALYSIS_RATE_WINDOW seconds (default 60). Returns the seconds to wait when over
    the limit, else None."""
    limit = int(getattr(settings, "ENGAGEMENT_ANALYSIS_RATE_LIMIT", 60))
    window = int(getattr(settings, "ENGAGEMENT_ANALYSIS_RATE_WINDOW", 60))
    return over_limit(request, scope, limit, window)


class ArticulationIn(Schema):
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT,
        description="The statement to analyse, in English (1 to 10,000 characters).",
    )
    perspective: PerspectiveCode | None = Field(
        default=None,
        description="The perspective it was said from, if known; recorded in the answer, it "
        "does not change the analysis.",
    )


class EvidenceOut(Schema):
    text: str = Field(description="The words in the statement that are the evidence.")
    start: int = Field(description="Offset of the first character of the evidence in the text.")
    end: int = Field(description="Offset just after the last character of the evidence.")
    sentence: str = Field(description="The sentence the evidence is in.")
    negated: bool = Field(
        description="True when the words were negated (e.g. 'not about profit'): they then do "
        "not count for the label and move the orientation the other way, at half strength."
    )
    hedged: bool = Field(description="True when a hedge ('maybe', 'might') weakened the words.")
    weight: float = Field(
        description="How far these words moved the orientation score: negative towards the "
        "market frame, positive towards the purpose frame."
    )
    kind: Literal["phrase", "sentence"] = Field(
        description="'phrase': lexicon words that showed the label; 'sentence': no lexicon "
        "phrase did, and this is the sentence that carried the trained model's decision."
    )


class ReadsLikeOut(Schema):
    id: str = Field(description="The labelled statement's id in the corpus.")
    text: str = Field(description="The labelled statement this one reads most like.")
    similarity: float = Field(description="Cosine similarity of the two statements, -1 to 1.")


class LabelOut(Schema):
    label: str = Field(description="The label's code, e.g. 'public_value' or 'procurement'.")
    confidence: float = Field(description="How sure the analysis is that the label applies, 0-1.")
    evidence: list[EvidenceOut] = Field(description="Every place in the text that showed it.")
    basis: Literal["lexicon", "model"] = Field(
        description="'lexicon' when lexicon phrases showed it; 'model' when only the trained "
        "model did (then `evidence` is the deciding sentence and `reads_like` is filled)."
    )
    reads_like: list[ReadsLikeOut] = Field(
        description="For a model decision: the two labelled statements with this label that "
        "this one reads most like."
    )


class OrientationOut(Schema):
    label: Literal["market", "mixed", "purpose", "neutral"] = Field(
        description="market, mixed, purpose, or neutral when the statement uses neither frame."
    )
    score: float = Field(
        description="From -1 (market frame: profit, competition, private value) to +1 "
        "(purpose frame: purpose, collaboration, public value)."
    )
    confidence: float = Field(
        description="How clear-cut the orientation is, 0-1: the share of the evidence on the "
        "winning side, lower when there is little evidence."
    )
    evidence: list[EvidenceOut] = Field(description="The words that decided the orientation.")
    market_weight: float = Field(description="Total weight of market-frame evidence.")
    purpose_weight: float = Field(description="Total weight of purpose-frame evidence.")
    basis: Literal["lexicon", "model"] = Field(description="As for a label.")
    reads_like: list[ReadsLikeOut] = Field(description="As for a label.")


class ReformStanceOut(Schema):
    label: Literal["socialise", "refine", "mature", "replace", "none"] = Field(
        description="socialise: add social aims to market processes; refine: fix how "
        "procurement and markets work; mature: move to longer, relational models; replace: "
        "commission outside markets (grants, community ownership, public provision); none."
    )
    confidence: float = Field(description="The model's calibrated probability, 0-1.")
    evidence: list[EvidenceOut] = Field(description="Lexicon words, else the deciding sentence.")
    basis: Literal["lexicon", "model"] = Field(description="As for a label.")
    reads_like: list[ReadsLikeOut] = Field(description="As for a label.")


class ModelOut(Schema):
    version: str = Field(
        description="The trained model's version (empty when no model is installed and the "
        "lexicon answered alone)."
    )


class ArticulationOut(Schema):
    orientation: OrientationOut = Field(description="Where the statement sits between frames.")
    concepts: list[LabelOut] = Field(
        description="Mobilising concepts affirmed: profit, competition, private_value, purpose, "
        "collaboration, public_value."
    )
    principles: list[LabelOut] = Field(
        description="Principles affirmed: partnership, collaboration, relational, transactional, "
        "place_based, social_value, long_term, integration, prevention, communication, "
        "transparency, trust, mutuality_fairness, flexibility."
    )
    methodologies: list[LabelOut] = Field(
        description="Commissioning methodologies named (whether endorsed or not): procurement, "
        "grant_subsidy, preferential_investment, impact_investment, community_facilitation, "
        "engagement, asset_transfer, integrated_partnership, innovation_partnership, alliance."
    )
    negated: list[EvidenceOut] = Field(
        description="Words for a concept or principle that were found but negated, so not counted."
    )
    perspective: PerspectiveCode | None = Field(description="The perspective given, if any.")
    lexicon_version: int = Field(description="Version of the lexicon that produced the analysis.")
    reform_stance: ReformStanceOut | None = Field(
        description="Which of the four reforms of market competition the statement argues for "
        "(null when no model is installed)."
    )
    model: ModelOut = Field(description="The trained model that gave the labels.")


def _evidence(e: Evidence) -> dict[str, object]:
    return {
        "text": e.text,
        "start": e.start,
        "end": e.end,
        "sentence": e.sentence,
        "negated": e.negated,
        "hedged": e.hedged,
        "weight": e.weight,
        "kind": e.kind,
    }


def _label(x: Label) -> dict[str, object]:
    return {
        "label": x.label,
        "confidence": x.confidence,
        "evidence": [_evidence(e) for e in x.evidence],
        "basis": x.basis,
        "reads_like": x.reads_like,
    }


def _labels(labels: list[Label]) -> list[dict[str, object]]:
    return [_label(x) for x in labels]


def articulation_json(text: str, perspective: str | None) -> dict[str, object]:
    result = articulate(text, perspective)
    o = result.orientation
    total = o.market_weight + o.purpose_weight
    if o.confidence is not None:
        confidence = o.confidence
    elif o.label == "neutral":
        confidence = 1.0 - min(total, 1.0) * 0.5
    else:
        winning = max(o.market_weight, o.purpose_weight) if o.label != "mixed" else total
        confidence = (winning / total if total else 0.0) * min(1.0, 0.5 + total / 2)
    return {
        "orientation": {
            "label": o.label,
            "score": o.score,
            "confidence": round(confidence, 2),
            "evidence": [_evidence(e) for e in o.evidence],
            "market_weight": o.market_weight,
            "purpose_weight": o.purpose_weight,
            "basis": o.basis,
            "reads_like": o.reads_like,
        },
        "concepts": _labels(result.concepts),
        "principles": _labels(result.principles),
        "methodologies": _labels(result.methodologies),
        "negated": [_evidence(e) for e in result.negated],
        "perspective": perspective,
        "lexicon_version": result.lexicon_version,
        "reform_stance": _label(result.reform_stance) if result.reform_stance else None,
        "model": {"version": result.model_version},
    }


@router.post(
    "/analysis/articulation",
    response={200: ArticulationOut, 400: ApiError, 422: ApiError, 429: ApiError},
    summary="Analyse how a statement articulates partnership (stores nothing)",
    description=(
        "Explainable, offline articulation analysis: orientation between the market and the "
        "purpose frame, the mobilising concepts and principles affirmed and the commissioning "
        "methodologies named, each with its evidence (character offsets into the text) and a "
        "confidence. Nothing is stored, so no sign-in is needed; requests are rate-limited per "
        "client address (429 with Retry-After when over the limit)."
    ),
)
def articulation(
    request: HttpRequest, payload: ArticulationIn, response: HttpResponse
) -> tuple[int, dict[str, object]]:
    wait = rate_limited(request, "articulation")
    if wait is not None:
        response["Retry-After"] = str(wait)
        return 429, body([(None, f"Too many requests: try again in {wait} seconds.")])
    if not payload.text.strip():
        raise refused(422, "Enter the statement to analyse.", "text")
    return 200, articulation_json(payload.text, payload.perspective)
