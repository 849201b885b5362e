"""Conversations, statements, votes and the alignment report.

Reads are open for public conversations; send a Bearer token to see the private ones you
convene or take part in (an invalid token gets 401). A conversation you may not see answers
404 (its existence is private); an action your role does not allow answers 403. Writes need a
Bearer token. Bad input gets 422 naming the field. Registered in api/urls.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.accounts.permissions import EmailNotConfirmed
from commonground.accounts.services import api_token_user
from commonground.core.ratelimit import limit_for
from commonground.engagement import selectors, services
from commonground.engagement.alignment import MIN_VOTERS
from commonground.engagement.models import Conversation, SharedStatement, Statement
from commonground.partnerships.selectors import partnership_by_id
from commonground.places.selectors import place_by_gss

from .errors import ApiError, invalid, refused

router = Router(tags=["conversations"])
MAX_ID = 2**31 - 1  # beyond it no row exists; refused as 422 before it reaches the database
ConversationId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="Identifier of the conversation.")
]
StatementId = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifier of the statement.")]
SharedStatementId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="Identifier of the shared statement.")
]

PerspectiveCode = Literal["commissioner", "provider", "funder", "community"]
OrientationCode = Literal["market", "mixed", "purpose", "neutral"]
ConceptCode = Literal[
    "profit", "competition", "private_value", "purpose", "collaboration", "public_value"
]
PrincipleCode = Literal[
    "partnership", "collaboration", "relational", "transactional", "place_based",
    "social_value", "long_term", "integration", "prevention", "communication", "transparency",
    "trust", "mutuality_fairness", "flexibility",
]  # fmt: skip
MethodologyCode = Literal[
    "procurement", "grant_subsidy", "preferential_investment", "impact_investment",
    "community_facilitation", "engagement", "asset_transfer", "integrated_partnership",
    "innovation_partnership", "alliance",
]  # fmt: skip


class ParticipantOut(Schema):
    id: int = Field(description="Identifier of the participant in this conversation.")
    display_name: str | None = Field(
        description="The participant's name as the convener recorded it; null without a token "
        "(people are named only to those signed in)."
    )
    perspective: PerspectiveCode = Field(description="The perspective they speak from.")


class ConversationOut(Schema):
    id: int = Field(description="Identifier of the conversation.")
    title: str = Field(description="Title of the conversation.")
    kind: Literal["round_table", "survey", "consultation"] = Field(
        description="round_table, survey or consultation."
    )
    prompt: str = Field(description="The question or prompt put to the participants.")
    place: str | None = Field(description="ONS GSS code of the place, if any.")
    partnership_id: int | None = Field(description="The partnership it belongs to, if any.")
    visibility: Literal["participants", "public"] = Field(
        description="participants: only they see it; public: anyone sees published statements."
    )
    allow_anonymous: bool = Field(
        description="Whether community members may add statements without an account."
    )
    status: Literal["open", "closed"] = Field(description="open or closed to new statements.")
    is_example: bool = Field(description="True for illustrative demo data (not real).")
    created_at: dt.datetime = Field(description="When it was started.")
    participants: list[ParticipantOut] = Field(description="Participants and perspectives.")


class ConversationIn(Schema):
    title: str = Field(min_length=1, max_length=200, description="Title of the conversation.")
    kind: Literal["round_table", "survey", "consultation"] = Field(
        description="round_table, survey or consultation."
    )
    prompt: str = Field(min_length=1, max_length=5000, description="The question or prompt.")
    place: str | None = Field(
        default=None, max_length=9, description="ONS GSS code of the place, e.g. E08000009."
    )
    partnership_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="A partnership you belong to, when the conversation is about its vision.",
    )
    visibility: Literal["participants", "public"] = Field(
        default="participants", description="Who can see it: participants (default) or public."
    )
    allow_anonymous: bool = Field(
        default=False,
        description="Let community members add statements without an account (public only).",
    )


class ParticipantIn(Schema):
    display_name: str = Field(min_length=1, max_length=120, description="The participant's name.")
    perspective: PerspectiveCode = Field(description="The perspective they speak from.")


class StatementOut(Schema):
    id: int = Field(description="Identifier of the statement.")
    conversation_id: int = Field(description="The conversation it belongs to.")
    perspective: PerspectiveCode = Field(description="The perspective it was said from.")
    participant_id: int | None = Field(description="The participant who said it, if recorded.")
    text: str = Field(description="What was said.")
    source: Literal["typed", "imported", "document", "api"] = Field(
        description="How it came in: typed, imported, document or api."
    )
    status: Literal["pending", "published", "rejected"] = Field(
        description="pending (waiting for moderation), published or rejected."
    )
    orientation: OrientationCode = Field(description="The orientation label in use.")
    score: float = Field(description="Orientation score, -1 (market) to +1 (purpose).")
    concepts: list[ConceptCode] = Field(description="Concept labels in use.")
    principles: list[PrincipleCode] = Field(description="Principle labels in use.")
    methodologies: list[MethodologyCode] = Field(description="Methodology labels in use.")
    reviewed: bool = Field(description="True when a reviewer accepted or corrected the labels.")
    analysis: dict[str, Any] = Field(
        description="The analyser's full reading with evidence (as POST /analysis/articulation)."
    )
    created_at: dt.datetime = Field(description="When it was added.")


class StatementIn(Schema):
    text: str = Field(min_length=1, max_length=5000, description="What was said.")
    perspective: PerspectiveCode | None = Field(
        default=None,
        description="The perspective it was said from (taken from the participant if given, "
        "or from your own participation).",
    )
    participant_id: int | None = Field(
        default=None, description="Convener only: the participant who said it."
    )


class ModerationIn(Schema):
    decision: Literal["published", "rejected"] = Field(description="published or rejected.")
    note: str = Field(default="", max_length=500, description="Why, if you want to say.")


class ReviewIn(Schema):
    orientation: OrientationCode = Field(description="The orientation the reviewer gives.")
    concepts: list[ConceptCode] = Field(default=[], description="Concepts that apply.")
    principles: list[PrincipleCode] = Field(default=[], description="Principles that apply.")
    methodologies: list[MethodologyCode] = Field(default=[], description="Methodologies named.")
    note: str = Field(default="", max_length=500, description="A note about the review.")


class PerspectiveVotes(Schema):
    perspective: PerspectiveCode = Field(description="The perspective voting.")
    withheld: bool = Field(
        description=f"True when this perspective's votes are not shown, so that nobody's vote "
        f"can be worked out: fewer than {MIN_VOTERS} people from it voted, or showing them would "
        "let someone work out such a person's vote from the other figures. The counts are then "
        'null; the votes are still kept. Pages read "Too few votes to show".'
    )
    agree: int | None = Field(description="Votes to agree (null when withheld).")
    disagree: int | None = Field(description="Votes to disagree (null when withheld).")
    passed: int | None = Field(description="Votes to pass (null when withheld).")


class SharedStatementOut(Schema):
    id: int = Field(description="Identifier of the shared statement.")
    text: str = Field(description="The shared statement put to a vote.")
    theme: str = Field(description="The common-ground theme it was drafted for, if drafted.")
    drafted_from: int | None = Field(description="The statement it was drafted from, if any.")
    votes: list[PerspectiveVotes] = Field(description="Votes by perspective.")
    consensus: bool = Field(
        description=f"True when at least {MIN_VOTERS} people from each of the four perspectives "
        "have voted and at least 60% of each perspective's agree-or-disagree votes agree."
    )
    consensus_judged: bool = Field(
        description=f"False while fewer than {MIN_VOTERS} people from some perspective have "
        "voted: there are not enough votes to say (consensus is then false). Judged with fewer, "
        "the verdict would tell how a lone voter voted."
    )


class VoteIn(Schema):
    choice: Literal["agree", "disagree", "pass"] = Field(description="agree, disagree or pass.")


class VoteOut(Schema):
    shared_statement_id: int = Field(description="The shared statement voted on.")
    perspective: PerspectiveCode = Field(description="The perspective the vote counts for.")
    choice: Literal["agree", "disagree", "pass"] = Field(description="The vote.")


class ProfileOut(Schema):
    perspective: PerspectiveCode = Field(description="The perspective.")
    statements: int = Field(description="Published statements from this perspective.")
    orientation: dict[str, int] = Field(
        description="Statements by orientation label (market, mixed, purpose, neutral)."
    )
    mean_score: float = Field(description="Mean orientation score, -1 to +1.")
    themes: dict[str, int] = Field(description="Statements by concept or principle.")
    methodologies: dict[str, int] = Field(description="Statements by methodology named.")


class PairOut(Schema):
    first: PerspectiveCode = Field(description="One perspective.")
    second: PerspectiveCode = Field(description="The other perspective.")
    orientation_gap: float = Field(description="Difference of mean scores, 0 to 2.")
    theme_overlap: float = Field(description="Cosine similarity of theme shares, 0 to 1.")
    agreement: float = Field(description="Half score closeness, half theme overlap, 0 to 1.")
    verdict: Literal["agree", "partly agree", "diverge"] = Field(description="Plain reading.")


class QuoteOut(Schema):
    statement_id: int = Field(description="The statement quoted.")
    perspective: PerspectiveCode = Field(description="Its perspective.")
    text: str = Field(description="The words quoted.")


class FindingOut(Schema):
    theme: str = Field(description="The theme (a concept or principle), or 'orientation'.")
    summary: str = Field(description="The finding in plain English.")
    quotes: list[QuoteOut] = Field(description="Statements that back it.")
    shares: dict[str, float] = Field(
        description="Share of each perspective's statements with the theme (mean score for "
        "an orientation tension)."
    )


class AlignmentOut(Schema):
    conversation_id: int = Field(description="The conversation.")
    statements: int = Field(description="Published statements analysed.")
    profiles: list[ProfileOut] = Field(description="Each perspective's profile.")
    matrix: list[PairOut] = Field(description="Agreement between each pair of perspectives.")
    common_ground: list[FindingOut] = Field(description="Themes every perspective shares.")
    tensions: list[FindingOut] = Field(description="Where perspectives pull apart.")
    missing_perspectives: list[PerspectiveCode] = Field(
        description="Perspectives with no published statements."
    )
    shared_statements: list[SharedStatementOut] = Field(description="Shared statements, votes.")


def _reader(request: HttpRequest) -> Any:
    """The token's user for reads (anonymous without a token); an invalid token is refused."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = api_token_user(header[7:].strip())
        if user is None:
            raise HttpError(401, "The token is not valid.")
        request.user = user
        return user
    return AnonymousUser()


