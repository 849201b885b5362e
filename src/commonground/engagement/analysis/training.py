"""Training the articulation model from the labelled corpus (ADR 0022).

Only the development set and the train split are read; the test split never is. For each kind
of label, candidate classifiers are compared by 5-fold cross-validation grouped by source (no
document in two folds), and the best one that can be saved as plain arrays is kept:

- `lr`: logistic regression over the standardised features, at several strengths of
  regularisation (C), with or without balanced class weights;
- `mlp`: a small neural network (one hidden layer of 32 ReLU units);
- measured, not savable without pickle, so reported only: a linear SVM with sigmoid
  calibration (`svm`) and k nearest neighbours by cosine (`knn`).

Candidates are scored, and the calibration fitted on the out-of-fold probabilities, on the
published train statements only (`scored`): the development set is learnt from in every fold
but, written for the project, does not decide. Calibration is a temperature (one a label) or
Platt-style scaling (a slope and an offset), whichever has the lower ECE when fitted on half the
sources and measured on the other half; it is folded into the last layer's weights. For labels
that may be several at once, the threshold that gives the best out-of-fold F1 on the same
statements.
The reform stance head also reads the statement's character n-grams (ngrams.py, ADR 0041): a
logistic regression over their TF-IDF vector, whose log-probabilities are averaged half and half
with the chosen classifier's before calibration (a sum of logits, so it stays two sets of plain
weights). The out-of-fold figure with and without it is recorded.
Everything is deterministic (fixed folds and seeds), so training again on the same corpus gives
the same artefact.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from commonground.core.embeddings import MODEL_NAME

from . import ngrams
from .analyser import LABELS, ORIENTATIONS, analyse
from .corpus import REFORM_STANCES, Statement, row_checksum
from .model import HEADS, MULTICLASS, features

FOLDS = 5
SEED = 13
HIDDEN = 32
# Strong regularisation wins on the published statements: 294 features, about 1,200 statements.
LR_CS = (0.003, 0.01, 0.03, 0.1)
# The small neural network is slow to cross-validate on 2 shared cores: compared on request.
WITH_MLP = False
# Heads that add the character n-grams, with the n-gram regression's C (balanced class weights),
# and the n-grams' share of the averaged log-probabilities: measured by grouped cross-validation
# on four partitions of the sources (ADR 0041, part A).
NGRAM_HEADS = {"reform_stance": 3.0}
NGRAM_MIX = 0.5


def classes_for(head: str) -> tuple[str, ...]:
    if head == "orientation":
        return ORIENTATIONS
    if head == "reform_stance":
        return REFORM_STANCES
    return LABELS[head]


def targets(statements: Sequence[Statement], head: str) -> np.ndarray:
    """Class index a statement (multiclass heads) or a 0/1 matrix (label heads)."""
    classes = classes_for(head)
    if head in MULTICLASS:
        value = {
            s.id: (s.orientation if head == "orientation" else s.reform_stance) for s in statements
        }
        return np.array([classes.index(value[s.id]) for s in statements])
    return np.array([[1 if c in s.labels(head) else 0 for c in classes] for s in statements])


def labelled_for(statements: Sequence[Statement], head: str) -> list[Statement]:
    if head == "reform_stance":
        # The practice set teaches orientation only: adding its stances lowered cross-validated
        # reform stance in every fold (ADR 0036, part C).
        return [s for s in statements if s.reform_stance and s.split != "practice"]
    if head == "orientation":
        return list(statements)
    return [s for s in statements if s.lists_labelled]


def groups(statements: Sequence[Statement]) -> np.ndarray:
    return np.array([s.source_id or s.id for s in statements])


def scored(statements: Sequence[Statement]) -> np.ndarray:
    """Which statements choose and calibrate: the published train statements, the kind of words
    the model must read, when there are enough of them; else every statement. The development
    set is still learnt from, but it was written for the project and labels some hard cases
    differently (the dataset card), so it does not decide."""
    published = np.array([s.split == "train" for s in statements], dtype=bool)
    return published if published.sum() >= 100 else np.ones(len(statements), dtype=bool)


def folds(statements: Sequence[Statement]) -> list[tuple[np.ndarray, np.ndarray]]:
    return folds_of(statements, FOLDS)


def folds_of(statements: Sequence[Statement], count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    n = min(count, len(set(groups(statements))))
    splitter = GroupKFold(n_splits=n)
    return list(splitter.split(np.zeros(len(statements)), groups=groups(statements)))


@dataclass(frozen=True)
class Candidate:
    name: str
    savable: bool
    make: Callable[[], Any]


def candidates(head: str) -> list[Candidate]:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import LinearSVC

    found = []
    for c in LR_CS:
        for weight in (None, "balanced"):
            name = f"lr C={c}" + (" balanced" if weight else "")
            found.append(
                Candidate(
                    name,
                    True,
                    partial(LogisticRegression, C=c, class_weight=weight, max_iter=3000),
                )
            )
    if WITH_MLP or os.environ.get("ARTICULATION_WITH_MLP"):
        found.append(
            Candidate(
                f"mlp {HIDDEN}",
                True,
                lambda: MLPClassifier(
                    (HIDDEN,), alpha=1.0, max_iter=200, early_stopping=False, random_state=SEED
                ),
            )
        )
    found.append(
        Candidate(
            "svm sigmoid",
            False,
            lambda: CalibratedClassifierCV(LinearSVC(C=0.05), cv=3, method="sigmoid"),
        )
    )
    found.append(
        Candidate(
            "knn 15", False, lambda: KNeighborsClassifier(15, metric="cosine", weights="distance")
        )
    )
    return found


def _fit_predict(
    candidate: Candidate, head: str, x: np.ndarray, y: np.ndarray, x_out: np.ndarray
) -> tuple[np.ndarray, Any]:
    """Probabilities for x_out (one column a class or label) and the fitted estimator(s)."""
    if head in MULTICLASS:
        estimator = candidate.make().fit(x, y)
        p = np.zeros((len(x_out), len(classes_for(head))))
        p[:, estimator.classes_] = estimator.predict_proba(x_out)
        return p, estimator
    if candidate.name.startswith("mlp"):
        estimator = candidate.make().fit(x, y)
        return np.asarray(estimator.predict_proba(x_out)), estimator
    p = np.zeros((len(x_out), y.shape[1]))
    fitted: list[Any] = []
    for column in range(y.shape[1]):
        if len(set(y[:, column])) < 2:  # a label never or always seen: its rate
            p[:, column] = y[:, column].mean() if len(y) else 0.0
            fitted.append(float(y[:, column].mean()) if len(y) else 0.0)
            continue
        estimator = candidate.make().fit(x, y[:, column])
        p[:, column] = estimator.predict_proba(x_out)[:, 1]
        fitted.append(estimator)
    return p, fitted


def out_of_fold(
    candidate: Candidate,
    head: str,
    x: np.ndarray,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
) -> np.ndarray:
    p = np.zeros((len(x), len(classes_for(head))))
    for fit_index, out_index in splits:
        p[out_index], _ = _fit_predict(candidate, head, x[fit_index], y[fit_index], x[out_index])
    return p


def _ngram_estimator(head: str) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=NGRAM_HEADS[head], class_weight="balanced", max_iter=3000)


def ngram_out_of_fold(
    head: str, texts: Sequence[str], y: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Out-of-fold probabilities of the n-gram regression (vocabulary from each fold's fitting
    side only)."""
    p = np.zeros((len(texts), len(classes_for(head))))
    for fit, out in splits:
        vocabulary = ngrams.fit([texts[i] for i in fit])
        x: Any = ngrams.matrix(vocabulary.rows(texts), len(vocabulary.terms))
        estimator = _ngram_estimator(head).fit(x[fit], y[fit])
        p[np.ix_(out, estimator.classes_)] = estimator.predict_proba(x[out])
    return p


