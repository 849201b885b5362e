"""Scenarios written from the law fact base (../shared/docs/commissioning-law.md): what a
commissioner can rely on the engine to say. Each row: the answers that differ from a council
buying services in England, and the status some routes must have (plus, where the law turns on
it, a rule the reasons must cite)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.commissioning.factories import by_code, pounds, run

A, IF, NO = "available", "available_if", "not_available"

LT = {"light_touch_service": True}
HEALTH = {"is_health_care_service": True, "decision_date": "2026-06-01"}
GRANT = {"council_receives_services": False, "recipient_carries_on_economic_activity": True}
LAND = {
    "council_receives_services": False,
    "estimated_value_pence": 0,
    "involves_land_or_building": True,
    "duration_months": 300,
}
MUTUAL = {
    "light_touch_service": True,
    "reservable_for_mutuals": True,
    "mutual_eligible": True,
    "estimated_value_pence": pounds(800_000),
}


def row(name: str, changes: dict[str, Any], expect: dict[str, str], cites: tuple[str, ...] = ()):
    return pytest.param(changes, expect, cites, id=name)


SCENARIOS = [
    # -- goods and services threshold, sub-central, either side of 1 January 2026 -----------
    row(
        "sub-central at £214,904 on 31 Dec 2025 is covered",
        {"decision_date": "2025-12-31", "estimated_value_pence": pounds(214_904)},
        {"open_procedure": A, "below_threshold_competition": NO},
    ),
    row(
        "sub-central a penny under £214,904 on 31 Dec 2025 is below threshold",
        {"decision_date": "2025-12-31", "estimated_value_pence": pounds(214_904) - 1},
        {"open_procedure": NO, "below_threshold_competition": A},
    ),
    row(
        "sub-central at £207,720 on 1 Jan 2026 is covered",
        {"decision_date": "2026-01-01", "estimated_value_pence": pounds(207_720)},
        {"open_procedure": A, "competitive_flexible": A, "below_threshold_direct": NO},
    ),
    row(
        "sub-central a penny under £207,720 on 1 Jan 2026 is below threshold",
        {"decision_date": "2026-01-01", "estimated_value_pence": pounds(207_720) - 1},
        {"open_procedure": NO, "below_threshold_direct": IF},
    ),
    row(
        "£210,000 is below the old threshold on 31 Dec 2025",
        {"decision_date": "2025-12-31", "estimated_value_pence": pounds(210_000)},
        {"open_procedure": NO, "below_threshold_competition": A},
    ),
    row(
        "£210,000 is above the new threshold on 1 Jan 2026",
        {"decision_date": "2026-01-01", "estimated_value_pence": pounds(210_000)},
        {"open_procedure": A, "below_threshold_competition": NO},
    ),
    # -- central government ------------------------------------------------------------------
    row(
        "central government at £135,018 in 2026 is covered",
        {
            "authority_type": "central_government",
            "decision_date": "2026-01-01",
            "estimated_value_pence": pounds(135_018),
        },
        {"open_procedure": A},
    ),
    row(
        "central government a penny under £135,018 is below threshold",
        {
            "authority_type": "central_government",
            "decision_date": "2026-01-01",
            "estimated_value_pence": pounds(135_018) - 1,
        },
        {"open_procedure": NO, "below_threshold_competition": A},
    ),
    row(
        "central government £136,000 on 31 Dec 2025 is below the old £139,688",
        {
            "authority_type": "central_government",
            "decision_date": "2025-12-31",
            "estimated_value_pence": pounds(136_000),
        },
        {"open_procedure": NO},
    ),
    row(
        "central government £136,000 on 2 Jan 2026 is covered",
        {
            "authority_type": "central_government",
            "decision_date": "2026-01-02",
            "estimated_value_pence": pounds(136_000),
        },
        {"open_procedure": A},
    ),
    # -- works -------------------------------------------------------------------------------
    row(
        "works at £5,193,000 in 2026 are covered",
        {
            "subject": "works",
            "decision_date": "2026-01-01",
            "estimated_value_pence": pounds(5_193_000),
        },
        {"open_procedure": A},
    ),
    row(
        "works a penny under £5,193,000 are below threshold",
        {
            "subject": "works",
            "decision_date": "2026-01-01",
            "estimated_value_pence": pounds(5_193_000) - 1,
        },
        {"open_procedure": NO, "below_threshold_competition": A},
    ),
    row(
        "works at £5,300,000 on 31 Dec 2025 are below the old £5,372,609",
        {
            "subject": "works",
            "decision_date": "2025-12-31",
            "estimated_value_pence": pounds(5_300_000),
        },
        {"open_procedure": NO},
    ),
    row(
        "works at £5,300,000 on 1 Jan 2026 are covered",
        {
            "subject": "works",
            "decision_date": "2026-01-01",
            "estimated_value_pence": pounds(5_300_000),
        },
        {"open_procedure": A},
    ),
    # -- light touch -------------------------------------------------------------------------
    row(
        "light touch at £663,540 uses the light touch regime",
        {**LT, "decision_date": "2026-02-01", "estimated_value_pence": pounds(663_540)},
        {"light_touch_flexible": A, "below_threshold_competition": NO},
        ("light_touch_flexible.above_light_touch_threshold",),
    ),
    row(
        "light touch a penny under £663,540 is below threshold",
        {**LT, "decision_date": "2026-02-01", "estimated_value_pence": pounds(663_540) - 1},
        {"light_touch_flexible": NO, "below_threshold_competition": A, "open_procedure": NO},
    ),
    row(
        "light touch threshold is unchanged on 31 Dec 2025",
        {**LT, "decision_date": "2025-12-31", "estimated_value_pence": pounds(663_540)},
        {"light_touch_flexible": A},
    ),
    row(
        "not a light touch service: the light touch regime is not available",
        {"estimated_value_pence": pounds(700_000)},
        {"light_touch_flexible": NO, "open_procedure": A},
    ),
    # -- notifiable below-threshold contracts ------------------------------------------------
    row(
        "a council contract of £30,000 is notifiable",
        {"estimated_value_pence": pounds(30_000)},
        {"below_threshold_competition": A},
        ("below_threshold_competition.notifiable",),
    ),
    row(
        "central government contract of £12,000 is notifiable",
        {"authority_type": "central_government", "estimated_value_pence": pounds(12_000)},
        {"below_threshold_competition": A},
        ("below_threshold_competition.notifiable",),
    ),
    # -- which law on which date -------------------------------------------------------------
    row(
        "23 Feb 2025: PCR 2015, no competitive flexible procedure",
        {"decision_date": "2025-02-23", "estimated_value_pence": pounds(500_000)},
        {"competitive_flexible": NO, "open_procedure": A},
        ("competitive_flexible.regime",),
    ),
    row(
        "24 Feb 2025: Procurement Act, competitive flexible procedure",
        {"decision_date": "2025-02-24", "estimated_value_pence": pounds(500_000)},
        {"competitive_flexible": A},
    ),
    row(
        "Scotland stays under its 2015 Regulations",
        {"nation": "scotland", "estimated_value_pence": pounds(500_000)},
        {"competitive_flexible": NO, "open_procedure": A},
        ("competitive_flexible.regime",),
    ),
    row(
        "Wales uses the same figures from 1 Jan 2026",
        {
            "nation": "wales",
            "decision_date": "2026-01-01",
            "estimated_value_pence": pounds(207_720),
        },
        {"open_procedure": A, "competitive_flexible": A},
    ),
    row(
        "Scotland £60,000 services: regulated procurement, direct award to confirm",
        {"nation": "scotland", "estimated_value_pence": pounds(60_000)},
        {"below_threshold_direct": IF, "below_threshold_competition": A},
    ),
    # -- Provider Selection Regime -----------------------------------------------------------
    row(
        "PSR: only capable incumbent must get direct award A",
        {**HEALTH, "incumbent_exists": True, "only_one_capable_provider": True},
        {
            "psr_direct_award_a": A,
            "psr_direct_award_c": NO,
            "psr_most_suitable_provider": NO,
            "psr_competitive": NO,
            "open_procedure": NO,
            "light_touch_flexible": NO,
        },
    ),
    row(
        "PSR: patient choice must use direct award B",
        {**HEALTH, "patient_choice_applies": True},
        {
            "psr_direct_award_b": A,
            "psr_direct_award_a": NO,
            "psr_direct_award_c": NO,
            "psr_competitive": NO,
        },
    ),
    row(
        "PSR: good incumbent, no considerable change, direct award C",
        {**HEALTH, "incumbent_exists": True, "incumbent_performing_well": True},
        {
            "psr_direct_award_c": IF,
            "psr_most_suitable_provider": IF,
            "psr_competitive": A,
            "psr_direct_award_a": NO,
            "psr_direct_award_b": NO,
        },
        ("psr_direct_award_c.no_considerable_change",),
    ),
    row(
        "PSR: a considerable change rules out direct award C",
        {
            **HEALTH,
            "incumbent_exists": True,
            "incumbent_performing_well": True,
            "considerable_change": True,
        },
        {"psr_direct_award_c": NO, "psr_most_suitable_provider": IF, "psr_competitive": A},
    ),
    row(
        "PSR: an incumbent not performing rules out direct award C",
        {**HEALTH, "incumbent_exists": True},
        {"psr_direct_award_c": NO},
        ("psr_direct_award_c.incumbent_satisfying",),
    ),
    row(
        "PSR: a new service, most suitable provider or competition",
        {**HEALTH},
        {
            "psr_direct_award_a": NO,
            "psr_direct_award_b": NO,
            "psr_direct_award_c": NO,
            "psr_most_suitable_provider": IF,
            "psr_competitive": A,
            "framework_call_off": IF,
        },
    ),
    row(
        "PSR not in force on 31 Dec 2023: health care procured under PCR",
        {**HEALTH, **LT, "decision_date": "2023-12-31", "estimated_value_pence": pounds(1_000_000)},
        {"psr_competitive": NO, "psr_most_suitable_provider": NO, "light_touch_flexible": A},
        ("psr_competitive.psr_applies",),
    ),
    row(
        "PSR in force on 1 Jan 2024",
        {**HEALTH, "decision_date": "2024-01-01", "estimated_value_pence": pounds(1_000_000)},
        {"psr_competitive": A, "light_touch_flexible": NO, "open_procedure": NO},
    ),
    row(
        "PSR does not apply in Wales",
        {**HEALTH, **LT, "nation": "wales", "estimated_value_pence": pounds(1_000_000)},
        {"psr_competitive": NO, "light_touch_flexible": A},
    ),
    row(
        "PSR does not apply in Scotland",
        {**HEALTH, "nation": "scotland", "estimated_value_pence": pounds(1_000_000)},
        {"psr_competitive": NO, "psr_most_suitable_provider": NO, "open_procedure": A},
    ),
    row(
        "PSR: central government is not a relevant authority",
        {**HEALTH, "authority_type": "central_government"},
        {"psr_competitive": NO},
    ),
    row(
        "PSR: an NHS body is a relevant authority",
        {**HEALTH, "authority_type": "nhs_body"},
        {"psr_competitive": A},
    ),
    # -- grant versus contract ---------------------------------------------------------------
    row(
        "a gift with conditions is a grant, not a procurement",
        {"council_receives_services": False, "estimated_value_pence": pounds(50_000)},
        {
            "grant": A,
            "open_procedure": NO,
            "below_threshold_competition": NO,
            "below_threshold_direct": NO,
            "framework_call_off": NO,
            "psr_competitive": NO,
        },
        ("open_procedure.is_contract", "grant.no_services_in_return"),
    ),
    row(
        "services received in return make it a contract, not a grant",
        {"estimated_value_pence": pounds(50_000)},
        {"grant": NO, "below_threshold_competition": A},
    ),
    row(
        "no money paid: no grant",
        {"council_receives_services": False, "estimated_value_pence": 0},
        {"grant": NO},
    ),
    # -- subsidy limits ----------------------------------------------------------------------
    row(
        "MFA: a £315,000 grant is within the limit",
        {**GRANT, "estimated_value_pence": pounds(315_000)},
        {"subsidy_minimal_financial_assistance": A, "subsidy_principles_assessment": A},
    ),
    row(
        "MFA: a penny over £315,000 needs another subsidy route",
        {**GRANT, "estimated_value_pence": pounds(315_000) + 1},
        {"subsidy_minimal_financial_assistance": NO, "subsidy_principles_assessment": A},
    ),
    row(
        "MFA counts earlier assistance in the three-year window",
        {
            **GRANT,
            "estimated_value_pence": pounds(200_000),
            "prior_subsidy_pence_3y": pounds(115_000) + 1,
        },
        {"subsidy_minimal_financial_assistance": NO},
    ),
    row(
        "MFA: £200,000 plus £115,000 earlier is exactly the limit",
        {
            **GRANT,
            "estimated_value_pence": pounds(200_000),
            "prior_subsidy_pence_3y": pounds(115_000),
        },
        {"subsidy_minimal_financial_assistance": A},
    ),
    row(
        "SPEI assistance: £725,000 in the window is within the limit",
        {**GRANT, "estimated_value_pence": pounds(725_000)},
        {"subsidy_spei": IF, "subsidy_minimal_financial_assistance": NO},
        ("subsidy_spei.spei_service",),
    ),
    row(
        "a recipient with no economic activity gets no subsidy",
        {"council_receives_services": False, "estimated_value_pence": pounds(400_000)},
        {
            "subsidy_minimal_financial_assistance": NO,
            "subsidy_spei": NO,
            "subsidy_principles_assessment": NO,
            "grant": A,
        },
        ("subsidy_minimal_financial_assistance.enterprise",),
    ),
    row(
        "3 Jan 2023: before the Subsidy Control Act regime",
        {**GRANT, "decision_date": "2023-01-03"},
        {"subsidy_minimal_financial_assistance": NO, "subsidy_principles_assessment": NO},
        ("subsidy_minimal_financial_assistance.in_force",),
    ),
    row(
        "4 Jan 2023: the Subsidy Control Act regime applies",
        {**GRANT, "decision_date": "2023-01-04"},
        {"subsidy_minimal_financial_assistance": A},
    ),
    row(
        "a contract with no grant or discount is not a subsidy",
        {"recipient_carries_on_economic_activity": True},
        {"subsidy_minimal_financial_assistance": NO, "subsidy_principles_assessment": NO},
        ("subsidy_principles_assessment.subsidy",),
    ),
    # -- assets ------------------------------------------------------------------------------
    row(
        "a £2m undervalue is within the General Disposal Consent",
        {**LAND, "asset_undervalue_pence": pounds(2_000_000)},
        {"community_asset_transfer": A},
        ("community_asset_transfer.gdc_undervalue",),
    ),
    row(
        "a penny over £2m undervalue needs specific consent",
        {**LAND, "asset_undervalue_pence": pounds(2_000_000) + 1},
        {"community_asset_transfer": IF},
    ),
    row(
        "a lease of 7 years is a short tenancy outside s.123",
        {**LAND, "duration_months": 84, "asset_undervalue_pence": pounds(3_000_000)},
        {"community_asset_transfer": A},
        ("community_asset_transfer.short_tenancy",),
    ),
    row(
        "a lease of 7 years and a month is not a short tenancy",
        {**LAND, "duration_months": 85, "asset_undervalue_pence": pounds(3_000_000)},
        {"community_asset_transfer": IF},
    ),
    row(
        "asset transfer in Wales rests on a consent regime not in the fact base",
        {**LAND, "nation": "wales"},
        {"community_asset_transfer": IF, "community_right_to_bid": NO},
        ("community_asset_transfer.england_only",),
    ),
    row(
        "a listed asset of community value: the right to bid applies",
        {**LAND, "asset_listed_as_community_value": True},
        {"community_right_to_bid": A},
    ),
    row(
        "an unlisted building: the right to bid needs a listing first",
        {**LAND},
        {"community_right_to_bid": IF},
    ),
    row(
        "no building or land: no asset routes",
        {},
        {"community_asset_transfer": NO, "community_right_to_bid": NO},
    ),
    row(
        "an undervalue to a trading recipient is a subsidy to check",
        {
            **LAND,
            "asset_undervalue_pence": pounds(150_000),
            "recipient_carries_on_economic_activity": True,
        },
        {"subsidy_minimal_financial_assistance": A, "community_asset_transfer": A},
    ),
    # -- reservations ------------------------------------------------------------------------
    row(
        "mutual reservation for 60 months under the Act",
        {**MUTUAL, "duration_months": 60},
        {"reserved_mutual_s33": IF},
        ("reserved_mutual_s33.no_recent_award",),
    ),
    row(
        "mutual reservation not for 61 months",
        {**MUTUAL, "duration_months": 61},
        {"reserved_mutual_s33": NO},
        ("reserved_mutual_s33.max_term",),
    ),
    row(
        "mutual reservation under reg 77 in 2019 for 36 months",
        {**MUTUAL, "decision_date": "2019-06-01", "duration_months": 36},
        {"reserved_mutual_s33": IF},
    ),
    row(
        "mutual reservation under reg 77 not for 37 months",
        {**MUTUAL, "decision_date": "2019-06-01", "duration_months": 37},
        {"reserved_mutual_s33": NO},
    ),
    row(
        "mutual reservation not below the light touch threshold",
        {**MUTUAL, "estimated_value_pence": pounds(600_000)},
        {"reserved_mutual_s33": NO},
    ),
    row(
        "mutual reservation not when partners are not mutuals",
        {**MUTUAL, "mutual_eligible": False},
        {"reserved_mutual_s33": NO},
    ),
    row(
        "supported employment reservation at 30% of the workforce",
        {"supported_employment_share": 0.30, "estimated_value_pence": pounds(300_000)},
        {"reserved_supported_employment_s32": A},
    ),
    row(
        "supported employment reservation not at 29.99%",
        {"supported_employment_share": 0.2999, "estimated_value_pence": pounds(300_000)},
        {"reserved_supported_employment_s32": NO},
    ),
    row(
        "supported employment reservation for works too",
        {
            "subject": "works",
            "supported_employment_share": 0.5,
            "estimated_value_pence": pounds(6_000_000),
        },
        {"reserved_supported_employment_s32": A},
    ),
    # -- direct award ------------------------------------------------------------------------
    row(
        "no Schedule 5 ground: no direct award",
        {"estimated_value_pence": pounds(300_000)},
        {"direct_award_schedule5": NO},
    ),
    row(
        "novel prototype: direct award to confirm",
        {"estimated_value_pence": pounds(300_000), "novel_or_prototype": True},
        {"direct_award_schedule5": IF},
        ("direct_award_schedule5.prototype",),
    ),
    row(
        "extreme unforeseeable urgency: direct award to confirm",
        {"estimated_value_pence": pounds(300_000), "extreme_urgency_unforeseeable": True},
        {"direct_award_schedule5": IF},
        ("direct_award_schedule5.urgency",),
    ),
    row(
        "light touch user choice: direct award to confirm",
        {**LT, "estimated_value_pence": pounds(700_000)},
        {"direct_award_schedule5": IF},
        ("direct_award_schedule5.user_choice",),
    ),
    row(
        "single supplier under PCR 2015: regulation 32 to confirm",
        {
            "decision_date": "2024-06-01",
            "estimated_value_pence": pounds(300_000),
            "only_one_capable_provider": True,
        },
        {"direct_award_schedule5": IF},
        ("direct_award_schedule5.legacy_grounds",),
    ),
    row(
        "below threshold: direct award under standing orders, not Schedule 5",
        {"estimated_value_pence": pounds(50_000), "novel_or_prototype": True},
        {"direct_award_schedule5": NO, "below_threshold_direct": IF},
        ("below_threshold_direct.standing_orders",),
    ),
    # -- partnership, investment ------------------------------------------------------------
    row(
        "innovation under PCR 2015: the innovation partnership procedure",
        {
            "decision_date": "2024-06-01",
            "innovation_required": True,
            "estimated_value_pence": pounds(500_000),
        },
        {"innovation_partnership": A, "competitive_flexible": NO},
    ),
    row(
        "innovation below threshold: not the statutory procedure",
        {"innovation_required": True, "estimated_value_pence": pounds(100_000)},
        {"innovation_partnership": NO},
    ),
    row(
        "several providers to integrate: alliance contract",
        {"multiple_providers_to_integrate": True, "estimated_value_pence": pounds(5_000_000)},
        {"alliance_contract": A},
    ),
    row("one provider: no alliance", {}, {"alliance_contract": NO}),
    row(
        "a public counterparty: public-public co-operation to confirm",
        {"counterparty_is_public_body": True},
        {"public_public_cooperation": IF, "social_investment": NO},
        ("public_public_cooperation.activity_tests",),
    ),
    row(
        "right to challenge for an English council service",
        {},
        {"community_right_to_challenge": IF, "integrated_community_partnership": IF},
    ),
    row(
        "no right to challenge in Wales", {"nation": "wales"}, {"community_right_to_challenge": NO}
    ),
    row(
        "no right to challenge for an NHS body",
        {"authority_type": "nhs_body"},
        {"community_right_to_challenge": NO},
    ),
    row(
        "measurable outcomes and investors: social outcomes contract",
        {"outcomes_measurable": True, "social_investor_interest": True},
        {"social_outcomes_contract": A, "social_investment": A},
    ),
    row(
        "measurable outcomes, investor interest not known yet",
        {"outcomes_measurable": True, "social_investor_interest": "unknown"},
        {"social_outcomes_contract": IF, "social_investment": IF},
    ),
    row(
        "measurable outcomes but no investors interested: no outcomes contract or investment",
        {"outcomes_measurable": True, "social_investor_interest": False},
        {"social_outcomes_contract": NO, "social_investment": NO},
    ),
    row(
        "outcomes that cannot be measured: no outcomes contract",
        {},
        {"social_outcomes_contract": NO},
    ),
]


@pytest.mark.parametrize(("changes", "expect", "cites"), SCENARIOS)
def test_scenario(changes, expect, cites):
    routes = by_code(run(**changes))
    got = {code: routes[code]["status"] for code in expect}
    assert got == expect
    rules_cited = {
        r["rule"]
        for route in routes.values()
        for r in route["reasons"] + route["conditions_to_confirm"]
    }
    for rule in cites:
        assert rule in rules_cited


def test_there_are_at_least_sixty_scenarios():
    assert len(SCENARIOS) >= 60
