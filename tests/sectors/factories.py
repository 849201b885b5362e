"""Made-up people, organisations and conversations for the sector guide's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from commonground.accounts.models import Membership, MembershipStatus, Role
from commonground.engagement.models import (
    Conversation,
    ConversationKind,
    Participant,
    Statement,
    StatementSource,
    StatementStatus,
    Visibility,
)
from commonground.organisations.models import Organisation, Sector, Status
from commonground.organisations.search.index import refresh_search_index
from tests.accounts.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    org_id = factory.Sequence(lambda n: f"GB-CHC-9{n:06d}")
    name = factory.Sequence(lambda n: f"Example organisation {n} (test)")
    sector = Sector.CHARITY
    status = Status.ACTIVE
    legal_form = "CIO"

    @factory.post_generation
    def indexed(obj: Organisation, create: bool, extracted: object, **kwargs: object) -> None:
        # The atlas finds organisations through its search index, which the importers keep up
        # to date; an organisation made here is indexed the same way.
        if create:
            refresh_search_index([obj.pk])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER
    status = MembershipStatus.APPROVED
    requested_at = factory.LazyFunction(timezone.now)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    title = "What does partnership mean to you? (test)"
    kind = ConversationKind.ROUND_TABLE
    prompt = "What does partnership mean to you?"
    convener = factory.SubFactory(UserFactory)
    visibility = Visibility.PUBLIC


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    conversation = factory.SubFactory(ConversationFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Participant {n}")
    perspective = "provider"


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    participant = factory.SubFactory(ParticipantFactory)
    conversation = factory.SelfAttribute("participant.conversation")
    author = factory.SelfAttribute("participant.user")
    perspective = "provider"
    text = "We want a long-term partnership built on trust and shared purpose."
    source = StatementSource.TYPED
    status = StatementStatus.PUBLISHED
    orientation_label = "purpose"
    orientation_score = 0.8
    concepts = factory.LazyFunction(lambda: ["purpose", "collaboration"])
    principles = factory.LazyFunction(lambda: ["trust"])
