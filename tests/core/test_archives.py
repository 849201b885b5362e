"""Archives are checked before anything unpacks them: crafted zip bombs are refused with the
file's name and the reason, after reading only the archive's directory."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from commonground.core.archives import (
    MB,
    UPLOAD_LIMITS,
    ArchiveLimits,
    ArchiveRejected,
    check_archive,
    dataset_limits,
)
from commonground.core.uploads import UploadRejected, check_upload
from commonground.engagement.documents import document_passages
from commonground.imports.errors import FileRejected
from commonground.sources.catalogue import DATASETS

ZEROS = bytes(MB)


def _deflated_zeros(megabytes: int) -> tuple[bytes, int]:
    """Raw deflate data for `megabytes` MB of zeros, and its CRC-32, without compressing them
    all: after a full flush deflate starts afresh, so each 1 MB piece is the same ~1 KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(ZEROS) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(ZEROS, crc)
    return piece * megabytes + packer.flush(zlib.Z_FINISH), crc


def crafted_zip(entries: dict[str, bytes | int]) -> bytes:
    """A zip archive written header by header (APPNOTE.TXT layout); an int entry is that many
    MB of zeros, deflated. Its sizes and CRCs are true: any zip reader can unpack it."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, content in entries.items():
        if isinstance(content, int):
            data, crc = _deflated_zeros(content)
            size = content * MB
        else:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            data, crc, size = (
                packer.compress(content) + packer.flush(),
                zlib.crc32(content),
                len(content),
            )
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded))
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + encoded + data)
        directory.write(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start, listing = out.tell(), directory.getvalue()
    count = len(entries)
    out.write(
        listing
        + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(listing), start, 0)
    )
    return out.getvalue()


def bomb(unpacked_mb: int, name: str = "word/document.xml") -> bytes:
    return crafted_zip({name: unpacked_mb})


def docx_bytes(text: str = "Minutes of the Trafford round table, a real paragraph.") -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def docx_bomb(unpacked_mb: int) -> bytes:
    """A Word document whose word/document.xml is inflated to `unpacked_mb` MB (issue 20's was
    126 KB unpacking to 94 MB)."""
    real = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    parts: dict[str, bytes | int] = {n: real.read(n) for n in real.namelist()}
    parts["word/document.xml"] = unpacked_mb
    return crafted_zip(parts)


class CountingReader(io.BytesIO):
    """Counts the bytes read, to show the check reads the directory and not the data."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


@pytest.fixture(scope="module")
def one_mb_bomb() -> bytes:
    data = bomb(1024)  # 1 GB of zeros
    assert 0.5 * MB < len(data) < 2 * MB
    return data


def test_a_1_mb_archive_that_would_unpack_to_1_gb_is_refused_naming_the_file_and_why(
    one_mb_bomb,
) -> None:
    with pytest.raises(ArchiveRejected) as refused:
        check_archive(io.BytesIO(one_mb_bomb), "minutes.docx")
    assert refused.value.file_name == "minutes.docx"
    assert "would unpack to 1,024.0 MB, more than the 100 MB allowed" in refused.value.reason


