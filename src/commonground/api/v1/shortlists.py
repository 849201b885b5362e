"""Shortlists: a person's own saved lists of organisations from the atlas, and taking one into a
partnership they lead.

Every operation needs a Bearer token. A shortlist is private to its owner: anyone else gets
404, as for one that does not exist. Bad input gets 422 naming the field; a clash with what is
recorded (a name already used, an organisation already on the list) gets 409. The same
services and selectors as the shortlist pages answer. Registered in api/urls.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.organisations import shortlists as services
from commonground.organisations.models import Shortlist
from commonground.organisations.selectors import organisation_by_identifier
from commonground.organisations.shortlist_selectors import (
    shortlist_entries,
    shortlist_of,
    shortlists_of,
)
from commonground.partnerships import services as partnership_services
from commonground.partnerships.shortlists import partnership_add_shortlist

from .errors import ApiError, Refused, refused
from .partnerships import MemberOut, member_out, visible_partnership

router = Router(auth=BearerToken(), tags=["shortlists"])

READ_ERRORS: dict[int, Any] = dict.fromkeys((401, 404, 422), ApiError)
WRITE_ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ApiError)


class ShortlistSummaryOut(Schema):
    id: int = Field(description="Identifier of the shortlist.")
    name: str = Field(description="Its name, one of each per person.")
    size: int = Field(description="How many organisations are on it.")
    created_at: dt.datetime
    updated_at: dt.datetime = Field(description="When it last changed.")
    url: str = Field(description="Its page (only its owner sees it).")


class EntryOut(Schema):
    org_id: str = Field(description="The organisation's preferred identifier.")
    name: str
    sector: str
    note: str = Field(description="The owner's note on why it was saved.")
    added_at: dt.datetime
    url: str = Field(description="The organisation's page.")


class ShortlistOut(ShortlistSummaryOut):
    organisations: list[EntryOut] = Field(description="In the order they were added.")
    download_url: str = Field(description="Page address of its CSV download.")


class ShortlistIn(Schema):
    name: str = Field(max_length=services.NAME_MAX, description="A name of your own choosing.")


class EntryIn(Schema):
    org_id: str = Field(max_length=60, description="Any identifier of the organisation.")
    note: str = Field("", max_length=services.NOTE_MAX, description="Why you saved it.")


class FromShortlistIn(Schema):
    shortlist_id: int = Field(description="One of your shortlists.")
    role: Literal["member", "observer"] = Field("member", description="The role each joins with.")


class FromShortlistOut(Schema):
    detail: str = Field(description="What happened, in words fit to show.")
    added: list[MemberOut] = Field(description="The memberships made now.")
    already_members: list[str] = Field(
        description="org_ids of organisations on the shortlist that were members already."
    )


def _summary(shortlist: Shortlist, size: int) -> dict[str, Any]:
    return {
        "id": shortlist.pk,
        "name": shortlist.name,
        "size": size,
        "created_at": shortlist.created_at,
        "updated_at": shortlist.updated_at,
        "url": reverse("organisations:shortlist", args=[shortlist.pk]),
    }


def _detail(shortlist: Shortlist) -> dict[str, Any]:
    entries = [
        {
            "org_id": entry.organisation.org_id,
            "name": entry.organisation.name,
            "sector": entry.organisation.sector,
            "note": entry.note,
            "added_at": entry.added_at,
            "url": reverse("organisations:detail", args=[entry.organisation.org_id]),
        }
        for entry in shortlist_entries(shortlist)
    ]
    return {
        **_summary(shortlist, len(entries)),
        "organisations": entries,
        "download_url": reverse("organisations:shortlist-download", args=[shortlist.pk]),
    }


def _own(request: HttpRequest, id: int) -> Shortlist:
    shortlist = shortlist_of(request.user, id)
    if shortlist is None:
        raise HttpError(404, "Not found")
    return shortlist


def _refuse(error: services.ShortlistError | partnership_services.PartnershipError) -> Refused:
    if error.conflict:
        return refused(409, error.message, error.field or None)
    return refused(422, error.message, error.field or None)


@router.get(
    "/shortlists",
    response={200: list[ShortlistSummaryOut], 401: ApiError},
    summary="Your shortlists, most recently changed first",
)
def shortlist_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(s, s.size) for s in shortlists_of(request.user)]  # type: ignore[attr-defined]


@router.post(
    "/shortlists",
    response={201: ShortlistOut, **WRITE_ERRORS},
    summary="Make a shortlist",
)
def shortlist_create(request: HttpRequest, payload: ShortlistIn) -> tuple[int, dict]:
    try:
        shortlist = services.shortlist_create(request.user, name=payload.name)
    except services.ShortlistError as error:
        raise _refuse(error) from error
    return 201, _detail(shortlist)


@router.get(
    "/shortlists/{id}",
    response={200: ShortlistOut, **READ_ERRORS},
    summary="One of your shortlists with its organisations",
)
def shortlist_get(request: HttpRequest, id: int) -> dict[str, Any]:
    return _detail(_own(request, id))


@router.patch(
    "/shortlists/{id}",
    response={200: ShortlistOut, **WRITE_ERRORS},
    summary="Rename one of your shortlists",
)
def shortlist_rename(request: HttpRequest, id: int, payload: ShortlistIn) -> dict[str, Any]:
    try:
        shortlist = services.shortlist_rename(request.user, _own(request, id), name=payload.name)
    except services.ShortlistError as error:
        raise _refuse(error) from error
    return _detail(shortlist)


@router.delete(
    "/shortlists/{id}",
    response={204: None, **READ_ERRORS},
    summary="Delete one of your shortlists",
)
def shortlist_delete(request: HttpRequest, id: int) -> tuple[int, None]:
    services.shortlist_delete(request.user, _own(request, id))
    return 204, None


@router.post(
    "/shortlists/{id}/organisations",
    response={201: ShortlistOut, **WRITE_ERRORS},
    summary="Save an organisation to one of your shortlists",
)
def shortlist_add(request: HttpRequest, id: int, payload: EntryIn) -> tuple[int, dict]:
    shortlist = _own(request, id)
    organisation = organisation_by_identifier(payload.org_id.strip())
    if organisation is None:
        raise refused(422, "No organisation in the atlas has that identifier.", "org_id")
    try:
        services.shortlist_add(request.user, shortlist, organisation, note=payload.note)
    except services.ShortlistError as error:
        raise _refuse(error) from error
    return 201, _detail(shortlist)


@router.delete(
    "/shortlists/{id}/organisations/{org_id}",
    response={204: None, **READ_ERRORS},
    summary="Take an organisation off one of your shortlists",
)
def shortlist_remove(request: HttpRequest, id: int, org_id: str) -> tuple[int, None]:
    shortlist = _own(request, id)
    organisation = organisation_by_identifier(org_id)
    entry = shortlist.entries.filter(organisation=organisation).first() if organisation else None
    if entry is None:
        raise HttpError(404, "That organisation is not on this shortlist.")
    services.shortlist_remove(request.user, entry)
    return 204, None


@router.post(
    "/partnerships/{id}/members/from-shortlist",
    response={201: FromShortlistOut, **WRITE_ERRORS},
    summary="Add every organisation on one of your shortlists to a partnership (leads only)",
)
def partnership_from_shortlist(
    request: HttpRequest, id: int, payload: FromShortlistIn
) -> tuple[int, dict]:
    partnership = visible_partnership(request, id)
    if not permissions.can_manage_partnership_members(request.user, partnership):
        raise HttpError(403, "Only a lead adds members.")
    shortlist = shortlist_of(request.user, payload.shortlist_id)
    if shortlist is None:
        raise refused(422, "You have no shortlist with that id.", "shortlist_id")
    try:
        taken = partnership_add_shortlist(
            request.user,  # type: ignore[arg-type]
            partnership,
            shortlist,
            role=payload.role,
        )
    except partnership_services.PartnershipError as error:
        raise _refuse(error) from error
    return 201, {
        "detail": taken.summary(),
        "added": [member_out(m) for m in taken.added],
        "already_members": [o.org_id for o in taken.already],
    }
