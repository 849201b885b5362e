"""Pages over a rate limit (core.ratelimit) answer 429 with Retry-After and a page saying when
to try again; the API answers the same status with its own JSON (api/urls.py). A page whose
address holds a NUL character is not found; one asked for with a NUL in a query parameter
answers 400 with a page naming it (core.nul_characters). The API has its own middleware
for the same rule."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.nul_characters import PATH, field_with_nul, refusal
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


class RefuseNulCharactersMiddleware:
    """Pages only: /api/ answers in its own JSON shape (api.middleware)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            field = field_with_nul(request)
            if field == PATH:
                raise Http404("No page has such an address.")
            if field is not None:
                return render(
                    request, "web/bad_request.html", {"reason": refusal(field)}, status=400
                )
        return self.get_response(request)
