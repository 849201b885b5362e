"""What makes cached public pages stale (ADR 0012): a finished import, and a decided link review
(a decision re-points flows to organisations). Connected from the web app's ready(), in web
processes and in commands (imports) alike; the cache itself is core's and knows no context."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from commonground.core.page_cache import public_data_changed
from commonground.imports.models import ImportRun, ImportStatus
from commonground.organisations.models import LinkReview, LinkReviewStatus


def _on_import_run_saved(sender: Any, instance: ImportRun, **kwargs: Any) -> None:
    if instance.status != ImportStatus.RUNNING:
        public_data_changed()


def _on_link_review_saved(sender: Any, instance: LinkReview, **kwargs: Any) -> None:
    # A pending review changes nothing shown.
    if instance.status != LinkReviewStatus.PENDING:
        public_data_changed()


def connect_signals() -> None:
    post_save.connect(_on_import_run_saved, sender=ImportRun, dispatch_uid="page_cache.run")
    post_save.connect(_on_link_review_saved, sender=LinkReview, dispatch_uid="page_cache.review")
