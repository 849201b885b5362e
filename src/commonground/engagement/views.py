"""Engagement pages: thin views over services and selectors.

A conversation a person may not see answers 404 (its existence is private); one they may see
but not act on answers 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.accounts import permissions
from commonground.accounts.services import display_name
from commonground.core.ratelimit import over_limit
from commonground.core.spreadsheets import csv_response
from commonground.core.uploads import UploadRejected, serve_upload
from commonground.imports.errors import FileRejected
from commonground.partnerships.selectors import partnerships_for
from commonground.places.selectors import place_by_gss

from . import invitations, reports, selectors, services
from .alignment import theme_label
from .analysis.analyser import KINDS
from .documents import StatementImportRejected
from .forms import (
    ConversationForm,
    DocumentForm,
    FileForm,
    ModerationForm,
    ParticipantForm,
    ReviewForm,
    SharedStatementForm,
    StatementForm,
    VoteForm,
)
from .models import Conversation


def _form_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    return selectors.conversation_for(request.user, pk)


@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/conversation_list.html",
        {"conversations": selectors.conversations_visible(request.user)[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request: HttpRequest) -> HttpResponse:
    permissions.require_confirmed(request.user)  # says why, before the form is filled in
    partnerships = list(partnerships_for(request.user)[:100])
    form = ConversationForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partnership = next((p for p in partnerships if str(p.pk) == data.get("partnership")), None)
        place = None
        if data["place"]:
            place = place_by_gss(data["place"])  # as the API finds it
            if place is None:
                form.add_error("place", "Enter the ONS code of a place, like E08000009")
        if not form.errors:
            try:
                conversation = services.conversation_create(
                    request.user,
                    title=data["title"],
                    kind=data["kind"],
                    prompt=data["prompt"],
                    place=place,
                    partnership=partnership,
                    visibility=data["visibility"],
                    allow_anonymous=data["allow_anonymous"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return redirect("engagement:conversation", pk=conversation.pk)
    return render(request, "engagement/conversation_new.html", {"form": form})


def _highlight(text: str, analysis: dict[str, Any]) -> list[tuple[str, str]]:
    """The text cut into (piece, note) pairs, the note naming the labels a piece is evidence
    for ("" for plain text)."""
    spans: dict[tuple[int, int], list[str]] = {}
    for kind in KINDS:
        for item in analysis.get(kind, []):
            for evidence in item.get("evidence", []):
                spans.setdefault((evidence["start"], evidence["end"]), []).append(
                    theme_label(item["label"])
                )
    for evidence in analysis.get("negated", []):
        spans.setdefault((evidence["start"], evidence["end"]), []).append("negated")
    pieces: list[tuple[str, str]] = []
    position = 0
    for (start, end), labels in sorted(spans.items()):
        if start < position:
            continue  # overlapping evidence: the first span shown is enough
        pieces.append((text[position:start], ""))
        pieces.append((text[start:end], ", ".join(dict.fromkeys(labels))))
        position = end
    pieces.append((text[position:], ""))
    return [(piece, note) for piece, note in pieces if piece]


@require_GET
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    user = request.user
    statements = list(selectors.statements_visible(user, conversation)[:500])
    signed_in = permissions.is_signed_in(user)
    participants = selectors.participants_of(conversation)
    return render(
        request,
        "engagement/conversation_detail.html",
        {
            "conversation": conversation,
            # People are named only to those signed in (issue 15 §5).
            "convener_name": display_name(conversation.convener) if signed_in else None,
            # Named only to those who may see the partnership itself.
            "partnership": conversation.partnership
            if conversation.partnership is not None
            and permissions.can_view(user, conversation.partnership)
            else None,
            "participants": participants if signed_in else [],
            "participant_count": len(participants),
            "statements": statements,
            "statement_total": selectors.statements_visible_count(user, conversation),
            "runs": permissions.can_run_conversation(user, conversation),
            "moderates": permissions.can_moderate_conversation(user, conversation),
            "contributes": permissions.can_contribute_to_conversation(user, conversation),
            "pending": selectors.moderation_queue_count(conversation),
            "documents": selectors.documents_of(conversation)
            if permissions.can_moderate_conversation(user, conversation)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    permissions.require(permissions.can_run_conversation(request.user, conversation))
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_add(
                request.user,
                conversation,
                display_name=data["display_name"],
                perspective=data["perspective"],
                email=data["email"],
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            # The same words whether or not the address has an account (ADR 0015).
            invited = f" We have sent an invitation to {data['email']}." if data["email"] else ""
            messages.success(request, f"{data['display_name']} was added.{invited}")
            return redirect("engagement:conversation", pk=pk)
    return render(
        request, "engagement/participant_add.html", {"form": form, "conversation": conversation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited person, signed in with the invited address and confirmed, takes their place."""
    permissions.require_confirmed(request.user)  # says why and how to confirm
    participant = selectors.invitation_for(request.user, pk)
    if request.method == "POST":
        invitations.participant_accept(request.user, participant)
        messages.success(request, "You are taking part in this conversation.")
        return redirect("engagement:conversation", pk=pk)
    return render(request, "engagement/invitation.html", {"participant": participant})


