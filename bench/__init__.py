"""Benchmarks at national scale, run by `make bench` (see bench/__main__.py).

The national-scale register and search inputs are synthetic, written by bench.generators in the
publishers' real layouts and labelled as synthetic wherever they are written or reported; the
other benchmarks read the real files in ../shared/data (bench/__main__.py says which is which).
"""

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
# The real data files: the mirror folder when one is named (as the settings read it), else the
# project's sibling ../shared/data.
SHARED_DATA = Path(
    os.environ.get("COMMONGROUND_DATA_MIRROR") or PROJECT_DIR.parent / "shared" / "data"
)
