"""People and conversations for the engagement tests (all made up, labelled as such)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.test import Client

from commonground.accounts import services as account_services
from commonground.engagement import services
from commonground.engagement.models import Conversation, Participant, SharedStatement
from tests.accounts.factories import UserFactory

WHO = ("anonymous", "outsider", "participant", "convener", "moderator")


@dataclass
class World:
    convener: User
    participant_user: User
    outsider: User
    moderator: User
    admin: User
    private: Conversation  # participants only
    public: Conversation  # public, anonymous contributions allowed
    participant: Participant

    def user(self, who: str) -> User | None:
        return {
            "anonymous": None,
            "outsider": self.outsider,
            "participant": self.participant_user,
            "convener": self.convener,
            "moderator": self.moderator,
            "admin": self.admin,
        }[who]


def engagement_world() -> World:
    convener = UserFactory(email="convener@example.org")
    participant_user = UserFactory(email="participant@example.org")
    outsider = UserFactory(email="outsider@example.org")
    moderator = UserFactory(email="moderator@example.org")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    admin = UserFactory(email="admin@example.org", is_staff=True)
    private = services.conversation_create(
        convener,
        title="Round table (test)",
        kind="round_table",
        prompt="What should partnership mean here?",
    )
    public = services.conversation_create(
        convener,
        title="Open consultation (test)",
        kind="consultation",
        prompt="What matters to you?",
        visibility="public",
        allow_anonymous=True,
    )
    participant = services.participant_add(
        convener, private, display_name="Pat", perspective="provider", user=participant_user
    )
    services.participant_add(
        convener, public, display_name="Pat", perspective="provider", user=participant_user
    )
    return World(
        convener, participant_user, outsider, moderator, admin, private, public, participant
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def token_for(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    _, raw = account_services.api_token_create(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def shared_statement_with_votes(
    world: World,
    conversation: Conversation,
    votes: dict[str, list[str]],
    text: str = "Work together.",
) -> SharedStatement:
    """A shared statement in `conversation` with these votes ({perspective: [choice, ...]}),
    each from a round-table participant of that perspective, recorded by the convener."""
    shared = services.shared_statement_add(world.convener, conversation, text)
    for perspective, choices in votes.items():
        for n, choice in enumerate(choices, start=1):
            person = services.participant_add(
                world.convener,
                conversation,
                display_name=f"{perspective.capitalize()} {n} ({text[:20]})",
                perspective=perspective,
            )
            services.vote_record(world.convener, shared, person, choice)
    return shared
