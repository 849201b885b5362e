"""Social value pages. Thin: forms check the shape of input, services write and decide the
rules, permissions decide who sees what. A partnership's social value is seen by its members
only; to anyone else it does not exist (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commonground.accounts import permissions
from commonground.core.spreadsheets import csv_response
from commonground.core.uploads import UploadRejected, check_upload, serve_upload
from commonground.partnerships.models import Partnership
from commonground.partnerships.selectors import partnership_visible_to

from . import selectors, services
from .forms import (
    CommitmentForm,
    DecisionForm,
    DeliveryForm,
    EvidenceForm,
    FrameworkImportForm,
    StatementForm,
    service_field,
)
from .importer import FrameworkDetails, import_uploaded_framework
from .models import Delivery
from .services import SocialValueError


def _partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    partnership = partnership_visible_to(
        request.user, partnership_id, permissions.can_view_social_value
    )
    if partnership is None:
        raise Http404
    return partnership


def _report_url(partnership: Partnership) -> str:
    return reverse("social_value:report", kwargs={"partnership_id": partnership.pk})


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "can_record": permissions.can_record_social_value(request.user, partnership),
        "perspective": partnership.perspective_of(request.user),
        **extra,
    }


# ---- Frameworks (open data) -----------------------------------------------------------------


@require_GET
def frameworks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "social_value/frameworks.html",
        {
            "frameworks": list(selectors.frameworks()),
            "can_import": permissions.can_import_framework(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    """A council loads its own framework: checked whole, loaded whole or not at all."""
    permissions.require(permissions.can_import_framework(request.user))
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            kind = check_upload(upload, allowed=("csv", "xlsx"))
        except UploadRejected as error:
            form.add_error("file", str(error))
        else:
            details = FrameworkDetails(
                slug=data["slug"],
                version=data["version"].strip(),
                name=data["name"].strip(),
                licence=data["licence"].strip(),
                publisher=data["publisher"].strip(),
                source_url=data["source_url"],
            )
            run = import_uploaded_framework(upload, kind.code, details, request.user)
            if run.status == "succeeded":
                framework = selectors.framework_by_slug(details.slug, details.version)
                assert framework is not None
                messages.success(
                    request,
                    f"Loaded: {run.rows_loaded} new, {run.rows_updated} updated and "
                    f"{run.rows_unchanged} unchanged measures.",
                )
                return redirect("social_value:framework", framework_id=framework.pk)
            form.add_error("file", run.error.replace(run.source, upload.name))
    return render(request, "social_value/framework_import.html", {"form": form})


@require_GET
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = get_object_or_404(selectors.frameworks(), pk=framework_id)
    return render(request, "social_value/framework_detail.html", {"framework": framework})


# ---- A partnership's social value ------------------------------------------------------------


@login_required
@require_GET
def report(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    the_report = selectors.social_value_report(partnership)
    return render(
        request,
        "social_value/report.html",
        _context(
            request,
            partnership,
            report=the_report,
            commitments=list(selectors.commitments_of(partnership)),
            statements=selectors.statements_by_perspective(the_report),
        ),
    )


@login_required
@require_GET
def report_csv(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    response = csv_response(
        f"partnership-{partnership.pk}-social-value.csv",
        selectors.REPORT_CSV_COLUMNS,
        selectors.report_csv_rows(selectors.social_value_report(partnership)),
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _require_recorder(request: HttpRequest, partnership: Partnership) -> None:
    permissions.require(permissions.can_record_social_value(request.user, partnership))


def _apply_error(form: Any, error: SocialValueError) -> None:
    field = service_field(error.field)
    form.add_error(field if field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def commitment_new(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    _require_recorder(request, partnership)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_create(
                request.user,
                partnership,
                measure=data["measure"],
                quantity=data["quantity"],
                unit=data["unit"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                description=data["description"],
            )
        except SocialValueError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Commitment recorded.")
            return redirect(_report_url(partnership))
    return render(
        request, "social_value/commitment_form.html", _context(request, partnership, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def delivery_new(request: HttpRequest, partnership_id: int, commitment_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    commitment = selectors.commitment_by_id(commitment_id, partnership)
    if commitment is None:
        raise Http404
    _require_recorder(request, partnership)
    form = DeliveryForm(request.POST or None, initial={"unit": commitment.unit})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delivery = services.delivery_claim(
                request.user,
                commitment,
                quantity=data["quantity"],
                unit=data["unit"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                description=data["description"],
            )
        except SocialValueError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Delivery claimed. Add evidence so it can be verified.")
            return redirect(
                "social_value:delivery",
                partnership_id=partnership.pk,
                delivery_id=delivery.pk,
            )
    return render(
        request,
        "social_value/delivery_form.html",
        _context(request, partnership, form=form, commitment=commitment),
    )


def _delivery(partnership: Partnership, delivery_id: int) -> Delivery:
    delivery = selectors.delivery_for(delivery_id)
    if delivery is None or delivery.commitment.partnership_id != partnership.pk:
        raise Http404
    return delivery


@login_required
@require_http_methods(["GET", "POST"])
def delivery_detail(request: HttpRequest, partnership_id: int, delivery_id: int) -> HttpResponse:
    """The delivery, its evidence, and (for those allowed) forms to add evidence and decide."""
    partnership = _partnership(request, partnership_id)
    delivery = _delivery(partnership, delivery_id)
    evidence_form = EvidenceForm()
    decision_form = DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "evidence":
            _require_recorder(request, partnership)
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                data = evidence_form.cleaned_data
                try:
                    if data.get("file"):
                        services.evidence_add_file(
                            request.user,
                            delivery,
                            upload=data["file"],
                            description=data["description"],
                        )
                    else:
                        services.evidence_add_link(
                            request.user, delivery, url=data["url"], description=data["description"]
                        )
                except SocialValueError as error:
                    _apply_error(evidence_form, error)
                else:
                    messages.success(request, "Evidence added.")
                    return redirect(request.path)
        elif action == "decide":
            refusal = permissions.verification_refusal(request.user, delivery)
            permissions.require(refusal is None)
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                try:
                    services.delivery_decide(
                        request.user,
                        delivery,
                        decision=decision_form.cleaned_data["decision"],
                        note=decision_form.cleaned_data["note"],
                    )
                except SocialValueError as error:
                    _apply_error(decision_form, error)
                else:
                    messages.success(request, "Your decision is recorded.")
                    return redirect(request.path)
        else:
            raise Http404
    return render(
        request,
        "social_value/delivery.html",
        _context(
            request,
            partnership,
            delivery=delivery,
            evidence_form=evidence_form,
            decision_form=decision_form,
            verification_refusal=permissions.verification_refusal(request.user, delivery),
        ),
    )


@login_required
@require_GET
def evidence_download(
    request: HttpRequest, partnership_id: int, evidence_id: int
) -> HttpResponseBase:
    partnership = _partnership(request, partnership_id)
    evidence = selectors.file_evidence_of(partnership, evidence_id)
    if evidence is None:
        raise Http404
    permissions.require(permissions.can_view(request.user, evidence))
    return serve_upload(evidence.file, evidence.original_name, evidence.file_kind)


@login_required
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    _require_recorder(request, partnership)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.value_statement_add(request.user, partnership, text=form.cleaned_data["text"])
        except SocialValueError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Thank you. Your description is beside the figures.")
            return redirect(_report_url(partnership))
    return render(
        request, "social_value/statement_form.html", _context(request, partnership, form=form)
    )
