"""Link a saved route appraisal to one of the person's partnerships, from the appraisal's page
(the partnership's own route page links it the other way). The appraisal stays private to
its author and the people it is shared with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commonground.accounts import permissions
from commonground.accounts.govuk import GovukForm
from commonground.commissioning.selectors import appraisal_visible_to

from . import services
from .models import Partnership
from .selectors import partnerships_for


class PartnershipChoiceForm(GovukForm):
    partnership = forms.ChoiceField(
        label="Which partnership's route did this appraisal settle?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a partnership",
            "invalid_choice": "Choose a partnership",
        },
    )


def _changeable(user: Any) -> list[Partnership]:
    return [
        p
        for p in partnerships_for(user).order_by("name", "pk")
        if permissions.can_change_partnership(user, p)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_link_partnership(request: HttpRequest, appraisal_pk: int) -> HttpResponse:
    appraisal = appraisal_visible_to(request.user, appraisal_pk)
    if appraisal is None:
        raise Http404("No such appraisal")
    partnerships = _changeable(request.user)
    form = PartnershipChoiceForm(request.POST or None)
    form.fields["partnership"].choices = [  # type: ignore[attr-defined]
        (str(p.pk), p.name) for p in partnerships
    ]
    if request.method == "POST" and form.is_valid():
        chosen = next(p for p in partnerships if str(p.pk) == form.cleaned_data["partnership"])
        services.partnership_link_appraisal(request.user, chosen, appraisal)  # type: ignore[arg-type]
        messages.success(request, f"Linked as the route of {chosen.name}")
        return redirect(reverse("commissioning:appraisal", args=[appraisal.pk]) + "#partnership")
    context = {"form": form, "appraisal": appraisal, "has_partnerships": bool(partnerships)}
    status = 400 if form.errors else 200
    return render(request, "partnerships/appraisal_link.html", context, status=status)
