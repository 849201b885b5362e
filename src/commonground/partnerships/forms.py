"""Forms for the partnership pages, in the GOV.UK pattern (error summary and inline errors).
They check shape only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.accounts.govuk import GovukForm
from commonground.accounts.perspectives import Perspective
from commonground.commissioning.case_studies import case_study_choices
from commonground.places.selectors import local_authorities

from .models import MemberRole, Principle, Stage

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"]
DATE_HINT = "For example, 27/3/2026"
PERSPECTIVE_HINTS = {
    "commissioner": "Commissions or funds services for a public body.",
    "provider": "Provides services: a charity, social enterprise, co-operative or community "
    "business.",
    "funder": "A funder or social investor.",
    "community": "A resident or community member.",
}
SCORE_CHOICES = [
    ("1", "1 – not at all"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 – fully"),
]


def date_field(label: str, required: bool = True, help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"The {label.lower()} must be a real date, like 27/3/2026",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-10"}
        ),
    )


def _place_choices() -> list[tuple[str, str]]:
    places = sorted(local_authorities(), key=lambda p: p.name)
    return [("", "Choose a place"), *[(p.gss_code, p.name) for p in places]]


def _case_choices() -> list[tuple[str, str]]:
    return [("", "None of these"), *case_study_choices()]


class PartnershipForm(GovukForm):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        error_messages={"required": "Enter the name of the partnership"},
    )
    purpose = forms.CharField(
        label="What is the partnership for?",
        help_text="The purpose the partners share, in their own words.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the partnership is for"},
    )
    place = forms.ChoiceField(
        label="Place it serves",
        help_text="The local authority area.",
        error_messages={"required": "Choose the place the partnership serves"},
    )
    resembles_case_study = forms.ChoiceField(
        label="Which case study does it most resemble?",
        required=False,
        help_text="Optional. Read the case studies to compare.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = _place_choices()  # type: ignore[attr-defined]
        self.fields["resembles_case_study"].choices = _case_choices()  # type: ignore[attr-defined]


class PartnershipCreateForm(PartnershipForm):
    perspective = forms.ChoiceField(
        label="Which perspective do you bring?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the perspective you bring"},
    )
    stage = forms.ChoiceField(
        label="Where does it stand now?",
        choices=Stage.choices,
        initial=Stage.IDEA,
        error_messages={"required": "Choose where the partnership stands now"},
    )


class StageForm(GovukForm):
    stage = forms.ChoiceField(
        label="New stage",
        choices=Stage.choices,
        error_messages={"required": "Choose the new stage"},
    )
    changed_on = date_field("Date it changed")
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MemberForm(GovukForm):
    kind = forms.ChoiceField(
        label="Add an organisation or invite a person?",
        choices=[
            ("organisation", "An organisation from the atlas"),
            ("person", "A person, invited by email"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to add an organisation or invite a person"},
    )
    org_id = forms.CharField(
        label="Organisation identifier",
        required=False,
        max_length=60,
        help_text="From the organisation's page in Find partners, for example GB-CHC-1000000.",
    )
    email = forms.EmailField(
        label="Person's email address",
        required=False,
        max_length=254,
        help_text="We email them an invitation. They join when they accept it, signed in to "
        "Common Ground with this address.",
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    perspective = forms.ChoiceField(
        label="Perspective",
        required=False,
        choices=[("", "From the organisation's sector"), *Perspective.choices],
        help_text="For an organisation, leave this to follow from its sector.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        error_messages={"required": "Choose a role"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "organisation" and not data.get("org_id"):
            self.add_error("org_id", "Enter the organisation's identifier")
        if data.get("kind") == "person":
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", "Enter the person's email address")
            if not data.get("perspective"):
                self.add_error("perspective", "Choose the person's perspective")
        return data


class MilestoneForm(GovukForm):
    title = forms.CharField(
        label="Milestone", max_length=200, error_messages={"required": "Enter the milestone"}
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = date_field("Due date", required=False)


class MilestoneDoneForm(GovukForm):
    done_on = date_field("Date reached")


class DocumentForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, Word, Excel, OpenDocument text, CSV, plain text, PNG or JPEG, smaller "
        "than 10 MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )


class HealthCheckForm(GovukForm):
    """A score and a comment for each of the nine principles."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    @classmethod
    def build(cls, data: Any = None) -> HealthCheckForm:
        form = cls(data)
        for principle in Principle:
            form.fields[f"{principle.value}_score"] = forms.ChoiceField(
                label=principle.label,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={
                    "required": f"Choose a score for {principle.label.lower()}",
                    "invalid_choice": f"Choose a score from 1 to 5 for {principle.label.lower()}",
                },
            )
            form.fields[f"{principle.value}_comment"] = forms.CharField(
                label=f"Comment on {principle.label.lower()} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(
                    attrs={
                        "rows": 2,
                        "class": "govuk-textarea",
                        "id": f"id_{principle.value}_comment",
                    }
                ),
            )
            form.fields[f"{principle.value}_score"].widget.attrs["id"] = (
                f"id_{principle.value}_score"
            )
        return form

    def answers(self) -> dict[str, tuple[Any, str]]:
        return {
            p.value: (
                self.cleaned_data[f"{p.value}_score"],
                self.cleaned_data.get(f"{p.value}_comment", ""),
            )
            for p in Principle
        }

    def principle_fields(self) -> list[tuple[str, str, Any, Any]]:
        from .models import PRINCIPLE_QUESTIONS

        return [
            (p.value, PRINCIPLE_QUESTIONS[p], self[f"{p.value}_score"], self[f"{p.value}_comment"])
            for p in Principle
        ]


class RouteForm(GovukForm):
    appraisal = forms.ChoiceField(
        label="Which saved route appraisal did the partnership's route come from?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Only people the appraisal is shared with can open it.",
    )

    def __init__(self, *args: Any, appraisals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appraisal"].choices = [  # type: ignore[attr-defined]
            *[(str(a.pk), str(a)) for a in appraisals],
            ("", "None"),
        ]


class ShortlistTakeForm(GovukForm):
    """Choose one of your shortlists to add its organisations to a partnership."""

    shortlist = forms.ChoiceField(
        label="Which shortlist?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a shortlist"},
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=[("member", "Member"), ("observer", "Observer")],
        initial="member",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].choices = choices  # type: ignore[attr-defined]
