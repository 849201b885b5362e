"""Every write in the engagement context: one function an action, permission checked on the
server, audited in the same transaction."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.perspectives import Perspective
from commonground.audit.services import audit_record, snapshot
from commonground.core import embeddings, ratelimit
from commonground.core.resubmission import lock, made_just_now
from commonground.core.uploads import check_upload
from commonground.imports.errors import FileRejected

from . import invitations
from .alignment import align, draft_shared_statements, theme_evidence
from .analysis.analyser import LABELS, ORIENTATIONS, Articulation
from .analysis.model import articulate, articulate_many
from .documents import MAX_STATEMENT_CHARS, document_passages, read_responses
from .models import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    LabelCorrection,
    Participant,
    SharedStatement,
    Statement,
    StatementDocument,
    StatementSource,
    StatementStatus,
    Visibility,
    Vote,
    VoteChoice,
)
from .selectors import alignment_records
from .themes import emergent_themes

CONVERSATION_FIELDS = (
    "title",
    "kind",
    "prompt",
    "place",
    "partnership",
    "visibility",
    "allow_anonymous",
    "status",
    "is_example",
)
# As the API's ConversationIn allows: the page's form and the service hold to the same limit.
MAX_PROMPT_CHARS = 5000
DOCUMENT_KINDS = ("txt", "docx", "pdf")
SPREADSHEET_KINDS = ("csv", "xlsx")


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def _check_choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: f"Choose one of: {', '.join(choices.values)}."})


def conversation_create(
    actor: Any,
    *,
    title: str,
    kind: str,
    prompt: str,
    place: Any = None,
    partnership: Any = None,
    visibility: str = Visibility.PARTICIPANTS,
    allow_anonymous: bool = False,
    is_example: bool = False,
) -> Conversation:
    permissions.require_confirmed(actor)
    _check_choice(kind, ConversationKind, "kind")
    _check_choice(visibility, Visibility, "visibility")
    if partnership is not None and not permissions.can_view(actor, partnership):
        raise ValidationError({"partnership_id": "Choose a partnership you belong to."})
    if not title.strip():
        raise ValidationError({"title": "Enter a title."})
    if not prompt.strip():
        raise ValidationError({"prompt": "Enter the question or prompt."})
    if len(prompt.strip()) > MAX_PROMPT_CHARS:
        raise ValidationError(
            {"prompt": f"The question or prompt must be {MAX_PROMPT_CHARS} characters or fewer."}
        )
    with transaction.atomic():
        # The same conversation started again by its convener just now is the same form sent
        # twice (a double click, a refresh): the one already started. Their row is locked so
        # that two copies sent at once wait for each other (on PostgreSQL).
        lock(actor)
        same = made_just_now(
            Conversation.objects.all(),
            convener=actor,
            title=title.strip()[:200],
            kind=kind,
            prompt=prompt.strip(),
        )
        if same is not None:
            return same
        conversation = Conversation.objects.create(
            title=title.strip()[:200],
            kind=kind,
            prompt=prompt.strip(),
            place=place if place is not None else getattr(partnership, "place", None),
            partnership=partnership,
            convener=actor,
            visibility=visibility,
            # Anonymous contributions are only possible on a public conversation.
            allow_anonymous=allow_anonymous and visibility == Visibility.PUBLIC,
            is_example=is_example,
        )
        audit_record(
            actor=actor,
            action="engagement.conversation_create",
            obj=conversation,
            after=snapshot(conversation, CONVERSATION_FIELDS),
        )
    return conversation


def conversation_set_status(actor: Any, conversation: Conversation, status: str) -> Conversation:
    permissions.require(permissions.can_run_conversation(actor, conversation))
    _check_choice(status, ConversationStatus, "status")
    with transaction.atomic():
        before = snapshot(conversation, ("status",))
        conversation.status = status
        conversation.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="engagement.conversation_status",
            obj=conversation,
            before=before,
            after=snapshot(conversation, ("status",)),
        )
    return conversation


def participant_add(
    actor: Any,
    conversation: Conversation,
    *,
    display_name: str,
    perspective: str,
    user: Any = None,
    email: str = "",
    site_url: str = "",
) -> Participant:
    """Records a participant. With `email` (what a convener types), the address is invited: the
    same page, email and audit record follow whether or not it has an account (ADR 0015's rule,
    `invitations`). `user` links an account directly, for the demo loader only."""
    permissions.require(permissions.can_run_conversation(actor, conversation))
    _check_choice(perspective, Perspective, "perspective")
    if not display_name.strip():
        raise ValidationError({"display_name": "Enter the participant's name."})
    if user is not None and conversation.participants.filter(user=user).exists():
        raise ValidationError({"email": "This person is already a participant."})
    if email:
        email = invitations.invited_address(email)
        invitations.check_invitation(conversation, email)
    with transaction.atomic():
        participant = Participant.objects.create(
            conversation=conversation,
            user=user,
            display_name=display_name.strip()[:120],
            perspective=perspective,
            invited_email=email,
        )
        audit_record(
            actor=actor,
            action="engagement.participant_add",
            obj=participant,
            after=snapshot(participant, invitations.PARTICIPANT_FIELDS),
        )
        if email:
            invitations.send_invitation(actor, participant, site_url)
    return participant


def _corrections_by_hash(hashes: set[str]) -> dict[str, LabelCorrection]:
    found: dict[str, LabelCorrection] = {}
    for correction in LabelCorrection.objects.filter(text_hash__in=hashes).order_by("reviewed_at"):
        found[correction.text_hash] = correction  # the latest review wins
    return found


def _apply(
    statement: Statement, articulation: Articulation, correction: LabelCorrection | None
) -> None:
    statement.analysis = articulation.to_dict()
    statement.theme_evidence = theme_evidence(statement.analysis)
    statement.reform_stance = articulation.reform_stance.label if articulation.reform_stance else ""
    statement.orientation_score = articulation.orientation.score
    if articulation.vector is not None:
        statement.embedding = embeddings.to_bytes(articulation.vector)
        statement.embedding_fingerprint = embeddings.text_fingerprint(statement.text)
    else:
        statement.embedding, statement.embedding_fingerprint = b"", ""
    statement.analysed_at = timezone.now()
    if correction is not None:
        statement.orientation_label = correction.orientation
        statement.concepts = list(correction.concepts)
        statement.principles = list(correction.principles)
        statement.methodologies = list(correction.methodologies)
        statement.reviewed = True
        # A reviewer's orientation moves the score to the middle of its band, so the profiles
        # agree with what is shown.
        if correction.orientation != articulation.orientation.label:
            statement.orientation_score = {"market": -0.6, "purpose": 0.6}.get(
                correction.orientation, 0.0
            )
    else:
        statement.orientation_label = articulation.orientation.label
        statement.concepts = articulation.labels("concepts")
        statement.principles = articulation.labels("principles")
        statement.methodologies = articulation.labels("methodologies")
        statement.reviewed = False


def _new_statement(
    conversation: Conversation,
    *,
    text: str,
    perspective: str,
    source: str,
    status: str,
    author: Any,
    participant: Participant | None = None,
    document: StatementDocument | None = None,
    import_key: str = "",
    corrections: dict[str, LabelCorrection] | None = None,
) -> Statement:
    statement = Statement(
        conversation=conversation,
        text=text,
        perspective=perspective,
        source=source,
        status=status,
        author=author if permissions.is_signed_in(author) else None,
        participant=participant,
        document=document,
        import_key=import_key,
    )
    correction = (corrections or {}).get(text_hash(text))
    _apply(statement, articulate(text, perspective), correction)
    return statement


def _resubmitted(
    actor: Any,
    conversation: Conversation,
    text: str,
    perspective: str,
    participant: Participant | None,
) -> Statement | None:
    """The statement this person added just now with the same words, perspective and
    participant: the same form sent twice (a double click, a refresh), which would otherwise
    count twice in the alignment. Anonymous contributions have no author to tell apart, and a
    convener recording a round table may record the same words from two people."""
    if not permissions.is_signed_in(actor) or permissions.can_run_conversation(actor, conversation):
        return None
    lock(conversation)
    return made_just_now(
        conversation.statements.all(),
        author=actor,
        text=text,
        perspective=perspective,
        participant=participant,
    )


def statement_add(
    actor: Any,
    conversation: Conversation,
    *,
    text: str,
    perspective: str | None = None,
    participant: Participant | None = None,
    source: str = StatementSource.TYPED,
) -> Statement:
    """Add what someone said. The convener's records are published at once; everyone else's
    wait for moderation."""
    if not permissions.can_view_conversation(actor, conversation):
        raise PermissionDenied
    if permissions.is_signed_in(actor):
        permissions.require_confirmed(actor)
    permissions.require(permissions.can_contribute_to_conversation(actor, conversation))
    runs = permissions.can_run_conversation(actor, conversation)
    if permissions.is_signed_in(actor) and not runs:
        # A convener records a whole round table; anyone else is limited per account.
        ratelimit.hit("statement", account=actor.pk)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter what was said."})
    if len(text) > MAX_STATEMENT_CHARS:
        raise ValidationError(
            {"text": f"A statement must be {MAX_STATEMENT_CHARS} characters or fewer."}
        )
    if participant is not None:
        if participant.conversation_id != conversation.pk or not runs:
            raise ValidationError({"participant": "Choose a participant in this conversation."})
        perspective = participant.perspective
    elif not runs and permissions.is_signed_in(actor):
        own = conversation.participants.filter(user=actor).first()
        if own is not None:
            participant, perspective = own, own.perspective
    if perspective is None:
        raise ValidationError({"perspective": "Choose the perspective this was said from."})
    _check_choice(perspective, Perspective, "perspective")
    with transaction.atomic():
        same = _resubmitted(actor, conversation, text, perspective, participant)
        if same is not None:
            return same
        statement = _new_statement(
            conversation,
            text=text,
            perspective=perspective,
            source=source,
            status=StatementStatus.PUBLISHED if runs else StatementStatus.PENDING,
            author=actor,
            participant=participant,
            corrections=_corrections_by_hash({text_hash(text)}),
        )
        statement.save()
        audit_record(
            actor=actor,
            action="engagement.statement_add",
            obj=statement,
            after=snapshot(statement, ("conversation", "perspective", "text", "status", "source")),
        )
    return statement


def _stored_copy(upload: Any) -> tuple[Path, bytes]:
    upload.seek(0)
    data = upload.read()
    suffix = PurePath(upload.name).suffix
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as handle:
        handle.write(data)
    return Path(handle.name), data


def statements_import(actor: Any, conversation: Conversation, upload: Any) -> tuple[int, int]:
    """Load a CSV or Excel file of responses (columns `text`, `perspective`, optionally
    `participant`). All or nothing: a bad row rejects the file (StatementImportRejected listing
    every problem). Importing the same file again adds nothing. Returns (added, unchanged)."""
    permissions.require(permissions.can_run_conversation(actor, conversation))
    kind = check_upload(upload, allowed=SPREADSHEET_KINDS)
    name = PurePath(upload.name).name
    path, data = _stored_copy(upload)
    try:
        responses = read_responses(path, kind.code, name)
    finally:
        path.unlink(missing_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:40]
    with transaction.atomic():
        existing = set(
            conversation.statements.exclude(import_key="").values_list("import_key", flat=True)
        )
        corrections = _corrections_by_hash({text_hash(r.text) for r in responses})
        participants = {p.display_name: p for p in conversation.participants.all()}
        new = []
        for response in responses:
            key = f"{digest}:{response.row}"
            if key in existing:
                continue
            participant = participants.get(response.participant) if response.participant else None
            if participant is not None and participant.perspective != response.perspective:
                participant = None
            new.append(
                _new_statement(
                    conversation,
                    text=response.text,
                    perspective=response.perspective,
                    source=StatementSource.IMPORTED,
                    status=StatementStatus.PUBLISHED,
                    author=actor,
                    participant=participant,
                    import_key=key,
                    corrections=corrections,
                )
            )
        Statement.objects.bulk_create(new, batch_size=500)
        audit_record(
            actor=actor,
            action="engagement.statements_import",
            obj=conversation,
            after={"file": name, "sha256": digest, "added": len(new), "rows": len(responses)},
        )
    return len(new), len(responses) - len(new)


def document_upload(
    actor: Any, conversation: Conversation, upload: Any, *, perspective: str
) -> StatementDocument:
    """Keep an uploaded .txt, .docx or .pdf and add each of its passages as a statement. The
    same file uploaded again to the conversation from the same perspective adds nothing (as an
    import does): it returns the document already kept, so no passage counts twice."""
    permissions.require(permissions.can_run_conversation(actor, conversation))
    _check_choice(perspective, Perspective, "perspective")
    kind = check_upload(upload, allowed=DOCUMENT_KINDS)
    name = PurePath(upload.name).name
    upload.seek(0)
    content = upload.read()
    found = document_passages(content, kind.code, name)
    upload.seek(0)
    with transaction.atomic():
        # Two copies sent at once wait for each other here (on PostgreSQL).
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        kept = _same_document(conversation, perspective, content)
        if kept is not None:
            return kept
        document = StatementDocument(
            conversation=conversation,
            kind=kind.code,
            original_name=name[:255],
            perspective=perspective,
            uploaded_by=actor,
        )
        document.file.save(name, upload, save=False)
        document.save()
        corrections = _corrections_by_hash({text_hash(t) for t in found})
        Statement.objects.bulk_create(
            [
                _new_statement(
                    conversation,
                    text=text,
                    perspective=perspective,
                    source=StatementSource.DOCUMENT,
                    status=StatementStatus.PUBLISHED,
                    author=actor,
                    document=document,
                    corrections=corrections,
                )
                for text in found
            ],
            batch_size=500,
        )
        audit_record(
            actor=actor,
            action="engagement.document_upload",
            obj=document,
            after={"file": name, "kind": kind.code, "passages": len(found)},
        )
    return document


def _same_document(
    conversation: Conversation, perspective: str, content: bytes
) -> StatementDocument | None:
    """The conversation's document with exactly this content, from this perspective. Only
    files of the same size are read to compare."""
    digest = hashlib.sha256(content).hexdigest()
    for document in conversation.documents.filter(perspective=perspective).order_by("pk"):
        try:
            if document.file.size != len(content):
                continue
            with document.file.open("rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() == digest:
                    return document
        except OSError:
            continue  # a file gone from storage is not this one
    return None


def statement_moderate(
    actor: Any, statement: Statement, decision: str, note: str = ""
) -> Statement:
    permissions.require(permissions.can_moderate_conversation(actor, statement.conversation))
    if decision not in (StatementStatus.PUBLISHED, StatementStatus.REJECTED):
        raise ValidationError({"decision": "Choose publish or reject."})
    with transaction.atomic():
        before = snapshot(statement, ("status", "moderation_note"))
        statement.status = decision
        statement.moderated_by = actor
        statement.moderated_at = timezone.now()
        statement.moderation_note = note.strip()[:500]
        statement.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note"])
        audit_record(
            actor=actor,
            action="engagement.statement_moderate",
            obj=statement,
            before=before,
            after=snapshot(statement, ("status", "moderation_note")),
        )
    return statement


def statement_review(
    actor: Any,
    statement: Statement,
    *,
    orientation: str,
    concepts: list[str],
    principles: list[str],
    methodologies: list[str],
    note: str = "",
) -> LabelCorrection:
    """Accept or correct a statement's labels. The correction is kept and applied again
    whenever the analysis is re-run (and to the same words elsewhere)."""
    permissions.require(permissions.can_review_labels(actor, statement.conversation))
    if orientation not in ORIENTATIONS:
        raise ValidationError({"orientation": f"Choose one of: {', '.join(ORIENTATIONS)}."})
    chosen = {"concepts": concepts, "principles": principles, "methodologies": methodologies}
    for kind, values in chosen.items():
        unknown = sorted(set(values) - set(LABELS[kind]))
        if unknown:
            raise ValidationError({kind: f"Not a label: {', '.join(unknown)}."})
    articulation = articulate(statement.text, statement.perspective)
    accepted = orientation == articulation.orientation.label and all(
        sorted(values) == sorted(articulation.labels(kind)) for kind, values in chosen.items()
    )
    with transaction.atomic():
        before = {
            "orientation": statement.orientation_label,
            "concepts": statement.concepts,
            "principles": statement.principles,
            "methodologies": statement.methodologies,
            "reviewed": statement.reviewed,
        }
        correction, _ = LabelCorrection.objects.update_or_create(
            statement=statement,
            defaults={
                "text_hash": text_hash(statement.text),
                "reviewer": actor,
                "orientation": orientation,
                "concepts": [c for c in LABELS["concepts"] if c in concepts],
                "principles": [p for p in LABELS["principles"] if p in principles],
                "methodologies": [m for m in LABELS["methodologies"] if m in methodologies],
                "note": note.strip()[:500],
                "accepted_as_is": accepted,
                "reviewed_at": timezone.now(),
            },
        )
        _apply(statement, articulation, correction)
        statement.save()
        audit_record(
            actor=actor,
            action="engagement.statement_review",
            obj=statement,
            before=before,
            after={
                "orientation": correction.orientation,
                "concepts": correction.concepts,
                "principles": correction.principles,
                "methodologies": correction.methodologies,
                "accepted_as_is": accepted,
            },
        )
    return correction


def conversation_analyse(actor: Any, conversation: Conversation) -> int:
    """Run the analysis again over every statement (after the lexicon changed); reviewed
    labels are kept. Returns how many statements were analysed."""
    permissions.require(permissions.can_run_conversation(actor, conversation))
    with transaction.atomic():
        statements = list(conversation.statements.all())
        own = {
            c.statement_id: c
            for c in LabelCorrection.objects.filter(statement__conversation=conversation)
        }
        shared = _corrections_by_hash({text_hash(s.text) for s in statements})
        readings = articulate_many(
            [s.text for s in statements], [s.perspective for s in statements]
        )
        for statement, reading in zip(statements, readings, strict=True):
            correction = own.get(statement.pk) or shared.get(text_hash(statement.text))
            _apply(statement, reading, correction)
        Statement.objects.bulk_update(
            statements,
            [
                "analysis",
                "theme_evidence",
                "reform_stance",
                "embedding",
                "embedding_fingerprint",
                "orientation_label",
                "orientation_score",
                "concepts",
                "principles",
                "methodologies",
                "reviewed",
                "analysed_at",
            ],
            batch_size=500,
        )
        audit_record(
            actor=actor,
            action="engagement.conversation_analyse",
            obj=conversation,
            after={"statements": len(statements)},
        )
    return len(statements)


def shared_statement_add(
    actor: Any,
    conversation: Conversation,
    text: str,
    *,
    theme: str = "",
    drafted_from: Statement | None = None,
) -> SharedStatement:
    permissions.require(permissions.can_run_conversation(actor, conversation))
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Enter the shared statement."})
    if len(text) > 500:
        raise ValidationError({"text": "A shared statement must be 500 characters or fewer."})
    if conversation.shared_statements.filter(text=text).exists():
        raise ValidationError({"text": "This shared statement has already been put to a vote."})
    with transaction.atomic():
        shared = SharedStatement.objects.create(
            conversation=conversation,
            text=text,
            theme=theme,
            drafted_from=drafted_from,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="engagement.shared_statement_add",
            obj=shared,
            after=snapshot(shared, ("conversation", "text", "theme", "drafted_from")),
        )
    return shared


def shared_statements_draft(actor: Any, conversation: Conversation) -> list[SharedStatement]:
    """Draft shared statements from the common ground, in the participants' own words. Drafts
    already made are not made again."""
    permissions.require(permissions.can_run_conversation(actor, conversation))
    records = alignment_records(conversation)
    drafts = draft_shared_statements(align(records), records)
    # And from each emergent theme every perspective speaks to: its most central sentence.
    for emerged in emergent_themes(records):
        if emerged.shared_by_all and emerged.drafts:
            best = emerged.drafts[0]
            if 30 <= len(best.text) <= 500 and all(best.text != d[0] for d in drafts):
                drafts.append((best.text, f"theme: {emerged.name}"[:40], best.statement_id))
    existing = set(conversation.shared_statements.values_list("text", flat=True))
    made = []
    for text, theme, statement_id in drafts:
        if text in existing:
            continue
        made.append(
            shared_statement_add(
                actor,
                conversation,
                text,
                theme=theme,
                drafted_from=Statement.objects.get(pk=statement_id),
            )
        )
    return made


def _vote(
    actor: Any,
    shared: SharedStatement,
    choice: str,
    *,
    voter: Any,
    participant: Participant | None,
    perspective: str,
) -> Vote:
    _check_choice(choice, VoteChoice, "choice")
    with transaction.atomic():
        lookup: dict[str, Any] = (
            {"participant": participant} if participant is not None else {"voter": voter}
        )
        vote, _ = Vote.objects.update_or_create(
            shared_statement=shared,
            **lookup,
            defaults={
                "choice": choice,
                "perspective": perspective,
                "recorded_by": actor,
                "voter": voter,
            },
        )
        audit_record(
            actor=actor,
            action="engagement.vote",
            obj=vote,
            after={"shared_statement": shared.pk, "choice": choice, "perspective": perspective},
        )
    return vote


def vote_cast(actor: Any, shared: SharedStatement, choice: str) -> Vote:
    """A signed-in participant (or the convener) votes on a shared statement."""
    conversation = shared.conversation
    permissions.require_confirmed(actor)
    permissions.require(permissions.can_vote_in_conversation(actor, conversation))
    ratelimit.hit("vote", account=actor.pk)
    own = conversation.participants.filter(user=actor).first()
    if own is None:
        raise ValidationError(
            {"choice": "Only participants vote: add yourself as a participant with a perspective."}
        )
    return _vote(actor, shared, choice, voter=actor, participant=own, perspective=own.perspective)


def vote_record(actor: Any, shared: SharedStatement, participant: Participant, choice: str) -> Vote:
    """The convener records the vote of a round-table participant (e.g. a show of hands)."""
    permissions.require(permissions.can_run_conversation(actor, shared.conversation))
    if participant.conversation_id != shared.conversation_id:
        raise ValidationError({"participant": "Choose a participant in this conversation."})
    return _vote(
        actor,
        shared,
        choice,
        voter=participant.user,
        participant=participant,
        perspective=participant.perspective,
    )


__all__ = [
    "FileRejected",
    "conversation_analyse",
    "conversation_create",
    "conversation_set_status",
    "document_upload",
    "participant_add",
    "shared_statement_add",
    "shared_statements_draft",
    "statement_add",
    "statement_moderate",
    "statement_review",
    "statements_import",
    "text_hash",
    "vote_cast",
    "vote_record",
]
