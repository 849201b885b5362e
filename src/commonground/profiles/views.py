"""Pages for changing a partnership profile and its services: thin, every rule in services.py.

Permission is checked on the server (accounts.permissions.can_change_profile_of) before any form
is shown or saved; every save is audited by the service; forms carry CSRF tokens.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commonground.accounts import permissions
from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_by_identifier
from commonground.places.selectors import wards_of

from . import limits, selectors, services
from .forms import ProfileForm, ServiceForm
from .models import Service


def _organisation_for_owner(request: HttpRequest, org_id: str) -> Organisation:
    organisation = organisation_by_identifier(org_id)
    if organisation is None:
        raise Http404("No organisation has that identifier.")
    permissions.require(permissions.can_change_profile_of(request.user, organisation.pk))
    return organisation


def _add_problems(form: ProfileForm | ServiceForm, problems: list[tuple[str, str]]) -> None:
    for field, detail in problems:
        name = field.split(".")[0]
        form.add_error(name if name in form.fields else None, detail)


@login_required
def edit(request: HttpRequest, org_id: str) -> HttpResponse:
    organisation = _organisation_for_owner(request, org_id)
    profile = selectors.profile_of(organisation)
    conflict = None
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_save(
                    request.user,
                    organisation,
                    form.data_for_service(),
                    version=form.cleaned_data.get("version"),
                )
            except services.ProfileConflict as exc:
                conflict = str(exc)
            except services.ProfileInvalid as exc:
                _add_problems(form, exc.problems)
            else:
                messages.success(request, "The partnership profile is saved.")
                return redirect("profiles:edit", org_id=organisation.org_id)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
    return render(
        request,
        "profiles/edit.html",
        {
            "org": organisation,
            "form": form,
            "profile": profile,
            "conflict": conflict,
            "services": selectors.services_of(organisation),
            "can_add_service": selectors.profile_service_count(organisation) < limits.MAX_SERVICES,
            "max_services": limits.MAX_SERVICES,
            "stale": profile is not None and selectors.is_stale(profile),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, org_id: str) -> HttpResponse:
    organisation = _organisation_for_owner(request, org_id)
    profile = selectors.profile_of(organisation)
    if profile is None:
        raise Http404("This organisation has no profile to confirm.")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.profile_confirm(request.user, profile, version=version)
    except services.ProfileConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The partnership profile is confirmed as up to date.")
    return redirect("profiles:edit", org_id=organisation.org_id)


def _area_choices(organisation: Organisation) -> list[tuple[str, str]]:
    authority = organisation.local_authority
    if authority is None:
        return []
    choices = [(authority.gss_code, f"All of {authority.name}")]
    choices += [(w.gss_code, w.name) for w in wards_of(authority)]
    return choices


def _profile_version(organisation: Organisation) -> int | None:
    profile = selectors.profile_of(organisation)
    return profile.version if profile is not None else None


@login_required
def service_edit(
    request: HttpRequest, org_id: str, service_id: uuid.UUID | None = None
) -> HttpResponse:
    organisation = _organisation_for_owner(request, org_id)
    service = None
    if service_id is not None:
        service = get_object_or_404(
            Service, pk=service_id, organisation=organisation, source="profile"
        )
    choices = _area_choices(organisation)
    conflict = None
    if request.method == "POST":
        form = ServiceForm(request.POST, area_choices=choices)
        if form.is_valid():
            data = form.data_for_service()
            data["areas"] = data.get("areas") or []
            try:
                services.service_save(
                    request.user,
                    organisation,
                    data,
                    service=service,
                    version=form.cleaned_data.get("version"),
                )
            except services.ProfileConflict as exc:
                conflict = str(exc)
            except services.ProfileInvalid as exc:
                _add_problems(form, exc.problems)
            else:
                messages.success(request, f"The service “{data['name']}” is saved.")
                return redirect("profiles:edit", org_id=organisation.org_id)
    else:
        initial = ServiceForm.initial_for(service, _profile_version(organisation))
        form = ServiceForm(initial=initial, area_choices=choices)
    context = {
        "org": organisation,
        "form": form,
        "service": service,
        "conflict": conflict,
        "version": _profile_version(organisation) if conflict is None else form["version"].value(),
    }
    return render(request, "profiles/service.html", context, status=409 if conflict else 200)


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def service_delete(request: HttpRequest, org_id: str, service_id: uuid.UUID) -> HttpResponse:
    organisation = _organisation_for_owner(request, org_id)
    service = get_object_or_404(Service, pk=service_id, organisation=organisation, source="profile")
    name = service.name
    try:
        services.service_delete(request.user, service, version=_posted_version(request))
    except services.ProfileConflict as exc:
        messages.error(request, str(exc))
        return redirect("profiles:service-edit", org_id=organisation.org_id, service_id=service.pk)
    messages.success(request, f"The service “{name}” is removed.")
    return redirect("profiles:edit", org_id=organisation.org_id)
