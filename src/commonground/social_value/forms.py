"""Forms for the social value pages (GOV.UK patterns: error summary, inline errors, date
inputs as day, month and year). They check the shape of input; the services decide the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from commonground.accounts.govuk import GovukFormMixin

from .models import Measure, Unit
from .selectors import measures_for_choice

DECISION_CHOICES = [
    ("verified", "Verify it: the evidence shows this was delivered"),
    ("disputed", "Dispute it: the evidence does not show this, or there is none"),
]


def _date_parts(prefix: str, label: str) -> dict[str, forms.Field]:
    def attrs(width: int) -> dict[str, str]:
        css = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
        return {"inputmode": "numeric", "class": css}

    return {
        f"{prefix}_day": forms.CharField(
            label="Day", required=False, max_length=2, widget=forms.TextInput(attrs=attrs(2))
        ),
        f"{prefix}_month": forms.CharField(
            label="Month", required=False, max_length=2, widget=forms.TextInput(attrs=attrs(2))
        ),
        f"{prefix}_year": forms.CharField(
            label="Year", required=False, max_length=4, widget=forms.TextInput(attrs=attrs(4))
        ),
    }


class PeriodMixin:
    """Two GOV.UK date inputs, `start` and `end`, cleaned into period_start and period_end."""

    DATE_LABELS = {"start": "the date the period starts", "end": "the date the period ends"}

    @property
    def start_parts(self) -> list[Any]:
        return [self[f"start_{p}"] for p in ("day", "month", "year")]  # type: ignore[index]

    @property
    def end_parts(self) -> list[Any]:
        return [self[f"end_{p}"] for p in ("day", "month", "year")]  # type: ignore[index]

    def _clean_date(self, prefix: str) -> dt.date | None:
        data = self.cleaned_data  # type: ignore[attr-defined]
        parts = [str(data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
        label = self.DATE_LABELS[prefix]
        if not any(parts):
            self.add_error(f"{prefix}_day", f"Enter {label}")  # type: ignore[attr-defined]
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900:
                raise ValueError
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(  # type: ignore[attr-defined]
                f"{prefix}_day", f"Enter {label} as a real date, like 1 4 2026"
            )
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        data["period_start"] = self._clean_date("start")
        data["period_end"] = self._clean_date("end")
        return data


def service_field(name: str) -> str:
    """The form field a service's error concerns."""
    return {"period_start": "start_day", "period_end": "end_day"}.get(name, name)


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:  # type: ignore[override]
        return f"{obj.outcome.theme.name}: {obj.name} ({obj.unit_label})"


class CommitmentForm(PeriodMixin, GovukFormMixin, forms.Form):
    measure = MeasureChoiceField(
        queryset=Measure.objects.none(),
        label="Measure",
        empty_label="Choose a measure",
        error_messages={"required": "Choose the measure you commit to"},
    )
    quantity = forms.CharField(
        label="Quantity",
        help_text="In the measure's unit, for example 120",
        error_messages={"required": "Enter the quantity"},
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-10"}
        ),
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=[("", "Choose the unit"), *Unit.choices],
        help_text="The unit must be the measure's own unit",
        error_messages={"required": "Choose the unit"},
    )
    start_day, start_month, start_year = _date_parts("start", "").values()
    end_day, end_month, end_year = _date_parts("end", "").values()
    description = forms.CharField(
        label="What the partnership will do (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures_for_choice()  # type: ignore[attr-defined]


class DeliveryForm(PeriodMixin, GovukFormMixin, forms.Form):
    quantity = forms.CharField(
        label="Quantity delivered",
        error_messages={"required": "Enter the quantity delivered"},
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-10"}
        ),
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=[("", "Choose the unit"), *Unit.choices],
        error_messages={"required": "Choose the unit"},
    )
    start_day, start_month, start_year = _date_parts("start", "").values()
    end_day, end_month, end_year = _date_parts("end", "").values()
    description = forms.CharField(
        label="What was delivered (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EvidenceForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="What the evidence shows",
        max_length=300,
        error_messages={"required": "Describe what the evidence shows"},
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="PDF, Word, Excel, OpenDocument, CSV, text, PNG or JPEG",
    )
    url = forms.CharField(
        label="Or give a link",
        required=False,
        max_length=1000,
        help_text="A web address starting https://",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("url") or "").strip():
            self.add_error("file", "Upload a file or give a link")
        elif data.get("file") and (data.get("url") or "").strip():
            self.add_error("url", "Give either a file or a link, not both")
        return data


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you verify or dispute this delivery"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        help_text="Required if you dispute it: say why",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatementForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="The value this partnership creates, in your words",
        help_text="What matters that the numbers leave out: for people, for the place, for the "
        "organisations in it",
        max_length=5000,
        error_messages={"required": "Describe the value the partnership creates"},
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class FrameworkImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Framework file",
        help_text="A CSV file saved as UTF-8, or an Excel workbook (.xlsx), one row a measure",
        error_messages={"required": "Select the framework file"},
    )
    name = forms.CharField(
        label="Name of the framework",
        max_length=200,
        error_messages={"required": "Enter the framework's name"},
    )
    slug = forms.SlugField(
        label="Short name",
        max_length=80,
        help_text="Lower-case letters, digits and hyphens, for example trafford-social-value",
        error_messages={
            "required": "Enter a short name",
            "invalid": "Use only lower-case letters, digits and hyphens in the short name",
        },
    )
    version = forms.CharField(
        label="Version",
        max_length=40,
        help_text="For example 2026. A new version keeps figures already reported against the "
        "old one unchanged",
        error_messages={"required": "Enter the version"},
    )
    licence = forms.CharField(
        label="Licence",
        max_length=200,
        help_text="The licence the framework is published under, for example Open Government "
        "Licence v3.0",
        error_messages={"required": "Enter the licence"},
    )
    publisher = forms.CharField(label="Published by (optional)", required=False, max_length=200)
    source_url = forms.URLField(
        label="Where it is published (optional)",
        assume_scheme="https",
        required=False,
        max_length=500,
        error_messages={"invalid": "Enter a full web address, like https://example.org"},
    )
