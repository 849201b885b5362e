"""What an organisation does, as a sentence embedding, and an in-process index of them (ADR 0022).

The embedding model is core.embeddings (ADR 0017), the one model of the project. Each
organisation's text (its name, its register's activities and classifications) is embedded when
an importer writes it, and again only when that text changes (its fingerprint names the model,
the text and how it is cut into passages). A text of 20 words or more is also embedded in
passages, its sentences and clauses, so a charity listing ten services is close to each of them
(ADR 0042). The vectors are kept in the database (`OrganisationEmbedding`) and read into
memory by `VectorIndex` for the organisations a search looks at: brute-force dot products with
numpy over a place's organisations take well under a millisecond a thousand organisations.
PostgreSQL here has no pgvector, so both databases use this path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from commonground.core import embeddings
from commonground.core.bulk_insert import insert_rows
from commonground.core.sql_lists import select_in

EMBEDDINGS = "organisations_organisationembedding"
# The register's activities can be long; the model averages its tokens, so the opening of the
# text carries what it does.
MAX_ACTIVITIES_CHARS = 2000
# Names how texts are cut into passages (core.embeddings.passages); part of the fingerprint, so
# a change re-embeds every organisation on its next import.
PASSAGES = "passages-1"
# An organisation's closeness is its whole text's, raised by PASSAGE_WEIGHT of what its closest
# passage has beyond that and PASSAGE_MARGIN (so a passage must be clearly closer than the whole
# to count; a text of many clauses has many chances of a slightly closer one). Chosen on the
# development queries and needs (ADR 0042).
PASSAGE_WEIGHT = 0.5
PASSAGE_MARGIN = 0.05


def embedding_text(name: str, activities: str, classifications: Sequence[str] = ()) -> str:
    """The text an organisation is embedded from: what it is called and what it does."""
    parts = [name.strip()]
    if activities.strip():
        parts.append(activities.strip()[:MAX_ACTIVITIES_CHARS])
    kinds = [c.split(":", 1)[-1].strip() for c in classifications if c.strip()]
    if kinds:
        parts.append("; ".join(dict.fromkeys(kinds)))
    return ". ".join(parts)


def fingerprint(text: str) -> str:
    """Names the text, the model and how the text is cut into passages."""
    return embeddings.text_fingerprint(f"{PASSAGES} {text}")


def embeddings_write(texts: dict[int, str], batch: int = 20_000) -> int:
    """Embed the organisations whose text changed since their vectors were made (the whole text
    and each of its passages); returns how many were embedded. Unchanged text (same
    fingerprint) is never embedded again."""
    if not texts:
        return 0
    ids = sorted(texts)
    held: dict[int, str] = dict(
        select_in(
            f"SELECT organisation_id, fingerprint FROM {EMBEDDINGS} WHERE organisation_id {{IN}}",
            ids,
        )
    )
    fingerprints = {pk: fingerprint(text) for pk, text in texts.items()}
    stale = [pk for pk in ids if held.get(pk) != fingerprints[pk]]
    for start in range(0, len(stale), batch):
        chunk = stale[start : start + batch]
        made = embeddings.embed_with_passages([texts[pk] for pk in chunk])
        now = timezone.now()
        rows = [
            (fingerprints[pk], embeddings.to_bytes(whole), embeddings.to_bytes(parts), now, pk)
            for pk, (whole, parts) in zip(chunk, made, strict=True)
        ]
        _store(rows, {pk for pk in chunk if pk in held})
    return len(stale)


def _store(rows: list[tuple[Any, ...]], existing: set[int]) -> None:
    # One transaction a batch: outside a load's transaction each row would otherwise be
    # committed on its own (storing 200,000 new organisations' vectors on SQLite: 6.0 s to 2.9 s).
    updates = [row for row in rows if row[-1] in existing]
    inserts = [row for row in rows if row[-1] not in existing]
    with transaction.atomic(), connection.cursor() as cursor:
        if updates:
            cursor.executemany(
                f"UPDATE {EMBEDDINGS} SET fingerprint = %s, vector = %s, passages = %s, "
                "updated_at = %s WHERE organisation_id = %s",
                updates,
            )
        if inserts:  # by COPY on PostgreSQL: 200,000 vectors in 2.0 s in place of 5.6 s
            insert_rows(EMBEDDINGS, _STORED_COLUMNS, inserts)


_STORED_COLUMNS = ("fingerprint", "vector", "passages", "updated_at", "organisation_id")


class Vectors(NamedTuple):
    """Organisations' vectors gathered for one search."""

    ids: np.ndarray  # the organisations that have a vector
    matrix: np.ndarray  # their whole texts' vectors, one a row
    passages: np.ndarray  # their passages' vectors, one a row, grouped by organisation
    owners: np.ndarray  # for each passage, its organisation's row in `ids` (ascending)


