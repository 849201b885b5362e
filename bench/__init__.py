"""Benchmarks at national scale, run by `make bench` (see bench/__main__.py).

Every input is synthetic, written by bench.generators in the publishers' real layouts, and
labelled as synthetic wherever it is written or reported.
"""

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"