def test_the_check_reads_only_the_archive_directory_and_keeps_memory_flat(one_mb_bomb) -> None:
    source = CountingReader(one_mb_bomb)
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveRejected):
            check_archive(source, "minutes.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert source.bytes_read < 64 * 1024  # of a 1 MB archive that unpacks to 1 GB
    assert peak < 1 * MB


def test_an_archive_packed_more_than_100_to_1_is_refused_even_under_the_size_limit() -> None:
    data = bomb(20)  # 20 MB of zeros in about 20 KB
    with pytest.raises(ArchiveRejected, match=r"times its size .* more than the 100:1 allowed"):
        check_archive(io.BytesIO(data), "responses.xlsx")


def test_real_documents_and_workbooks_pass(shared_data: Path) -> None:
    workbook = shared_data / "grants" / "ab_charitable_trust_grants.xlsx"
    assert check_archive(workbook, workbook.name) is not None
    summary = check_archive(io.BytesIO(docx_bytes()), "minutes.docx")
    assert summary is not None and summary.entries > 3 and summary.nested == 0


def test_a_file_that_is_not_a_zip_is_left_to_its_reader() -> None:
    assert check_archive(io.BytesIO(b"perspective,text\ncommunity,Hello\n"), "a.csv") is None


def test_too_many_entries_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(51):
            archive.writestr(f"part{number}.xml", "<a/>")
    with pytest.raises(ArchiveRejected, match="it holds 51 files, more than the 50 allowed"):
        check_archive(io.BytesIO(buffer.getvalue()), "many.xlsx", ArchiveLimits(max_entries=50))


def _zip_of(member: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


def test_an_archive_inside_an_archive_is_checked_and_deeper_nesting_is_refused() -> None:
    # One level: a document embedding a workbook is normal, and its inside is counted too.
    inner = bomb(200, "xl/worksheets/sheet1.xml")
    with pytest.raises(ArchiveRejected, match=r"would unpack to 200\.\d MB"):
        check_archive(io.BytesIO(_zip_of("embeddings/book.xlsx", inner)), "report.docx")
    # Two levels (a zip in a zip in a zip, as "42.zip" does) is refused outright.
    nested = _zip_of("a.zip", _zip_of("b.zip", _zip_of("c.txt", b"hello")))
    with pytest.raises(ArchiveRejected, match="nested deeper than the 1 level"):
        check_archive(io.BytesIO(nested), "nested.zip")


def test_an_archive_that_lies_about_its_sizes_cannot_make_a_reader_unpack_more() -> None:
    """The check trusts declared sizes because zipfile (used by python-docx, openpyxl and our
    readers) stops at the declared size and fails the entry's CRC check."""
    data = bytearray(docx_bomb(50))
    # Declare word/document.xml as 2 MB (of its real 50) in its two headers.
    for header, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (start := data.find(header, start)) != -1:
            name_at = start + (46 if header == b"PK\x01\x02" else 30)
            if data[name_at : name_at + 17] == b"word/document.xml":
                struct.pack_into("<I", data, start + size_at, 2 * MB)
            start += 4
    check_archive(io.BytesIO(bytes(data)), "minutes.docx")  # passes: it says 2 MB
    with pytest.raises(FileRejected, match=r"minutes\.docx: the document cannot be read"):
        document_passages(bytes(data), "docx", "minutes.docx")


def test_issue_20s_word_document_bomb_is_refused_at_upload_with_the_reason() -> None:
    upload = SimpleUploadedFile("minutes.docx", docx_bomb(94))
    assert upload.size < 200 * 1024
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload)
    assert str(refused.value).startswith("The selected file minutes.docx was refused: it would")
    assert "more than the 100:1 allowed" in str(refused.value)


def test_the_document_reader_refuses_a_bomb_that_reaches_it_without_the_upload_check() -> None:
    with pytest.raises(FileRejected, match=r"minutes\.docx: it would unpack to"):
        document_passages(docx_bomb(94), "docx", "minutes.docx")


def test_each_catalogue_dataset_declares_limits_the_import_engine_uses() -> None:
    for dataset in DATASETS:
        assert dataset_limits(dataset.code) == dataset.archive_limits
    # The national registers are bigger than an upload may be; everything else keeps 100 MB.
    assert dataset_limits("companies_house").max_bytes >= 4096 * MB
    assert dataset_limits("nspl").max_bytes >= 2048 * MB
    assert dataset_limits("trafford_spend") == UPLOAD_LIMITS
    assert dataset_limits("an uploaded framework") == UPLOAD_LIMITS


@pytest.mark.django_db
def test_an_import_refuses_a_zip_beyond_its_datasets_limits_before_reading_a_row(tmp_path):
    from commonground.imports.models import ImportRun
    from commonground.money.importers import import_file
    from commonground.money.models import MoneyFlow

    path = tmp_path / "trafford-supplier-spend-2026-27.zip"
    path.write_bytes(bomb(150, "trafford-supplier-spend-2026-27.csv"))
    run = import_file("trafford_spend", path)
    assert run.status == "failed"
    assert run.error.startswith("trafford-supplier-spend-2026-27.zip: it would unpack to 150.0 MB")
    assert MoneyFlow.objects.count() == 0
    assert ImportRun.objects.get(pk=run.pk).rows_read == 0


@pytest.mark.django_db
def test_the_real_trafford_spend_zip_still_imports_within_its_limits(shared_data: Path) -> None:
    from commonground.money.importers import import_file

    run = import_file(
        "trafford_spend", shared_data / "spend" / "trafford-supplier-spend-2026-27.zip"
    )
    assert run.status == "succeeded", run.error
    assert run.rows_loaded > 1000
