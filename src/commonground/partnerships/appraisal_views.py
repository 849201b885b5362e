"""Link a saved route appraisal to one of the person's partnerships, from the appraisal's page
(the partnership's own route page links it the other way). The appraisal stays private to
its author and the people it is shared with."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from commonground.accounts import permissions
from commonground.commissioning.link_views import LinkTarget, appraisal_link_page

from . import services
from .models import Partnership
from .selectors import partnerships_for


def _changeable(user: Any) -> list[tuple[Partnership, str]]:
    return [
        (p, p.name)
        for p in partnerships_for(user).order_by("name", "pk")
        if permissions.can_change_partnership(user, p)
    ]


LINK = LinkTarget(
    noun="partnership",
    question="Which partnership's route did this appraisal settle?",
    template="partnerships/appraisal_link.html",
    anchor="#partnership",
    choices=_changeable,
    link=services.partnership_link_appraisal,
    done=lambda chosen: f"Linked as the route of {chosen.name}",
)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_link_partnership(request: HttpRequest, appraisal_pk: int) -> HttpResponse:
    return appraisal_link_page(request, appraisal_pk, LINK)
