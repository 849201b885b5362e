"""GET /api/v1/glossary: terms that mean different things to commissioners, providers, funders
and residents, with sources (sectors/data/glossary.yaml). Public.

Registered in api/urls.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from commonground.sectors.catalogue import catalogue
from commonground.sectors.selectors import search_glossary

from .errors import ApiError

router = Router(tags=["glossary"])


class TermOut(Schema):
    code: str = Field(description="The term's code; the glossary page's anchor is term-{code}.")
    term: str = Field(description="The term.")
    also: list[str] = Field(description="Other forms of the word that pages may use.")
    summary: str = Field(description="What it broadly means.")
    commissioner: str = Field(description="What it means to a commissioner.")
    provider: str = Field(description="What it means to a provider.")
    funder: str = Field(description="What it means to a funder.")
    community: str = Field(description="What it means to a resident (community member).")
    sources: list[str] = Field(description="Sources.")


class GlossaryOut(Schema):
    reviewed: str = Field(description="Date the glossary was last reviewed (YYYY-MM-DD).")
    terms: list[TermOut] = Field(description="The terms matching the search (all if none).")


class GlossaryQuery(Schema):
    q: str = Field("", max_length=100, description="Words to search for (all must appear).")


@router.get(
    "/glossary",
    response={200: GlossaryOut, 422: ApiError},
    url_name="glossary",
    summary="The glossary",
)
def get_glossary(request: HttpRequest, query: Query[GlossaryQuery]) -> Any:
    """Every term (or those matching `q`) with what it means to each perspective."""
    cat = catalogue()
    return {
        "reviewed": cat.glossary_reviewed.isoformat(),
        "terms": [
            {"code": t.code, "also": list(t.data.get("also", [])), **t.data}
            for t in search_glossary(query.q, cat)
        ],
    }
