"""Linkage on a held-out real-name set: Trafford's spend recipients, checked by hand.

The linkage figures in bench/linkage.py are a derived set (published pairs renamed by rule) and
a development set (Trafford's grant recipients, which the model's m probabilities were set
beside, ADR 0014). This set is neither: 300 of Trafford Council's spend recipients (2024-25 and
2026-27, the names as published, withheld names left out), drawn by `draw` with a fixed seed
before anyone looked at what the model links them to, then checked by hand against the three
real registers the demo atlas links to (Trafford's Charity Commission extract, Co-operatives UK,
the published charity/company pairs). Two checkers worked independently and blind to the model;
their disagreements were settled by a third reading (docs/datasets/linkage-heldout.md). Nothing
in the model was set while looking at these labels.

Two strata, fixed before drawing: 150 names drawn uniformly from every recipient, and 150 from
recipients whose names carry no company or public-body word (where a register body is likelier),
so that both precision and recall rest on enough cases. The 300 names of the legal-form sample
(tests/money/data/recipient_legal_forms.csv) are left out, so the two hand-labelled sets do not
overlap.

`python -m bench.linkage_heldout draw OUT.csv` writes the unlabelled sample;
`python -m bench.linkage_heldout` scores the model and the exact-name baseline on the labels.
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import PROJECT_DIR, SHARED_DATA

SPEND_FILES = (
    SHARED_DATA / "spend" / "trafford-supplier-spend-2024-25.zip",
    SHARED_DATA / "spend" / "trafford-supplier-spend-2026-27.zip",
)
LEGAL_FORM_SAMPLE = PROJECT_DIR / "tests" / "money" / "data" / "recipient_legal_forms.csv"
LABELS = PROJECT_DIR / "tests" / "organisations" / "data" / "linkage_heldout.csv"
SEED = 20261205
PER_STRATUM = 150
WITHHELD = {"redacted", "redacted personal data", "personal data"}
# A company or public-body word: names without one are where a charity or co-op is likelier.
MARKED = re.compile(
    r"\b(ltd|limited|plc|llp|council|nhs|school|academy|university|college|police|fire|"
    r"hmrc|authority|department)\b",
    re.IGNORECASE,
)


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def spend_recipients() -> dict[str, dict[str, Any]]:
    """Every published recipient name once (by its normalised form), with what a checker needs
    to tell which body it is: payments, total, the commonest purpose and category."""
    found: dict[str, dict[str, Any]] = {}
    purposes: dict[str, Counter[str]] = defaultdict(Counter)
    for path in SPEND_FILES:
        with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                name = " ".join((row.get("BeneficiaryName") or "").split())
                key = _key(name)
                if not key or name.casefold() in WITHHELD:
                    continue
                entry = found.setdefault(
                    key, {"name": name, "payments": 0, "total": Decimal(0), "files": set()}
                )
                entry["payments"] += 1
                entry["total"] += Decimal(row.get("Amount") or 0)
                entry["files"].add(path.stem.removeprefix("trafford-supplier-spend-"))
                purposes[key][f"{row.get('ProclassLabel', '')} | {row.get('Purpose', '')}"] += 1
    for key, entry in found.items():
        entry["purpose"] = purposes[key].most_common(1)[0][0]
    return found


def draw(out: Path) -> str:
    with open(LEGAL_FORM_SAMPLE, encoding="utf-8") as handle:
        used = {_key(row["name"]) for row in csv.DictReader(handle)}
    recipients = {k: v for k, v in spend_recipients().items() if k not in used}
    rng = random.Random(SEED)
    everyone = sorted(recipients)
    uniform = rng.sample(everyone, PER_STRATUM)
    unmarked = sorted(
        k for k in everyone if k not in set(uniform) and not MARKED.search(recipients[k]["name"])
    )
    chosen = [("uniform", k) for k in uniform]
    chosen += [("no company word", k) for k in rng.sample(unmarked, PER_STRATUM)]
    rng.shuffle(chosen)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "stratum", "payments", "total", "years", "purpose"])
        for number, (stratum, key) in enumerate(chosen, start=1):
            entry = recipients[key]
            writer.writerow(
                [
                    f"H{number:03d}",
                    entry["name"],
                    stratum,
                    entry["payments"],
                    f"{entry['total']:.2f}",
                    " ".join(sorted(entry["files"])),
                    entry["purpose"][:160],
                ]
            )
    return (
        f"{len(chosen)} of {len(recipients):,} recipients ({len(unmarked) + PER_STRATUM:,} "
        f"without a company word) written to {out}"
    )


def labelled() -> tuple[list[Any], dict[str, set[str]], dict[str, dict[str, str]]]:
    """(parties, truth, rows): each recipient as the model meets it (a spend file places its
    suppliers nowhere), and the register ids of the same body, written as the register records'
    ids (the published pairs' companies keep their GB- prefix there)."""
    from .linkage import Record

    parties, truth, rows = [], {}, {}
    with open(LABELS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parties.append(Record(row["id"], row["name"]))
            ids = set() if row["register_ids"] == "NONE" else set(row["register_ids"].split(";"))
            truth[row["id"]] = {f"GB-{i}" if i.startswith("COH-") else i for i in ids}
            rows[row["id"]] = row
    return parties, truth, rows


def score(links: dict[str, str], truth: dict[str, set[str]], ids: set[str]) -> dict[str, Any]:
    """Precision over every link made; recall over the recipients that have a register body."""
    made = {k: v for k, v in links.items() if k in ids}
    right = sum(1 for k, v in made.items() if v in truth[k])
    bodies = sum(1 for k in ids if truth[k])
    precision = right / len(made) if made else 0.0
    recall = right / bodies if bodies else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "parties": len(ids),
        "with_body": bodies,
        "links": len(made),
        "right": right,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def run(rows: int | None = None) -> dict[str, Any]:
    """The product's links (linkage.model_links: threshold and margin as link_parties uses
    them) and the exact-name baseline, on the held-out labels; `rows` is ignored (300 names)."""
    from . import linkage

    linkage._django()
    parties, truth, labels = labelled()
    register = linkage.unlabelled_sets()[1]
    evaluation = linkage.EvaluationSet("held-out spend recipients", "", parties, register, {})
    links, review = linkage.model_links(evaluation)
    base = linkage.baseline_links(evaluation)
    groups = {
        "all 300": set(labels),
        "drawn from every recipient": {k for k, r in labels.items() if r["stratum"] == "uniform"},
        "drawn from names without a company word": {
            k for k, r in labels.items() if r["stratum"] != "uniform"
        },
        "high-confidence labels only": {k for k, r in labels.items() if r["confidence"] == "high"},
    }
    figures, lines = (
        [],
        [
            "### Linkage on held-out real names (Trafford spend recipients, checked by hand)",
            "",
            f"{len(parties)} recipients against {len(register):,} register records (Trafford's "
            "charities, Co-operatives UK, the published charity/company pairs). Labels: two "
            "checkers, blind to the model, agreed on every link decision (docs/dataset-cards/"
            "linkage-heldout.md). Nothing in the model was set while looking at them.",
            "",
            "| group | recipients | with a register body | model links (right) | model P | model R "
            "| model F1 | to review (right) | baseline P | baseline R | baseline F1 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ],
    )
    for name, ids in groups.items():
        model, baseline = score(links, truth, ids), score(base, truth, ids)
        queued = {k: v for k, v in review.items() if k in ids}
        queued_right = sum(1 for k, v in queued.items() if v in truth[k])
        lines.append(
            f"| {name} | {model['parties']} | {model['with_body']} | {model['links']} "
            f"({model['right']}) | {model['precision']:.3f} | {model['recall']:.3f} | "
            f"{model['f1']:.3f} | {len(queued)} ({queued_right}) | {baseline['precision']:.3f} | "
            f"{baseline['recall']:.3f} | {baseline['f1']:.3f} |"
        )
        figures.append(
            {
                "name": f"linkage F1, held-out spend recipients: {name}",
                "backend": "duckdb",
                "figure": model["f1"],
                "baseline": baseline["f1"],
                "target": "reported, no target",
                "met": None,
                "model": model,
                "exact_name_baseline": baseline,
                "to_review": len(queued),
                "to_review_right_candidate": queued_right,
            }
        )
    names = {r.unique_id: r.name for r in register}
    wrong = sorted(k for k, v in links.items() if v not in truth[k])
    missed = sorted(k for k in labels if truth[k] and links.get(k) not in truth[k])
    lines += ["", "Wrong links:" if wrong else "Wrong links: none."]
    lines += [f"- {labels[k]['name']} -> {names[links[k]]} ({links[k]})" for k in wrong]
    lines += ["", "Bodies not linked (in review: the candidate shown):" if missed else ""]
    lines += [
        f"- {labels[k]['name']}: {'review, ' + names[review[k]] if k in review else 'no link'}"
        for k in missed
    ]
    return {"figures": figures, "report_md": "\n".join(lines)}


if __name__ == "__main__":
    if sys.argv[1:2] == ["draw"]:
        print(draw(Path(sys.argv[2])))
    else:
        print(run()["report_md"])
