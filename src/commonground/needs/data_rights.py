"""What a person entered in the needs context, for their data download: the needs they wrote,
the interest they expressed and the questions they asked for an organisation, and the answers
they gave as a need's owner."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from .models import Interest, Need, Question


def _needs_written(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": n.pk,
            "organisation": n.organisation.name,
            "title": n.title,
            "outcomes": n.outcomes,
            "who_for": n.who_for,
            "status": n.status,
            "created_at": n.created_at,
            "published_at": n.published_at,
        }
        for n in Need.objects.filter(created_by=user).select_related("organisation")
    ]


def _interests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "need": i.need.title,
            "organisation": i.organisation.name,
            "kind": i.kind,
            "message": i.message,
            "status": i.status,
            "submitted_at": i.submitted_at,
        }
        for i in Interest.objects.filter(submitted_by=user).select_related("need", "organisation")
    ]


def _questions(user: User) -> dict[str, Any]:
    asked = Question.objects.filter(asked_by=user).select_related("need", "organisation")
    answered = Question.objects.filter(answered_by=user).select_related("need")
    return {
        "questions_asked": [
            {
                "need": q.need.title,
                "organisation": q.organisation.name,
                "text": q.text,
                "asked_at": q.asked_at,
                "answered_at": q.answered_at,
            }
            for q in asked
        ],
        # The answer they wrote, without who asked: that is the asker's to know.
        "answers_given": [
            {"need": q.need.title, "question": q.text, "answer": q.answer, "at": q.answered_at}
            for q in answered
        ],
    }


def export(user: User) -> dict[str, Any]:
    return {
        "needs_written": _needs_written(user),
        "interests_expressed": _interests(user),
        **_questions(user),
    }
