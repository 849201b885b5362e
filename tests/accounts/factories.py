"""People for any test: accounts with a confirmed (or unconfirmed) email address, made as rows.

Signing up through the service (and its emailed link) is tested in test_sign_up_and_sign_in;
other tests only need the rows it leaves behind.
"""

from __future__ import annotations

import re
from typing import Any

import factory
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from commonground.accounts.models import Profile
from commonground.accounts.services import normalise_email

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a confirmed address and the test password; `verified=False` for one who
    has not yet followed the emailed link, `is_staff=True` for a platform administrator."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.django.Password(PASSWORD)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # Addresses are stored lower-cased, as sign-up stores them.
        kwargs["email"] = normalise_email(kwargs["email"])
        kwargs["username"] = normalise_email(kwargs["username"])
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            Profile.objects.create(
                user=self, email_verified_at=None if extracted is False else timezone.now()
            )


def verification_link(email: str) -> str:
    """The link in the last email sent to this address."""
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://\S+", message.body).group(0)  # type: ignore[union-attr]
