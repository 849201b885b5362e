"""Hybrid partner search within a place: words and meaning together (ADR 0022).

Within a place (a local authority holds a few thousand organisations) every organisation in
scope is a candidate. Two rankings are made and fused:

- words: each meaningful word of the query (as the start of a word, so "befriending" finds
  "befriend" too) is looked up in the full-text index within the place; an organisation scores
  the inverse document frequency of the words it has, so rarer words count for more, and a word
  in its name counts half as much again;
- meaning: the cosine similarity of the query's embedding and the organisation's (name,
  activities, classifications), from core.embeddings.

The rankings are fused by reciprocal rank (each contributes 1 / (K + rank)), which needs no
calibration between the two kinds of score. An organisation is a match if it has a query word,
or if it is among the closest in meaning. Organisations based in the place or working in it
locally come before those that reach it only through a region- or nation-wide area.

Without a query, organisations are ordered by relevance to the place: local before region- or
nation-wide, then by a prior of size (income band), a recent filing and a complete record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

import numpy as np

from .concepts import expansions
from .normalise import query_terms
from .semantic import INDEX, Vectors, closeness, query_vector

RRF_K = 60
# Closest in meaning that count as matches even without a query word (the rest are not shown).
SEMANTIC_MATCHES = 40
# ... and only if at least this close (cosine): WordLlama puts unrelated texts around 0.05-0.15,
# and a word with nothing close in meaning (a name, a typo) should not bring in strangers.
MIN_SIMILARITY = 0.25
NAME_WEIGHT = 1.5
STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "who",
        "with",
        "within",
        "whom",
        "your",
        "you",
    )
)
_SUFFIXES = ("ingly", "ings", "ing", "ies", "ied", "ed", "es", "s")
_ABLE = ("abilities", "ability", "abled", "able", "ably", "ibilities", "ibility", "ible", "ibly")
_INCOME_STEPS = (1_000_000, 10_000_000, 100_000_000, 1_000_000_000)  # pence: £10k ... £10m
RECENT_FILING = timedelta(days=2 * 366)


def stem(word: str) -> str:
    """A light stem, searched as a prefix: "befriending" -> "befriend", "families" -> "famil",
    and "disabled" -> "disab", so that it finds "disabilities" too."""
    for suffix in _ABLE:
        keep = len(word) - len(suffix) + 2  # keeps the "ab" or "ib"
        if word.endswith(suffix) and keep >= 5:
            return word[:keep]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """The query's meaningful words, stemmed, without repeats."""
    return list(dict.fromkeys(stem(w) for w in query_terms(text) if w not in STOPWORDS))


def search_words(text: str) -> list[str]:
    """The words looked up for a query: its own, then those its plain-language concepts add
    (concepts.py; a phrase is one entry, its words separated by spaces)."""
    words = content_words(text)
    return words + expansions(text, set(words))


def meaning_text(text: str) -> str:
    """The text whose embedding ranks by meaning: the query and its concepts' words."""
    added = expansions(text, set(content_words(text)))
    return " ".join([text, *added]) if added else text


@dataclass(slots=True)
class Candidate:
    id: int
    passes: bool
    name: str
    income: int | None
    income_date: Any
    complete: int
    local: bool = True
    words: list[str] = field(default_factory=list)  # query words it has
    similarity: float = 0.0
    score: float = 0.0


def prior(candidate: Candidate, today: date) -> float:
    """Relevance to the place without a query: size, a recent filing, a complete record."""
    size = sum(1 for step in _INCOME_STEPS if (candidate.income or 0) >= step)
    recent = 0
    when = candidate.income_date
    if isinstance(when, str) and when:
        when = date.fromisoformat(when[:10])
    if isinstance(when, date) and today - when <= RECENT_FILING:
        recent = 1
    return 2.0 * size + 2.0 * recent + candidate.complete


def order_without_query(candidates: list[Candidate]) -> list[Candidate]:
    today = date.today()
    return sorted(
        candidates,
        key=lambda c: (not c.passes, not c.local, -prior(c, today), c.name, c.id),
    )


def _name_rank(candidates: list[Candidate], words: list[str]) -> dict[int, int]:
    """A third ranking, of names that have every word of the query, shortest first (the rule
    of ADR 0005): someone who types an organisation's name finds it first."""
    if not words:
        return {}
    needles = [f" {word}" for word in words]
    named = [c for c in candidates if _has_all(f" {c.name} ", needles)]
    named.sort(key=lambda c: (len(c.name), c.name, c.id))
    return {c.id: position for position, c in enumerate(named, start=1)}


def _has_all(padded: str, needles: list[str]) -> bool:
    return all(needle in padded for needle in needles)


