"""Every context's radios and checkboxes come from one include (web/forms/choices.html): GOV.UK
markup whose fieldset names its hint and error, and whose first option is where the error
summary's link lands."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string

from commonground.accounts.govuk import GovukForm


class _Form(GovukForm):
    routes = forms.MultipleChoiceField(
        label="Routes",
        help_text="Choose all that apply.",
        choices=[("grant", "Grant"), ("contract", "Contract")],
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_a_question_with_an_error_names_its_hint_and_error_and_the_summary_lands_on_it() -> None:
    form = _Form(data={"kind": "c"})
    page = render_to_string("accounts/forms/error_summary.html", {"form": form})
    for name, kind in (("routes", "checkboxes"), ("kind", "radios")):
        question = render_to_string(
            "web/forms/choices.html", {"field": form[name], "kind": kind, "hint": "Pick."}
        )
        fieldset = re.search(
            r'<fieldset class="govuk-fieldset" aria-describedby="([^"]+)"', question
        )
        assert fieldset is not None
        assert fieldset.group(1).split() == [f"{name}-hint", f"{name}-error"]
        assert {f"{name}-hint", f"{name}-error"} <= _ids(question)
        assert f'class="govuk-{kind}" data-module="govuk-{kind}"' in question
        assert '<span class="govuk-visually-hidden">Error:</span>' in question
        assert "govuk-form-group--error" in question
        labels = re.findall(r'<label class="govuk-label govuk-\w+__label" for="([^"]+)"', question)
        assert len(labels) == 2 and set(labels) <= _ids(question)
        page += question
    links = re.findall(r'<a href="#([^"]+)">', page)
    assert sorted(links) == ["id_kind", "id_routes"]
    assert set(links) <= _ids(page)


def test_a_question_without_hint_or_error_describes_nothing_and_keeps_the_choice() -> None:
    form = _Form(initial={"kind": "b"})
    page = render_to_string("web/forms/choices.html", {"field": form["kind"]})

    assert "aria-describedby" not in page
    assert "govuk-form-group--error" not in page
    assert re.search(r'value="b" checked', page)
    assert 'class="govuk-fieldset__legend govuk-fieldset__legend--m">Kind</legend>' in page


class _Consent(GovukForm):
    consent = forms.BooleanField(label="We agree", help_text="You can change this later.")


def test_a_single_checkbox_names_its_hint_and_error_and_keeps_its_tick() -> None:
    refused = render_to_string("web/forms/checkbox.html", {"field": _Consent(data={})["consent"]})
    ticked = render_to_string(
        "web/forms/checkbox.html", {"field": _Consent(data={"consent": "on"})["consent"]}
    )

    described = re.search(r'aria-describedby="([^"]+)"', refused)
    assert described is not None
    assert described.group(1).split() == ["consent-hint", "consent-error"]
    assert {"consent-hint", "consent-error", "id_consent"} <= _ids(refused)
    assert "govuk-form-group--error" in refused and " checked" not in refused
    assert " checked" in ticked and "govuk-error-message" not in ticked
