"""The review queue page in pages of 50: the most likely matches first, the same order on every
page, counts that say which matches are shown, and the reviewer kept on their page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from commonground.organisations.linkage.views import PAGE_SIZE
from commonground.organisations.models import LinkReview, LinkReviewStatus
from tests.organisations.factories import reviewers

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:link-reviews")


def queue(atlas, count: int) -> list[LinkReview]:
    """`count` pending reviews, scores falling with the number in the name (party 1 first), and
    two of them with the same score (the older review first)."""
    organisation = atlas["GB-CHC-1100001"]
    scores = [0.89 - i * 0.001 for i in range(count)]
    if count > 3:
        scores[3] = scores[2]
    return LinkReview.objects.bulk_create(
        LinkReview(
            party_key=f"spend:party {i + 1}",
            signature=f"party {i + 1}|",
            party_name=f"Party {i + 1:03d}",
            organisation=organisation,
            score=score,
        )
        for i, score in enumerate(scores)
    )


def shown(page: str) -> list[str]:
    return re.findall(r'govuk-summary-card__title">(Party \d+)<', page)


def names(first: int, last: int) -> list[str]:
    return [f"Party {i:03d}" for i in range(first, last + 1)]


@pytest.fixture
def reviewer(atlas) -> Client:
    client = Client()
    client.force_login(reviewers()["reviewer"])
    return client


def test_the_first_page_shows_the_50_most_likely_matches_and_says_how_many_wait(
    atlas, reviewer
) -> None:
    queue(atlas, 2 * PAGE_SIZE + 1)
    page = reviewer.get(LIST).content.decode()
    assert shown(page) == names(1, 50)
    assert "Showing 1 to 50 of 101 matches waiting" in page
    assert "<title>Matches to review (page 1 of 3)" in page
    assert 'aria-current="page">1<' in page
    assert 'href="?page=2" rel="next"' in page and 'rel="prev"' not in page


def test_the_middle_page_follows_on_in_the_same_order(atlas, reviewer) -> None:
    queue(atlas, 2 * PAGE_SIZE + 1)
    page = reviewer.get(LIST, {"page": 2}).content.decode()
    assert shown(page) == names(51, 100)
    assert "Showing 51 to 100 of 101 matches waiting" in page
    assert 'href="?page=1" rel="prev"' in page and 'href="?page=3" rel="next"' in page


def test_the_last_page_holds_the_rest(atlas, reviewer) -> None:
    queue(atlas, 2 * PAGE_SIZE + 1)
    page = reviewer.get(LIST, {"page": 3}).content.decode()
    assert shown(page) == ["Party 101"]
    assert "Showing 101 to 101 of 101 matches waiting" in page
    assert 'rel="next"' not in page


def test_every_match_is_on_exactly_one_page(atlas, reviewer) -> None:
    queue(atlas, 2 * PAGE_SIZE + 1)
    seen = [n for p in (1, 2, 3) for n in shown(reviewer.get(LIST, {"page": p}).content.decode())]
    assert seen == names(1, 101)


@pytest.mark.parametrize(("asked", "number"), [("4", 3), ("999", 3), ("0", 3), ("x", 1), ("", 1)])
def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page(
    atlas, reviewer, asked, number
) -> None:
    queue(atlas, 2 * PAGE_SIZE + 1)
    response = reviewer.get(LIST, {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == number


def test_exactly_one_page_of_matches_has_no_page_links(atlas, reviewer) -> None:
    queue(atlas, PAGE_SIZE)
    page = reviewer.get(LIST).content.decode()
    assert shown(page) == names(1, 50)
    assert "50 matches waiting, the most likely first" in page
    assert "Showing" not in page and "govuk-pagination" not in page
    assert "<title>Matches to review – Common Ground</title>" in page


def test_one_more_than_a_page_makes_a_second_page(atlas, reviewer) -> None:
    queue(atlas, PAGE_SIZE + 1)
    page = reviewer.get(LIST, {"page": 2}).content.decode()
    assert shown(page) == ["Party 051"]
    assert "Showing 51 to 51 of 51 matches waiting" in page


def test_an_empty_queue_says_so(atlas, reviewer) -> None:
    page = reviewer.get(LIST, {"page": 2}).content.decode()
    assert "There are no matches waiting for review." in page
    assert "govuk-pagination" not in page


def test_decided_matches_leave_the_pages(atlas, reviewer) -> None:
    reviews = queue(atlas, PAGE_SIZE + 1)
    LinkReview.objects.filter(pk=reviews[0].pk).update(status=LinkReviewStatus.ACCEPTED)
    page = reviewer.get(LIST).content.decode()
    assert shown(page) == names(2, 51)
    assert "50 matches waiting" in page and "govuk-pagination" not in page


def test_a_decision_brings_the_reviewer_back_to_their_page(atlas, reviewer) -> None:
    reviews = queue(atlas, 2 * PAGE_SIZE + 1)
    decide = reverse("organisations:link-review-decide", args=[reviews[60].pk, "reject"])
    page = reviewer.get(LIST, {"page": 2}).content.decode()
    assert f'action="{decide}"' in page and 'name="page" value="2"' in page
    response = reviewer.post(decide, {"page": "2"})
    assert response.status_code == 302 and response.url == f"{LIST}?page=2"
    # The last match of the last page: back to that page number, which now shows the last page.
    last = reverse("organisations:link-review-decide", args=[reviews[100].pk, "accept"])
    response = reviewer.post(last, {"page": "3"}, follow=True)
    assert response.context["page"].number == 2
    assert "Party 101 is linked to" in response.content.decode()


def test_a_page_number_that_is_not_a_number_sends_the_reviewer_to_the_first_page(
    atlas, reviewer
) -> None:
    reviews = queue(atlas, 2)
    decide = reverse("organisations:link-review-decide", args=[reviews[0].pk, "accept"])
    for page in ("https://elsewhere.example/", "-1", ""):
        LinkReview.objects.filter(pk=reviews[0].pk).update(status=LinkReviewStatus.PENDING)
        assert reviewer.post(decide, {"page": page}).url == LIST


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("outsider", 403), ("admin", 200)])
def test_only_reviewers_see_any_page(atlas, who, status) -> None:
    queue(atlas, PAGE_SIZE + 1)
    client = Client()
    if who is not None:
        client.force_login(reviewers()[who])
    response = client.get(LIST, {"page": 2})
    assert response.status_code == status
    if status != 200:
        assert "Party 051" not in response.content.decode()
