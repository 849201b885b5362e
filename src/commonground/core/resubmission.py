"""The same form sent twice is one record, not two.

No page has double-click protection, and a refresh or a client's retry sends a form again, so
each write that makes a record first looks for the one the same person made with exactly the
same fields within RESUBMISSION_WINDOW, and returns it unchanged (nothing new is written or
audited). Ten minutes covers a double click, a refresh after a slow answer and a retry; a person
who really means a second identical record (a rare case) makes it after that.

`lock` makes two copies sent at the same moment wait for each other, so that the second finds
the first's record. Only PostgreSQL holds row locks: on SQLite two copies arriving at the very
same moment could both be kept (ADR 0060).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

RESUBMISSION_WINDOW = dt.timedelta(minutes=10)


def made_just_now(records: QuerySet[Any], since_field: str = "created_at", **fields: Any) -> Any:
    """The first of these records with exactly these fields made within RESUBMISSION_WINDOW
    (by `since_field`), or None."""
    since = timezone.now() - RESUBMISSION_WINDOW
    return records.filter(**fields, **{f"{since_field}__gte": since}).order_by("pk").first()


def lock(row: Model) -> None:
    """Lock the row (on PostgreSQL, inside the caller's transaction) until the write is done."""
    # row._meta, not type(row): a signed-in user arrives wrapped in a lazy object.
    row._meta.model._default_manager.select_for_update().filter(pk=row.pk).first()
