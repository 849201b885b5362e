"""Emergent themes: what a conversation's statements talk about, beyond the fixed labels.

Statements are grouped by the similarity of their sentence embeddings (core.embeddings, the one
model), with k-means on the unit sphere: deterministic (the first centre is the statement
nearest the mean, each next one the statement furthest from the centres so far), so the same
statements always give the same themes. A theme is named by its characteristic words (those
most over-represented in it against the whole conversation), backed by the statements nearest
its centre, and says which perspectives speak to it. Where every perspective in the
conversation speaks to a theme, its most central sentence from each is offered as a draft
shared statement: real words, never invented text.

Pure functions over plain records (alignment.StatementRecord), no database.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from commonground.core import embeddings

from .alignment import PERSPECTIVE_LABELS, StatementRecord

MIN_STATEMENTS = 6
MAX_THEMES = 8
ITERATIONS = 15
SPEAKS_SHARE = 0.05  # a perspective speaks to a theme with at least this share of its words
QUOTES = 3
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
STOPWORDS = frozenset(
    """the and for that this with are was were have has had not but they them their there from
    you your our ours we its it's into than then what when which who whom will would should
    could can just more most much many some any all also about over under such only very been
    being out off per each other own same too how why where here these those does did doing
    done get got make made let lets may might must shall one two three us his her him she he
    i'm we're they're don't doesn't isn't aren't won't can't it's that's""".split()  # noqa: SIM905 - a word list is easier to read as text
)


@dataclass(frozen=True)
class ThemeQuote:
    statement_id: int
    perspective: str
    text: str


@dataclass
class Theme:
    number: int
    words: list[str]
    size: int
    by_perspective: dict[str, int]
    quotes: list[ThemeQuote]
    shared_by_all: bool
    drafts: list[ThemeQuote]

    @property
    def name(self) -> str:
        return ", ".join(self.words)

    @property
    def perspectives(self) -> list[str]:
        return [PERSPECTIVE_LABELS.get(p, p) for p, n in self.by_perspective.items() if n]


def _cluster(vectors: np.ndarray, k: int) -> np.ndarray:
    mean = vectors.mean(axis=0)
    centres = [int(np.argmax(vectors @ mean))]
    nearest = vectors @ vectors[centres[0]]
    while len(centres) < k:
        candidate = int(np.argmin(nearest))
        centres.append(candidate)
        nearest = np.maximum(nearest, vectors @ vectors[candidate])
    c = vectors[centres].copy()
    assignment = np.zeros(len(vectors), dtype=int)
    for _ in range(ITERATIONS):
        new = np.argmax(vectors @ c.T, axis=1)
        if _ and np.array_equal(new, assignment):
            break
        assignment = new
        for j in range(k):
            members = vectors[assignment == j]
            if len(members):
                centre = members.sum(axis=0)
                c[j] = centre / (np.linalg.norm(centre) or 1.0)
    return assignment


def _vectors(records: Sequence[StatementRecord]) -> np.ndarray:
    """Each statement's embedding: the one stored with it while it still matches its text and
    the embedding model, else computed now."""
    vectors = np.zeros((len(records), embeddings.DIMENSIONS), dtype=np.float32)
    missing = []
    for i, r in enumerate(records):
        stored = len(r.embedding) == 4 * embeddings.DIMENSIONS
        if stored and r.embedding_fingerprint == embeddings.text_fingerprint(r.text):
            vectors[i] = embeddings.from_bytes(r.embedding)
        else:
            missing.append(i)
    if missing:
        vectors[missing] = embeddings.embed([records[i].text for i in missing])
    return vectors


def _words(text: str) -> list[str]:
    return [w.strip("'-") for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def _characteristic(texts: Sequence[str], overall: Counter[str], total: int) -> list[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_words(text)))  # a word counts once a statement
    size = len(texts)
    scored = []
    for word, n in counts.items():
        if n < 2 and size > 2:
            continue
        # How much more often the word is in the theme than in the conversation, weighted by
        # how often it is in the theme: words both frequent here and rarer elsewhere.
        lift = (n / size) / ((overall[word] + 1) / (total + 1))
        scored.append((-(n / size) * math.log(1 + lift), word))
    return [word for _, word in sorted(scored)[:3]]


def _first_sentence(text: str) -> str:
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if 30 <= len(sentence) <= 220:
            return sentence
    return text.strip()


def emergent_themes(records: Sequence[StatementRecord], k: int | None = None) -> list[Theme]:
    """Themes of the statements, largest first; none when there are too few statements."""
    if len(records) < MIN_STATEMENTS:
        return []
    vectors = _vectors(records)
    k = k or max(2, min(MAX_THEMES, round(math.sqrt(len(records) / 2))))
    with embeddings.one_thread():
        assignment = _cluster(vectors, k)
    overall: Counter[str] = Counter()
    for r in records:
        overall.update(set(_words(r.text)))
    present = sorted({r.perspective for r in records})
    per_perspective = Counter(r.perspective for r in records)
    themes = []
    for j in range(k):
        members = [i for i in range(len(records)) if assignment[i] == j]
        if len(members) < 2:
            continue
        centre = vectors[members].mean(axis=0)
        central = sorted(members, key=lambda i: (-float(vectors[i] @ centre), records[i].id))
        counts = Counter(records[i].perspective for i in members)
        speaks = {p: counts.get(p, 0) for p in present}
        shared = len(present) > 1 and all(
            speaks[p] and speaks[p] / per_perspective[p] >= SPEAKS_SHARE for p in present
        )
        drafts: list[ThemeQuote] = []
        if shared:  # each perspective's most central statement, most central first
            seen: set[str] = set()
            for i in central:
                if records[i].perspective not in seen:
                    seen.add(records[i].perspective)
                    sentence = _first_sentence(records[i].text)
                    drafts.append(ThemeQuote(records[i].id, records[i].perspective, sentence))
        themes.append(
            Theme(
                number=0,
                words=_characteristic([records[i].text for i in members], overall, len(records)),
                size=len(members),
                by_perspective=speaks,
                quotes=[
                    ThemeQuote(records[i].id, records[i].perspective, records[i].text)
                    for i in central[:QUOTES]
                ],
                shared_by_all=shared,
                drafts=drafts,
            )
        )
    themes.sort(key=lambda t: (-t.size, t.name))
    for number, theme in enumerate(themes, start=1):
        theme.number = number
    return themes
