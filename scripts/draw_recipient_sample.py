"""Draw the value-weighted sample of spend recipients behind the legal-form rules (ADR 0028).

Reads Trafford's real supplier spend files (2024-25 and 2026-27), adds up each recipient's
payments by absolute value (names compared without case or repeated spaces), and draws 300
without replacement with probability in proportion to value (Efraimidis and Spirakis' keys
u^(1/w), seed 16). Prints the sample as CSV (name, value_pounds), largest first; the labels
in tests/money/data/recipient_legal_forms.csv were written by hand against this list before
any rule was written.

    .venv/bin/python scripts/draw_recipient_sample.py ../shared/data/spend > sample.csv
"""

from __future__ import annotations

import csv
import io
import random
import sys
import zipfile
from collections import Counter
from pathlib import Path

FILES = ("trafford-supplier-spend-2024-25.zip", "trafford-supplier-spend-2026-27.zip")
SIZE = 300
SEED = 16


def recipient_values(folder: Path) -> tuple[Counter[str], dict[str, str]]:
    totals: Counter[str] = Counter()
    names: dict[str, str] = {}
    for file_name in FILES:
        with zipfile.ZipFile(folder / file_name) as archive:
            for member in archive.namelist():
                if not member.endswith(".csv"):
                    continue
                raw = archive.read(member)
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("cp1252")
                for row in csv.DictReader(io.StringIO(text)):
                    name = " ".join(row["BeneficiaryName"].split())
                    totals[name.upper()] += abs(float(row["Amount"] or 0))
                    names.setdefault(name.upper(), name)
    return totals, names


def main(folder: Path) -> None:
    totals, names = recipient_values(folder)
    rng = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret
    keyed = sorted(
        ((rng.random() ** (1 / v), k) for k, v in sorted(totals.items()) if v > 0), reverse=True
    )
    chosen = sorted((k for _, k in keyed[:SIZE]), key=lambda k: -totals[k])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "value_pounds"])
    for key in chosen:
        out.writerow([names[key], f"{totals[key]:.2f}"])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
