"""A need's route appraisal: start the question flow from a need (its name, commissioner and
likely partners filled in), save the result linked to the need, or link a saved appraisal to one
of the person's needs. The appraisal stays private to its author and the people it is shared
with; the link shows only to people who may see both."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import permissions
from commonground.commissioning import flow
from commonground.commissioning import services as appraisal_services
from commonground.commissioning.link_views import LinkTarget, appraisal_link_page

from . import selectors, services
from .models import Need


def _owned(request: HttpRequest, pk: int) -> Need:
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404("No such need")
    permissions.require(permissions.can_change_need(request.user, need))
    return need


@login_required
@require_POST
def need_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a route appraisal for the need: its answers so far are the need's own."""
    need = _owned(request, pk)
    answers: dict[str, Any] = {
        "service_name": need.title[:200],
        "authority_name": need.organisation.name[:200],
    }
    partners = selectors.likely_partners(need)
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


LINK = LinkTarget(
    noun="need",
    question="Which need is this appraisal for?",
    template="needs/link_appraisal.html",
    anchor="#need",
    choices=selectors.needs_changeable_by,
    link=services.need_link_appraisal,
    done=lambda chosen: f"Linked to the need \u201c{chosen.title}\u201d",
)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_link_need(request: HttpRequest, appraisal_pk: int) -> HttpResponse:
    """Link a saved appraisal the person can see to one of the needs they may change."""
    return appraisal_link_page(request, appraisal_pk, LINK)
