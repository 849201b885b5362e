"""Template filters for the Data sources pages."""

from __future__ import annotations

from pathlib import PurePath

from django import template

register = template.Library()


@register.filter
def file_name(path: str) -> str:
    """Only the file's name: where it sits on the server is nobody's business."""
    return PurePath(path or "").name
