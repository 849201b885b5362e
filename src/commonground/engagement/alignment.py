"""Alignment across perspectives: profiles, agreement matrix, common ground and tensions.

Pure functions over plain statement records (no database), so the page, the API, the PDF and
the benchmark share one computation. Every finding carries the statements that back it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from typing import Any

from commonground.accounts.permissions.partnerships import HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES
from commonground.accounts.perspectives import Perspective
from commonground.core.disclosure import withheld

from .analysis.analyser import CONCEPTS, MARKET_CONCEPTS, ORIENTATIONS, PRINCIPLES
from .analysis.corpus import REFORM_STANCES

PERSPECTIVES = tuple(p.value for p in Perspective)
PERSPECTIVE_LABELS = {p.value: p.label for p in Perspective}
# A theme is a concept or a principle; collaboration is both and counted once.
THEMES = tuple(dict.fromkeys((*CONCEPTS, *PRINCIPLES)))
MARKET_THEMES = frozenset({*MARKET_CONCEPTS, "transactional"})
COMMON_SHARE = 0.1  # a theme is shared when it is in at least this share of each side's words
TENSION_GAP = 0.3  # ... and in tension when the shares differ by at least this much
ORIENTATION_GAP = 0.5
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@dataclass(frozen=True)
class StatementRecord:
    id: int
    perspective: str
    text: str
    orientation: str
    score: float
    concepts: tuple[str, ...]
    principles: tuple[str, ...]
    methodologies: tuple[str, ...]
    reviewed: bool = False
    evidence: dict[str, str] = field(default_factory=dict)  # theme -> sentence that showed it
    reform_stance: str = ""  # "" when the analysis gave none (no trained model)
    # The stored sentence embedding and the fingerprint of the text and model it was made from
    # (empty when none was stored); emergent themes use it instead of embedding again.
    embedding: bytes = field(default=b"", repr=False, compare=False)
    embedding_fingerprint: str = ""

    @property
    def themes(self) -> frozenset[str]:
        return frozenset((*self.concepts, *self.principles))


def theme_evidence(analysis: dict[str, Any]) -> dict[str, str]:
    """For each concept and principle of a stored analysis, the sentence that showed it."""
    evidence: dict[str, str] = {}
    for kind in ("concepts", "principles"):
        for item in analysis.get(kind, []):
            if item.get("evidence"):
                evidence.setdefault(item["label"], item["evidence"][0]["sentence"])
    return evidence


def record_from_statement(values: dict[str, Any]) -> StatementRecord:
    """From a Statement's values (id, perspective, text, orientation_label, orientation_score,
    concepts, principles, methodologies, reviewed, and either theme_evidence and reform_stance,
    as stored beside the analysis, or the whole analysis)."""
    if "analysis" in values:
        analysis = values.get("analysis") or {}
        evidence = theme_evidence(analysis)
        stance = (analysis.get("reform_stance") or {}).get("label", "")
    else:
        evidence = dict(values.get("theme_evidence") or {})
        stance = values.get("reform_stance") or ""
    return StatementRecord(
        id=values["id"],
        perspective=values["perspective"],
        text=values["text"],
        orientation=values["orientation_label"] or "neutral",
        score=float(values["orientation_score"] or 0.0),
        concepts=tuple(values["concepts"] or ()),
        principles=tuple(values["principles"] or ()),
        methodologies=tuple(values["methodologies"] or ()),
        reviewed=bool(values.get("reviewed")),
        evidence=evidence,
        reform_stance=stance,
        embedding=bytes(values.get("embedding") or b""),
        embedding_fingerprint=values.get("embedding_fingerprint") or "",
    )


@dataclass
class Profile:
    perspective: str
    label: str
    count: int
    orientation: dict[str, int]
    mean_score: float
    themes: dict[str, int]
    methodologies: dict[str, int]
    reform_stances: dict[str, int] = field(default_factory=dict)

    def stance_share(self, stance: str) -> float:
        return self.reform_stances.get(stance, 0) / self.count if self.count else 0.0

    def share(self, theme: str) -> float:
        return self.themes.get(theme, 0) / self.count if self.count else 0.0

    def orientation_share(self, label: str) -> float:
        return self.orientation.get(label, 0) / self.count if self.count else 0.0

    def top_themes(self, n: int = 5) -> list[tuple[str, int]]:
        return sorted(self.themes.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass(frozen=True)
class Quote:
    statement_id: int
    perspective: str
    text: str


@dataclass
class Finding:
    theme: str
    summary: str
    quotes: list[Quote]
    shares: dict[str, float]


@dataclass
class PairAgreement:
    first: str
    second: str
    orientation_gap: float
    theme_overlap: float
    agreement: float

    @property
    def verdict(self) -> str:
        if self.agreement >= 0.7:
            return "agree"
        return "partly agree" if self.agreement >= 0.5 else "diverge"


@dataclass
class Alignment:
    statement_count: int
    profiles: list[Profile]
    matrix: list[PairAgreement]
    common_ground: list[Finding]
    tensions: list[Finding]
    missing_perspectives: list[str]

    @property
    def perspectives(self) -> list[str]:
        return [p.perspective for p in self.profiles]


STANCES = (*REFORM_STANCES, "unknown")


def two_places(value: float, signed: bool = False) -> str:
    """The one rounding of a report figure, for the page and the PDF alike: to two places,
    halves away from zero, from the figure as written (0.075 is 0.08 in both)."""
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format(rounded, "+" if signed else "")


def theme_label(theme: str) -> str:
    return theme.replace("_", " ").replace("mutuality fairness", "mutuality and fairness")


def _profile(perspective: str, records: list[StatementRecord]) -> Profile:
    themes: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    orientation: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    for record in records:
        stances[record.reform_stance or "unknown"] += 1
        themes.update(record.themes)
        methods.update(record.methodologies)
        orientation[record.orientation] += 1
    count = len(records)
    return Profile(
        perspective=perspective,
        label=PERSPECTIVE_LABELS.get(perspective, perspective),
        count=count,
        orientation={label: orientation.get(label, 0) for label in ORIENTATIONS},
        mean_score=round(sum(r.score for r in records) / count, 3) if count else 0.0,
        themes=dict(themes),
        methodologies=dict(methods),
        reform_stances=dict(stances),
    )


def _cosine(a: Profile, b: Profile) -> float:
    dot = sum(a.share(t) * b.share(t) for t in THEMES)
    norm = math.sqrt(sum(a.share(t) ** 2 for t in THEMES)) * math.sqrt(
        sum(b.share(t) ** 2 for t in THEMES)
    )
    return dot / norm if norm else 0.0


def _sentence_with(record: StatementRecord, theme: str) -> str:
    sentence = record.evidence.get(theme)
    if sentence:
        return sentence
    match = _SENTENCE.match(record.text.strip())
    return (match.group() if match else record.text).strip()


def _quote(records: list[StatementRecord], theme: str, prefer_sign: int = 0) -> Quote | None:
    having = [r for r in records if theme in r.themes]
    if not having:
        return None
    # Reviewed statements first, then the clearest (furthest along the frame asked for), then
    # the shortest: a quotation people can read at a glance.
    best = min(
        having,
        key=lambda r: (not r.reviewed, -prefer_sign * r.score, len(_sentence_with(r, theme)), r.id),
    )
    return Quote(best.id, best.perspective, _sentence_with(best, theme))


def orientation_gap_summary(purpose_side: Profile, market_side: Profile) -> str:
    """Says which frame each side leans to from the signs of their means: a mean above zero
    leans to purpose however it compares with the other side's."""
    p, m = two_places(purpose_side.mean_score, True), two_places(market_side.mean_score, True)
    first, second = purpose_side.label, market_side.label.lower()
    if market_side.mean_score >= 0:
        return f"{first}s lean further to the purpose frame (mean {p}) than {second}s (mean {m})."
    if purpose_side.mean_score <= 0:
        return (
            f"{second.capitalize()}s lean further to the market frame (mean {m}) "
            f"than {first.lower()}s (mean {p})."
        )
    return (
        f"{first}s lean to the purpose frame (mean {p}); {second}s lean to the "
        f"market frame (mean {m})."
    )


