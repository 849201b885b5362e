"""Orientation and reform stance by majority of three labellers (ADR 0036).

The first labeller (`original`) labelled every statement when the corpus was written. Two more,
labeller 3 and labeller 4, relabelled the orientation and reform stance of every statement of the
development set and the published corpus independently and blind (from the text, perspective and
register alone, under the orientation and stance sections of docs/labelling-guide.md), each into
a file of `id,orientation,reform_stance`.

`data/adjudicated_labels.csv` keeps the three votes and the decision:
- orientation: the label at least two of the three votes give; where all three differ, the
  original label, marked `no_majority`;
- reform stance: the same on the published statements. The development set was never labelled
  for stance, so there the two new votes decide when they agree; otherwise its stance stays
  unlabelled (empty), and the model does not learn a stance from it.
A vote a labeller did not give is empty and does not count; where fewer than two votes remain
and they differ, the original label is kept (marked `no_majority`).

Revised orientation (ADR 0041): labellers 3 and 4 labelled under an older guide; labeller 5 and
labeller 6 relabelled the orientation of every statement blind under the current guide (whose §4
says a bare description of a practice carries the practice's frame). The revised orientation
(`orientation_revised`) is the majority of the original label and those two new votes; where all
three differ, the original, marked in `no_majority_revised`. The rule was fixed before anyone saw
the new votes. Labellers 3 and 4's votes stay in the file for the record.

`PYTHONPATH=src python -m commonground.engagement.analysis.adjudication` prints the agreement
(Cohen's kappa of each pair, Fleiss' kappa of the three, on the published statements labelled
by all three); `--markdown` prints the dataset card's table; `--write THIRD FOURTH` builds the
file from the two labellers' files; `--revise FIFTH SIXTH` adds the revised orientation columns
from labeller 5's and labeller 6's files (`id,orientation`).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .agreement import cohen_kappa
from .analyser import ORIENTATIONS
from .corpus import ADJUDICATED_PATH, REFORM_STANCES, load_dev, load_published

FIELDS = ("orientation", "reform_stance")
VOTERS = ("original", "labeller3", "labeller4")
COLUMNS = (
    "id",
    "orientation",
    "reform_stance",
    *(f"{field}_{voter}" for field in FIELDS for voter in VOTERS),
    "no_majority",
)
# The revised orientation: the original vote with labeller 5's and labeller 6's (ADR 0041).
REVISED_VOTERS = ("original", "labeller5", "labeller6")
REVISED_COLUMNS = (
    "orientation_labeller5",
    "orientation_labeller6",
    "orientation_revised",
    "no_majority_revised",
)
ALLOWED = {"orientation": frozenset(ORIENTATIONS), "reform_stance": frozenset(REFORM_STANCES)}


class AdjudicationError(ValueError):
    """A labeller's file cannot be used: names the file, row and field."""


