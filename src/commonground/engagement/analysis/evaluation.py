"""How well the articulation analyser agrees with hand labels.

`python -m commonground.engagement.analysis.evaluation [--split test|train|all] [--errors]`
prints per-label precision, recall and F1, macro-F1 for each kind of label, and orientation
accuracy. The labelled set (`data/articulation_eval.csv`) was written for this project: each
row is a statement as a commissioner, provider, funder or resident might say it, with its
labels. Rows marked `test` are never used to tune the lexicon: look at `--split train
--errors` while changing `lexicon.yaml`, and report the test figures.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .analyser import KINDS, LABELS, ORIENTATIONS, Articulation, analyse

DATA_PATH = Path(__file__).with_name("data") / "articulation_eval.csv"
TARGETS = {"orientation_accuracy": 0.85, "concepts_macro_f1": 0.80, "methodologies_macro_f1": 0.80}


@dataclass(frozen=True)
class Example:
    id: str
    split: str
    perspective: str
    text: str
    orientation: str
    concepts: frozenset[str]
    principles: frozenset[str]
    methodologies: frozenset[str]

    def labels(self, kind: str) -> frozenset[str]:
        labels: frozenset[str] = getattr(self, kind)
        return labels


def load_examples(path: Path = DATA_PATH, split: str = "all") -> list[Example]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    examples = [
        Example(
            id=row["id"],
            split=row["split"],
            perspective=row["perspective"],
            text=row["text"],
            orientation=row["orientation"],
            concepts=frozenset(row["concepts"].split()),
            principles=frozenset(row["principles"].split()),
            methodologies=frozenset(row["methodologies"].split()),
        )
        for row in rows
    ]
    return [e for e in examples if split == "all" or e.split == split]


@dataclass
class LabelScore:
    label: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def support(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else (1.0 if not self.support else 0.0)

    @property
    def recall(self) -> float:
        return self.true_positive / self.support if self.support else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    split: str
    size: int
    orientation_correct: int
    orientation_confusion: dict[tuple[str, str], int]
    scores: dict[str, dict[str, LabelScore]]
    errors: list[str] = field(default_factory=list)

    @property
    def orientation_accuracy(self) -> float:
        return self.orientation_correct / self.size if self.size else 0.0

    def macro_f1(self, kind: str) -> float:
        # Labels with no example and no prediction in this split say nothing: left out.
        scored = [s for s in self.scores[kind].values() if s.support or s.false_positive]
        return sum(s.f1 for s in scored) / len(scored) if scored else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "orientation_accuracy": self.orientation_accuracy,
            **{f"{kind}_macro_f1": self.macro_f1(kind) for kind in KINDS},
        }

    def met(self) -> bool:
        figures = self.figures()
        return all(figures[name] >= target for name, target in TARGETS.items())

    def to_text(self) -> str:
        lines = [
            f"Articulation analysis against {self.size} hand-labelled statements "
            f"({self.split} split)",
            "",
            f"Orientation accuracy: {self.orientation_accuracy:.3f} "
            f"({self.orientation_correct}/{self.size}; target >= "
            f"{TARGETS['orientation_accuracy']:.2f})",
        ]
        header = "  expected \\ found " + " ".join(f"{o:>8}" for o in ORIENTATIONS)
        lines.append(header)
        for expected in ORIENTATIONS:
            cells = " ".join(
                f"{self.orientation_confusion.get((expected, found), 0):>8}"
                for found in ORIENTATIONS
            )
            lines.append(f"  {expected:>17} {cells}")
        for kind in KINDS:
            target = TARGETS.get(f"{kind}_macro_f1")
            lines += [
                "",
                f"{kind}: macro-F1 {self.macro_f1(kind):.3f}"
                + (f" (target >= {target:.2f})" if target else ""),
                f"  {'label':<24}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}",
            ]
            for score in self.scores[kind].values():
                lines.append(
                    f"  {score.label:<24}{score.precision:>10.3f}{score.recall:>8.3f}"
                    f"{score.f1:>7.3f}{score.support:>9}"
                )
        lines += ["", "Targets met." if self.met() else "Targets NOT met."]
        if self.errors:
            lines += ["", "Disagreements:", *self.errors]
        return "\n".join(lines)


def evaluate(
    examples: Iterable[Example],
    split: str = "test",
    analyser: Callable[[str, str | None], Articulation] = analyse,
    keep_errors: bool = False,
) -> Report:
    examples = list(examples)
    scores = {kind: {label: LabelScore(label) for label in LABELS[kind]} for kind in KINDS}
    confusion: dict[tuple[str, str], int] = {}
    correct = 0
    errors = []
    for example in examples:
        result = analyser(example.text, example.perspective)
        found_orientation = result.orientation.label
        confusion[(example.orientation, found_orientation)] = (
            confusion.get((example.orientation, found_orientation), 0) + 1
        )
        problems = []
        if found_orientation == example.orientation:
            correct += 1
        else:
            problems.append(f"orientation {example.orientation} found {found_orientation}")
        for kind in KINDS:
            expected, found = example.labels(kind), set(result.labels(kind))
            for label in LABELS[kind]:
                score = scores[kind][label]
                if label in expected and label in found:
                    score.true_positive += 1
                elif label in found:
                    score.false_positive += 1
                    problems.append(f"+{label}")
                elif label in expected:
                    score.false_negative += 1
                    problems.append(f"-{label}")
        if problems and keep_errors:
            errors.append(f"  {example.id} {example.text!r}: {', '.join(problems)}")
    return Report(split, len(examples), correct, confusion, scores, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=("test", "train", "all"))
    parser.add_argument("--errors", action="store_true", help="list each disagreement")
    args = parser.parse_args(argv)
    report = evaluate(load_examples(split=args.split), args.split, keep_errors=args.errors)
    print(report.to_text())
    return 0 if report.met() else 1


if __name__ == "__main__":
    sys.exit(main())
