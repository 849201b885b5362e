"""What the statement's words add to the articulation model, by grouped cross-validation only.

`PYTHONPATH=src python -m commonground.engagement.analysis.alternatives_text [--labels L]
[--partitions 4]` compares, for orientation (accuracy) and reform stance (macro-F1), the recipe
(logistic regression over the embedding and lexicon features: C 0.003, balanced class weights
for the stance) with (ADR 0041, part A):

- sparse TF-IDF features alone: word 1-2-grams, character 3-5-grams (within words, as
  ngrams.py), each a logistic regression (C 3);
- the same concatenated with the recipe's features (TF-IDF scaled by 10 to be heard beside 294
  standardised features; C 0.003);
- the lexicon's phrase hits (one feature a phrase of lexicon.yaml: 1 a hit, -0.5 a negated
  hit; standardised, scaled by 0.5) beside the recipe's features;
- stacking: the recipe's and the TF-IDF regression's log-probabilities averaged, the TF-IDF
  share 0.3, 0.5 or 0.7 (what the committed reform stance head does at 0.5 with characters).

Only the development set and the train split are read (never a test split). Partition 0 is the
recipe's 5 source-grouped folds; partition k > 0 puts the sources into 5 folds at random (seed
k), so that a gain can be seen to hold on other divisions of the same sources. Figures are
scored on the published train statements; each line gives the mean and spread (standard
deviation) of the per-fold figures, and the mean and spread of the per-fold gain over the
recipe, and the per-fold gains.

`--encoders` instead asks whether a sentence transformer helps (ADR 0050): the recipe's
features with WordLlama's vector (256, the recipe), with all-MiniLM-L6-v2's (384, run in numpy:
`core.minilm`) in its place, or with both side by side, each beside the lexicon's features, by
logistic regression at C 0.003 and 0.01 (the strengths training chooses between); for the
reform stance also each stacked with the character n-grams at share 0.5, as the committed stance
head is. Gains are over the recipe at C 0.003 (over the recipe stacked with the n-grams for the
stacked rows), on the same partitions.

`--training-labels` instead asks which orientation labels to learn from (ADR 0041, part B): the
recipe (C 0.003 and 0.01) learnt from the first labeller's orientation or from the revised one,
on the same folds, each scored against both.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from commonground.core import embeddings

from .analyser import analyse, load_lexicon
from .corpus import LABEL_SETS, Statement, load_corpus
from .training import classes_for, corpus_features, folds, groups, macro_f1, scored, targets

WORDS = {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}
CHARACTERS = {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 2, "sublinear_tf": True}
Split = tuple[np.ndarray, np.ndarray]
# (fit rows, out rows) -> probabilities of the out rows, one column a class
Run = Callable[[np.ndarray, np.ndarray], np.ndarray]


def phrase_hits(texts: Sequence[str]) -> np.ndarray:
    """One column a lexicon phrase: 1 for each affirmed hit, -0.5 for each negated one."""
    lexicon = load_lexicon()
    width = sum(len(entry.phrases) for entry in lexicon.entries)
    hits = np.zeros((len(texts), width))
    for row, text in enumerate(texts):
        negated = {(e.start, e.end) for e in analyse(text).negated}
        column = 0
        for entry in lexicon.entries:
            for match in entry.pattern.finditer(text):
                index = column + int((match.lastgroup or "g0")[1:])
                hits[row, index] += -0.5 if (match.start(), match.end()) in negated else 1.0
            column += len(entry.phrases)
    return hits


def partition(statements: Sequence[Statement], seed: int) -> list[Split]:
    if not seed:
        return folds(statements)
    sources = groups(statements)
    order = np.random.default_rng(seed).permutation(sorted(set(sources)))
    fold_of = {source: i % 5 for i, source in enumerate(order)}
    assigned = np.array([fold_of[s] for s in sources])
    return [(np.flatnonzero(assigned != f), np.flatnonzero(assigned == f)) for f in range(5)]


def _standardised(x: np.ndarray, fit: np.ndarray) -> np.ndarray:
    return np.asarray((x - x[fit].mean(axis=0)) / np.maximum(x[fit].std(axis=0), 1e-3))


class Runs:
    """The candidates of one head, over the statements that carry its label."""

    def __init__(self, head: str, statements: Sequence[Statement], dense: np.ndarray) -> None:
        self.head, self.width = head, len(classes_for(head))
        self.texts = [s.text for s in statements]
        self.y = targets(statements, head)
        self.dense, self.hits = dense, phrase_hits(self.texts)
        self.weight = "balanced" if head == "reform_stance" else None

    def _fit(self, x: Any, fit: np.ndarray, out: np.ndarray, c: float) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, class_weight=self.weight, max_iter=3000)
        model.fit(x[fit], self.y[fit])
        p = np.zeros((len(out), self.width))
        p[:, model.classes_] = model.predict_proba(x[out])
        return p

    def _tfidf(self, options: dict[str, Any], fit: np.ndarray) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectoriser = TfidfVectorizer(**options).fit([self.texts[i] for i in fit])
        return vectoriser.transform(self.texts)

    def recipe(self, fit: np.ndarray, out: np.ndarray) -> np.ndarray:
        return self._fit(_standardised(self.dense, fit), fit, out, 0.003)

    def alone(self, options: dict[str, Any], fit: np.ndarray, out: np.ndarray) -> np.ndarray:
        return self._fit(self._tfidf(options, fit), fit, out, 3.0)

    def joined(self, options: dict[str, Any] | None, fit: np.ndarray, out: np.ndarray) -> Any:
        from scipy import sparse

        parts = [sparse.csr_matrix(_standardised(self.dense, fit))]
        if options is None:
            parts.append(sparse.csr_matrix(0.5 * _standardised(self.hits, fit)))
        else:
            parts.append(10.0 * self._tfidf(options, fit))
        return self._fit(sparse.hstack(parts).tocsr(), fit, out, 0.003)

    def stacked(
        self, options: dict[str, Any], share: float, fit: np.ndarray, out: np.ndarray
    ) -> np.ndarray:
        p, q = self.recipe(fit, out), self.alone(options, fit, out)
        z = (1 - share) * np.log(np.clip(p, 1e-9, 1)) + share * np.log(np.clip(q, 1e-9, 1))
        z = z - z.max(axis=1, keepdims=True)
        return np.asarray(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))

    def candidates(self) -> dict[str, Run]:
        found: dict[str, Run] = {"recipe": self.recipe}
        for name, options in (("word 1-2", WORDS), ("char 3-5", CHARACTERS)):
            found[f"{name} alone, lr C 3"] = partial(self.alone, options)
            found[f"recipe + {name} x10"] = partial(self.joined, options)
        found["recipe + phrase hits"] = partial(self.joined, None)
        for name, options in (("word 1-2", WORDS), ("char 3-5", CHARACTERS)):
            for share in (0.3, 0.5, 0.7):
                found[f"stacked {name}, share {share}"] = partial(self.stacked, options, share)
        return found


def compare(labels: str, partitions: int) -> list[str]:
    statements = [s for s in load_corpus(labels, practice=False) if s.trainable]
    dense = corpus_features(statements).astype(np.float64)
    lines = []
    for head in ("orientation", "reform_stance"):
        rows = [i for i, s in enumerate(statements) if head != "reform_stance" or s.reform_stance]
        subset = [statements[i] for i in rows]
        runs, on = Runs(head, subset, dense[rows]), scored(subset)
        for seed in range(partitions):
            splits = partition(subset, seed)
            recipe: np.ndarray | None = None
            for name, run in runs.candidates().items():
                figures = np.array(
                    [macro_f1(head, runs.y[o][on[o]], run(f, o)[on[o]]) for f, o in splits]
                )
                recipe = figures if recipe is None else recipe
                gain = figures - recipe
                lines.append(_gain_line(f"{head:13} partition {seed} {name:26}", figures, gain))
                print(lines[-1], flush=True)
    return lines


def encoder_features(statements: Sequence[Statement]) -> dict[str, np.ndarray]:
    """The feature sets of `--encoders`: each sentence vector beside the lexicon's features."""
    dense = corpus_features(statements).astype(np.float64)
    wordllama, lexical = dense[:, : embeddings.DIMENSIONS], dense[:, embeddings.DIMENSIONS :]
    minilm = embeddings.embed_sentences([s.text for s in statements]).astype(np.float64)
    return {
        "WordLlama": dense,
        "MiniLM": np.hstack([minilm, lexical]),
        "WordLlama+MiniLM": np.hstack([wordllama, minilm, lexical]),
    }