@contextmanager
def _service_errors() -> Iterator[None]:
    try:
        yield
    except EmailNotConfirmed:
        raise  # answered with its own explanation (api/urls.py)
    except PermissionDenied as error:
        raise HttpError(403, "You cannot do this in this conversation.") from error
    except DjangoValidationError as error:
        raise invalid(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from error


def _conversation_out(c: Conversation, reader: Any) -> dict[str, Any]:
    named = permissions.is_signed_in(reader)  # people are named only to those signed in
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "prompt": c.prompt,
        "place": c.place.gss_code if c.place else None,
        "partnership_id": c.partnership_id,
        "visibility": c.visibility,
        "allow_anonymous": c.allow_anonymous,
        "status": c.status,
        "is_example": c.is_example,
        "created_at": c.created_at,
        "participants": [
            {
                "id": p.pk,
                "display_name": p.display_name if named else None,
                "perspective": p.perspective,
            }
            for p in c.participants.all()
        ],
    }


def _statement_out(s: Statement) -> dict[str, Any]:
    return {
        "id": s.pk,
        "conversation_id": s.conversation_id,
        "perspective": s.perspective,
        "participant_id": s.participant_id,
        "text": s.text,
        "source": s.source,
        "status": s.status,
        "orientation": s.orientation_label or "neutral",
        "score": s.orientation_score,
        "concepts": s.concepts,
        "principles": s.principles,
        "methodologies": s.methodologies,
        "reviewed": s.reviewed,
        "analysis": s.analysis,
        "created_at": s.created_at,
    }


