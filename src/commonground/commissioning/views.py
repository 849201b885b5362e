"""Pages: the route catalogue, the question flow (answers kept in the session, so anyone can
run an appraisal), the results, and saved appraisals (signed in: save, revisit, copy, share)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts import permissions
from commonground.accounts.services import display_name

from . import flow, partners, selectors, services
from .answers import AnswerError, parse_answers
from .catalogue import FAMILIES, PRINCIPLES, rules
from .engine import appraise, pounds
from .forms import SaveForm
from .models import Appraisal
from .pdf import decision_record_pdf
from .presenters import date_label, grouped, precedents, recommendation, to_confirm
from .questions import (
    BY_FIELD,
    answers_from_raw,
    applicable,
    display,
    form_for,
    next_question,
    previous_question,
)
from .word import decision_record_docx

SESSION_KEY = flow.SESSION_KEY  # where the answers so far are kept
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _raw(request: HttpRequest) -> dict[str, Any]:
    return flow.raw(request.session)


def _store(request: HttpRequest, raw: dict[str, Any]) -> None:
    flow.store(request.session, raw)


# ---- catalogue --------------------------------------------------------------------------------


def route_list(request: HttpRequest) -> HttpResponse:
    catalogue = rules()
    families = [
        {
            "code": code,
            "label": label,
            "routes": [r for r in catalogue.routes.values() if r.family == code],
        }
        for code, label in FAMILIES.items()
    ]
    thresholds = [
        {
            "key": t.key,
            "label": t.label,
            "unit": t.unit,
            "values": [{"v": v, "display": _figure(v.value, t.unit)} for v in t.values],
        }
        for t in catalogue.thresholds.values()
    ]
    return render(
        request,
        "commissioning/route_list.html",
        {
            "families": families,
            "thresholds": thresholds,
            "version": catalogue.version,
            "reviewed": catalogue.reviewed,
        },
    )


def _figure(value: float, unit: str) -> str:
    if unit == "pence":
        return pounds(value)
    if unit == "months":
        return f"{value:g} months"
    return f"{value * 100:g}%"


def route_detail(request: HttpRequest, code: str) -> HttpResponse:
    route = rules().routes.get(code)
    if route is None:
        raise Http404("No such route")
    return render(
        request,
        "commissioning/route_detail.html",
        {
            "route": route,
            "data": route.data,
            "family_label": FAMILIES[route.family],
            "principles": [
                {"label": label, "fit": route.data["principle_fit"][key]}
                for key, label in PRINCIPLES.items()
            ],
            "precedents": precedents(code),
            "version": rules().version,
        },
    )


# ---- the question flow ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        flow.begin(request.session, {})
        first = applicable({})[0]
        return redirect("commissioning:question", field=first.field)
    return render(request, "commissioning/start.html", {"has_answers": bool(_raw(request))})


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, field: str) -> HttpResponse:
    q = BY_FIELD.get(field)
    raw = _raw(request)
    if q is None:
        raise Http404("No such question")
    if not q.show_if(raw):
        # Reached by an old link after an earlier answer changed: go on to what is relevant.
        nxt = next_question(raw)
        return redirect(_next_url(nxt))
    changing = request.GET.get("change") == "1"
    choices = (
        partners.choices(request.user, list(raw.get(q.field) or []))
        if q.kind == "partners"
        else None
    )
    if request.method == "POST":
        form = form_for(q, data=request.POST, partner_choices=choices)
        if form.is_valid():
            raw[q.field] = form.value()
            _store(request, raw)
            nxt = next_question(raw, after=q.field)
            if changing and nxt is None:
                return redirect("commissioning:check")
            return redirect(_next_url(nxt, change=changing))
    else:
        form = form_for(q, initial=raw.get(q.field), partner_choices=choices)
    prev = previous_question(raw, q.field)
    back = (
        reverse("commissioning:check")
        if changing
        else (
            reverse("commissioning:question", args=[prev.field])
            if prev
            else reverse("commissioning:start")
        )
    )
    # "Question N" and the section, never "N of M": the total changes with the answers, and
    # a total that jumps misleads more than it helps.
    qs = applicable(raw)
    number = next((i for i, x in enumerate(qs, 1) if x.field == q.field), 1)
    return render(
        request,
        "commissioning/question.html",
        {"form": form, "q": q, "back": back, "number": number},
    )


def _next_url(q: Any, change: bool = False) -> str:
    if q is None:
        return reverse("commissioning:check")
    url = reverse("commissioning:question", args=[q.field])
    return f"{url}?change=1" if change else url


def _summary_rows(raw: dict[str, Any], change_links: bool) -> list[dict[str, Any]]:
    return [
        {
            "label": q.label,
            "value": display(q, raw.get(q.field)),
            "field": q.field,
            "change": (
                reverse("commissioning:question", args=[q.field]) + "?change=1"
                if change_links
                else ""
            ),
        }
        for q in applicable(raw)
    ]


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    raw = _raw(request)
    nxt = next_question(raw)
    if nxt is not None:
        return redirect(_next_url(nxt))
    error: AnswerError | None = None
    try:
        parse_answers(answers_from_raw(raw))
    except AnswerError as exc:
        error = exc
    if request.method == "POST" and error is None:
        return redirect("commissioning:result")
    return render(
        request,
        "commissioning/check.html",
        {"rows": _summary_rows(raw, change_links=True), "error": error},
    )


def _session_answers(request: HttpRequest) -> Any:
    return flow.answers(request.session)


def _result_context(request: HttpRequest, outcome: dict[str, Any], answers: dict[str, Any]):
    """What the results page shows for any result, saved or not."""
    return {
        "result": outcome,
        "decision_date": date_label(outcome["decision_date"]),
        "groups": grouped(outcome),
        "recommendation": recommendation(outcome),
        "to_confirm": to_confirm(outcome),
        "service_name": answers.get("service_name", ""),
        "authority_name": answers.get("authority_name", ""),
        "partners": partners.labels(list(answers.get("partners") or [])),
        # Rule codes are for lawyers checking the rules; shown only when asked for.
        "show_rules": request.GET.get("rules") == "1",
    }


def result(request: HttpRequest) -> HttpResponse:
    answers = _session_answers(request)
    if answers is None:
        return redirect("commissioning:check")
    outcome = appraise(answers)
    return render(
        request,
        "commissioning/result.html",
        {
            **_result_context(request, outcome, answers.model_dump(mode="json")),
            "rows": _summary_rows(_raw(request), change_links=True),
            "appraisal": None,
            "origin": flow.origin(request.session),
            "pdf_url": reverse("commissioning:result-pdf"),
            "docx_url": reverse("commissioning:result-docx"),
        },
    )


def result_pdf(request: HttpRequest) -> HttpResponse:
    answers = _session_answers(request)
    if answers is None:
        return redirect("commissioning:check")
    outcome = appraise(answers)
    data = decision_record_pdf(title="", answers=answers.model_dump(mode="json"), result=outcome)
    return _pdf_response(data, "route-appraisal.pdf")


def result_docx(request: HttpRequest) -> HttpResponse:
    answers = _session_answers(request)
    if answers is None:
        return redirect("commissioning:check")
    data = decision_record_docx(answers=answers.model_dump(mode="json"), result=appraise(answers))
    return _docx_response(data, "route-appraisal.docx")


def _docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    answers = _session_answers(request)
    if answers is None:
        return redirect("commissioning:check")
    form = SaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not saved: {form.errors['name'][0]}")
        return redirect("commissioning:result")
    appraisal = services.appraisal_create(
        author=request.user, answers=answers, name=form.cleaned_data["name"]
    )
    messages.success(request, "Appraisal saved")
    return redirect("commissioning:appraisal", pk=appraisal.pk)


# ---- saved appraisals -------------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> Appraisal:
    appraisal = selectors.appraisal_visible_to(request.user, pk)
    if appraisal is None:
        raise Http404("No such appraisal")
    return appraisal


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    items = [
        {
            "appraisal": a,
            "author": display_name(a.author),
            "mine": a.author_id == request.user.pk,
            "counts": a.result.get("counts", {}),
        }
        for a in selectors.appraisals_for(request.user)
    ]
    return render(request, "commissioning/appraisal_list.html", {"items": items})


@login_required
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    can_change = permissions.can_change(request.user, appraisal)
    return render(
        request,
        "commissioning/result.html",
        {
            **_result_context(request, appraisal.result, appraisal.answers),
            "rows": _summary_rows(appraisal.answers, change_links=False),
            "appraisal": appraisal,
            "author": display_name(appraisal.author),
            "can_change": can_change,
            "shared_with": [
                {"id": u.pk, "name": display_name(u)} for u in appraisal.shared_with.all()
            ],
            "current_version": rules().version,
            "pending": list(selectors.pending_invitations(appraisal)) if can_change else [],
            "now": timezone.now(),
            **_linked(request, appraisal),
            "can_link_need": bool(permissions.organisations_acted_for(request.user)),
            "can_link_partnership": True,  # the page says so if they have no partnership
            "pdf_url": reverse("commissioning:appraisal-pdf", args=[appraisal.pk]),
            "docx_url": reverse("commissioning:appraisal-docx", args=[appraisal.pk]),
        },
    )


def _linked(request: HttpRequest, appraisal: Appraisal) -> dict[str, list[Any]]:
    """The partnerships this appraisal is the route of, where the reader is a member, and the
    needs it is the appraisal of, where the reader may see the need."""
    user = request.user
    return {
        "partnerships": [p for p in appraisal.partnerships.all() if p.role_of(user) is not None],
        "needs": [n for n in appraisal.needs.all() if permissions.can_view_need(user, n)],
    }


def _record_links(request: HttpRequest, appraisal: Appraisal) -> list[tuple[str, str]]:
    linked = _linked(request, appraisal)
    return [("Partnership", p.name) for p in linked["partnerships"]] + [
        ("Need", n.title) for n in linked["needs"]
    ]


@login_required
def appraisal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    data = decision_record_pdf(
        title=appraisal.name,
        answers=appraisal.answers,
        result=appraisal.result,
        author=display_name(appraisal.author),
        links=_record_links(request, appraisal),
    )
    return _pdf_response(data, f"{slugify(appraisal.name) or 'appraisal'}.pdf")


@login_required
def appraisal_docx(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    data = decision_record_docx(
        answers=appraisal.answers,
        result=appraisal.result,
        name=appraisal.name,
        author=display_name(appraisal.author),
        links=_record_links(request, appraisal),
    )
    return _docx_response(data, f"{slugify(appraisal.name) or 'appraisal'}.docx")


@login_required
@require_POST
def appraisal_copy(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    copy = services.appraisal_copy(user=request.user, appraisal=appraisal)
    messages.success(request, "Copied, and worked out again with the current rules")
    return redirect("commissioning:appraisal", pk=copy.pk)


@login_required
@require_POST
def appraisal_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a saved appraisal's answers into the question flow to change and re-run them."""
    appraisal = _visible(request, pk)
    flow.begin(request.session, dict(appraisal.answers))
    return redirect("commissioning:check")


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_share(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    permissions.require(permissions.can_change(request.user, appraisal))
    permissions.require_confirmed(request.user)  # says why, before the form is filled in
    from .forms import ShareForm

    form = ShareForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.appraisal_share(
                user=request.user,
                appraisal=appraisal,
                email=email,
                site_url=request.build_absolute_uri("/"),
            )
        except services.ShareError as exc:
            form.add_error("email", str(exc))
            status = 429 if isinstance(exc, services.ShareLimit) else 400
        else:
            # The same answer whether or not the address has an account.
            messages.success(
                request,
                f"Invitation sent to {email}. They will see this appraisal once they accept it.",
            )
            return redirect("commissioning:appraisal", pk=appraisal.pk)
    context = {"form": form, "appraisal": appraisal}
    return render(request, "commissioning/share.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def share_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The person an appraisal was shared with accepts or declines; until they accept, nothing
    is added to their list."""
    invitation = selectors.share_invitation_for(token)
    if invitation is None:
        raise Http404("No such invitation")
    problem = services.share_invitation_problem(invitation, request.user)
    if request.method == "POST" and not problem:
        accept = request.POST.get("answer") == "accept"
        services.share_invitation_answer(user=request.user, invitation=invitation, accept=accept)
        if accept:
            messages.success(request, "The appraisal is now in your list")
            return redirect("commissioning:appraisal", pk=invitation.appraisal_id)
        messages.success(request, "Invitation declined")
        return redirect("commissioning:appraisals")
    return render(
        request,
        "commissioning/share_invitation.html",
        {
            "invitation": invitation,
            "problem": problem,
            "inviter": display_name(invitation.invited_by),
        },
        status=410 if problem and invitation.status != "pending" else 200,
    )


@login_required
@require_POST
def share_invitation_withdraw(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    invitation = appraisal.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    try:
        services.share_invitation_withdraw(user=request.user, invitation=invitation)
    except services.ShareError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Invitation to {invitation.email} withdrawn")
    return redirect(reverse("commissioning:appraisal", args=[appraisal.pk]) + "#shared-with")


@login_required
@require_POST
def appraisal_unshare(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    services.appraisal_unshare(user=request.user, appraisal=appraisal, other_id=user_id)
    messages.success(request, "No longer shared with that person")
    return redirect("commissioning:appraisal", pk=appraisal.pk)


@login_required
@require_POST
def appraisal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    services.appraisal_delete(user=request.user, appraisal=appraisal)
    messages.success(request, "Appraisal deleted")
    return redirect("commissioning:appraisals")
