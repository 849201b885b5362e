"""The one way to write to the audit trail. Other apps call `audit_record` from their services,
inside the same transaction as the write it describes, so a write and its record stand or fall
together."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .models import AuditEvent
from .origin import Origin, current_origin


def _json(value: Any) -> Any:
    # Dates, decimals and UUIDs become strings now, so the stored value is what was written.
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of some fields of a model instance, for `before` and `after`."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = field.value_from_object(obj)  # type: ignore[union-attr]
    return _json(values)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    model: str = "",
    object_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    origin: Origin | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj` (or to `model`/`object_id`), with the values
    before and after and where the request came from (the current request by default)."""
    if obj is not None:
        model = obj._meta.label_lower
        object_id = obj.pk
    origin = origin or current_origin()
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor_id=actor_id,
        action=action,
        model=model,
        object_id="" if object_id is None else str(object_id),
        before=_json(before),
        after=_json(after),
        ip=origin.ip,
        user_agent=origin.user_agent,
        channel=origin.channel,
    )
