"""Reads of the sector guide: the place's own figures for a sector, how its people articulate
value, the guide entry for a legal form, and the glossary.

The place's figures come from the atlas's and the money view's own selectors
(`search_organisations`; `filtered_flows` and `flows_summary`, which the money profile and the
flows list read), never from queries of our own, so the guide and those pages always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Sum

from commonground.accounts.models import MembershipStatus
from commonground.engagement.alignment import Profile, _profile, record_from_statement, theme_label
from commonground.engagement.models import Statement, StatementStatus, Visibility
from commonground.engagement.selectors import RECORD_FIELDS
from commonground.money.flows import (
    LINK_LABELS,
    FlowFilters,
    filtered_flows,
    flows_summary,
)
from commonground.money.models import Channel
from commonground.money.parsing import financial_year_label
from commonground.organisations.models import PlaceRelation
from commonground.organisations.selectors import (
    FacetCube,
    FacetOption,
    SearchParams,
    find_place,
    search_facet_cube,
    search_facets,
)
from commonground.places.models import Place

from .catalogue import Catalogue, GlossaryTerm, LegalForm, SectorEntry, catalogue

DEMO_PLACE = "E08000009"  # Trafford, the demo's complete place
# The atlas's default place relation: an organisation works in a place when it is based there
# (registered address) or a register says it operates there. Passed explicitly, so the guide
# keeps naming the relation it counts by.
RELATION = PlaceRelation.WORKS_IN.value
RELATION_LABEL = (
    "Works in the place (based there, or a register says it operates there), the atlas's default"
)
# The money profile's default period: no date range, every financial year, shown year by year.
PERIOD = "all_years"
PERIOD_LABEL = "Every financial year held (the place money profile's default), year by year"
# Articulation is shown only from enough voices that no one person or organisation is the sector.
MIN_STATEMENTS = 5
MIN_ORGANISATIONS = 3
TOP_THEMES = 6


@dataclass(frozen=True)
class MoneyRow:
    year: str
    financial_year: int | None
    channel: str
    channel_label: str
    attribution: str
    attribution_label: str
    count: int
    pence: int
    flows_query: str


@dataclass(frozen=True)
class MoneyTotal:
    """What a sector received in the place: the same set of flows as the money profile's
    figure for the sector, and the flows list that shows them."""

    pence: int
    count: int
    share: float | None  # of all money into the place, 0..1
    flows_query: str


@dataclass
class LocalFigures:
    sector: str
    place: Place
    relation: str
    relation_label: str
    organisations: int
    income_bands: list[FacetOption]
    legal_forms: list[FacetOption]
    atlas_query: str  # the atlas search that shows these organisations
    money_total: MoneyTotal | None  # None: nothing received
    money_rows: list[MoneyRow] = field(default_factory=list)
    period: str = PERIOD
    period_label: str = PERIOD_LABEL


@dataclass(frozen=True)
class PlaceMoney:
    """Money into a place received by linked organisations, by sector, year, channel and
    attribution; read once for every sector of the guide."""

    rows: dict[str, list[MoneyRow]]
    place_pence: int  # all money into the place, for shares

    def total(self, sector: str, place: Place) -> MoneyTotal | None:
        rows = self.rows.get(sector)
        if not rows:
            return None
        pence = sum(r.pence for r in rows)
        share = pence / self.place_pence if self.place_pence else None
        query = FlowFilters(place=place.gss_code, sector=sector).query()
        return MoneyTotal(pence, sum(r.count for r in rows), share, query)


def place_or_default(gss_code: str | None) -> Place | None:
    return find_place(gss_code or DEMO_PLACE)


def place_cube(place: Place) -> FacetCube:
    """The atlas search's own counts for the place (by its default relation), read once: every
    sector's organisations, income bands and legal forms are summed from it, as the atlas
    search sums its facets."""
    return search_facet_cube(SearchParams(place=place, relation=RELATION))


def sector_counts(place: Place, cube: FacetCube | None = None) -> dict[str, int]:
    """Organisations in the place by sector: the atlas search's own sector facet."""
    facets, _ = search_facets(SearchParams(place=place, relation=RELATION), cube)
    return {option.value: option.count for option in facets["sector"]}


