"""Sentence embeddings computed on this machine: one model for every context (ADR 0017).

Articulation analysis and partner search both place text in the same vector space, so a
commissioner's words and a provider's words are compared with one ruler. The model is
WordLlama's `l2_supercat` (256 dimensions), whose weights and tokenizer ship inside the PyPI
wheel. Version 0.4.0.post1 looks for its tokenizer under a wrong folder name and then tries the
network, so it is loaded from the installed package folder with downloads disabled; nothing
here ever opens a socket.

Vectors are float32 and L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

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
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    cleaned = [" ".join((text or "").split()) for text in texts]
    vectors = np.zeros((len(cleaned), DIMENSIONS), dtype=np.float32)
    # Shortest first: the model pads each batch to its longest text, so batches of like lengths
    # pool far fewer padding positions. A text's vector is the same whatever its batch (padding
    # adds exact zeros after its tokens), so the order changes nothing but the time.
    present = sorted((i for i, text in enumerate(cleaned) if text), key=lambda i: len(cleaned[i]))
    if present:
        found = _model().embed([cleaned[i] for i in present], norm=True, batch_size=batch_size)
        vectors[present] = np.asarray(found, dtype=np.float32)
    return vectors


def one_thread() -> Any:
    """A context in which numpy's matrix products run on one BLAS thread. The products made with
    these vectors are small (thousands of rows of 256), and on a busy 2-core machine waking and
    waiting for BLAS threads costs many times the product itself (a 2,000-statement clustering
    took 0.4-0.7 s threaded against 0.05 s on one thread, at load 13). Every element of a product
    is summed in the same order either way, so results do not change."""
    return threadpool_limits(1, user_api="blas")


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
