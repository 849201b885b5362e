"""Engagement: articulation analysis of 10,000 statements; a 2,000-statement alignment report.

`run(rows)` returns {"figures": [{"name", "backend", "figure", "baseline", "ratio", "target",
"met"}, ...], "report_md": "..."}; bench/__main__.py prints them in the results table.
"""

from __future__ import annotations

from typing import Any


def run(rows: int | None = None) -> dict[str, Any]:
    return {"figures": [], "report_md": "Not written yet."}
