"""Forms for the needs pages, in GOV.UK patterns. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.accounts.govuk import GovukForm
from commonground.commissioning.catalogue import ROUTE_CODES
from commonground.places.models import Place, PlaceKind

from .models import InterestKind, NeedKind, NoticeStatus, Visibility
from .validation import route_name

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]


class NeedForm(GovukForm):
    # The need's version when the page was opened: a save from an older one is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = forms.ChoiceField(
        label="Organisation publishing it", error_messages={"required": "Choose an organisation"}
    )
    title = forms.CharField(
        label="What is needed, in a line",
        max_length=200,
        error_messages={"required": "Enter what is needed"},
    )
    outcomes = forms.CharField(
        label="Outcomes sought",
        help_text="What should be different for people, in your own words.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the outcomes sought"},
    )
    who_for = forms.CharField(
        label="Who it is for",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter who it is for"},
    )
    place = forms.ChoiceField(
        label="Local authority area", error_messages={"required": "Choose the area"}
    )
    wards = forms.CharField(
        label="Wards (optional)",
        required=False,
        help_text="Ward names or GSS codes in that area, separated by commas, "
        "for example Urmston, Flixton.",
        max_length=1000,
    )
    budget_min = forms.IntegerField(
        label="Lowest budget, in pounds (optional)", required=False, min_value=0
    )
    budget_max = forms.IntegerField(
        label="Highest budget, in pounds (optional)", required=False, min_value=0
    )
    timeline = forms.CharField(
        label="Timeline (optional)",
        required=False,
        max_length=300,
        help_text="For example: from April 2027, for three years.",
    )
    route_codes = forms.MultipleChoiceField(
        label="Routes under consideration (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    appraisal = forms.ChoiceField(label="Linked route appraisal (optional)", required=False)
    kind = forms.ChoiceField(
        label="Kind of need",
        choices=NeedKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of need"},
    )
    notice_status = forms.ChoiceField(
        label="Preliminary market engagement notice",
        help_text="For a preliminary market engagement only (Procurement Act 2023, ss.16-17).",
        choices=NoticeStatus.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    notice_reference = forms.CharField(
        label="Notice link or reference (optional)", required=False, max_length=300
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
    )
    closes_on = forms.DateField(
        label="Closing date",
        help_text="The last day it takes responses. For example, 31/1/2027.",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        error_messages={
            "required": "Enter the closing date",
            "invalid": "The closing date must be a real date, like 31/1/2027",
        },
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]],
        appraisals: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        places = Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY, end_date__isnull=True)
        areas = [(p.gss_code, p.name) for p in places.order_by("name")]
        self.fields["place"].choices = [("", "Choose an area"), *areas]  # type: ignore[attr-defined]
        self.fields["route_codes"].choices = [(code, route_name(code)) for code in ROUTE_CODES]  # type: ignore[attr-defined]
        self.fields["appraisal"].choices = [("", "None"), *appraisals]  # type: ignore[attr-defined]

    def ward_codes(self) -> list[str]:
        """The wards typed, as GSS codes (names looked up within the chosen area)."""
        typed = [w.strip() for w in self.cleaned_data.get("wards", "").split(",") if w.strip()]
        if not typed:
            return []
        wards = Place.objects.filter(
            kind=PlaceKind.WARD, parent__gss_code=self.cleaned_data.get("place", "")
        )
        by_name = {p.name.lower(): p.gss_code for p in wards}
        return [by_name.get(word.lower(), word.upper()) for word in typed]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        pence = {
            f"budget_{end}_pence": data[f"budget_{end}"] * 100
            if data.get(f"budget_{end}") is not None
            else None
            for end in ("min", "max")
        }
        return {
            "title": data["title"],
            "outcomes": data["outcomes"],
            "who_for": data["who_for"],
            "place": data["place"],
            "ward_codes": self.ward_codes(),
            **pence,
            "timeline": data["timeline"],
            "route_codes": data["route_codes"],
            "appraisal": data["appraisal"] or None,
            "kind": data["kind"],
            "notice_status": data["notice_status"] or "",
            "notice_reference": data["notice_reference"],
            "visibility": data["visibility"],
            "closes_on": data["closes_on"],
        }


class InterestForm(GovukForm):
    organisation = forms.ChoiceField(label="Responding for")
    kind = forms.ChoiceField(
        label="Your interest",
        choices=InterestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you are interested"},
    )
    message = forms.CharField(
        label="What you would bring (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class QuestionForm(GovukForm):
    organisation = forms.ChoiceField(label="Asking for")
    text = forms.CharField(
        label="Your question",
        help_text="The question and its answer are published to every respondent, without "
        "your name or your organisation's.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your question"},
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class AnswerForm(GovukForm):
    answer = forms.CharField(
        label="Answer, for every respondent",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the answer"},
    )


class InviteForm(GovukForm):
    partnership = forms.ChoiceField(
        label="Partnership to invite them into",
        error_messages={"required": "Choose a partnership you lead"},
    )

    def __init__(self, *args: Any, partnerships: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = partnerships  # type: ignore[attr-defined]
