"""What the person reading a page may see of, and do to, a partnership profile."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.accounts import permissions

register = template.Library()


@register.simple_tag
def profile_viewer(organisation: Any, user: Any) -> dict[str, bool]:
    """{% profile_viewer org request.user as viewer %}: viewer.can_edit, viewer.can_see_contact."""
    return {
        "can_edit": permissions.can_change_profile_of(user, organisation.pk),
        "can_see_contact": permissions.can_see_profile_contact(user),
    }