def _shared_out(result: selectors.SharedStatementResult) -> dict[str, Any]:
    shared = result.shared
    return {
        "id": shared.pk,
        "text": shared.text,
        "theme": shared.theme,
        "drafted_from": shared.drafted_from_id,
        "votes": [
            {
                "perspective": v.perspective,
                "withheld": v.withheld,
                "agree": v.counts["agree"] if v.counts is not None else None,
                "disagree": v.counts["disagree"] if v.counts is not None else None,
                "passed": v.counts["pass"] if v.counts is not None else None,
            }
            for v in result.tally.perspectives
        ],
        "consensus": result.tally.consensus,
        "consensus_judged": result.tally.consensus_judged,
    }


def _responses(ok: Any, code: int = 200, *extra: int) -> dict[int, Any]:
    # 400: a body that cannot be parsed; 422: a field or path parameter out of range.
    responses: dict[int, Any] = {
        code: ok,
        400: ApiError,
        401: ApiError,
        404: ApiError,
        422: ApiError,
    }
    for status in extra:
        responses.setdefault(status, ApiError)
    return responses


@router.get(
    "/conversations",
    response=_responses(list[ConversationOut]),
    summary="Conversations you may see",
)
def conversation_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _reader(request)
    return [
        _conversation_out(c, user)
        for c in selectors.conversations_visible(user).prefetch_related("participants")[:200]
    ]


