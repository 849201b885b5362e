"""Alternatives to the articulation model's recipe, measured by grouped cross-validation only.

`PYTHONPATH=src python -m commonground.engagement.analysis.alternatives [--labels adjudicated]`
compares, for orientation (accuracy) and reform stance (macro-F1), the committed recipe (logistic
regression over the embedding and lexicon features) with the alternatives ADR 0036 records:

- k nearest neighbours over the training statements' embeddings (a saved matrix of vectors
  would be the artefact), similarity-weighted (softmax of cosine / 0.1);
- the average of the logistic regression's and the neighbours' probabilities;
- clause vectors: each statement split at commas, semicolons, colons, sentence ends and
  "but", "because", "although", "while", "whereas", "yet", and the mean and maximum of the
  clauses' embeddings added to the features;
- counts of negation, criticism, first-person complaint, contrast and hedge cues;
- balanced class weights.

Only the development set and the train split are read (never a test split). Folds are the
recipe's (5, grouped by source); figures are scored on the published train statements, as the
recipe chooses. Each alternative is printed with the spread (standard deviation) of its per-fold
figures and the mean and spread of its per-fold difference from the recipe. An alternative is
worth keeping only when its gain exceeds the spread between folds.

`--practice` instead measures what the practice set (`practice_statements.csv`) adds: the same
folds of the development set and the train split, with the practice statements added to the
fitting side of every fold (never scored), against the same folds without them.
"""

from __future__ import annotations

import argparse
import re
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from commonground.core import embeddings

from .corpus import LABEL_SETS, Statement, load_corpus
from .training import classes_for, corpus_features, folds, macro_f1, scored, targets

# The committed model's choices (articulation-4c76a264d7): orientation and reform stance heads.
PRACTICE_RECIPES = (
    ("orientation", 0.003, None),
    ("orientation", 0.01, None),
    ("reform_stance", 0.003, "balanced"),
)

_CLAUSE = re.compile(
    r"[,;:.!?]|\b(?:but|because|although|though|while|whereas|yet)\b", re.IGNORECASE
)
CUES = {
    "negation": r"\b(?:not|no|never|nothing|nobody|without|cannot|neither|nor)\b|n't\b",
    "criticism": r"\b(?:cheapest|only|merely|just|simply|lost|lose|losing|cut|cuts|forced|"
    r"fail\w*|squeez\w*|instead|despite|too|so-called|damag\w*|harm\w*|hurt|worse|wrong|"
    r"problem\w*|concern\w*|unfair|churn|closed|closure|gone|whoever|bottom|undercut\w*)\b",
    "first_person": r"\b(?:we|our|us|my|i)\b",
    "contrast": r"\b(?:but|however|yet|although|though|whereas)\b|\brather than\b",
    "hedge": r"\b(?:may|might|could|perhaps|some|should|ought)\b",
}
Make = Callable[[], Any]


def cue_counts(text: str) -> list[float]:
    lowered = text.lower()
    counts = [float(len(re.findall(p, lowered))) for p in CUES.values()]
    return [*counts, float(np.log(max(len(lowered.split()), 1)))]


def clause_vectors(texts: Sequence[str]) -> np.ndarray:
    """Mean and maximum of each text's clause embeddings (512 numbers a text)."""
    clauses: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        parts = [p.strip() for p in _CLAUSE.split(text) if len(p.split()) >= 2] or [text]
        clauses += parts
        owner += [i] * len(parts)
    vectors, owners = embeddings.embed(clauses), np.array(owner)
    pooled = np.zeros((len(texts), 2 * embeddings.DIMENSIONS))
    for i in range(len(texts)):
        rows = vectors[owners == i]
        pooled[i] = np.r_[rows.mean(axis=0), rows.max(axis=0)]
    return pooled


def _standardised(x: np.ndarray) -> np.ndarray:
    return np.asarray((x - x.mean(axis=0)) / np.maximum(x.std(axis=0), 1e-3))


def _neighbours(
    e_fit: np.ndarray, y_fit: np.ndarray, e_out: np.ndarray, k: int, width: int
) -> np.ndarray:
    similarity = e_out @ e_fit.T
    nearest = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    p = np.zeros((len(e_out), width))
    for row, columns in enumerate(nearest):
        np.add.at(p[row], y_fit[columns], np.exp(similarity[row, columns] / 0.1))
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def out_of_fold(
    head: str,
    statements: Sequence[Statement],
    z: np.ndarray,
    e: np.ndarray,
    make: Make | None,
    k: int = 0,
    mix: float = 1.0,
) -> list[float]:
    """Per-fold figures of a classifier (`make`) over features `z`, k neighbours by cosine of the
    embeddings `e`, or both averaged (weight `mix` on the classifier)."""
    y, on, width = targets(statements, head), scored(statements), len(classes_for(head))
    figures = []
    for fit, out in folds(statements):
        p = np.zeros((len(out), width))
        if make is not None:
            estimator = make().fit(z[fit], y[fit])
            p[:, estimator.classes_] = estimator.predict_proba(z[out])
        if k:
            q = _neighbours(e[fit], y[fit], e[out], k, width)
            p = q if make is None else mix * p + (1 - mix) * q
        keep = on[out]
        figures.append(macro_f1(head, y[out][keep], p[keep]))
    return figures


