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
