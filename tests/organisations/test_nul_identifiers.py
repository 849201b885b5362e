"""An identifier holding a NUL character, in any page's or API operation's path, is simply not
found (404): no organisation's identifier holds one, and PostgreSQL refuses to compare text that
does, so sending it to the database was a server error there. The tests run every request as
PostgreSQL would (a NUL in a query's parameters raises), so they hold on SQLite too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.accounts.factories import UserFactory

from .factories import OrganisationFactory


def _values(params: Any) -> Iterator[Any]:
    for value in params.values() if isinstance(params, dict) else params or ():
        if isinstance(value, list | tuple):
            yield from _values(value)
        else:
            yield value


def _as_postgresql(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    if any(isinstance(v, str) and "\x00" in v for v in _values(params)):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/GB-CHC-1%00/",
        "/organisations/GB-CHC-1%00/save/",
        "/organisations/GB-CHC-1%00/profile/edit",
        "/account/join/GB-CHC-1%00/",
        "/api/v1/organisations/GB-CHC-1%00",
        "/api/v1/organisations/GB-CHC-1%00/profile",
    ],
)
def test_an_identifier_with_a_nul_character_is_not_found(db: None, path: str) -> None:
    OrganisationFactory(org_id="GB-CHC-1")
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    with connection.execute_wrapper(_as_postgresql):
        response = client.get(path)
    assert response.status_code == 404
