"""The question flow's place in the browser session: the answers so far and, when the flow was
started from something else (a need), where it came from and where saving it goes. Other
contexts start the flow through `begin`, so the session keys stay this module's."""

from __future__ import annotations

from typing import Any, TypedDict

from .answers import Answers
from .questions import check_complete

SESSION_KEY = "commissioning.answers"
ORIGIN_KEY = "commissioning.origin"


class Origin(TypedDict):
    """What the flow was started for: shown on the results page, and saving goes to save_url
    (a page of the starting context, which saves and links the appraisal)."""

    label: str  # for example 'the need "Community wellbeing service"'
    url: str
    save_url: str
    save_label: str


def raw(session: Any) -> dict[str, Any]:
    return dict(session.get(SESSION_KEY, {}))


def store(session: Any, answers: dict[str, Any]) -> None:
    session[SESSION_KEY] = answers


def begin(session: Any, answers: dict[str, Any], origin: Origin | None = None) -> None:
    """Start a new flow with these answers filled in, for `origin` if given."""
    session[SESSION_KEY] = answers
    if origin is None:
        session.pop(ORIGIN_KEY, None)
    else:
        session[ORIGIN_KEY] = dict(origin)


def origin(session: Any) -> Origin | None:
    found = session.get(ORIGIN_KEY)
    if not isinstance(found, dict):
        return None
    return Origin(
        label=str(found.get("label", "")),
        url=str(found.get("url", "")),
        save_url=str(found.get("save_url", "")),
        save_label=str(found.get("save_label", "")),
    )


def finish(session: Any) -> None:
    """The flow's appraisal was saved for its origin: later saves are plain saves."""
    session.pop(ORIGIN_KEY, None)


def answers(session: Any) -> Answers | None:
    """The session's answers once complete and valid, else None."""
    return check_complete(raw(session))
