"""Votes on shared statements are shown by perspective only where nobody's vote can be worked
out from them: on the page, in the PDF and HTML report, and whoever looks (ADR 0061)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from commonground.engagement.models import Conversation
from tests.engagement.factories import World, client_for, shared_statement_with_votes

pytestmark = pytest.mark.django_db

WITHHELD = "Too few votes to show"
# commissioner, provider, funder, community: the order of the table's columns.
LONE_FUNDER = {
    "commissioner": ["agree", "agree", "disagree"],
    "provider": ["agree", "pass"],
    "funder": ["agree"],
    "community": ["agree", "agree", "agree"],
}


def _vote_cells(html: str) -> list[str]:
    """The perspective and consensus cells of the first row of the votes table, as text."""
    table = html[html.index("Votes on shared statements") :]
    row = table[table.index('<tr class="govuk-table__row">', table.index("<tbody")) :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells[1:]]


def _page(world: World, conversation: Conversation, who: str = "anonymous") -> str:
    client = client_for(world.user(who))
    return client.get(f"/conversations/{conversation.pk}/alignment/").content.decode()


def test_a_lone_funders_vote_is_not_shown_by_perspective(engagement_world: World) -> None:
    shared_statement_with_votes(engagement_world, engagement_world.public, LONE_FUNDER)
    page = _page(engagement_world, engagement_world.public)
    cells = _vote_cells(page)
    assert cells[2] == WITHHELD  # funder
    assert cells[0] == "2 / 1 / 0" and cells[3] == "3 / 0 / 0"
    assert "when fewer than 2 people from it voted" in page  # the page says why


def test_the_smallest_other_perspective_is_hidden_too_so_the_lone_vote_cannot_be_subtracted(
    engagement_world: World,
) -> None:
    # With every other perspective shown, a total known from elsewhere (a show of hands read
    # out at the round table) minus the three would be the funder's vote.
    shared_statement_with_votes(engagement_world, engagement_world.public, LONE_FUNDER)
    cells = _vote_cells(_page(engagement_world, engagement_world.public))
    assert cells[:4] == ["2 / 1 / 0", WITHHELD, WITHHELD, "3 / 0 / 0"]


def test_a_perspective_nobody_voted_from_reads_no_votes_yet_and_hides_nothing(
    engagement_world: World,
) -> None:
    votes = {"commissioner": ["agree", "agree"], "provider": ["pass", "disagree"]}
    shared_statement_with_votes(engagement_world, engagement_world.public, votes)
    cells = _vote_cells(_page(engagement_world, engagement_world.public))
    assert cells == [
        "2 / 0 / 0",
        "0 / 1 / 1",
        "No votes yet",
        "No votes yet",
        "Not enough votes to say",
    ]


@pytest.mark.parametrize("lone_vote", ("agree", "disagree", "pass"))
def test_consensus_reads_the_same_whichever_way_a_lone_funder_voted(
    engagement_world: World, lone_vote: str
) -> None:
    # Were consensus judged with one funder, "Consensus" would say they agreed and "Not yet"
    # (with every other perspective agreeing) that they did not.
    votes = {p: ["agree", "agree"] for p in ("commissioner", "provider", "community")}
    shared_statement_with_votes(
        engagement_world, engagement_world.public, {**votes, "funder": [lone_vote]}
    )
    cells = _vote_cells(_page(engagement_world, engagement_world.public))
    # Of perspectives equal in size, the last listed is hidden beside the funder.
    assert cells == ["2 / 0 / 0", "2 / 0 / 0", WITHHELD, WITHHELD, "Not enough votes to say"]


def test_consensus_is_claimed_once_at_least_two_from_every_perspective_agree(
    engagement_world: World,
) -> None:
    votes = {p: ["agree", "agree"] for p in ("commissioner", "provider", "funder")}
    shared_statement_with_votes(
        engagement_world, engagement_world.public, {**votes, "community": ["agree", "disagree"]}
    )
    cells = _vote_cells(_page(engagement_world, engagement_world.public))
    assert cells == ["2 / 0 / 0", "2 / 0 / 0", "2 / 0 / 0", "1 / 1 / 0", "Not yet"]
    shared_statement_with_votes(
        engagement_world,
        engagement_world.public,
        {**votes, "community": ["agree", "agree", "disagree"]},
        text="Plan for the long term.",
    )
    page = _page(engagement_world, engagement_world.public)
    assert "Consensus</strong>" in page


@pytest.mark.parametrize("who", ("anonymous", "outsider", "participant", "convener", "moderator"))
def test_nobody_sees_a_lone_vote_not_even_the_convener(engagement_world: World, who: str) -> None:
    shared_statement_with_votes(engagement_world, engagement_world.public, LONE_FUNDER)
    cells = _vote_cells(_page(engagement_world, engagement_world.public, who))
    assert cells[2] == WITHHELD


def test_the_pdf_report_withholds_a_lone_vote_as_the_page_does(engagement_world: World) -> None:
    shared_statement_with_votes(engagement_world, engagement_world.public, LONE_FUNDER)
    pdf = client_for(None).get(f"/conversations/{engagement_world.public.pk}/report.pdf")
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    ).replace("\n", " ")
    assert text.count(WITHHELD) >= 2  # the funder and the provider
    assert "1/0/0" not in text and "1/0/1" not in text  # neither hidden tally
    assert "Not enough votes to say" in text


def test_the_html_report_withholds_a_lone_vote_as_the_page_does(engagement_world: World) -> None:
    shared_statement_with_votes(engagement_world, engagement_world.public, LONE_FUNDER)
    client = client_for(engagement_world.convener)
    html = client.get(f"/conversations/{engagement_world.public.pk}/report.html")
    cells = _vote_cells(html.content.decode())
    assert cells[:4] == ["2 / 1 / 0", WITHHELD, WITHHELD, "3 / 0 / 0"]
