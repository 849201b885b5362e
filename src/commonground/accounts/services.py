"""Writes to accounts, memberships and tokens. Every one is audited (audit.services)."""

from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commonground.audit.origin import client_ip
from commonground.audit.services import audit_record, snapshot
from commonground.core.data_rights import ERASERS
from commonground.organisations.models import Organisation

from . import lockout, permissions, tokens, totp
from .models import ApiToken, Membership, MembershipStatus, Profile, Role

MEMBERSHIP_FIELDS = ["user", "organisation", "role", "status", "first_claim", "decided_by"]


class AccountError(Exception):
    """A request the rules refuse, with a message fit to show the person."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SignInLocked(AccountError):
    def __init__(self, until: dt.datetime) -> None:
        minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
        super().__init__(
            f"There have been too many failed attempts to sign in. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}, or reset your password."
        )
        self.until = until


def normalise_email(email: str) -> str:
    # One account an address whatever its case: addresses are compared lower-cased.
    return email.strip().lower()


def profile_for(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _send(to: str, subject: str, template: str, context: dict) -> None:
    send_mail(
        subject,
        render_to_string(template, context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
    )


# ---- Signing up, verifying, signing in -------------------------------------------------------


def with_next(path: str, next_path: str) -> str:
    """`path` with `next_path` to return to afterwards (a path on this site, checked by the
    caller), so a link in an email brings the person back to what they were doing."""
    return f"{path}?{urlencode({'next': next_path})}" if next_path else path


@transaction.atomic
def account_sign_up(
    email: str, password: str, *, site_url: str, next_path: str = "", name: str = ""
) -> User | None:
    """Create an account and email a link to verify the address. If the address already has an
    account, email its owner instead and return None. Either way the same work is done (the
    password is checked and hashed, one audit record and one email), so neither the page nor the
    time it takes reveals who has an account (ADR 0023). `next_path` (a checked path on this
    site) is where the emailed link leads on to, such as the invitation that brought the person
    here; `name` is the name shown to others (optional)."""
    email = normalise_email(email)
    validate_password(password, user=User(username=email, email=email))
    existing = User.objects.filter(username__iexact=email).first()
    if existing is not None:
        make_password(password)  # the hashing a new account costs, so both take as long
        audit_record(actor=None, action="account.sign_up_existing", obj=existing)
        _send(
            email,
            "You already have a Common Ground account",
            "accounts/email/already.txt",
            {"site_url": site_url, "sign_in": with_next(reverse("accounts:sign-in"), next_path)},
        )
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=email,
                email=email,
                password=password,
                first_name=" ".join(name.split())[:NAME_MAX],
            )
    except IntegrityError:  # the same address signed up at the same moment
        return None
    Profile.objects.create(user=user)
    audit_record(
        actor=user, action="account.sign_up", obj=user, after={"date_joined": user.date_joined}
    )
    email_verification_send(user, site_url=site_url, next_path=next_path)
    return user


def email_verification_send(user: User, *, site_url: str, next_path: str = "") -> None:
    token = tokens.email_verification_token(user.pk, user.email)
    link = site_url.rstrip("/") + with_next(
        reverse("accounts:verify-email", args=[token]), next_path
    )
    _send(
        user.email,
        "Confirm your email address for Common Ground",
        "accounts/email/verify.txt",
        {"link": link},
    )


@transaction.atomic
def email_verify(token: str) -> User | None:
    """Mark the address in a verification link as confirmed; None if the link is not valid."""
    found = tokens.read_email_verification_token(token)
    if found is None:
        return None
    user = User.objects.filter(pk=found[0], email=found[1], is_active=True).first()
    if user is None:
        return None
    profile = profile_for(user)
    if profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at"])
        audit_record(
            actor=user,
            action="account.verify_email",
            obj=user,
            before={"email_verified": False},
            after={"email_verified": True},
        )
    return user


def sign_in_check(request: HttpRequest, email: str, password: str) -> User:
    """The account for this email and password, or AccountError. Locked addresses are refused
    before the password is even checked."""
    email = normalise_email(email)
    ip = client_ip(request)
    until = lockout.locked_until(email, ip)
    if until is not None:
        raise SignInLocked(until)
    user = authenticate(request, username=email, password=password)
    if user is None:
        lockout.record_failure(email, ip)
        until = lockout.locked_until(email, ip)
        if until is not None:
            audit_record(
                actor=None, action="account.locked", model="auth.user", after={"until": until}
            )
            raise SignInLocked(until)
        raise AccountError("Enter the email address and password for your account", "email")
    lockout.clear_failures(email)
    return user  # type: ignore[return-value]


def sign_in_recorded(user: User) -> None:
    audit_record(actor=user, action="account.sign_in", obj=user)


def sign_out_recorded(user: User) -> None:
    audit_record(actor=user, action="account.sign_out", obj=user)


# ---- API tokens -------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token. The token itself is returned once and never stored."""
    permissions.require_confirmed(user)
    name = name.strip()
    if not name:
        raise AccountError("Enter a name for the token", "name")
    raw = tokens.new_api_token()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:10],
        token_hash=tokens.hash_api_token(raw),
        created_at=timezone.now(),
    )
    audit_record(
        actor=user, action="api_token.create", obj=token, after=snapshot(token, ["name", "prefix"])
    )
    return token, raw


