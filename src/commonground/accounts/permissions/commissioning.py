"""Rules for route appraisals (the commissioning context)."""

from __future__ import annotations

from typing import Any

from .core import Rule, has_confirmed_address, is_signed_in


def can_view_appraisal(user: Any, appraisal: Any) -> bool:
    """`appraisal.author_id` and `appraisal.shared_with_ids` (a set of user ids): the author and
    whoever they shared it with. Not platform administrators: an appraisal is private work."""
    if not is_signed_in(user):
        return False
    return appraisal.author_id == user.pk or user.pk in appraisal.shared_with_ids


def can_change_appraisal(user: Any, appraisal: Any) -> bool:
    return is_signed_in(user) and appraisal.author_id == user.pk


def can_share_appraisal(user: Any, appraisal: Any) -> bool:
    """Sharing sends the person's work, under their name, to someone else: the author, with a
    confirmed address."""
    return can_change_appraisal(user, appraisal) and has_confirmed_address(user)


RULES: dict[str, tuple[Rule, Rule]] = {
    "commissioning.appraisal": (can_view_appraisal, can_change_appraisal),
}
