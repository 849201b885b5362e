"""Pages of a person's shortlists: list and make them, save an organisation to one, see one,
remove from it, rename or delete it, and download it as CSV. Thin: the services write and check
ownership; the selectors read only the person's own (anyone else's is a 404, like a missing one).

Other contexts add what can be done with a shortlist (take it into a partnership, attach it to
a need) through `page_parts.shortlist_parts`, without this module knowing them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.spreadsheets import csv_response

from . import shortlists as services
from .models import Organisation, Shortlist
from .page_parts import shortlist_parts
from .selectors import organisation_by_identifier
from .shortlist_selectors import shortlist_entries, shortlist_of, shortlists_holding, shortlists_of

NEW = "new"


class ShortlistNameForm(forms.Form):
    name = forms.CharField(
        label="Name of the shortlist",
        max_length=services.NAME_MAX,
        help_text="For example, Befriending in Trafford",
        error_messages={"required": "Enter a name for the shortlist."},
    )


class SaveToShortlistForm(forms.Form):
    shortlist = forms.ChoiceField(
        label="Which shortlist?", error_messages={"required": "Choose a shortlist."}
    )
    name = forms.CharField(
        label="Name of the new shortlist", max_length=services.NAME_MAX, required=False
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="Why you saved it, for your own reference",
        max_length=services.NOTE_MAX,
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shortlist"].choices = [*choices, (NEW, "A new shortlist")]  # type: ignore[attr-defined]
        if len(choices) == 0:
            self.fields["shortlist"].initial = NEW

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("shortlist") == NEW and not (data.get("name") or "").strip():
            self.add_error("name", "Enter a name for the new shortlist.")
        return data


def _own(request: HttpRequest, pk: int) -> Shortlist:
    shortlist = shortlist_of(request.user, pk)
    if shortlist is None:
        raise Http404("No such shortlist.")
    return shortlist


def _add_error(form: forms.Form, error: services.ShortlistError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_list(request: HttpRequest) -> HttpResponse:
    form = ShortlistNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shortlist = services.shortlist_create(request.user, name=form.cleaned_data["name"])
        except services.ShortlistError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"Shortlist {shortlist.name} made.")
            return redirect("organisations:shortlist", pk=shortlist.pk)
    return render(
        request,
        "organisations/shortlists/list.html",
        {"shortlists": shortlists_of(request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_save(request: HttpRequest, org_id: str) -> HttpResponse:
    """Save one organisation to one of the person's shortlists, or to a new one."""
    organisation = organisation_by_identifier(org_id)
    if organisation is None:
        raise Http404(f"No organisation has the identifier {org_id}")
    own = list(shortlists_of(request.user))
    holding = shortlists_holding(request.user, organisation)
    choices = [(str(s.pk), s.name) for s in own if s.pk not in holding]
    form = SaveToShortlistForm(request.POST or None, choices=choices)
    back = _safe_next(request, reverse("organisations:detail", args=[organisation.org_id]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shortlist = _save(request, organisation, data)
        except services.ShortlistError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"{organisation.name} saved to {shortlist.name}.")
            return redirect(back)
    return render(
        request,
        "organisations/shortlists/save.html",
        {
            "org": organisation,
            "form": form,
            "already": [s for s in own if s.pk in holding],
            "next": back,
        },
        status=400 if form.errors else 200,
    )


def _save(request: HttpRequest, organisation: Organisation, data: dict[str, Any]) -> Shortlist:
    if data["shortlist"] == NEW:
        shortlist = services.shortlist_create(request.user, name=data["name"])
    else:
        found = shortlist_of(request.user, int(data["shortlist"]))
        if found is None:
            raise services.ShortlistError("Choose a shortlist.", "shortlist")
        shortlist = found
    services.shortlist_add(request.user, shortlist, organisation, note=data.get("note") or "")
    return shortlist


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One shortlist; its form renames it."""
    shortlist = _own(request, pk)
    form = ShortlistNameForm(request.POST or None, initial={"name": shortlist.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.shortlist_rename(request.user, shortlist, name=form.cleaned_data["name"])
        except services.ShortlistError as error:
            _add_error(form, error)
        else:
            messages.success(request, "Shortlist renamed.")
            return redirect("organisations:shortlist", pk=shortlist.pk)
    return render(
        request,
        "organisations/shortlists/detail.html",
        {
            "shortlist": shortlist,
            "entries": list(shortlist_entries(shortlist)),
            "form": form,
            **shortlist_parts(request.user, shortlist),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def shortlist_remove(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    shortlist = _own(request, pk)
    entry = shortlist.entries.select_related("organisation").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("That organisation is not on this shortlist.")
    services.shortlist_remove(request.user, entry)
    messages.success(request, f"{entry.organisation.name} removed from {shortlist.name}.")
    return redirect("organisations:shortlist", pk=shortlist.pk)


@login_required
@require_POST
def shortlist_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = _own(request, pk)
    services.shortlist_delete(request.user, shortlist)
    messages.success(request, f"Shortlist {shortlist.name} deleted.")
    return redirect("organisations:shortlists")


SHORTLIST_CSV_COLUMNS = [
    "org_id",
    "name",
    "sector",
    "legal_form",
    "status",
    "postcode",
    "local_authority",
    "ward",
    "latest_income_gbp",
    "latest_income_date",
    "website",
    "note",
    "added_at",
    "url",
]


@login_required
def shortlist_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The shortlist as CSV; every cell made safe to open in a spreadsheet (core.spreadsheets)."""
    shortlist = _own(request, pk)
    site = request.build_absolute_uri("/").rstrip("/")
    rows = []
    for entry in shortlist_entries(shortlist):
        org = entry.organisation
        income = org.latest_income_pence
        rows.append(
            [
                org.org_id,
                org.name,
                org.get_sector_display(),
                org.legal_form,
                org.get_status_display(),
                org.postcode,
                org.local_authority.name if org.local_authority else "",
                org.ward.name if org.ward else "",
                f"{income / 100:.2f}" if income is not None else "",
                org.latest_income_date.isoformat() if org.latest_income_date else "",
                org.website,
                entry.note,
                entry.added_at.date().isoformat(),
                site + reverse("organisations:detail", args=[org.org_id]),
            ]
        )
    response = csv_response("shortlist.csv", SHORTLIST_CSV_COLUMNS, rows)
    response["Cache-Control"] = "private, no-store"
    return response
