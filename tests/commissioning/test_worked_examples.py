"""The two real cases in the issue's 'Done when'."""

from __future__ import annotations

from tests.commissioning.factories import by_code, oldham_2019, pounds, run

A, IF, NO = "available", "available_if", "not_available"


def test_social_prescribing_2019_is_under_the_2015_regulations():
    result = oldham_2019()
    assert result["regime"] == "pcr2015"
    assert result["psr_applies"] is False


def test_social_prescribing_2019_routes():
    routes = by_code(oldham_2019())
    assert {code: r["status"] for code, r in routes.items() if r["status"] != NO} == {
        "open_procedure": A,
        "light_touch_flexible": A,
        "innovation_partnership": A,
        "alliance_contract": A,
        "reserved_mutual_s33": IF,
        "framework_call_off": IF,
        "community_right_to_challenge": IF,
        "social_outcomes_contract": IF,
        "social_investment": IF,
        "integrated_community_partnership": IF,
    }
    # Not yet law in 2019: the Act's procedures, the PSR, the Subsidy Control Act.
    for code in (
        "competitive_flexible",
        "psr_direct_award_c",
        "psr_competitive",
        "subsidy_minimal_financial_assistance",
    ):
        assert routes[code]["status"] == NO
    assert routes["grant"]["status"] == NO  # the council receives the service


def test_social_prescribing_2019_explains_the_threshold_and_the_reg_77_term():
    routes = by_code(oldham_2019())
    lt = routes["light_touch_flexible"]
    assert any("£615,278" in r["text"] for r in lt["reasons"])
    assert any("PCR 2015 reg 75" in o["text"] for o in lt["obligations"])
    mutual = routes["reserved_mutual_s33"]
    assert any("36 months" in r["text"] for r in mutual["reasons"])
    assert mutual["legal_basis"][0]["citation"].startswith("Public Contracts Regulations 2015")
    # The 2018 light touch figure is settled by the fact base (section 1.1).
    assert not any("threshold used" in u for u in lt["unconfirmed"])


def community_centre_today():
    """A council leases its community centre to a community group for 25 years at a rent
    £150,000 below market value; the group hires out rooms (economic activity)."""
    return run(
        decision_date="2026-11-27",
        council_receives_services=False,
        estimated_value_pence=0,
        duration_months=300,
        involves_land_or_building=True,
        asset_undervalue_pence=pounds(150_000),
        recipient_carries_on_economic_activity=True,
    )


def test_community_centre_lease_at_an_undervalue_today():
    routes = by_code(community_centre_today())
    assert routes["community_asset_transfer"]["status"] == A
    assert routes["subsidy_minimal_financial_assistance"]["status"] == A
    assert routes["community_right_to_bid"]["status"] == IF
    assert routes["grant"]["status"] == NO
    for code in ("open_procedure", "below_threshold_direct", "psr_competitive"):
        assert routes[code]["status"] == NO


def test_community_centre_reasons_and_obligations():
    routes = by_code(community_centre_today())
    cat = routes["community_asset_transfer"]
    assert any("£150,000" in r["text"] and "£2,000,000" in r["text"] for r in cat["reasons"])
    texts = " ".join(o["text"] for o in cat["obligations"])
    assert "valuation advice" in texts
    mfa = routes["subsidy_minimal_financial_assistance"]
    assert any("upload it to the subsidy database" in o["text"] for o in mfa["obligations"])
