"""Pages of the partnerships context. Thin: services write, selectors read, rules decide.

A partnership's existence is private to its members: anyone else signed in gets 404, not 403.
A member whose role does not allow a change gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import permissions
from commonground.accounts.permissions.partnerships import (
    HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES,
    HEALTH_CHECK_MIN_RESPONSES,
)
from commonground.commissioning.case_studies import all_case_studies, case_study
from commonground.commissioning.selectors import appraisals_for
from commonground.core.uploads import serve_upload
from commonground.money.models import MoneyFlow
from commonground.organisations.selectors import organisation_by_identifier
from commonground.organisations.shortlist_selectors import shortlist_of, shortlists_of
from commonground.places.selectors import place_by_gss

from . import selectors, services
from .forms import (
    DocumentForm,
    HealthCheckForm,
    MemberForm,
    MilestoneDoneForm,
    MilestoneForm,
    PartnershipCreateForm,
    PartnershipForm,
    RouteForm,
    ShortlistTakeForm,
    StageForm,
)
from .models import (
    PRINCIPLE_QUESTIONS,
    MemberRole,
    Milestone,
    Partnership,
    PartnershipDocument,
    PartnershipFunding,
    PartnershipInvitation,
    PartnershipMember,
    Principle,
    Stage,
)
from .shortlists import partnership_add_shortlist

# ---- Case studies (public) ---------------------------------------------------------------------


def case_study_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "partnerships/case_study_list.html", {"case_studies": all_case_studies()}
    )


def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = case_study(slug)
    if case is None:
        raise Http404("No such case study.")
    routes = [{"code": code, "note": case.route_note(code)} for code in case.routes]
    return render(request, "partnerships/case_study_detail.html", {"case": case, "routes": routes})


# ---- Helpers -----------------------------------------------------------------------------------


def _partnership_for(request: HttpRequest, pk: int) -> Partnership:
    """The partnership if the person may see it; 404 otherwise, so its existence stays private."""
    partnership = selectors.partnership_visible_to(request.user, pk)
    if partnership is None:
        raise Http404("No such partnership.")
    return partnership


def _apply_errors(form: Any, error: services.PartnershipError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _form_page(
    request: HttpRequest,
    partnership: Partnership,
    form: Any,
    template: str,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {"partnership": partnership, "form": form, **extra},
        status=400 if form.errors else 200,
    )


def _posted_id(request: HttpRequest, name: str) -> int:
    """The id a form posts in `name`; 0 (which no row has, so 404) for anything but a whole
    number. A hand-edited form ("abc", "1.5", "²") is a missing row, not a server error."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else 0


def _detail_url(partnership: Partnership) -> str:
    return reverse("partnerships:detail", args=[partnership.pk])


