"""Who may see and change what: the one place the views and the API ask, object by object.

Every private read and every write calls `can_view(user, obj)` or `can_change(user, obj)` (or a
named rule) on the server. Rules are plain functions of the user and the object, one module a
bounded context (`partnerships.py`, `commissioning.py`, ...), built from the questions in
`core.py`. Each module's `RULES` maps a model's label to its pair of rules; the dispatch fails
closed: an object with no rule raises `NoRuleFor`, so a new model cannot be shown or changed by
accident.

Public open data (the atlas, places, sources, money flows) needs no rule to be read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from . import (
    accounts,
    commissioning,
    engagement,
    money,
    needs,
    partnerships,
    profiles,
    shortlists,
    social_value,
)
from .accounts import *  # noqa: F403
from .commissioning import *  # noqa: F403
from .core import *  # noqa: F403
from .core import NoRuleFor, Rule
from .engagement import *  # noqa: F403
from .money import *  # noqa: F403
from .needs import *  # noqa: F403
from .partnerships import *  # noqa: F403
from .profiles import *  # noqa: F403
from .shortlists import *  # noqa: F403
from .social_value import *  # noqa: F403

# Replaces the RULES each star import brought in with all of them together.
RULES: dict[str, tuple[Rule, Rule]] = {  # type: ignore[no-redef]
    **accounts.RULES,
    **commissioning.RULES,
    **engagement.RULES,
    **money.RULES,
    **needs.RULES,
    **partnerships.RULES,
    **profiles.RULES,
    **shortlists.RULES,
    **social_value.RULES,
}


def _rules_for(obj: Any) -> tuple[Rule, Rule]:
    meta = getattr(obj, "_meta", None)
    label = getattr(meta, "label_lower", None)
    if label not in RULES:
        raise NoRuleFor(f"No permission rule for {label or type(obj).__name__}.")
    return RULES[label]


def can_view(user: Any, obj: Any) -> bool:
    return _rules_for(obj)[0](user or AnonymousUser(), obj)


def can_change(user: Any, obj: Any) -> bool:
    return _rules_for(obj)[1](user or AnonymousUser(), obj)
