"""The questions an appraisal asks, as one typed record. The same model validates the question
pages, the JSON API (whose OpenAPI document shows each field's description) and stored answers.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

EARLIEST_DECISION_DATE = dt.date(2016, 1, 1)


class Nation(StrEnum):
    england = "england"
    wales = "wales"
    scotland = "scotland"
    northern_ireland = "northern_ireland"


class AuthorityType(StrEnum):
    local_authority = "local_authority"
    nhs_body = "nhs_body"
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
        description="Kind of public body commissioning: local_authority, nhs_body, "
        "central_government or other_public_body."
    )
    subject: Subject = Field(
        description="What is being bought or funded, mainly: services, goods or works."
    )
    is_health_care_service: bool = Field(
        default=False,
        description="The service is a health care service (including local authority public "
        "health services such as substance use, sexual health, health visiting).",
    )
    light_touch_service: bool = Field(
        default=False,
        description="The service is a light-touch service under Schedule 1 of the 2024 "
        "Regulations (social, health outside the PSR, education and other services to people).",
    )
    reservable_for_mutuals: bool = Field(
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
    council_receives_services: bool = Field(
        description="True if the council receives goods, services or works in return for the "
        "payment (a contract); false for a gift with conditions on its use (a grant)."
    )
    recipient_carries_on_economic_activity: bool = Field(
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
    involves_land_or_building: bool = Field(
        default=False, description="A council building or land is to be transferred or leased."
    )
    asset_listed_as_community_value: bool = Field(
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
    incumbent_exists: bool = Field(
        default=False, description="An existing provider delivers this service now."
    )
    incumbent_performing_well: bool = Field(
        default=False,
        description="The existing provider is satisfying its current contract and likely to "
        "satisfy the new one.",
    )
    considerable_change: bool = Field(
        default=False,
        description="The new arrangement is materially different in character, or changes the "
        "authority makes raise lifetime value by £500,000 or more (PSR considerable change).",
    )
    only_one_capable_provider: bool = Field(
        default=False,
        description="Only one provider can deliver the service (exclusive rights, technical "
        "reasons, no realistic alternative).",
    )
    patient_choice_applies: bool = Field(
        default=False,
        description="Patients choose their provider and every qualifying provider gets a "
        "contract (PSR direct award B).",
    )
    innovation_required: bool = Field(
        default=False,
        description="The need cannot be met by solutions already on the market.",
    )
    outcomes_measurable: bool = Field(
        default=False,
        description="The outcomes wanted can be defined, measured and priced.",
    )
    social_investor_interest: bool = Field(
        default=False,
        description="Social investors or community shareholders are interested in funding it.",
    )
    mutual_eligible: bool = Field(
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
    counterparty_is_public_body: bool = Field(
        default=False,
        description="The other party is a public body or a company the council controls.",
    )
    multiple_providers_to_integrate: bool = Field(
        default=False,
        description="Several providers' services need to be brought together around people "
        "with overlapping needs.",
    )
    novel_or_prototype: bool = Field(
        default=False,
        description="The service is a prototype or novel, designed at the council's request "
        "for testing, research or development.",
    )
    extreme_urgency_unforeseeable: bool = Field(
        default=False,
        description="There is extreme urgency the council could not foresee and did not cause.",
    )


# Answers that only make sense if another answer is true: (field, needs, why).
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


def check_consistency(a: Answers) -> None:
    """Raise AnswerError naming the field of the first answer that contradicts another."""
    if a.decision_date < EARLIEST_DECISION_DATE:
        raise AnswerError(
            "decision_date",
            f"must be on or after {EARLIEST_DECISION_DATE.isoformat()}; the rules do not "
            "cover earlier dates",
        )
    if a.subject is not Subject.services:
        for name in ("is_health_care_service", "light_touch_service"):
            if getattr(a, name):
                raise AnswerError(name, f"cannot be true when the subject is {a.subject.value}")
    for name, needs, why in _DEPENDS:
        if getattr(a, name) and not getattr(a, needs):
            raise AnswerError(name, f"cannot be true when {needs} is false ({why})")
    if a.asset_undervalue_pence and not a.involves_land_or_building:
        raise AnswerError(
            "asset_undervalue_pence", "must be 0 when involves_land_or_building is false"
        )


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
