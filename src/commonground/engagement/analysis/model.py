"""The trained articulation model: labels that hold on words the lexicon never saw (ADR 0022).

The lexicon (analyser.py) finds the phrases it knows and explains them; a practice described
without naming a concept ("the contract goes to whoever quotes least") has none. The model reads
the whole statement: its features are the sentence embedding from `core.embeddings` (the one
embedding model, ADR 0017) and what the lexicon found (each label's confidence, the lexicon's
orientation and weights), and a small trained classifier per kind of label turns them into
calibrated probabilities.

Every label keeps its evidence. Where the lexicon found words for it, those words (character
spans). Otherwise the sentence that carried the decision (the sentence the model is most sure
of on its own) and the two labelled statements that read most like it ("reads like ...").

The artefact is two committed files, `model/articulation_model.npz` (weights, numpy arrays
only, no pickle) and `model/articulation_model.json` (classes, thresholds, how it was chosen and
the ids of the statements it learnt from). Training is `manage.py train_articulation_model`
(training.py); this module needs numpy only.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core import embeddings

from . import ngrams
from .analyser import (
    KINDS,
    LABELS,
    ORIENTATIONS,
    Articulation,
    Evidence,
    Label,
    analyse,
    load_lexicon,
)
from .corpus import REFORM_STANCES, Statement, load_corpus

MODEL_DIR = Path(__file__).with_name("model")
WEIGHTS_PATH = MODEL_DIR / "articulation_model.npz"
META_PATH = MODEL_DIR / "articulation_model.json"
HEADS = ("orientation", *KINDS, "reform_stance")
MULTICLASS = ("orientation", "reform_stance")
READS_LIKE = 2
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")

# Lexicon labels that are evidence for a reform stance (their spans are quoted when the
# stance is decided by the model and one of them fired).
STANCE_CUES: dict[str, frozenset[str]] = {
    "socialise": frozenset({"social_value", "place_based", "public_value"}),
    "refine": frozenset({"procurement", "transparency", "mutuality_fairness", "flexibility"}),
    "mature": frozenset(
        {"long_term", "relational", "trust", "alliance", "integrated_partnership", "partnership"}
    ),
    "replace": frozenset(
        {"grant_subsidy", "asset_transfer", "community_facilitation", "preferential_investment"}
    ),
    "none": frozenset(),
}

LEXICON_FEATURES = (
    *(f"{kind}.{label}" for kind in KINDS for label in LABELS[kind]),
    "orientation.score",
    "orientation.market_weight",
    "orientation.purpose_weight",
    "negated",
    *(f"lexicon.{o}" for o in ORIENTATIONS),
)


def lexicon_features(articulation: Articulation) -> list[float]:
    values: list[float] = []
    for kind in KINDS:
        found = {item.label: item.confidence for item in getattr(articulation, kind)}
        values += [found.get(label, 0.0) for label in LABELS[kind]]
    o = articulation.orientation
    values += [o.score, o.market_weight, o.purpose_weight, float(len(articulation.negated))]
    values += [1.0 if o.label == name else 0.0 for name in ORIENTATIONS]
    return values


def features(texts: Sequence[str], articulations: Sequence[Articulation]) -> np.ndarray:
    """One row a text: its embedding (256) then the lexicon's findings."""
    lexical = np.array([lexicon_features(a) for a in articulations], dtype=np.float32)
    return np.hstack([embeddings.embed(list(texts)), lexical.reshape(len(texts), -1)])


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