def compare_encoders(labels: str, partitions: int) -> list[str]:
    statements = [s for s in load_corpus(labels, practice=False) if s.trainable]
    found = encoder_features(statements)
    lines = []
    for head in ("orientation", "reform_stance"):
        rows = [i for i, s in enumerate(statements) if head != "reform_stance" or s.reform_stance]
        subset = [statements[i] for i in rows]
        sets = {name: Runs(head, subset, x[rows]) for name, x in found.items()}
        on = scored(subset)
        runs: dict[str, Run] = {}
        for name, run in sets.items():
            for c in (0.003, 0.01):
                runs[f"{name} + lexicon, C {c}"] = partial(_dense, run, c)
            if head == "reform_stance":
                runs[f"{name} + lexicon + char n-grams"] = partial(run.stacked, CHARACTERS, 0.5)
        for seed in range(partitions):
            splits = partition(subset, seed)
            figures = {
                name: np.array(
                    [
                        macro_f1(head, sets["WordLlama"].y[o][on[o]], run(f, o)[on[o]])
                        for f, o in splits
                    ]
                )
                for name, run in runs.items()
            }
            for name, figure in figures.items():
                base = "WordLlama + lexicon" + (
                    " + char n-grams" if "n-grams" in name else ", C 0.003"
                )
                gain = figure - figures[base]
                lines.append(
                    _gain_line(f"{labels} {head:13} partition {seed} {name:40}", figure, gain)
                )
                print(lines[-1], flush=True)
    return lines


