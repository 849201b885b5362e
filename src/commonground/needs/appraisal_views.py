"""A need's route appraisal: start the question flow from a need (its name, commissioner and
likely partners filled in), save the result linked to the need, or link a saved appraisal to one
of the person's needs. The appraisal stays private to its author and the people it is shared
with; the link shows only to people who may see both."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import permissions
from commonground.accounts.govuk import GovukForm
from commonground.commissioning import flow
from commonground.commissioning import services as appraisal_services
from commonground.commissioning.selectors import appraisal_visible_to

from . import selectors, services
from .models import InterestStatus, Need


def _owned(request: HttpRequest, pk: int) -> Need:
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404("No such need")
    permissions.require(permissions.can_change_need(request.user, need))
    return need


def likely_partners(need: Need) -> list[str]:
    """Organisation ids of the need's attached shortlist and shortlisted respondents, in order."""
    ids = [org.org_id for org, _ in selectors.shortlisted_organisations(need)]
    shortlisted = need.interests.filter(status=InterestStatus.SHORTLISTED).order_by("pk")
    ids += [i.organisation.org_id for i in shortlisted.select_related("organisation")]
    return list(dict.fromkeys(ids))[:20]


@login_required
@require_POST
def need_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a route appraisal for the need: its answers so far are the need's own."""
    need = _owned(request, pk)
    answers: dict[str, Any] = {
        "service_name": need.title[:200],
        "authority_name": need.organisation.name[:200],
    }
    partners = likely_partners(need)
    if partners:
        answers["partners"] = partners
    origin: flow.Origin = {
        "label": f"the need \u201c{need.title}\u201d",
        "url": reverse("needs:detail", args=[need.pk]),
        "save_url": reverse("needs:appraisal-save", args=[need.pk]),
        "save_label": "Save and link to the need",
    }
    flow.begin(request.session, answers, origin)
    return redirect("commissioning:check")


@login_required
@require_POST
def need_appraisal_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the session's appraisal and link it to the need, in one step."""
    need = _owned(request, pk)
    answers = flow.answers(request.session)
    if answers is None:
        return redirect("commissioning:check")
    appraisal = appraisal_services.appraisal_create(
        author=request.user, answers=answers, name=request.POST.get("name", "") or need.title
    )
    services.need_link_appraisal(request.user, need, appraisal)  # type: ignore[arg-type]
    flow.finish(request.session)
    messages.success(request, f"Appraisal saved and linked to the need \u201c{need.title}\u201d")
    return redirect("commissioning:appraisal", pk=appraisal.pk)


class NeedChoiceForm(GovukForm):
    need = forms.ChoiceField(
        label="Which need is this appraisal for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a need", "invalid_choice": "Choose a need"},
    )


def _changeable_needs(user: Any) -> list[Need]:
    owned = Need.objects.filter(organisation_id__in=permissions.organisations_acted_for(user))
    needs = owned.select_related("organisation").order_by("title", "pk")
    return [n for n in needs if permissions.can_change_need(user, n)]


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_link_need(request: HttpRequest, appraisal_pk: int) -> HttpResponse:
    """Link a saved appraisal the person can see to one of the needs they may change."""
    appraisal = appraisal_visible_to(request.user, appraisal_pk)
    if appraisal is None:
        raise Http404("No such appraisal")
    needs = _changeable_needs(request.user)
    form = NeedChoiceForm(request.POST or None)
    form.fields["need"].choices = [  # type: ignore[attr-defined]
        (str(n.pk), f"{n.title} ({n.organisation.name}, {n.get_status_display().lower()})")
        for n in needs
    ]
    if request.method == "POST" and form.is_valid():
        need = next(n for n in needs if str(n.pk) == form.cleaned_data["need"])
        services.need_link_appraisal(request.user, need, appraisal)  # type: ignore[arg-type]
        messages.success(request, f"Linked to the need \u201c{need.title}\u201d")
        return redirect(reverse("commissioning:appraisal", args=[appraisal.pk]) + "#need")
    context = {"form": form, "appraisal": appraisal, "has_needs": bool(needs)}
    return render(request, "needs/link_appraisal.html", context, status=400 if form.errors else 200)
