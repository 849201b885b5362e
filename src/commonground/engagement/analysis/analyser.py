"""Articulation analysis: where a statement sits between the market and the purpose frame.

A lexicon-and-pattern analyser (ADR 0011): offline, deterministic and explainable. Every label
comes with the words that decided it (their character span in the text), and the phrases are
reviewable data in `lexicon.yaml`. Negation ("not about profit", "collaboration rather than
competition", "purpose over profit"), irony markers ("partnership in name only", scare quotes)
and hedges ("maybe", "might") are handled by rules over the clause a phrase sits in.

Pure Python, no database: the API's open endpoint and the stored analysis both call `analyse`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
KINDS = ("concepts", "principles", "methodologies")

CONCEPTS = ("profit", "competition", "private_value", "purpose", "collaboration", "public_value")
MARKET_CONCEPTS = frozenset({"profit", "competition", "private_value"})
PRINCIPLES = (
    "partnership",
    "collaboration",
    "relational",
    "transactional",
    "place_based",
    "social_value",
    "long_term",
    "integration",
    "prevention",
    "communication",
    "transparency",
    "trust",
    "mutuality_fairness",
    "flexibility",
)
METHODOLOGIES = (
    "procurement",
    "grant_subsidy",
    "preferential_investment",
    "impact_investment",
    "community_facilitation",
    "engagement",
    "asset_transfer",
    "integrated_partnership",
    "innovation_partnership",
    "alliance",
)
LABELS = {"concepts": CONCEPTS, "principles": PRINCIPLES, "methodologies": METHODOLOGIES}
ORIENTATIONS = ("market", "mixed", "purpose", "neutral")
LABEL_THRESHOLD = 0.5

_WORD = re.compile(r"[\w'’-]+")
# A clause ends at punctuation or a contrastive conjunction: negation does not cross it.
_CLAUSE_BREAK = re.compile(r"[.;:!?,—–()]|\s(?:but|yet|while|whereas|then|although|though)\s")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_QUOTES = "'\"‘“"
_CLOSING = "'\"’”"


@dataclass(frozen=True)
class Evidence:
    """One phrase found in the text: `start`/`end` are character offsets into it."""

    text: str
    start: int
    end: int
    sentence: str
    negated: bool = False
    hedged: bool = False
    weight: float = 0.0  # how far it moved the orientation score (- market, + purpose)
    # "phrase": lexicon words; "sentence": the sentence that carried a model's decision.
    kind: str = "phrase"


@dataclass
class Label:
    label: str
    confidence: float
    evidence: list[Evidence]
    # "lexicon" when lexicon phrases decided it; "model" when the trained model did (ADR 0022),
    # and then `reads_like` holds the most similar labelled statements ({id, text, similarity}).
    basis: str = "lexicon"
    reads_like: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Orientation:
    score: float
    label: str
    evidence: list[Evidence]
    market_weight: float
    purpose_weight: float
    confidence: float | None = None
    basis: str = "lexicon"
    reads_like: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Articulation:
    orientation: Orientation
    concepts: list[Label]
    principles: list[Label]
    methodologies: list[Label]
    negated: list[Evidence] = field(default_factory=list)
    perspective: str | None = None
    lexicon_version: int = 1
    reform_stance: Label | None = None
    model_version: str = ""
    # The statement's sentence embedding when the model read it (core.embeddings), kept with the
    # statement so the report need not compute it again; never part of the stored reading.
    vector: Any = field(default=None, repr=False, compare=False)

    def labels(self, kind: str) -> list[str]:
        return [item.label for item in getattr(self, kind)]

    def to_dict(self) -> dict[str, Any]:
        found = asdict(replace(self, vector=None))
        del found["vector"]
        return found


@dataclass(frozen=True)
class _Phrase:
    confidence: float


@dataclass(frozen=True)
class _Entry:
    kind: str
    label: str
    weight: float
    pattern: re.Pattern[str]
    confidences: tuple[float, ...]
    unless: re.Pattern[str] | None
    phrases: tuple[str, ...] = ()  # the source of each alternative, g0, g1...


@dataclass(frozen=True)
class Lexicon:
    version: int
    entries: tuple[_Entry, ...]
    negators: tuple[str, ...]
    near_negators: tuple[str, ...]
    window: int
    cancellers: tuple[str, ...]
    irony_after: tuple[str, ...]
    hedges: tuple[str, ...]
    hedge_factor: float
    neutral_below: float
    mixed_share: float


def _bounded(alternatives: list[str]) -> str:
    return r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"


def load_lexicon(path: Path | str = LEXICON_PATH) -> Lexicon:
    return _load_lexicon(str(path))


@lru_cache(maxsize=8)
def _load_lexicon(path: str) -> Lexicon:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = []
    for kind in KINDS:
        for label, spec in data[kind].items():
            if label not in LABELS[kind]:
                raise ValueError(f"{path}: {kind}.{label} is not a label the analysis reports")
            groups = [f"(?P<g{i}>{p['p']})" for i, p in enumerate(spec["phrases"])]
            unless = spec.get("unless_within")
            entries.append(
                _Entry(
                    kind=kind,
                    label=label,
                    weight=float(spec.get("weight", 0.0)),
                    pattern=re.compile(_bounded(groups), re.IGNORECASE),
                    confidences=tuple(float(p.get("c", 0.8)) for p in spec["phrases"]),
                    unless=re.compile(_bounded(unless), re.IGNORECASE) if unless else None,
                    phrases=tuple(str(p["p"]) for p in spec["phrases"]),
                )
            )
    return Lexicon(
        version=int(data.get("version", 1)),
        entries=tuple(entries),
        negators=tuple(n.lower() for n in data["negators"]),
        near_negators=tuple(n.lower() for n in data.get("near_negators", [])),
        window=int(data.get("negation_window", 4)),
        cancellers=tuple(c.lower() for c in data.get("negation_cancellers", [])),
        irony_after=tuple(c.lower() for c in data.get("irony_after", [])),
        hedges=tuple(h.lower() for h in data.get("hedges", [])),
        hedge_factor=float(data.get("hedge_factor", 0.6)),
        neutral_below=float(data["orientation"]["neutral_below"]),
        mixed_share=float(data["orientation"]["mixed_share"]),
    )


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    before = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, start):
        before = match.end()
    after_match = _CLAUSE_BREAK.search(text, end)
    return before, after_match.start() if after_match else len(text)


def _contains_phrase(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    size = len(parts)
    return any(words[i : i + size] == parts for i in range(len(words) - size + 1))


def _is_negated(lexicon: Lexicon, text: str, start: int, end: int) -> bool:
    clause_start, clause_end = _clause_bounds(text, start, end)
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text[clause_start:start])]
    window = words[-lexicon.window :]
    joined = " ".join(window)
    if any(c in joined for c in lexicon.cancellers):
        return False
    # Scare quotes: a 'partnership' in quotation marks is said at arm's length.
    if start > 0 and text[start - 1] in _QUOTES and end < len(text) and text[end] in _CLOSING:
        return True
    tail = " ".join(_WORD.findall(text[end:clause_end].lower()))
    if any(tail.startswith(cue) for cue in lexicon.irony_after):
        return True
    for negator in lexicon.negators:
        if negator == "n't":
            if any(w.endswith("n't") for w in window):
                return True
            continue
        if negator in lexicon.near_negators:
            if _contains_phrase(words[-len(negator.split()) :], negator):
                return True
            continue
        if _contains_phrase(window, negator):
            return True
    return False


def _sentence_of(text: str, start: int) -> tuple[int, str]:
    for match in _SENTENCE.finditer(text):
        if match.start() <= start < match.end():
            return match.start(), match.group().strip()
    return 0, text.strip()


def _is_hedged(lexicon: Lexicon, text: str, start: int, end: int) -> bool:
    # A hedge reaches the rest of its clause: "maybe purpose should come first, but the
    # cabinet wants savings" hedges purpose, not savings.
    clause_start, _ = _clause_bounds(text, start, end)
    words = " ".join(_WORD.findall(text[clause_start:start].lower()))
    padded = f" {words} "
    return any(f" {hedge} " in padded for hedge in lexicon.hedges)


def analyse(
    text: str, perspective: str | None = None, lexicon: Lexicon | None = None
) -> Articulation:
    """The articulation of one statement. Deterministic: the same text and lexicon always give
    the same result."""
    lexicon = lexicon or load_lexicon()
    found: dict[tuple[str, str], list[tuple[Evidence, float]]] = {}
    negated: list[Evidence] = []
    # One span moves the score once, however many labels it supports (collaboration is both a
    # concept and a principle).
    contributions: dict[tuple[int, int], Evidence] = {}
    for entry in lexicon.entries:
        matches = list(entry.pattern.finditer(text))
        if not matches:
            continue
        excluded = (
            [(m.start(), m.end()) for m in entry.unless.finditer(text)] if entry.unless else []
        )
        for match in matches:
            start, end = match.start(), match.end()
            if any(a <= start and end <= b for a, b in excluded):
                continue
            confidence = entry.confidences[int((match.lastgroup or "g0")[1:])]
            is_negated = _is_negated(lexicon, text, start, end)
            hedged = _is_hedged(lexicon, text, start, end)
            factor = lexicon.hedge_factor if hedged else 1.0
            if is_negated and entry.kind != "methodologies":
                weight = -0.5 * entry.weight * factor
            elif is_negated:
                weight = 0.0
            else:
                weight = entry.weight * factor
            evidence = Evidence(
                text=text[start:end],
                start=start,
                end=end,
                sentence=_sentence_of(text, start)[1],
                negated=is_negated,
                hedged=hedged,
                weight=round(weight, 3),
            )
            kept = contributions.get((start, end))
            if weight and (kept is None or abs(weight) > abs(kept.weight)):
                contributions[(start, end)] = evidence
            if is_negated and entry.kind != "methodologies":
                if all((e.start, e.end) != (start, end) for e in negated):
                    negated.append(evidence)
                continue
            found.setdefault((entry.kind, entry.label), []).append((evidence, confidence * factor))
    results: dict[str, list[Label]] = {kind: [] for kind in KINDS}
    for kind in KINDS:
        for label in LABELS[kind]:
            hits = found.get((kind, label))
            if not hits:
                continue
            missing = 1.0
            for _, confidence in hits:
                missing *= 1.0 - confidence
            confidence = round(min(0.99, 1.0 - missing), 2)
            if confidence >= LABEL_THRESHOLD:
                results[kind].append(Label(label, confidence, [e for e, _ in hits]))
    return Articulation(
        orientation=_orientation(lexicon, list(contributions.values())),
        concepts=results["concepts"],
        principles=results["principles"],
        methodologies=results["methodologies"],
        negated=sorted(negated, key=lambda e: e.start),
        perspective=perspective,
        lexicon_version=lexicon.version,
    )


def _orientation(lexicon: Lexicon, contributions: list[Evidence]) -> Orientation:
    purpose = sum(e.weight for e in contributions if e.weight > 0)
    market = -sum(e.weight for e in contributions if e.weight < 0)
    total = purpose + market
    ranked = sorted(contributions, key=lambda e: (-abs(e.weight), e.start))
    if total < lexicon.neutral_below:
        return Orientation(0.0, "neutral", ranked, round(market, 3), round(purpose, 3))
    score = round((purpose - market) / max(total, 1.0), 3)
    if min(purpose, market) / total >= lexicon.mixed_share:
        label, deciding = "mixed", ranked
    elif purpose > market:
        label, deciding = "purpose", [e for e in ranked if e.weight > 0]
    else:
        label, deciding = "market", [e for e in ranked if e.weight < 0]
    return Orientation(score, label, deciding, round(market, 3), round(purpose, 3))