def compare(statements: Sequence[Statement]) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    statements = [s for s in statements if s.trainable]
    x = corpus_features(statements).astype(np.float64)
    base = _standardised(x)
    cues = _standardised(np.array([cue_counts(s.text) for s in statements]))
    clauses = _standardised(clause_vectors([s.text for s in statements]))
    lines = []
    for head, c, weight in (("orientation", 0.01, None), ("reform_stance", 0.003, "balanced")):
        rows = np.array(
            [i for i, s in enumerate(statements) if head != "reform_stance" or s.reform_stance]
        )
        subset = [statements[i] for i in rows]

        lr = partial(LogisticRegression, C=c, class_weight=weight, max_iter=3000)
        other = None if weight else "balanced"
        runs: dict[str, tuple[np.ndarray, Make | None, int, float]] = {
            f"recipe: lr C={c} {weight or 'unweighted'}": (base, lr, 0, 1.0),
            f"lr C={c} {other or 'unweighted'}": (base, partial(lr, class_weight=other), 0, 1.0),
            "lr C=0.003 + cues": (np.hstack([base, cues]), partial(lr, C=0.003), 0, 1.0),
            "lr C=0.003 + clauses": (np.hstack([base, clauses]), partial(lr, C=0.003), 0, 1.0),
            "knn 30": (base, None, 30, 1.0),
            "lr + knn 30, 0.5/0.5": (base, lr, 30, 0.5),
            "lr + knn 30, 0.7/0.3": (base, lr, 30, 0.7),
        }
        recipe: np.ndarray | None = None
        for name, (z, make, k, mix) in runs.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                figures = np.array(out_of_fold(head, subset, z[rows], x[rows, :256], make, k, mix))
            recipe = figures if recipe is None else recipe
            gain = figures - recipe
            lines.append(
                f"{head:14} {name:28} {figures.mean():.3f} (folds ±{figures.std():.3f}); "
                f"gain {gain.mean():+.3f} (±{gain.std():.3f})"
            )
    return lines


def compare_practice(labels: str) -> list[str]:
    """Per-fold figures with and without the practice set, on the same folds."""
    from sklearn.linear_model import LogisticRegression

    every = [s for s in load_corpus(labels) if s.trainable]
    x_every = corpus_features(every).astype(np.float64)
    lines = []
    for head, c, weight in PRACTICE_RECIPES:
        rows = [i for i, s in enumerate(every) if head != "reform_stance" or s.reform_stance]
        base = [i for i in rows if every[i].split != "practice"]
        extra = np.array([i for i in rows if every[i].split == "practice"])
        subset = [every[i] for i in base]
        y_every = np.full(len(every), -1)
        y_every[rows] = targets([every[i] for i in rows], head)
        on = scored(subset)
        figures: dict[bool, list[float]] = {False: [], True: []}
        for fit, out in folds(subset):
            fit_rows, out_rows = np.array(base)[fit], np.array(base)[out]
            for added in (False, True):
                chosen = np.r_[fit_rows, extra] if added else fit_rows
                x = x_every[chosen]
                mean, scale = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-3)
                model = LogisticRegression(C=c, class_weight=weight, max_iter=3000)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model.fit((x - mean) / scale, y_every[chosen])
                p = np.zeros((len(out_rows), len(classes_for(head))))
                p[:, model.classes_] = model.predict_proba((x_every[out_rows] - mean) / scale)
                keep = on[out]
                figures[added].append(macro_f1(head, y_every[out_rows][keep], p[keep]))
        without, with_ = np.array(figures[False]), np.array(figures[True])
        gain = with_ - without
        lines.append(
            f"{head:14} lr C={c} {weight or 'unweighted':10} without {without.mean():.3f} "
            f"(folds ±{without.std():.3f}), with practice set {with_.mean():.3f} "
            f"(±{with_.std():.3f}); gain {gain.mean():+.3f} (±{gain.std():.3f}), "
            f"per fold {' '.join(f'{g:+.3f}' for g in gain)}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--labels", choices=LABEL_SETS, default="original")
    parser.add_argument("--practice", action="store_true", help="what the practice set adds")
    args = parser.parse_args(argv)
    with threadpool_limits(limits=1):
        if args.practice:
            print("\n".join(compare_practice(args.labels)))
        else:
            print("\n".join(compare(load_corpus(args.labels, practice=False))))


if __name__ == "__main__":
    main()
