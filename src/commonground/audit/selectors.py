from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import AuditEvent


@dataclass
class AuditFilters:
    actor: str = ""  # part of the acting account's email address
    action: str = ""
    model: str = ""
    object_id: str = ""
    ip: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_search(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if filters.actor:
        events = events.filter(actor__email__icontains=filters.actor)
    if filters.action:
        events = events.filter(action__istartswith=filters.action)
    if filters.model:
        events = events.filter(model=filters.model.lower())
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.ip:
        events = events.filter(ip=filters.ip)
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    return events


def audit_models() -> list[str]:
    return list(AuditEvent.objects.order_by("model").values_list("model", flat=True).distinct())