Semantic = dict[int, tuple[int, float]]  # organisation id -> (rank in meaning, cosine)


def semantic_ranks(
    text: str,
    ids: list[int],
    wanted: set[int],
    vectors: Vectors | None = None,
) -> Semantic:
    """Rank every organisation in `ids` by closeness in meaning to the query (matrix products
    over their vectors and their passages', held in memory by the index, or given as
    `vectors`), and return the rank and closeness of the closest SEMANTIC_MATCHES and of those
    in `wanted` (the word matches)."""
    vectors = INDEX.vectors(ids) if vectors is None else vectors
    held = vectors.ids
    if not len(held):
        return {}
    similarities = closeness(vectors, query_vector(text))
    order = np.argsort(-similarities, kind="stable")
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    rows = order[:SEMANTIC_MATCHES]
    if wanted:
        among = np.isin(held, np.fromiter(wanted, np.int64, count=len(wanted)))
        rows = np.concatenate([rows, np.flatnonzero(among)])
    # Read out as Python numbers in one go (the same values int() and float() give one by one).
    positions, closenesses = ranks[rows].tolist(), similarities[rows].tolist()
    return dict(zip(held[rows].tolist(), zip(positions, closenesses, strict=True), strict=True))


def close_in_meaning(semantic: Semantic) -> set[int]:
    """Those that count as matches by meaning alone: among the closest, and close enough."""
    return {
        pk
        for pk, (position, similarity) in semantic.items()
        if position <= SEMANTIC_MATCHES and similarity >= MIN_SIMILARITY
    }


def _word_scores(
    candidates: list[Candidate], word_ids: dict[str, set[int]], idf: dict[str, float]
) -> dict[int, float]:
    """Each candidate's word score (the inverse document frequency of the words it has, a word
    in its name counting NAME_WEIGHT times), in the candidates' order; and each candidate's
    words, in the query's order. Read word by word, from the organisations that have each word
    (a need's long text has some twenty words, and most candidates only a few of them)."""
    by_id: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_id.setdefault(candidate.id, []).append(candidate)
    scores: dict[int, float] = {}
    for word, ids in word_ids.items():
        needle, weight = f" {word}", max(idf[word], 0.05)
        for pk in ids:
            found = by_id.get(pk)
            if found is None:
                continue
            for candidate in found:
                candidate.words.append(word)
            named = NAME_WEIGHT if needle in f" {found[0].name} " else 1.0
            scores[pk] = scores.get(pk, 0.0) + weight * named
    return {c.id: scores[c.id] for c in candidates if c.id in scores}


def rank(
    text: str,
    candidates: list[Candidate],
    word_ids: dict[str, set[int]],
    *,
    total: int | None = None,
    semantic: Semantic | None = None,
) -> list[Candidate]:
    """The matches among the candidates, best first (those passing the filters first).

    `total` is how many organisations are in scope (the candidates may be only the matches of
    the words and of meaning); `semantic` their ranks in meaning, if already made."""
    if not candidates:
        return []
    total = total or len(candidates)
    if semantic is None:
        semantic = semantic_ranks(text, [c.id for c in candidates], {c.id for c in candidates})
    idf = {word: math.log((total + 1) / (len(ids) + 0.5)) for word, ids in word_ids.items()}
    lexical = _word_scores(candidates, word_ids, idf)
    # Highest score first; equal scores keep the candidates' order (a stable sort either way).
    lexical_rank = {
        pk: position
        for position, pk in enumerate(sorted(lexical, key=lexical.__getitem__, reverse=True), 1)
    }
    name_rank = _name_rank(candidates, list(word_ids))
    close = close_in_meaning(semantic)
    matched = []
    for candidate in candidates:
        in_meaning, candidate.similarity = semantic.get(candidate.id, (total + 1, 0.0))
        if candidate.id not in lexical and candidate.id not in close:
            continue
        candidate.score = 1.0 / (RRF_K + in_meaning)
        if candidate.id in lexical:
            candidate.score += 1.0 / (RRF_K + lexical_rank[candidate.id])
        if candidate.id in name_rank:
            candidate.score += 1.0 / (RRF_K + name_rank[candidate.id])
        matched.append(candidate)
    # Passing the filters first, then local, then by score (highest first), name and id: the
    # same order as one sort by (not passes, not local, -score, name, id), made as stable sorts
    # from the last key to the first, whose keys are read in C rather than built in Python.
    matched.sort(key=attrgetter("name", "id"))
    matched.sort(key=attrgetter("score"), reverse=True)
    matched.sort(key=attrgetter("local"), reverse=True)
    matched.sort(key=attrgetter("passes"), reverse=True)
    return matched
