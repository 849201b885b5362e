"""Statements from files: spreadsheets all-or-nothing with every problem named, documents split
into passages, and uploads judged by their content."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.core.pdf import PdfDocument
from commonground.core.uploads import UploadRejected
from commonground.engagement import services
from commonground.engagement.documents import StatementImportRejected, passages
from commonground.engagement.models import Statement
from commonground.imports.errors import FileRejected
from tests.engagement.factories import World, client_for

GOOD_CSV = (
    "text,perspective,participant\n"
    '"We want to work together over ten years, not three.",commissioner,\n'
    '"This is not about profit, it is about the public good.",provider,Pat\n'
    '"Help us before things go wrong.",Resident,\n'
)


def csv_file(text: str, name: str = "responses.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list[str]], name: str = "responses.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_csv_of_responses_is_loaded_analysed_and_published(engagement_world: World) -> None:
    added, unchanged = services.statements_import(
        engagement_world.convener, engagement_world.private, csv_file(GOOD_CSV)
    )
    assert (added, unchanged) == (3, 0)
    statements = list(engagement_world.private.statements.order_by("pk"))
    assert [s.perspective for s in statements] == ["commissioner", "provider", "community"]
    assert all(s.status == "published" and s.source == "imported" for s in statements)
    assert statements[1].participant == engagement_world.participant
    assert "profit" not in statements[1].concepts and statements[1].orientation_label == "purpose"


def test_importing_the_same_file_again_adds_nothing(engagement_world: World) -> None:
    services.statements_import(
        engagement_world.convener, engagement_world.private, csv_file(GOOD_CSV)
    )
    assert services.statements_import(
        engagement_world.convener, engagement_world.private, csv_file(GOOD_CSV)
    ) == (0, 3)
    assert engagement_world.private.statements.count() == 3


def test_a_bad_row_loads_nothing_and_every_problem_names_file_row_and_field(
    engagement_world: World,
) -> None:
    bad = GOOD_CSV + '"",provider,\n"Fine words here.",councillor,\n'
    with pytest.raises(StatementImportRejected) as caught:
        services.statements_import(
            engagement_world.convener, engagement_world.private, csv_file(bad)
        )
    assert caught.value.problems == [
        "responses.csv, row 5, field 'text': the response is empty",
        "responses.csv, row 6, field 'perspective': 'councillor' is not one of commissioner, "
        "provider, funder, community",
    ]
    assert not Statement.objects.exists()


def test_a_file_without_the_needed_columns_is_refused(engagement_world: World) -> None:
    with pytest.raises(FileRejected, match=r"missing required column.*perspective"):
        services.statements_import(
            engagement_world.convener, engagement_world.private, csv_file("text\nhello\n")
        )


def test_a_binary_file_named_csv_is_refused(engagement_world: World) -> None:
    fake = SimpleUploadedFile("responses.csv", b"\x00\x01\x02binary")
    with pytest.raises(UploadRejected):
        services.statements_import(engagement_world.convener, engagement_world.private, fake)


def test_an_excel_file_of_responses_is_loaded(engagement_world: World) -> None:
    rows = [["text", "perspective"], ["We fund for the long term.", "funder"]]
    assert services.statements_import(
        engagement_world.convener, engagement_world.private, xlsx_file(rows)
    ) == (1, 0)
    assert engagement_world.private.statements.get().principles == ["long_term"]


def test_a_bad_excel_row_is_named_and_nothing_loaded(engagement_world: World) -> None:
    rows = [["text", "perspective"], ["Good words.", "funder"], ["More words.", ""]]
    with pytest.raises(StatementImportRejected) as caught:
        services.statements_import(
            engagement_world.convener, engagement_world.private, xlsx_file(rows)
        )
    assert caught.value.problems[0].startswith("responses.xlsx, row 3, field 'perspective'")
    assert not Statement.objects.exists()


def test_only_the_convener_imports(engagement_world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.statements_import(
            engagement_world.participant_user, engagement_world.private, csv_file(GOOD_CSV)
        )


def test_the_import_page_lists_the_problems_and_loads_nothing(engagement_world: World) -> None:
    client = client_for(engagement_world.convener)
    bad = "text,perspective\nWords.,mayor\n"
    response = client.post(
        f"/conversations/{engagement_world.private.pk}/import/", {"file": csv_file(bad)}
    )
    assert response.status_code == 200
    assert "responses.csv, row 2, field &#x27;perspective&#x27;" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_text_document_becomes_one_statement_a_paragraph(engagement_world: World) -> None:
    text = (
        "Notes of the round table.\n\nWe want trust, not more paperwork.\n\n"
        "Competition for every contract wears us down.\n\n3\n"
    )
    upload = SimpleUploadedFile("notes.txt", text.encode())
    document = services.document_upload(
        engagement_world.convener, engagement_world.private, upload, perspective="provider"
    )
    texts = list(document.statements.order_by("pk").values_list("text", flat=True))
    assert texts == [
        "Notes of the round table.",
        "We want trust, not more paperwork.",
        "Competition for every contract wears us down.",
    ]


def test_a_word_document_is_split_into_passages(engagement_world: World) -> None:
    document = docx.Document()
    document.add_paragraph("Partnership should replace transaction in how we commission.")
    document.add_paragraph("Prevention has to be the basis of the service.")
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("response.docx", buffer.getvalue())
    stored = services.document_upload(
        engagement_world.convener, engagement_world.private, upload, perspective="commissioner"
    )
    assert stored.statements.count() == 2
    assert "prevention" in stored.statements.order_by("pk").last().principles  # type: ignore[union-attr]


def test_a_pdf_is_read_into_passages(engagement_world: World) -> None:
    pdf = PdfDocument("Response").paragraph("Our grants exist to create public benefit.").output()
    stored = services.document_upload(
        engagement_world.convener,
        engagement_world.private,
        SimpleUploadedFile("response.pdf", pdf),
        perspective="funder",
    )
    assert any("public benefit" in s.text for s in stored.statements.all())


def test_a_document_whose_content_is_not_its_kind_is_refused(engagement_world: World) -> None:
    fake = SimpleUploadedFile("response.pdf", b"just some text pretending")
    with pytest.raises(UploadRejected, match="named as a PDF"):
        services.document_upload(
            engagement_world.convener, engagement_world.private, fake, perspective="funder"
        )
    assert not Statement.objects.exists()


def test_long_paragraphs_are_cut_between_sentences() -> None:
    sentence = "We want partnership built on trust and purpose. "
    found = passages([sentence * 30])
    assert len(found) > 1 and all(len(p) <= 600 for p in found)
    assert all(p.endswith(".") for p in found)


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 404), ("outsider", 404), ("participant", 404), ("convener", 200),
     ("moderator", 200)],
)  # fmt: skip
def test_an_uploaded_document_is_served_only_to_convener_and_moderators(
    engagement_world: World, who: str, status: int
) -> None:
    upload = SimpleUploadedFile("notes.txt", b"We want trust, not more paperwork.")
    document = services.document_upload(
        engagement_world.convener, engagement_world.private, upload, perspective="provider"
    )
    response = client_for(engagement_world.user(who)).get(
        f"/conversations/{engagement_world.private.pk}/documents/{document.pk}/"
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")


def test_the_same_document_uploaded_twice_adds_its_passages_once(engagement_world: World) -> None:
    """A double click, or the file sent again, must not count every passage twice."""
    text = b"We want trust, not more paperwork.\n\nCompetition wears us down."
    client = client_for(engagement_world.convener)
    url = f"/conversations/{engagement_world.private.pk}/upload/"
    for _ in range(2):
        upload = SimpleUploadedFile("notes.txt", text)
        response = client.post(url, {"file": upload, "perspective": "provider"})
        assert response.status_code == 302
    assert engagement_world.private.documents.count() == 1
    assert Statement.objects.filter(conversation=engagement_world.private).count() == 2
    # The same words from another perspective, or another file, are new.
    services.document_upload(
        engagement_world.convener,
        engagement_world.private,
        SimpleUploadedFile("notes.txt", text),
        perspective="funder",
    )
    assert engagement_world.private.documents.count() == 2
