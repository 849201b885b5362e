"""Conversations, what was said in them, its articulation, and the shared statements voted on.

The articulation of a statement is stored as the analyser produced it (`analysis`, JSON with its
evidence) with the figures the alignment groups by copied beside it; a reviewer's correction is
kept apart (`LabelCorrection`), so the machine's reading and the person's never overwrite each
other and the correction survives a re-run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonground.accounts.perspectives import Perspective
from commonground.core.uploads import UploadTo, private_storage


class ConversationKind(models.TextChoices):
    ROUND_TABLE = "round_table", "Round table"
    SURVEY = "survey", "Survey"
    CONSULTATION = "consultation", "Consultation"


class Visibility(models.TextChoices):
    PARTICIPANTS = "participants", "Participants only"
    PUBLIC = "public", "Anyone (published statements only)"


class ConversationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Conversation(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ConversationKind.choices)
    prompt = models.TextField(help_text="The question or prompt put to the participants.")
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A conversation among a partnership's members about its shared vision (optional).
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="convened_conversations"
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PARTICIPANTS
    )
    allow_anonymous = models.BooleanField(
        default=False, help_text="Community members may add statements without an account."
    )
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    # Demo data: shown with a clear "example" label, never mistaken for a real conversation.
    is_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """Someone taking part, with the perspective they speak from. A round-table participant
    may have no account (`user` empty): the convener records what they said. A convener who
    gives an email address invites it (`invited_email`): whoever signs in with that address,
    confirmed, takes the place; nothing looks up whether the address has an account."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversation_participations",
    )
    display_name = models.CharField(max_length=120)
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    invited_email = models.EmailField(blank=True, default="")
    invitation_accepted_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["perspective", "display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="engagement_participant_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.perspective})"


class StatementStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class StatementSource(models.TextChoices):
    TYPED = "typed", "Typed on the page"
    IMPORTED = "imported", "Imported from a spreadsheet"
    DOCUMENT = "document", "From an uploaded document"
    API = "api", "Sent through the API"


class StatementDocument(models.Model):
    """An uploaded document whose passages became statements."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(storage=private_storage, upload_to=UploadTo("engagement-documents"))
    kind = models.CharField(max_length=10)
    original_name = models.CharField(max_length=255)
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    # Who entered it (the convener for a round-table record); empty for anonymous community
    # contributions.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_statements",
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    text = models.TextField()
    source = models.CharField(max_length=10, choices=StatementSource.choices)
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    document = models.ForeignKey(
        StatementDocument,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statements",
    )
    # "<file sha256>:<row>" for imported rows, so importing the same file again adds nothing.
    import_key = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=500, blank=True, default="")
    # The analyser's reading (analyser.Articulation.to_dict()), and the figures grouped by.
    analysis = models.JSONField(default=dict, blank=True)
    orientation_label = models.CharField(max_length=10, blank=True, default="")
    orientation_score = models.FloatField(default=0.0)
    # The labels in force: the reviewer's where the statement was reviewed, else the analyser's.
    concepts = models.JSONField(default=list, blank=True)
    principles = models.JSONField(default=list, blank=True)
    methodologies = models.JSONField(default=list, blank=True)
    reviewed = models.BooleanField(default=False)
    analysed_at = models.DateTimeField(null=True, blank=True)
    # The sentence embedding the model read (core.embeddings.to_bytes) and the fingerprint of the
    # text and embedding model it was made from: the report's themes reuse it while they match.
    embedding = models.BinaryField(blank=True, default=b"")
    # What the alignment report reads from the analysis, kept beside it so the report never
    # decodes every statement's whole analysis: each concept's and principle's sentence, and
    # the reform stance's label.
    theme_evidence = models.JSONField(default=dict, blank=True)
    reform_stance = models.CharField(max_length=10, blank=True, default="")
    embedding_fingerprint = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "import_key"],
                condition=~models.Q(import_key=""),
                name="engagement_statement_import_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class LabelCorrection(models.Model):
    """A reviewer's reading of a statement: it replaces the analyser's labels wherever shown,
    and is applied again when the analysis is re-run. `text_hash` lets the same words
    elsewhere take the reviewed labels, and the corrections can be exported as training data."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="correction")
    text_hash = models.CharField(max_length=64, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    orientation = models.CharField(max_length=10)
    concepts = models.JSONField(default=list)
    principles = models.JSONField(default=list)
    methodologies = models.JSONField(default=list)
    note = models.CharField(max_length=500, blank=True, default="")
    accepted_as_is = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Review of statement {self.statement_id}"


class SharedStatement(models.Model):
    """A short statement of common ground put to the participants for a vote."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="shared_statements"
    )
    text = models.TextField()
    theme = models.CharField(max_length=40, blank=True, default="")
    # The statement it was drafted from, so the draft can be traced to what was said.
    drafted_from = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "text"], name="engagement_shared_statement_once"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class VoteChoice(models.TextChoices):
    AGREE = "agree", "Agree"
    DISAGREE = "disagree", "Disagree"
    PASS = "pass", "Pass"


class Vote(models.Model):
    """One participant's vote. Signed-in participants vote for themselves (`voter`); the
    convener records the votes of round-table participants without an account (`participant`)."""

    shared_statement = models.ForeignKey(
        SharedStatement, on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_votes",
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shared_statement", "voter"],
                condition=models.Q(voter__isnull=False),
                name="engagement_vote_once",
            ),
            models.UniqueConstraint(
                fields=["shared_statement", "participant"],
                condition=models.Q(participant__isnull=False),
                name="engagement_vote_once_a_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.choice} ({self.perspective})"
