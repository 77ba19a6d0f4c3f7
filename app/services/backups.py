"""A consistent copy of the whole database, and putting one back (``flask db backup|restore``).

SQLite: the online backup API, which copies a consistent snapshot while the app keeps serving
(and writes a restore through SQLite itself, so open connections see it; WAL included).
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction``, so a
restore that fails half-way leaves the database as it was. The password travels in PGPASSWORD,
never on a command line that ``ps`` shows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from app.extensions import db
from app.services.errors import NotFound, ServiceError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupFailed(ServiceError):
    """The copy, or putting it back, did not work; ``message`` says why."""


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("An in-memory SQLite database cannot be backed up")
    return url.database


def _postgres(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def _run(command: list[str], env: dict[str, str]) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupFailed(f"{command[0]} is not installed (apt-get install postgresql-client)")
    done = subprocess.run([binary, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupFailed(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")


def _sqlite_copy(source: str, target: str) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def backup(url_text: str, file: Path) -> None:
    """Write a consistent copy of the database at ``url_text`` to ``file`` (replaced if it exists)."""
    url = make_url(url_text)
    file.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        partial = file.with_name(file.name + ".partial")
        partial.unlink(missing_ok=True)
        _sqlite_copy(_sqlite_path(url), str(partial))
        partial.replace(file)  # a failed backup never leaves a file that looks whole
    elif url.get_backend_name() == "postgresql":
        target, env = _postgres(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(file), "--dbname", target], env)
    else:
        raise BackupFailed(f"Backups of {url.get_backend_name()} databases are not supported")


def _check_file(file: Path, magic: bytes, kind: str) -> None:
    if not file.is_file():
        raise NotFound(f"{file} does not exist")
    with file.open("rb") as handle:
        if handle.read(len(magic)) != magic:
            raise BackupFailed(f"{file} is not a {kind} backup")


def restore(url_text: str, file: Path) -> None:
    """Replace the whole database at ``url_text`` with the copy in ``file``; all or nothing."""
    url = make_url(url_text)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database open
    if url.get_backend_name() == "sqlite":
        _check_file(file, SQLITE_MAGIC, "SQLite")
        with sqlite3.connect(file) as copy:
            tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        copy.close()
        if "alembic_version" not in tables:
            raise BackupFailed(f"{file} is not a Waymark database (it has no migration history)")
        _sqlite_copy(str(file), _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        _check_file(file, PG_DUMP_MAGIC, "pg_dump (custom format)")
        target, env = _postgres(url)
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
             "--dbname", target, str(file)],
            env,
        )  # fmt: skip
    else:
        raise BackupFailed(f"Backups of {url.get_backend_name()} databases are not supported")
