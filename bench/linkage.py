"""Linkage quality: charities linked to Companies House records without the number (P, R, F1).

`run(rows)` returns {"figures": [{"name", "backend", "figure", "baseline", "ratio", "target",
"met"}, ...], "report_md": "..."}; bench/__main__.py prints them in the results table.
"""

from __future__ import annotations

from typing import Any


def run(rows: int | None = None) -> dict[str, Any]:
    return {"figures": [], "report_md": "Not written yet."}
