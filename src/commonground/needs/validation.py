"""What a need may say: each field checked, and refusals that name the field (ADR 0020)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commonground.accounts.perspectives import perspective_for
from commonground.commissioning.catalogue import ROUTE_CODES, rules
from commonground.commissioning.selectors import appraisal_visible_to
from commonground.organisations.models import Organisation
from commonground.places.models import Place, PlaceKind
from commonground.places.selectors import place_by_gss

from .models import InterestKind, Need, NeedKind, NoticeStatus, Visibility

LABELS = {
    "title": "title",
    "outcomes": "outcomes sought",
    "who_for": "who it is for",
    "place": "place",
    "ward_codes": "wards",
    "budget_min_pence": "lowest budget",
    "budget_max_pence": "highest budget",
    "timeline": "timeline",
    "route_codes": "routes under consideration",
    "appraisal": "route appraisal",
    "kind": "kind",
    "notice_status": "market engagement notice",
    "notice_reference": "notice reference",
    "notice_date": "notice date",
    "visibility": "who can see it",
    "closes_on": "closing date",
}
TEXT_LIMITS = {
    "title": ("a title", 200, True),
    "outcomes": ("the outcomes sought", 4000, True),
    "who_for": ("who it is for", 2000, True),
    "timeline": ("a timeline", 300, False),
    "notice_reference": ("a notice reference", 300, False),
}
MAX_WARDS = 200
MAX_BUDGET_PENCE = 10**14  # £1 trillion: beyond it a figure is a typing mistake


class NeedError(Exception):
    """Input the rules refuse, with a message fit to show and the field it is about.
    `conflict` marks a clash with what is recorded (a closed need, a stale version)."""

    def __init__(self, message: str, field: str = "", *, conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict


class NeedChanged(NeedError):
    """The need changed since the version the change was made from: nothing is saved."""

    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this need since you opened it. Reload it to see their "
            "change, then make yours again.",
            "version",
            conflict=True,
        )


def check_version(need: Need, version: int | None) -> None:
    """The one rule for a change made from an older version (API and page alike): when the
    version it was made from is given and the need has moved on since, it is refused."""
    if version is not None and version != need.version:
        raise NeedChanged


def text(value: Any, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise NeedError(f"Enter {label}.", field)
    if len(value) > max_length:
        raise NeedError(
            f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer.", field
        )
    return value


def _choice(value: Any, field: str, choices: list[str], what: str) -> str:
    if value not in choices:
        raise NeedError(f"Choose {what} from the list.", field)
    return str(value)


def interest_kind(value: Any) -> str:
    return _choice(value, "kind", list(InterestKind.values), "how you are interested")


def _place(value: Any) -> Place:
    if value in (None, ""):  # not “None” quoted back as if it were a code
        raise NeedError(
            "Choose the local authority area, by a GSS code such as E08000009.", "place"
        )
    place = place_by_gss(str(value))
    if place is None or place.kind != PlaceKind.LOCAL_AUTHORITY:
        raise NeedError(
            f"“{value}” is not a local authority's GSS code we know, such as E08000009.", "place"
        )
    return place


def _wards(value: Any, place: Place | None) -> list[str]:
    codes = [str(code).strip().upper() for code in (value or []) if str(code).strip()]
    # No local authority has this many wards; each one named is looked up.
    if len(codes) > MAX_WARDS:
        raise NeedError(f"Name at most {MAX_WARDS} wards.", "ward_codes")
    for index, code in enumerate(codes):
        ward = place_by_gss(code)
        if ward is None or ward.kind != PlaceKind.WARD:
            raise NeedError(f"“{code}” is not a ward's GSS code we know.", f"ward_codes.{index}")
        parent = ward.parent
        if place is not None and parent is not None and parent.gss_code != place.gss_code:
            raise NeedError(
                f"{ward.name} ({code}) is not a ward of {place.name}.", f"ward_codes.{index}"
            )
    return list(dict.fromkeys(codes))


def _routes(value: Any) -> list[str]:
    codes = [str(code).strip() for code in (value or [])]
    # Each route once at most: a longer list is refused before each entry is looked at.
    if len(codes) > len(ROUTE_CODES):
        raise NeedError(
            f"Choose each route once: the catalogue has {len(ROUTE_CODES)} routes.", "route_codes"
        )
    for index, code in enumerate(codes):
        if code not in ROUTE_CODES:
            raise NeedError(
                f"“{code}” is not a route in the commissioning catalogue.", f"route_codes.{index}"
            )
    return list(dict.fromkeys(codes))


def _pence(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        pence = int(value)
    except (TypeError, ValueError) as error:
        raise NeedError("Enter an amount in pence, as a whole number.", field) from error
    if pence < 0 or pence > MAX_BUDGET_PENCE:
        raise NeedError("Enter an amount between £0 and £1 trillion.", field)
    return pence


def _date(value: Any, field: str, label: str, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise NeedError(f"Enter {label}.", field)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise NeedError(f"Enter {label} as a date, such as 2027-03-31.", field) from error


def need_fields(actor: Any, data: dict[str, Any], need: Need | None) -> dict[str, Any]:
    """The given fields, checked; on creation every required field must be given."""
    creating = need is None
    out: dict[str, Any] = {}
    for field, (label, limit, required) in TEXT_LIMITS.items():
        if field in data or creating:
            out[field] = text(data.get(field), field, label, limit, required)
    if "place" in data or creating:
        out["place"] = _place(data.get("place"))
    place = out.get("place") or (need.place if need else None)
    if "ward_codes" in data:
        out["ward_codes"] = _wards(data["ward_codes"], place)
    for field in ("budget_min_pence", "budget_max_pence"):
        if field in data:
            out[field] = _pence(data[field], field)
    if "route_codes" in data:
        out["route_codes"] = _routes(data["route_codes"])
    if "appraisal" in data:
        out["appraisal"] = _appraisal(actor, data["appraisal"])
    if "kind" in data or creating:
        out["kind"] = _choice(data.get("kind"), "kind", list(NeedKind.values), "the kind of need")
    if "notice_status" in data:
        out["notice_status"] = _choice(
            data["notice_status"] or "",
            "notice_status",
            list(NoticeStatus.values),
            "what happens with the notice",
        )
    if "notice_date" in data:
        out["notice_date"] = _date(data["notice_date"], "notice_date", "the notice date", False)
    if "visibility" in data:
        out["visibility"] = _choice(
            data["visibility"], "visibility", list(Visibility.values), "who can see it"
        )
    if "closes_on" in data or creating:
        out["closes_on"] = _date(data.get("closes_on"), "closes_on", "a closing date", True)
    return out


def _appraisal(actor: Any, value: Any) -> Any:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError) as error:
        raise NeedError("Choose one of your saved appraisals.", "appraisal") from error
    appraisal = appraisal_visible_to(actor, pk)
    if appraisal is None:
        raise NeedError("Choose one of your saved appraisals.", "appraisal")
    return appraisal


def need_whole(need: Need) -> None:
    """Checks across fields, once all are set."""
    low, high = need.budget_min_pence, need.budget_max_pence
    if low is not None and high is not None and low > high:
        raise NeedError("The lowest budget must not be more than the highest.", "budget_min_pence")
    if need.kind == NeedKind.CALL_FOR_INTEREST and need.notice_status:
        raise NeedError(
            "A market engagement notice applies only to a preliminary market engagement.",
            "notice_status",
        )


def perspective_of(organisation: Organisation) -> str:
    """The perspective an organisation's people join a partnership with."""
    return str(perspective_for(organisation.sector, "admin"))


def route_name(code: str) -> str:
    route = rules().routes.get(code)
    return route.name if route is not None else code


def public_content(need: Need) -> dict[str, Any]:
    """What the need says, as every respondent is told it (kept with each notice)."""
    return {
        "title": need.title,
        "outcomes": need.outcomes,
        "who_for": need.who_for,
        "place": need.place.gss_code,
        "ward_codes": list(need.ward_codes),
        "budget_min_pence": need.budget_min_pence,
        "budget_max_pence": need.budget_max_pence,
        "timeline": need.timeline,
        "route_codes": list(need.route_codes),
        "kind": need.kind,
        "notice_status": need.notice_status,
        "notice_reference": need.notice_reference,
        "notice_date": need.notice_date.isoformat() if need.notice_date else None,
        "closes_on": need.closes_on.isoformat(),
    }
