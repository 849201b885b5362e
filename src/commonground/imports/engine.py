"""The shared import engine.

An importer declares its dataset (from the source catalogue) and how to read a row; the engine
does the rest: checksum, streaming, batching, duplicate detection, the ImportRun with its
counts and rejected rows, and all-or-nothing loading (one transaction: an interrupted or failed
import leaves the previous state).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import queue
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from commonground.core import planner_statistics
from commonground.core.archives import ArchiveRejected, check_archive, dataset_limits

from .errors import FileRejected, RowRejected, StrictImportFailed
from .models import ImportRun, ImportStatus, RejectedRow
from .readers import Row
from .seen import DEFAULT_LIMIT, SeenKeys

logger = logging.getLogger(__name__)

Parsed = TypeVar("Parsed")
MAX_REJECTED_ROWS_KEPT = 10_000


@dataclass
class LoadCounts:
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: LoadCounts) -> None:
        self.loaded += other.loaded
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class ImportContext:
    run: ImportRun
    warnings: list[str] = field(default_factory=list)
    # How many rows were refused for each field ('' for the row as a whole), all of them; only
    # the first MAX_REJECTED_ROWS_KEPT refused rows themselves are kept.
    rejected_fields: Counter[str] = field(default_factory=Counter)

    def skip(self, count: int) -> None:
        """Count rows an importer filtered out unparsed: read, and skipped on purpose."""
        self.run.rows_read += count
        self.run.rows_skipped += count


class Importer(ABC, Generic[Parsed]):
    """One source's importer: metadata plus reading rows and turning a row into a record."""

    dataset: ClassVar[str]  # a code in commonground.sources.catalogue
    batch_size: ClassVar[int] = 2000

    @abstractmethod
    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        """Stream the file's rows (usually via readers.read_delimited)."""

    @abstractmethod
    def parse(self, row: Row) -> Parsed | None:
        """Turn one row into a record; None skips it on purpose (e.g. filtered out).

        Raise RowRejected(reason, field) for a row that cannot be used.
        """

    @abstractmethod
    def record_key(self, record: Parsed) -> str:
        """The record's identity within the dataset, used to find duplicates and to upsert."""

    @abstractmethod
    def load(self, records: list[Parsed], context: ImportContext) -> LoadCounts:
        """Write a batch idempotently (upsert by record key)."""

    def start(self, path: Path, context: ImportContext) -> None:
        """Called once in the writing process, inside the transaction, before the first batch."""

    def finish(self, context: ImportContext) -> None:
        """Called once, inside the transaction, after the last batch."""

    def close(self, context: ImportContext) -> None:
        """Called once after the transaction, whether the import succeeded or failed: undo
        what start changed outside the data (e.g. a connection setting)."""

    def prepare(self, record: Parsed) -> None:
        """Pure per-record work (no database) done beside reading, e.g. encoding for storage.

        With `parse_in_worker` it runs in the worker process, off the writing process's core.
        """

    # Read, parse and prepare rows in a forked worker process while this process writes: the
    # two halves of a large import then use a core each. The worker never touches the database.
    parse_in_worker: ClassVar[bool] = False

    # Record keys held in memory to find duplicates; older ones wait on disk (imports.seen).
    keys_held_in_memory: ClassVar[int] = DEFAULT_LIMIT

    # The run's status says what happened (`outcome`): partial, unchanged, or failed when
    # nothing was loaded, rather than succeeded whenever the file could be read.
    reports_outcome: ClassVar[bool] = False
    # Short of that, a run that loaded nothing (no row new, changed or already present: a
    # header-only file, every row refused or skipped) failed, saying why, rather than succeeded.
    fails_when_nothing_loaded: ClassVar[bool] = False


