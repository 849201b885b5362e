"""Pages over a rate limit (core.ratelimit) answer 429 with Retry-After and a page saying when
to try again; the API answers the same status with its own JSON (api/urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.ratelimit import RateLimited, wait_text


class RateLimitedMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited) or request.path.startswith("/api/"):
            return None
        response = render(
            request,
            "web/too_many.html",
            {"limit": exception.limit.describe(), "wait": wait_text(exception.retry_after)},
            status=429,
        )
        response["Retry-After"] = str(exception.retry_after)
        return response
