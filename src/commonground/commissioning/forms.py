from __future__ import annotations

from django import forms

from commonground.accounts.govuk import GovukForm


class ShareForm(GovukForm):
    email = forms.EmailField(
        label="Email address of the person to share with",
        help_text="We will email them a link. Once they accept, signed in with this address, "
        "they can see this appraisal, print it and copy it, but not change it.",
        error_messages={
            "required": "Enter the email address of the person to share with",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class SaveForm(forms.Form):
    """The optional name of an appraisal being saved. A form, so that what Django refuses in
    any text (a NUL character, which PostgreSQL cannot store) is refused here too."""

    name = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
