"""The profile and service forms (GOV.UK patterns). They only shape what was typed into the data
the services check; every rule lives in services.py, so the form and the API agree."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.accounts.govuk import GovukForm

from .models import IncomeBand, Openness, PartnershipProfile, Service
from .routes import willing_routes

EVIDENCE_HINT = "For example the clause of your governing document, or the register entry."


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProfileForm(GovukForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    summary = forms.CharField(
        label="What you offer partners", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    open_to_partnership = forms.ChoiceField(
        label="Are you open to partnership?", choices=Openness.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label="Conditions, if any", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    routes = forms.MultipleChoiceField(
        label="Routes you are open to",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    people_served_a_year = forms.IntegerField(
        label="People served a year", required=False, min_value=0
    )
    staff = forms.IntegerField(label="Staff", required=False, min_value=0)
    volunteers = forms.IntegerField(label="Volunteers", required=False, min_value=0)
    income_band = forms.ChoiceField(
        label="Income band", required=False, choices=[("", "Not given"), *IncomeBand.choices]
    )
    asset_lock = forms.BooleanField(label="We have an asset lock", required=False)
    asset_lock_evidence = forms.CharField(
        label="Evidence of the asset lock", required=False, help_text=EVIDENCE_HINT
    )
    member_owned = forms.BooleanField(label="We are owned by our members", required=False)
    member_owned_evidence = forms.CharField(
        label="Evidence of member ownership", required=False, help_text=EVIDENCE_HINT
    )
    community_control = forms.BooleanField(
        label="We are controlled by our community", required=False
    )
    community_control_evidence = forms.CharField(
        label="Evidence of community control", required=False, help_text=EVIDENCE_HINT
    )
    quality_marks = forms.CharField(
        label="Quality marks",
        required=False,
        help_text="One a line: the mark, a vertical bar, then the evidence. For example: "
        "Investing in Volunteers | awarded March 2025, certificate on our website",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_email = forms.CharField(
        label="Partnership contact email address",
        required=False,
        help_text="A role address such as partnerships@example.org, not a person's own address. "
        "Only signed-in commissioners and funders see it.",
    )
    contact_consent = forms.BooleanField(
        label="Whoever reads this address agrees it may be shown to signed-in commissioners "
        "and funders",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["routes"].choices = [
            (r.code, r.label) for r in willing_routes().routes.values()
        ]  # type: ignore[attr-defined]
        self.fields["routes"].widget.attrs["class"] = "govuk-checkboxes__input"

    @staticmethod
    def initial_for(profile: PartnershipProfile | None) -> dict[str, Any]:
        if profile is None:
            return {"version": None, "open_to_partnership": Openness.YES}
        initial = {
            name: getattr(profile, name)
            for name in ProfileForm.base_fields
            if hasattr(profile, name)
        }
        initial["quality_marks"] = "\n".join(
            f"{m['name']} | {m['evidence']}" for m in profile.quality_marks
        )
        initial["contact_consent"] = profile.contact_consent_at is not None
        return initial

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        marks = []
        for line in _lines(data.get("quality_marks", "")):
            name, _, evidence = line.partition("|")
            marks.append({"name": name.strip(), "evidence": evidence.strip()})
        data["quality_marks"] = marks
        data["contact_email"] = (data.get("contact_email") or "").strip()
        return data


class ServiceForm(GovukForm):
    # The profile's version when the page was opened: a save from an older one is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Name of the service", max_length=500)
    description = forms.CharField(
        label="What it does", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    who_for = forms.CharField(label="Who it is for", required=False)
    eligibility = forms.CharField(
        label="Who can use it (eligibility)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    areas = forms.MultipleChoiceField(
        label="Areas served", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    how_to_access = forms.CharField(
        label="How to access it", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    languages = forms.CharField(
        label="Languages",
        required=False,
        help_text="Separate them with commas, for example: English, Urdu, Polish",
    )
    cost = forms.CharField(label="Cost", required=False, help_text="Leave empty if it is free.")
    free = forms.BooleanField(label="It is free to use", required=False)
    url = forms.CharField(label="Web page", required=False)

    def __init__(self, *args: Any, area_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = area_choices  # type: ignore[attr-defined]
        self.fields["areas"].widget.attrs["class"] = "govuk-checkboxes__input"

    @staticmethod
    def initial_for(service: Service | None, version: int | None) -> dict[str, Any]:
        if service is None:
            return {"version": version}
        initial = {
            name: getattr(service, name)
            for name in ServiceForm.base_fields
            if hasattr(service, name)
        }
        initial["languages"] = ", ".join(service.languages)
        initial["areas"] = [p.gss_code for p in service.places.all()]
        initial["version"] = version
        return initial

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["languages"] = [x.strip() for x in data.get("languages", "").split(",") if x.strip()]
        return data