@require_http_methods(["GET", "POST"])
def statement_add(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    user = request.user
    if not permissions.can_contribute_to_conversation(user, conversation):
        if not permissions.is_signed_in(user):
            return redirect(f"{reverse('accounts:sign-in')}?next={request.path}")
        permissions.require_confirmed(user)  # says why when that is the reason
        raise PermissionDenied
    runs = permissions.can_run_conversation(user, conversation)
    if request.method == "POST" and not permissions.is_signed_in(user):
        # Anonymous contributions are moderated, but a flood would bury the queue.
        wait = over_limit(
            request,
            "anonymous-statement",
            int(getattr(settings, "ENGAGEMENT_ANONYMOUS_STATEMENT_LIMIT", 10)),
            int(getattr(settings, "ENGAGEMENT_ANONYMOUS_STATEMENT_WINDOW", 600)),
        )
        if wait is not None:
            response = render(
                request,
                "engagement/too_many.html",
                {"conversation": conversation, "minutes": max(1, round(wait / 60))},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
    own = selectors.own_participation(user, conversation)
    participants = selectors.participants_of(conversation) if runs else []
    form = StatementForm(request.POST or None, participants=participants)
    if own is not None and not runs:
        del form.fields["perspective"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participant = None
        if data.get("participant"):
            participant = next((p for p in participants if str(p.pk) == data["participant"]), None)
        perspective = data.get("perspective") or None
        if participant is None and own is None and not perspective:
            form.add_error("perspective", "Choose the perspective this was said from")
        else:
            try:
                statement = services.statement_add(
                    user,
                    conversation,
                    text=data["text"],
                    perspective=perspective,
                    participant=participant,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                if statement.status == "pending":
                    messages.success(
                        request,
                        "Thank you. Your statement will be shown once a moderator has read it.",
                    )
                else:
                    messages.success(request, "The statement was added and analysed.")
                return redirect("engagement:conversation", pk=pk)
    return render(
        request,
        "engagement/statement_add.html",
        {"form": form, "conversation": conversation, "runs": runs, "own": own},
    )


@login_required
@require_http_methods(["GET", "POST"])
def statements_import(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    permissions.require(permissions.can_run_conversation(request.user, conversation))
    form = FileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            added, unchanged = services.statements_import(
                request.user, conversation, form.cleaned_data["file"]
            )
        except UploadRejected as error:
            form.add_error("file", str(error))
        except FileRejected as error:
            form.add_error("file", error.message)
        except StatementImportRejected as error:
            problems = error.problems
            form.add_error(
                "file",
                f"Nothing was loaded: {len(problems)} problem(s) in the file, listed below",
            )
        else:
            messages.success(
                request,
                f"{added} statements were loaded and analysed"
                + (f"; {unchanged} were already here." if unchanged else "."),
            )
            return redirect("engagement:conversation", pk=pk)
    return render(
        request,
        "engagement/statements_import.html",
        {"form": form, "conversation": conversation, "problems": problems[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    permissions.require(permissions.can_run_conversation(request.user, conversation))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                request.user,
                conversation,
                form.cleaned_data["file"],
                perspective=form.cleaned_data["perspective"],
            )
        except UploadRejected as error:
            form.add_error("file", str(error))
        except FileRejected as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                f"{selectors.passage_count(document)} passages of {document.original_name} were "
                "added and analysed.",
            )
            return redirect("engagement:conversation", pk=pk)
    return render(
        request, "engagement/document_upload.html", {"form": form, "conversation": conversation}
    )


@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    conversation = _conversation(request, pk)
    document = selectors.document_for(request.user, conversation, document_pk)
    return serve_upload(document.file, document.original_name, document.kind)


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    permissions.require(permissions.can_moderate_conversation(request.user, conversation))
    if request.method == "POST":
        form = ModerationForm(request.POST)
        statement = selectors.statement_in(conversation, request.POST.get("statement", ""))
        if statement is not None and form.is_valid():
            services.statement_moderate(
                request.user, statement, form.cleaned_data["decision"], form.cleaned_data["note"]
            )
            messages.success(
                request,
                "The statement was published."
                if form.cleaned_data["decision"] == "published"
                else "The statement was rejected.",
            )
        return redirect("engagement:moderation", pk=pk)
    return render(
        request,
        "engagement/moderation.html",
        {"conversation": conversation, "queue": selectors.moderation_queue(conversation)},
    )


@require_http_methods(["GET", "POST"])
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_for(request.user, pk)
    conversation = statement.conversation
    reviews = permissions.can_review_labels(request.user, conversation)
    initial = {
        "orientation": statement.orientation_label,
        "concepts": statement.concepts,
        "principles": statement.principles,
        "methodologies": statement.methodologies,
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        permissions.require(reviews)
        if form.is_valid():
            data = form.cleaned_data
            services.statement_review(
                request.user,
                statement,
                orientation=data["orientation"],
                concepts=data["concepts"],
                principles=data["principles"],
                methodologies=data["methodologies"],
                note=data["note"],
            )
            messages.success(
                request, "Your review was saved; it is used whenever the analysis runs again."
            )
            return redirect("engagement:statement", pk=pk)
    analysis = statement.analysis or {}
    correction = getattr(statement, "correction", None)
    return render(
        request,
        "engagement/statement_detail.html",
        {
            "statement": statement,
            "conversation": conversation,
            "analysis": analysis,
            "pieces": _highlight(statement.text, analysis),
            "labels": [
                (kind, [theme_label(x) for x in getattr(statement, kind)]) for kind in KINDS
            ],
            "machine": {kind: analysis.get(kind, []) for kind in KINDS},
            "correction": correction,
            "reviewer_name": (
                display_name(correction.reviewer)
                if correction and permissions.is_signed_in(request.user)
                else "A reviewer"
            ),
            "reviews": reviews,
            "form": form,
        },
    )


@login_required
@require_POST
def conversation_status(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    status = request.POST.get("status", "")
    try:
        services.conversation_set_status(request.user, conversation, status)
    except ValidationError:
        messages.error(request, "Choose open or closed.")
    else:
        messages.success(
            request,
            "The conversation is closed to new statements and votes."
            if status == "closed"
            else "The conversation is open again.",
        )
    return redirect("engagement:conversation", pk=pk)


@login_required
@require_POST
def conversation_analyse(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    count = services.conversation_analyse(request.user, conversation)
    messages.success(request, f"{count} statements were analysed again; reviewed labels kept.")
    return redirect("engagement:conversation", pk=pk)


@require_GET
def alignment(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    return render(
        request, "engagement/alignment.html", reports.alignment_context(request, conversation)
    )


@require_GET
def report_html(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    context = reports.alignment_context(request, conversation, report=True)
    response = render(request, "engagement/alignment.html", context)
    response["Content-Disposition"] = (
        f'attachment; filename="alignment-report-{conversation.pk}.html"'
    )
    return response


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    response = HttpResponse(reports.alignment_pdf(conversation), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="alignment-report-{conversation.pk}.pdf"'
    )
    return response


@login_required
@require_POST
def shared_draft(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    made = services.shared_statements_draft(request.user, conversation)
    messages.success(
        request,
        f"{len(made)} shared statements were drafted from the common ground."
        if made
        else "No new shared statements could be drafted from the common ground.",
    )
    return redirect("engagement:alignment", pk=pk)


@login_required
@require_POST
def shared_add(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    permissions.require(permissions.can_run_conversation(request.user, conversation))
    form = SharedStatementForm(request.POST)
    if form.is_valid():
        try:
            services.shared_statement_add(request.user, conversation, form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The shared statement was added for voting.")
    else:
        messages.error(request, "Enter the shared statement.")
    return redirect("engagement:alignment", pk=pk)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    shared = selectors.shared_statement_for(request.user, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose agree, disagree or pass.")
    else:
        try:
            services.vote_cast(request.user, shared, form.cleaned_data["choice"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your vote was recorded.")
    return redirect(f"{reverse('engagement:alignment', args=[shared.conversation_id])}#shared")


@login_required
@require_GET
def corrections_csv(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation(request, pk)
    permissions.require(permissions.can_review_labels(request.user, conversation))
    # The evaluation set's layout, so reviewed statements can join the labelled data.
    header = ["id", "perspective", "text", "orientation", "concepts", "principles",
              "methodologies", "accepted_as_is", "reviewed_at"]  # fmt: skip
    rows = (
        [
            f"R{correction.statement_id}",
            correction.statement.perspective,
            correction.statement.text,
            correction.orientation,
            " ".join(correction.concepts),
            " ".join(correction.principles),
            " ".join(correction.methodologies),
            "yes" if correction.accepted_as_is else "no",
            correction.reviewed_at.isoformat(),
        ]
        for correction in selectors.corrections_for_export(conversation)
    )
    return csv_response(f"label-reviews-{pk}.csv", header, rows)
