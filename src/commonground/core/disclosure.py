"""Which groups' figures to withhold so that nobody's own answer can be read from them.

A figure for a group of one person is that person's answer: a lone funder's "average" is their
score, a lone funder's "1 agree" is their vote. So a group's figures are shown only when at
least `minimum` people are in it. That is not enough on its own: where a figure for everyone is
shown beside the groups', the hidden groups' figures are what is left over (everyone minus the
groups shown). So while the people in hidden groups number fewer than `minimum` (but more than
none), the smallest shown group is hidden too (of equals, the one listed last, so the choice is
always the same). Used by the health check's perspective averages and by the votes on shared
statements (ADR 0061).

An empty group is never withheld: it holds nobody's answer.
"""

from __future__ import annotations

from collections.abc import Sequence


def too_few(size: int, minimum: int) -> bool:
    """True when a figure over `size` people could be someone's own answer: more than none, but
    fewer than `minimum`. A figure for everyone is withheld when this holds for everyone."""
    return 0 < size < minimum


def withheld(sizes: Sequence[int], minimum: int) -> list[bool]:
    """For groups of these sizes (in the order they are listed), whether each group's figures
    are withheld: too few in it, or shown it would let the rest reveal a group with too few."""
    hidden = [too_few(size, minimum) for size in sizes]
    while True:
        held_back = sum(size for size, hide in zip(sizes, hidden, strict=True) if hide)
        shown = [i for i, size in enumerate(sizes) if size and not hidden[i]]
        if not shown or not too_few(held_back, minimum):
            return hidden
        hidden[min(reversed(shown), key=lambda i: sizes[i])] = True
