"""Back up and restore the database Django is configured with (docs/operations.md).

    python scripts/ops/database.py backup PATH     # PostgreSQL: pg_dump custom format
    python scripts/ops/database.py restore PATH    # SQLite: the online backup API

PostgreSQL backups are taken with `pg_dump --format=custom` (consistent while the app runs) and
restored with `pg_restore --clean --if-exists --single-transaction`, so a restore that fails
part-way changes nothing. SQLite backups use SQLite's online backup API, which copies a
consistent snapshot page by page while the app keeps reading and writing; a restore copies the
backup file back over the live database the same way.

The settings module comes from DJANGO_SETTINGS_MODULE (commonground.config.settings.local by
default) and the database from DATABASE_URL, as for manage.py.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


class RestoreFailed(Exception):
    """The backup could not be restored; the database is as it was."""


def _libpq_environment(settings: dict) -> dict[str, str]:
    # Passed through the environment, so the password never shows in a process listing.
    env = dict(os.environ)
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(name):
            env[key] = str(settings[name])
    return env


def backup(path: Path, using: str = "default") -> Path:
    """Write a consistent copy of the database to `path`; returns the path."""
    from django.db import connections

    connection = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path)],  # noqa: S607
            env=_libpq_environment(connection.settings_dict),
            check=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise NotImplementedError(f"no backup for {connection.vendor}")
    return path


def restore(path: Path, using: str = "default") -> None:
    """Replace the database's contents with the backup at `path`."""
    from django.db import connections

    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no backup at {path}")
    if connection.vendor == "postgresql":
        # Our own open connection would hold locks the restore needs.
        connection.close()
        completed = subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(path),
            ],
            env=_libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RestoreFailed(f"{path} could not be restored: {completed.stderr.strip()}")
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # Refuse a file that is not a whole SQLite database before touching the live one.
            try:
                (result,) = source.execute("PRAGMA integrity_check").fetchone()
            except sqlite3.DatabaseError as error:
                raise RestoreFailed(f"{path} is not an SQLite database: {error}") from error
            if result != "ok":
                raise RestoreFailed(f"{path} is not an intact SQLite database: {result}")
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise NotImplementedError(f"no restore for {connection.vendor}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.config.settings.local")
    import django

    django.setup()
    if args.action == "backup":
        print(f"Backed up to {backup(args.path)}")
    else:
        restore(args.path)
        print(f"Restored from {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