# ---- Partnerships ------------------------------------------------------------------------------


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/list.html",
        {"partnerships": selectors.partnerships_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    permissions.require_confirmed(request.user)  # says why, before the form is filled in
    form = PartnershipCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(
                _user(request),
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                place=place_by_gss(form.cleaned_data["place"]),
                perspective=form.cleaned_data["perspective"],
                stage=form.cleaned_data["stage"],
                resembles_case_study=form.cleaned_data["resembles_case_study"],
            )
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Partnership created. You are its lead.")
            return redirect(_detail_url(partnership))
    return render(
        request, "partnerships/create.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    user = request.user
    members = selectors.current_members(partnership)
    results = selectors.health_results(partnership, user)
    funding = selectors.funding_of(partnership)
    context = {
        "partnership": partnership,
        "role": MemberRole(role).label if (role := partnership.role_of(user)) else None,
        "can_change": permissions.can_change_partnership(user, partnership),
        "can_manage": permissions.can_manage_partnership_members(user, partnership),
        "invitations": (
            [
                (i, selectors.invitee_label(i, user))
                for i in selectors.pending_invitations(partnership)
            ]
            if permissions.can_invite_to_partnership(user, partnership)
            else []
        ),
        "members": [(m, selectors.member_name(m)) for m in members],
        "stage_changes": partnership.stage_changes.select_related("changed_by"),
        "milestones": partnership.milestones.all(),
        "documents": partnership.documents.all(),
        "funding_total_pence": selectors.funding_total_pence(funding),
        "funding_count": len(funding),
        "case_study": case_study(partnership.resembles_case_study),
        "open_round": selectors.open_round(partnership),
        "latest": selectors.latest_shown(results),
        "stages": Stage.choices,
        # A person's own direct membership, so they can leave (organisations leave via a lead).
        "own_membership": next((m for m in members if m.user_id == user.pk), None),
    }
    return render(request, "partnerships/detail.html", context)


def _change_view(
    handler: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A page that changes a partnership: members only (404 otherwise), then the change rule
    (403 for observers). The services check the rule again."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        partnership = _partnership_for(request, pk)
        permissions.require(permissions.can_change_partnership(request.user, partnership))
        return handler(request, partnership, **kwargs)

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _manage_view(
    handler: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A page only a lead uses (members, rounds)."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        partnership = _partnership_for(request, pk)
        permissions.require(permissions.can_manage_partnership_members(request.user, partnership))
        return handler(request, partnership, **kwargs)

    view.__name__ = handler.__name__
    return view


@_change_view
def partnership_edit(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    initial = {
        "name": partnership.name,
        "purpose": partnership.purpose,
        "place": partnership.place.gss_code,
        "resembles_case_study": partnership.resembles_case_study,
    }
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                _user(request),
                partnership,
                {
                    "name": form.cleaned_data["name"],
                    "purpose": form.cleaned_data["purpose"],
                    "place": place_by_gss(form.cleaned_data["place"]),
                    "resembles_case_study": form.cleaned_data["resembles_case_study"],
                },
            )
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Partnership updated.")
            return redirect(_detail_url(partnership))
    return _form_page(request, partnership, form, "partnerships/edit.html")


@_change_view
def partnership_stage(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = StageForm(request.POST or None, initial={"stage": partnership.stage})
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_change_stage(
                _user(request),
                partnership,
                form.cleaned_data["stage"],
                form.cleaned_data["changed_on"],
                form.cleaned_data["note"],
            )
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Stage changed.")
            return redirect(_detail_url(partnership))
    return _form_page(request, partnership, form, "partnerships/stage.html")


@_manage_view
def member_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """Add an organisation from the atlas, or invite a person by email. Inviting looks nothing
    up: the page says the same ("We have sent an invitation to ...") whether or not the address
    has an account."""
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "organisation":
                organisation = organisation_by_identifier(data["org_id"].strip())
                if organisation is None:
                    raise services.PartnershipError(
                        "No organisation in the atlas has that identifier.", "org_id"
                    )
                services.partnership_add_member(
                    _user(request),
                    partnership,
                    organisation=organisation,
                    perspective=data["perspective"],
                    role=data["role"],
                )
                done = "Member added."
            else:
                invitation = services.invitation_send(
                    _user(request),
                    partnership,
                    email=data["email"],
                    perspective=data["perspective"],
                    role=data["role"],
                    site_url=request.build_absolute_uri("/"),
                )
                done = (
                    f"We have sent an invitation to {invitation.email}. They join the "
                    f"partnership when they accept it."
                )
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_detail_url(partnership))
    return _form_page(
        request,
        partnership,
        form,
        "partnerships/member_add.html",
        invitation_days=services.INVITATION_DAYS,
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    permissions.require(permissions.can_invite_to_partnership(request.user, partnership))
    invitation = get_object_or_404(PartnershipInvitation, pk=invitation_id, partnership=partnership)
    try:
        services.invitation_revoke(_user(request), invitation)
    except services.PartnershipError as error:
        messages.error(request, error.message)
    else:
        label = selectors.invitee_label(invitation, request.user)
        messages.success(request, f"The invitation to {label} is withdrawn.")
    return redirect(_detail_url(partnership))


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link leads. The person it was sent to, signed in with that address
    (confirmed), accepts or declines it; anyone else is asked to sign in with that address, or
    told plainly why the link no longer works. Nothing here says whether an account exists."""
    found = selectors.invitation_for_token(token)
    if found is None:
        return _invitation_page(request, "not_valid", None, status=404)
    problem = selectors.invitation_problem(found)
    if problem is not None:
        return _invitation_page(request, "unusable", found, status=410, problem=problem)
    user = request.user
    if not permissions.is_signed_in(user):
        sign_in = reverse("accounts:sign-in") + "?" + urlencode({"next": request.path})
        return _invitation_page(request, "sign_in", found, status=200, sign_in=sign_in)
    if (user.email or "").lower() != found.email:  # type: ignore[union-attr]
        return _invitation_page(request, "wrong_account", found, status=403)
    if not permissions.can_answer_invitation(user, found):
        return _invitation_page(request, "confirm_email", found, status=403)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                member, joined = services.invitation_accept(_user(request), found)
                messages.success(request, selectors.invitation_accepted_message(member, joined))
                return redirect(_detail_url(found.partnership))
            if answer == "decline":
                services.invitation_decline(_user(request), found)
                messages.success(request, selectors.invitation_declined_message(found))
                return redirect("partnerships:list")
        except services.InvitationUnusable as error:
            return _invitation_page(
                request,
                "unusable",
                found,
                status=410,
                problem=selectors.InvitationProblem(error.reason, error.message),
            )
        return _invitation_page(
            request, "answer", found, status=400, error="Choose whether to accept or decline."
        )
    return _invitation_page(request, "answer", found, status=200)


def _invitation_page(
    request: HttpRequest,
    step: str,
    found: PartnershipInvitation | None,
    *,
    status: int,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "partnerships/invitation.html",
        {"step": step, "invitation": found, **extra},
        status=status,
    )


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    member = get_object_or_404(PartnershipMember, pk=member_id, partnership=partnership)
    try:
        services.partnership_member_leave(_user(request), member)
    except services.PartnershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Membership ended.")
    if not permissions.can_view_partnership(request.user, partnership):
        return redirect("partnerships:list")
    return redirect(_detail_url(partnership))


@_change_view
def milestone_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(_user(request), partnership, **form.cleaned_data)
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Milestone added.")
            return redirect(_detail_url(partnership))
    return _form_page(request, partnership, form, "partnerships/milestone_add.html")


@_change_view
def milestone_done(
    request: HttpRequest, partnership: Partnership, milestone_id: int
) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=milestone_id, partnership=partnership)
    form = MilestoneDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_mark_done(_user(request), milestone, form.cleaned_data["done_on"])
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Milestone marked as reached.")
            return redirect(_detail_url(partnership))
    return _form_page(
        request, partnership, form, "partnerships/milestone_done.html", milestone=milestone
    )


@_change_view
def document_add(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                _user(request),
                partnership,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Document uploaded.")
            return redirect(_detail_url(partnership))
    return _form_page(request, partnership, form, "partnerships/document_add.html")


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    partnership = _partnership_for(request, pk)
    document = get_object_or_404(PartnershipDocument, pk=document_id, partnership=partnership)
    return serve_upload(document.file, document.original_name, document.kind)


# ---- Health check ------------------------------------------------------------------------------


@login_required
def health_check(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    results = selectors.health_results(partnership, request.user)
    open_round = selectors.open_round(partnership)
    latest = selectors.latest_shown(results)
    perspectives = []
    if latest is not None:
        seen: dict[str, str] = {}
        for principle in latest.principles:
            for view in principle.perspectives:
                seen.setdefault(view.perspective, view.label)
        perspectives = list(seen.items())
    context = {
        "partnership": partnership,
        "results": results,
        "latest": latest,
        "perspectives": perspectives,
        "open_round": open_round,
        "answered": open_round is not None and selectors.has_answered(open_round, request.user),
        "is_member": partnership.role_of(request.user) is not None,
        "can_manage": permissions.can_manage_partnership_members(request.user, partnership),
        "min_responses": HEALTH_CHECK_MIN_RESPONSES,
        "min_perspective": HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES,
        "questions": [(p.label, PRINCIPLE_QUESTIONS[p]) for p in Principle],
        "own_answers": [
            (a, sorted(a.scores.all(), key=lambda sc: PRINCIPLE_ORDER.index(sc.principle)))
            for a in selectors.own_answers(partnership, request.user)
        ],
        "chart": _chart(latest) if latest else None,
        "table": _table(latest, perspectives) if latest else [],
    }
    return render(request, "partnerships/health_check.html", context)


PRINCIPLE_ORDER = list(Principle.values)
CHART_WIDTH, CHART_LEFT, BAR_HEIGHT, BAR_GAP = 760, 200, 10, 2


def _chart(latest: selectors.RoundResult) -> dict[str, Any]:
    """Coordinates for the server-drawn bar chart: one group a principle, one bar for all
    members and one for each perspective shown."""
    scale = (CHART_WIDTH - CHART_LEFT - 20) / 5
    rows: list[dict[str, Any]] = []
    drawn: set[str] = set()
    y = 0
    for result in latest.principles:
        averages = [("all", result.average)] + [
            (v.perspective, v.average) for v in result.perspectives if v.average is not None
        ]
        bars = [
            {"code": code, "y": y + i * (BAR_HEIGHT + BAR_GAP), "width": round(avg * scale, 1)}
            for i, (code, avg) in enumerate(averages)
        ]
        drawn.update(code for code, _ in averages)
        height = max(len(bars) * (BAR_HEIGHT + BAR_GAP), 16)
        rows.append({"label": result.label, "label_y": y + 13, "bars": bars})
        y += height + 14
    ticks = [{"x": round(CHART_LEFT + v * scale, 1), "value": v} for v in range(6)]
    labels = {v.perspective: v.label for r in latest.principles for v in r.perspectives}
    return {
        # The legend lists only the perspectives that have bars.
        "perspectives": [(code, labels[code]) for code in labels if code in drawn],
        "rows": rows,
        "ticks": ticks,
        "left": CHART_LEFT,
        "bar_height": BAR_HEIGHT,
        "axis_y": y,
        "tick_y": y + 14,
        "height": y + 18,
    }


def _table(
    latest: selectors.RoundResult, perspectives: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    rows = []
    for result in latest.principles:
        by_code = {v.perspective: v.average for v in result.perspectives}
        rows.append(
            {"result": result, "perspective_cells": [by_code.get(c) for c, _ in perspectives]}
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def health_check_answer(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    permissions.require(permissions.can_answer_health_check(request.user, partnership))
    open_round = selectors.open_round(partnership)
    if open_round is None:
        messages.error(request, "There is no open round to answer.")
        return redirect("partnerships:health-check", pk=partnership.pk)
    if selectors.has_answered(open_round, request.user):
        messages.error(request, "You have already answered this round.")
        return redirect("partnerships:health-check", pk=partnership.pk)
    form = HealthCheckForm.build(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.health_check_answer(_user(request), open_round, form.answers())
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Thank you. Your answers are recorded.")
            return redirect("partnerships:health-check", pk=partnership.pk)
    return _form_page(
        request, partnership, form, "partnerships/health_check_answer.html", round=open_round
    )


@_manage_view
def health_check_open(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return redirect("partnerships:health-check", pk=partnership.pk)
    try:
        services.health_check_round_open(_user(request), partnership)
    except services.PartnershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "A new round is open. Members can answer now.")
    return redirect("partnerships:health-check", pk=partnership.pk)


@_manage_view
def health_check_close(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return redirect("partnerships:health-check", pk=partnership.pk)
    open_round = selectors.open_round(partnership)
    if open_round is None:
        messages.error(request, "There is no open round to close.")
    else:
        services.health_check_round_close(_user(request), open_round)
        messages.success(request, f"Round {open_round.number} is closed.")
    return redirect("partnerships:health-check", pk=partnership.pk)


# ---- Route appraisal and funding ---------------------------------------------------------------


@_change_view
def partnership_route(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """Link the saved route appraisal the partnership's route came from."""
    appraisals = list(appraisals_for(request.user))
    form = RouteForm(
        request.POST or None,
        appraisals=appraisals,
        initial={"appraisal": str(partnership.appraisal_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["appraisal"]
        appraisal = next((a for a in appraisals if str(a.pk) == chosen), None)
        try:
            services.partnership_link_appraisal(_user(request), partnership, appraisal)
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Route appraisal saved.")
            return redirect(_detail_url(partnership))
    return _form_page(
        request, partnership, form, "partnerships/route.html", has_appraisals=bool(appraisals)
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_funding(request: HttpRequest, pk: int) -> HttpResponse:
    """The money flows that fund the partnership: linked ones, and likely ones from the ledger
    (paid to or by member organisations) that a member can link."""
    partnership = _partnership_for(request, pk)
    can_change = permissions.can_change_partnership(request.user, partnership)
    if request.method == "POST":
        permissions.require(can_change)
        action = request.POST.get("action")
        try:
            if action == "add":
                flow = get_object_or_404(MoneyFlow, pk=_posted_id(request, "money_flow"))
                services.partnership_add_funding(_user(request), partnership, flow)
                messages.success(request, "Money flow linked.")
            elif action == "remove":
                link = get_object_or_404(
                    PartnershipFunding, pk=_posted_id(request, "link"), partnership=partnership
                )
                services.partnership_remove_funding(_user(request), link)
                messages.success(request, "Money flow unlinked.")
            else:
                return HttpResponse("Unknown action.", status=400)
        except services.PartnershipError as error:
            messages.error(request, error.message)
        return redirect("partnerships:funding", pk=partnership.pk)
    links = selectors.funding_of(partnership)
    return render(
        request,
        "partnerships/funding.html",
        {
            "partnership": partnership,
            "can_change": can_change,
            "links": links,
            "total_pence": selectors.funding_total_pence(links),
            "candidates": selectors.funding_candidates(partnership) if can_change else [],
        },
    )


@_manage_view
def member_add_shortlist(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """Add the organisations on one of the lead's own shortlists as members."""
    own = list(shortlists_of(request.user))
    form = ShortlistTakeForm(
        request.POST or None,
        initial={"shortlist": request.GET.get("shortlist", "")},
        choices=[(str(s.pk), f"{s.name} ({s.size})") for s in own],  # type: ignore[attr-defined]
    )
    if request.method == "POST" and form.is_valid():
        shortlist = shortlist_of(request.user, int(form.cleaned_data["shortlist"]))
        try:
            if shortlist is None:
                raise services.PartnershipError("Choose a shortlist", "shortlist")
            taken = partnership_add_shortlist(
                _user(request), partnership, shortlist, role=form.cleaned_data["role"]
            )
        except services.PartnershipError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, taken.summary())
            return redirect(_detail_url(partnership))
    return _form_page(
        request, partnership, form, "partnerships/member_add_shortlist.html", shortlists=own
    )


def shortlist_partnership_choices(user: Any, shortlist: Any) -> list[tuple[str, str]]:
    """For a shortlist's page: the partnerships the person leads, each with the address that
    adds the shortlist's organisations to it."""
    return [
        (
            partnership.name,
            reverse("partnerships:member-add-shortlist", args=[partnership.pk])
            + "?"
            + urlencode({"shortlist": shortlist.pk}),
        )
        for partnership in selectors.partnerships_for(user)
        if permissions.can_manage_partnership_members(user, partnership)
    ]
