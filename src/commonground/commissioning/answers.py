"""The questions an appraisal asks, as one typed record. The same model validates the question
pages, the JSON API (whose OpenAPI document shows each field's description) and stored answers.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

EARLIEST_DECISION_DATE = dt.date(2016, 1, 1)

# A yes/no answer the commissioner may not know yet. "unknown" never closes a route: a route
# that turns on it is available only if it is found out (the engine says what to find out).
UNKNOWN = "unknown"
Tri = bool | Literal["unknown"]


class Nation(StrEnum):
    england = "england"
    wales = "wales"
    scotland = "scotland"
    northern_ireland = "northern_ireland"


class AuthorityType(StrEnum):
    local_authority = "local_authority"
    nhs_trust = "nhs_trust"
    nhs_foundation_trust = "nhs_foundation_trust"
    nhs_body = "nhs_body"  # another NHS body, such as an integrated care board
    central_government = "central_government"
    other_public_body = "other_public_body"


class Subject(StrEnum):
    services = "services"
    goods = "goods"
    works = "works"


class AnswerError(ValueError):
    """An unknown, missing, badly typed or inconsistent answer; names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class Answers(BaseModel):
    """What the engine needs to know about the service, the money and the partners."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    nation: Nation = Field(
        description="Nation of the commissioning authority: england, wales, scotland or "
        "northern_ireland. Scottish authorities stay under the Public Contracts (Scotland) "
        "Regulations 2015; the Provider Selection Regime is England only."
    )
    decision_date: dt.date = Field(
        description="Date the procurement or decision starts (YYYY-MM-DD). Picks the law and the "
        "thresholds in force: PCR 2015 before 24 February 2025, the Procurement Act 2023 from "
        "then; new thresholds from 1 January 2026. From 1 January 2016."
    )
    authority_type: AuthorityType = Field(
        description="Kind of public body commissioning: local_authority, nhs_trust, "
        "nhs_foundation_trust, nhs_body (another NHS body, such as an integrated care board), "
        "central_government or other_public_body. NHS trusts are central government "
        "authorities for the thresholds, and foundation trusts from 1 August 2021."
    )
    subject: Subject = Field(
        description="What is being bought or funded, mainly: services, goods or works."
    )
    is_health_care_service: Tri = Field(
        default=False,
        description="The service is a health care service (including local authority public "
        "health services such as substance use, sexual health, health visiting).",
    )
    light_touch_service: Tri = Field(
        default=False,
        description="The service is a light-touch service under Schedule 1 of the 2024 "
        "Regulations (social, health outside the PSR, education and other services to people).",
    )
    reservable_for_mutuals: Tri = Field(
        default=False,
        description="The service is marked reservable ('R') in Schedule 1 of the 2024 "
        "Regulations, so it can be reserved for public service mutuals.",
    )
    estimated_value_pence: int = Field(
        ge=0,
        le=10**14,
        description="Estimated whole-life value in pence, VAT included (all years, all options).",
    )
    duration_months: int = Field(
        ge=1, le=1200, description="Intended term of the contract, grant or lease in months."
    )
    council_receives_services: Tri = Field(
        description="True if the council receives goods, services or works in return for the "
        "payment (a contract); false for a gift with conditions on its use (a grant)."
    )
    recipient_carries_on_economic_activity: Tri = Field(
        default=False,
        description="The recipient offers goods or services on a market (so it is an "
        "'enterprise' for subsidy control).",
    )
    prior_subsidy_pence_3y: int = Field(
        default=0,
        ge=0,
        le=10**14,
        description="Minimal and SPEI financial assistance the recipient already had in the "
        "current and two previous financial years, in pence.",
    )
    involves_land_or_building: Tri = Field(
        default=False, description="A council building or land is to be transferred or leased."
    )
    asset_listed_as_community_value: Tri = Field(
        default=False,
        description="The building or land is on the council's list of assets of community value.",
    )
    asset_undervalue_pence: int = Field(
        default=0,
        ge=0,
        le=10**14,
        description="How far below market value the building or land is to be transferred or "
        "leased, in pence (0 if at market value).",
    )
    incumbent_exists: Tri = Field(
        default=False, description="An existing provider delivers this service now."
    )
    incumbent_performing_well: Tri = Field(
        default=False,
        description="The existing provider is satisfying its current contract and likely to "
        "satisfy the new one.",
    )
    considerable_change: Tri = Field(
        default=False,
        description="The new arrangement is materially different in character, or changes the "
        "authority makes raise lifetime value by £500,000 or more (PSR considerable change).",
    )
    only_one_capable_provider: Tri = Field(
        default=False,
        description="Only one provider can deliver the service (exclusive rights, technical "
        "reasons, no realistic alternative).",
    )
    patient_choice_applies: Tri = Field(
        default=False,
        description="Patients choose their provider and every qualifying provider gets a "
        "contract (PSR direct award B).",
    )
    innovation_required: Tri = Field(
        default=False,
        description="The need cannot be met by solutions already on the market.",
    )
    outcomes_measurable: Tri = Field(
        default=False,
        description="The outcomes wanted can be defined, measured and priced.",
    )
    social_investor_interest: Tri = Field(
        default=False,
        description="Social investors or community shareholders are interested in funding it.",
    )
    mutual_eligible: Tri = Field(
        default=False,
        description="Likely partners are public service mutuals: employee-controlled, "
        "not-for-profit (or distributing only to members), delivering public services.",
    )
    supported_employment_share: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share (0 to 1) of the likely providers' workforce who are disabled or "
        "disadvantaged people.",
    )
    counterparty_is_public_body: Tri = Field(
        default=False,
        description="The other party is a public body or a company the council controls.",
    )
    multiple_providers_to_integrate: Tri = Field(
        default=False,
        description="Several providers' services need to be brought together around people "
        "with overlapping needs.",
    )
    novel_or_prototype: Tri = Field(
        default=False,
        description="The service is a prototype or novel, designed at the council's request "
        "for testing, research or development.",
    )
    extreme_urgency_unforeseeable: Tri = Field(
        default=False,
        description="There is extreme urgency the council could not foresee and did not cause.",
    )
    service_name: str = Field(
        default="",
        max_length=200,
        description="Optional: the service's name, used on the page and in the decision record.",
    )
    authority_name: str = Field(
        default="",
        max_length=200,
        description="Optional: the commissioning council or body, named in the decision record.",
    )
    partners: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Optional: the likely partners, as organisation ids from the atlas "
        "(such as GB-CHC-1234567) or a shortlist.",
    )
    aims: list[str] = Field(
        default_factory=list,
        max_length=9,
        description="Optional: the partnership principles this service puts first, as keys "
        "of the nine principles (long_term_planning, integration, prevention, collaboration, "
        "communication, transparency, trust, mutuality_and_fairness, flexibility). The "
        "recommendation ranks routes by their fit with these first.",
    )


# The yes/no answers that take "unknown": every one except the facts a commissioner always knows
# (nation, decision date, authority type, subject, value and duration are not yes/no).
UNKNOWN_ALLOWED: tuple[str, ...] = tuple(
    name for name, f in Answers.model_fields.items() if f.annotation == Tri
)

# What each yes/no answer says, for reasons and for what to find out: (if yes, if no).
FACTS: dict[str, tuple[str, str]] = {
    "is_health_care_service": (
        "the service is a health care service",
        "the service is not a health care service",
    ),
    "light_touch_service": (
        "the service is a light touch service (Schedule 1 of the 2024 Regulations)",
        "the service is not a light touch service",
    ),
    "reservable_for_mutuals": (
        "the service is marked reservable ('R') in Schedule 1",
        "the service is not marked reservable in Schedule 1",
    ),
    "council_receives_services": (
        "the council receives the goods, services or works in return (a contract)",
        "the council receives nothing in return (a grant)",
    ),
    "recipient_carries_on_economic_activity": (
        "the recipient sells goods or services on a market",
        "the recipient does not sell goods or services on a market",
    ),
    "involves_land_or_building": (
        "a council building or land is to be transferred or leased",
        "no council building or land is involved",
    ),
    "asset_listed_as_community_value": (
        "the building or land is listed as an asset of community value",
        "the building or land is not listed as an asset of community value",
    ),
    "incumbent_exists": (
        "an existing provider delivers the service now",
        "no existing provider delivers the service now",
    ),
    "incumbent_performing_well": (
        "the existing provider is satisfying its contract and likely to satisfy the new one",
        "the existing provider is not satisfying its contract",
    ),
    "considerable_change": (
        "the new arrangement is considerably different",
        "the new arrangement is not considerably different",
    ),
    "only_one_capable_provider": (
        "only one provider can deliver the service",
        "more than one provider could deliver the service",
    ),
    "patient_choice_applies": (
        "patients choose their provider and every qualifying provider gets a contract",
        "patients do not choose their provider this way",
    ),
    "innovation_required": (
        "the need cannot be met by what is already on the market",
        "what is already on the market can meet the need",
    ),
    "outcomes_measurable": (
        "the outcomes can be defined, measured and priced",
        "the outcomes cannot yet be defined, measured and priced",
    ),
    "social_investor_interest": (
        "social investors or community shareholders are interested in funding it",
        "no social investors or community shareholders are interested",
    ),
    "mutual_eligible": (
        "the likely partners are public service mutuals",
        "the likely partners are not public service mutuals",
    ),
    "counterparty_is_public_body": (
        "the other party is a public body or a company the council controls",
        "the other party is not a public body",
    ),
    "multiple_providers_to_integrate": (
        "several providers' services need to be brought together",
        "there are not several providers' services to bring together",
    ),
    "novel_or_prototype": (
        "the service is a prototype or novel, designed at the council's request",
        "the service is not a prototype or novel",
    ),
    "extreme_urgency_unforeseeable": (
        "there is extreme urgency the council could not foresee and did not cause",
        "there is no unforeseeable extreme urgency",
    ),
}

# Answers that only make sense if another answer is true (or unknown): (field, needs, why).
_DEPENDS: tuple[tuple[str, str, str], ...] = (
    ("incumbent_performing_well", "incumbent_exists", "there is no existing provider"),
    ("considerable_change", "incumbent_exists", "there is no existing arrangement to change"),
    (
        "asset_listed_as_community_value",
        "involves_land_or_building",
        "no building or land is involved",
    ),
    ("reservable_for_mutuals", "light_touch_service", "reservable services are light touch"),
    ("patient_choice_applies", "is_health_care_service", "patient choice is about health care"),
)


def _check_lists(a: Answers) -> None:
    from .catalogue import PRINCIPLES

    for i, aim in enumerate(a.aims):
        if aim not in PRINCIPLES:
            raise AnswerError(f"aims.{i}", f"{aim!r} is not one of the nine principles")
    if len(set(a.aims)) != len(a.aims):
        raise AnswerError("aims", "names a principle twice")
    for i, org in enumerate(a.partners):
        if not org.strip() or len(org) > 60:
            raise AnswerError(f"partners.{i}", "must be an organisation id of 1 to 60 characters")


def check_consistency(a: Answers) -> None:
    """Raise AnswerError naming the field of the first answer that contradicts another. An
    answer that depends on another may be true or unknown only if that one is not false."""
    if a.decision_date < EARLIEST_DECISION_DATE:
        raise AnswerError(
            "decision_date",
            f"must be on or after {EARLIEST_DECISION_DATE.isoformat()}; the rules do not "
            "cover earlier dates",
        )
    if a.subject is not Subject.services:
        for name in ("is_health_care_service", "light_touch_service"):
            if getattr(a, name) is not False:
                raise AnswerError(name, f"must be false when the subject is {a.subject.value}")
    for name, needs, why in _DEPENDS:
        if getattr(a, name) is not False and getattr(a, needs) is False:
            raise AnswerError(name, f"must be false when {needs} is false ({why})")
    if a.asset_undervalue_pence and a.involves_land_or_building is False:
        raise AnswerError(
            "asset_undervalue_pence", "must be 0 when involves_land_or_building is false"
        )
    _check_lists(a)


def parse_answers(data: Any) -> Answers:
    """Validate raw answers (a dict from JSON, the session or the database)."""
    if not isinstance(data, dict):
        raise AnswerError("(body)", "answers must be a JSON object")
    try:
        answers = Answers.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(body)"
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "is not a known answer"
        raise AnswerError(loc, message) from exc
    check_consistency(answers)
    return answers


def answers_to_json(a: Answers) -> dict[str, Any]:
    return a.model_dump(mode="json")
