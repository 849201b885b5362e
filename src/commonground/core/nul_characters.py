"""Requests holding a NUL character (U+0000) in their address or query.

No name, code or text on this service holds one, and PostgreSQL refuses any text that does
("A string literal cannot contain NUL characters"), so a NUL reaching a query is a server
error there while SQLite simply finds nothing. The web and API middlewares answer such a
request before any view sees it, so every page and operation behaves the same on both
databases (ADR 0059): an address holding one is not found (404); a query parameter holding one
is refused naming it (400 on pages, 422 in the API, as for any refused value). Form fields are
refused by Django's forms, next to the field ("Null characters are not allowed"), and JSON
bodies by the API's parser.
"""

from __future__ import annotations

from django.http import HttpRequest

NUL = "\x00"
PATH = "the page's address"


def field_with_nul(request: HttpRequest) -> str | None:
    """PATH when the address holds a NUL, else the first query parameter holding one (in its
    name or a value), else None."""
    if NUL in request.path:
        return PATH
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "")
    return None


def refusal(field: str) -> str:
    return (
        f"The query parameter {field!r} holds a NUL character (U+0000), which no text here can "
        "contain. Remove it and try again."
    )
