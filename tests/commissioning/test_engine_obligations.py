"""Obligations and figures that turn on a date or a value, and what the engine promises about
every result: each route once, deterministic, rules version recorded, unconfirmed law flagged."""

from __future__ import annotations

import json

import pytest

from commonground.commissioning.catalogue import ROUTE_CODES, rules
from tests.commissioning.factories import by_code, pounds, run

GRANT = {"council_receives_services": False, "recipient_carries_on_economic_activity": True}


def obligation_texts(route: dict) -> str:
    return " | ".join(o["text"] for o in route["obligations"])


@pytest.mark.parametrize(
    ("day", "expected"), [("2026-03-24", False), ("2026-03-25", True)], ids=["before", "from"]
)
def test_welsh_socially_responsible_procurement_duty_from_25_march_2026(day, expected):
    route = by_code(run(nation="wales", decision_date=day, estimated_value_pence=pounds(500_000)))[
        "open_procedure"
    ]
    assert ("Social Partnership and Public Procurement" in obligation_texts(route)) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [(pounds(4_000_000), True), (pounds(4_000_000) - 1, False)]
)
def test_scottish_community_benefits_from_four_million(value, expected):
    route = by_code(run(nation="scotland", estimated_value_pence=value))["open_procedure"]
    assert ("community benefit" in obligation_texts(route)) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [(pounds(5_000_000) + 1, True), (pounds(5_000_000), False)]
)
def test_kpis_published_for_contracts_over_five_million(value, expected):
    route = by_code(run(estimated_value_pence=value))["open_procedure"]
    assert ("set at least 3 KPIs" in obligation_texts(route)) is expected


@pytest.mark.parametrize(
    ("value", "expected"), [(pounds(100_000) + 1, True), (pounds(100_000), False)]
)
def test_mfa_over_one_hundred_thousand_goes_on_the_database(value, expected):
    route = by_code(run(**GRANT, estimated_value_pence=value))[
        "subsidy_minimal_financial_assistance"
    ]
    assert route["status"] == "available"
    assert ("upload it to the subsidy database" in obligation_texts(route)) is expected


@pytest.mark.parametrize(
    ("day", "value", "expected"),
    [
        ("2025-08-03", pounds(20_000_000), True),  # £10m referral threshold then
        ("2025-08-04", pounds(20_000_000), False),  # £25m from 4 August 2025
        ("2025-08-04", pounds(25_000_000), True),
    ],
)
def test_subsidies_of_particular_interest_referral_threshold_by_date(day, value, expected):
    route = by_code(run(**GRANT, decision_date=day, estimated_value_pence=value))[
        "subsidy_principles_assessment"
    ]
    assert ("CMA Subsidy Advice Unit" in obligation_texts(route)) is expected


@pytest.mark.parametrize(("day", "expected"), [("2026-01-11", False), ("2026-01-12", True)])
def test_community_and_regeneration_streamlined_route_from_12_january_2026(day, expected):
    route = by_code(run(**GRANT, decision_date=day, estimated_value_pence=pounds(500_000)))[
        "subsidy_principles_assessment"
    ]
    cited = {c["rule"] for c in route["conditions_to_confirm"]}
    assert ("subsidy_principles_assessment.streamlined" in cited) is expected


def test_spei_over_the_assistance_limit_says_only_an_spei_subsidy_is_possible():
    route = by_code(run(**GRANT, estimated_value_pence=pounds(725_000) + 1))["subsidy_spei"]
    assert route["status"] == "available_if"
    assert "only an SPEI subsidy" in route["reasons"][1]["text"]


def test_light_touch_contracts_have_no_mandatory_standstill():
    route = by_code(run(light_touch_service=True, estimated_value_pence=pounds(700_000)))[
        "light_touch_flexible"
    ]
    assert "mandatory standstill does not apply" in obligation_texts(route)
    assert any(o["kind"] == "notice" for o in route["obligations"])


def test_psr_direct_award_c_obligations_are_intention_notice_and_standstill():
    route = by_code(
        run(is_health_care_service=True, incumbent_exists=True, incumbent_performing_well=True)
    )["psr_direct_award_c"]
    kinds = [o["kind"] for o in route["obligations"]]
    assert "standstill" in kinds
    assert "intention-to-award" in obligation_texts(route)


