"""GET /api/v1/places/{gss_code}/profile: a place's money profile.

The same selector as the profile page, so the page, its downloads and the API always agree.
Every figure carries the address of the flows behind it. Registered in api/urls.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from commonground.core.page_cache import public_page
from commonground.money.forms import financial_year_from_text
from commonground.money.profile_json import profile_json
from commonground.money.selectors import place_profile, profile_years
from commonground.places.selectors import place_by_gss

from .errors import ApiError, refused

router = Router(tags=["places"])


class ProfileQuery(Schema):
    financial_year: str | None = Field(
        None,
        description=(
            "One financial year, April to March, written as the year it starts and the year it "
            "ends (2026-27). Without it, and without dates, the latest year some channel covers "
            "in full, else the latest with data"
        ),
    )
    date_from: date | None = Field(
        None, alias="from", description="Only flows on or after this date (YYYY-MM-DD)"
    )
    date_to: date | None = Field(
        None, alias="to", description="Only flows on or before this date (YYYY-MM-DD)"
    )


class FigureOut(Schema):
    key: str = Field(description="A stable code for the part (channel, sector, year, ...)")
    label: str = Field(description="What the figure is, in words")
    pence: int = Field(description="The amount in pence (negative for net refunds)")
    flows: int = Field(description="How many flows make it up")
    share: float | None = Field(description="Its share of the profile's total, 0 to 1")
    flows_url: str = Field(description="The flows behind the figure (the flows API)")
    flows_page: str = Field(description="The same flows as a page on the site")


class ChannelYearOut(Schema):
    year: str = Field(description="Financial year, April to March, e.g. 2024-25")
    channels: list[FigureOut] = Field(description="One figure a channel")


class RecipientOut(Schema):
    name: str = Field(description="The organisation's name, or the name as published")
    org_id: str = Field(description="The linked organisation's identifier; empty if not linked")
    pence: int = Field(description="Amount received, in pence")
    flows: int = Field(description="How many flows")
    flows_url: str = Field(description="The flows behind the figure (the flows API)")


class SectorRecipientsOut(Schema):
    sector: FigureOut = Field(description="The sector's figure")
    recipients: list[RecipientOut] = Field(description="Its largest recipients, largest first")


class WardOut(Schema):
    gss_code: str = Field(description="The ward's ONS code")
    name: str = Field(description="The ward's name")
    pence: int = Field(description="Grant money reaching the ward, in pence")
    grants: int = Field(description="How many grants")
    flows_url: str = Field(description="The grants behind the figure (the flows API)")


class NotLoadedOut(Schema):
    import_run: int = Field(description="The import run that rejected rows")
    source: str = Field(description="The file it read")
    rows: int = Field(description="How many rows were not loaded")
    url: str = Field(description="The import's page, listing each row and why")


class CoverageOut(Schema):
    channel: str = Field(description="grant, contract, spend or investment")
    dataset: str = Field(description="The dataset the flows came from")
    financial_year: str = Field(description="The financial year this row covers, e.g. 2026-27")
    date_from: date = Field(description="The first flow's date")
    date_to: date = Field(description="The last flow's date")
    months: int = Field(description="How many calendar months have flows (a full year has 12)")
    flows: int = Field(description="How many flows")
    payers: int = Field(description="From how many payers (funders, councils, buyers)")
    pence: int = Field(description="Their total, in pence")


class LevelOut(Schema):
    pence: int = Field(description="Money whose recipient is attributed at this level, in pence")
    share: float | None = Field(description="Its share of the total, 0 to 1")
    flows: int = Field(description="How many flows")
    flows_url: str = Field(description="The flows behind the figure (the flows API)")


class AttributionOut(Schema):
    # Named apart from "register" (a method every pydantic model has) and sent as "register".
    register_level: LevelOut = Field(
        alias="register", description="Linked to an organisation in the registers"
    )
    inferred: LevelOut = Field(description="Legal form inferred from the name by a shown rule")
    unknown: LevelOut = Field(description="Neither")


class InferredOut(FigureOut):
    legal_form: str = Field(description="The legal form the rule infers")
    rule: str = Field(description="The rule, in words")


class SocialEconomyShareOut(Schema):
    at_least: float | None = Field(
        description="Share reaching the social economy's sectors by register links, 0 to 1"
    )
    up_to: float | None = Field(description="That plus inferred CICs, societies and CIOs, 0 to 1")
    unknown: float | None = Field(description="Share whose recipient is unknown, 0 to 1")


class YearOnYearOut(Schema):
    label: str = Field(description="The measure")
    this_year: FigureOut = Field(description="In the year shown")
    last_year: FigureOut = Field(description="In the year before")
    compares: str = Field(description="'amount' or 'share': which of the two to compare")


class PlaceProfileOut(Schema):
    gss_code: str = Field(description="The place's ONS code")
    name: str = Field(description="The place's name")
    financial_year: str | None = Field(description="The financial year shown, if one")
    coverage: list[CoverageOut] = Field(
        description="What each channel's data covers in the period, a row a dataset and year"
    )
    attribution: AttributionOut = Field(description="Money by how its recipient is attributed")
    inferred_by_rule: list[InferredOut] = Field(description="Inferred money, by rule")
    social_economy_share: SocialEconomyShareOut = Field(
        description="The social economy's share as a range, and what is unknown"
    )
    grants_without_ward: FigureOut | None = Field(
        description="Grant money that names no ward of the place"
    )
    year_on_year: list[YearOnYearOut] = Field(description="The year shown beside the one before")
    date_from: date | None = Field(description="Start of the period, if limited")
    date_to: date | None = Field(description="End of the period, if limited")
    total: FigureOut = Field(description="All money attributed to the place")
    by_channel: list[FigureOut] = Field(description="Totals by channel")
    by_financial_year: list[FigureOut] = Field(description="Totals by financial year")
    by_channel_and_year: list[ChannelYearOut] = Field(description="Channel totals each year")
    by_sector: list[FigureOut] = Field(
        description="Share reaching each sector (from the registers), not linked, and withheld"
    )
    by_locality: list[FigureOut] = Field(
        description="Share reaching organisations based in the place, elsewhere, or not known"
    )
    distinct_recipients: int = Field(description="Distinct recipients (withheld names left out)")
    distinct_organisations: int = Field(description="Of those, linked to an organisation")
    hhi: float = Field(description="Herfindahl–Hirschman index of recipients, 0 to 10,000")
    top_recipients_by_sector: list[SectorRecipientsOut] = Field(
        description="The largest recipients in each sector"
    )
    grants_by_ward: list[WardOut] = Field(description="Grant money by ward")
    not_linked: list[FigureOut] = Field(description="Money not linked, by reason")
    not_linked_total: FigureOut = Field(description="All money not linked to an organisation")
    not_loaded: list[NotLoadedOut] = Field(description="Rows of the source files not loaded")
    methodology: str = Field(description="How sectors and 'local' are decided")


@router.get(
    "/places/{gss_code}/profile",
    response={200: PlaceProfileOut, 404: ApiError, 422: ApiError},
    url_name="place-profile",
    summary="A place's money profile",
    by_alias=True,
)
@decorate_view(public_page)
def get_place_profile(request: HttpRequest, gss_code: str, query: Query[ProfileQuery]) -> Any:
    """Money attributed to a local authority or ward, for one financial year (by default the
    latest some channel covers in full) or the dates asked for: what each channel's data covers,
    totals by channel and year, attribution levels and the social economy's range, shares by
    sector and locality, distinct recipients, concentration, top recipients, grants by ward,
    the year before, and what could not be linked or loaded. Every figure links to its flows."""
    place = place_by_gss(gss_code)
    if place is None:
        raise refused(404, f"No place has the code {gss_code}")
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise refused(422, "must be on or after 'from'", "to")
    year, problem = financial_year_from_text(query.financial_year or "")
    if problem:
        raise refused(422, problem, "financial_year")
    if year is not None and (query.date_from or query.date_to):
        raise refused(422, "Choose a financial year or dates, not both", "financial_year")
    if year is None and query.date_from is None and query.date_to is None:
        year = profile_years(place)[1]
    profile = place_profile(place, query.date_from, query.date_to, year)
    return Status(200, profile_json(profile))
