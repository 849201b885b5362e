"""A place's money profile is computed once and shared until public data changes: a finished
import or a reviewer's decision gives the next reader figures computed afresh."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from commonground.imports.engine import run_import
from commonground.money.giving.importer import GrantsImporter
from commonground.money.models import MoneyFlow
from commonground.money.selectors import place_profile
from commonground.organisations.linkage.services import link_review_decide
from commonground.organisations.models import LinkReview, LinkReviewStatus
from commonground.places.models import Place
from commonground.places.selectors import place_by_gss
from tests.accounts.factories import UserFactory
from tests.organisations.factories import TRAFFORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford", "profile_cache")]

GRANTS_JSON = "grants/trafford_council_grants_360giving.json"


@pytest.fixture
def profile_cache(settings):
    settings.COMMONGROUND_PAGE_CACHE_SECONDS = 600
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def grants(shared_data: Path, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_import(GrantsImporter("trafford_grants"), shared_data / GRANTS_JSON)


def trafford_place() -> Place:
    place = place_by_gss(TRAFFORD)
    assert place is not None
    return place


def test_the_second_reader_gets_the_figures_without_touching_the_database(
    grants, django_assert_num_queries
) -> None:
    first = place_profile(trafford_place())
    place = trafford_place()
    with django_assert_num_queries(0):
        again = place_profile(place)
    assert again.total == first.total
    assert again.by_sector == first.by_sector
    assert [w.pence for w in again.grants_by_ward] == [w.pence for w in first.grants_by_ward]


def test_each_period_is_computed_for_itself(grants) -> None:
    whole = place_profile(trafford_place())
    years = sorted(MoneyFlow.objects.values_list("date", flat=True).distinct())
    assert len(years) > 1
    late = place_profile(trafford_place(), date_from=years[-1])
    early = place_profile(trafford_place(), date_to=date(years[0].year, 12, 31))
    assert late.total.pence < whole.total.pence
    assert late.filters.date_from == years[-1] and early.filters.date_to is not None
    assert late.total != early.total


def test_a_finished_import_gives_fresh_figures(
    shared_data: Path, django_capture_on_commit_callbacks
) -> None:
    assert place_profile(trafford_place()).total.pence == 0
    with django_capture_on_commit_callbacks(execute=True):
        run_import(GrantsImporter("trafford_grants"), shared_data / GRANTS_JSON)
    total = sum(MoneyFlow.objects.values_list("amount_pence", flat=True))
    assert total > 0
    assert place_profile(trafford_place()).total.pence == total


def test_a_review_decision_gives_fresh_figures(grants, django_capture_on_commit_callbacks) -> None:
    before = place_profile(trafford_place())
    review = LinkReview.objects.filter(status=LinkReviewStatus.PENDING).first()
    assert review is not None, "the Trafford grants leave some matches for review"
    moved = sum(
        MoneyFlow.objects.filter(recipient_key=review.party_key).values_list(
            "amount_pence", flat=True
        )
    )
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.groups.add(Group.objects.get_or_create(name="reviewers")[0])

    with django_capture_on_commit_callbacks(execute=True):
        link_review_decide(reviewer, review, accept=True)

    after = place_profile(trafford_place())
    assert after.not_linked_total.pence == before.not_linked_total.pence - moved
    assert after.total == before.total
