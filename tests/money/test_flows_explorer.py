"""The flows explorer (/money/flows/): scoped to the place someone came from, searched by name,
sorted by amount or date, filtered by choices, charted over time, and downloaded as a stream.
Flows are synthetic rows (the importers are tested with the real files)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.test import Client

from commonground.money.flows import FlowFilters, filtered_flows, flow_row_chunks
from tests.money.factories import MoneyFlowFactory
from tests.organisations.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _page(client: Client, **params: str) -> str:
    response = client.get("/money/flows/", params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def _rows_of(html: str) -> list[str]:
    """The flows table's amounts, in the order shown."""
    body = html.split('<tbody class="govuk-table__body">')[-1].split("</tbody>")[0]
    return re.findall(
        r"govuk-table__cell--numeric\">(?:<span class=\"cg-amount\">)?(-?£[\d,]+\.\d\d)<", body
    )


@pytest.fixture
def two_places() -> None:
    manchester = PlaceFactory(gss_code="E08000003", name="Manchester")
    MoneyFlowFactory(recipient_name="Age UK Trafford", amount_pence=50_000)
    MoneyFlowFactory(
        channel="spend",
        payer_name="Trafford Council",
        recipient_name="Whitfield & Brown (Developments) Ltd",
        amount_pence=3_287_193,
        date=dt.date(2026, 5, 29),
        financial_year=2026,
    )
    MoneyFlowFactory(
        channel="spend",
        payer_name="Trafford Council",
        recipient_name="A refund (synthetic)",
        amount_pence=-1_250,
        date=dt.date(2026, 4, 2),
        financial_year=2026,
    )
    MoneyFlowFactory(place=manchester, recipient_name="Manchester charity", amount_pence=70_000)
    MoneyFlowFactory(
        place=None,
        channel="contract",
        dataset="contracts_finder",
        payer_name="Ministry of Defence",
        recipient_name="National supplier plc",
        amount_pence=475_000_000_000,
    )


def test_coming_from_a_place_the_list_holds_only_that_place_s_money(
    client: Client, two_places: None
) -> None:
    html = _page(client, place="E08000009")
    assert "Money flows in Trafford</h1>" in html
    assert "3 flows, £33,359.43 in all." in html
    assert "National supplier plc" not in html


def test_without_a_place_the_list_says_it_covers_every_place_and_what_has_none(
    client: Client, two_places: None
) -> None:
    html = _page(client)
    assert "Money flows in every place</h1>" in html
    scope = html.split('id="flows-scope"')[1].split("</div>")[0]
    assert "covers every place and every source" in scope
    assert (
        "Not attributed to a place</a> (for example, national Contracts Finder awards): "
        "£4,750,000,000.00 in 1 flow"
    ) in scope
    assert "Trafford</a>: £33,359.43 in 3 flows" in scope
    no_place = _page(client, place="none")
    assert "Money flows not attributed to a place</h1>" in no_place
    assert "1 flow, £4,750,000,000.00 in all." in no_place


def test_the_money_menu_link_keeps_the_place_of_the_page(client: Client, two_places: None) -> None:
    html = client.get("/places/E08000009/profile/").content.decode()
    assert 'href="/money/flows/?place=E08000009" aria-current="true">Money</a>' in html


def test_a_name_search_finds_payers_and_recipients_whatever_the_case(
    client: Client, two_places: None
) -> None:
    assert "1 flow, £500.00 in all." in _page(client, place="E08000009", q="age uk")
    assert "2 flows, £32,859.43 in all." in _page(client, place="E08000009", q="TRAFFORD  council")
    org = OrganisationFactory(org_id="GB-CHC-1000001", name="Friends of Longford Park")
    MoneyFlowFactory(recipient_name="FOLP", recipient_organisation=org, amount_pence=900)
    assert "1 flow, £9.00 in all." in _page(client, q="longford")
    assert "No flows match." in _page(client, q="nobody by this name")


