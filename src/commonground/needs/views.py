"""Needs pages: thin views over the selectors and services (ADR 0028)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commonground.accounts import permissions
from commonground.commissioning.selectors import appraisals_for
from commonground.organisations.models import Organisation
from commonground.organisations.shortlist_selectors import shortlist_of, shortlists_of
from commonground.partnerships.models import Partnership
from commonground.partnerships.selectors import partnerships_for

from . import selectors, services
from .forms import AnswerForm, InterestForm, InviteForm, NeedForm, QuestionForm
from .models import Interest, Need
from .validation import route_name

# Service field names that the form calls something else.
FORM_FIELDS = {"budget_min_pence": "budget_min", "budget_max_pence": "budget_max"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _need(request: HttpRequest, pk: int) -> Need:
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404("No such need")
    return need


def _owned(request: HttpRequest, pk: int) -> Need:
    need = _need(request, pk)
    permissions.require(permissions.can_change_need(request.user, need))
    return need


def _apply(form: Any, error: services.NeedError) -> None:
    field = FORM_FIELDS.get(error.field, error.field)
    if field.startswith("ward_codes"):
        field = "wards"
    form.add_error(field if field in form.fields else None, error.message)


def _url(need: Need, name: str = "detail") -> str:
    return reverse(f"needs:{name}", args=[need.pk])


def need_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = selectors.needs_visible_to(user)
    acted_for = permissions.organisations_acted_for(user)
    fitting = []
    for org in selectors.organisations_acted_for(user):
        fitting += [(org, need, match) for need, match in selectors.needs_fitting(user, org)]
    context = {
        "published": [n for n in visible if n.status == "published"],
        "own": [n for n in visible if n.organisation_id in acted_for],
        "fitting": fitting,
        "can_write": bool(acted_for),
    }
    return render(request, "needs/list.html", context)


def _initial(need: Need) -> dict[str, Any]:
    """What the edit form shows for the need as it is now (its version included)."""
    return {
        **{f: getattr(need, f) for f in ("title", "outcomes", "who_for", "timeline")},
        **{f: getattr(need, f) for f in ("kind", "notice_status", "notice_reference")},
        "version": need.version,
        "organisation": str(need.organisation_id),
        "place": need.place.gss_code,
        "wards": ", ".join(need.ward_codes),
        "budget_min": need.budget_min_pence // 100 if need.budget_min_pence else None,
        "budget_max": need.budget_max_pence // 100 if need.budget_max_pence else None,
        "route_codes": need.route_codes,
        "appraisal": str(need.appraisal_id or ""),
        "visibility": need.visibility,
        "closes_on": need.closes_on,
    }


def _need_form(request: HttpRequest, need: Need | None, data: Any = None) -> NeedForm:
    user = request.user
    orgs = selectors.organisations_acted_for(user)
    appraisals = [(str(a.pk), str(a)) for a in appraisals_for(user)]
    form = NeedForm(
        data if data is not None else (request.POST or None),
        initial=_initial(need) if need is not None else None,
        organisations=[(str(o.pk), o.name) for o in orgs],
        appraisals=appraisals,
    )
    if need is not None:
        form.fields["organisation"].required = False
    return form


def _shown(form: NeedForm, name: str, value: Any) -> str:
    """A value of the need as the page words it."""
    if value in (None, "", []):
        return "Not given"
    choices = {str(k): str(v) for k, v in getattr(form.fields[name], "choices", [])}
    if isinstance(value, list):
        return ", ".join(choices.get(str(v), str(v)) for v in value)
    if name.startswith("budget_"):
        return f"£{value:,}"
    if hasattr(value, "strftime"):
        return str(value.strftime("%-d %B %Y"))
    return choices.get(str(value), str(value))


def _changed_since(request: HttpRequest, pk: int) -> tuple[Need, NeedForm, list[tuple[str, str]]]:
    """After a save refused because the need changed: the need as it is now, the form with
    what the person typed (kept, to save again from the current version) and, for each field
    where what they typed differs from what it now says, what it now says."""
    current = _owned(request, pk)
    typed = request.POST.copy()
    typed["version"] = str(current.version)
    form = _need_form(request, current, typed)
    form.is_valid()
    same = {"organisation", "version"}
    if form.is_valid() and set(form.ward_codes()) == set(current.ward_codes):
        same.add("wards")  # typed by name, kept as codes: the same wards either way
    changes = [
        (str(form.fields[name].label), _shown(form, name, form[name].initial))
        for name in form.changed_data
        if name not in same
    ]
    return current, form, changes


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    permissions.require_confirmed(request.user)
    form = _need_form(request, None)
    if request.method == "POST" and form.is_valid():
        organisation = selectors.organisations_acted_for(request.user).get(
            pk=form.cleaned_data["organisation"]
        )
        try:
            need = services.need_create(_user(request), organisation, form.service_data())
        except services.NeedError as error:
            _apply(form, error)
        else:
            messages.success(request, "Need saved as a draft. Publish it when it is ready.")
            return redirect(_url(need))
    status = 400 if form.errors else 200
    return render(request, "needs/form.html", {"form": form, "need": None}, status=status)


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _owned(request, pk)
    form = _need_form(request, need)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            services.need_update(_user(request), need, form.service_data(), version=version)
        except services.NeedChanged:
            need, form, changes = _changed_since(request, pk)
            context = {"form": form, "need": need, "changed": True, "changes": changes}
            return render(request, "needs/form.html", context, status=409)
        except services.NeedError as error:
            _apply(form, error)
        else:
            messages.success(request, "Need saved.")
            return redirect(_url(need))
    status = 400 if form.errors else 200
    return render(request, "needs/form.html", {"form": form, "need": need}, status=status)


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    user = request.user
    responding = [(str(o.pk), o.name) for o in selectors.responding_organisations(user, need)]
    owner = permissions.can_change_need(user, need)
    context = {
        "need": need,
        "owner": owner,
        "is_open": selectors.is_open(need),
        "routes": [route_name(code) for code in need.route_codes],
        "budget": selectors.budget_words(need),
        "notices": selectors.notices_of(need),
        "questions": selectors.questions_for(need, user),
        "interest_form": InterestForm(organisations=responding) if responding else None,
        "question_form": QuestionForm(organisations=responding) if responding else None,
        "answer_form": AnswerForm() if owner else None,
        "interest_count": selectors.interest_count(need) if owner else None,
        # The linked appraisal is private: it shows only to people who may open it.
        "appraisal": (
            need.appraisal
            if need.appraisal is not None and permissions.can_view(user, need.appraisal)
            else None
        ),
    }
    return render(request, "needs/detail.html", context)


@require_POST
@login_required
def need_publish(request: HttpRequest, pk: int) -> HttpResponse:
    need = _owned(request, pk)
    try:
        services.need_publish(_user(request), need)
    except services.NeedError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Need published.")
    return redirect(_url(need))


def _responding_org(request: HttpRequest, need: Need, form: Any) -> Organisation | None:
    ids = {o.pk: o for o in selectors.responding_organisations(request.user, need)}
    return ids.get(int(form.cleaned_data["organisation"]))


def _respond(request: HttpRequest, pk: int, form_class: Any, action: Any, done: str) -> Any:
    need = _need(request, pk)
    orgs = [(str(o.pk), o.name) for o in selectors.responding_organisations(request.user, need)]
    permissions.require(bool(orgs))
    form = form_class(request.POST, organisations=orgs)
    if form.is_valid():
        try:
            action(need, _responding_org(request, need, form), form.cleaned_data)
        except services.NeedError as error:
            _apply(form, error)
        else:
            messages.success(request, done)
            return redirect(_url(need))
    return render(request, "needs/respond.html", {"need": need, "form": form}, status=400)


@require_POST
@login_required
def interest_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(need: Need, org: Organisation, data: dict[str, Any]) -> None:
        services.interest_submit(
            _user(request), need, org, kind=data["kind"], message=data["message"]
        )

    done = "Your interest has been sent. The commissioner sees your organisation's name."
    return _respond(request, pk, InterestForm, act, done)  # type: ignore[no-any-return]


@require_POST
@login_required
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    def act(need: Need, org: Organisation, data: dict[str, Any]) -> None:
        services.question_ask(_user(request), need, org, text=data["text"])

    done = "Question sent. Its answer will be published to every respondent."
    return _respond(request, pk, QuestionForm, act, done)  # type: ignore[no-any-return]


@require_POST
@login_required
def question_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    need = _owned(request, pk)
    question = selectors.question_of(need, question_id)
    if question is None:
        raise Http404("No such question")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(_user(request), question, answer=form.cleaned_data["answer"])
        except services.NeedError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Answer published to every respondent.")
    else:
        messages.error(request, "Enter the answer.")
    return redirect(_url(need))


@login_required
def need_matches(request: HttpRequest, pk: int) -> HttpResponse:
    need = _owned(request, pk)
    context = {"need": need, "matches": selectors.matches_for(need)}
    return render(request, "needs/matches.html", context)


def _led_partnerships(request: HttpRequest) -> list[Partnership]:
    return [p for p in partnerships_for(request.user) if p.role_of(request.user) == "lead"]


def _choices(partnerships: list[Partnership]) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in partnerships]


@login_required
def respondents(request: HttpRequest, pk: int) -> HttpResponse:
    need = _owned(request, pk)
    context = {
        "need": need,
        "rows": selectors.compare(need),
        "invite_form": InviteForm(partnerships=_choices(_led_partnerships(request))),
        "shortlisted": selectors.shortlisted_organisations(need),
        "own_shortlists": list(shortlists_of(request.user)),
    }
    return render(request, "needs/respondents.html", context)


def _interest(need: Need, interest_id: int) -> Interest:
    interest = selectors.interest_by_id(need, interest_id)
    if interest is None:
        raise Http404("No such response")
    return interest


@require_POST
@login_required
def interest_shortlist(request: HttpRequest, pk: int, interest_id: int) -> HttpResponse:
    need = _owned(request, pk)
    interest = _interest(need, interest_id)
    on = request.POST.get("shortlisted", "yes") == "yes"
    services.interest_shortlist(_user(request), interest, shortlisted=on)
    name = interest.organisation.name
    messages.success(request, f"{name} {'added to' if on else 'taken off'} the shortlist.")
    return redirect(_url(need, "respondents"))


@require_POST
@login_required
def interest_invite(request: HttpRequest, pk: int, interest_id: int) -> HttpResponse:
    need = _owned(request, pk)
    interest = _interest(need, interest_id)
    led = _led_partnerships(request)
    form = InviteForm(request.POST, partnerships=_choices(led))
    if not form.is_valid():
        messages.error(request, "Choose a partnership you lead.")
        return redirect(_url(need, "respondents"))
    partnership = next(p for p in led if str(p.pk) == form.cleaned_data["partnership"])
    try:
        services.interest_invite(
            _user(request), interest, partnership, site_url=request.build_absolute_uri("/")
        )
    except services.partnership_services.PartnershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{interest.organisation.name} invited into {partnership.name}: the person who "
            "responded has been emailed a link to accept.",
        )
    return redirect(_url(need, "respondents"))


@require_POST
@login_required
def attach_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    need = _owned(request, pk)
    chosen = request.POST.get("shortlist", "")
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    is_id = chosen.isascii() and chosen.isdigit()
    shortlist = shortlist_of(request.user, int(chosen)) if is_id else None
    if chosen and shortlist is None:
        raise Http404("No such shortlist")
    services.need_attach_shortlist(_user(request), need, shortlist)
    messages.success(request, "Shortlist attached." if shortlist else "Shortlist detached.")
    return redirect(_url(need, "respondents"))
