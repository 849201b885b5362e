"""Companies House basic company data: the national company register as one CSV (or a zip of it).

By default only the social-economy categories are loaded (SOCIAL_ECONOMY_CATEGORIES, about 4%
of the register); `all_companies=True` loads every company. Rows of other categories are
counted as read and skipped, not rejected.

Sector evidence comes from CompanyCategory only, never from the name:
- Community Interest Company -> social_enterprise
- Registered Society, Industrial and Provident Society -> cooperative_mutual
- Charitable Incorporated Organisation, Scottish CIO -> charity
- Private / Public Limited Company -> private_business (only loaded with all_companies)
- guarantee companies, Royal Charter companies and everything else -> no sector claim (the
  organisation stays 'unknown' unless another register says more); the category is kept as
  the legal form.

Speed: the national file has about 5 million rows. For a large file the filter runs in DuckDB,
which reads every line in parallel and keeps only lines whose CompanyCategory field starts with
one of the selected categories (a cheap superset test). DuckDB then stages the plain ones among
them, their stored JSON and organisation made in SQL (companies_house_staging, ADR 0055); the
rest are parsed by Python's csv module and parse_record, as on the plain path. Both paths store
the same bytes. Row numbers are physical line numbers, as in the plain reader. From a selected
company whose quoted value holds a line break or a lone carriage return (which DuckDB's line
split would cut), the csv module reads the rest of the file, as on the plain path.
"""

from __future__ import annotations

import csv
import mmap
import queue
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import ClassVar

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.models import ImportStatus
from commonground.imports.readers import (
    SNIFF_BYTES,
    Row,
    check_header,
    choose_encoding,
    is_blank,
    make_row,
    open_member,
    read_delimited,
    read_rows_from,
)
from commonground.places.postcodes import normalise_postcode

from ..identifiers import company_number
from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from ..staged import StagedLoad, StagedRecord, stage
from .base import join_address, parse_date, require, text
from .companies_house_staging import PLAIN_LINE, CompaniesHouseStaging, Layout

NUMBER = "CompanyNumber"
CATEGORY = "CompanyCategory"
SIC_COLUMNS = tuple(f"SICCode.SicText_{n}" for n in range(1, 5))
PREVIOUS_NAME_COLUMNS = tuple(f"PreviousName_{n}.CompanyName" for n in range(1, 11))
ADDRESS_COLUMNS = (
    "RegAddress.POBox",
    "RegAddress.AddressLine1",
    "RegAddress.AddressLine2",
    "RegAddress.PostTown",
    "RegAddress.County",
    "RegAddress.Country",
)
COLUMNS = (
    "CompanyName",
    NUMBER,
    *ADDRESS_COLUMNS,
    "RegAddress.PostCode",
    CATEGORY,
    "CompanyStatus",
    "DissolutionDate",
    "IncorporationDate",
    *SIC_COLUMNS,
    *PREVIOUS_NAME_COLUMNS,
)
DATE_FORMATS = ("%d/%m/%Y",)

# CompanyCategory values (compared case-insensitively, up to any " (...)" explanation) that
# make up the social economy: community interest companies, co-operative and community benefit
# societies, charitable incorporated organisations, companies limited by guarantee without
# share capital (the usual form of charitable and community companies) and Royal Charter bodies.
SOCIAL_ECONOMY_CATEGORIES = (
    "community interest company",
    "registered society",
    "industrial and provident society",
    "charitable incorporated organisation",
    "scottish charitable incorporated organisation",
    "pri/lbg/nsc",
    "pri/ltd by guar/nsc",
    "royal charter company",
)
_SECTOR_BY_CATEGORY: dict[str, tuple[str, str]] = {
    "community interest company": (
        Sector.SOCIAL_ENTERPRISE.value,
        "registered at Companies House as a Community Interest Company",
    ),
    "registered society": (
        Sector.COOPERATIVE_MUTUAL.value,
        "registered society (co-operative or community benefit society)",
    ),
    "industrial and provident society": (
        Sector.COOPERATIVE_MUTUAL.value,
        "industrial and provident society (co-operative or community benefit society)",
    ),
    "charitable incorporated organisation": (
        Sector.CHARITY.value,
        "charitable incorporated organisation",
    ),
    "scottish charitable incorporated organisation": (
        Sector.CHARITY.value,
        "Scottish charitable incorporated organisation",
    ),
    "private limited company": (
        Sector.PRIVATE_BUSINESS.value,
        "private company limited by shares",
    ),
    "public limited company": (Sector.PRIVATE_BUSINESS.value, "public limited company"),
}
# A cheap superset of the selected rows for DuckDB's RE2: a field begins with one of the
# categories (parse() then checks the field itself, so a false match is only skipped). The
# category is never a line's first field in the register's layout; only a file whose header puts
# it first is also matched at the start of a line (twice as slow a test).
_CATEGORIES = (
    r"(community interest company|registered society|industrial and provident society"
    r"|(scottish )?charitable incorporated organisation|pri/lbg/nsc|pri/ltd by guar/nsc"
    r"|royal charter company)"
)
_CANDIDATE_PATTERN = r'(?i),"?' + _CATEGORIES
_CANDIDATE_PATTERN_FIRST = r'(?i)(^|,)"?' + _CATEGORIES
LAYOUT = Layout(
    number=NUMBER,
    name="CompanyName",
    category=CATEGORY,
    status="CompanyStatus",
    incorporated="IncorporationDate",
    dissolved="DissolutionDate",
    postcode="RegAddress.PostCode",
    address=ADDRESS_COLUMNS,
    sic=SIC_COLUMNS,
    previous_names=PREVIOUS_NAME_COLUMNS,
    categories=SOCIAL_ECONOMY_CATEGORIES,
    sectors=_SECTOR_BY_CATEGORY,
)
_DUCKDB_LINE = re.compile(r"CSV Error on Line: (\d+)")
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")