def _agreement_matrix(profiles: list[Profile]) -> list[PairAgreement]:
    """Each pair of perspectives: the gap in orientation, the overlap in themes, and the two
    combined."""
    matrix = []
    for a, b in combinations(profiles, 2):
        gap = abs(a.mean_score - b.mean_score)
        overlap = _cosine(a, b)
        matrix.append(
            PairAgreement(
                a.perspective,
                b.perspective,
                round(gap, 3),
                round(overlap, 3),
                round(0.5 * (1 - gap / 2) + 0.5 * overlap, 3),
            )
        )
    return matrix


def _orientation_tensions(
    profiles: list[Profile], by_perspective: dict[str, list[StatementRecord]]
) -> list[Finding]:
    """A tension for each pair of perspectives far apart in orientation, quoting each side's
    most extreme statement."""
    tensions = []
    for a, b in combinations(profiles, 2):
        if abs(a.mean_score - b.mean_score) < ORIENTATION_GAP:
            continue
        purpose_side, market_side = (a, b) if a.mean_score > b.mean_score else (b, a)
        quotes = []
        for side, sign in ((purpose_side, 1), (market_side, -1)):
            extreme = max(by_perspective[side.perspective], key=lambda r: (sign * r.score, -r.id))
            quotes.append(Quote(extreme.id, extreme.perspective, extreme.text))
        tensions.append(
            Finding(
                "orientation",
                orientation_gap_summary(purpose_side, market_side),
                quotes,
                {purpose_side.perspective: purpose_side.mean_score,
                 market_side.perspective: market_side.mean_score},
            )
        )  # fmt: skip
    return tensions


