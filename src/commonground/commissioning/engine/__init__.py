"""The appraisal engine: answers and a date in, every route out with its status, the reasons
and the rules that decided it. A pure function of its inputs and the rules files: no database,
no clock, no randomness, so the same answers always give the same result and the result can be
stored and shown as the record of what the rules said.

Each route has one function, in the module of its family (`registry.py` finds it from the
catalogue). A function may only cite conditions that exist in that route's YAML file
(`Ctx.reason` looks them up), so the data a lawyer reviews and the code that applies it cannot
drift apart silently: a missing condition id fails every test run.
"""

from .appraisal import appraise
from .context import (
    AVAILABLE,
    AVAILABLE_IF,
    NOT_AVAILABLE,
    REGIME_LABELS,
    STATUS_LABELS,
    STATUSES,
    Ctx,
    Outcome,
    pounds,
)
from .registry import route_function, route_functions

__all__ = [
    "AVAILABLE",
    "AVAILABLE_IF",
    "NOT_AVAILABLE",
    "REGIME_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "Ctx",
    "Outcome",
    "appraise",
    "pounds",
    "route_function",
    "route_functions",
]
