"""The API's answer to a NUL character in an operation's address or query (core.nul_characters),
in the one error shape (ADR 0020): an address holding one is not found (404); a query parameter
holding one is refused naming it (422, as for any value a parameter refuses). JSON bodies
holding one are refused by the API's parser (v1/parser.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from commonground.core.nul_characters import PATH, field_with_nul, refusal

from .v1.errors import body


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            field = field_with_nul(request)
            if field == PATH:
                return JsonResponse(body([(None, "Not found")]), status=404)
            if field is not None:
                return JsonResponse(body([(field, refusal(field))]), status=422)
        return self.get_response(request)