def align(records: list[StatementRecord]) -> Alignment:
    by_perspective: dict[str, list[StatementRecord]] = {p: [] for p in PERSPECTIVES}
    for record in records:
        by_perspective.setdefault(record.perspective, []).append(record)
    profiles = [_profile(p, rs) for p, rs in by_perspective.items() if rs]
    present = {p.perspective: p for p in profiles}
    matrix = _agreement_matrix(profiles)
    common: list[Finding] = []
    tensions: list[Finding] = []
    if len(profiles) >= 2:
        for theme in THEMES:
            shares = {p.perspective: round(p.share(theme), 3) for p in profiles}
            sign = -1 if theme in MARKET_THEMES else 1
            if all(s >= COMMON_SHARE for s in shares.values()):
                quotes = [
                    q
                    for p in profiles
                    if (q := _quote(by_perspective[p.perspective], theme, sign)) is not None
                ]
                common.append(
                    Finding(
                        theme,
                        f"Every perspective speaks of {theme_label(theme)}.",
                        quotes,
                        shares,
                    )
                )
                continue
            high = max(shares, key=lambda p: (shares[p], p))
            low = min(shares, key=lambda p: (shares[p], p))
            if shares[high] - shares[low] >= TENSION_GAP:
                quote = _quote(by_perspective[high], theme, sign)
                tensions.append(
                    Finding(
                        theme,
                        f"{PERSPECTIVE_LABELS[high]}s speak of {theme_label(theme)} "
                        f"({shares[high]:.0%} of their statements); "
                        f"{PERSPECTIVE_LABELS[low].lower()}s hardly do ({shares[low]:.0%}).",
                        [quote] if quote else [],
                        shares,
                    )
                )
        tensions += _orientation_tensions(profiles, by_perspective)
    common.sort(key=lambda f: (-min(f.shares.values()), f.theme))
    tensions.sort(key=lambda f: (f.theme != "orientation", f.theme))
    return Alignment(
        statement_count=len(records),
        profiles=profiles,
        matrix=matrix,
        common_ground=common,
        tensions=tensions,
        missing_perspectives=[p for p in PERSPECTIVES if p not in present],
    )


