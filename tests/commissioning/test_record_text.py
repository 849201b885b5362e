"""A decision record downloads as Word whatever was typed into the answers: characters a Word
document cannot hold (control characters pasted from elsewhere) are left out of it, instead of
the download failing with a server error."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from commonground.commissioning import services
from commonground.commissioning.answers import parse_answers
from tests.accounts.factories import UserFactory
from tests.commissioning.factories import answers


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("odd", ["\x01", "\x08", "\ufffe"])
def test_a_saved_record_with_control_characters_downloads_as_word_without_them(
    client, db: None, odd: str
) -> None:
    author = UserFactory()
    appraisal = services.appraisal_create(
        author=author,
        answers=parse_answers(
            answers(service_name=f"Day{odd} care", authority_name=f"Trafford{odd} Council")
        ),
        name=f"Day care{odd} 2027",
    )
    client.force_login(author)

    response = client.get(reverse("commissioning:appraisal-docx", args=[appraisal.pk]))

    assert response.status_code == 200
    text = _text(response.content)
    assert "Day care" in text and "Trafford Council" in text
    assert odd not in text
