"""Reads for the engagement context: what a person may see, and the alignment report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from commonground.accounts import permissions

from .alignment import Alignment, StatementRecord, VoteTally, align, record_from_statement, tally
from .models import (
    Conversation,
    LabelCorrection,
    Participant,
    SharedStatement,
    Statement,
    StatementDocument,
    StatementStatus,
    Visibility,
    Vote,
)
from .themes import Theme, emergent_themes


def conversations_visible(user: Any) -> QuerySet[Conversation]:
    conversations = Conversation.objects.select_related("place")
    if permissions.is_moderator(user):
        return conversations
    if not permissions.is_signed_in(user):
        return conversations.filter(visibility=Visibility.PUBLIC)
    return conversations.filter(
        Q(visibility=Visibility.PUBLIC) | Q(convener=user) | Q(participants__user=user)
    ).distinct()


def conversation_for(user: Any, pk: int) -> Conversation:
    """The conversation if this person may see it; Http404 otherwise (existence is private)."""
    conversation = Conversation.objects.select_related("place", "convener").filter(pk=pk).first()
    if conversation is None or not permissions.can_view_conversation(user, conversation):
        raise Http404("No such conversation")
    return conversation


def invitation_for(user: Any, pk: int) -> Participant:
    """The unanswered invitation into conversation `pk` for this person's address, confirmed;
    Http404 otherwise, as for a conversation they may not see."""
    participant = None
    if permissions.has_confirmed_address(user):
        participant = (
            Participant.objects.select_related("conversation")
            .filter(
                conversation_id=pk,
                invited_email=user.email.strip().lower(),
                invitation_accepted_at__isnull=True,
            )
            .first()
        )
    if participant is None:
        raise Http404("No such invitation")
    return participant


def statement_for(user: Any, pk: int) -> Statement:
    statement = (
        Statement.objects.select_related("conversation", "participant", "author")
        .filter(pk=pk)
        .first()
    )
    if statement is None or not permissions.can_view(user, statement):
        raise Http404("No such statement")
    return statement


def shared_statement_for(user: Any, pk: int) -> SharedStatement:
    shared = SharedStatement.objects.select_related("conversation").filter(pk=pk).first()
    if shared is None or not permissions.can_view(user, shared):
        raise Http404("No such shared statement")
    return shared


def statements_visible(user: Any, conversation: Conversation) -> QuerySet[Statement]:
    """Published statements, and those waiting or rejected to whoever may see them."""
    statements = conversation.statements.select_related("participant", "correction")
    if permissions.can_moderate_conversation(user, conversation):
        return statements
    if permissions.is_signed_in(user):
        return statements.filter(Q(status=StatementStatus.PUBLISHED) | Q(author=user))
    return statements.filter(status=StatementStatus.PUBLISHED)


def moderation_queue(conversation: Conversation) -> QuerySet[Statement]:
    return conversation.statements.filter(status=StatementStatus.PENDING).order_by("created_at")


def moderation_queue_count(conversation: Conversation) -> int:
    return moderation_queue(conversation).count()


def statements_visible_count(user: Any, conversation: Conversation) -> int:
    """How many statements this person sees in the conversation (of which a page shows some)."""
    return statements_visible(user, conversation).count()


def own_participation(user: Any, conversation: Conversation) -> Participant | None:
    if not permissions.is_signed_in(user):
        return None
    return conversation.participants.filter(user=user).first()


RECORD_FIELDS = (
    "id",
    "perspective",
    "text",
    "orientation_label",
    "orientation_score",
    "concepts",
    "principles",
    "methodologies",
    "reviewed",
    "theme_evidence",
    "reform_stance",
    "embedding",
    "embedding_fingerprint",
)


def alignment_records(conversation: Conversation) -> list[StatementRecord]:
    """The published statements, as the alignment reads them."""
    rows = conversation.statements.filter(status=StatementStatus.PUBLISHED).values(*RECORD_FIELDS)
    return [record_from_statement(row) for row in rows]


@dataclass
class SharedStatementResult:
    shared: SharedStatement
    tally: VoteTally
    my_vote: str | None = None


@dataclass
class AlignmentReport:
    conversation: Conversation
    alignment: Alignment
    shared: list[SharedStatementResult]
    texts: dict[int, str]
    themes: list[Theme] = field(default_factory=list)

    @property
    def consensus(self) -> list[SharedStatementResult]:
        return [s for s in self.shared if s.tally.consensus]


def alignment_report(conversation: Conversation, user: Any = None) -> AlignmentReport:
    records = alignment_records(conversation)
    shared_statements = list(conversation.shared_statements.all())
    votes = list(
        Vote.objects.filter(shared_statement__conversation=conversation).values_list(
            "shared_statement_id", "perspective", "choice", "voter_id"
        )
    )
    user_id = user.pk if permissions.is_signed_in(user) else None
    results = []
    for shared in shared_statements:
        mine = [v for v in votes if v[0] == shared.pk]
        results.append(
            SharedStatementResult(
                shared,
                tally([(p, c) for _, p, c, _ in mine]),
                next((c for _, _, c, voter in mine if user_id and voter == user_id), None),
            )
        )
    return AlignmentReport(
        conversation,
        align(records),
        results,
        {r.id: r.text for r in records},
        emergent_themes(records),
    )


def corrections_for_export(conversation: Conversation) -> QuerySet[LabelCorrection]:
    return LabelCorrection.objects.filter(statement__conversation=conversation).select_related(
        "statement"
    )


def participants_of(conversation: Conversation) -> list[Participant]:
    return list(conversation.participants.all())


def documents_of(conversation: Conversation) -> QuerySet[StatementDocument]:
    return conversation.documents.all()


def document_for(user: Any, conversation: Conversation, pk: int) -> StatementDocument:
    """A document uploaded to the conversation, if this person may download it; Http404
    otherwise."""
    document = StatementDocument.objects.filter(pk=pk, conversation=conversation).first()
    if document is None or not permissions.can_view(user, document):
        raise Http404("No such document")
    return document


def statement_in(conversation: Conversation, pk: str) -> Statement | None:
    """The conversation's statement with this id (as typed into a form), or None. Only ASCII
    digits are an id: str.isdigit() also accepts "²", which int() refuses."""
    if not (pk.isascii() and pk.isdigit()):
        return None
    return conversation.statements.filter(pk=int(pk)).first()


def passage_count(document: StatementDocument) -> int:
    return document.statements.count()
