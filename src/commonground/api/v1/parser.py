"""How the API reads a JSON body: as ninja does, but refusing a NUL character anywhere in it.

PostgreSQL cannot store U+0000 in text, so a body carrying one would fail at the database with
a 500 on one backend and be stored on the other. Refusing it here, once, covers every write
(found by schemathesis on shortlists and conversations); the answer is a 422 naming the field,
as for any value a schema refuses (errors.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class NulInBody(ValueError):
    """A JSON body holds U+0000 in a key or a string value at `field` (dotted path)."""

    def __init__(self, field: str | None) -> None:
        super().__init__("Text may not contain a NUL character (U+0000).")
        self.field = field


def nul_path(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path to the first key or string holding U+0000, or None when there is none."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return (*path, key.replace("\x00", "\\u0000"))
            items.append((key, item))
    elif isinstance(value, list):
        items = [(str(index), item) for index, item in enumerate(value)]
    for key, item in items:
        found = nul_path(item, (*path, key))
        if found is not None:
            return found
    return None


class RefusingNulParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        found = nul_path(data)
        if found is not None:
            raise NulInBody(".".join(found) or None)
        return data  # type: ignore[no-any-return]
