"""People for tests: accounts with a confirmed (or unconfirmed) email address."""

from __future__ import annotations

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from commonground.accounts.models import Profile

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a confirmed address; `verified=False` for one not yet confirmed."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            Profile.objects.create(
                user=self, email_verified_at=None if extracted is False else timezone.now()
            )
