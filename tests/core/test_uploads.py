"""Uploads are judged by their content, kept out of reach of URLs, and served as downloads that
a browser will not run."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from commonground.core.uploads import (
    PrivateStorage,
    UploadRejected,
    UploadTo,
    check_upload,
    private_storage,
    serve_upload,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Minutes of the Trafford round table")
    document.save(buffer)
    return buffer.getvalue()


def test_a_real_pdf_word_document_and_csv_are_accepted_as_what_they_are() -> None:
    assert check_upload(SimpleUploadedFile("plan.pdf", PDF)).code == "pdf"
    assert check_upload(SimpleUploadedFile("minutes.docx", _docx())).code == "docx"
    csv = SimpleUploadedFile("responses.csv", "perspective,text\ncommunity,Café\n".encode())
    assert check_upload(csv).code == "csv"


def test_a_spreadsheet_from_the_shared_data_is_accepted(shared_data: Path) -> None:
    path = shared_data / "grants" / "ab_charitable_trust_grants.xlsx"
    assert check_upload(SimpleUploadedFile(path.name, path.read_bytes())).code == "xlsx"


def test_a_program_renamed_to_pdf_is_refused_with_the_reason() -> None:
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200))

    with pytest.raises(UploadRejected, match="named as a PDF but its content is not"):
        check_upload(disguised)


def test_a_zip_renamed_to_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(UploadRejected, match="Word document"):
        check_upload(SimpleUploadedFile("minutes.docx", buffer.getvalue()))


def test_a_type_not_allowed_here_is_refused_naming_what_is_allowed() -> None:
    with pytest.raises(UploadRejected, match="must be a PDF, plain text"):
        check_upload(SimpleUploadedFile("page.html", b"<script>alert(1)</script>"), ("pdf", "txt"))


def test_a_file_over_the_limit_is_refused_with_its_size() -> None:
    big = SimpleUploadedFile("plan.pdf", PDF + bytes(2 * 1024 * 1024))

    with pytest.raises(UploadRejected, match=r"smaller than 1 MB \(it is 2.0 MB\)"):
        check_upload(big, max_bytes=1024 * 1024)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UploadRejected, match="is empty"):
        check_upload(SimpleUploadedFile("notes.txt", b""))


def test_a_binary_file_named_as_text_is_refused() -> None:
    with pytest.raises(UploadRejected, match="plain text"):
        check_upload(SimpleUploadedFile("notes.txt", b"\x00\x01\x02binary"))


def test_stored_files_get_random_names_outside_the_web_root_and_have_no_url() -> None:
    storage = private_storage()
    name = storage.save(UploadTo("evidence")(None, "../../etc/passwd.PDF"), io.BytesIO(PDF))

    assert name.startswith("evidence/") and name.endswith(".pdf") and ".." not in name
    stored = Path(storage.path(name))
    assert stored.is_relative_to(settings.UPLOADS_ROOT)
    assert not stored.is_relative_to(settings.STATIC_ROOT)
    with pytest.raises(NotImplementedError):
        PrivateStorage().url(name)


def test_a_served_file_is_an_attachment_the_browser_will_not_sniff_or_run() -> None:
    storage = private_storage()
    name = storage.save("evidence/x.pdf", io.BytesIO(PDF))

    class Stored:
        def open(self, mode: str) -> object:
            return storage.open(name, mode)

    response = serve_upload(Stored(), "Delivery evidence.pdf", "pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
