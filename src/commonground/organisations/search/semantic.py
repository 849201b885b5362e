"""What an organisation does, as a sentence embedding, and an in-process index of them (ADR 0022).

The embedding model is core.embeddings (ADR 0017), the one model of the project. Each
organisation's text (its name, its register's activities and classifications) is embedded when
an importer writes it, and again only when that text changes (its fingerprint names the model
and the text). The vectors are kept in the database (`OrganisationEmbedding`) and read into
memory by `VectorIndex` for the organisations a search looks at: brute-force dot products with
numpy over a place's organisations take well under a millisecond a thousand organisations.
PostgreSQL here has no pgvector, so both databases use this path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from commonground.core import embeddings

EMBEDDINGS = "organisations_organisationembedding"
# The register's activities can be long; the model averages its tokens, so the opening of the
# text carries what it does.
MAX_ACTIVITIES_CHARS = 2000


def embedding_text(name: str, activities: str, classifications: Sequence[str] = ()) -> str:
    """The text an organisation is embedded from: what it is called and what it does."""
    parts = [name.strip()]
    if activities.strip():
        parts.append(activities.strip()[:MAX_ACTIVITIES_CHARS])
    kinds = [c.split(":", 1)[-1].strip() for c in classifications if c.strip()]
    if kinds:
        parts.append("; ".join(dict.fromkeys(kinds)))
    return ". ".join(parts)


def embeddings_write(texts: dict[int, str], batch: int = 20_000) -> int:
    """Embed the organisations whose text changed since their vector was made; returns how
    many were embedded. Unchanged text (same fingerprint) is never embedded again."""
    if not texts:
        return 0
    held: dict[int, str] = {}
    ids = sorted(texts)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT organisation_id, fingerprint FROM {EMBEDDINGS} "
                f"WHERE organisation_id IN ({marks})",
                chunk,
            )
            held.update(cursor.fetchall())
    fingerprints = {pk: embeddings.text_fingerprint(text) for pk, text in texts.items()}
    stale = [pk for pk in ids if held.get(pk) != fingerprints[pk]]
    for start in range(0, len(stale), batch):
        chunk = stale[start : start + batch]
        vectors = embeddings.embed([texts[pk] for pk in chunk])
        now = timezone.now()
        rows = [
            (fingerprints[pk], embeddings.to_bytes(vector), now, pk)
            for pk, vector in zip(chunk, vectors, strict=True)
        ]
        _store(rows, {pk for pk in chunk if pk in held})
    return len(stale)


def _store(rows: list[tuple[Any, ...]], existing: set[int]) -> None:
    updates = [row for row in rows if row[-1] in existing]
    inserts = [row for row in rows if row[-1] not in existing]
    with connection.cursor() as cursor:
        if updates:
            cursor.executemany(
                f"UPDATE {EMBEDDINGS} SET fingerprint = %s, vector = %s, updated_at = %s "
                "WHERE organisation_id = %s",
                updates,
            )
        if inserts:
            cursor.executemany(
                f"INSERT INTO {EMBEDDINGS} (fingerprint, vector, updated_at, organisation_id) "
                "VALUES (%s, %s, %s, %s)",
                inserts,
            )


class VectorIndex:
    """Organisations' vectors held in this process, read from the database on first use.

    A vector read earlier is used until the table changes (its latest `updated_at` moves on);
    then everything is read afresh. A search reads only the organisations it looks at (a place's,
    or the matches of its words), so memory follows what is searched, not the whole country."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: Any = None
        self._rows: dict[int, int] = {}
        self._matrix = np.zeros((1024, embeddings.DIMENSIONS), dtype=np.float32)

    def _current_version(self) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(updated_at) FROM {EMBEDDINGS}")
            return (connection.alias, connection.settings_dict.get("NAME"), cursor.fetchone()[0])

    def version(self) -> Any:
        """What the vectors read so far are valid for: this database and its latest change."""
        return self._current_version()

    def vectors(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids that have a vector, their vectors as rows), in the order given."""
        version = self._current_version()
        with self._lock:
            if version != self._version:
                self._version, self._rows = version, {}
            missing = [pk for pk in ids if pk not in self._rows]
            if missing:
                self._load(missing)
            found = [pk for pk in ids if pk in self._rows]
            rows = [self._rows[pk] for pk in found]
            return np.asarray(found, dtype=np.int64), self._matrix[rows]

    def _load(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT organisation_id, vector FROM {EMBEDDINGS} "
                    f"WHERE organisation_id IN ({marks})",
                    chunk,
                )
                self._append(cursor.fetchall())

    def _append(self, found: Iterable[tuple[int, Any]]) -> None:
        for pk, blob in found:
            row = len(self._rows)
            if row >= len(self._matrix):
                grown = np.zeros((len(self._matrix) * 2, embeddings.DIMENSIONS), np.float32)
                grown[: len(self._matrix)] = self._matrix
                self._matrix = grown
            self._matrix[row] = embeddings.from_bytes(blob)
            self._rows[pk] = row


INDEX = VectorIndex()


def query_vector(text: str) -> np.ndarray:
    return embeddings.embed_one(text)
