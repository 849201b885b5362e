"""The decision record a committee can use: a Word document (and the PDF with the same
sections) naming the service and the council, with the recommendation and what remains to
confirm."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from commonground.commissioning.views import SESSION_KEY
from tests.commissioning.factories import answers, pounds

pytestmark = pytest.mark.django_db

WELLBEING = answers(
    service_name="Community wellbeing service",
    authority_name="Trafford Council",
    estimated_value_pence=pounds(1_200_000),
    duration_months=36,
    light_touch_service=True,
    multiple_providers_to_integrate="unknown",
    social_investor_interest=False,
    aims=["trust", "collaboration"],
)


def _in_session(client, raw):
    from commonground.commissioning.questions import applicable

    full = {q.field: raw.get(q.field, False) for q in applicable(raw)}
    full.update(raw)
    full.setdefault("supported_employment_share", 0.0)
    full.setdefault("prior_subsidy_pence_3y", 0)
    full["partners"] = raw.get("partners", [])
    session = client.session
    session[SESSION_KEY] = full
    session.save()
    return client


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_word_record_names_the_service_and_council_and_lists_what_remains_to_confirm(client):
    _in_session(client, WELLBEING)
    response = client.get(reverse("commissioning:result-docx"))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    text = _text(response.content)
    assert "Community wellbeing service" in text
    assert "Trafford Council" in text
    assert "Recommended route:" in text
    assert "Alternative:" in text
    assert "Facts still to confirm" in text
    assert "answer(s) given as 'not sure'" in text
    assert "Several providers to integrate" in text  # the answer given as not sure
    assert "Find out whether several providers' services need to be brought together" in text
    assert "Legal basis and thresholds" in text and "Obligations and timeline" in text


def test_the_pdf_record_is_headed_with_the_service_not_unsaved(client):
    _in_session(client, WELLBEING)
    response = client.get(reverse("commissioning:result-pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
