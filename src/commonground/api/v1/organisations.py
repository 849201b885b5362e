"""GET /api/v1/organisations (partner search) and GET /api/v1/organisations/{org_id}.

The same form and selector as the search page, so the page and the API always agree.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from commonground.core.page_cache import public_page
from commonground.organisations.forms import search_form
from commonground.organisations.models import Organisation, PlaceRelation, Sector
from commonground.organisations.models import Status as OrgStatus
from commonground.organisations.selectors import (
    FACETS,
    INCOME_BANDS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORTS,
    organisation_by_identifier,
    organisation_profile,
    search_organisations,
)
from commonground.organisations.why import organisation_places
from commonground.places.models import Place

from .errors import ApiError, invalid, refused

router = Router(tags=["organisations"])

SectorCode = Enum("SectorCode", {s.value: s.value for s in Sector}, type=str)  # type: ignore[misc]
StatusCode = Enum("StatusCode", {s.value: s.value for s in OrgStatus}, type=str)  # type: ignore[misc]
IncomeBand = Enum("IncomeBand", {b.code: b.code for b in INCOME_BANDS}, type=str)  # type: ignore[misc]
SortOrder = Enum("SortOrder", {s: s for s in SORTS}, type=str)  # type: ignore[misc]
Relation = Enum("Relation", {r.value: r.value for r in PlaceRelation}, type=str)  # type: ignore[misc]


class SearchQuery(Schema):
    q: str = Field("", description="Words in the name, other names or activities", max_length=200)
    place: str = Field(
        "", description="A local authority or ward GSS code, e.g. E08000009", max_length=9
    )
    postcode: str = Field("", description="Only organisations near this postcode", max_length=10)
    distance: float | None = Field(
        None, gt=0, le=100, description="Kilometres from the postcode (default 2)"
    )
    sector: list[SectorCode] = Field([], description="Any of these sectors")
    status: list[StatusCode] = Field([], description="Any of these statuses")
    legal_form: list[str] = Field(
        [], description="Any of these legal forms, as registers give them"
    )
    income: list[IncomeBand] = Field([], description="Latest income in any of these bands")
    relation: Relation = Field(
        Relation("works_in"),
        description="Within the place: works_in (default; includes those based there) or based_in",
    )
    sort: SortOrder = Field(SortOrder("relevance"), description="relevance (text searches) or name")
    page: int = Field(1, ge=1)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class PlaceOut(Schema):
    gss_code: str
    name: str
    url: str


class PlaceLinkOut(Schema):
    relation: Relation
    gss_code: str
    name: str
    coverage: str = Field(description="local, area (county or city region), region or national")
    evidence: str = Field(description="What says so, in plain words")
    as_of: date | None = Field(description="When the evidence was read (null for an address)")


class OrganisationSummary(Schema):
    org_id: str
    name: str
    url: str = Field(description="The organisation in this API")
    web_url: str = Field(description="The organisation's page on the site")
    sector: SectorCode
    legal_form: str
    status: StatusCode
    postcode: str
    local_authority: PlaceOut | None
    ward: PlaceOut | None
    latest_income_pence: int | None
    latest_income_date: date | None


class FacetOptionOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class Facets(Schema):
    sector: list[FacetOptionOut]
    status: list[FacetOptionOut]
    legal_form: list[FacetOptionOut]
    income: list[FacetOptionOut]


class SearchResultOut(OrganisationSummary):
    why: list[str] = Field(description="Why it is in the results, in plain words")
    places: list[PlaceLinkOut] = Field(description="Where it is based and where it works")


class Pagination(Schema):
    page: int
    page_size: int
    pages: int
    total: int


class SearchOut(Schema):
    results: list[SearchResultOut]
    pagination: Pagination
    facets: Facets


class IdentifierOut(Schema):
    value: str
    scheme: str
    scheme_name: str
    register_url: str | None


class SectorEvidenceOut(Schema):
    sector: str
    register_name: str = Field(description="The register that gave the evidence")
    source: str = Field(description="The dataset the evidence came from")
    field: str
    value: str
    rule: str


class OtherNameOut(Schema):
    name: str
    source: str


class SourceRecordOut(Schema):
    dataset: str
    dataset_name: str
    import_run: int | None
    file_name: str
    row_number: int | None
    record_key: str
    raw: dict[str, Any]


class IncomeOut(Schema):
    pence: int
    date: date | None
    source: str


class OrganisationDetail(OrganisationSummary):
    identifiers: list[IdentifierOut]
    sector_evidence: list[SectorEvidenceOut]
    date_registered: date | None
    date_removed: date | None
    address: str
    latitude: float | None
    longitude: float | None
    activities: str
    website: str
    income: IncomeOut | None
    other_names: list[OtherNameOut]
    source_records: list[SourceRecordOut]


def _place(place: Place | None) -> dict[str, str] | None:
    if place is None:
        return None
    return {"gss_code": place.gss_code, "name": place.name, "url": f"/places/{place.gss_code}/"}


def _summary(org: Organisation) -> dict[str, Any]:
    return {
        "org_id": org.org_id,
        "name": org.name,
        "url": reverse("api-v1:organisation", kwargs={"org_id": org.org_id}),
        "web_url": reverse("organisations:detail", kwargs={"org_id": org.org_id}),
        "sector": org.sector,
        "legal_form": org.legal_form,
        "status": org.status,
        "postcode": org.postcode,
        "local_authority": _place(org.local_authority),
        "ward": _place(org.ward),
        "latest_income_pence": org.latest_income_pence,
        "latest_income_date": org.latest_income_date,
    }


@router.get(
    "/organisations",
    response={200: SearchOut, 422: ApiError},
    url_name="organisations",
    summary="Search organisations",
)
@decorate_view(public_page)
def list_organisations(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    """Purpose-driven organisations matching a search, best matches first, with facet counts
    (each facet counted over the other filters) and pagination."""
    data = QueryDict(mutable=True)
    for key, value in filters.dict().items():
        values = value if isinstance(value, list) else [value]
        data.setlist(
            key, [str(v.value if isinstance(v, Enum) else v) for v in values if v is not None]
        )
    form = search_form(data)
    if form.errors:
        raise invalid(
            (field, str(message)) for field, messages in form.errors.items() for message in messages
        )
    result = search_organisations(form.params())
    places = organisation_places(result.organisations)
    facet_names = dict(zip(FACETS, ["sector", "status", "legal_form", "income"], strict=True))
    return Status(
        200,
        {
            "results": [
                {
                    **_summary(org),
                    "why": result.reasons.get(org.pk, []),
                    "places": [vars(p) for p in places.get(org.pk, [])],
                }
                for org in result.organisations
            ],
            "pagination": {
                "page": result.page,
                "page_size": result.page_size,
                "pages": result.pages,
                "total": result.total,
            },
            "facets": {
                facet_names[facet]: [vars(option) for option in options]
                for facet, options in result.facets.items()
            },
        },
    )


@router.get(
    "/organisations/{org_id}",
    response={200: OrganisationDetail, 404: ApiError},
    url_name="organisation",
    summary="One organisation",
)
@decorate_view(public_page)
def get_organisation(request: HttpRequest, org_id: str) -> Any:
    """One organisation by any of its identifiers, with the evidence and source records behind
    its facts."""
    org = organisation_by_identifier(org_id)
    if org is None:
        raise refused(404, f"No organisation has the identifier {org_id}")
    profile = organisation_profile(org)
    org = profile.organisation
    return Status(
        200,
        {
            **_summary(org),
            "identifiers": [
                {
                    "value": i.value,
                    "scheme": i.scheme,
                    "scheme_name": i.scheme_name,
                    "register_url": i.url or None,
                }
                for i in profile.identifiers
            ],
            "sector_evidence": [
                {
                    "sector": c.get("sector", ""),
                    "register_name": c.get("register", ""),
                    "source": c.get("source", ""),
                    "field": c.get("field", ""),
                    "value": c.get("value", ""),
                    "rule": c.get("rule", ""),
                }
                for c in profile.sector_evidence
            ],
            "date_registered": org.date_registered,
            "date_removed": org.date_removed,
            "address": org.address,
            "latitude": org.latitude,
            "longitude": org.longitude,
            "activities": org.activities,
            "website": org.website,
            "income": {
                "pence": org.latest_income_pence,
                "date": org.latest_income_date,
                "source": org.latest_income_source,
            }
            if org.latest_income_pence is not None
            else None,
            "other_names": [{"name": n, "source": s} for n, s in profile.other_names],
            "source_records": [
                {
                    "dataset": r.dataset,
                    "dataset_name": r.dataset_name,
                    "import_run": r.import_run_id,
                    "file_name": r.file_name,
                    "row_number": r.row_number,
                    "record_key": r.record_key,
                    "raw": r.raw if isinstance(r.raw, dict) else {"value": r.raw},
                }
                for r in profile.source_records
            ],
        },
    )
