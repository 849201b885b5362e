"""The principles health check: one answer set per member per round, refused cleanly when wrong,
and results only in aggregate, only once enough people answered and the round closed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from commonground.audit.models import AuditEvent
from commonground.partnerships import selectors, services
from commonground.partnerships.models import HealthCheckAnswer, HealthCheckScore
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import all_answers, closed_round_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(partnership_world):
    return services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )


def test_a_member_answers_once_for_all_nine_principles(partnership_world, open_round):
    answer = services.health_check_answer(
        partnership_world.people["member"], open_round, all_answers(4)
    )
    assert answer.perspective == "provider"
    assert answer.scores.count() == 9
    event = AuditEvent.objects.get(action="partnership.health_check_answer")
    # The audit says an answer was given, never the scores: they are the person's alone.
    assert "scores" not in str(event.after) and event.after["principles"] == 9


@pytest.mark.parametrize("bad", [0, 6, -1, "five", 3.5, None, True])
def test_a_score_out_of_range_is_refused_and_nothing_is_saved(partnership_world, open_round, bad):
    answers = all_answers(3)
    answers["trust"] = (bad, "")
    with pytest.raises(services.PartnershipError, match="trust") as error:
        services.health_check_answer(partnership_world.people["member"], open_round, answers)
    assert error.value.field == "trust_score"
    assert HealthCheckAnswer.objects.count() == 0
    assert HealthCheckScore.objects.count() == 0


def test_a_missing_or_unknown_principle_is_refused(partnership_world, open_round):
    answers = all_answers(3)
    del answers["flexibility"]
    with pytest.raises(services.PartnershipError, match="flexibility"):
        services.health_check_answer(partnership_world.people["member"], open_round, answers)
    with pytest.raises(services.PartnershipError, match="not one of the nine"):
        services.health_check_answer(
            partnership_world.people["member"], open_round, {**all_answers(3), "profit": (5, "")}
        )
    assert HealthCheckAnswer.objects.count() == 0


def test_a_second_answer_in_the_same_round_is_refused(partnership_world, open_round):
    services.health_check_answer(partnership_world.people["member"], open_round, all_answers(4))
    with pytest.raises(services.PartnershipError, match="already answered") as error:
        services.health_check_answer(partnership_world.people["member"], open_round, all_answers(1))
    assert error.value.conflict
    assert HealthCheckAnswer.objects.count() == 1
    assert set(HealthCheckScore.objects.values_list("score", flat=True)) == {4}


def test_a_member_cannot_answer_for_another(partnership_world, open_round):
    with pytest.raises(PermissionDenied):
        services.health_check_answer(
            partnership_world.people["lead"],
            open_round,
            all_answers(5),
            respondent=partnership_world.people["member"],
        )
    assert HealthCheckAnswer.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "other_member", "staff"])
def test_people_outside_the_partnership_cannot_answer(partnership_world, open_round, who):
    with pytest.raises(PermissionDenied):
        services.health_check_answer(partnership_world.people[who], open_round, all_answers(5))
    assert HealthCheckAnswer.objects.count() == 0


def test_a_closed_round_takes_no_answers_and_only_one_round_is_open(partnership_world, open_round):
    with pytest.raises(services.PartnershipError, match="already open"):
        services.health_check_round_open(
            partnership_world.people["lead"], partnership_world.partnership
        )
    services.health_check_round_close(partnership_world.people["lead"], open_round)
    with pytest.raises(services.PartnershipError, match="closed"):
        services.health_check_answer(partnership_world.people["member"], open_round, all_answers(3))


def test_only_a_lead_opens_or_closes_a_round(partnership_world):
    with pytest.raises(PermissionDenied):
        services.health_check_round_open(
            partnership_world.people["member"], partnership_world.partnership
        )


def _add(partnership_world, email, perspective):
    person = UserFactory(email=email)
    services.partnership_add_member(
        partnership_world.people["lead"],
        partnership_world.partnership,
        user=person,
        perspective=perspective,
    )
    return person


def test_results_are_hidden_below_the_minimum_and_while_the_round_is_open(partnership_world):
    lead, member = partnership_world.people["lead"], partnership_world.people["member"]
    closed_round_with(partnership_world.partnership, lead, [(lead, 5), (member, 2)])
    [result] = selectors.health_results(partnership_world.partnership, lead)
    assert (result.responses, result.shown, result.principles) == (2, False, [])
    assert "Fewer than 3" in result.reason

    health_round = services.health_check_round_open(lead, partnership_world.partnership)
    for person in (lead, member, partnership_world.people["observer"]):
        services.health_check_answer(person, health_round, all_answers(3))
    second = selectors.health_results(partnership_world.partnership, lead)[1]
    assert (second.responses, second.shown) == (3, False)
    assert "still open" in second.reason


def test_results_per_principle_show_average_spread_and_each_perspectives_view(partnership_world):
    lead, member = partnership_world.people["lead"], partnership_world.people["member"]
    second_commissioner = _add(partnership_world, "c2@example.org", "commissioner")
    second_provider = _add(partnership_world, "p2@example.org", "provider")
    funder = _add(partnership_world, "f@example.org", "funder")
    closed_round_with(
        partnership_world.partnership,
        lead,
        [(lead, 5), (second_commissioner, 5), (member, 2), (second_provider, 1), (funder, 3)],
    )
    [result] = selectors.health_results(partnership_world.partnership, member)
    assert result.shown and result.responses == 5
    trust = next(p for p in result.principles if p.principle == "trust")
    assert trust.average == 3.2
    assert (trust.lowest, trust.highest) == (1, 5)
    assert trust.spread == 1.6
    assert trust.counts == {1: 1, 2: 1, 3: 1, 4: 0, 5: 2}
    views = {v.perspective: (v.responses, v.average) for v in trust.perspectives}
    # One funder's "average" would be their answer, so it is not shown; nor is the
    # providers', which with the commissioners' and the overall average would leave the
    # funder's score as the remainder (16 - 10 - 3 = 3).
    assert views == {"commissioner": (2, 5.0), "provider": (2, None), "funder": (1, None)}
    assert trust.divergence is None
    assert trust.comments == ["from 1", "from 2", "from 3", "from 5", "from 5"]


def test_change_between_rounds_is_shown(partnership_world):
    lead, member, observer = (partnership_world.people[w] for w in ("lead", "member", "observer"))
    closed_round_with(partnership_world.partnership, lead, [(lead, 2), (member, 2), (observer, 2)])
    closed_round_with(partnership_world.partnership, lead, [(lead, 4), (member, 3), (observer, 2)])
    first, second = selectors.health_results(partnership_world.partnership, member)
    assert first.principles[0].change is None
    assert second.principles[0].change == 1.0


@pytest.mark.parametrize("who", ["outsider", "other_member", "staff"])
def test_non_members_never_see_results(partnership_world, who):
    lead, member, observer = (partnership_world.people[w] for w in ("lead", "member", "observer"))
    closed_round_with(partnership_world.partnership, lead, [(lead, 2), (member, 2), (observer, 2)])
    [result] = selectors.health_results(
        partnership_world.partnership, partnership_world.people[who]
    )
    assert not result.shown and result.principles == []


def test_a_lone_perspectives_score_cannot_be_worked_out_from_the_others(partnership_world):
    """Three answered: two commissioners and one provider. Showing the commissioners' average
    beside the overall one would give the provider's score away (3 x overall - 2 x theirs), so
    no perspective's average is shown; with a second provider both are."""
    lead, member = partnership_world.people["lead"], partnership_world.people["member"]
    second_commissioner = _add(partnership_world, "c2@example.org", "commissioner")
    closed_round_with(
        partnership_world.partnership, lead, [(lead, 5), (second_commissioner, 4), (member, 1)]
    )
    [result] = selectors.health_results(partnership_world.partnership, lead)
    trust = next(p for p in result.principles if p.principle == "trust")
    assert trust.average == 3.33
    views = {v.perspective: (v.responses, v.average) for v in trust.perspectives}
    assert views == {"commissioner": (2, None), "provider": (1, None)}
    assert trust.divergence is None

    second_provider = _add(partnership_world, "p2@example.org", "provider")
    closed_round_with(
        partnership_world.partnership,
        lead,
        [(lead, 5), (second_commissioner, 4), (member, 1), (second_provider, 2)],
    )
    second = selectors.health_results(partnership_world.partnership, lead)[1]
    trust = next(p for p in second.principles if p.principle == "trust")
    views = {v.perspective: (v.responses, v.average) for v in trust.perspectives}
    assert views == {"commissioner": (2, 4.5), "provider": (2, 1.5)}
