"""Reading the flows filters and profile dates from a query string, with errors per field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from commonground.organisations.models import Sector

from . import attribution as attr
from .flows import NO_PLACE, NO_WARD, NOT_LINKED, SOCIAL_ECONOMY, SORTS, WITHHELD, FlowFilters
from .models import Channel, LinkMethod

SECTORS = {*(s.value for s in Sector), NOT_LINKED, WITHHELD, SOCIAL_ECONOMY}
LINKS = {"linked", "unlinked", *(m.value for m in LinkMethod if m.value)}
LOCAL = {"yes", "elsewhere", "unknown"}
_GSS = re.compile(r"^[A-Z]\d{8}$")


def _date(value: str, name: str, label: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = f"{label} must be a real date written as YYYY-MM-DD, like 2025-04-01"
        return None


def filters_from_query(query: Mapping[str, str]) -> tuple[FlowFilters, dict[str, str]]:
    """The filters, and {parameter: message} for each value that cannot be used."""
    errors: dict[str, str] = {}

    def text(name: str, limit: int = 300) -> str:
        # A NUL never gets here from a request: the middlewares refuse it first (ADR 0059).
        return str(query.get(name) or "").strip()[:limit]

    filters = FlowFilters()
    place = text("place").upper()
    if place == NO_PLACE.upper():
        place = NO_PLACE
    elif place and not _GSS.match(place):
        errors["place"] = "Place must be an ONS code like E08000009, or none"
    filters.place = place if "place" not in errors else ""
    filters.date_from = _date(text("from"), "from", "The start date", errors)
    filters.date_to = _date(text("to"), "to", "The end date", errors)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["to"] = "The end date must be the same as or after the start date"
    channel = text("channel")
    if channel and channel not in Channel.values:
        errors["channel"] = "Channel must be one of: " + ", ".join(Channel.values)
    else:
        filters.channel = channel
    year = text("year")
    if year:
        # isascii too: "²" is a digit to isdigit() but not to int()
        if year.isascii() and year.isdigit() and 1990 <= int(year) <= 2100:
            filters.financial_year = int(year)
        else:
            errors["year"] = "Year must be the year a financial year starts, like 2024"
    sector = text("sector")
    if sector and sector not in SECTORS:
        errors["sector"] = "Sector must be one of: " + ", ".join(sorted(SECTORS))
    else:
        filters.sector = sector
    local = text("local")
    if local and local not in LOCAL:
        errors["local"] = "Local must be one of: yes, elsewhere, unknown"
    else:
        filters.local = local
    link = text("link")
    if link and link not in LINKS:
        errors["link"] = "Link must be one of: " + ", ".join(sorted(LINKS))
    else:
        filters.link = link
    ward = text("ward").upper()
    if ward.lower() == NO_WARD:
        filters.ward = NO_WARD
    elif ward and not _GSS.match(ward):
        errors["ward"] = "Ward must be an ONS code like E05000819"
    else:
        filters.ward = ward
    filters.recipient = text("recipient", 60)
    filters.recipient_key = text("recipient_key")
    filters.payer = text("payer", 60)
    filters.dataset = text("dataset", 80)
    level = text("attribution")
    if level and level not in attr.LEVELS:
        errors["attribution"] = "Attribution must be one of: " + ", ".join(attr.LEVELS)
    else:
        filters.attribution = level
    rule = text("rule", 40)
    codes = [r.code for r in attr.rules()]
    if rule and rule not in codes:
        errors["rule"] = "Rule must be one of: " + ", ".join(codes)
    else:
        filters.rule = rule
    filters.q = " ".join(text("q", 200).split())
    sort = text("sort")
    if sort and sort not in SORTS:
        errors["sort"] = "Sort must be one of: " + ", ".join(SORTS)
    else:
        filters.sort = sort
    return filters, errors


_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
FINANCIAL_YEAR_HELP = (
    "A financial year is written as the year it starts and the year it ends, like 2024-25"
)


def financial_year_from_text(value: str) -> tuple[int | None, str]:
    """The financial year's starting year from "2024-25", and a message if it cannot be read."""
    value = value.strip()
    if not value:
        return None, ""
    found = _FINANCIAL_YEAR.match(value)
    if found is None:
        return None, FINANCIAL_YEAR_HELP
    start = int(found.group(1))
    if (start + 1) % 100 != int(found.group(2)) or not 1990 <= start <= 2100:
        return None, FINANCIAL_YEAR_HELP
    return start, ""


def profile_period_from_query(
    query: Mapping[str, str],
) -> tuple[date | None, date | None, int | None, dict[str, str]]:
    """A profile's dates, or its financial year, from a query string, with errors per field.
    Dates across years are allowed only when asked for, and not with a financial year."""
    filters, errors = filters_from_query(
        {"from": query.get("from") or "", "to": query.get("to") or ""}
    )
    year, problem = financial_year_from_text(str(query.get("financial_year") or "")[:20])
    if problem:
        errors["financial_year"] = problem
    elif year is not None and (filters.date_from or filters.date_to):
        errors["financial_year"] = "Choose a financial year or dates, not both"
    return filters.date_from, filters.date_to, year, errors