@dataclass(frozen=True)
class Head:
    """One kind of label: layers of (weights, bias) with ReLU between them, then softmax (one
    label of several) or a sigmoid per label (any number of labels), logits divided by the
    calibration temperature."""

    name: str
    classes: tuple[str, ...]
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    temperature: np.ndarray
    thresholds: np.ndarray
    # Weights of the statement's character n-grams (ngrams.py; one column a class), whose logits
    # are added to the layers' (ADR 0041); None when the head reads the features alone.
    ngram_weights: np.ndarray | None = None

    @property
    def multiclass(self) -> bool:
        return self.name in MULTICLASS

    def logits(self, x: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        if extra is not None:
            x = x + extra
        return np.asarray(x / self.temperature)

    def probabilities(self, x: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        z = self.logits(x, extra)
        return _softmax(z) if self.multiclass else _sigmoid(z)


@dataclass(frozen=True)
class ArticulationModel:
    version: str
    mean: np.ndarray
    scale: np.ndarray
    heads: dict[str, Head]
    meta: dict[str, Any]
    vocabulary: ngrams.Vocabulary | None = None

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return np.asarray((x - self.mean) / self.scale, dtype=np.float64)

    def probabilities(self, x: np.ndarray, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each head's probabilities for the feature rows `x` of the `texts`."""
        z = self.standardise(x)
        rows = None
        found = {}
        for name, head in self.heads.items():
            extra = None
            if head.ngram_weights is not None and self.vocabulary is not None:
                rows = self.vocabulary.rows(texts) if rows is None else rows
                extra = ngrams.logits(rows, head.ngram_weights)
            found[name] = head.probabilities(z, extra)
        return found


def save_model(
    path_npz: Path, path_json: Path, model_arrays: dict[str, np.ndarray], meta: dict[str, Any]
) -> None:
    path_npz.parent.mkdir(parents=True, exist_ok=True)
    # The zip records when it was written, so compare models by version (a hash of the arrays).
    ordered: dict[str, Any] = {k: model_arrays[k] for k in sorted(model_arrays)}
    np.savez_compressed(path_npz, **ordered)
    path_json.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_model(
    path_npz: Path = WEIGHTS_PATH, path_json: Path = META_PATH
) -> ArticulationModel | None:
    """The committed model, or None when there is none (the lexicon then answers alone)."""
    if not path_npz.exists() or not path_json.exists():
        return None
    meta = json.loads(path_json.read_text(encoding="utf-8"))
    with np.load(path_npz, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    return load_model_from(meta, arrays)


def load_model_from(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> ArticulationModel:
    heads = {}
    for name, spec in meta["heads"].items():
        layers = tuple(
            (arrays[f"{name}.w{i}"].astype(np.float64), arrays[f"{name}.b{i}"].astype(np.float64))
            for i in range(int(spec["layers"]))
        )
        heads[name] = Head(
            name,
            tuple(spec["classes"]),
            layers,
            arrays[f"{name}.temperature"].astype(np.float64),
            arrays[f"{name}.thresholds"].astype(np.float64),
            arrays[f"{name}.ngram_w"].astype(np.float64) if f"{name}.ngram_w" in arrays else None,
        )
    vocabulary = None
    if "ngrams.terms" in arrays:
        terms = tuple(str(t) for t in arrays["ngrams.terms"].tolist())
        vocabulary = ngrams.Vocabulary(terms, arrays["ngrams.idf"].astype(np.float64))
    return ArticulationModel(
        meta["version"],
        arrays["mean"].astype(np.float64),
        arrays["scale"],
        heads,
        meta,
        vocabulary,
    )


_lock = threading.Lock()


@lru_cache(maxsize=1)
def current_model() -> ArticulationModel | None:
    with _lock:
        return load_model()


class Reference:
    """The labelled statements the model learnt from, for "reads like ...". Which statements
    carry each label, and their texts as compared, are worked out once, not per statement."""

    def __init__(self, statements: Sequence[Statement], vectors: np.ndarray) -> None:
        self.statements = tuple(statements)
        self.vectors = vectors
        self._own = tuple(" ".join(s.text.lower().split()) for s in self.statements)
        self._with_label: dict[tuple[str, str], np.ndarray] = {}

    def with_label(self, head: str, label: str) -> np.ndarray:
        """The indexes (ascending) of the statements that carry this label."""
        key = (head, label)
        if key not in self._with_label:

            def has(s: Statement) -> bool:
                if head == "orientation":
                    return s.orientation == label
                if head == "reform_stance":
                    return s.reform_stance == label
                return label in s.labels(head)

            self._with_label[key] = np.flatnonzero([has(s) for s in self.statements])
        return self._with_label[key]

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        return np.asarray(self.vectors @ vector)

    def nearest(
        self,
        vector: np.ndarray,
        head: str,
        label: str,
        text: str,
        similarities: np.ndarray | None = None,
    ) -> list[dict[str, Any]]:
        rows = self.with_label(head, label)
        if not rows.size:
            return []
        every = self.similarities(vector) if similarities is None else similarities
        similarity = every[rows]
        own = " ".join(text.lower().split())
        found: list[dict[str, Any]] = []
        # Most similar first; equal similarities in the statements' order.
        for j in np.argsort(-similarity, kind="stable"):
            if len(found) == READS_LIKE:
                break
            i = int(rows[j])
            if self._own[i] == own:
                continue
            s = self.statements[i]
            found.append({"id": s.id, "text": s.text, "similarity": round(float(similarity[j]), 2)})
        return found


@lru_cache(maxsize=1)
def _reference(version: str) -> Reference:
    model = current_model()
    ids = set(model.meta.get("training_ids", [])) if model else set()
    labels = model.meta.get("labels", "original") if model else "original"
    statements = tuple(s for s in load_corpus(labels) if s.id in ids)
    return Reference(statements, embeddings.embed([s.text for s in statements]))


def _sentences(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + raw.index(stripped)
            found.append((start, start + len(stripped), stripped))
    return found or [(0, len(text), text.strip())]


class _SentenceFeatures:
    """The features of every sentence of a batch's statements of more than one sentence,
    computed together when the first is needed: one embedding call for the batch and each
    distinct sentence read by the lexicon once, not one call a statement."""

    def __init__(self) -> None:
        self.readers: list[_Reader] = []
        self._rows: dict[int, np.ndarray] | None = None

    def rows(self, reader: _Reader) -> np.ndarray:
        """The feature rows of the reader's sentences (their texts: `reader.sentences`)."""
        if self._rows is None:
            several = [r for r in self.readers if len(r.sentences) > 1]
            texts = [sentence for r in several for _, _, sentence in r.sentences]
            read: dict[str, Articulation] = {}
            for text in texts:
                if text not in read:
                    read[text] = analyse(text)
            x = features(texts, [read[text] for text in texts]) if texts else np.zeros((0, 0))
            self._rows, at = {}, 0
            for r in several:
                self._rows[id(r)] = x[at : at + len(r.sentences)]
                at += len(r.sentences)
        return self._rows[id(reader)]


class _Reader:
    """Builds the evidence for one statement's model-decided labels."""

    def __init__(
        self,
        model: ArticulationModel,
        text: str,
        vector: np.ndarray,
        batch: _SentenceFeatures | None = None,
    ) -> None:
        self.model, self.text, self.vector = model, text, vector
        self._sentence_probabilities: dict[str, np.ndarray] | None = None
        self._similarities: np.ndarray | None = None
        self.sentences = _sentences(text)
        self.batch = batch or _SentenceFeatures()
        self.batch.readers.append(self)

    def deciding_sentence(self, head: str, column: int) -> Evidence:
        if len(self.sentences) > 1 and self._sentence_probabilities is None:
            # Each statement's sentences are scored on their own rows, as one statement's.
            texts = [sentence for _, _, sentence in self.sentences]
            self._sentence_probabilities = self.model.probabilities(self.batch.rows(self), texts)
        best = 0
        if self._sentence_probabilities is not None:
            best = int(np.argmax(self._sentence_probabilities[head][:, column]))
        start, end, sentence = self.sentences[best]
        return Evidence(sentence, start, end, sentence, kind="sentence")

    def reads_like(self, head: str, label: str) -> list[dict[str, Any]]:
        reference = _reference(self.model.version)
        if self._similarities is None:
            self._similarities = reference.similarities(self.vector)
        return reference.nearest(self.vector, head, label, self.text, self._similarities)

    def model_label(self, head: str, label: str, column: int, confidence: float) -> Label:
        return Label(
            label,
            round(confidence, 2),
            [self.deciding_sentence(head, column)],
            basis="model",
            reads_like=self.reads_like(head, label),
        )


def _negated_labels(lexical: Articulation, kind: str) -> set[str]:
    """Labels of this kind whose lexicon words were found only negated."""
    if kind == "methodologies" or not lexical.negated:
        return set()
    found = set()
    for entry in load_lexicon().entries:
        if entry.kind == kind and any(entry.pattern.fullmatch(e.text) for e in lexical.negated):
            found.add(entry.label)
    return found


def _kind_labels(
    reader: _Reader, lexical: Articulation, kind: str, head: Head, p: np.ndarray
) -> list[Label]:
    from_lexicon = {item.label: item for item in getattr(lexical, kind)}
    negated = _negated_labels(lexical, kind)
    labels = []
    for column, label in enumerate(head.classes):
        if p[column] < head.thresholds[column]:
            continue
        if label in negated and label not in from_lexicon:
            continue  # "not about profit": a negated concept is not a label (ADR 0011)
        confidence = float(p[column])
        if label in from_lexicon:
            labels.append(replace(from_lexicon[label], confidence=round(confidence, 2)))
        else:
            labels.append(reader.model_label(kind, label, column, confidence))
    order = {label: i for i, label in enumerate(LABELS[kind])}
    return sorted(labels, key=lambda item: order.get(item.label, 99))


def _orientation(reader: _Reader, lexical: Articulation, head: Head, p: np.ndarray) -> Any:
    column = int(np.argmax(p))
    label = head.classes[column]
    probability = dict(zip(head.classes, p.tolist(), strict=True))
    score = round(probability.get("purpose", 0.0) - probability.get("market", 0.0), 3)
    o = lexical.orientation
    side = {
        "purpose": [e for e in o.evidence if e.weight > 0],
        "market": [e for e in o.evidence if e.weight < 0],
        "mixed": o.evidence if o.label == "mixed" else [],
    }.get(label, [])
    if side:
        return replace(
            o,
            label=label,
            score=score,
            confidence=round(float(p[column]), 2),
            evidence=side,
            basis="lexicon",
        )
    return replace(
        o,
        label=label,
        score=score,
        confidence=round(float(p[column]), 2),
        evidence=[reader.deciding_sentence("orientation", column)],
        basis="model",
        reads_like=reader.reads_like("orientation", label),
    )


def _stance(reader: _Reader, lexical: Articulation, head: Head, p: np.ndarray) -> Label:
    column = int(np.argmax(p))
    label = head.classes[column]
    cues = STANCE_CUES.get(label, frozenset())
    spans = [
        e
        for kind in KINDS
        for item in getattr(lexical, kind)
        if item.label in cues
        for e in item.evidence
    ]
    if spans:
        return Label(label, round(float(p[column]), 2), sorted(spans, key=lambda e: e.start))
    return reader.model_label("reform_stance", label, column, float(p[column]))


def articulate_many(
    texts: Sequence[str],
    perspectives: Sequence[str | None] | None = None,
    model: ArticulationModel | None = None,
) -> list[Articulation]:
    """The articulation of each text: the model's labels with the lexicon's evidence. Without a
    committed model, the lexicon's reading alone (model_version "")."""
    perspectives = perspectives or [None] * len(texts)
    lexical = [
        analyse(text, perspective) for text, perspective in zip(texts, perspectives, strict=True)
    ]
    model = model or current_model()
    if model is None or not texts:
        return lexical
    with embeddings.one_thread():
        return _read(model, texts, lexical)


def _read(
    model: ArticulationModel, texts: Sequence[str], lexical: list[Articulation]
) -> list[Articulation]:
    x = features(texts, lexical)
    probabilities = model.probabilities(x, texts)
    vectors = x[:, : embeddings.DIMENSIONS]
    results = []
    batch = _SentenceFeatures()
    readers = [_Reader(model, text, vectors[i], batch) for i, text in enumerate(texts)]
    for i, reader in enumerate(readers):
        p = {name: probabilities[name][i] for name in model.heads}
        result = replace(lexical[i], model_version=model.version, vector=vectors[i])
        for kind in KINDS:
            if kind in model.heads:
                setattr(
                    result, kind, _kind_labels(reader, lexical[i], kind, model.heads[kind], p[kind])
                )
        if "orientation" in model.heads:
            result.orientation = _orientation(
                reader, lexical[i], model.heads["orientation"], p["orientation"]
            )
        if "reform_stance" in model.heads:
            result.reform_stance = _stance(
                reader, lexical[i], model.heads["reform_stance"], p["reform_stance"]
            )
        results.append(result)
    return results


def articulate(text: str, perspective: str | None = None) -> Articulation:
    return articulate_many([text], [perspective])[0]


__all__ = ["REFORM_STANCES", "articulate", "articulate_many", "current_model", "load_model"]