def place_money(place: Place) -> PlaceMoney:
    """The flows list's own filter (`filtered_flows`, which the money profile reads too) for
    the place's flows whose recipient is linked to an organisation, grouped once. A sector's
    rows are the flows `filtered_flows(sector=...)` gives, so they add up to the profile's
    figure for that sector (a test checks this on Trafford)."""
    linked = FlowFilters(place=place.gss_code, link="linked")
    grouped = (
        filtered_flows(linked)
        .values("recipient_sector", "financial_year", "channel", "recipient_link_method")
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list(
            "recipient_sector", "financial_year", "channel", "recipient_link_method", "n", "pence"
        )
        .order_by()
    )
    channel_labels = dict(Channel.choices)
    channel_order = {c: i for i, c in enumerate(Channel.values)}
    rows: dict[str, list[MoneyRow]] = {}
    for sector, year, channel, method, n, pence in grouped:
        filters = FlowFilters(place=place.gss_code, sector=sector or "unknown")
        rows.setdefault(sector or "unknown", []).append(
            MoneyRow(
                year=financial_year_label(year) if year is not None else "Not known",
                financial_year=year,
                channel=channel,
                channel_label=channel_labels.get(channel, channel),
                attribution=method,
                attribution_label=LINK_LABELS.get(method, method),
                count=n,
                pence=pence or 0,
                flows_query=filters.query(channel=channel, year=year, link=method),
            )
        )
    for sector_rows in rows.values():
        sector_rows.sort(
            key=lambda r: (r.financial_year or 0, channel_order.get(r.channel, 99), r.attribution)
        )
    place_total = flows_summary(filtered_flows(FlowFilters(place=place.gss_code)))
    return PlaceMoney(rows, place_total.total_pence)


def local_figures(
    entry: SectorEntry,
    place: Place,
    money: PlaceMoney | None = None,
    cube: FacetCube | None = None,
) -> LocalFigures:
    """The place's figures for one sector: the atlas search's facets for the place and the
    sector (from `cube`, the place's counts, when several sectors are shown), and the flows
    selectors' money."""
    facets, total = search_facets(
        SearchParams(place=place, sectors=(entry.code,), relation=RELATION), cube
    )
    money = money or place_money(place)
    return LocalFigures(
        sector=entry.code,
        place=place,
        relation=RELATION,
        relation_label=RELATION_LABEL,
        organisations=total,
        income_bands=facets["income_band"],
        legal_forms=facets["legal_form"],
        atlas_query=f"place={place.gss_code}&sector={entry.code}",
        money_total=money.total(entry.code, place),
        money_rows=money.rows.get(entry.code, []),
    )


# Articulation ---------------------------------------------------------------------------------


@dataclass
class Articulation:
    statements: int
    organisations: int
    profile: Profile | None  # None when there are too few voices to show
    themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.profile is not None


def articulation(sector: str) -> Articulation:
    """How the sector's people articulate value: published statements in public conversations by
    participants who are approved members of an organisation of the sector. Shown only from at
    least MIN_STATEMENTS statements by people of at least MIN_ORGANISATIONS organisations."""
    statements = Statement.objects.filter(
        status=StatementStatus.PUBLISHED,
        conversation__visibility=Visibility.PUBLIC,
        participant__user__memberships__status=MembershipStatus.APPROVED,
        participant__user__memberships__organisation__sector=sector,
    ).values(*RECORD_FIELDS, "participant__user__memberships__organisation_id")
    records = {}
    organisations: set[int] = set()
    for row in statements:
        organisations.add(row.pop("participant__user__memberships__organisation_id"))
        records[row["id"]] = record_from_statement(row)
    if len(records) < MIN_STATEMENTS or len(organisations) < MIN_ORGANISATIONS:
        return Articulation(len(records), len(organisations), None)
    profile = _profile(sector, list(records.values()))
    themes = [(theme_label(t), n) for t, n in profile.top_themes(TOP_THEMES)]
    return Articulation(len(records), len(organisations), profile, themes)


# Legal forms and the glossary -----------------------------------------------------------------


@lru_cache(maxsize=1)
def _forms_by_recorded(version: str) -> dict[str, list[LegalForm]]:
    found: dict[str, list[LegalForm]] = {}
    for form in catalogue().legal_forms():
        for recorded in form.recorded_as:
            found.setdefault(recorded.casefold(), []).append(form)
    return found


def legal_form_entry(recorded: str, sector: str = "") -> LegalForm | None:
    """The guide's entry for a legal form as a register records it; where the same words name
    forms in several sectors (a company limited by guarantee), the organisation's sector's."""
    forms = _forms_by_recorded(catalogue().version).get((recorded or "").strip().casefold())
    if not forms:
        return None
    return next((f for f in forms if f.sector == sector), forms[0])


def search_glossary(text: str, cat: Catalogue | None = None) -> list[GlossaryTerm]:
    """Terms whose words or meanings contain every word searched for (all terms if none)."""
    terms = list((cat or catalogue()).glossary.values())
    words = [w for w in text.casefold().split() if w]
    if not words:
        return terms
    scored = []
    for term in terms:
        name = " ".join(term.words).casefold()
        body = " ".join(str(v) for v in term.data.values()).casefold()
        if all(w in body for w in words):
            scored.append((0 if all(w in name for w in words) else 1, term.term, term))
    return [t for _, _, t in sorted(scored, key=lambda s: (s[0], s[1]))]
