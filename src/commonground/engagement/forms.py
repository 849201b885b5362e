"""Forms for the engagement pages (GOV.UK patterns: error summary and inline errors)."""

from __future__ import annotations

from typing import Any

from django import forms

from commonground.accounts.govuk import GovukForm
from commonground.accounts.perspectives import Perspective

from .analysis.analyser import CONCEPTS, METHODOLOGIES, ORIENTATIONS, PRINCIPLES
from .models import ConversationKind, StatementStatus, Visibility, VoteChoice


def _choices(labels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(label, label.replace("_", " ").capitalize()) for label in labels]


class ConversationForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title"},
    )
    kind = forms.ChoiceField(
        label="What kind of conversation is it?",
        choices=ConversationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of conversation it is"},
    )
    prompt = forms.CharField(
        label="Question or prompt",
        help_text="What you are asking people, for example: what should partnership mean here?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question or prompt"},
    )
    place = forms.CharField(
        label="Place (optional)",
        required=False,
        help_text="The ONS code of the place, for example E08000009 for Trafford.",
        max_length=9,
    )
    partnership = forms.ChoiceField(
        label="Partnership (optional)",
        required=False,
        help_text="If the conversation is about the vision of a partnership you belong to.",
    )
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=Visibility.choices,
        initial=Visibility.PARTICIPANTS,
        widget=forms.RadioSelect,
    )
    allow_anonymous = forms.BooleanField(
        label="Let community members add statements without an account (public only)",
        required=False,
        help_text="Everything they add waits for moderation before it is shown.",
    )

    def __init__(self, *args: Any, partnerships: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "None")] + [(str(p.pk), p.name) for p in partnerships]
        self.fields["partnership"].choices = choices  # type: ignore[attr-defined]
        if not partnerships:
            del self.fields["partnership"]


class ParticipantForm(GovukForm):
    display_name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the participant's name"}
    )
    perspective = forms.ChoiceField(
        label="Perspective",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the perspective they speak from"},
    )
    email = forms.EmailField(
        label="Email address to invite (optional)",
        required=False,
        help_text="We email an invitation. Once they sign in with this address, confirmed, they "
        "can see the conversation, add statements and vote.",
    )


class StatementForm(GovukForm):
    text = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter what was said"},
    )
    perspective = forms.ChoiceField(
        label="Said from which perspective?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    participant = forms.ChoiceField(label="Participant (optional)", required=False)

    def __init__(self, *args: Any, participants: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [("", "Not recorded")] + [(str(p.pk), str(p)) for p in participants]
        self.fields["participant"].choices = options  # type: ignore[attr-defined]
        if not participants:
            del self.fields["participant"]


class FileForm(GovukForm):
    file = forms.FileField(label="File", error_messages={"required": "Choose a file to upload"})


class DocumentForm(FileForm):
    perspective = forms.ChoiceField(
        label="Whose words are in the document?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the perspective the document speaks from"},
    )


class ModerationForm(GovukForm):
    decision = forms.ChoiceField(
        choices=[
            (StatementStatus.PUBLISHED, "Publish"),
            (StatementStatus.REJECTED, "Reject"),
        ]
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class ReviewForm(GovukForm):
    orientation = forms.ChoiceField(
        label="Orientation", choices=_choices(ORIENTATIONS), widget=forms.RadioSelect
    )
    concepts = forms.MultipleChoiceField(
        label="Concepts",
        choices=_choices(CONCEPTS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.MultipleChoiceField(
        label="Principles",
        choices=_choices(PRINCIPLES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    methodologies = forms.MultipleChoiceField(
        label="Methodologies",
        choices=_choices(METHODOLOGIES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class SharedStatementForm(GovukForm):
    text = forms.CharField(
        label="Shared statement",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": "Enter the shared statement"},
    )


class VoteForm(GovukForm):
    choice = forms.ChoiceField(choices=VoteChoice.choices)
