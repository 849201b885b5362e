"""One shape for every 4xx answer of the API (ADR 0020), made here and nowhere else.

    {"detail": "What is wrong, in a sentence", "field": "answers.0.score" | null,
     "errors": [{"detail": ..., "field": ...}, ...], "code": "expired" | null}

`detail` and `field` are the first problem (a client that shows one message shows that);
`errors` lists every problem found, the first included. `field` names the query parameter, path
parameter or body field at fault, nested fields joined with dots; it is null where no one field
is (a missing token, a page not found, a clash with what is recorded). `code` is a stable word
for the kind of refusal where a client may act on it (an invitation "expired" or already
"accepted"), null otherwise.

Handlers raise `refused(status, detail, field)` (or ninja's HttpError/ValidationError, or
Django's Http404); the exception handlers installed by `install` turn each into this shape.
`responses(...)` documents the shape in OpenAPI for the codes an operation can answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from .parser import NulInBody

# Where ninja says a value came from; a body's schema adds the name of its parameter after it.
_SOURCES = {"query", "path", "header", "cookie", "form", "file"}


class FieldError(Schema):
    detail: str = Field(description="What is wrong, in a sentence.")
    field: str | None = Field(None, description="The field at fault; null for none.")


class ApiError(Schema):
    """Every 4xx answer: the first problem, and all of them."""

    detail: str = Field(description="What is wrong, in a sentence (the first problem).")
    field: str | None = Field(
        None,
        description="The query parameter, path parameter or body field at fault, nested fields "
        "joined with dots (answers.0.score); null where no one field is.",
    )
    errors: list[FieldError] = Field(description="Every problem found, the first included.")
    code: str | None = Field(
        None,
        description="A stable word for the kind of refusal where a client may act on it (an "
        "invitation expired, lapsed, accepted, declined, revoked or replaced); else null.",
    )


class Refused(Exception):
    """A request refused with a 4xx status, a sentence and (where one field is at fault) its
    name; several problems at once are given as (field, detail) pairs."""

    def __init__(
        self,
        status: int,
        detail: str,
        field: str | None = None,
        more: Sequence[tuple[str | None, str]] = (),
        code: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.problems = [(field, detail), *more]
        self.code = code


def refused(status: int, detail: str, field: str | None = None, code: str | None = None) -> Refused:
    return Refused(status, detail, field, code=code)


def invalid(problems: dict[str, str] | Iterable[tuple[str | None, str]]) -> Refused:
    """A 422 for one or more fields: {field: message} or (field, message) pairs."""
    pairs = list(problems.items() if isinstance(problems, dict) else problems)
    (field, detail), *more = pairs
    return Refused(422, detail, field, more)


def body(problems: Sequence[tuple[str | None, str]], code: str | None = None) -> dict[str, Any]:
    """The answer's JSON, for a handler that returns a 4xx itself (to set a header with it)."""
    return {
        "detail": problems[0][1],
        "field": problems[0][0],
        "errors": [{"detail": detail, "field": field} for field, detail in problems],
        "code": code,
    }


def field_name(loc: Sequence[str | int]) -> str | None:
    """ninja's location of a validation error as a field name: ("body", "payload", "answers",
    0, "score") -> "answers.0.score"; ("query", "page") -> "page"."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]  # "body" and the name of the handler's body parameter
    elif parts and parts[0] in _SOURCES:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or None


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "This value is not valid"))
    # pydantic prefixes some messages ("Value error, ..."); the sentence after it is ours.
    return message.removeprefix("Value error, ")


def _answer(
    api: NinjaAPI, request: HttpRequest, status: int, problems: list, code: str | None = None
) -> HttpResponse:
    return api.create_response(request, body(problems, code), status=status)


def _on_refused(request: HttpRequest, exc: Refused, api: NinjaAPI) -> HttpResponse:
    return _answer(api, request, exc.status, exc.problems, exc.code)


def _on_validation(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    problems = [(field_name(e.get("loc", ())), _message(e)) for e in exc.errors]
    return _answer(api, request, 422, problems or [(None, "The request is not valid")])


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, NulInBody):  # a field error, like any value a schema refuses
        return _answer(api, request, 422, [(cause.field, str(cause))])
    return _answer(api, request, exc.status_code, [(None, str(exc))])


def _on_not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return _answer(api, request, 404, [(None, "Not found")])


def install(api: NinjaAPI) -> None:
    """Answer every refusal the API makes in the one shape."""
    api.add_exception_handler(Refused, partial(_on_refused, api=api))
    api.add_exception_handler(ValidationError, partial(_on_validation, api=api))
    api.add_exception_handler(HttpError, partial(_on_http_error, api=api))
    api.add_exception_handler(Http404, partial(_on_not_found, api=api))


def responses(ok: Any, *refusals: int, status: int = 200) -> dict[int, Any]:
    """An operation's documented responses: its success, and ApiError for each 4xx it can
    answer."""
    return {status: ok, **dict.fromkeys(refusals, ApiError)}
