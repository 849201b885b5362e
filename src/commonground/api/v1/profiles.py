"""Partnership profiles and services: GET/PUT /organisations/{org_id}/profile and the Open
Referral UK compatible services feed, GET /services and GET /services/{id} (HSDS 3 form).

Reading is public; the profile's partnership contact is given only to signed-in commissioners and
funders (else null). Writing needs a Bearer token of a verified member (an approved
administrator or officer with a confirmed address): anonymous 401, anyone else 403. A PUT names
the version it edited, in `If-Match` (the ETag of the GET) or the body's `version`; if the profile
changed since, 409 and nothing is saved. An unknown place or route is refused with 422 naming the
field (services.0.areas.1, routes.2), and so is more than a profile holds (too many services,
areas, languages or quality marks, or text too long), by the limits of profiles/limits.py that
the profile pages keep too.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.accounts.services import api_token_user
from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_by_identifier
from commonground.profiles import hsds, limits, selectors, services
from commonground.profiles.models import PartnershipProfile, Service
from commonground.profiles.routes import willing_routes

from .errors import ApiError, Refused, invalid, refused

router = Router(tags=["profiles and services"])

MAX_PER_PAGE = 100


class HsdsServiceAreaOut(Schema):
    id: str
    service_id: str
    name: str
    extent_type: str | None = None
    uri: str | None = Field(None, description="The ONS statistical geography URI of the place.")


class HsdsLanguageOut(Schema):
    id: str
    service_id: str
    name: str


class HsdsIdentifierOut(Schema):
    id: str
    identifier_scheme: str
    identifier_type: str
    identifier: str


class HsdsOrganizationOut(Schema):
    id: str
    name: str
    description: str
    organization_identifiers: list[HsdsIdentifierOut] | None = None


class HsdsServiceOut(Schema):
    """One service in HSDS 3 form (public fields only)."""

    id: str = Field(description="The service's HSDS id (a UUID).")
    name: str
    description: str
    status: str = Field(description="active, inactive, defunct or temporarily closed.")
    url: str | None = None
    eligibility_description: str = Field(description="Who it is for, and who can use it.")
    minimum_age: int | None = None
    maximum_age: int | None = None
    application_process: str = Field(description="How to access it.")
    fees_description: str = Field(description='What it costs ("Free" when free).')
    last_modified: str
    organization_id: str | None = None
    organization: HsdsOrganizationOut | None = None
    service_areas: list[HsdsServiceAreaOut]
    languages: list[HsdsLanguageOut]


class HsdsServicePage(Schema):
    """A page of services in the HSDS 3 / Open Referral UK paginated form."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[HsdsServiceOut]


class HsdsPageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description="Services a page (at most 100).")