def test_sorting_by_amount_and_by_date_orders_the_list_both_ways(
    client: Client, two_places: None
) -> None:
    assert _rows_of(_page(client, place="E08000009", sort="largest")) == [
        "£32,871.93",
        "£500.00",
        "-£12.50",
    ]
    assert _rows_of(_page(client, place="E08000009", sort="smallest"))[0] == "-£12.50"
    assert _rows_of(_page(client, place="E08000009", sort="oldest"))[0] == "£500.00"
    html = _page(client, place="E08000009", sort="largest")
    assert (
        'aria-sort="descending"><a class="govuk-link cg-money-sort" '
        'href="?place=E08000009&amp;sort=smallest">Amount'
    ) in html


def test_filters_offer_only_the_choices_the_place_has(client: Client, two_places: None) -> None:
    html = _page(client, place="E08000009")
    year = html.split('id="id_year"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d*)"', year) == ["", "2026", "2025"]
    assert ">2026-27</option>" in year
    channels = re.findall(r'name="channel" type="radio" value="(\w*)"', html)
    assert channels == ["", "grant", "spend"]
    sources = html.split('id="id_dataset"')[1].split("</select>")[0]
    assert '<option value="synthetic_test">synthetic_test</option>' in sources
    assert "Recipient's sector" in html and "Not linked to an organisation" in html
    levels = html.split('id="id_attribution"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w*)"', levels) == ["", "register", "inferred", "unknown"]
    assert 'name="recipient_key"' not in html  # set by following a link, never typed


def test_a_filter_set_by_a_link_is_named_for_people_and_can_be_removed(
    client: Client, two_places: None
) -> None:
    org = OrganisationFactory(org_id="GB-CHC-1000002", name="Trafford Carers Centre")
    MoneyFlowFactory(recipient_name="TRAFFORD CARERS", recipient_organisation=org)
    html = _page(client, place="E08000009", recipient="GB-CHC-1000002", year="2025")
    assert "1 flow, £1,250.00 in all." in html
    assert "Remove this filter:</span> Trafford Carers Centre</a>" in html
    assert '<input type="hidden" name="recipient" value="GB-CHC-1000002">' in html
    assert (
        'href="?place=E08000009&amp;year=2025"><span class="govuk-visually-hidden">'
        "Remove this filter:</span> Trafford Carers Centre"
    ) in html


