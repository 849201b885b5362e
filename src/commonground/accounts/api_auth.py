"""Bearer-token authentication for the JSON API (django-ninja).

Attach to a private router or operation: `Router(auth=BearerToken())` or
`@router.get(..., auth=BearerToken())`. The public atlas endpoints keep no auth. A request
without a live token gets 401; handlers then ask `accounts.permissions` about each object.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        # Handlers and the permission rules read request.user, as in the pages.
        request.user = user
        return user