def closeness(vectors: Vectors, query: np.ndarray) -> np.ndarray:
    """How close each organisation is to the query in meaning: the cosine of its whole text,
    raised towards its closest passage's (so a charity listing ten services is close to
    each of them, not averaged into none)."""
    with embeddings.one_thread():
        whole = vectors.matrix @ query
        part = vectors.passages @ query
    if not len(part):
        return whole
    starts = np.flatnonzero(np.r_[True, vectors.owners[1:] != vectors.owners[:-1]])
    best = whole.copy()
    best[vectors.owners[starts]] = np.maximum.reduceat(part, starts)
    return np.asarray(
        whole + PASSAGE_WEIGHT * np.maximum(best - whole - PASSAGE_MARGIN, 0), dtype=np.float32
    )


class VectorIndex:
    """Organisations' vectors held in this process, read from the database on first use.

    Vectors read earlier are used until the table changes (its latest `updated_at` moves on);
    then everything is read afresh. A search reads only the organisations it looks at (a place's,
    or the matches of its words), so memory follows what is searched, not the whole country."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: Any = None
        self._clear()

    def _clear(self) -> None:
        self._rows: dict[int, int] = {}
        self._matrix = np.zeros((1024, embeddings.DIMENSIONS), dtype=np.float32)
        self._spans = np.zeros((1024, 2), dtype=np.int64)  # a row's passages: first, how many
        self._passages = np.zeros((1024, embeddings.DIMENSIONS), dtype=np.float32)
        self._passage_count = 0
        # `_rows` as two arrays sorted by id, so a search's thousands of ids are looked up by
        # numpy, not one by one (remade after vectors are read: `_sorted`).
        self._keys = np.zeros(0, dtype=np.int64)
        self._key_rows = np.zeros(0, dtype=np.int64)

    def _sorted(self) -> None:
        keys = np.fromiter(self._rows.keys(), dtype=np.int64, count=len(self._rows))
        rows = np.fromiter(self._rows.values(), dtype=np.int64, count=len(self._rows))
        order = np.argsort(keys, kind="stable")
        self._keys, self._key_rows = keys[order], rows[order]

    def _lookup(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each id wanted, whether it is held, and its row (where held)."""
        if not len(self._keys):
            return np.zeros(len(wanted), dtype=bool), np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._keys, wanted), len(self._keys) - 1)
        held = self._keys[at] == wanted
        return held, self._key_rows[at[held]]

    def _current_version(self) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(updated_at) FROM {EMBEDDINGS}")
            return (connection.alias, connection.settings_dict.get("NAME"), cursor.fetchone()[0])

    def version(self) -> Any:
        """What the vectors read so far are valid for: this database and its latest change."""
        return self._current_version()

    def vectors(self, ids: Sequence[int]) -> Vectors:
        """The vectors of those of `ids` that have one, in the order given."""
        version = self._current_version()
        with self._lock:
            if version != self._version:
                self._version = version
                self._clear()
            wanted = np.asarray(ids, dtype=np.int64).reshape(-1)
            held, rows = self._lookup(wanted)
            if not held.all():
                before = len(self._rows)
                self._load(list(dict.fromkeys(wanted[~held].tolist())))
                if len(self._rows) > before:
                    self._sorted()
                    held, rows = self._lookup(wanted)
            found = wanted[held]
            first, counts = self._spans[rows, 0], self._spans[rows, 1]
            owners = np.repeat(np.arange(len(rows)), counts)
            offsets = np.cumsum(counts) - counts
            index = np.repeat(first - offsets, counts) + np.arange(int(counts.sum()))
            return Vectors(
                found,
                self._matrix[rows],
                self._passages[index],
                owners,
            )

    def _load(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT organisation_id, vector, passages FROM {EMBEDDINGS} "
                    f"WHERE organisation_id IN ({marks})",
                    chunk,
                )
                self._append(cursor.fetchall())

    def _append(self, found: Iterable[tuple[int, Any, Any]]) -> None:
        for pk, blob, passages in found:
            row = len(self._rows)
            self._matrix = _room(self._matrix, row + 1)
            self._spans = _room(self._spans, row + 1)
            self._matrix[row] = embeddings.from_bytes(blob)
            parts = embeddings.from_bytes(passages or b"").reshape(-1, embeddings.DIMENSIONS)
            at = self._passage_count
            self._passages = _room(self._passages, at + len(parts))
            self._passages[at : at + len(parts)] = parts
            self._spans[row] = (at, len(parts))
            self._passage_count += len(parts)
            self._rows[pk] = row


def _room(array: np.ndarray, rows: int) -> np.ndarray:
    """`array`, grown (doubled) if it has fewer than `rows` rows."""
    if rows <= len(array):
        return array
    grown = np.zeros((max(rows, 2 * len(array)), *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


INDEX = VectorIndex()


def query_vector(text: str) -> np.ndarray:
    return embeddings.embed_one(text)
