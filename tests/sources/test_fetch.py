"""fetch_sources gets every catalogue file: from the mirror folder without touching the network,
or by download from the publisher, resuming a broken transfer and refusing a wrong checksum.

Downloads are tested against a small HTTP server on 127.0.0.1 that this test starts; nothing
else on the network is used.
"""

from __future__ import annotations

import hashlib
import io
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonground.sources.catalogue import Dataset, SourceFile
from commonground.sources.fetch import ChecksumMismatch, DownloadInterrupted, fetch_file
from commonground.sources.models import FetchedFile

pytestmark = pytest.mark.django_db

CONTENT = b"".join(f"row {n},E08000009,Trafford\n".encode() for n in range(20_000))


class FileServer(ThreadingHTTPServer):
    content = CONTENT
    cut_next_after: int | None = None  # drop the next transfer after this many bytes
    ranges: list[str | None]


class Handler(BaseHTTPRequestHandler):
    server: FileServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        content = self.server.content
        wanted = self.headers.get("Range")
        self.server.ranges.append(wanted)
        start = 0
        if wanted and wanted.startswith("bytes=") and wanted.endswith("-"):
            start = int(wanted[len("bytes=") : -1])
            if start >= len(content):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(content)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(content) - 1}/{len(content)}")
        else:
            self.send_response(200)
        body = content[start:]
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if self.server.cut_next_after is not None:
            body = body[: self.server.cut_next_after]
            self.server.cut_next_after = None
            self.close_connection = True
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[FileServer]:
    httpd = FileServer(("127.0.0.1", 0), Handler)
    httpd.ranges = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def downloads(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.COMMONGROUND_DATA_MIRROR = ""
    settings.COMMONGROUND_DOWNLOAD_DIR = tmp_path / "downloads"
    return tmp_path / "downloads"


def dataset_at(server: FileServer, sha256: str = "") -> tuple[Dataset, SourceFile]:
    host, port = server.server_address[:2]
    source_file = SourceFile(
        "postcodes",
        f"http://{host}:{port}/data/postcodes.csv",
        "places/postcodes.csv",
        sha256=sha256,
    )
    dataset = Dataset(
        code="test_postcodes",
        name="Postcodes served by the test",
        publisher="this test",
        homepage=f"http://{host}:{port}/",
        licence="none",
        licence_url=f"http://{host}:{port}/licence",
        attribution="",
        format="CSV",
        files=(source_file,),
    )
    return dataset, source_file


def test_a_download_is_saved_with_its_checksum_and_size_recorded(
    server: FileServer, downloads: Path
) -> None:
    dataset, source_file = dataset_at(server, sha256=hashlib.sha256(CONTENT).hexdigest())
    progress = io.StringIO()

    result = fetch_file(dataset, source_file, progress=progress)

    target = downloads / "test_postcodes" / "postcodes.csv"
    assert result.path == target and target.read_bytes() == CONTENT
    assert (result.how, result.size_bytes) == ("downloaded", len(CONTENT))
    fetched = FetchedFile.objects.get(dataset="test_postcodes", file_key="postcodes")
    assert fetched.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert fetched.size_bytes == len(CONTENT) and fetched.origin == source_file.url
    assert "postcodes.csv" in progress.getvalue()  # the progress bar was drawn
    assert not (downloads / "test_postcodes" / "postcodes.csv.part").exists()


def test_an_interrupted_download_resumes_from_where_it_stopped(
    server: FileServer, downloads: Path
) -> None:
    dataset, source_file = dataset_at(server)
    server.cut_next_after = 100_000

    with pytest.raises(DownloadInterrupted, match="resumes"):
        fetch_file(dataset, source_file)
    part = downloads / "test_postcodes" / "postcodes.csv.part"
    assert part.stat().st_size == 100_000

    result = fetch_file(dataset, source_file)

    assert server.ranges == [None, "bytes=100000-"]
    assert result.how == "resumed"
    assert result.path.read_bytes() == CONTENT
    assert result.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert not part.exists()


def test_a_file_with_the_wrong_checksum_is_refused_and_discarded(
    server: FileServer, downloads: Path
) -> None:
    dataset, source_file = dataset_at(server, sha256="0" * 64)

    with pytest.raises(ChecksumMismatch, match="0000000000"):
        fetch_file(dataset, source_file)

    assert not any(downloads.rglob("postcodes.csv*"))
    assert not FetchedFile.objects.exists()


def test_a_complete_download_is_not_fetched_again(server: FileServer, downloads: Path) -> None:
    dataset, source_file = dataset_at(server)
    fetch_file(dataset, source_file)

    again = fetch_file(dataset, source_file)

    assert again.how == "already here"
    assert server.ranges == [None]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_with_a_mirror_files_are_read_from_it_and_recorded_without_the_network(
    settings,
    shared_data: Path,
    no_network: None,  # type: ignore[no-untyped-def]
) -> None:
    settings.COMMONGROUND_DATA_MIRROR = str(shared_data)
    out = io.StringIO()

    call_command(
        "fetch_sources", "trafford_wards", "gb_lae_codes", stdout=out, stderr=io.StringIO()
    )

    recorded = {f.file_key: f for f in FetchedFile.objects.all()}
    assert set(recorded) == {"wards", "local_authority", "register", "gss_mapping"}
    wards = shared_data / "places" / "trafford_wards.geojson"
    assert recorded["wards"].sha256 == hashlib.sha256(wards.read_bytes()).hexdigest()
    assert recorded["wards"].origin == str(wards)
    assert "trafford_wards/wards: mirror" in out.getvalue()


def test_a_file_missing_from_the_mirror_is_reported_not_downloaded(
    settings,
    shared_data: Path,
    no_network: None,  # type: ignore[no-untyped-def]
) -> None:
    settings.COMMONGROUND_DATA_MIRROR = str(shared_data)
    err = io.StringIO()

    call_command("fetch_sources", "oscr_register", stdout=io.StringIO(), stderr=err)

    assert "not in the mirror" in err.getvalue()
    assert not FetchedFile.objects.exists()


def test_an_unknown_dataset_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(CommandError, match="trafford_postcodes"):
        call_command("fetch_sources", "no_such_dataset")