def test_a_value_no_filter_takes_is_explained_beside_its_field(
    client: Client, two_places: None
) -> None:
    response = client.get("/money/flows/", {"sort": "cheapest", "ward": "Old Trafford"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_sort">Sort must be one of: newest, oldest, largest, smallest</a>' in html
    assert 'id="sort-error"' in html
    assert 'id="id_ward"' in html  # the error summary's link has somewhere to go


def test_the_chart_shows_every_year_between_the_first_and_the_last(client: Client) -> None:
    MoneyFlowFactory(date=dt.date(2012, 6, 1), financial_year=2012, amount_pence=100)
    MoneyFlowFactory(date=dt.date(2014, 6, 1), financial_year=2014, amount_pence=300)
    html = _page(client, place="E08000009")
    assert '<h2 class="govuk-heading-m" id="chart-heading">Money by financial year</h2>' in html
    table = html.split("(the chart's figures)")[1].split("</table>")[0]
    years = re.findall(r'<th scope="row" class="govuk-table__header">([\d-]+)</th>', table)
    assert years == ["2012-13", "2013-14", "2014-15"]
    assert "£0.00</td>" in table  # the year with no flows is shown as nothing, not left out
    assert 'href="?place=E08000009&amp;year=2014">£3.00' in table
    assert "The most was £3.00 in 2014-15." in html
    assert html.count('class="cg-money-chart__bar"') == 3


def test_one_financial_year_is_charted_by_month(client: Client, two_places: None) -> None:
    html = _page(client, place="E08000009", year="2026")
    assert "Money by month</h2>" in html
    table = html.split("(the chart's figures)")[1].split("</table>")[0]
    assert re.findall(r'<th scope="row" class="govuk-table__header">(\w+ \d+)</th>', table) == [
        "Apr 2026",
        "May 2026",
    ]
    assert "from=2026-05-01&amp;to=2026-05-31" in table


def test_a_flow_s_page_keeps_the_published_record_behind_a_details_element(
    client: Client,
) -> None:
    flow = MoneyFlowFactory(raw={"Supplier Name": "Age UK Trafford", "Amount": "500.00"})
    html = client.get(f"/money/flows/{flow.pk}/").content.decode()
    details = html.split('<details class="govuk-details" id="published-record">')[1]
    assert "Show the record as published</span></summary>" in details
    assert "&quot;Supplier Name&quot;: &quot;Age UK Trafford&quot;" in details
    assert html.index("govuk-summary-list") < html.index("published-record")


@pytest.mark.parametrize("sort", ["newest", "oldest", "largest", "smallest"])
def test_downloads_read_every_flow_once_in_order_a_chunk_at_a_time(sort: str) -> None:
    for n in range(23):  # ties on date and on amount, which the keyset must step through
        MoneyFlowFactory(date=dt.date(2025, 4, 1 + n % 3), amount_pence=(n % 4) * 100)
    flows = filtered_flows(FlowFilters(place="E08000009", sort=sort))
    chunks = list(flow_row_chunks(flows, sort, chunk_size=5, first_chunk=2))
    assert [len(c) for c in chunks] == [2, 5, 5, 5, 5, 1]
    ids = [row[0] for chunk in chunks for row in chunk]
    in_order = flows.order_by(*FlowFilters(sort=sort).order).values_list("id", flat=True)
    assert ids == list(in_order)


def test_the_csv_download_streams_and_no_cell_runs_as_a_formula(
    client: Client, two_places: None
) -> None:
    MoneyFlowFactory(recipient_name='=HYPERLINK("http://attacker.example","Click")')
    response = client.get("/money/flows.csv", {"place": "E08000009", "sort": "smallest"})
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="money-flows.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    assert rows[0]["amount"] == "-12.50" and rows[0]["amount_pence"] == "-1250"
    names = {row["recipient_name"] for row in rows}
    assert '\'=HYPERLINK("http://attacker.example","Click")' in names


def test_the_json_download_streams_a_valid_array_even_when_nothing_matches(
    client: Client, two_places: None
) -> None:
    response = client.get("/money/flows.json", {"place": "E08000009", "sort": "largest"})
    assert response.streaming
    items = json.loads(b"".join(response.streaming_content))
    assert [item["amount"] for item in items] == ["32871.93", "500.00", "-12.50"]
    empty = client.get("/money/flows.json", {"q": "nobody by this name"})
    assert json.loads(b"".join(empty.streaming_content)) == []
    assert client.get("/money/flows.csv", {"sort": "cheapest"}).status_code == 400


@pytest.mark.parametrize("name", ["dataset", "q", "recipient_key"])
def test_a_filter_holding_a_nul_character_is_said_to_be_wrong_on_the_page_and_download(
    client: Client, name: str
) -> None:
    MoneyFlowFactory(recipient_name="Age UK Trafford")
    for address in ("/money/flows/", "/money/flows.csv"):
        response = client.get(address, {name: "age\x00uk"})
        assert response.status_code == 400
        assert f"The query parameter &#x27;{name}&#x27; holds a NUL" in response.content.decode()


@pytest.mark.parametrize("year", ["²", "²⁰²⁴", "٢٠٢٤"])
def test_a_year_written_in_other_digits_is_said_to_be_wrong_on_the_page_download_and_api(
    db: None, year: str
) -> None:
    client = Client(raise_request_exception=False)
    MoneyFlowFactory()
    page = client.get("/money/flows/", {"year": year})
    assert page.status_code in (200, 400)
    assert "Year must be the year a financial year starts" in page.content.decode()
    assert client.get("/money/flows.csv", {"year": year}).status_code == 400
    api = client.get("/api/v1/money-flows", {"year": year})
    assert api.status_code == 422 and api.json()["field"] == "year"


def test_no_two_choices_of_the_legal_form_filter_read_the_same(client: Client) -> None:
    MoneyFlowFactory()
    page = client.get("/money/flows/").content.decode()
    select = page[page.index('name="rule"') :]
    select = select[: select.index("</select>")]
    labels = re.findall(r"<option value=\"[^\"]+\"[^>]*>([^<]+)</option>", select)
    assert "Public body: NHS or integrated care board" in labels
    assert len(labels) == len(set(labels)), labels
