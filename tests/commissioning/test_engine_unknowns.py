"""Three-valued answers and the law settled by section 1.1 of the fact base: what a commissioner
can rely on when they answer "not sure", and the thresholds either side of each settled figure.
"""

from __future__ import annotations

from typing import Any

import pytest

from commonground.commissioning.answers import (
    UNKNOWN_ALLOWED,
    AnswerError,
    parse_answers,
)
from tests.commissioning.factories import answers, by_code, pounds, run

A, IF, NO = "available", "available_if", "not_available"

# The questions that take "unknown": every yes/no question. Listed here so that adding or
# removing one is a visible change to what commissioners and API clients may send.
QUESTIONS_TAKING_UNKNOWN = [
    "is_health_care_service",
    "light_touch_service",
    "reservable_for_mutuals",
    "council_receives_services",
    "recipient_carries_on_economic_activity",
    "involves_land_or_building",
    "asset_listed_as_community_value",
    "incumbent_exists",
    "incumbent_performing_well",
    "considerable_change",
    "only_one_capable_provider",
    "patient_choice_applies",
    "innovation_required",
    "outcomes_measurable",
    "social_investor_interest",
    "mutual_eligible",
    "counterparty_is_public_body",
    "multiple_providers_to_integrate",
    "novel_or_prototype",
    "extreme_urgency_unforeseeable",
]
ALWAYS_KNOWN = ["nation", "decision_date", "authority_type", "subject"]


def test_every_yes_no_question_and_only_those_accept_unknown():
    assert list(UNKNOWN_ALLOWED) == QUESTIONS_TAKING_UNKNOWN


@pytest.mark.parametrize("field", [*ALWAYS_KNOWN, "estimated_value_pence", "duration_months"])
def test_the_facts_a_commissioner_always_knows_refuse_unknown(field):
    with pytest.raises(AnswerError) as caught:
        parse_answers(answers(**{field: "unknown"}))
    assert caught.value.field == field


HEALTH = {"is_health_care_service": True}
M1 = {"estimated_value_pence": pounds(1_000_000)}
LT800 = {"light_touch_service": True, "estimated_value_pence": pounds(800_000)}


def unknown_row(field: str, changes: dict[str, Any], route: str, closes_when: Any):
    return pytest.param(field, changes, route, closes_when, id=f"{field} -> {route}")


# One row (or more) for every question that takes "unknown": the route that depends on it,
# and the definite answer that closes that route (None where no answer closes it).
UNKNOWN_SCENARIOS = [
    unknown_row("is_health_care_service", M1, "psr_competitive", False),
    unknown_row("is_health_care_service", M1, "open_procedure", True),
    unknown_row(
        "light_touch_service", LT800 | {"light_touch_service": False}, "light_touch_flexible", False
    ),
    unknown_row(
        "reservable_for_mutuals", LT800 | {"mutual_eligible": True}, "reserved_mutual_s33", False
    ),
    unknown_row("council_receives_services", M1, "open_procedure", False),
    unknown_row("council_receives_services", M1, "grant", True),
    unknown_row(
        "recipient_carries_on_economic_activity",
        {"council_receives_services": False},
        "subsidy_minimal_financial_assistance",
        False,
    ),
    unknown_row("involves_land_or_building", {}, "community_asset_transfer", False),
    unknown_row(
        "asset_listed_as_community_value",
        {"involves_land_or_building": True},
        "community_right_to_bid",
        None,
    ),
    unknown_row(
        "incumbent_exists",
        HEALTH | {"only_one_capable_provider": True},
        "psr_direct_award_a",
        False,
    ),
    unknown_row(
        "incumbent_performing_well",
        HEALTH | {"incumbent_exists": True},
        "psr_direct_award_c",
        False,
    ),
    unknown_row(
        "considerable_change",
        HEALTH | {"incumbent_exists": True, "incumbent_performing_well": True},
        "psr_direct_award_c",
        True,
    ),
    unknown_row(
        "only_one_capable_provider",
        HEALTH | {"incumbent_exists": True},
        "psr_direct_award_a",
        False,
    ),
    unknown_row(
        "only_one_capable_provider", HEALTH | {"incumbent_exists": True}, "psr_competitive", True
    ),
    unknown_row("only_one_capable_provider", M1, "direct_award_schedule5", False),
    unknown_row("patient_choice_applies", HEALTH, "psr_direct_award_b", False),
    unknown_row("patient_choice_applies", HEALTH, "psr_most_suitable_provider", True),
    unknown_row("innovation_required", M1, "innovation_partnership", False),
    unknown_row(
        "outcomes_measurable", {"social_investor_interest": True}, "social_outcomes_contract", False
    ),
    unknown_row("social_investor_interest", {}, "social_investment", False),
    unknown_row(
        "mutual_eligible", LT800 | {"reservable_for_mutuals": True}, "reserved_mutual_s33", False
    ),
    unknown_row("counterparty_is_public_body", {}, "public_public_cooperation", False),
    unknown_row(
        "counterparty_is_public_body",
        {"social_investor_interest": True},
        "social_investment",
        True,
    ),
    unknown_row("multiple_providers_to_integrate", {}, "alliance_contract", False),
    unknown_row("novel_or_prototype", M1, "direct_award_schedule5", False),
    unknown_row("extreme_urgency_unforeseeable", M1, "direct_award_schedule5", False),
]