def _gain_line(label: str, figures: np.ndarray, gain: np.ndarray) -> str:
    """A candidate's figure over the folds and its gain over the recipe, fold by fold."""
    return (
        f"{label} {figures.mean():.3f} (folds ±{figures.std():.3f}); gain {gain.mean():+.3f} "
        f"(±{gain.std():.3f}); per fold {' '.join(f'{g:+.3f}' for g in gain)}"
    )


def _dense(runs: Runs, c: float, fit: np.ndarray, out: np.ndarray) -> np.ndarray:
    return runs._fit(_standardised(runs.dense, fit), fit, out, c)


def compare_training_labels(partitions: int) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    statements = [s for s in load_corpus("revised", practice=False) if s.trainable]
    first = {s.id: s for s in load_corpus("adjudicated_stance", practice=False)}
    dense = corpus_features(statements).astype(np.float64)
    revised = targets(statements, "orientation")
    original = targets([first[s.id] for s in statements], "orientation")
    on, lines = scored(statements), []
    for seed in range(partitions):
        for c in (0.003, 0.01):
            found = {}
            for name, y in (("first labeller's", original), ("revised", revised)):
                against: dict[str, list[float]] = {"revised": [], "first labeller's": []}
                for fit, out in partition(statements, seed):
                    model = LogisticRegression(C=c, max_iter=3000)
                    model.fit(_standardised(dense, fit)[fit], y[fit])
                    predicted = model.predict(_standardised(dense, fit)[out])[on[out]]
                    against["revised"].append(float((predicted == revised[out][on[out]]).mean()))
                    truth = original[out][on[out]]
                    against["first labeller's"].append(float((predicted == truth).mean()))
                found[name] = np.array(against["revised"])
                lines.append(
                    f"partition {seed} C {c} learnt from the {name} orientation: against the "
                    + "; ".join(
                        f"{k} {np.mean(v):.3f} (±{np.std(v):.3f})" for k, v in against.items()
                    )
                )
            gain = found["revised"] - found["first labeller's"]
            lines.append(
                f"  gain against the revised labels {gain.mean():+.3f} (±{gain.std():.3f})"
            )
    return lines


def main(argv: list[str] | None = None) -> None:
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--labels", choices=LABEL_SETS, default="revised")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--training-labels", action="store_true")
    parser.add_argument("--encoders", action="store_true", help="WordLlama, MiniLM or both")
    args = parser.parse_args(argv)
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if args.encoders:
            compare_encoders(args.labels, args.partitions)
        elif args.training_labels:
            print("\n".join(compare_training_labels(args.partitions)))
        else:
            compare(args.labels, args.partitions)


if __name__ == "__main__":
    main()
