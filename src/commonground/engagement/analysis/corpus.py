"""The labelled statements the articulation model learns from and is measured on (ADR 0022).

Three files:
- `articulation_eval.csv`: 320 statements written for this project. The lexicon was tuned on
  all of them, so they are the development set (`dev`): the model may learn from them, and no
  figure on them is held out.
- `practice_statements.csv`: 400 more statements written for this project (2026-12-05), mostly
  plain descriptions of practice that name no concept, labelled for orientation and reform
  stance only (split `practice`): a second development set, learnt from, never held out.
- `published_statements.csv` (with `published_sources.csv`): statements restating positions
  found in cited public documents. They are split by source, so that no document is in two
  splits: a source's split follows from a hash of its `source_id`, so it never depends on the
  order rows arrive in or on what else is in the file.

The test split is frozen: the ids of its statements are listed in `data/test_split.txt`, and the
checksum of their rows is recorded in ADR 0022; a test fails if either changes. A statement from
a test source added after the freeze is kept out of training too (split `test_new`) and is
reported apart.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .analyser import KINDS, LABELS, ORIENTATIONS

DATA_DIR = Path(__file__).with_name("data")
DEV_PATH = DATA_DIR / "articulation_eval.csv"
PUBLISHED_PATH = DATA_DIR / "published_statements.csv"
SOURCES_PATH = DATA_DIR / "published_sources.csv"
FROZEN_TEST_PATH = DATA_DIR / "test_split.txt"
# Orientation and reform stance by majority of three labellers (ADR 0036).
ADJUDICATED_PATH = DATA_DIR / "adjudicated_labels.csv"
# Plain descriptions of practice written for the project, orientation and stance only (ADR 0036).
PRACTICE_PATH = DATA_DIR / "practice_statements.csv"
# `adjudicated_stance`: the first labeller's orientation, the adjudicated reform stance.
# `revised`: the revised orientation (majority of the original, labeller 5 and labeller 6, under
# the current guide; ADR 0041) and the adjudicated reform stance.
LABEL_SETS = ("original", "adjudicated", "adjudicated_stance", "revised")

REFORM_STANCES = ("socialise", "refine", "mature", "replace", "none")
# The share of sources whose statements are held out for testing.
TEST_SHARE_PERCENT = 30
SPLITS = ("dev", "practice", "train", "test", "test_new")


@dataclass(frozen=True)
class Statement:
    id: str
    split: str
    perspective: str
    text: str
    orientation: str
    concepts: frozenset[str]
    principles: frozenset[str]
    methodologies: frozenset[str]
    reform_stance: str = ""  # "" where the row was never labelled for it (the dev set)
    register: str = "written"  # the dev set: written for this project
    source_id: str = ""
    names_concept: str = ""
    # False where concepts, principles and methodologies were never labelled (the practice set):
    # such a statement teaches orientation and reform stance only.
    lists_labelled: bool = True

    def labels(self, kind: str) -> frozenset[str]:
        labels: frozenset[str] = getattr(self, kind)
        return labels

    @property
    def trainable(self) -> bool:
        return self.split in ("dev", "practice", "train")


def source_split(source_id: str) -> str:
    """`test` for about TEST_SHARE_PERCENT of sources, else `train`; fixed by the id alone."""
    bucket = int(hashlib.sha256(source_id.strip().encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < TEST_SHARE_PERCENT else "train"


class CorpusError(ValueError):
    """A labelled row that cannot be used: names the file, row and field."""


def _labels(path: Path, line: int, row: dict[str, str], kind: str) -> frozenset[str]:
    found = frozenset((row.get(kind) or "").replace(";", " ").split())
    unknown = found - set(LABELS[kind])
    if unknown:
        raise CorpusError(f"{path.name} row {line}, {kind}: unknown label {sorted(unknown)}")
    return found


def _check(path: Path, line: int, field: str, value: str, allowed: Iterable[str]) -> str:
    if value not in allowed:
        raise CorpusError(f"{path.name} row {line}, {field}: {value!r} is not one of the labels")
    return value


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [(i, row) for i, row in enumerate(csv.DictReader(handle), start=2)]


def frozen_test_ids(path: Path = FROZEN_TEST_PATH) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _written(
    path: Path, split: str, labels: Callable[[int, dict[str, str]], dict[str, Any]]
) -> list[Statement]:
    """The statements of a file written for this project: id, perspective, text and a checked
    orientation from each row; the other labels as `labels(line, row)` gives them."""
    return [
        Statement(
            id=row["id"],
            split=split,
            perspective=row["perspective"],
            text=row["text"],
            orientation=_check(path, line, "orientation", row["orientation"], ORIENTATIONS),
            **labels(line, row),
        )
        for line, row in _read(path)
    ]


def load_dev(path: Path = DEV_PATH) -> list[Statement]:
    return _written(
        path, "dev", lambda line, row: {kind: _labels(path, line, row, kind) for kind in KINDS}
    )


def load_practice(path: Path = PRACTICE_PATH) -> list[Statement]:
    """The practice set: orientation and reform stance labelled; no concept, principle or
    methodology lists (they were not labelled, so they are not taken to be empty)."""
    if not path.exists():
        return []
    return _written(
        path,
        "practice",
        lambda line, row: {
            **{kind: frozenset() for kind in KINDS},
            "reform_stance": _check(
                path, line, "reform_stance", row["reform_stance"], REFORM_STANCES
            ),
            "register": row["register"],
            "names_concept": row["names_concept"],
            "lists_labelled": False,
        },
    )


def load_published(
    path: Path = PUBLISHED_PATH, frozen: frozenset[str] | None = None
) -> list[Statement]:
    if not path.exists():
        return []
    frozen = frozen_test_ids() if frozen is None else frozen
    statements = []
    for line, row in _read(path):
        text = (row.get("text") or "").strip()
        source_id = (row.get("source_id") or "").strip()
        if not text or not source_id:
            raise CorpusError(f"{path.name} row {line}: text and source_id are required")
        split = source_split(source_id)
        if split == "test" and frozen and row["id"] not in frozen:
            split = "test_new"
        stance = (row.get("reform_stance") or "").strip() or "none"
        statements.append(
            Statement(
                id=row["id"],
                split=split,
                perspective=(row.get("perspective") or "").strip(),
                text=text,
                orientation=_check(
                    path, line, "orientation", row["orientation"].strip(), ORIENTATIONS
                ),
                concepts=_labels(path, line, row, "concepts"),
                principles=_labels(path, line, row, "principles"),
                methodologies=_labels(path, line, row, "methodologies"),
                reform_stance=_check(path, line, "reform_stance", stance, REFORM_STANCES),
                register=(row.get("register") or "").strip() or "unknown",
                source_id=source_id,
                names_concept=(row.get("names_concept") or "").strip(),
            )
        )
    return statements


def load_adjudicated(
    path: Path = ADJUDICATED_PATH, revised: bool = False
) -> dict[str, tuple[str, str]]:
    """(orientation, reform stance) by id, as three labellers' majority decided (ADR 0036; the
    revised orientation of ADR 0041 when `revised`); the stance is "" where it stays
    unlabelled."""
    found = {}
    column = "orientation_revised" if revised else "orientation"
    for line, row in _read(path):
        orientation = _check(path, line, "orientation", row[column], ORIENTATIONS)
        stance = row["reform_stance"]
        if stance:
            _check(path, line, "reform_stance", stance, REFORM_STANCES)
        found[row["id"]] = (orientation, stance)
    return found


def adjudicated(
    statements: Iterable[Statement],
    path: Path = ADJUDICATED_PATH,
    orientation: bool = True,
    revised: bool = False,
) -> list[Statement]:
    """The statements with the adjudicated reform stance and (unless `orientation` is False)
    orientation, the revised one if `revised`; other labels as they were. A statement the file
    does not list keeps its own."""
    labels = load_adjudicated(path, revised)
    return [
        replace(
            s,
            orientation=labels[s.id][0] if orientation else s.orientation,
            reform_stance=labels[s.id][1],
        )
        if s.id in labels
        else s
        for s in statements
    ]


def load_corpus(labels: str = "original", practice: bool = True) -> list[Statement]:
    """Every labelled statement: the development set, the practice set (unless `practice` is
    False), then the published statements, with the
    first labeller's labels (`original`), the three labellers' majority for orientation and
    reform stance (`adjudicated`), or the majority for reform stance alone
    (`adjudicated_stance`; ADR 0036), or the revised orientation with the majority's stance
    (`revised`; ADR 0041)."""
    if labels not in LABEL_SETS:
        raise CorpusError(f"unknown label set {labels!r}: one of {', '.join(LABEL_SETS)}")
    statements = [*load_dev(), *(load_practice() if practice else []), *load_published()]
    if labels == "original":
        return statements
    if labels == "revised":
        return adjudicated(statements, revised=True)
    return adjudicated(statements, orientation=labels == "adjudicated")


def by_split(statements: Iterable[Statement], *splits: str) -> list[Statement]:
    return [s for s in statements if s.split in splits]


def row_checksum(statements: Iterable[Statement]) -> str:
    """A sha256 over the rows (id, text and every label), in id order."""
    digest = hashlib.sha256()
    for s in sorted(statements, key=lambda s: s.id):
        labels = "|".join(" ".join(sorted(s.labels(kind))) for kind in KINDS)
        fields = (s.id, s.source_id, s.text, s.orientation, labels, s.reform_stance)
        digest.update(("\t".join(fields) + "\n").encode("utf-8"))
    return digest.hexdigest()