@pytest.mark.parametrize(("field", "changes", "code", "closes_when"), UNKNOWN_SCENARIOS)
def test_not_sure_makes_a_dependent_route_available_if_it_is_found_out(
    field, changes, code, closes_when
):
    route = by_code(run(**{**changes, field: "unknown"}))[code]
    assert route["status"] == IF
    find_out = [c for c in route["conditions_to_confirm"] if c["rule"].endswith(f".{field}")]
    assert find_out and find_out[0]["text"].startswith("Find out whether")
    if closes_when is not None:
        closed = by_code(run(**{**changes, field: closes_when}))[code]
        assert closed["status"] == NO
        assert closed["would_change"] and closed["would_change"][0].startswith("This route")


def test_the_scenario_table_covers_every_question_that_takes_unknown():
    covered = {p.values[0] for p in UNKNOWN_SCENARIOS}
    assert covered == set(QUESTIONS_TAKING_UNKNOWN)


def test_the_result_lists_the_answers_given_as_unknown():
    result = run(innovation_required="unknown", social_investor_interest="unknown")
    assert result["unknown_answers"] == ["innovation_required", "social_investor_interest"]


def test_a_no_to_investors_closes_social_investment_and_says_what_would_open_it():
    route = by_code(run(social_investor_interest=False))["social_investment"]
    assert route["status"] == NO
    assert "social investors" in route["would_change"][0]


def test_unknown_light_touch_between_the_two_thresholds_asks_to_find_out():
    # £400,000: above the goods and services threshold, below the light touch threshold.
    routes = by_code(run(light_touch_service="unknown", estimated_value_pence=pounds(400_000)))
    assert routes["open_procedure"]["status"] == IF
    assert any(
        c["rule"].endswith(".light_touch_service")
        for c in routes["open_procedure"]["conditions_to_confirm"]
    )
    assert routes["light_touch_flexible"]["status"] == NO


def test_a_dependent_answer_cannot_be_unknown_when_what_it_depends_on_is_no():
    with pytest.raises(AnswerError) as caught:
        parse_answers(answers(incumbent_exists=False, incumbent_performing_well="unknown"))
    assert caught.value.field == "incumbent_performing_well"


# -- the law settled by section 1.1 ------------------------------------------------------------


def threshold_row(name: str, changes: dict[str, Any], figure: float, code: str = "open_procedure"):
    """At the figure the route is open; a penny under it is not."""
    return pytest.param(changes, figure, code, id=name)


