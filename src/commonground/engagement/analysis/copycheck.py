"""Find runs of words a statement shares with its source's text.

The articulation corpus must restate its sources, never copy them: no run of six
consecutive words of a statement may appear in the source. Words are compared
lower-cased with punctuation ignored, so a copy cannot hide behind a changed comma.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``; inner apostrophes kept, other punctuation dropped."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def shared_runs(statement: str, source: str, n: int = 6) -> list[str]:
    """Every maximal run of ``n`` or more words of ``statement`` that also occurs in ``source``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    stmt = words(statement)
    src = words(source)
    grams = {tuple(src[i : i + n]) for i in range(len(src) - n + 1)}
    hits = [i for i in range(len(stmt) - n + 1) if tuple(stmt[i : i + n]) in grams]
    runs: list[str] = []
    start = prev = None
    for i in hits:
        if start is not None and prev is not None and i == prev + 1:
            prev = i
            continue
        if start is not None and prev is not None:
            runs.append(" ".join(stmt[start : prev + n]))
        start = prev = i
    if start is not None and prev is not None:
        runs.append(" ".join(stmt[start : prev + n]))
    return runs


def longest_shared_run(statement: str, source: str) -> int:
    """Length in words of the longest run of ``statement`` that also appears in ``source``."""
    length = 0
    while shared_runs(statement, source, length + 1):
        length += 1
    return length
