"""Matching on the real Trafford register: the charities judged by hand to fit each of 17
development needs, and of 15 held-out needs, come among the first 10 matches (recall@10 at
least 0.7), each match with its reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commonground.needs import selectors
from commonground.organisations.models import Identifier, Organisation
from tests.needs.factories import member_of, needs_world
from tests.organisations.factories import OrganisationFactory
from tests.places.factories import PlaceFactory
from tests.profiles.factories import ProfileFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]
JUDGEMENTS = Path(__file__).parent / "data" / "need_judgements.json"
TARGET = 0.7


def _charity_numbers(org_ids: list[int]) -> list[str]:
    numbers = dict(
        Identifier.objects.filter(organisation_id__in=org_ids, scheme="GB-CHC").values_list(
            "organisation_id", "local_id"
        )
    )
    return [numbers.get(pk, "") for pk in org_ids]


def recall_at_10(judgements: Path = JUDGEMENTS) -> tuple[float, list[tuple[str, float]]]:
    world = needs_world()
    judged = json.loads(judgements.read_text())["needs"]
    per_need = []
    for item in judged:
        need = world.need(
            title=item["title"], who_for=item["who_for"], outcomes=item["outcomes"], ward_codes=[]
        )
        found = _charity_numbers([m.organisation.pk for m in selectors.matches_for(need, 10)])
        fits = set(item["fits"])
        per_need.append((item["title"], len(fits & set(found)) / min(10, len(fits))))
    return sum(r for _, r in per_need) / len(per_need), per_need


def test_the_charities_judged_to_fit_a_need_are_among_its_first_ten_matches() -> None:
    recall, per_need = recall_at_10()
    print(f"recall@10 {recall:.3f}", *(f"{r:.2f} {t}" for t, r in per_need), sep="\n")
    assert recall >= TARGET, per_need


def test_needs_written_and_judged_blind_by_another_session_are_matched_as_well() -> None:
    """The second held-out set (EVALUATION.md): written and judged by a session that never saw
    the matching; nothing was tuned on it (ADR 0051)."""
    recall, per_need = recall_at_10(JUDGEMENTS.parent / "need_judgements_heldout2.json")
    assert len(per_need) >= 15
    assert recall >= TARGET, per_need


def test_each_match_says_why_in_plain_words() -> None:
    world = needs_world()
    need = world.need(ward_codes=[])
    matches = selectors.matches_for(need, 10)
    age_uk = next(m for m in matches if m.organisation.name == "AGE UK TRAFFORD")
    assert any("Trafford" in reason for reason in age_uk.reasons)
    assert any(reason.startswith("income") for reason in age_uk.reasons)
    assert any(reason.startswith("Charity") for reason in age_uk.reasons)
    assert all(m.organisation.sector != "public_body" for m in matches)


def test_a_partnership_profile_adds_routes_capacity_and_willingness_to_the_reasons() -> None:
    world = needs_world()
    age_uk = Organisation.objects.get(name="AGE UK TRAFFORD")
    ProfileFactory(organisation=age_uk, routes=["grant"], people_served_a_year=4000)
    need = world.need(ward_codes=[])
    match = next(m for m in selectors.matches_for(need, 10) if m.organisation == age_uk)
    assert match.routes == ["grant"]
    assert "open to Grant" in " ".join(match.reasons)
    assert any("4,000 people served a year" in reason for reason in match.reasons)
    assert "its profile says it is open to partnership" in match.reasons


def test_an_organisations_people_see_the_open_needs_it_fits_with_reasons() -> None:
    world = needs_world()
    need = world.need(ward_codes=[])
    age_uk = Organisation.objects.get(name="AGE UK TRAFFORD")
    officer = world.people["other_provider"]
    member_of(officer, age_uk)
    fitting = selectors.needs_fitting(officer, age_uk)
    assert [(n, bool(m.reasons)) for n, m in fitting] == [(need, True)]
    youth = world.other_org  # a synthetic youth club placed nowhere
    assert selectors.needs_fitting(officer, youth) == []


def test_an_organisation_whose_register_says_little_is_found_by_its_services() -> None:
    world = needs_world()
    quiet = OrganisationFactory(
        org_id="GB-CHC-9990177", name="Flixton Neighbours (synthetic)", sector="charity"
    )
    need = world.need(ward_codes=[])
    assert quiet not in [m.organisation for m in selectors.matches_for(need, 10)]
    ServiceFactory(
        organisation=quiet,
        name="Later life friends at home",
        description="Weekly home visits, phone calls and outings so that older people living "
        "alone stay well, connected and independent at home.",
        who_for="People over 65 living alone, and their carers",
        places=[world.place],
    )
    match = next(m for m in selectors.matches_for(need, 10) if m.organisation == quiet)
    service_reason = next(r for r in match.reasons if r.startswith("its service"))
    assert "“Later life friends at home” is close in meaning to the need" in service_reason
    assert "Trafford" in service_reason and "(its profile)" in service_reason


def test_an_inactive_service_or_one_elsewhere_does_not_bring_an_organisation_in() -> None:
    world = needs_world()
    quiet = OrganisationFactory(
        org_id="GB-CHC-9990178", name="Flixton Neighbours (synthetic)", sector="charity"
    )
    elsewhere = PlaceFactory(gss_code="E08000003", name="Manchester")
    text = {
        "name": "Later life friends at home",
        "description": "Home visits for older people living alone.",
    }
    ServiceFactory(organisation=quiet, status="inactive", places=[world.place], **text)
    ServiceFactory(organisation=quiet, places=[elsewhere], **text)
    need = world.need(ward_codes=[])
    assert quiet not in [m.organisation for m in selectors.matches_for(need, 10)]


def test_a_needs_title_counts_beside_the_common_words_of_its_outcomes() -> None:
    """ADR 0051: the whole text's common words ("school", "children", "families") filled the
    first ten with school fundraising committees; the title searched alone brings back what the
    need asks for."""
    world = needs_world()
    former_held_out = json.loads((JUDGEMENTS.parent / "need_judgements_heldout.json").read_text())
    item = next(n for n in former_held_out["needs"] if n["title"].startswith("Holiday activities"))
    need = world.need(
        title=item["title"], who_for=item["who_for"], outcomes=item["outcomes"], ward_codes=[]
    )
    found = _charity_numbers([m.organisation.pk for m in selectors.matches_for(need, 10)])
    assert {"1139378", "1154394"} <= set(found)  # holiday activities; holiday football weeks
