"""The page that links a saved appraisal to something that uses it (a need, a partnership's
route): the person chooses one of the things they may change. The appraisal stays private to
its author and the people it is shared with. Each context above says what may be chosen and
how the link is made; the page is the same."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commonground.accounts.govuk import GovukForm

from .selectors import appraisal_visible_to


@dataclass(frozen=True)
class LinkTarget:
    noun: str  # the form field's name, and what the person is asked to choose
    question: str
    template: str  # given form, appraisal and has_choices
    anchor: str  # where on the appraisal's page the link shows
    choices: Callable[[Any], Sequence[tuple[Any, str]]]  # (object, label) the user may change
    link: Callable[[Any, Any, Any], Any]  # (user, chosen, appraisal): the service
    done: Callable[[Any], str]  # the message once linked


def _form(target: LinkTarget, data: Any, choices: Sequence[tuple[Any, str]]) -> GovukForm:
    error = f"Choose a {target.noun}"
    field = forms.ChoiceField(
        label=target.question,
        widget=forms.RadioSelect,
        choices=[(str(obj.pk), label) for obj, label in choices],
        error_messages={"required": error, "invalid_choice": error},
    )
    form_class = type("LinkChoiceForm", (GovukForm,), {target.noun: field})
    return form_class(data)  # type: ignore[no-any-return]


def appraisal_link_page(
    request: HttpRequest, appraisal_pk: int, target: LinkTarget
) -> HttpResponse:
    appraisal = appraisal_visible_to(request.user, appraisal_pk)
    if appraisal is None:
        raise Http404("No such appraisal")
    choices = target.choices(request.user)
    form = _form(target, request.POST or None, choices)
    if request.method == "POST" and form.is_valid():
        chosen = next(obj for obj, _ in choices if str(obj.pk) == form.cleaned_data[target.noun])
        target.link(request.user, chosen, appraisal)
        messages.success(request, target.done(chosen))
        return redirect(reverse("commissioning:appraisal", args=[appraisal.pk]) + target.anchor)
    context = {"form": form, "appraisal": appraisal, "has_choices": bool(choices)}
    return render(request, target.template, context, status=400 if form.errors else 200)
