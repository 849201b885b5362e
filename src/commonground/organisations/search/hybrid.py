"""Hybrid partner search within a place: words and meaning together (ADR 0022).

Within a place (a local authority holds a few thousand organisations) every organisation in
scope is a candidate. Two rankings are made and fused:

- words: each meaningful word of the query (as the start of a word, so "befriending" finds
  "befriend" too) is looked up in the full-text index within the place; an organisation scores
  the inverse document frequency of the words it has, so rarer words count for more, and a word
  in its name counts half as much again;
- meaning: the cosine similarity of the query's embedding and the organisation's (name,
  activities, classifications), from core.embeddings.

The rankings are fused by reciprocal rank (each contributes 1 / (RRF_K + rank)), which needs no
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
from typing import Any

import numpy as np

from .concepts import expansion_groups, expansions
from .normalise import query_terms
from .semantic import INDEX, Vectors, closeness, query_vector

# Reciprocal rank fusion's constant: each ranking adds 1 / (RRF_K + rank). The usual 60 suits
# long lists; a place's rankings are short and their first places matter most. Chosen on the
# 89 development queries and the development needs (ADR 0024 amendment): 3 to 20 all scored
# about the same, well above 60.
RRF_K = 10
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
    return [word for group in word_groups(text) for word in group]


def word_groups(text: str) -> list[list[str]]:
    """search_words in the groups that score together: each of the query's own words alone,
    then the words each concept adds, alternatives of which an organisation is credited with
    the best it has (a charity listing choirs, bands and orchestras is not three times as
    musical)."""
    words = content_words(text)
    return [[word] for word in words] + expansion_groups(text, set(words))


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
    complete: int | None  # None where not read (a search with words does not use the prior)
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
    return 2.0 * size + 2.0 * recent + (candidate.complete or 0)


def order_without_query(candidates: list[Candidate]) -> list[Candidate]:
    today = date.today()
    return sorted(
        candidates,
        key=lambda c: (not c.passes, not c.local, -prior(c, today), c.name, c.id),
    )


def _name_rank(candidates: list[Candidate], padded: list[str], words: list[str]) -> np.ndarray:
    """A third ranking, of names that have every word of the query, shortest first (the rule
    of ADR 0005): someone who types an organisation's name finds it first. Each candidate's
    position, 0 where its name lacks a word (`padded`: the names with a space either side)."""
    positions = np.zeros(len(candidates), dtype=np.int64)
    if not words:
        return positions
    needles = [f" {word}" for word in words]
    if len(needles) == 1:  # most queries: a test on each name, not a generator each
        named = [i for i, name in enumerate(padded) if needles[0] in name]
    else:
        named = [i for i, name in enumerate(padded) if all(needle in name for needle in needles)]
    named.sort(key=lambda i: (len(candidates[i].name), candidates[i].name, candidates[i].id))
    positions[named] = np.arange(1, len(named) + 1)
    return positions


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
        among = _members(held, np.fromiter(wanted, np.int64, count=len(wanted)))
        rows = np.concatenate([rows, np.flatnonzero(among)])
    # Read out as Python numbers in one go (the same values int() and float() give one by one).
    positions, closenesses = ranks[rows].tolist(), similarities[rows].tolist()
    return dict(zip(held[rows].tolist(), zip(positions, closenesses, strict=True), strict=True))


# Ids span at most this much for a look-up table (a byte an id in the span) to test membership.
_TABLE_SPAN = 50_000_000


def _members(ids: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Which of `ids` are in `among`: by a look-up table over the span of `among`'s ids (a
    place's thousands of matches: about a tenth of the time of numpy's sorting method), or by
    sorting where the span is too wide for a table."""
    if not len(among):
        return np.zeros(len(ids), dtype=bool)
    wide = int(among.max()) - int(among.min()) > _TABLE_SPAN
    return np.isin(ids, among, kind="sort" if wide else "table")


def close_in_meaning(semantic: Semantic) -> set[int]:
    """Those that count as matches by meaning alone: among the closest, and close enough."""
    return {
        pk
        for pk, (position, similarity) in semantic.items()
        if position <= SEMANTIC_MATCHES and similarity >= MIN_SIMILARITY
    }