def file_checksum(path: Path) -> tuple[str, int]:
    """The SHA-256 of a file and its size; of a folder, over its files' names and contents
    in name order, and their total size."""
    digest = hashlib.sha256()
    size = 0
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(f"{file.relative_to(path)}\0".encode())
        with open(file, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    return digest.hexdigest(), size


class _Checksum:
    """file_checksum(path), worked out in a thread of its own."""

    def __init__(self, path: Path) -> None:
        self.value: tuple[str, int] | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self.thread.start()

    def _run(self, path: Path) -> None:
        try:
            self.value = file_checksum(path)
        except BaseException as error:  # handed to the caller of result()
            self.error = error

    def result(self) -> tuple[str, int]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def outcome(
    run: ImportRun, rejected: list[RejectedRow], fields: Counter[str] | None = None
) -> tuple[str, str]:
    """The status word of a run that read its file to the end, and the error if it failed:
    succeeded (all loaded), partial (some rows refused), unchanged (every row was already
    present), failed (nothing loaded from a file whose rows were not already present)."""
    present = run.rows_loaded + run.rows_updated + run.rows_unchanged
    if present == 0:
        if run.rows_rejected:
            return ImportStatus.FAILED, _nothing_loaded(run, rejected, fields)
        if run.rows_read:
            return ImportStatus.FAILED, (
                f"nothing was loaded: all {run.rows_read} rows were skipped as not wanted"
            )
        return ImportStatus.FAILED, "nothing was loaded: the file has no rows"
    if run.rows_rejected:
        return ImportStatus.PARTIAL, ""
    if run.rows_loaded + run.rows_updated == 0:
        return ImportStatus.UNCHANGED, ""
    return ImportStatus.SUCCEEDED, ""


def _nothing_loaded(
    run: ImportRun, rejected: list[RejectedRow], fields: Counter[str] | None = None
) -> str:
    """Why a file gave nothing: the field most rows were refused for, with an example."""
    if not fields:
        fields = Counter(row.field for row in rejected)
    field, count = fields.most_common(1)[0] if fields else ("", 0)
    example = next((row for row in rejected if row.field == field), None)
    text = f"nothing was loaded: all {run.rows_rejected} rows were refused"
    if example is not None:
        which = f" for the field '{field}'" if field else ""
        text += (
            f"; {count} of them{which}, for example {example.file_name}, row "
            f"{example.row_number}: {example.reason}"
        )
    return text


def runner() -> dict[str, Any]:
    """Who runs an import: this machine and process, and its database server process."""
    db_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            db_pid = cursor.fetchone()[0]
    return {"host": socket.gethostname()[:255], "pid": os.getpid(), "db_pid": db_pid}


ABANDONED_WITHOUT_RUNNER = timedelta(days=1)


def fail_abandoned_runs() -> int:
    """Mark failed the runs left "running" by an import that was cut off (a lost database
    connection, a killed process) before it could record its end. A run is abandoned when its
    PostgreSQL server process has gone, or, on SQLite, its process on this machine has; a run
    that does not say who ran it, after a day. Its transaction was rolled back: nothing of it
    was loaded."""
    running = ImportRun.objects.filter(status=ImportStatus.RUNNING)
    if not running.exists():
        return 0
    backends: set[int] | None = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity")
            backends = {pid for (pid,) in cursor.fetchall()}
    host, now = socket.gethostname()[:255], timezone.now()
    abandoned = []
    for run in running:
        if run.db_pid is not None and backends is not None:
            lost = run.db_pid not in backends
        elif run.pid is not None and run.host == host:
            lost = not _process_alive(run.pid)
        else:
            lost = not run.host and now - run.started_at > ABANDONED_WITHOUT_RUNNER
        if lost:
            abandoned.append(run.pk)
    return ImportRun.objects.filter(pk__in=abandoned, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED,
        finished_at=now,
        error="the import was cut off before it finished (its database connection or process "
        "was lost) and could not record its end; nothing of it was loaded. Marked failed when "
        "the next import began.",
        rows_loaded=0,
        rows_updated=0,
        rows_unchanged=0,
    )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


OUTCOME_SAVE_ATTEMPTS = 5  # about 7.5 s of waiting in all


def run_import(
    importer: Importer[Parsed], path: Path | str, *, strict: bool = False, uploaded_by: Any = None
) -> ImportRun:
    """Import one file. Returns the finished ImportRun (succeeded or failed, never half-loaded).

    `uploaded_by`: the person whose own file this is (a page's upload). Their run is private
    to them and platform administrators (ImportRun.objects.visible_to); without it the run is
    public, as the open data it reads is."""
    path = Path(path)
    fail_abandoned_runs()
    run = ImportRun.objects.create(
        dataset=importer.dataset,
        importer=f"{type(importer).__module__}.{type(importer).__qualname__}",
        source=str(path),
        strict=strict,
        private=uploaded_by is not None,
        uploaded_by=uploaded_by,
        **runner(),
    )
    context = ImportContext(run=run)
    rejected: list[RejectedRow] = []
    written: list[str] = []
    try:
        if not path.exists():
            raise FileRejected(path.name, "the file does not exist")
        # The file's checksum is worked out beside the load (hashing lets other threads run):
        # reading a national file twice in turn would cost the load seconds.
        checksum = _Checksum(path)
        try:
            if path.is_file():
                _check_archive(path, importer.dataset)
            try:
                with transaction.atomic():
                    _load_all(importer, path, context, rejected, strict)
                    written = planner_statistics.tables_written(
                        records_changed=run.rows_loaded + run.rows_updated
                    )
            finally:
                importer.close(context)
        finally:
            run.sha256, run.size_bytes = checksum.result()
        _analyse(written)
        run.status = ImportStatus.SUCCEEDED
        if importer.reports_outcome:
            run.status, run.error = outcome(run, rejected, context.rejected_fields)
        elif importer.fails_when_nothing_loaded:
            status, error = outcome(run, rejected, context.rejected_fields)
            if status == ImportStatus.FAILED:
                run.status, run.error = status, f"{Path(path).name}: {error}"
    except FileRejected as error:
        run.status = ImportStatus.FAILED
        run.error = error.message
        _reset_counts(run)
    except StrictImportFailed as error:
        run.status = ImportStatus.FAILED
        run.error = str(error)
        _reset_counts(run)
    except BaseException as error:  # interrupted (Ctrl-C) or a bug: record it, then re-raise
        run.status = ImportStatus.FAILED
        run.error = (
            f"the import stopped before it finished ({type(error).__name__}: {error}); "
            "nothing was loaded"
        )
        _reset_counts(run)
        _record_outcome(run, context, rejected)
        raise
    _record_outcome(run, context, rejected)
    return run


def _analyse(tables: list[str]) -> None:
    """Refresh the planner's statistics of the tables the import wrote, before its outcome is
    recorded (which tells the page cache that public data changed), so the first reader after
    it is planned with them. The rows are committed by then: a failure here is only logged."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint inside the caller's transaction
                planner_statistics.analyse(tables)
        else:  # no transaction: the tables can be vacuumed as well
            planner_statistics.analyse(tables)
    except DatabaseError:
        logger.warning("could not analyse %s after an import", ", ".join(tables), exc_info=True)


def _check_archive(path: Path, dataset: str) -> None:
    """Refuse a zip (a register's download, an .xlsx) that would unpack beyond what its dataset
    declares, before any reader opens it."""
    try:
        check_archive(path, path.name, dataset_limits(dataset))
    except ArchiveRejected as error:
        raise FileRejected(error.file_name, error.reason) from error


def _record_outcome(run: ImportRun, context: ImportContext, rejected: list[RejectedRow]) -> None:
    """Save how the run ended. If the database went away mid-import (a restart, a failover),
    the connection is dropped and the save retried for a few seconds, so the run is not left
    showing "running" for ever once the database is back."""
    for attempt in range(OUTCOME_SAVE_ATTEMPTS):
        try:
            _finish(run, context, rejected)
            return
        except DatabaseError:
            if attempt == OUTCOME_SAVE_ATTEMPTS - 1:
                logger.exception("could not record the outcome of import run %s", run.pk)
                raise
            connection.close()  # the next query opens a fresh connection
            time.sleep(0.5 * 2**attempt)


def _reset_counts(run: ImportRun) -> None:
    # Rolled back: nothing was loaded, whatever the batches counted.
    run.rows_loaded = run.rows_updated = run.rows_unchanged = 0


@transaction.atomic  # the outcome and its rejected rows are saved together, so a retry is clean
def _finish(run: ImportRun, context: ImportContext, rejected: list[RejectedRow]) -> None:
    run.finished_at = timezone.now()
    run.warnings = context.warnings
    run.save()
    RejectedRow.objects.bulk_create(rejected, batch_size=1000)
    logger.info(
        "import %s %s: read %d, loaded %d, updated %d, unchanged %d, rejected %d",
        run.dataset,
        run.status,
        run.rows_read,
        run.rows_loaded,
        run.rows_updated,
        run.rows_unchanged,
        run.rows_rejected,
    )


def _load_all(
    importer: Importer[Parsed],
    path: Path,
    context: ImportContext,
    rejected: list[RejectedRow],
    strict: bool,
) -> None:
    run = context.run
    batch: list[Parsed] = []
    totals = LoadCounts()
    importer.start(path, context)

    def reject(row: Row, reason: str, field: str = "") -> None:
        run.rows_rejected += 1
        if strict:
            raise StrictImportFailed(
                f"{row.file_name}, row {row.number}"
                + (f", field '{field}'" if field else "")
                + f": {reason}. Strict import: nothing was loaded."
            )
        context.rejected_fields[field[:200]] += 1
        if len(rejected) >= MAX_REJECTED_ROWS_KEPT:
            return  # counted; only the first ones are kept, so memory stays bounded
        rejected.append(
            RejectedRow(
                run=run,
                file_name=row.file_name[:300],
                row_number=row.number,
                field=field[:200],
                reason=reason,
                raw=_raw_text(row.raw)[:4000],
            )
        )

    for event in _events(importer, path, context):
        if type(event) is int:  # rows read and skipped on purpose
            run.rows_read += event
            run.rows_skipped += event
        elif type(event) is _Rejection:
            run.rows_read += 1
            reject(event.row, event.reason, event.field)
        else:
            run.rows_read += 1
            batch.append(event)
            if len(batch) >= importer.batch_size:
                totals.add(importer.load(batch, context))
                batch = []
    if batch:
        totals.add(importer.load(batch, context))
    importer.finish(context)
    run.rows_loaded, run.rows_updated, run.rows_unchanged = (
        totals.loaded,
        totals.updated,
        totals.unchanged,
    )


@dataclass
class _Rejection:
    row: Row
    reason: str
    field: str = ""


def _parsed(importer: Importer[Parsed], path: Path, context: ImportContext) -> Iterator[Any]:
    """Rows read and parsed, in file order, as events: a record to load, a _Rejection, or an
    int (that many rows read and skipped on purpose). Duplicate keys are rejected here."""
    with SeenKeys(importer.keys_held_in_memory) as seen:
        for row in importer.rows(path, context):
            if row.error:
                yield _Rejection(row, row.error)
                continue
            try:
                record = importer.parse(row)
            except RowRejected as error:
                yield _Rejection(row, error.reason, error.field)
                continue
            if record is None:
                yield 1
                continue
            key = importer.record_key(record)
            first = seen.first_row(key)
            if first is not None:
                yield _Rejection(row, f"duplicate of row {first} (same record key {key!r})")
                continue
            seen.add(key, row.number)
            yield record


def _events(importer: Importer[Parsed], path: Path, context: ImportContext) -> Iterator[Any]:
    if not importer.parse_in_worker or multiprocessing.get_start_method() != "fork":
        yield from _parsed(importer, path, context)
        return
    receiver, sender = multiprocessing.Pipe(duplex=False)
    worker = multiprocessing.get_context("fork").Process(
        target=_work, args=(importer, path, context, sender), daemon=True
    )
    # Objects alive now are the worker's inheritance: frozen, its garbage collector leaves them
    # alone instead of touching (and so copying) every page of them.
    gc.freeze()
    try:
        worker.start()
    finally:
        gc.unfreeze()
    sender.close()
    # A thread takes messages off the pipe as they come, so the worker never waits for this
    # process to finish writing a batch before it can hand over the next rows.
    messages: queue.Queue[tuple[str, Any]] = queue.Queue(64)
    listener = threading.Thread(target=_listen, args=(receiver, messages), daemon=True)
    listener.start()
    finished = False
    try:
        while True:
            kind, payload = messages.get()
            if kind == "events":
                yield from payload
            elif kind == "warnings":
                context.warnings.extend(payload)
            elif kind == "file":
                raise FileRejected(*payload)
            elif kind == "error":
                raise RuntimeError(payload)
            elif kind == "eof":
                raise RuntimeError("the reading process stopped unexpectedly")
            else:
                finished = True
                return
    finally:
        if not finished and worker.is_alive():
            worker.terminate()
        worker.join()
        while listener.is_alive():  # let a blocked listener finish its put and see the end
            try:
                messages.get_nowait()
            except queue.Empty:
                listener.join(0.05)
        receiver.close()


def _listen(receiver: Any, messages: queue.Queue[tuple[str, Any]]) -> None:
    while True:
        try:
            message = receiver.recv()
        except (EOFError, OSError):
            messages.put(("eof", None))
            return
        messages.put(message)
        if message[0] in ("done", "file", "error"):
            return


class _WorkerContext(ImportContext):
    """The worker's context: rows skipped unparsed are passed on (in order) as events."""

    pending: list[Any]

    def skip(self, count: int) -> None:
        self.pending.append(count)


def _work(importer: Importer[Parsed], path: Path, context: ImportContext, sender: Any) -> None:
    # Runs in the forked worker: it inherited the parent's database connection, which it must
    # never use (multiprocessing ends a forked child with os._exit, so it is not closed either).
    local = _WorkerContext(run=context.run)
    local.pending = []
    events = local.pending
    try:
        for event in _parsed(importer, path, local):
            if type(event) is _Rejection:
                event.row.data = {}  # the parent needs only the file, number and raw values
            elif type(event) is not int:
                importer.prepare(event)
            events.append(event)
            if len(events) >= 256:
                sender.send(("events", list(events)))
                events.clear()
        sender.send(("events", list(events)))
        sender.send(("warnings", local.warnings))
        sender.send(("done", None))
    except FileRejected as error:
        sender.send(("events", list(events)))
        sender.send(("warnings", local.warnings))
        sender.send(("file", (error.file_name, error.reason, error.row, error.field)))
    except BaseException as error:  # reported to the parent, which re-raises
        sender.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


def _raw_text(values: Iterable[str]) -> str:
    return "\t".join(values)