@router.post(
    "/conversations",
    auth=BearerToken(),
    response=_responses(ConversationOut, 201, 403, 422),
    summary="Start a conversation (you become its convener)",
    description="Needs a confirmed email address (else 403 saying how to confirm).",
)
def conversation_create(request: HttpRequest, payload: ConversationIn) -> tuple[int, Any]:
    place = None
    if payload.place:
        place = place_by_gss(payload.place)
        if place is None:
            raise refused(422, "No place has this GSS code.", "place")
    partnership = None
    if payload.partnership_id is not None:
        partnership = partnership_by_id(payload.partnership_id)
        if partnership is None:
            raise refused(422, "Choose a partnership you belong to.", "partnership_id")
    with _service_errors():
        conversation = services.conversation_create(
            request.user,
            title=payload.title,
            kind=payload.kind,
            prompt=payload.prompt,
            place=place,
            partnership=partnership,
            visibility=payload.visibility,
            allow_anonymous=payload.allow_anonymous,
        )
    return 201, _conversation_out(conversation, request.user)


@router.get(
    "/conversations/{conversation_id}",
    response=_responses(ConversationOut),
    summary="One conversation with its participants",
)
def conversation_detail(request: HttpRequest, conversation_id: ConversationId) -> dict[str, Any]:
    reader = _reader(request)
    return _conversation_out(selectors.conversation_for(reader, conversation_id), reader)


@router.post(
    "/conversations/{conversation_id}/participants",
    auth=BearerToken(),
    response=_responses(ParticipantOut, 201, 403, 422),
    summary="Add a participant (convener only)",
)
def participant_add(
    request: HttpRequest, conversation_id: ConversationId, payload: ParticipantIn
) -> tuple[int, Any]:
    conversation = selectors.conversation_for(request.user, conversation_id)
    with _service_errors():
        participant = services.participant_add(
            request.user,
            conversation,
            display_name=payload.display_name,
            perspective=payload.perspective,
        )
    return 201, {
        "id": participant.pk,
        "display_name": participant.display_name,
        "perspective": participant.perspective,
    }


@router.get(
    "/conversations/{conversation_id}/statements",
    response=_responses(list[StatementOut]),
    summary="Statements you may see, with their articulation",
)
def statement_list(
    request: HttpRequest,
    conversation_id: ConversationId,
    offset: int = Query(0, ge=0, description="How many statements to skip."),
    limit: int = Query(100, ge=1, le=500, description="How many to return (at most 500)."),
) -> list[dict[str, Any]]:
    user = _reader(request)
    conversation = selectors.conversation_for(user, conversation_id)
    statements = selectors.statements_visible(user, conversation)[offset : offset + limit]
    return [_statement_out(s) for s in statements]


@router.post(
    "/conversations/{conversation_id}/statements",
    auth=BearerToken(),
    response=_responses(StatementOut, 201, 403, 422, 429),
    summary="Add a statement (published at once for the convener, else after moderation)",
    description=(
        "Needs a confirmed email address (else 403 saying how to confirm). Rate limit: "
        f"{limit_for('statement').describe()} (not counted for the convener); over it, 429 "
        "with Retry-After."
    ),
)
def statement_add(
    request: HttpRequest, conversation_id: ConversationId, payload: StatementIn
) -> tuple[int, Any]:
    conversation = selectors.conversation_for(request.user, conversation_id)
    participant = None
    if payload.participant_id is not None:
        participant = conversation.participants.filter(pk=payload.participant_id).first()
        if participant is None:
            raise refused(422, "No such participant in this conversation.", "participant_id")
    with _service_errors():
        statement = services.statement_add(
            request.user,
            conversation,
            text=payload.text,
            perspective=payload.perspective,
            participant=participant,
            source="api",
        )
    return 201, _statement_out(statement)


def _statement_action(
    request: HttpRequest, statement_id: int, action: Callable[[Statement], Any]
) -> dict[str, Any]:
    statement = selectors.statement_for(request.user, statement_id)
    with _service_errors():
        action(statement)
    statement.refresh_from_db()
    return _statement_out(statement)


@router.post(
    "/statements/{statement_id}/moderation",
    auth=BearerToken(),
    response=_responses(StatementOut, 200, 403, 422),
    summary="Publish or reject a statement (convener or moderator)",
)
def statement_moderate(
    request: HttpRequest, statement_id: StatementId, payload: ModerationIn
) -> dict[str, Any]:
    return _statement_action(
        request,
        statement_id,
        lambda s: services.statement_moderate(request.user, s, payload.decision, payload.note),
    )