def _word_scores(
    candidates: list[Candidate],
    ids: np.ndarray,
    padded: list[str],
    word_ids: dict[str, set[int]],
    idf: dict[str, float],
    groups: list[list[str]],
) -> np.ndarray:
    """Each candidate's word score, in the candidates' order (0 for none): for each group of
    words, the best it has of their inverse document frequencies (a word in its name counting
    NAME_WEIGHT times), summed over the groups. Also each candidate's words, in the query's
    order. Read word by word, from the organisations that have each word (a need's long text
    has some twenty words, and most candidates only a few of them); `ids` are the candidates'
    ids, each once."""
    scores = np.zeros(len(candidates), dtype=np.float64)
    for group in groups:
        best = np.zeros(len(candidates), dtype=np.float64)
        for word in group:
            having = word_ids.get(word, set())
            wanted = np.fromiter(having, dtype=np.int64, count=len(having))
            rows = np.flatnonzero(_members(ids, wanted))
            needle, weight = f" {word}", max(idf[word], 0.05)
            named = [NAME_WEIGHT if needle in padded[i] else 1.0 for i in rows.tolist()]
            for i in rows.tolist():
                candidates[i].words.append(word)
            best[rows] = np.maximum(best[rows], weight * np.asarray(named, dtype=np.float64))
        # Added group by group, in the query's order, as one number at a time would add them.
        scores += best
    return scores


def rank(
    text: str,
    candidates: list[Candidate],
    word_ids: dict[str, set[int]],
    *,
    total: int | None = None,
    semantic: Semantic | None = None,
    groups: list[list[str]] | None = None,
) -> list[Candidate]:
    """The matches among the candidates, best first (those passing the filters first).

    `total` is how many organisations are in scope (the candidates may be only the matches of
    the words and of meaning); `semantic` their ranks in meaning, if already made; `groups`
    the words in the groups that score together (word_groups; each word alone if not given)."""
    if not candidates:
        return []
    total = total or len(candidates)
    if semantic is None:
        semantic = semantic_ranks(text, [c.id for c in candidates], {c.id for c in candidates})
    idf = {word: math.log((total + 1) / (len(ids) + 0.5)) for word, ids in word_ids.items()}
    ids = np.fromiter((c.id for c in candidates), dtype=np.int64, count=len(candidates))
    padded = [f" {c.name} " for c in candidates]
    if groups is None:
        groups = [[word] for word in word_ids]
    lexical = _word_scores(candidates, ids, padded, word_ids, idf, groups)
    has_word = lexical > 0
    # Highest score first; equal scores keep the candidates' order (a stable sort either way).
    by_words = np.flatnonzero(has_word)
    lexical_rank = np.zeros(len(candidates), dtype=np.int64)
    lexical_rank[by_words[np.argsort(-lexical[by_words], kind="stable")]] = np.arange(
        1, len(by_words) + 1
    )
    name_rank = _name_rank(candidates, padded, list(word_ids))
    close = close_in_meaning(semantic)
    absent = (total + 1, 0.0)
    meaning = [semantic.get(pk, absent) for pk in ids.tolist()]
    in_meaning = np.fromiter((m[0] for m in meaning), dtype=np.int64, count=len(meaning))
    kept = has_word | _members(ids, np.fromiter(close, dtype=np.int64, count=len(close)))
    # Each term added as one number at a time would add it: meaning, then words, then name.
    score = 1.0 / (RRF_K + in_meaning)
    score += np.where(has_word, 1.0 / (RRF_K + lexical_rank), 0.0)
    score += np.where(name_rank > 0, 1.0 / (RRF_K + name_rank), 0.0)
    matched = []
    for i in _best_first(candidates, np.flatnonzero(kept), score):
        candidate = candidates[i]
        candidate.similarity = meaning[i][1]
        candidate.score = float(score[i])
        matched.append(candidate)
    return matched


def _best_first(candidates: list[Candidate], rows: np.ndarray, score: np.ndarray) -> list[int]:
    """`rows` of the candidates in order: passing the filters first, then local, then by score
    (highest first), then name and id. Sorted by numpy on the first three keys; only runs of
    equal keys (rare: scores are sums of distinct reciprocal ranks) are sorted again by name
    and id in Python, since comparing thousands of names was most of a search's sorting."""
    passes = np.fromiter((candidates[i].passes for i in rows.tolist()), dtype=bool, count=len(rows))
    local = np.fromiter((candidates[i].local for i in rows.tolist()), dtype=bool, count=len(rows))
    scores = score[rows]
    order = np.lexsort((-scores, ~local, ~passes))  # the last key sorts first
    ordered = rows[order].tolist()
    keys = (passes[order], local[order], scores[order])
    same = (
        (keys[0][1:] == keys[0][:-1])
        & (keys[1][1:] == keys[1][:-1])
        & (keys[2][1:] == keys[2][:-1])
    )
    for start, end in _runs(same):
        ordered[start:end] = sorted(
            ordered[start:end], key=lambda i: (candidates[i].name, candidates[i].id)
        )
    return ordered


def _runs(same: np.ndarray) -> list[tuple[int, int]]:
    """The [start, end) spans of items equal to the one before (`same[k]`: item k + 1 equals
    item k), each with its first item."""
    edges = np.diff(np.concatenate(([0], same.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(a), int(b) + 1) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
