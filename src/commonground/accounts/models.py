"""Accounts: Django's User (email as the username, lower-cased), a profile, organisation
memberships with roles, API tokens and the record of failed sign-ins used for lockout."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Set when the account was deleted: the User row stays as an anonymous tombstone so that
    # whatever the person wrote keeps an author (shown as "Deleted account").
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Two-factor sign-in (TOTP, RFC 6238) for administrators: base32 secret, on once confirmed.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_counter = models.BigIntegerField(null=True, blank=True)  # no code used twice

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    OFFICER = "officer", "Officer"
    MEMBER = "member", "Member"


ROLE_HINTS = {
    Role.ADMIN: "Acts for the organisation and decides who else can join it.",
    Role.OFFICER: "Works for the organisation and acts for it, for example a commissioning "
    "officer or a grants officer.",
    Role.MEMBER: "Belongs to the organisation without acting for it, for example a volunteer.",
}


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    LEFT = "left", "Left"


class Membership(models.Model):
    """A person's request to belong to an organisation and, once approved, their role in it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    status = models.CharField(
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
        db_index=True,
    )
    note = models.TextField(blank=True)  # what the person told the approvers about themselves
    # True when no approved administrator existed: a platform administrator must decide.
    first_claim = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            # At most one open (pending or approved) membership a person an organisation.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="membership_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organisation_id} ({self.role}, {self.status})"


class ApiToken(models.Model):
    """A token for scripts. Only its SHA-256 hash is kept; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInFailure(models.Model):
    """One failed sign-in. Recent failures for an email address or an IP address lock it."""

    email = models.CharField(max_length=254, db_index=True)  # as typed, normalised
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email} from {self.ip}"
