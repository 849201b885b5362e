"""Agreement between the two labellers of the published-statement corpus (issue 13, item 1).

The first labeller labelled every statement of `published_statements.csv`; a second labeller
labelled the random 10% sample fixed in the dataset card (seed 13) without seeing those labels,
in `published_statements_second_labeller.csv`. This module compares the two on the sample:
Cohen's kappa and raw agreement for the single-label fields, micro-F1 (and per-label F1) for the
label lists, and the orientation confusion table that the dataset card reports.

Run it with `PYTHONPATH=src python -m commonground.engagement.analysis.agreement` (add
`--markdown` for the card's tables).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
FIRST = DATA / "published_statements.csv"
SECOND = DATA / "published_statements_second_labeller.csv"
LEXICON = Path(__file__).resolve().parent / "lexicon.yaml"

SINGLE_FIELDS = ("orientation", "reform_stance", "names_concept")
LIST_FIELDS = ("concepts", "principles", "methodologies")
ORIENTATIONS = ("market", "purpose", "mixed", "neutral")
STANCES = ("socialise", "refine", "mature", "replace", "none")


class AgreementError(ValueError):
    """The two label files cannot be compared (a missing id, column or duplicate row)."""


@dataclass(frozen=True)
class SingleAgreement:
    field: str
    n: int
    raw: float
    kappa: float


@dataclass(frozen=True)
class ListAgreement:
    field: str
    micro_f1: float
    true_positive: int
    first_only: int
    second_only: int
    per_label: dict[
        str, tuple[int, int, int, float]
    ]  # label -> (both, first only, second only, F1)


def _read(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        needed = {"id", *SINGLE_FIELDS, *LIST_FIELDS}
        missing = needed - set(reader.fieldnames or [])
        if missing:
            raise AgreementError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        rows: dict[str, dict[str, str]] = {}
        for line, row in enumerate(reader, start=2):
            if row["id"] in rows:
                raise AgreementError(f"{path.name}, row {line}: id {row['id']} repeated")
            _check_codes(path, line, row)
            rows[row["id"]] = row
    return rows


@cache
def _allowed() -> dict[str, frozenset[str]]:
    with open(LEXICON, encoding="utf-8") as handle:
        lexicon = yaml.safe_load(handle)
    allowed = {field: frozenset(lexicon[field]) for field in LIST_FIELDS}
    allowed["orientation"] = frozenset(ORIENTATIONS)
    allowed["reform_stance"] = frozenset(STANCES)
    allowed["names_concept"] = frozenset({"yes", "no"})
    return allowed


def _check_codes(path: Path, line: int, row: dict[str, str]) -> None:
    # A misspelt code would silently count as a disagreement; refuse it instead.
    for field, allowed in _allowed().items():
        codes = row[field].split() if field in LIST_FIELDS else [row[field]]
        for code in codes:
            if code not in allowed:
                raise AgreementError(f"{path.name}, row {line}, {field}: unknown code {code!r}")


def paired_rows(first: Path = FIRST, second: Path = SECOND) -> Pairs:
    """(first labeller's row, second labeller's row) for every id the second labeller labelled."""
    first_rows, second_rows = _read(first), _read(second)
    unknown = [key for key in second_rows if key not in first_rows]
    if unknown:
        raise AgreementError(f"{second.name}: id(s) not in {first.name}: {', '.join(unknown)}")
    return [(first_rows[key], row) for key, row in second_rows.items()]


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa: observed agreement corrected for the agreement expected by chance from
    each labeller's own label frequencies."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    first_counts, second_counts = Counter(first), Counter(second)
    expected = sum(first_counts[label] * second_counts[label] for label in first_counts) / n**2
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


Pairs = list[tuple[dict[str, str], dict[str, str]]]


def single_agreement(pairs: Pairs, field: str) -> SingleAgreement:
    first = [a[field] for a, _ in pairs]
    second = [b[field] for _, b in pairs]
    raw = sum(a == b for a, b in zip(first, second, strict=True)) / len(pairs)
    return SingleAgreement(field, len(pairs), raw, cohen_kappa(first, second))


def _f1(both: int, first_only: int, second_only: int) -> float:
    # Symmetric: F1 of either labeller scored against the other is the same number.
    denominator = 2 * both + first_only + second_only
    return 2 * both / denominator if denominator else 1.0


def list_agreement(pairs: Pairs, field: str) -> ListAgreement:
    counts: dict[str, list[int]] = {}
    for first, second in pairs:
        a, b = set(first[field].split()), set(second[field].split())
        for label in a | b:
            tally = counts.setdefault(label, [0, 0, 0])
            tally[0 if label in a and label in b else 1 if label in a else 2] += 1
    both = sum(t[0] for t in counts.values())
    first_only = sum(t[1] for t in counts.values())
    second_only = sum(t[2] for t in counts.values())
    per_label = {label: (t[0], t[1], t[2], _f1(*t)) for label, t in sorted(counts.items())}
    return ListAgreement(field, _f1(both, first_only, second_only), both, first_only,
                         second_only, per_label)  # fmt: skip


def confusion(pairs: Pairs, field: str) -> Counter[tuple[str, str]]:
    """Counts keyed by (first labeller's label, second labeller's label) for one field."""
    return Counter((a[field], b[field]) for a, b in pairs)


def _confusion_table(pairs: Pairs, field: str, labels: tuple[str, ...]) -> list[str]:
    counts = confusion(pairs, field)
    lines = [f"| {field}: first labeller ↓ / second → | " + " | ".join(labels) + " | total |",
             "|---|" + "---|" * (len(labels) + 1)]  # fmt: skip
    for row in labels:
        cells = [counts.get((row, col), 0) for col in labels]
        lines.append(f"| {row} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    totals = [sum(counts.get((row, col), 0) for row in labels) for col in labels]
    lines.append("| total | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return lines


def markdown(first: Path = FIRST, second: Path = SECOND) -> str:
    """The agreement tables as the dataset card shows them."""
    pairs = paired_rows(first, second)
    lines = [f"Sample: {len(pairs)} statements.", "", "| label | raw agreement | Cohen's kappa |",
             "|---|---|---|"]  # fmt: skip
    for field in SINGLE_FIELDS:
        single = single_agreement(pairs, field)
        lines.append(f"| {field} | {single.raw:.3f} | {single.kappa:.3f} |")
    lines += [
        "",
        "| label list | both | first only | second only | micro-F1 |",
        "|---|---|---|---|---|",
    ]
    for field in LIST_FIELDS:
        listed = list_agreement(pairs, field)
        lines.append(
            f"| {field} | {listed.true_positive} | {listed.first_only} | {listed.second_only} "
            f"| {listed.micro_f1:.3f} |"
        )
    lines += ["", *_confusion_table(pairs, "orientation", ORIENTATIONS)]
    lines += ["", *_confusion_table(pairs, "reform_stance", STANCES)]
    lines += ["", "| label list | label | both | first only | second only | F1 |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for field in LIST_FIELDS:
        for label, (both, a, b, f1) in list_agreement(pairs, field).per_label.items():
            lines.append(f"| {field} | {label} | {both} | {a} | {b} | {f1:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the card's tables")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown())
        return
    pairs = paired_rows()
    print(f"{len(pairs)} statements labelled by both labellers")
    for field in SINGLE_FIELDS:
        single = single_agreement(pairs, field)
        print(f"{field:14} raw agreement {single.raw:.3f}  kappa {single.kappa:.3f}")
    for field in LIST_FIELDS:
        listed = list_agreement(pairs, field)
        print(f"{field:14} micro-F1 {listed.micro_f1:.3f}  (both {listed.true_positive}, "
              f"first only {listed.first_only}, second only {listed.second_only})")  # fmt: skip


if __name__ == "__main__":
    main()
