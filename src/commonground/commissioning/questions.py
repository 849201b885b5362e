"""The question pages: one question a page, in order, each shown only when earlier answers make
it relevant (a health question only for services, asset questions only if land is involved).
Answers the flow skips take their defaults, so a stale answer cannot leak into the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from commonground.accounts.govuk import GovukForm

from . import partners
from .answers import UNKNOWN, UNKNOWN_ALLOWED, Answers
from .catalogue import PRINCIPLES

Raw = dict[str, Any]

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_NOT_SURE = [*YES_NO, ("unknown", "Not sure")]


@dataclass(frozen=True)
class Question:
    field: str
    kind: str  # choice, yesno, money, months, date, share, text, aims
    title: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    show_if: Callable[[Raw], bool] = lambda raw: True
    summary: str = ""  # the short label on the check answers page
    section: str = ""  # shown above the question, so the commissioner knows where they are

    @property
    def label(self) -> str:
        return self.summary or self.title


def _services(raw: Raw) -> bool:
    return raw.get("subject") == "services"


def _yes_or_unsure(raw: Raw, field: str) -> bool:
    """A follow-up question is asked when the answer it follows is yes or "not sure"."""
    return raw.get(field) in (True, UNKNOWN)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "service_name",
        "text",
        "What is the service called? (optional)",
        'For example, "Community wellbeing service". It heads the page and the decision record.',
        summary="Service",
        section="The service and who commissions it",
    ),
    Question(
        "authority_name",
        "text",
        "Which council or public body is commissioning it? (optional)",
        'For example, "Trafford Council". It is named in the decision record.',
        summary="Commissioning body",
        section="The service and who commissions it",
    ),
    Question(
        "nation",
        "choice",
        "Which nation is the commissioning authority in?",
        "The law differs: Scotland has its own procurement rules and the health care Provider "
        "Selection Regime applies in England.",
        (
            ("england", "England"),
            ("wales", "Wales"),
            ("scotland", "Scotland"),
            ("northern_ireland", "Northern Ireland"),
        ),
        summary="Nation",
        section="The commissioning body",
    ),
    Question(
        "authority_type",
        "choice",
        "What kind of public body is commissioning?",
        choices=(
            ("local_authority", "A local authority"),
            ("nhs_body", "An NHS body"),
            ("central_government", "A central government department or agency"),
            ("other_public_body", "Another public body"),
        ),
        summary="Authority",
        section="The commissioning body",
    ),
    Question(
        "decision_date",
        "date",
        "When will the procurement or decision start?",
        "The law and thresholds in force on this date apply. For example, 14 3 2019.",
        summary="Start date",
        section="The commissioning body",
    ),
    Question(
        "subject",
        "choice",
        "What is mainly being bought or funded?",
        choices=(("services", "Services"), ("goods", "Goods"), ("works", "Works")),
        summary="Subject",
        section="What is being bought or funded",
    ),
    Question(
        "council_receives_services",
        "yesno",
        "Will the council receive the goods, services or works in return for the payment?",
        "Yes for a contract. No for a gift with conditions on how the money is used (a grant), "
        "whatever it is called.",
        summary="Council receives something in return",
        section="What is being bought or funded",
    ),
    Question(
        "estimated_value_pence",
        "money",
        "What is the estimated whole-life value?",
        "In pounds, VAT included, over all years and options. For a lease or transfer with no "
        "payment from the council, enter 0.",
        summary="Estimated value",
        section="What is being bought or funded",
    ),
    Question(
        "duration_months",
        "months",
        "How long will the contract, grant or lease run?",
        "In months. For example, 36 for three years.",
        summary="Duration",
        section="What is being bought or funded",
    ),
    Question(
        "is_health_care_service",
        "yesno",
        "Is it a health care service?",
        "Including public health services a council commissions, such as substance use, sexual "
        "health, health visiting or school nursing.",
        show_if=_services,
        summary="Health care service",
        section="The service",
    ),
    Question(
        "patient_choice_applies",
        "yesno",
        "Do patients choose their provider, with every qualifying provider offered a contract?",
        show_if=lambda raw: _services(raw) and _yes_or_unsure(raw, "is_health_care_service"),
        summary="Patient choice",
        section="The service",
    ),
    Question(
        "light_touch_service",
        "yesno",
        "Is it a light touch service?",
        "Social, health (outside the Provider Selection Regime), education and other services "
        "delivered to people, as listed in Schedule 1 of the Procurement Regulations 2024.",
        show_if=_services,
        summary="Light touch service",
        section="The service",
    ),
    Question(
        "reservable_for_mutuals",
        "yesno",
        "Is the service marked reservable ('R') in Schedule 1?",
        "Reservable services can be reserved for public service mutuals.",
        show_if=lambda raw: _services(raw) and _yes_or_unsure(raw, "light_touch_service"),
        summary="Reservable for mutuals",
        section="The service",
    ),
    Question(
        "mutual_eligible",
        "yesno",
        "Are the likely partners public service mutuals?",
        "Employee-controlled, not-for-profit (or distributing only to members), delivering "
        "public services.",
        show_if=lambda raw: _services(raw) and _yes_or_unsure(raw, "reservable_for_mutuals"),
        summary="Partners are mutuals",
        section="The service",
    ),
    Question(
        "incumbent_exists",
        "yesno",
        "Does an existing provider deliver this now?",
        summary="Existing provider",
        section="Providers and the market",
    ),
    Question(
        "incumbent_performing_well",
        "yesno",
        "Is the existing provider satisfying its contract and likely to satisfy the new one?",
        show_if=lambda raw: _yes_or_unsure(raw, "incumbent_exists"),
        summary="Existing provider performing well",
        section="Providers and the market",
    ),
    Question(
        "considerable_change",
        "yesno",
        "Will the new arrangement be considerably different?",
        "Materially different in character, or changes you make raise the lifetime value by "
        "£500,000 or more.",
        show_if=lambda raw: _yes_or_unsure(raw, "incumbent_exists"),
        summary="Considerable change",
        section="Providers and the market",
    ),
    Question(
        "only_one_capable_provider",
        "yesno",
        "Is there only one provider capable of delivering it?",
        "Because of exclusive rights, technical reasons or no realistic alternative.",
        summary="Only one capable provider",
        section="Providers and the market",
    ),
    Question(
        "innovation_required",
        "yesno",
        "Does the need call for something not already on the market?",
        summary="Innovation needed",
        section="Providers and the market",
    ),
    Question(
        "novel_or_prototype",
        "yesno",
        "Is it a prototype or novel service designed at your request for testing or development?",
        summary="Prototype or novel",
        section="Providers and the market",
    ),
    Question(
        "extreme_urgency_unforeseeable",
        "yesno",
        "Is there extreme urgency that you could not foresee and did not cause?",
        summary="Extreme urgency",
        section="Providers and the market",
    ),
    Question(
        "multiple_providers_to_integrate",
        "yesno",
        "Do several providers' services need to be brought together around people's needs?",
        summary="Several providers to integrate",
        section="Providers and the market",
    ),
    Question(
        "outcomes_measurable",
        "yesno",
        "Can the outcomes you want be defined, measured and priced?",
        summary="Outcomes measurable",
        section="Outcomes and funding",
    ),
    Question(
        "social_investor_interest",
        "yesno",
        "Are social investors or community shareholders interested in funding it?",
        summary="Social investor interest",
        section="Outcomes and funding",
    ),
    Question(
        "supported_employment_share",
        "share",
        "What share of the likely providers' workforce are disabled or disadvantaged people?",
        "As a percentage, 0 to 100. Enter 0 if you do not know.",
        summary="Disabled or disadvantaged workforce",
        section="Outcomes and funding",
    ),
    Question(
        "counterparty_is_public_body",
        "yesno",
        "Is the other party a public body or a company the council controls?",
        summary="Partner is a public body",
        section="Partners",
    ),
    Question(
        "recipient_carries_on_economic_activity",
        "yesno",
        "Does the recipient sell goods or services on a market?",
        "For example charging for services, renting rooms or running a café. This decides "
        "whether support to it can be a subsidy.",
        summary="Recipient trades",
        section="Partners",
    ),
    Question(
        "prior_subsidy_pence_3y",
        "money",
        "How much minimal or SPEI financial assistance has the recipient had in this and the "
        "last two financial years?",
        "In pounds, from any public authority. Enter 0 if none.",
        show_if=lambda raw: _yes_or_unsure(raw, "recipient_carries_on_economic_activity"),
        summary="Earlier small subsidies",
        section="Partners",
    ),
    Question(
        "involves_land_or_building",
        "yesno",
        "Is a council building or land to be transferred or leased?",
        summary="Building or land",
        section="Buildings and land",
    ),
    Question(
        "asset_undervalue_pence",
        "money",
        "How far below market value will the building or land go?",
        "In pounds: market value minus the price or premium. Enter 0 if at market value.",
        show_if=lambda raw: _yes_or_unsure(raw, "involves_land_or_building"),
        summary="Undervalue",
        section="Buildings and land",
    ),
    Question(
        "asset_listed_as_community_value",
        "yesno",
        "Is the building or land listed as an asset of community value?",
        show_if=lambda raw: _yes_or_unsure(raw, "involves_land_or_building"),
        summary="Asset of community value",
        section="Buildings and land",
    ),
)

QUESTIONS = (
    *QUESTIONS,
    Question(
        "aims",
        "aims",
        "Which partnership principles does this service put first? (optional)",
        "Choose up to three. The recommendation ranks routes by how well they fit these.",
        choices=tuple(PRINCIPLES.items()),
        summary="Aims",
        section="What the service puts first",
    ),
    Question(
        "partners",
        "partners",
        "Who are the likely partners? (optional)",
        "Choose from your shortlists, or add organisations from the atlas by their identifier, "
        "such as GB-CHC-1234567. They are named in the decision record.",
        summary="Likely partners",
        section="Partners",
    ),
)

BY_FIELD = {q.field: q for q in QUESTIONS}


def applicable(raw: Raw) -> list[Question]:
    return [q for q in QUESTIONS if q.show_if(raw)]


def next_question(raw: Raw, after: str | None = None) -> Question | None:
    """The first relevant question not yet answered (after `after`, if given)."""
    seen = after is None
    for q in applicable(raw):
        if not seen:
            seen = q.field == after
            continue
        if q.field not in raw:
            return q
    for q in applicable(raw):
        if q.field not in raw:
            return q
    return None


def previous_question(raw: Raw, field: str) -> Question | None:
    qs = applicable(raw)
    for i, q in enumerate(qs):
        if q.field == field:
            return qs[i - 1] if i else None
    return None


def answers_from_raw(raw: Raw) -> dict[str, Any]:
    """The relevant answers only, for the Answers model (skipped ones take their defaults)."""
    return {q.field: raw[q.field] for q in applicable(raw) if q.field in raw}


def display(q: Question, value: Any) -> str:
    if value is None:
        return "Not answered"
    if q.kind == "yesno":
        return "Not sure" if value == UNKNOWN else ("Yes" if value else "No")
    if q.kind == "text":
        return value or "Not given"
    if q.kind == "aims":
        return ", ".join(PRINCIPLES.get(v, v) for v in value) or "None chosen"
    if q.kind == "partners":
        return "; ".join(partners.labels(list(value))) or "None chosen"
    if q.kind == "choice":
        return dict(q.choices).get(value, str(value))
    if q.kind == "money":
        pounds = Decimal(value) / 100
        return f"£{pounds:,.2f}".replace(".00", "")
    if q.kind == "months":
        return f"{value} months"
    if q.kind == "share":
        return f"{float(value) * 100:g}%"
    if q.kind == "date":
        return f"{dt.date.fromisoformat(value):%-d %B %Y}"
    return str(value)


# ---- forms ------------------------------------------------------------------------------------


class QuestionForm(GovukForm):
    """One question; `value()` gives the answer as stored in the session (JSON-ready)."""

    question: Question

    def value(self) -> Any:
        return self.cleaned_data["answer"]


def form_for(
    q: Question,
    data: Any = None,
    initial: Any = None,
    partner_choices: list[tuple[str, str]] | None = None,
) -> QuestionForm:
    required = {
        "choice": f"Select {q.label.lower()}",
        "yesno": "Select yes or no",
        "money": f"Enter {q.label.lower()} in pounds",
        "months": "Enter the duration in months",
        "share": "Enter a percentage from 0 to 100",
        "text": "",
        "aims": "",
    }
    if q.kind == "date":
        form: QuestionForm = DateForm(data=data, initial=_date_initial(initial))
        form.question = q
        return form
    if q.kind == "partners":
        form = PartnersForm(data=data, initial={"answer": initial or []})
        form.fields["answer"].choices = partner_choices or []  # type: ignore[attr-defined]
        form.question = q
        return form
    field: forms.Field
    if q.kind in ("choice", "yesno"):
        choices = list(q.choices) if q.kind == "choice" else _yes_no(q)
        field = forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": required[q.kind], "invalid_choice": required[q.kind]},
        )
        if q.kind == "yesno" and initial is not None:
            initial = UNKNOWN if initial == UNKNOWN else ("yes" if initial else "no")
    elif q.kind == "text":
        field = forms.CharField(required=False, max_length=200)
    elif q.kind == "aims":
        field = forms.MultipleChoiceField(
            required=False,
            choices=list(q.choices),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose from the principles listed"},
        )
    else:
        field = forms.CharField(error_messages={"required": required[q.kind]}, max_length=30)
        if initial is not None:
            if q.kind == "money":
                initial = f"{Decimal(initial) / 100:f}".removesuffix(".00")
            elif q.kind == "share":
                initial = f"{float(initial) * 100:g}"
    field.label = q.title
    field.help_text = q.hint
    form_class = type("Form", (QuestionForm,), {"answer": field})
    form = form_class(data=data, initial={"answer": initial} if initial is not None else None)
    form.question = q
    form.clean_answer = lambda: _clean(q, form.cleaned_data["answer"])  # type: ignore[attr-defined]
    return form


def _yes_no(q: Question) -> list[tuple[str, str]]:
    """Yes and no, and "Not sure" wherever the API takes "unknown"."""
    return YES_NO_NOT_SURE if q.field in UNKNOWN_ALLOWED else YES_NO


def _clean(q: Question, value: Any) -> Any:
    if q.kind == "yesno":
        return UNKNOWN if value == UNKNOWN else value == "yes"
    if q.kind == "text":
        return " ".join(str(value).split())
    if q.kind == "aims":
        if len(value) > 3:
            raise forms.ValidationError("Choose up to three principles")
        return list(value)
    if q.kind == "choice":
        return value
    text = value.strip().replace(",", "").removeprefix("£").strip()
    if q.kind == "money":
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Enter an amount in pounds, like 1250000") from None
        if not amount.is_finite():  # "NaN" and "Infinity" are Decimals that cannot be compared
            raise forms.ValidationError("Enter an amount in pounds, like 1250000")
        if amount < 0:
            raise forms.ValidationError("The amount must be 0 or more")
        if amount > Decimal(10**12):
            raise forms.ValidationError("The amount must be less than £1,000,000,000,000")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Enter pounds and pence only, like 1250000.50")
        return int(amount * 100)
    if q.kind == "months":
        if not (text.isascii() and text.isdigit()):  # "²" is a digit to isdigit(), not to int()
            raise forms.ValidationError("Enter the duration as a whole number of months, like 36")
        months = int(text)
        if not 1 <= months <= 1200:
            raise forms.ValidationError("The duration must be between 1 and 1200 months")
        return months
    if q.kind == "share":
        text = text.removesuffix("%").strip()
        try:
            pct = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Enter a percentage from 0 to 100, like 30") from None
        if not pct.is_finite():
            raise forms.ValidationError("Enter a percentage from 0 to 100, like 30")
        if not 0 <= pct <= 100:
            raise forms.ValidationError("The percentage must be between 0 and 100")
        return float(pct / 100)
    return value


def _date_initial(value: Any) -> dict[str, Any] | None:
    if not value:
        return None
    d = dt.date.fromisoformat(value)
    return {"day": d.day, "month": d.month, "year": d.year}


class PartnersForm(QuestionForm):
    """Organisations ticked from the person's shortlists, and ids typed from the atlas; each
    typed id must name an organisation the atlas holds, and is kept as its preferred id."""

    answer = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the organisations listed"},
    )
    typed = forms.CharField(required=False, max_length=1000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = partners.parse_typed(data.get("typed") or "")
        found = partners.find(typed)
        missing = [i for i in typed if i not in found]
        if missing:
            self.add_error(
                "typed", f"No organisation in the atlas has the identifier {', '.join(missing)}"
            )
            return data
        chosen = [*data.get("answer", []), *(found[i].org_id for i in typed)]
        chosen = list(dict.fromkeys(chosen))
        if len(chosen) > partners.MAX_PARTNERS:
            self.add_error("typed", f"Choose up to {partners.MAX_PARTNERS} organisations")
        data["answer"] = chosen
        return data

    def value(self) -> Any:
        return self.cleaned_data["answer"]


class DateForm(QuestionForm):
    """The GOV.UK date input: day, month and year boxes, one error for the date."""

    day = forms.CharField(required=False, max_length=2)
    month = forms.CharField(required=False, max_length=2)
    year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, css in (("day", 2), ("month", 2), ("year", 4)):
            widget = self.fields[name].widget
            widget.attrs["class"] = f"govuk-input govuk-date-input__input govuk-input--width-{css}"
            widget.attrs["inputmode"] = "numeric"
            widget.attrs["id"] = f"id_decision_date_{name}" if name != "day" else "id_decision_date"
        self.date_error = ""

    @property
    def first_field_id(self) -> str:
        """The day box: where the error summary sends a date's error."""
        return "id_decision_date"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [str(data.get(k) or "").strip() for k in ("day", "month", "year")]
        if not any(parts):
            raise forms.ValidationError("Enter the date the procurement or decision starts")
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise forms.ValidationError("The date must be a real date, like 14 3 2019")
        try:
            day = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise forms.ValidationError("The date must be a real date, like 14 3 2019") from None
        if day < dt.date(2016, 1, 1):
            raise forms.ValidationError("The date must be on or after 1 January 2016")
        data["answer"] = day.isoformat()
        return data

    def value(self) -> Any:
        return self.cleaned_data["answer"]


def check_complete(raw: Raw) -> Answers | None:
    """The Answers once every relevant question has an answer that passes the model."""
    from .answers import AnswerError, parse_answers

    if next_question(raw) is not None:
        return None
    try:
        return parse_answers(answers_from_raw(raw))
    except AnswerError:
        return None