def with_ngrams(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The normalised geometric mean of the head's (p) and the n-grams' (q) probabilities."""
    eps = 1e-9
    z = (1 - NGRAM_MIX) * np.log(np.clip(p, eps, 1)) + NGRAM_MIX * np.log(np.clip(q, eps, 1))
    z = z - z.max(axis=1, keepdims=True)
    return np.asarray(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))


def _fit_ngrams(
    head: str, vocabulary: ngrams.Vocabulary, texts: Sequence[str], y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The n-gram regression's weights (one column a class) and bias, fitted on every text."""
    x = ngrams.matrix(vocabulary.rows(texts), len(vocabulary.terms))
    estimator = _ngram_estimator(head).fit(x, y)
    w = np.zeros((len(vocabulary.terms), len(classes_for(head))))
    b = np.zeros(len(classes_for(head)))
    w[:, estimator.classes_], b[estimator.classes_] = estimator.coef_.T, estimator.intercept_
    return w, b


def macro_f1(
    head: str, y: np.ndarray, p: np.ndarray, thresholds: np.ndarray | None = None
) -> float:
    from sklearn.metrics import f1_score

    if head in MULTICLASS:
        if head == "orientation":
            return float((p.argmax(axis=1) == y).mean())
        return float(f1_score(y, p.argmax(axis=1), average="macro", zero_division=0))
    limit = 0.5 if thresholds is None else thresholds
    predicted = (p >= limit).astype(int)
    present = y.sum(axis=0) + predicted.sum(axis=0) > 0
    scores = f1_score(y, predicted, average=None, zero_division=0)
    return float(np.mean(scores[present])) if present.any() else 0.0


def fit_temperature(head: str, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The temperature (one for a multiclass head, one a label otherwise) that minimises the
    out-of-fold log loss, searched on a fixed grid."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(4.0), 41))
    eps = 1e-6
    if head in MULTICLASS:
        logits = np.log(np.clip(p, eps, 1.0))
        best, best_loss = 1.0, np.inf
        for t in grid:
            z = logits / t
            z = z - z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            loss = -log_p[np.arange(len(y)), y].mean()
            if loss < best_loss - 1e-12:
                best, best_loss = float(t), loss
        return np.array([best])
    clipped = np.clip(p, eps, 1 - eps)
    logits = np.log(clipped / (1 - clipped))
    temperatures = np.ones(p.shape[1])
    for column in range(p.shape[1]):
        losses = []
        for t in grid:
            q = np.clip(1 / (1 + np.exp(-logits[:, column] / t)), eps, 1 - eps)
            losses.append(-(y[:, column] * np.log(q) + (1 - y[:, column]) * np.log(1 - q)).mean())
        temperatures[column] = float(grid[int(np.argmin(losses))])
    return temperatures


def recalibrate(head: str, p: np.ndarray, temperature: np.ndarray) -> np.ndarray:
    eps = 1e-6
    if head in MULTICLASS:
        z = np.log(np.clip(p, eps, 1.0)) / temperature[0]
        z = z - z.max(axis=1, keepdims=True)
        return np.asarray(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    clipped = np.clip(p, eps, 1 - eps)
    return np.asarray(1 / (1 + np.exp(-np.log(clipped / (1 - clipped)) / temperature)))


def _logits(head: str, p: np.ndarray) -> np.ndarray:
    eps = 1e-6
    if head in MULTICLASS:
        return np.asarray(np.log(np.clip(p, eps, 1.0)))
    clipped = np.clip(p, eps, 1 - eps)
    return np.asarray(np.log(clipped / (1 - clipped)))


def _scaled(head: str, z: np.ndarray, scale: np.ndarray, shift: np.ndarray) -> np.ndarray:
    logits = z * scale + shift
    if head in MULTICLASS:
        logits = logits - logits.max(axis=1, keepdims=True)
        return np.asarray(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))
    return np.asarray(1 / (1 + np.exp(-np.clip(logits, -30, 30))))


def fit_scaling(head: str, y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Platt-style scaling of the out-of-fold logits: a slope and an offset for each label, or
    one slope and an offset a class (one label of several), minimising the log loss. Unlike a
    temperature alone it also corrects the shift in base rates that balanced class weights
    bring."""
    from scipy.optimize import minimize

    z = _logits(head, p)
    if head in MULTICLASS:
        k = z.shape[1]

        def loss(theta: np.ndarray) -> float:
            q = _scaled(head, z, theta[0], theta[1:])
            return float(-np.log(np.clip(q[np.arange(len(y)), y], 1e-9, 1)).mean())

        found = minimize(loss, np.r_[1.0, np.zeros(k)], method="L-BFGS-B").x
        return np.array([found[0]]), np.asarray(found[1:])
    scale, shift = np.ones(z.shape[1]), np.zeros(z.shape[1])
    for column in range(z.shape[1]):
        t = y[:, column]
        if t.min() == t.max():
            continue

        def binary(theta: np.ndarray, c: int = column, t: np.ndarray = t) -> float:
            q = np.clip(_scaled(head, z[:, c], theta[0], theta[1]), 1e-9, 1 - 1e-9)
            return float(-(t * np.log(q) + (1 - t) * np.log(1 - q)).mean())

        scale[column], shift[column] = minimize(binary, np.r_[1.0, 0.0], method="L-BFGS-B").x
    return scale, shift


def calibration_error(head: str, y: np.ndarray, p: np.ndarray) -> float:
    """ECE (10 bins): of the top class's confidence for one label of several, else of every
    label's probability against whether the label applies."""
    if head in MULTICLASS:
        confidence, outcome = p.max(axis=1), (p.argmax(axis=1) == y).astype(float)
    else:
        confidence, outcome = p.ravel(), y.ravel().astype(float)
    return expected_calibration_error(confidence, outcome)


def expected_calibration_error(
    confidence: Sequence[float] | np.ndarray, correct: Sequence[Any] | np.ndarray
) -> float:
    """Mean gap between confidence and accuracy over 10 equal-width bins, weighted by size."""
    c = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    if not len(c):
        return 0.0
    bins = np.minimum((c * 10).astype(int), 9)
    return float(
        sum(
            (bins == b).mean() * abs(c[bins == b].mean() - ok[bins == b].mean())
            for b in range(10)
            if (bins == b).any()
        )
    )


def choose_calibration(
    head: str, y: np.ndarray, p: np.ndarray, statements: Sequence[Statement]
) -> tuple[str, dict[str, float]]:
    """Temperature or Platt-style scaling, whichever has the lower cross-fitted ECE: each is
    fitted on the out-of-fold probabilities of half the sources and measured on the other."""
    halves = folds_of(statements, 2)
    measured = {}
    for name in ("temperature", "platt"):
        errors = []
        for fit, out in halves:
            if name == "temperature":
                q = recalibrate(head, p[out], fit_temperature(head, y[fit], p[fit]))
            else:
                scale, shift = fit_scaling(head, y[fit], p[fit])
                q = _scaled(head, _logits(head, p[out]), scale, shift)
            errors.append(calibration_error(head, y[out], q))
        measured[name] = round(float(np.mean(errors)), 4)
    return min(measured, key=lambda n: (measured[n], n != "temperature")), measured


def fit_thresholds(head: str, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    if head in MULTICLASS:
        return np.zeros(len(classes_for(head)))
    from sklearn.metrics import f1_score

    thresholds = np.full(p.shape[1], 0.5)
    for column in range(p.shape[1]):
        if y[:, column].sum() == 0:
            continue
        grid = np.round(np.arange(0.2, 0.81, 0.05), 2)
        scores = [f1_score(y[:, column], p[:, column] >= t, zero_division=0) for t in grid]
        thresholds[column] = float(grid[int(np.argmax(scores))])
    return thresholds


def corpus_features(statements: Sequence[Statement]) -> np.ndarray:
    texts = [s.text for s in statements]
    return features(texts, [analyse(t) for t in texts])


def fingerprint(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for key in sorted(arrays):
        digest.update(key.encode())
        if arrays[key].dtype.kind == "U":  # the n-gram vocabulary
            digest.update("\n".join(arrays[key].tolist()).encode("utf-8"))
            continue
        digest.update(np.ascontiguousarray(arrays[key], dtype="<f8").tobytes())
    return digest.hexdigest()[:10]


def _layers(
    head: str, candidate: Candidate, fitted: Any, y: np.ndarray, width: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The fitted estimator(s) as (weights, bias) layers giving one logit a class or label."""
    n_out = len(classes_for(head))
    if head in MULTICLASS:
        present = list(fitted.classes_)
        if candidate.name.startswith("mlp"):
            layers = [
                (np.array(w), np.array(b))
                for w, b in zip(fitted.coefs_, fitted.intercepts_, strict=True)
            ]
            w_last, b_last = layers[-1]
        else:
            layers, w_last, b_last = [], fitted.coef_.T, fitted.intercept_
        if w_last.shape[1] == 1:  # two classes: one logit for the second
            w_last = np.hstack([np.zeros_like(w_last), w_last])
            b_last = np.concatenate([[0.0], b_last])
        w = np.zeros((w_last.shape[0], n_out))
        b = np.full(n_out, -30.0)  # a class never seen in training is never answered
        w[:, present], b[present] = w_last, b_last
        return [*layers[:-1], (w, b)] if layers else [(w, b)]
    if candidate.name.startswith("mlp"):
        return [
            (np.array(w), np.array(b))
            for w, b in zip(fitted.coefs_, fitted.intercepts_, strict=True)
        ]
    w = np.zeros((width, n_out))
    b = np.zeros(n_out)
    for column, estimator in enumerate(fitted):
        if isinstance(estimator, float):
            rate = min(max(estimator, 1e-4), 1 - 1e-4)
            b[column] = np.log(rate / (1 - rate))
        else:
            w[:, column], b[column] = estimator.coef_[0], estimator.intercept_[0]
    return [(w, b)]


def train_head(
    head: str,
    z: np.ndarray,
    statements: Sequence[Statement],
    choice: str | None = None,
    vocabulary: ngrams.Vocabulary | None = None,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Select (or use `choice`), calibrate and fit one head on all its training statements;
    a head of NGRAM_HEADS adds the n-grams of `vocabulary`."""
    y = targets(statements, head)
    splits = folds(statements)
    on = scored(statements)
    measured: dict[str, float] = {}
    oof: dict[str, np.ndarray] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the small-data candidates
        pool = [c for c in candidates(head) if choice is None or c.name == choice]
        for candidate in pool:
            oof[candidate.name] = out_of_fold(candidate, head, z, y, splits)
            measured[candidate.name] = round(macro_f1(head, y[on], oof[candidate.name][on]), 4)
        best = max((c for c in pool if c.savable), key=lambda c: (measured[c.name], -len(c.name)))
        chosen_oof = oof[best.name]
        texts = [s.text for s in statements]
        if head in NGRAM_HEADS and vocabulary is not None:
            chosen_oof = with_ngrams(chosen_oof, ngram_out_of_fold(head, texts, y, splits))
            measured[f"{best.name} + char n-grams"] = round(
                macro_f1(head, y[on], chosen_oof[on]), 4
            )
        subset = [s for s, keep in zip(statements, on, strict=True) if keep]
        method, calibration = choose_calibration(head, y[on], chosen_oof[on], subset)
        if method == "platt":
            scale, shift = fit_scaling(head, y[on], chosen_oof[on])
            temperature = np.ones(1 if head in MULTICLASS else y.shape[1])
        else:
            temperature = fit_temperature(head, y[on], chosen_oof[on])
            scale, shift = np.ones_like(temperature), np.zeros(len(classes_for(head)))
        calibrated = _scaled(head, _logits(head, chosen_oof), scale, shift)
        calibrated = recalibrate(head, calibrated, temperature)
        thresholds = fit_thresholds(head, y[on], calibrated[on])
        _, fitted = _fit_predict(best, head, z, y, z[:1])
        arrays = {f"{head}.temperature": temperature, f"{head}.thresholds": thresholds}
        layers = _layers(head, best, fitted, y, z.shape[1])
        w_last, b_last = layers[-1]
        if head in NGRAM_HEADS and vocabulary is not None:
            w_ngram, b_ngram = _fit_ngrams(head, vocabulary, texts, y)
            w_last = (1 - NGRAM_MIX) * w_last
            b_last = (1 - NGRAM_MIX) * b_last + NGRAM_MIX * b_ngram
            arrays[f"{head}.ngram_w"] = (NGRAM_MIX * w_ngram * scale).astype("<f4")
    # The scaling folded into the last layer's logits.
    layers[-1] = (w_last * scale, b_last * scale + shift)
    for i, (w, b) in enumerate(layers):
        arrays[f"{head}.w{i}"], arrays[f"{head}.b{i}"] = w.astype("<f4"), b.astype("<f4")
    spec = {
        "classes": list(classes_for(head)),
        "layers": len(layers),
        "chosen": best.name,
        "calibration": method,
        "calibration_error_cross_fitted": calibration,
        "cross_validated": measured,
        "cross_validated_after_calibration": round(
            macro_f1(head, y[on], calibrated[on], thresholds), 4
        ),
        "scored_on": int(on.sum()),
        "trained_on": len(statements),
    }
    return spec, arrays


def train(
    statements: Sequence[Statement],
    choices: dict[str, str] | None = None,
    labels: str = "original",
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The artefact (meta, arrays) from the trainable statements given (never a test split);
    `labels` names the label set the statements carry (corpus.LABEL_SETS), recorded in meta."""
    from threadpoolctl import threadpool_limits

    # One BLAS thread: on 2 shared cores, more threads make the many small fits much slower.
    with threadpool_limits(limits=1):
        meta, arrays = _train(statements, choices)
    return {**meta, "labels": labels}, arrays


def _train(
    statements: Sequence[Statement], choices: dict[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    statements = [s for s in statements if s.trainable]
    x = corpus_features(statements).astype(np.float64)
    # Standardised over the fully labelled statements, so that adding the practice set (which
    # teaches orientation only) leaves the other heads' features, and so their fits, unchanged.
    listed = np.array([s.lists_labelled for s in statements], dtype=bool)
    base = x[listed] if listed.any() else x
    mean, scale = base.mean(axis=0), np.maximum(base.std(axis=0), 1e-3)
    arrays: dict[str, np.ndarray] = {"mean": mean.astype("<f4"), "scale": scale.astype("<f4")}
    # Standardised with the stored (float32) figures, so training and use see the same numbers.
    z = (x - arrays["mean"].astype(np.float64)) / arrays["scale"]
    heads: dict[str, Any] = {}
    vocabulary = None
    if NGRAM_HEADS:
        vocabulary = ngrams.fit([s.text for s in statements])
        arrays["ngrams.terms"] = np.array(vocabulary.terms)
        arrays["ngrams.idf"] = vocabulary.idf.astype("<f8")
    for head in HEADS:
        subset = labelled_for(statements, head)
        if (
            len(subset) < 30
            or len({tuple(r) for r in np.atleast_2d(targets(subset, head).T).T}) < 2
        ):
            continue  # too few labelled statements to learn this kind of label
        wanted = {s.id for s in subset}
        rows = np.array([i for i, s in enumerate(statements) if s.id in wanted])
        spec, head_arrays = train_head(head, z[rows], subset, (choices or {}).get(head), vocabulary)
        heads[head], arrays = spec, {**arrays, **head_arrays}
    meta = {
        "version": f"articulation-{fingerprint(arrays)}",
        "embedding_model": MODEL_NAME,
        "features": ["embedding"] * 256 + ["lexicon " + f for f in _lexicon_names()],
        "heads": heads,
        "training_ids": sorted(s.id for s in statements),
        "training_checksum": row_checksum(statements),
    }
    return meta, arrays


def _lexicon_names() -> list[str]:
    from .model import LEXICON_FEATURES

    return list(LEXICON_FEATURES)
