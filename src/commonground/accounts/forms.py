from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password

from .govuk import GovukForm, GovukFormMixin
from .models import ROLE_HINTS, Role


def email_field() -> forms.EmailField:
    """The email address field every account form asks for, with GOV.UK error wording."""
    return forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def name_field() -> forms.CharField:
    return forms.CharField(
        label="Your name (optional)",
        help_text="Shown to others beside what you convene, write or share. We never show your "
        "email address to the public.",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )


class NameForm(GovukForm):
    name = name_field()


class SignUpForm(GovukForm):
    email = email_field()
    name = name_field()
    password = forms.CharField(
        label="Create a password",
        help_text="At least 8 characters. Do not use a common password or one like your email "
        "address.",
        strip=False,
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("email") and data.get("password"):
            email = data["email"].strip().lower()
            try:
                validate_password(data["password"], user=User(username=email, email=email))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class SignInForm(GovukForm):
    email = email_field()
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(GovukForm):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        max_length=6,
        min_length=6,
        error_messages={
            "required": "Enter the security code",
            "min_length": "Enter the 6-digit security code",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("The security code must only include numbers")
        return code


class JoinForm(GovukForm):
    role = forms.ChoiceField(
        label="What is your role in this organisation?",
        choices=[(r.value, f"{r.label} – {ROLE_HINTS[r]}") for r in (Role.OFFICER, Role.MEMBER)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select your role in the organisation"},
    )
    note = forms.CharField(
        label="Tell the organisation who you are (optional)",
        help_text="For example your job title or team. The people who approve requests will "
        "see this.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your message must be 2,000 characters or fewer"},
    )


class TokenForm(GovukForm):
    name = forms.CharField(
        label="Token name",
        help_text="So you can tell your tokens apart, for example ‘Monthly spend report’.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )


class DeleteAccountForm(GovukForm):
    password = forms.CharField(
        label="Enter your password to confirm",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not correct")
        return password


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    # Declared on the class, not swapped in after __init__, so the mixin styles this field: a
    # field it never saw has no class for an error to add to (a mistyped address was a 500).
    email = email_field()


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 8 characters. Do not use a common password or one like your email address."
        )
        self.fields["new_password1"].error_messages = {"required": "Enter a new password"}
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages = {"required": "Enter the new password again"}
        self.error_messages = {"password_mismatch": "The passwords do not match"}


class GovukPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    revoke_tokens = forms.BooleanField(
        label="Also stop all my API tokens working",
        help_text="Do this if someone else may have known your password: they could have made a "
        "token. Scripts that use your tokens will need new ones.",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages = {"required": "Enter your current password"}
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = (
            "At least 8 characters. Do not use a common password or one like your email address."
        )
        self.fields["new_password1"].error_messages = {"required": "Enter a new password"}
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages = {"required": "Confirm your new password"}
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "The current password is not correct",
            "password_mismatch": "The two new passwords do not match",
        }
