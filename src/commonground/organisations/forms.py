"""The partner search's parameters, checked once for the search page, the download and the API."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.http import QueryDict

from .models import PlaceRelation, Sector, Status
from .selectors import (
    INCOME_BANDS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORTS,
    Near,
    SearchParams,
    find_place,
    postcode_centre,
)

MAX_DISTANCE_KM = 100.0
DEFAULT_DISTANCE_KM = 2.0


class ManyValuesField(forms.Field):
    """Any number of free-text values from repeated GET parameters (e.g. legal forms)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return list(dict.fromkeys(v.strip()[:200] for v in values if v.strip()))


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Name or activity")
    place = forms.CharField(required=False, max_length=9, label="Place")
    postcode = forms.CharField(required=False, max_length=10, label="Postcode")
    distance = forms.CharField(required=False, max_length=10, label="Distance in kilometres")
    sector = forms.MultipleChoiceField(
        required=False,
        choices=Sector.choices,
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    status = forms.MultipleChoiceField(
        required=False,
        choices=Status.choices,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    legal_form = ManyValuesField(required=False)
    income = forms.MultipleChoiceField(
        required=False,
        choices=[(band.code, band.label) for band in INCOME_BANDS],
        error_messages={"invalid_choice": "Choose an income band from the list"},
    )
    relation = forms.ChoiceField(
        required=False,
        choices=PlaceRelation.choices,
        label="Organisations that",
        error_messages={"invalid_choice": "Choose based in or works in"},
    )
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()))
    page = forms.CharField(required=False)
    page_size = forms.CharField(required=False)

    def clean_place(self) -> Any:
        code = self.cleaned_data["place"].strip().upper()
        if not code:
            return None
        place = find_place(code)
        if place is None:
            raise forms.ValidationError(
                f"We do not hold a place with the code {code}. Choose a place from the list"
            )
        return place

    def clean_postcode(self) -> Any:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return None
        found = postcode_centre(value)
        if found is None:
            raise forms.ValidationError(
                f"We could not find the postcode {value.upper()}. "
                "Enter a full postcode, like M41 9EH, or choose a place instead"
            )
        return found

    def clean_distance(self) -> float | None:
        value = self.cleaned_data["distance"].strip()
        if not value:
            return None
        try:
            km = float(value)
        except ValueError:
            raise forms.ValidationError(
                "Enter the distance as a number of kilometres, like 2"
            ) from None
        if not math.isfinite(km) or km <= 0 or km > MAX_DISTANCE_KM:
            raise forms.ValidationError(
                f"Distance must be more than 0 and no more than {MAX_DISTANCE_KM:g} kilometres"
            )
        return km

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("distance") and not self.data.get("postcode", "").strip():
            self.add_error("postcode", "Enter a postcode to search within a distance of it")
        return cleaned

    def params(self) -> SearchParams:
        """The search described by the valid fields (fields with errors are left out)."""
        data = getattr(self, "cleaned_data", {})
        near = None
        if data.get("postcode"):
            postcode, latitude, longitude = data["postcode"]
            near = Near(postcode, latitude, longitude, data.get("distance") or DEFAULT_DISTANCE_KM)
        text = data.get("q") or ""
        return SearchParams(
            text=text,
            place=data.get("place"),
            near=near,
            sectors=tuple(data.get("sector") or ()),
            statuses=tuple(data.get("status") or ()),
            legal_forms=tuple(data.get("legal_form") or ()),
            income_bands=tuple(data.get("income") or ()),
            relation=data.get("relation") or PlaceRelation.WORKS_IN.value,
            # Without words to match, results come by name whatever the choice.
            sort=data.get("sort") or "relevance",
            page=_whole_number(data.get("page"), 1),
            page_size=min(_whole_number(data.get("page_size"), PAGE_SIZE), MAX_PAGE_SIZE),
        )


def _whole_number(value: str | None, default: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if number >= 1 else default


def search_form(data: QueryDict | dict[str, Any]) -> OrganisationSearchForm:
    form = OrganisationSearchForm(data)
    form.is_valid()
    return form
