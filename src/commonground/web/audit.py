"""The audit trail's search page, for platform administrators. It sits in the web layer, above
accounts, so it asks accounts.permissions and uses the GOV.UK form like every other page
(ADR 0029)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from commonground.accounts import permissions
from commonground.accounts.govuk import GovukForm
from commonground.audit.selectors import AuditFilters, audit_models, audit_search


class AuditSearchForm(GovukForm):
    actor = forms.CharField(label="Email address of the person", required=False, max_length=254)
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=80,
        help_text="For example membership.approve, or membership for every membership action.",
    )
    model = forms.ChoiceField(label="Type of record", required=False)
    object_id = forms.CharField(label="Record number", required=False, max_length=64)
    ip = forms.GenericIPAddressField(
        label="IP address",
        required=False,
        error_messages={"invalid": "Enter an IP address, like 192.0.2.1"},
    )
    date_from = forms.DateField(
        label="From (date)",
        required=False,
        help_text="For example 2026-11-27",
        error_messages={"invalid": "Enter a real date, like 2026-11-27"},
    )
    date_to = forms.DateField(
        label="To (date)",
        required=False,
        help_text="For example 2026-11-27",
        error_messages={"invalid": "Enter a real date, like 2026-11-27"},
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "Any")] + [(m, m) for m in audit_models()]


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_audit(request.user))
    form = AuditSearchForm(request.GET or None)
    filters = AuditFilters()
    if form.is_bound and form.is_valid():
        filters = AuditFilters(
            **{
                k: v or "" if k not in ("date_from", "date_to") else v
                for k, v in form.cleaned_data.items()
            }
        )
    page = Paginator(audit_search(filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()}
    )


app_name = "audit"
urlpatterns = [path("", search, name="search")]