_COMPANY_NUMBER = re.compile(r"[A-Z0-9]{8}")
_DAY_MONTH_YEAR = re.compile(r"(\d\d)/(\d\d)/(\d{4})")


def _date(data: dict[str, str], field: str) -> date | None:
    """dd/mm/yyyy, read without strptime (which is slow when called a million times)."""
    value = data[field]
    if not value:
        return None
    match = _DAY_MONTH_YEAR.fullmatch(value.strip())
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            pass  # e.g. 31/02/2020: reported below in the usual words
    return parse_date(value, field, DATE_FORMATS)


def category_key(value: str) -> str:
    """'PRI/LBG/NSC (Private, Limited by guarantee, ...)' -> 'pri/lbg/nsc'."""
    return text(value).split(" (")[0].strip().casefold()


_STILL_REGISTERED = ("active", "live", "liquidation", "in administration", "administration")
_STILL_REGISTERED_WORDS = ("receiver", "voluntary arrangement", "insolvency")


def company_status(status: str, dissolved: bool) -> str:
    value = text(status).casefold()
    if dissolved or value.startswith("dissolved"):
        return Status.DISSOLVED.value
    if value in ("converted/closed", "closed", "removed"):
        return Status.REMOVED.value
    # Liquidation, administration, receivership and voluntary arrangements leave the company on
    # the register: it still exists (the exact CompanyStatus is kept in the raw record).
    if value.startswith(_STILL_REGISTERED) or any(w in value for w in _STILL_REGISTERED_WORDS):
        return Status.ACTIVE.value
    return Status.UNKNOWN.value