@router.post(
    "/statements/{statement_id}/review",
    auth=BearerToken(),
    response=_responses(StatementOut, 200, 403, 422),
    summary="Accept or correct a statement's labels (kept across re-runs)",
)
def statement_review(
    request: HttpRequest, statement_id: StatementId, payload: ReviewIn
) -> dict[str, Any]:
    return _statement_action(
        request,
        statement_id,
        lambda s: services.statement_review(
            request.user,
            s,
            orientation=payload.orientation,
            concepts=list(payload.concepts),
            principles=list(payload.principles),
            methodologies=list(payload.methodologies),
            note=payload.note,
        ),
    )


@router.get(
    "/conversations/{conversation_id}/alignment",
    response=_responses(AlignmentOut),
    summary="The alignment report: profiles, matrix, common ground, tensions and votes",
)
def alignment(request: HttpRequest, conversation_id: ConversationId) -> dict[str, Any]:
    conversation = selectors.conversation_for(_reader(request), conversation_id)
    report = selectors.alignment_report(conversation)
    a = report.alignment

    def finding(f: Any) -> dict[str, Any]:
        return {
            "theme": f.theme,
            "summary": f.summary,
            "quotes": [
                {"statement_id": q.statement_id, "perspective": q.perspective, "text": q.text}
                for q in f.quotes
            ],
            "shares": f.shares,
        }

    return {
        "conversation_id": conversation.pk,
        "statements": a.statement_count,
        "profiles": [
            {
                "perspective": p.perspective,
                "statements": p.count,
                "orientation": p.orientation,
                "mean_score": p.mean_score,
                "themes": p.themes,
                "methodologies": p.methodologies,
            }
            for p in a.profiles
        ],
        "matrix": [
            {
                "first": m.first,
                "second": m.second,
                "orientation_gap": m.orientation_gap,
                "theme_overlap": m.theme_overlap,
                "agreement": m.agreement,
                "verdict": m.verdict,
            }
            for m in a.matrix
        ],
        "common_ground": [finding(f) for f in a.common_ground],
        "tensions": [finding(f) for f in a.tensions],
        "missing_perspectives": a.missing_perspectives,
        "shared_statements": [_shared_out(s) for s in report.shared],
    }


@router.get(
    "/conversations/{conversation_id}/shared-statements",
    response=_responses(list[SharedStatementOut]),
    summary="Shared statements and their votes by perspective",
    description=(
        "A perspective's votes are withheld (`withheld` true, counts null) where fewer than "
        f"{MIN_VOTERS} people from it voted, or where the other figures would let someone work "
        f"out such a vote; consensus is judged only once {MIN_VOTERS} from every perspective "
        "have voted (ADR 0061)."
    ),
)
def shared_list(request: HttpRequest, conversation_id: ConversationId) -> list[dict[str, Any]]:
    conversation = selectors.conversation_for(_reader(request), conversation_id)
    return [_shared_out(s) for s in selectors.alignment_report(conversation).shared]


@router.post(
    "/conversations/{conversation_id}/shared-statements/draft",
    auth=BearerToken(),
    response=_responses(list[SharedStatementOut], 201, 403),
    summary="Draft shared statements from the common ground (convener only)",
)
def shared_draft(request: HttpRequest, conversation_id: ConversationId) -> tuple[int, Any]:
    conversation = selectors.conversation_for(request.user, conversation_id)
    with _service_errors():
        made = services.shared_statements_draft(request.user, conversation)
    ids = {s.pk for s in made}
    results = [s for s in selectors.alignment_report(conversation).shared if s.shared.pk in ids]
    return 201, [_shared_out(s) for s in results]


@router.post(
    "/shared-statements/{shared_statement_id}/votes",
    auth=BearerToken(),
    response=_responses(VoteOut, 200, 403, 422, 429),
    summary="Vote agree, disagree or pass on a shared statement (participants)",
    description=(
        "Needs a confirmed email address (else 403 saying how to confirm). Rate limit: "
        f"{limit_for('vote').describe()}; over it, 429 with Retry-After."
    ),
)
def vote(
    request: HttpRequest, shared_statement_id: SharedStatementId, payload: VoteIn
) -> dict[str, Any]:
    shared: SharedStatement = selectors.shared_statement_for(request.user, shared_statement_id)
    with _service_errors():
        cast = services.vote_cast(request.user, shared, payload.choice)
    return {
        "shared_statement_id": shared.pk,
        "perspective": cast.perspective,
        "choice": cast.choice,
    }