def draft_shared_statements(
    alignment: Alignment, records: list[StatementRecord], limit: int = 5
) -> list[tuple[str, str, int]]:
    """(text, theme, statement id) drafts for the common-ground themes, taken from what was said:
    for each theme, the sentence (30 to 220 characters) from a statement outside the market
    frame that carries the most common-ground themes, shortest first."""
    common = [f.theme for f in alignment.common_ground if f.theme not in MARKET_THEMES]
    common_set = set(common)
    drafts: list[tuple[str, str, int]] = []
    used: set[str] = set()
    for theme in common[:limit]:
        candidates = []
        for record in records:
            if theme not in record.themes or record.orientation == "market":
                continue
            sentence = _sentence_with(record, theme)
            if not 30 <= len(sentence) <= 220 or sentence in used:
                continue
            shared_themes = len(record.themes & common_set)
            candidates.append(
                (-shared_themes, not record.reviewed, len(sentence), record.id, sentence)
            )
        if candidates:
            *_, record_id, sentence = min(candidates)
            used.add(sentence)
            drafts.append((sentence, theme, record_id))
    return drafts


# A perspective's votes are shown only when at least this many from it voted: one funder's
# "1 agree" is their vote. The health check's minimum for a perspective, so both read alike
# (ADR 0061).
MIN_VOTERS = HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES
CONSENSUS_SHARE = 0.6  # of each perspective's agree-or-disagree votes
CHOICES = ("agree", "disagree", "pass")


@dataclass(frozen=True)
class PerspectiveVotes:
    """One perspective's votes as they may be shown: `counts` is None when withheld."""

    perspective: str
    label: str
    counts: dict[str, int] | None

    @property
    def withheld(self) -> bool:
        return self.counts is None

    @property
    def none_yet(self) -> bool:
        return self.counts is not None and not any(self.counts.values())


@dataclass
class VoteTally:
    """Every vote on a shared statement, by perspective. Read it through `perspectives` (which
    withholds what could expose someone's vote) and `consensus`; `every_vote` itself is never
    shown."""

    every_vote: dict[str, dict[str, int]]

    def voters(self, perspective: str) -> int:
        return sum(self.every_vote.get(perspective, {}).values())

    @property
    def perspectives(self) -> list[PerspectiveVotes]:
        """Each perspective's votes, withheld where fewer than MIN_VOTERS from it voted, or
        where the others' figures and a total would reveal such a vote (core.disclosure)."""
        hide = withheld([self.voters(p) for p in PERSPECTIVES], MIN_VOTERS)
        return [
            PerspectiveVotes(p, PERSPECTIVE_LABELS[p], None if h else dict(self.every_vote[p]))
            for p, h in zip(PERSPECTIVES, hide, strict=True)
        ]

    def agree_share(self, perspective: str) -> float | None:
        counts = self.every_vote.get(perspective, {})
        decided = counts.get("agree", 0) + counts.get("disagree", 0)
        return counts.get("agree", 0) / decided if decided else None

    @property
    def consensus_judged(self) -> bool:
        """Whether there are enough votes to say: at least MIN_VOTERS from every perspective.
        Then no perspective's votes are withheld, so the verdict reveals nothing the figures
        shown do not; judged with fewer, it would tell how a lone voter voted."""
        return all(self.voters(p) >= MIN_VOTERS for p in PERSPECTIVES)

    @property
    def consensus(self) -> bool:
        """Agreed across all four perspectives: enough votes from each to judge, and at least
        60% of each perspective's agree-or-disagree votes agree."""
        if not self.consensus_judged:
            return False
        shares = [self.agree_share(p) for p in PERSPECTIVES]
        return all(s is not None and s >= CONSENSUS_SHARE for s in shares)

    @property
    def consensus_reading(self) -> str:
        if not self.consensus_judged:
            return "Not enough votes to say"
        return "Consensus" if self.consensus else "Not yet"


def tally(votes: list[tuple[str, str]]) -> VoteTally:
    """From (perspective, choice) pairs."""
    counts: dict[str, dict[str, int]] = {p: dict.fromkeys(CHOICES, 0) for p in PERSPECTIVES}
    for perspective, choice in votes:
        counts.setdefault(perspective, dict.fromkeys(CHOICES, 0))[choice] += 1
    return VoteTally(counts)