class CompaniesHouseImporter(Importer[StagedRecord]):
    """Each row is parsed into an OrganisationRecord and staged (organisations.staged): its
    JSON and checksum made in the reading process; the writing process loads the records
    set-based (ADR 0046)."""

    dataset = "companies_house"
    register = "Companies House"
    priority = 20
    # Files at least this big (uncompressed) are filtered by DuckDB; smaller ones by Python.
    fast_path_min_bytes: ClassVar[int] = 32 * 1024 * 1024
    # Reading, parsing and staging run in a worker process beside the database writes.
    parse_in_worker: ClassVar[bool] = True
    # A file that gives no organisation (only a header, no selected company) failed.
    fails_when_nothing_loaded = True
    # A load creating more organisations than this leaves their embeddings to `embed_after`,
    # called once the load has committed (import_register does, with progress shown).
    embed_in_load_max: ClassVar[int] = 5_000
    # The large-file path's plain rows staged by DuckDB (ADR 0055), so many lines at a time.
    stage_with_duckdb: ClassVar[bool] = True
    staging_chunk: ClassVar[int] = 20_000

    def __init__(self, *, all_companies: bool = False) -> None:
        self.all_companies = all_companies
        self.staged = StagedLoad(None)

    def record_key(self, record: StagedRecord) -> str:
        return record.record_key

    def start(self, path: Path, context: ImportContext) -> None:
        self.staged = StagedLoad(context.run)
        size = _uncompressed_size(path, path.suffix.lower() == ".zip" or _starts_like_zip(path))
        if size >= self.fast_path_min_bytes:
            # About one row in 25 of the register is kept, of some 460 bytes a row.
            self.staged.defer_indexes(size // (460 if self.all_companies else 12_000))

    def load(self, records: list[StagedRecord], context: ImportContext) -> LoadCounts:
        return self.staged.load(records)

    def finish(self, context: ImportContext) -> None:
        self.staged.restore_indexes()
        self.staged.index_new()
        if len(self.staged.texts) <= self.embed_in_load_max:
            self.staged.embed()

    def close(self, context: ImportContext) -> None:
        self.staged.release()

    def embed_after(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed the organisations the committed load created and left unembedded (call it
        after run_import succeeded); returns how many were embedded."""
        run = self.staged.run
        if run is None or run.status not in ImportStatus.loaded():
            return 0  # rolled back: the organisations it created are gone
        return self.staged.embed(progress)

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        is_zip = path.suffix.lower() == ".zip" or _starts_like_zip(path)
        member = ".csv" if is_zip else None
        if self.all_companies or _uncompressed_size(path, is_zip) < self.fast_path_min_bytes:
            return read_delimited(
                path,
                encodings=("utf-8", "cp1252"),
                required_columns=COLUMNS,
                member_suffix=member,
                warnings=context.warnings,
            )
        return self._selected_rows(path, member, context)

    def parse(self, row: Row) -> StagedRecord | None:
        if row.prepared is not None:  # staged by DuckDB (ADR 0055)
            return row.prepared  # type: ignore[no-any-return]
        record = self.parse_record(row)
        return None if record is None else stage(record)

    def parse_record(self, row: Row) -> OrganisationRecord | None:
        data = row.data
        category = text(data[CATEGORY])
        key = category_key(category)
        if not self.all_companies and key not in SOCIAL_ECONOMY_CATEGORIES:
            return None
        number = company_number(require(data[NUMBER], NUMBER))
        if not _COMPANY_NUMBER.fullmatch(number):
            raise RowRejected(f"{text(data[NUMBER])!r} is not a company number", NUMBER)
        claims = []
        if key in _SECTOR_BY_CATEGORY:
            sector, rule = _SECTOR_BY_CATEGORY[key]
            claims.append(SectorClaim(sector, CATEGORY, category, rule))
        dissolved_on = _date(data, "DissolutionDate")
        # Most of these columns are empty for most companies: look only at those with a value.
        sic = [s for s in (text(data[c]) for c in SIC_COLUMNS if data[c]) if s != "None Supplied"]
        previous = [text(data[c]) for c in PREVIOUS_NAME_COLUMNS if data[c].strip()]
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=number,
            # Keep what the register said; the many empty columns say nothing.
            raw={k: v for k, v in data.items() if v},
            identifiers=[f"GB-COH-{number}"],
            name=require(data["CompanyName"], "CompanyName"),
            priority=self.priority,
            register=self.register,
            other_names=previous,
            legal_form=category,
            sector_claims=claims,
            status=company_status(data["CompanyStatus"], dissolved_on is not None),
            date_registered=_date(data, "IncorporationDate"),
            date_removed=dissolved_on,
            address=join_address(*(data[c] for c in ADDRESS_COLUMNS if data[c])),
            postcode=normalise_postcode(data["RegAddress.PostCode"]),
            activities="; ".join(sic),
            row_number=row.number,
            file_name=row.file_name,
        )

    # The fast path -------------------------------------------------------------------------

    def _selected_rows(
        self, path: Path, member: str | None, context: ImportContext
    ) -> Iterator[Row]:
        if member is None:
            yield from self._scan(path, path.name, context)
            return
        # DuckDB cannot read inside a zip: unpack the one CSV next to nothing else, then scan.
        with (
            open_member(path, member) as (binary, file_name),
            tempfile.TemporaryDirectory(prefix="companies_house_") as folder,
        ):
            extracted = Path(folder) / "basic_company_data.csv"
            try:
                with open(extracted, "wb") as target:
                    shutil.copyfileobj(binary, target, 1 << 22)
            except (zipfile.BadZipFile, EOFError, OSError) as error:
                raise FileRejected(
                    file_name, f"the archive is truncated or corrupt: {error}"
                ) from error
            yield from self._scan(extracted, file_name, context)

    def _scan(self, path: Path, file_name: str, context: ImportContext) -> Iterator[Row]:
        with open(path, "rb") as handle:
            sample = handle.read(SNIFF_BYTES)
        if not sample.strip():
            raise FileRejected(file_name, "the file is empty")
        encoding = choose_encoding(sample, ("utf-8", "cp1252"), file_name)
        mixed_endings = b"\r\n" in sample and re.search(rb"[^\r]\n", sample) is not None
        if encoding == "cp1252" or mixed_endings:
            # DuckDB reads UTF-8 with one kind of line ending; anything else takes the plain path.
            yield from read_delimited(
                path,
                encodings=("utf-8", "cp1252"),
                required_columns=COLUMNS,
                warnings=context.warnings,
            )
            return
        first_line = sample.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
        header = [h.strip() for h in next(csv.reader([first_line]), [])]
        check_header(header, file_name, COLUMNS, context.warnings)
        lines = _CandidateLines(path, file_name, category_first=header.index(CATEGORY) == 0)
        staging = None
        if self.stage_with_duckdb:
            staging = CompaniesHouseStaging(
                header,
                dataset=self.dataset,
                register=self.register,
                priority=self.priority,
                file_name=file_name,
                layout=LAYOUT,
            )
        try:
            for chunk, staged in self._chunks(lines, staging):
                yield from self._rows_of(chunk, staged, file_name, header)
        finally:
            if staging is not None:
                staging.close()
        context.skip(lines.total_rows - lines.candidates)
        if lines.resume_at is not None:
            # A record spans lines (a line break or lone carriage return inside quotes): from
            # the record boundary before it, the csv module reads the rest, as the plain path.
            yield from read_rows_from(path, *lines.resume_at, header, file_name)

    def _chunks(
        self, lines: _CandidateLines, staging: CompaniesHouseStaging | None
    ) -> Iterator[tuple[list[tuple[int, str, bool]], dict[int, StagedRecord]]]:
        """The candidate lines in chunks, each with what DuckDB staged of it. A chunk is staged
        in a thread while the one before is handed on and the next is gathered (DuckDB lets
        Python run meanwhile); the first chunk is small, so that the writing starts sooner."""

        def stage(chunk: list[tuple[int, str, bool]]) -> dict[int, StagedRecord]:
            if staging is None:
                return {}
            return staging.stage([(number, line) for number, line, plain in chunk if plain])

        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: list[tuple[list[tuple[int, str, bool]], Future[dict[int, StagedRecord]]]] = []
            chunk: list[tuple[int, str, bool]] = []
            size = self.staging_chunk // 10
            for candidate in lines:
                chunk.append(candidate)
                if len(chunk) == size:
                    pending.append((chunk, pool.submit(stage, chunk)))
                    chunk, size = [], self.staging_chunk
                    if len(pending) == 2:
                        done, future = pending.pop(0)
                        yield done, future.result()
            pending.append((chunk, pool.submit(stage, chunk)))
            for done, future in pending:
                yield done, future.result()

    @staticmethod
    def _rows_of(
        chunk: list[tuple[int, str, bool]],
        staged: dict[int, StagedRecord],
        file_name: str,
        header: list[str],
    ) -> Iterator[Row]:
        """The chunk's rows in file order: those DuckDB staged carry their record; the others
        are parsed here, to go through parse_record."""
        width = len(header)
        for number, line, _ in chunk:
            record = staged.get(number)
            if record is not None:
                yield Row(file_name, number, {}, [line], prepared=record)
                continue
            values = next(csv.reader([line]), [])
            if is_blank(values):
                continue
            yield make_row(file_name, number, header, values, width)


class _CandidateLines:
    """(line number, line, whether it is plain) for every line DuckDB picks out, in file order,
    streamed from a worker thread so that DuckDB's scan overlaps the loading; afterwards
    total_rows is the number of data rows. A plain line (staging.PLAIN_LINE) may be staged by
    DuckDB.

    DuckDB only splits lines and runs the RE2 test (numbering its lines would cost as much again:
    it must then keep them in order across its threads); each line's number is found here, by
    looking for the line in the file from where the last one ended and counting the newlines
    passed over, which also counts the file's rows.

    DuckDB splits a record whose quoted value holds a line break or a lone carriage return into
    pieces. A piece is met as a line after a lone carriage return, or as a line that is not
    plain with its quotes unbalanced or begun inside quotes; the lines then stop, before that
    record, and `resume_at` says where the csv module should go on reading: (byte offset, line
    number) of the record boundary. A plain line cannot hold such a piece's stray quote."""

    def __init__(self, path: Path, file_name: str, category_first: bool = False) -> None:
        self.path = path
        self.file_name = file_name
        self.pattern = _CANDIDATE_PATTERN_FIRST if category_first else _CANDIDATE_PATTERN
        self.total_rows = 0
        self.candidates = 0
        self.resume_at: tuple[int, int] | None = None

    def __iter__(self) -> Iterator[tuple[int, str, bool]]:
        chunks: queue.Queue[list[tuple[str, bool]] | BaseException | None] = queue.Queue(8)
        stop = threading.Event()
        worker = threading.Thread(target=self._produce, args=(chunks, stop), daemon=True)
        worker.start()
        try:
            with (
                open(self.path, "rb") as handle,
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as text,
            ):
                lines = _LineFinder(text)
                while True:
                    item = chunks.get()
                    if item is None:
                        break
                    if isinstance(item, BaseException):
                        raise item
                    for line, plain in item:
                        number = lines.number(line, plain)
                        if number is None:  # a piece of a record that spans lines
                            self.resume_at = lines.boundary
                            self.total_rows = lines.boundary[1] - 2  # the data rows before
                            return
                        self.candidates += 1
                        yield number, line, plain
                self.total_rows = lines.rows_to_end()
        finally:
            stop.set()
            while worker.is_alive():  # let a blocked worker finish its put and see the stop
                try:
                    chunks.get_nowait()
                except queue.Empty:
                    worker.join(0.05)

    def _produce(
        self,
        chunks: queue.Queue[list[tuple[str, bool]] | BaseException | None],
        stop: threading.Event,
    ) -> None:
        import duckdb

        try:
            with duckdb.connect() as connection:
                # One VARCHAR column a line (the header skipped): lines come in file order.
                result = connection.execute(
                    "SELECT line, regexp_full_match(line, ?) FROM ("
                    "  SELECT rtrim(line, chr(13)) AS line FROM read_csv("
                    "    ?, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '',"
                    "    escape = '', header = true, auto_detect = false, strict_mode = false"
                    "  ) WHERE regexp_matches(line, ?))",
                    [PLAIN_LINE, str(self.path), self.pattern],
                )
                while not stop.is_set():
                    batch = result.fetchmany(4096)
                    if not batch:
                        break
                    chunks.put(batch)
        except duckdb.Error as error:
            chunks.put(self._file_error(error))
            return
        except BaseException as error:  # pragma: no cover - handed to the reading thread
            chunks.put(error)
            return
        chunks.put(None)

    def _file_error(self, error: Exception) -> FileRejected:
        message = str(error)
        line = _DUCKDB_LINE.search(message)
        if "unicode" in message.casefold():
            reason = "the text is not valid UTF-8"
        else:
            reason = f"the file cannot be read as delimited text ({message.splitlines()[0]})"
        return FileRejected(self.file_name, reason, row=int(line.group(1)) if line else None)


class _LineFinder:
    """Line numbers of lines met in file order: each is looked for from the end of the last."""

    def __init__(self, text: mmap.mmap) -> None:
        self.text = text
        self.start = text.find(b"\n") + 1 if len(text) else 0  # after the header
        self.line = 2 if self.start else 1  # the number of the line that begins at start
        # Where the record after the last line found begins: (byte offset, line number).
        self.boundary = (self.start, self.line)

    def number(self, line: str, plain: bool = True) -> int | None:
        """The line's number; None if it is a piece of a record that spans lines."""
        needle = line.encode()
        text, at = self.text, self.start
        while True:
            found = text.find(needle, at)
            end = found + len(needle)
            whole = (
                found >= 0
                and (found == 0 or text[found - 1] == 10)
                and (end == len(text) or text[end] in (10, 13))
            )
            if whole:
                break
            # DuckDB ends a line at a lone carriage return (and drops the byte after it).
            if _LONE_CARRIAGE_RETURN.search(text[self.boundary[0] : found if found >= 0 else None]):
                return None
            if found < 0:  # pragma: no cover - DuckDB read it from this file
                raise RuntimeError(f"a line DuckDB read is not in the file: {line[:80]!r}")
            at = found + 1
        if not plain and (needle.count(b'"') % 2 or text[self.boundary[0] : found].count(b'"') % 2):
            return None  # its quotes close a value begun before it, or open one left open
        # `line` is always the number of the line holding position `start`.
        self.line += text[self.start : found].count(b"\n")
        self.start = end  # the next line is looked for after this one
        after = text.find(b"\n", end)
        self.boundary = (after + 1, self.line + 1) if after >= 0 else (len(text), self.line + 1)
        return self.line

    def rows_to_end(self) -> int:
        """Data rows in the file: lines after the header, a last one without a newline too."""
        text = self.text
        lines = self.line - 1 + text[self.start :].count(b"\n")
        if len(text) and text[-1] != 10:
            lines += 1  # a last line without a newline
        return max(lines - 1, 0)


def _starts_like_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _uncompressed_size(path: Path, is_zip: bool) -> int:
    if not is_zip:
        return path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(i.file_size for i in archive.infolist() if i.filename.endswith(".csv"))
    except (zipfile.BadZipFile, OSError):
        return 0  # the plain reader reports what is wrong with it
