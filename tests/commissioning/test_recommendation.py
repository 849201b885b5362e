"""The recommendation: a route and two alternatives from the open routes, with reasons, that
change with the answers and with the aims the service puts first."""

from __future__ import annotations

from tests.commissioning.factories import pounds, run

# The wellbeing service: £1.2m over three years, light touch, several providers.
WELLBEING = {
    "estimated_value_pence": pounds(1_200_000),
    "duration_months": 36,
    "light_touch_service": True,
    "multiple_providers_to_integrate": True,
}


def top(**answers) -> list[str]:
    return [r["code"] for r in run(**answers)["recommendation"]]


def test_a_recommended_route_and_two_alternatives_each_with_reasons_and_next_steps():
    result = run(**WELLBEING)
    rec = result["recommendation"]
    assert len(rec) == 3
    open_codes = {r["code"] for r in result["routes"] if r["status"] != "not_available"}
    assert {r["code"] for r in rec} <= open_codes
    for r in rec:
        assert r["why"] and r["next"]["timeline"]
        assert 0 <= r["fit"] <= 100
    assert [r["fit"] for r in rec] == sorted((r["fit"] for r in rec), reverse=True)


def test_the_aims_change_the_recommended_route():
    assert top(**WELLBEING)[0] == "light_touch_flexible"
    assert top(**WELLBEING, aims=["trust", "flexibility"])[0] == "alliance_contract"


def test_the_answers_change_the_recommended_route():
    assert top(**WELLBEING, aims=["trust"])[0] == "alliance_contract"
    no_partners = {**WELLBEING, "multiple_providers_to_integrate": False}
    assert "alliance_contract" not in top(**no_partners, aims=["trust"])
    assert top(estimated_value_pence=pounds(50_000))[0] == "below_threshold_competition"
    assert top(council_receives_services=False, estimated_value_pence=pounds(50_000))[0] == "grant"


def test_the_reasons_name_the_aims_the_route_fits():
    rec = run(**WELLBEING, aims=["trust"])["recommendation"][0]
    assert any("Trust" in w for w in rec["why"])


def test_not_sure_answers_count_against_a_route_until_found_out():
    sure = run(**WELLBEING, aims=["trust"])["recommendation"]
    unsure = run(**{**WELLBEING, "multiple_providers_to_integrate": "unknown"}, aims=["trust"])[
        "recommendation"
    ]
    fit = {r["code"]: r["fit"] for r in sure}
    fit_unsure = {r["code"]: r["fit"] for r in unsure}
    assert fit_unsure.get("alliance_contract", 0) < fit["alliance_contract"]