def read_votes(path: Path) -> dict[str, dict[str, str]]:
    """One labeller's votes by id (codes checked; an empty code is no vote)."""
    votes: dict[str, dict[str, str]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            key = (row.get("id") or "").strip()
            if not key or key in votes:
                raise AdjudicationError(f"{path.name}, row {line}: missing or repeated id")
            votes[key] = {}
            for field in FIELDS:
                code = (row.get(field) or "").strip().lower()
                if code and code not in ALLOWED[field]:
                    raise AdjudicationError(f"{path.name}, row {line}, {field}: {code!r}")
                votes[key][field] = code
    return votes


def decide(original: str, others: Sequence[str]) -> tuple[str, bool]:
    """(label, no majority) from the original vote and the new votes ("" = no vote)."""
    votes = [v for v in (original, *others) if v]
    counts = Counter(votes).most_common()
    if counts and counts[0][1] >= 2:
        return counts[0][0], False
    if not original:  # never labelled before (dev-set stance): unlabelled unless two agree
        return "", False
    return original, len(votes) > 1


def originals() -> dict[str, dict[str, str]]:
    """The first labeller's orientation and stance by id (stance "" on the development set)."""
    found = {s.id: {"orientation": s.orientation, "reform_stance": ""} for s in load_dev()}
    for s in load_published(frozen=frozenset()):
        found[s.id] = {"orientation": s.orientation, "reform_stance": s.reform_stance}
    return found


def build(
    first: dict[str, dict[str, str]],
    third: dict[str, dict[str, str]],
    fourth: dict[str, dict[str, str]],
) -> list[dict[str, str]]:
    unknown = sorted((set(third) | set(fourth)) - set(first))
    if unknown:
        raise AdjudicationError(f"votes for ids not in the corpus: {', '.join(unknown[:5])}")
    rows = []
    for key, own in first.items():
        row = {"id": key}
        flagged = []
        for field in FIELDS:
            votes = [
                own[field],
                third.get(key, {}).get(field, ""),
                fourth.get(key, {}).get(field, ""),
            ]
            row[field], no_majority = decide(votes[0], votes[1:])
            row.update({f"{field}_{voter}": v for voter, v in zip(VOTERS, votes, strict=True)})
            if no_majority:
                flagged.append(field)
        row["no_majority"] = " ".join(flagged)
        rows.append(row)
    return rows


def revise(
    rows: Sequence[dict[str, str]],
    fifth: dict[str, dict[str, str]],
    sixth: dict[str, dict[str, str]],
) -> list[dict[str, str]]:
    """The rows with labeller 5's and labeller 6's orientation votes and the revised decision
    (the majority of the original vote and theirs; else the original, marked)."""
    known = {row["id"] for row in rows}
    unknown = sorted((set(fifth) | set(sixth)) - known)
    if unknown:
        raise AdjudicationError(f"votes for ids not in the file: {', '.join(unknown[:5])}")
    revised = []
    for row in rows:
        votes = [fifth.get(row["id"], {}).get("orientation", ""),
                 sixth.get(row["id"], {}).get("orientation", "")]  # fmt: skip
        label, no_majority = decide(row["orientation_original"], votes)
        revised.append(
            {
                **row,
                "orientation_labeller5": votes[0],
                "orientation_labeller6": votes[1],
                "orientation_revised": label,
                "no_majority_revised": "orientation" if no_majority else "",
            }
        )
    return revised


def write(rows: Sequence[dict[str, str]], path: Path = ADJUDICATED_PATH) -> None:
    revised = bool(rows) and "orientation_revised" in rows[0]
    fields = (*COLUMNS, *REVISED_COLUMNS) if revised else COLUMNS
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read(path: Path = ADJUDICATED_PATH) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fleiss_kappa(ratings: Sequence[Sequence[str]]) -> float:
    """Fleiss' kappa of items each rated by the same number of raters."""
    raters = len(ratings[0])
    categories = sorted({r for item in ratings for r in item})
    totals = Counter(r for item in ratings for r in item)
    share = [totals[c] / (len(ratings) * raters) for c in categories]
    agreement = [
        (sum(n * n for n in Counter(item).values()) - raters) / (raters * (raters - 1))
        for item in ratings
    ]
    observed = sum(agreement) / len(agreement)
    expected = sum(p * p for p in share)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class Agreement:
    field: str
    n: int
    pairs: dict[str, float]  # "original/labeller3" -> Cohen's kappa
    raw: dict[str, float]
    fleiss: float
    no_majority: int


def agreement(
    rows: Sequence[dict[str, str]],
    field: str,
    voters: Sequence[str] = VOTERS,
    marked: str = "no_majority",
) -> Agreement:
    """On the published statements that all the `voters` labelled for this field; `marked`
    is the column that flags a decision without a majority."""
    rated = [
        [r[f"{field}_{v}"] for v in voters]
        for r in rows
        if r["id"].startswith("P") and all(r[f"{field}_{v}"] for v in voters)
    ]
    pairs, raw = {}, {}
    for i, a in enumerate(voters):
        for j in range(i + 1, len(voters)):
            first, second = [item[i] for item in rated], [item[j] for item in rated]
            pairs[f"{a}/{voters[j]}"] = cohen_kappa(first, second)
            raw[f"{a}/{voters[j]}"] = sum(x == y for x, y in zip(first, second, strict=True)) / len(
                rated
            )
    flagged = sum(field in r[marked].split() for r in rows)
    return Agreement(field, len(rated), pairs, raw, fleiss_kappa(rated), flagged)


def markdown(rows: Sequence[dict[str, str]], revised: bool = False) -> str:
    """The card's tables: the three votes of ADR 0036, or (`revised`) the revised orientation's
    three votes (original, labeller 5, labeller 6) of ADR 0041."""
    lines = [
        "| field | statements | pair | raw agreement | Cohen's kappa |",
        "|---|---|---|---|---|",
    ]
    if revised:
        found = [agreement(rows, "orientation", REVISED_VOTERS, "no_majority_revised")]
    else:
        found = [agreement(rows, field) for field in FIELDS]
    for a in found:
        for pair, kappa in a.pairs.items():
            lines.append(f"| {a.field} | {a.n} | {pair} | {a.raw[pair]:.3f} | {kappa:.3f} |")
    lines += ["", "| field | statements | Fleiss' kappa | no majority (all rows) |",
              "|---|---|---|---|"]  # fmt: skip
    lines += [f"| {a.field} | {a.n} | {a.fleiss:.3f} | {a.no_majority} |" for a in found]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the card's tables")
    parser.add_argument("--write", nargs=2, metavar=("THIRD", "FOURTH"), type=Path)
    parser.add_argument("--revise", nargs=2, metavar=("FIFTH", "SIXTH"), type=Path)
    args = parser.parse_args(argv)
    if args.write:
        write(build(originals(), read_votes(args.write[0]), read_votes(args.write[1])))
    if args.revise:
        write(revise(read(), read_votes(args.revise[0]), read_votes(args.revise[1])))
    rows = read()
    print(markdown(rows))
    if "orientation_revised" in rows[0]:
        print("\nRevised orientation (ADR 0041)\n\n" + markdown(rows, revised=True))


if __name__ == "__main__":
    main()
