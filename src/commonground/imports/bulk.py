"""Bulk writes: fast UPDATE by primary key, and secondary indexes deferred over a bulk load.

Django's bulk_update builds one CASE expression per field, which is slow for thousands of rows;
executemany of a plain parameterised UPDATE is an order of magnitude faster on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A model's concrete field by name (never a reverse relation), with its column."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a concrete database column")
    return field


def update_rows(objects: Sequence[models.Model], field_names: Sequence[str]) -> None:
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    fields = [concrete_field(model, name) for name in field_names]
    quote = connection.ops.quote_name
    pk_column = concrete_field(model, meta.pk.name if meta.pk else "id").column
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(pk_column))} = %s"
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class DeferredIndexes:
    """A table's secondary indexes dropped before a bulk load and built again after it.

    Building an index once over all the rows costs a fraction of keeping it up to date row by
    row. Both steps run inside the import's transaction, so a failed or interrupted load rolls
    the drop back with the rows, and readers go on seeing the previous table and its indexes.
    SQLite only: there the import holds the database's single write lock anyway, and readers
    see the last committed state; PostgreSQL would have to lock the table against readers for
    the whole load (ADR 0013). Unique indexes stay: they enforce constraints the load relies on;
    so do single-column indexes on `keep_columns`, for lookups made during the load.
    """

    # The connection's page cache during the load (KiB): the new rows' pages then stay in
    # memory for the index builds, and their sorts do not spill to temporary files. `release`
    # (after the transaction, however it ended) sets the cache back.
    cache_kib = 262_144

    def __init__(self, model: type[models.Model], keep_columns: tuple[str, ...] = ()) -> None:
        self.table = model._meta.db_table
        self.keep_columns = keep_columns
        self.dropped: list[tuple[str, str]] = []
        self.cache_size: int | None = None

    @staticmethod
    def supported() -> bool:
        return connection.vendor == "sqlite"

    def drop(self) -> None:
        if not self.supported():
            return
        if not connection.in_atomic_block:
            raise RuntimeError("indexes are only dropped inside the load's transaction")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            self.cache_size = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {-self.cache_kib}")
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [self.table],
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
                columns = tuple(row[2] for row in cursor.fetchall())
                if len(columns) == 1 and columns[0] in self.keep_columns:
                    continue
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                self.dropped.append((name, sql))

    def restore(self) -> None:
        """Build the dropped indexes again, with the statements that made them."""
        with connection.cursor() as cursor:
            for _, sql in self.dropped:
                cursor.execute(sql)
        self.dropped = []

    def release(self) -> None:
        """Set the connection's page cache back (after the load's transaction)."""
        if self.cache_size is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {self.cache_size}")
        self.cache_size = None