SETTLED = [
    threshold_row("sub-central 2016 £164,176", {"decision_date": "2016-06-01"}, 164_176),
    threshold_row("sub-central 2018 £181,302", {"decision_date": "2018-06-01"}, 181_302),
    threshold_row("sub-central 2020 £189,330", {"decision_date": "2020-06-01"}, 189_330),
    threshold_row("sub-central 2022 £213,477", {"decision_date": "2022-06-01"}, 213_477),
    threshold_row("sub-central 2024 £214,904", {"decision_date": "2024-06-01"}, 214_904),
    threshold_row(
        "central 2016 £106,047",
        {"decision_date": "2016-06-01", "authority_type": "central_government"},
        106_047,
    ),
    threshold_row(
        "central 2020 £122,976",
        {"decision_date": "2020-06-01", "authority_type": "central_government"},
        122_976,
    ),
    threshold_row(
        "central 2022 £138,760",
        {"decision_date": "2022-06-01", "authority_type": "central_government"},
        138_760,
    ),
    threshold_row(
        "works 2016 £4,104,394", {"decision_date": "2016-06-01", "subject": "works"}, 4_104_394
    ),
    threshold_row(
        "works 2018 £4,551,413", {"decision_date": "2018-06-01", "subject": "works"}, 4_551_413
    ),
    threshold_row(
        "works 2020 £4,733,252", {"decision_date": "2020-06-01", "subject": "works"}, 4_733_252
    ),
    threshold_row(
        "works 2022 £5,336,937", {"decision_date": "2022-06-01", "subject": "works"}, 5_336_937
    ),
    threshold_row(
        "light touch 2016 £589,148",
        {"decision_date": "2016-06-01", "light_touch_service": True},
        589_148,
        "light_touch_flexible",
    ),
    threshold_row(
        "light touch 2018 £615,278",
        {"decision_date": "2018-06-01", "light_touch_service": True},
        615_278,
        "light_touch_flexible",
    ),
    threshold_row(
        "light touch 2020 £663,540",
        {"decision_date": "2020-06-01", "light_touch_service": True},
        663_540,
        "light_touch_flexible",
    ),
    # NHS trusts are central government authorities; foundation trusts from August 2021.
    threshold_row(
        "NHS trust 2020 uses the central £122,976",
        {"decision_date": "2020-06-01", "authority_type": "nhs_trust"},
        122_976,
    ),
    threshold_row(
        "NHS trust 2024 uses the central £139,688",
        {"decision_date": "2024-06-01", "authority_type": "nhs_trust"},
        139_688,
    ),
    threshold_row(
        "foundation trust July 2021 is still sub-central £189,330",
        {"decision_date": "2021-07-31", "authority_type": "nhs_foundation_trust"},
        189_330,
    ),
    threshold_row(
        "foundation trust from 1 August 2021 uses the central £122,976",
        {"decision_date": "2021-08-01", "authority_type": "nhs_foundation_trust"},
        122_976,
    ),
    threshold_row(
        "foundation trust 2022 uses the central £138,760",
        {"decision_date": "2022-06-01", "authority_type": "nhs_foundation_trust"},
        138_760,
    ),
]


@pytest.mark.parametrize(("changes", "figure", "code"), SETTLED)
def test_settled_thresholds_either_side(changes, figure, code):
    at = by_code(run(**changes, estimated_value_pence=pounds(figure)))[code]
    under = by_code(run(**changes, estimated_value_pence=pounds(figure) - 1))[code]
    assert at["status"] == A
    assert under["status"] == NO
    assert not any("threshold used" in u for u in at["unconfirmed"])


def _notifiable(result: dict[str, Any]) -> bool:
    route = by_code(result)["below_threshold_competition"]
    return any(r["rule"].endswith(".notifiable") for r in route["reasons"])


@pytest.mark.parametrize(
    ("authority", "figure"),
    [("local_authority", 25_000), ("nhs_trust", 10_000), ("central_government", 10_000)],
)
def test_below_threshold_notice_from_25000_or_10000_before_the_act(authority, figure):
    changes = {"decision_date": "2023-06-01", "authority_type": authority}
    assert _notifiable(run(**changes, estimated_value_pence=pounds(figure)))
    assert not _notifiable(run(**changes, estimated_value_pence=pounds(figure) - 1))


def test_foundation_trust_notices_follow_the_august_2021_change():
    july = {"decision_date": "2021-07-31", "authority_type": "nhs_foundation_trust"}
    august = {"decision_date": "2021-08-01", "authority_type": "nhs_foundation_trust"}
    assert not _notifiable(run(**july, estimated_value_pence=pounds(20_000)))
    assert _notifiable(run(**august, estimated_value_pence=pounds(20_000)))


def test_other_nhs_bodies_are_sub_central_and_flagged_as_unconfirmed():
    route = by_code(run(authority_type="nhs_body", estimated_value_pence=pounds(207_720)))[
        "open_procedure"
    ]
    assert route["status"] == A
    assert any("integrated care boards" in u for u in route["unconfirmed"])


def test_nhs_trusts_under_the_act_carry_the_unchecked_definition_as_unconfirmed():
    route = by_code(run(authority_type="nhs_trust", estimated_value_pence=pounds(135_018)))[
        "open_procedure"
    ]
    assert route["status"] == A
    assert any("Procurement Act 2023" in u for u in route["unconfirmed"])
