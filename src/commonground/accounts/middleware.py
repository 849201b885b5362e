"""Pages refused because the person has not confirmed their email address say so, and how to
confirm, instead of a bare "forbidden" page. The API answers 403 with the same words
(api/urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .permissions import EmailNotConfirmed


class ConfirmEmailFirstMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, EmailNotConfirmed) or request.path.startswith("/api/"):
            return None
        response = render(request, "accounts/confirm_first.html", status=403)
        response["Cache-Control"] = "no-store"
        return response
