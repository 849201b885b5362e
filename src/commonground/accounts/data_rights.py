"""Data rights: everything a person entered, as JSON.

Each context adds what it holds about a person with `register_exporter("partnerships", fn)`
(from its AppConfig.ready; the registry is `core.data_rights`); `fn(user)` returns JSON-ready
data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from commonground.audit.models import AuditEvent
from commonground.core.data_rights import EXPORTERS, register_exporter

from .models import ApiToken, Membership
from .services import profile_for


def _account(user: User) -> dict[str, Any]:
    profile = profile_for(user)
    return {
        "email": user.email,
        "name": user.get_full_name(),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_verified_at": profile.email_verified_at,
        "two_factor_enabled": profile.totp_confirmed_at is not None,
    }


def _memberships(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "organisation_id": m.organisation.org_id,
            "role": m.role,
            "status": m.status,
            "note": m.note,
            "requested_at": m.requested_at,
            "decided_at": m.decided_at,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


def _tokens(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
        }
        for t in ApiToken.objects.filter(user=user)
    ]


def _activity(user: User) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at,
            "action": e.action,
            "model": e.model,
            "object_id": e.object_id,
            "before": e.before,
            "after": e.after,
            "ip": e.ip,
            "user_agent": e.user_agent,
        }
        for e in AuditEvent.objects.filter(actor=user).order_by("at", "pk")
    ]


register_exporter("account", _account)
register_exporter("memberships", _memberships)
register_exporter("api_tokens", _tokens)
register_exporter("activity", _activity)


def personal_data_export(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {"exported_at": timezone.now(), "service": "Common Ground"}
    for name, exporter in EXPORTERS.items():
        data[name] = exporter(user)
    return data
