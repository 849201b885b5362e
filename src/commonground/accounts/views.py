"""Account pages. Thin: forms check input, services write, permissions decide."""

from __future__ import annotations

import json
import time

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core import ratelimit
from commonground.organisations.models import Organisation

from . import permissions, selectors, services, totp
from .data_rights import personal_data_export
from .forms import (
    DeleteAccountForm,
    GovukPasswordChangeForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    JoinForm,
    NameForm,
    SignInForm,
    SignUpForm,
    TokenForm,
    TotpForm,
)
from .models import ApiToken, Membership

SECOND_STEP_KEY = "accounts_second_step"
SECOND_STEP_SECONDS = 300


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _safe_next(request: HttpRequest) -> str:
    """The page to return to afterwards, if it is a path on this site; otherwise ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_url(request: HttpRequest) -> str:
    return _safe_next(request) or reverse("accounts:account")


# ---- Signing up and in ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ratelimit.hit("sign-up", request=request)  # 429 page over the limit (web.middleware)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_sign_up(
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                site_url=_site_url(request),
                next_path=_safe_next(request),
                name=form.cleaned_data.get("name", ""),
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            return render(
                request,
                "accounts/check_email.html",
                {
                    "email": services.normalise_email(form.cleaned_data["email"]),
                    "next": _safe_next(request),
                },
            )
    return render(request, "accounts/sign_up.html", {"form": form, "next": _safe_next(request)})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_check(
                request, form.cleaned_data["email"], form.cleaned_data["password"]
            )
        except services.AccountError as error:
            form.add_error("email" if error.field else None, error.message)
        else:
            if services.needs_second_step(user):
                request.session[SECOND_STEP_KEY] = {
                    "user": user.pk,
                    "at": time.time(),
                    "next": _next_url(request),
                }
                return redirect("accounts:sign-in-code")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.sign_in_recorded(user)
            return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request)})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SECOND_STEP_KEY)
    if not pending or time.time() - pending["at"] > SECOND_STEP_SECONDS:
        request.session.pop(SECOND_STEP_KEY, None)
        return redirect("accounts:sign-in")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_check(request, user, form.cleaned_data["code"])
        except services.AccountError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(SECOND_STEP_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.sign_in_recorded(user)
            return redirect(pending["next"])
    return render(request, "accounts/sign_in_code.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.sign_out_recorded(request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("web:home")


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    user = services.email_verify(token)
    status = 200 if user is not None else 400
    context = {"verified": user is not None, "next": _safe_next(request)}
    return render(request, "accounts/verified.html", context, status=status)


@login_required
@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    services.email_verification_send(request.user, site_url=_site_url(request))  # type: ignore[arg-type]
    messages.success(request, f"We have sent a new link to {request.user.email}.")  # type: ignore[union-attr]
    return redirect("accounts:account")


# ---- The account page -------------------------------------------------------------------------


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "profile": services.profile_for(user),  # type: ignore[arg-type]
            "perspectives": selectors.perspectives_of(user),
            "memberships": selectors.memberships_of(user),
            "to_decide": selectors.requests_to_decide_count(user),
            "is_admin": permissions.is_platform_admin(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def name_change(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST or None, initial={"name": request.user.get_full_name()})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        services.display_name_set(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
        messages.success(request, "Your name has been changed.")
        return redirect("accounts:account")
    return render(request, "accounts/name.html", {"form": form})


# ---- API tokens -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        permissions.require_confirmed(request.user)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = services.api_token_create(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
        form = TokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.live_tokens_of(request.user),
            "confirmed": permissions.can_create_api_token(request.user),
        },
    )
    response["Cache-Control"] = "no-store"  # the page may show a token once
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    if not permissions.can_view(request.user, token):
        raise Http404
    services.api_token_revoke(request.user, token)  # type: ignore[arg-type]
    messages.success(request, f"The token ‘{token.name}’ no longer works.")
    return redirect("accounts:tokens")


# ---- Organisations ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, org_id: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, org_id=org_id)
    verified = services.profile_for(request.user).email_verified_at is not None  # type: ignore[arg-type]
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_request(
                request.user,
                organisation,  # type: ignore[arg-type]
                form.cleaned_data["role"],
                form.cleaned_data["note"],
            )
        except services.AccountError as error:
            form.add_error(error.field or None, error.message)
        else:
            who = (
                "a platform administrator"
                if membership.first_claim
                else "an administrator of the organisation"
            )
            messages.success(
                request,
                f"You have asked to join {organisation.name}. "
                f"We will tell you when {who} has decided.",
            )
            return redirect("accounts:account")
    return render(
        request,
        "accounts/join.html",
        {
            "organisation": organisation,
            "form": form,
            "verified": verified,
        },
    )


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/requests.html",
        {
            "requests": [
                (r, services.requester_name(r.user))
                for r in selectors.requests_to_decide(request.user)
            ]
        },
    )


def _membership_for(request: HttpRequest, pk: int) -> Membership:
    membership = selectors.membership_visible_to(request.user, pk)
    if membership is None:
        raise Http404  # do not reveal that someone asked to join
    return membership


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    membership = _membership_for(request, pk)
    permissions.require(permissions.can_approve_membership(request.user, membership))
    decide = services.membership_approve if decision == "approve" else services.membership_decline
    membership = decide(request.user, membership, site_url=_site_url(request))  # type: ignore[arg-type]
    verb = "approved" if decision == "approve" else "declined"
    messages.success(request, f"You {verb} the request to join {membership.organisation.name}.")
    return redirect("accounts:requests")


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for(request, pk)
    permissions.require(permissions.can_change(request.user, membership))
    services.membership_end(request.user, membership)  # type: ignore[arg-type]
    messages.success(request, f"The membership of {membership.organisation.name} has ended.")
    return redirect("accounts:account")


# ---- Data rights ------------------------------------------------------------------------------


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="common-ground-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        services.account_delete(request.user)  # type: ignore[arg-type]
        logout(request)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form})


# ---- Two-factor sign-in -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    if not permissions.is_platform_admin(request.user):
        raise Http404  # offered to administrators only
    profile = services.profile_for(request.user)  # type: ignore[arg-type]
    if profile.totp_confirmed_at is not None:
        return render(request, "accounts/two_factor.html", {"on": True})
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and profile.totp_secret:
        try:
            services.totp_confirm(request.user, form.cleaned_data["code"])  # type: ignore[arg-type]
        except services.AccountError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, "Two-factor sign-in is on.")
            return redirect("accounts:account")
    if request.method == "GET" or not profile.totp_secret:
        secret = services.totp_begin(request.user)  # type: ignore[arg-type]
    else:
        secret = profile.totp_secret
    response = render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "secret": secret,
            "uri": totp.provisioning_uri(secret, request.user.email),  # type: ignore[union-attr]
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# ---- Changing a password (signed in) ----------------------------------------------------------


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    tokens = list(selectors.live_tokens_of(request.user))
    form = GovukPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["new_password1"],
            revoke_tokens=bool(tokens) and form.cleaned_data.get("revoke_tokens", False),
        )
        request.user.refresh_from_db()
        # Keep this session signed in; every other session of the account is signed out.
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form, "tokens": tokens})


# ---- Password reset (Django's views, our templates) --------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = GovukPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        # Counted whether or not the address has an account, so the limits reveal nothing;
        # over either one the 429 page says when to try again (web.middleware).
        ratelimit.hit("password-reset-ip", request=self.request)
        ratelimit.hit("password-reset-address", address=form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        services.password_reset_done(form.user)
        return response


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"


# ---- Operations -------------------------------------------------------------------------------


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: is this process up, and can it reach its database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", whatever its type
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
