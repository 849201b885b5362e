"""Character n-grams of a statement, weighted by TF-IDF, for the reform stance head (ADR 0041).

The sentence embedding reads a statement's meaning; the words it uses ("grant", "in-house",
"social value", "tender") carry much of its reform stance too. Each word, padded with a space on
either side, gives its 3, 4 and 5 character pieces (a word shorter than a piece gives itself
once); a piece seen in at least two training statements is in the vocabulary. A statement's
vector is 1 + log(count) of each piece times the piece's inverse document frequency
(ln((1 + n) / (1 + df)) + 1), scaled to unit length. This is scikit-learn's `TfidfVectorizer`
with `analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True`, written with numpy
alone so that reading needs no scikit-learn (a test checks the two agree).

The model's reform stance logits add the dense head's and `logits(texts, weights)` (ADR 0041).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

SIZES = (3, 4, 5)
MIN_DF = 2
_SPACES = re.compile(r"\s\s+")


def pieces(text: str) -> Counter[str]:
    """How often each character n-gram occurs in the text (words padded with spaces)."""
    found: Counter[str] = Counter()
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        length = len(padded)
        for n in SIZES:
            if length <= n:
                found[padded] += 1
                break
            found.update(padded[i : i + n] for i in range(length - n + 1))
    return found


@dataclass(frozen=True)
class Vocabulary:
    """The pieces kept (sorted) and each one's inverse document frequency."""

    terms: tuple[str, ...]
    idf: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.terms)})

    def index(self, term: str) -> int | None:
        found: int | None = self.__dict__["_index"].get(term)
        return found

    def rows(self, texts: Iterable[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each text's vector as (column indexes, values), unit length (empty if none known)."""
        found = []
        for text in texts:
            columns, counts = [], []
            for term, count in pieces(text).items():
                column = self.index(term)
                if column is not None:
                    columns.append(column)
                    counts.append(count)
            index = np.array(columns, dtype=np.int64)
            values = (1.0 + np.log(np.array(counts, dtype=np.float64))) * self.idf[index]
            norm = float(np.sqrt((values**2).sum()))
            found.append((index, values / norm if norm > 0 else values))
        return found


def fit(texts: Sequence[str]) -> Vocabulary:
    frequency: Counter[str] = Counter()
    for text in texts:
        frequency.update(pieces(text).keys())
    terms = tuple(sorted(t for t, df in frequency.items() if df >= MIN_DF))
    df = np.array([frequency[t] for t in terms], dtype=np.float64)
    return Vocabulary(terms, np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0)


def logits(rows: Sequence[tuple[np.ndarray, np.ndarray]], weights: np.ndarray) -> np.ndarray:
    """One row of logits a text: its vector times the weights (one column a class)."""
    out = np.zeros((len(rows), weights.shape[1]))
    for i, (index, values) in enumerate(rows):
        if len(index):
            out[i] = values @ weights[index]
    return out


def matrix(rows: Sequence[tuple[np.ndarray, np.ndarray]], width: int) -> Any:
    """The rows as a scipy sparse matrix (training only)."""
    from scipy import sparse

    indptr = np.cumsum([0, *(len(index) for index, _ in rows)])
    columns = np.concatenate([index for index, _ in rows]) if rows else np.zeros(0, int)
    values = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
    return sparse.csr_matrix((values, columns, indptr), shape=(len(rows), width))
