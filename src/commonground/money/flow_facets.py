"""The flows explorer's choices: what each filter may be set to (only values that some flow in
the chosen place has), and the filters already set, each named as a person reads it (an
organisation's name, not its org-id; a ward's name, not its ONS code) with a link that removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from commonground.core.page_cache import cached_derived
from commonground.organisations.models import Organisation, Sector
from commonground.places.models import Place, PlaceKind
from commonground.sources.catalogue import dataset as catalogue_dataset

from . import attribution as attr
from .flows import (
    DEFAULT_SORT,
    LINK_LABELS,
    NO_PLACE,
    NO_WARD,
    NOT_LINKED,
    SECTOR_LABELS,
    SOCIAL_ECONOMY,
    SORTS,
    WITHHELD,
    FlowFilters,
    filtered_flows,
)
from .models import Channel, MoneyFlow
from .parsing import financial_year_label

NO_PLACE_LABEL = "No place (national awards and other flows not attributed to a place)"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class Choices:
    places: list[Option]
    channels: list[Option]
    years: list[Option]
    sectors: list[Option]
    attributions: list[Option]
    rules: list[Option]
    localities: list[Option]
    links: list[Option]
    datasets: list[Option]
    sorts: list[Option]


@dataclass(frozen=True)
class SelectedFilter:
    heading: str
    text: str
    remove_query: str  # the list's query without this filter


def dataset_label(code: str) -> str:
    try:
        return catalogue_dataset(code).name
    except KeyError:
        return code


def _options(pairs: list[tuple[str, str]], chosen: str) -> list[Option]:
    return [Option(value, label, value == chosen) for value, label in pairs]


def _places_with_flows() -> list[tuple[str, str]]:
    """Local authorities that some flow is attributed to, by name (ONS code, name)."""
    has_flows = Exists(MoneyFlow.objects.filter(place_id=OuterRef("pk")))
    found = (
        Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY)
        .filter(has_flows)
        .order_by("name", "-start_date")
        .values_list("gss_code", "name")
    )
    return list(dict(found).items())


def _scope_values(place: str) -> tuple[list[str], list[int], list[str]]:
    """Channels, financial years and datasets of the place's flows (all flows with no place)."""
    rows = (
        filtered_flows(FlowFilters(place=place))
        .order_by()
        .values_list("channel", "financial_year", "dataset")
        .distinct()
    )
    channels: set[str] = set()
    years: set[int] = set()
    datasets: set[str] = set()
    for channel, year, dataset in rows:
        channels.add(channel)
        years.add(year)
        datasets.add(dataset)
    in_order = [c for c in Channel.values if c in channels]
    return in_order, sorted(years, reverse=True), sorted(datasets)


def flow_choices(filters: FlowFilters) -> Choices:
    """The options of each filter. From public data only, so kept in the shared cache under the
    public data generation, which an import or a link decision replaces."""
    places = cached_derived("flow-places", (), _places_with_flows)
    channels, years, datasets = cached_derived(
        "flow-scope", (filters.place,), lambda: _scope_values(filters.place)
    )
    channel_labels = dict(Channel.choices)
    place_name = dict(places).get(filters.place, "the place")
    sector_order = [*(s.value for s in Sector), NOT_LINKED, WITHHELD]
    return Choices(
        places=_options([*places, (NO_PLACE, NO_PLACE_LABEL)], filters.place),
        channels=_options([(c, channel_labels.get(c, c)) for c in channels], filters.channel),
        years=_options(
            [(str(y), financial_year_label(y)) for y in years],
            "" if filters.financial_year is None else str(filters.financial_year),
        ),
        sectors=_options(
            [
                (SOCIAL_ECONOMY, "Any sector of the social economy (register)"),
                *((s, SECTOR_LABELS[s]) for s in sector_order),
            ],
            filters.sector,
        ),
        attributions=_options(list(attr.LEVEL_LABELS.items()), filters.attribution),
        rules=_options([(r.code, attr.rule_label(r)) for r in attr.rules()], filters.rule),
        localities=_options(
            [
                ("yes", f"Based in {place_name}"),
                ("elsewhere", "Based elsewhere"),
                ("unknown", "Not known (recipient not linked)"),
            ],
            filters.local,
        ),
        links=_options(
            [
                ("linked", "Linked to an organisation"),
                ("unlinked", "Not linked to an organisation"),
                *((m, label) for m, label in LINK_LABELS.items() if m),
            ],
            filters.link,
        ),
        datasets=_options([(d, dataset_label(d)) for d in datasets], filters.dataset),
        sorts=_options(
            [(key, label) for key, (label, _) in SORTS.items()], filters.sort or DEFAULT_SORT
        ),
    )


def selected_filters(filters: FlowFilters, choices: Choices) -> list[SelectedFilter]:
    """The filters that are set, in the order of the filter panel, each with its removal."""
    labels = {
        "place": {o.value: o.label for o in choices.places},
        "channel": {o.value: o.label for o in choices.channels},
        "sector": {o.value: o.label for o in choices.sectors},
        "attribution": {o.value: o.label for o in choices.attributions},
        "rule": {o.value: o.label for o in choices.rules},
        "local": {o.value: o.label for o in choices.localities},
        "link": {o.value: o.label for o in choices.links},
    }
    params = filters.as_params()
    found: list[SelectedFilter] = []

    def add(param: str, heading: str, text: str) -> None:
        found.append(SelectedFilter(heading, text, filters.query(**{param: "", "page": ""})))

    if filters.q:
        add("q", "Name", f"“{filters.q}”")
    for param, heading in (("place", "Place"), ("channel", "Channel")):
        if params[param]:
            add(param, heading, labels[param].get(params[param], params[param]))
    if filters.financial_year is not None:
        add("year", "Financial year", financial_year_label(filters.financial_year))
    if filters.date_from:
        add("from", "From", filters.date_from.strftime("%-d %B %Y"))
    if filters.date_to:
        add("to", "To", filters.date_to.strftime("%-d %B %Y"))
    for param, heading in (
        ("sector", "Recipient's sector"),
        ("attribution", "How the recipient is known"),
        ("rule", "Legal form inferred from the name"),
        ("local", "Where the recipient is based"),
        ("link", "Link to an organisation"),
    ):
        if params[param]:
            add(param, heading, labels[param].get(params[param], params[param]))
    if filters.dataset:
        add("dataset", "Source", dataset_label(filters.dataset))
    for param, heading in (("recipient", "Recipient"), ("payer", "Payer")):
        if params[param]:
            org = Organisation.objects.filter(org_id=params[param]).only("name").first()
            add(param, heading, org.name if org else params[param])
    if filters.recipient_key:
        name = (
            MoneyFlow.objects.filter(recipient_key=filters.recipient_key)
            .order_by()
            .values_list("recipient_name", flat=True)
            .first()
        )
        add("recipient_key", "Recipient as named by the publisher", name or filters.recipient_key)
    if filters.ward == NO_WARD:
        add("ward", "Ward", "Names no ward of the place")
    elif filters.ward:
        ward = Place.objects.filter(gss_code=filters.ward).order_by("-start_date").first()
        add("ward", "Ward", ward.name if ward else filters.ward)
    return found