def test_pcr_era_routes_take_pcr_obligations_not_act_notices():
    route = by_code(run(decision_date="2019-06-01", estimated_value_pence=pounds(500_000)))[
        "open_procedure"
    ]
    assert route["regime"] == "pcr2015"
    assert "transparency notice" not in obligation_texts(route)
    assert "PCR 2015" in obligation_texts(route)


def test_every_result_lists_every_route_once_in_catalogue_order():
    result = run()
    assert [r["code"] for r in result["routes"]] == list(ROUTE_CODES)
    assert sum(result["counts"].values()) == 27


def test_the_engine_gives_the_same_result_in_every_process(printed_by_fresh_processes):
    here = json.loads(json.dumps(run(light_touch_service=True), default=str))
    code = (
        "from tests.commissioning.factories import run\n"
        "print(json.dumps(run(light_touch_service=True), default=str))"
    )
    assert printed_by_fresh_processes(code) == [here, here]


def test_result_records_rules_version_and_the_figures_used():
    result = run(decision_date="2025-12-31", estimated_value_pence=pounds(210_000))
    assert result["rules_version"] == rules().version
    figure = next(f for f in result["figures"] if f["key"] == "goods_services_sub_central")
    assert figure["value"] == pounds(214_904)
    assert figure["applies_from"] == "2024-01-01"


def test_not_available_routes_have_reasons_and_no_obligations():
    for route in run()["routes"]:
        assert route["reasons"], route["code"]
        if route["status"] == "not_available":
            assert route["obligations"] == []


def test_every_available_route_cites_a_legal_basis_with_a_link():
    for route in run(light_touch_service=True, estimated_value_pence=pounds(700_000))["routes"]:
        assert route["legal_basis"]
        assert all(b["url"].startswith("http") for b in route["legal_basis"])


def test_unconfirmed_law_is_flagged_on_the_routes_that_rest_on_it():
    routes = by_code(
        run(
            counterparty_is_public_body=True,
            incumbent_exists=True,
            is_health_care_service=True,
            incumbent_performing_well=True,
        )
    )
    assert routes["public_public_cooperation"]["rests_on_unconfirmed"]
    assert any("percentage" in u for u in routes["public_public_cooperation"]["unconfirmed"])
    assert routes["psr_direct_award_c"]["rests_on_unconfirmed"]
    assert any("25%" in u for u in routes["psr_direct_award_c"]["unconfirmed"])


def test_pcr_2015_thresholds_settled_by_the_fact_base_are_no_longer_flagged():
    for day in ("2016-06-01", "2019-06-01", "2021-06-01", "2023-06-01"):
        route = by_code(run(decision_date=day, estimated_value_pence=pounds(500_000)))[
            "open_procedure"
        ]
        assert not any("threshold used" in u for u in route["unconfirmed"]), day


def test_the_2018_central_government_threshold_is_still_flagged_as_unverified():
    route = by_code(
        run(
            decision_date="2019-06-01",
            authority_type="central_government",
            estimated_value_pence=pounds(500_000),
        )
    )["open_procedure"]
    assert any("threshold used" in u for u in route["unconfirmed"])


def test_2026_thresholds_are_confirmed():
    route = by_code(run(estimated_value_pence=pounds(500_000)))["open_procedure"]
    assert not any("threshold used" in u for u in route["unconfirmed"])


def test_northern_ireland_procurement_routes_say_their_specifics_are_unconfirmed():
    route = by_code(run(nation="northern_ireland", estimated_value_pence=pounds(500_000)))[
        "open_procedure"
    ]
    assert route["status"] == "available"
    assert any("Northern Ireland" in u for u in route["unconfirmed"])


def test_national_procurement_policy_statement_is_for_england_not_wales():
    england = by_code(run(estimated_value_pence=pounds(500_000)))["open_procedure"]
    wales = by_code(run(nation="wales", estimated_value_pence=pounds(500_000)))["open_procedure"]
    assert "National Procurement Policy Statement" in obligation_texts(england)
    assert "National Procurement Policy Statement" not in obligation_texts(wales)