@router.get(
    "/services",
    response={200: HsdsServicePage, 422: ApiError},
    summary="Services, as an Open Referral UK (HSDS 3) feed",
    exclude_none=True,
)
def service_list(request: HttpRequest, query: Query[HsdsPageQuery]) -> dict[str, Any]:
    total, services = selectors.public_services_page(
        (query.page - 1) * query.per_page, query.per_page
    )
    contents = [hsds.service_json(s) for s in services]
    pages = max(1, math.ceil(total / query.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": len(contents),
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": not contents,
        "contents": contents,
    }


@router.get(
    "/services/{id}",
    response={200: HsdsServiceOut, 404: ApiError},
    summary="One service in HSDS 3 form",
    exclude_none=True,
)
def service_get(request: HttpRequest, id: str) -> dict[str, Any]:
    try:
        key = uuid.UUID(id)
    except ValueError:
        raise refused(404, "No service has this id (a service id is a UUID).", "id") from None
    service = Service.objects.public().filter(pk=key).first()
    if service is None:
        raise refused(404, "No service has this id.", "id")
    return hsds.service_json(service)


class WillingRouteOut(Schema):
    code: str = Field(description="A route the organisation is open to (grant, contract, ...).")
    label: str
    catalogue_routes: list[str] = Field(
        description="The commissioning catalogue's route codes it covers (/api/v1/routes)."
    )


class GovernanceClaim(Schema):
    claimed: bool
    evidence: str


class QualityMarkIO(Schema):
    name: str
    evidence: str


class PartnershipProfileOut(Schema):
    org_id: str
    organisation_name: str
    exists: bool = Field(description="False until the organisation's members write a profile.")
    version: int | None = Field(description="Send it back in If-Match or `version` to change it.")
    summary: str = ""
    open_to_partnership: str | None = Field(None, description="yes, conditions or no.")
    conditions: str = ""
    routes: list[WillingRouteOut] = []
    people_served_a_year: int | None = None
    staff: int | None = None
    volunteers: int | None = None
    income_band: str = ""
    asset_lock: GovernanceClaim | None = None
    member_owned: GovernanceClaim | None = None
    community_control: GovernanceClaim | None = None
    quality_marks: list[QualityMarkIO] = []
    contact_email: str | None = Field(
        None, description="Given only to signed-in commissioners and funders; else null."
    )
    confirmed_at: dt.datetime | None = None
    stale: bool = Field(False, description="Not confirmed for more than 12 months.")
    services: list[HsdsServiceOut] = []


class ProfileServiceIn(Schema):
    id: str | None = Field(None, description="Keep a service by giving its id; omit for a new one.")
    name: str
    description: str = ""
    who_for: str = ""
    eligibility: str = ""
    areas: list[str] = Field(
        [],
        description="GSS codes of the wards or local authorities served "
        f"(at most {limits.MAX_AREAS}).",
    )
    how_to_access: str = ""
    languages: list[str] = Field(
        [],
        description=f"At most {limits.MAX_LANGUAGES}, each of up to "
        f"{limits.MAX_LANGUAGE_CHARS} characters.",
    )
    cost: str = ""
    free: bool | None = None
    url: str = ""


class PartnershipProfileIn(Schema):
    version: int | None = Field(None, description="The version edited (or send If-Match).")
    summary: str = ""
    open_to_partnership: str = Field(description="yes, conditions or no.")
    conditions: str = ""
    routes: list[str] = Field([], description="Any of grant, contract, subcontract, ...")
    people_served_a_year: int | None = None
    staff: int | None = None
    volunteers: int | None = None
    income_band: str = ""
    asset_lock: bool = False
    asset_lock_evidence: str = ""
    member_owned: bool = False
    member_owned_evidence: str = ""
    community_control: bool = False
    community_control_evidence: str = ""
    quality_marks: list[QualityMarkIO] = Field(
        [], description=f"At most {limits.MAX_QUALITY_MARKS}."
    )
    contact_email: str = Field(
        "", description="A role address, shown to commissioners and funders."
    )
    contact_consent: bool = Field(
        False, description="True: whoever reads it agrees to it being shown."
    )
    services: list[ProfileServiceIn] | None = Field(
        None,
        description=f"The services written on the profile (at most {limits.MAX_SERVICES}); "
        "omit to leave them as they are.",
    )


def _organisation(org_id: str) -> Organisation:
    organisation = organisation_by_identifier(org_id)
    if organisation is None:
        raise refused(404, "No organisation has this identifier.", "org_id")
    return organisation


def _profile_json(
    organisation: Organisation, profile: PartnershipProfile | None, user: Any
) -> dict[str, Any]:
    found = {
        "org_id": organisation.org_id,
        "organisation_name": organisation.name,
        "exists": profile is not None,
        "version": None,
        "services": [hsds.service_json(s) for s in selectors.services_of(organisation)],
    }
    if profile is None:
        return found
    catalogue = willing_routes()
    return {
        **found,
        "version": profile.version,
        "summary": profile.summary,
        "open_to_partnership": profile.open_to_partnership,
        "conditions": profile.conditions,
        "routes": [
            {
                "code": c,
                "label": catalogue.routes[c].label,
                "catalogue_routes": list(catalogue.routes[c].catalogue_routes),
            }
            for c in profile.routes
            if c in catalogue.routes
        ],
        "people_served_a_year": profile.people_served_a_year,
        "staff": profile.staff,
        "volunteers": profile.volunteers,
        "income_band": profile.income_band,
        **{
            name: {
                "claimed": getattr(profile, name),
                "evidence": getattr(profile, f"{name}_evidence"),
            }
            for name in ("asset_lock", "member_owned", "community_control")
        },
        "quality_marks": profile.quality_marks,
        "contact_email": (profile.contact_email or None)
        if selectors.can_see_contact(user)
        else None,
        "confirmed_at": profile.confirmed_at,
        "stale": selectors.is_stale(profile),
    }


def _with_etag(response: HttpResponse, profile: PartnershipProfile | None) -> None:
    if profile is not None:
        response["ETag"] = f'"{profile.version}"'


@router.get(
    "/organisations/{org_id}/profile",
    response={200: PartnershipProfileOut, 401: ApiError, 404: ApiError},
    summary="An organisation's partnership profile and services (what its members say of it)",
    description="The ETag header holds the version, for If-Match on PUT. Send a Bearer token "
    "to read as its person (the contact is given to commissioners and funders); a token that "
    "does not work is refused with 401.",
)
def profile_get(request: HttpRequest, response: HttpResponse, org_id: str) -> dict[str, Any]:
    reader = _reader(request)
    organisation = _organisation(org_id)
    profile = selectors.profile_of(organisation)
    _with_etag(response, profile)
    return _profile_json(organisation, profile, reader)


def _reader(request: HttpRequest) -> Any:
    """Who is reading: the Bearer token's person when one is sent (so a commissioner's script
    sees the contact as they do on the page), else the session's. A token that does not work
    is refused (401) rather than read as nobody, so a script learns its token has lapsed."""
    header = request.headers.get("Authorization", "")
    if not header:
        return request.user
    scheme, _, token = header.partition(" ")
    user = api_token_user(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise refused(401, "The Bearer token is not valid (revoked, expired or mistyped).")
    return user


def _version(request: HttpRequest, payload: PartnershipProfileIn) -> int | None:
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if header:
        try:
            return int(header)
        except ValueError:
            raise refused(
                412, "If-Match must be the ETag of the profile you edited.", "If-Match"
            ) from None
    return payload.version


@router.put(
    "/organisations/{org_id}/profile",
    auth=BearerToken(),
    response={
        200: PartnershipProfileOut,
        201: PartnershipProfileOut,
        **dict.fromkeys((400, 401, 403, 404, 409, 412, 422, 428), ApiError),
    },
    summary="Write an organisation's partnership profile (its verified members only)",
    description="Send the version you edited in If-Match (the ETag) or `version`; 409 if it "
    "changed since, 428 if you send neither for a profile that exists.",
)
def profile_put(
    request: HttpRequest, response: HttpResponse, org_id: str, payload: PartnershipProfileIn
) -> tuple[int, dict[str, Any]]:
    organisation = _organisation(org_id)
    if not permissions.can_change_profile_of(request.user, organisation.pk):
        raise refused(
            403, "Only the organisation's approved administrators and officers change its profile."
        )
    existing = selectors.profile_of(organisation)
    version = _version(request, payload)
    if existing is not None and version is None:
        raise refused(
            428,
            "This profile exists: send the version you edited in If-Match or `version`.",
            "version",
        )
    data = payload.dict(exclude={"services", "version"})
    data["quality_marks"] = [dict(m) for m in payload.quality_marks]
    wanted_services = None if payload.services is None else [s.dict() for s in payload.services]
    try:
        profile = services.profile_save(
            request.user, organisation, data, version=version, services=wanted_services
        )
    except services.ProfileInvalid as exc:
        raise invalid(exc.problems) from None
    except services.ProfileConflict as exc:
        raise Refused(409, str(exc), code="changed") from None
    except PermissionDenied:
        raise refused(403, "You may not change this profile.") from None
    _with_etag(response, profile)
    return (201 if existing is None else 200), _profile_json(organisation, profile, request.user)
