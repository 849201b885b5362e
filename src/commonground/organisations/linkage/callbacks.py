"""Who to tell when a reviewer decides a link, so ledgers can re-point their flows."""

from __future__ import annotations

from collections.abc import Callable

LinkDecided = Callable[[str, int | None], None]

_callbacks: list[LinkDecided] = []


def on_link_decided(callback: LinkDecided) -> LinkDecided:
    """Register `callback(key, organisation_id)`, called after a reviewer's decision (in the
    decision's transaction) with the organisation's id when accepted and None when rejected.
    Usable as a decorator; registering the same callable twice has no further effect."""
    if callback not in _callbacks:
        _callbacks.append(callback)
    return callback


def notify_link_decided(key: str, organisation_id: int | None) -> None:
    for callback in list(_callbacks):
        callback(key, organisation_id)
