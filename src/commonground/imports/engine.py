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
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from commonground.core.archives import ArchiveRejected, check_archive, dataset_limits

from .errors import FileRejected, RowRejected, StrictImportFailed
from .models import ImportRun, ImportStatus, RejectedRow
from .readers import Row

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


def file_checksum(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


OUTCOME_SAVE_ATTEMPTS = 5  # about 7.5 s of waiting in all


def run_import(importer: Importer[Parsed], path: Path | str, *, strict: bool = False) -> ImportRun:
    """Import one file. Returns the finished ImportRun (succeeded or failed, never half-loaded)."""
    path = Path(path)
    run = ImportRun.objects.create(
        dataset=importer.dataset,
        importer=f"{type(importer).__module__}.{type(importer).__qualname__}",
        source=str(path),
        strict=strict,
    )
    context = ImportContext(run=run)
    rejected: list[RejectedRow] = []
    try:
        if not path.is_file():
            raise FileRejected(path.name, "the file does not exist")
        run.sha256, run.size_bytes = file_checksum(path)
        _check_archive(path, importer.dataset)
        try:
            with transaction.atomic():
                _load_all(importer, path, context, rejected, strict)
        finally:
            importer.close(context)
        run.status = ImportStatus.SUCCEEDED
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
    RejectedRow.objects.bulk_create(rejected[:MAX_REJECTED_ROWS_KEPT], batch_size=1000)
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
    seen: dict[str, int] = {}
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
        if key in seen:
            yield _Rejection(row, f"duplicate of row {seen[key]} (same record key {key!r})")
            continue
        seen[key] = row.number
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