@transaction.atomic
def api_token_revoke(actor: User, token: ApiToken) -> None:
    permissions.require(permissions.can_change(actor, token))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )


def api_tokens_revoke_all(actor: User | None, user: User, action: str) -> list[ApiToken]:
    """Revoke every live token of `user` (after a password reset or, if they ask, a password
    change): whoever learnt the old password may have made one. Returns the tokens revoked."""
    now = timezone.now()
    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=action,
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": now},
        )
    return live


def api_token_user(raw: str) -> User | None:
    """The active account a presented token belongs to, if the token is live."""
    if not raw.startswith(tokens.API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=tokens.hash_api_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Kept coarse (once a minute) so scripts do not write on every request.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ---- Organisations and roles ------------------------------------------------------------------


@transaction.atomic
def membership_request(user: User, organisation: Organisation, role: str, note: str) -> Membership:
    if role not in (Role.OFFICER, Role.MEMBER):
        raise AccountError("Select your role in the organisation", "role")
    if not permissions.can_request_membership(user, organisation):
        if profile_for(user).email_verified_at is None:
            raise AccountError("Confirm your email address before you ask to join an organisation")
        raise AccountError("You are already a member of this organisation or have asked to join")
    has_admin = Membership.objects.filter(
        organisation=organisation, status=MembershipStatus.APPROVED, role=Role.ADMIN
    ).exists()
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        note=note.strip()[:2000],
        first_claim=not has_admin,
        requested_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="membership.request",
        obj=membership,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


def example_membership_grant(user: User, organisation: Organisation) -> bool:
    """The demo's example people act for real organisations as approved officers, so their
    perspective agrees with their roles. True when a membership was made (audited)."""
    if Membership.objects.filter(
        user=user, organisation=organisation, status=MembershipStatus.APPROVED
    ).exists():
        return False
    now = timezone.now()
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=Role.OFFICER,
        status=MembershipStatus.APPROVED,
        note="Example person (demo).",
        requested_at=now,
        decided_at=now,
    )
    audit_record(
        actor=None,
        action="membership.example",
        obj=membership,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return True


def _decide(
    actor: User, membership: Membership, status: str, action: str, site_url: str
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    permissions.require(permissions.can_approve_membership(actor, membership))
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.status = status
    if status == MembershipStatus.APPROVED and membership.first_claim:
        # The first person an organisation is claimed by becomes its administrator.
        membership.role = Role.ADMIN
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save()
    audit_record(
        actor=actor,
        action=action,
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    _tell_requester(membership, site_url)
    return membership


def _tell_requester(membership: Membership, site_url: str) -> None:
    """Email the person who asked to join, once the decision is committed (never for a decision
    that was rolled back)."""
    person = membership.user
    if not person.email:  # a deleted account
        return
    context = {
        "organisation": membership.organisation.name,
        "approved": membership.status == MembershipStatus.APPROVED,
        "role": membership.get_role_display(),
        "link": f"{site_url.rstrip('/')}{reverse('accounts:account')}" if site_url else "",
    }
    verb = "approved" if context["approved"] else "declined"
    transaction.on_commit(
        lambda: _send(
            person.email,
            f"Your request to join {membership.organisation.name} was {verb}",
            "accounts/email/membership_decided.txt",
            context,
        )
    )


@transaction.atomic
def membership_approve(actor: User, membership: Membership, *, site_url: str = "") -> Membership:
    """Approve a request to join; the person is told by email (with a link when `site_url`)."""
    return _decide(actor, membership, MembershipStatus.APPROVED, "membership.approve", site_url)


@transaction.atomic
def membership_decline(actor: User, membership: Membership, *, site_url: str = "") -> Membership:
    return _decide(actor, membership, MembershipStatus.DECLINED, "membership.decline", site_url)


@transaction.atomic
def password_change(user: User, new_password: str, *, revoke_tokens: bool = False) -> None:
    """A signed-in person sets a new password (the form has checked the old one and Django's
    validators). Other sessions stay valid only where the view keeps the current one. API tokens
    keep working unless the person asks to revoke them; the notice email lists them either way,
    so someone who did not make the change sees what still acts as them."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="account.password_change", obj=user)
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("created_at"))
    if revoke_tokens:
        api_tokens_revoke_all(user, user, "api_token.revoke_on_password_change")
    if user.email:
        email = user.email
        context = {"tokens": live, "revoked": revoke_tokens}
        transaction.on_commit(
            lambda: _send(
                email,
                "Your Common Ground password was changed",
                "accounts/email/password_changed.txt",
                context,
            )
        )


@transaction.atomic
def password_reset_done(user: User) -> list[ApiToken]:
    """After a password reset by email: every API token stops working (sessions end by
    themselves, being bound to the old password hash) and failed sign-ins are forgotten."""
    audit_record(actor=user, action="account.password_reset", obj=user)
    lockout.clear_failures(user.username)
    return api_tokens_revoke_all(user, user, "api_token.revoke_on_password_reset")


@transaction.atomic
def membership_end(actor: User, membership: Membership) -> Membership:
    """Leave, withdraw a request, or (an administrator) remove someone."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    permissions.require(permissions.can_change(actor, membership))
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.status = MembershipStatus.LEFT
    membership.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="membership.end",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


# ---- Deleting an account ----------------------------------------------------------------------


@transaction.atomic
def account_delete(user: User, *, actor: User | None = None) -> None:
    """Delete a person's account. The User row stays as an anonymous tombstone (no email, no
    name, no password) so that memberships and the audit trail keep their records whole with the
    author shown as a deleted account; tokens, sessions and failed sign-ins go, and so does their
    address wherever an invitation kept it (conversations, partnerships, appraisals). `actor` is the
    platform administrator when it is not the person themselves."""
    user = User.objects.select_for_update().get(pk=user.pk)
    audit_record(actor=actor or user, action="account.delete", obj=user)
    # The invitations other contexts keep to this person's address (ADR 0043).
    for erase in ERASERS.values():
        erase(user)
    Membership.objects.filter(
        user=user, status__in=[MembershipStatus.PENDING, MembershipStatus.APPROVED]
    ).update(status=MembershipStatus.LEFT)
    ApiToken.objects.filter(user=user).delete()
    lockout.clear_failures(user.username)
    user.username = f"deleted-{user.pk}-{secrets.token_hex(6)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    profile = profile_for(user)
    profile.deleted_at = timezone.now()
    profile.email_verified_at = None
    profile.totp_secret = ""
    profile.totp_confirmed_at = None
    profile.save()
    # Other signed-in sessions end by themselves: the password hash they were bound to is gone.


UNNAMED = "Unnamed account"
NAME_MAX = 150  # User.first_name, where the name a person chose is kept


def display_name(user: User | None) -> str:
    """How a person is shown to anyone else: the name they chose, never their email address
    (which may be unconfirmed, and is personal data; ADR 0023). Without a name, "Unnamed
    account"."""
    if user is None:
        return "Nobody"
    profile = getattr(user, "profile", None)
    if profile is not None and profile.deleted_at is not None:
        return "Deleted account"
    return user.get_full_name().strip() or UNNAMED


def requester_name(user: User) -> str:
    """How a request to join an organisation names the person to those who decide it: their
    name and the domain of their confirmed address (the evidence that they work there), never
    the whole address (issue 15, ADR 0039)."""
    domain = (user.email or "").rpartition("@")[2]
    return f"{display_name(user)} (an address at {domain})" if domain else display_name(user)


def sender_name(user: User) -> str:
    """Who an email to one person comes from (an invitation): the name they chose, else their
    address once confirmed, so the recipient can tell who wrote to them. Never an unconfirmed
    address, which may not be theirs."""
    name = display_name(user)
    if name != UNNAMED:
        return name
    return user.email if permissions.has_confirmed_address(user) else UNNAMED


@transaction.atomic
def display_name_set(user: User, name: str) -> None:
    """The name shown beside what a person convenes, writes or shares."""
    name = " ".join(name.split())[:NAME_MAX]
    before = {"name": user.get_full_name()}
    User.objects.filter(pk=user.pk).update(first_name=name, last_name="")
    user.first_name, user.last_name = name, ""
    audit_record(
        actor=user, action="account.name_change", obj=user, before=before, after={"name": name}
    )


# ---- Two-factor sign-in for administrators ----------------------------------------------------


@transaction.atomic
@transaction.atomic
def totp_begin(user: User) -> str:
    """A fresh secret for the person to add to their authenticator app (not yet switched on)."""
    profile = profile_for(user)
    if profile.totp_confirmed_at is not None:
        raise AccountError("Two-factor sign-in is already on")
    profile.totp_secret = totp.new_secret()
    profile.save(update_fields=["totp_secret"])
    # Recorded without the secret: the trail says a setup began, never what it holds.
    audit_record(actor=user, action="account.two_factor_setup", obj=user)
    return profile.totp_secret


@transaction.atomic
def totp_confirm(user: User, code: str) -> None:
    profile = Profile.objects.select_for_update().get(user=user)
    counter = totp.matching_counter(profile.totp_secret, code) if profile.totp_secret else None
    if counter is None:
        raise AccountError("The security code is not correct. Check your app and try again", "code")
    profile.totp_confirmed_at = timezone.now()
    profile.totp_last_counter = counter
    profile.save(update_fields=["totp_confirmed_at", "totp_last_counter"])
    audit_record(
        actor=user,
        action="account.two_factor_on",
        obj=user,
        before={"two_factor": False},
        after={"two_factor": True},
    )


@transaction.atomic
def totp_check(request: HttpRequest, user: User, code: str) -> None:
    """The second step of signing in. A wrong code counts as a failed sign-in (lockout)."""
    email = user.username
    ip = client_ip(request)
    until = lockout.locked_until(email, ip)
    if until is not None:
        raise SignInLocked(until)
    profile = Profile.objects.select_for_update().get(user=user)
    counter = totp.matching_counter(
        profile.totp_secret, code, last_counter=profile.totp_last_counter
    )
    if counter is None:
        lockout.record_failure(email, ip)
        raise AccountError("The security code is not correct. Check your app and try again", "code")
    profile.totp_last_counter = counter
    profile.save(update_fields=["totp_last_counter"])
    lockout.clear_failures(email)


def needs_second_step(user: User) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.totp_confirmed_at is not None
