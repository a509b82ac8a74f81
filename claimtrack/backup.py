"""Copies of a SQLite ledger: a backup taken while others keep writing, and a restore from one.

Copying the ``.db`` file with ``cp`` is not a backup: in WAL mode the latest changes live in the ``-wal`` file
beside it, and a copy made while someone writes can be torn. SQLite's online backup API copies the database
page by page through a connection, so the copy holds what the WAL holds; and it runs inside one read
transaction, which in WAL mode is a consistent snapshot that writers never wait for (and that keeps the
backup from starting over each time someone writes). The copy is written to a temporary file beside the
target, checked with ``PRAGMA integrity_check``, switched to a rollback journal (one self-contained file, no
``-wal``/``-shm``, readable from read-only media) and only then renamed into place: a backup that failed or was
interrupted never leaves a file that looks like a good one.

A restore runs the same API the other way, into the ledger, in one write transaction: every other connection
sees the database as it was or as the backup holds it, never half of each.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .db import (
    IMMUTABLE,
    SCHEMA_NOT_UTF8,
    WRITE,
    Ledger,
    busy_message,
    busy_timeout_ms,
    damage_message,
    is_damage_error,
)
from .errors import ClaimtrackError, Conflict, DatabaseBusy, DatabaseDamaged, InvalidInput
from .output_files import check_target, move_into_place, partial_path, same_file

# Pages copied per step: 4 MiB at SQLite's default page size, so that the progress bar moves on a large
# ledger while the per-step overhead stays negligible.
PAGES_PER_STEP = 1024

Progress = Callable[[str, int, int], None]

PG_BACKUP = (
    "`db backup` copies SQLite files; for PostgreSQL use its own tools: "
    "pg_dump -Fc -f FILE DATABASE-URL (and pg_restore to restore)"
)
PG_RESTORE = (
    "`db restore` restores SQLite files; for PostgreSQL restore a pg_dump file with "
    "pg_restore --clean --if-exists -d DATABASE-URL FILE"
)


@dataclass
class Copied:
    """What a backup or restore copied."""

    path: Path
    size: int  # bytes
    pages: int
    revision: str | None  # the claimtrack schema revision the copy is at
    claims: int | None  # how many claims it holds (None for a database without a claims table)


def backup(ledger: Ledger, target: Path, *, force: bool = False, progress: Progress | None = None) -> Copied:
    """Copy the ledger's SQLite database to ``target``: complete (WAL included), consistent, and checked.

    Safe while other processes write: the copy is the database as it stood when the backup began. Refuses to
    replace an existing ``target`` unless ``force``. ``progress`` is told ("backing up", pages copied, pages).
    """
    source_path = _sqlite_file(ledger, PG_BACKUP)
    if not source_path.exists():
        raise InvalidInput(f"no database at '{source_path}'")
    check_target(target, force=force, database=source_path, what="the backup")
    # Where the database cannot be written, it is read without creating anything beside it (see db.py).
    access = ledger.access()
    with _open(source_path, read_only=access != WRITE, immutable=access == IMMUTABLE) as source:
        # The read transaction that the whole copy is taken in: one snapshot, however long it takes.
        source.execute("BEGIN")
        revision, claims = _describe(source)
        try:
            copied = _copy_to_new_file(source, target, force=force, progress=progress, stage="backing up")
        except _NotIntact as exc:  # the backup API copies pages as they are: the damage is the database's
            raise DatabaseDamaged(damage_message(source_path, exc.reason)) from None
        source.execute("COMMIT")
    return Copied(target, target.stat().st_size, copied, revision, claims)


def restore(
    ledger: Ledger, backup_file: Path, *, force: bool = False, progress: Progress | None = None
) -> Copied:
    """Replace the ledger's SQLite database with the content of ``backup_file`` (a ``db backup`` copy).

    The backup is checked first (integrity, and that it is a claimtrack database); a database that already
    exists is replaced only with ``force``, in one write transaction that waits for other writers like any
    command. ``progress`` is told ("restoring", pages copied, pages).
    """
    target = _sqlite_file(ledger, PG_RESTORE)
    if not backup_file.is_file():
        raise InvalidInput(f"no backup at '{backup_file}'")
    if target.exists() and same_file(backup_file, target):
        raise InvalidInput("the backup is the database itself")
    with _open(backup_file, read_only=True) as source:
        _require_intact(source, f"'{backup_file}'")
        source.execute("BEGIN")
        revision, claims = _describe(source)
        if revision is None:
            raise InvalidInput(f"'{backup_file}' is not a claimtrack database")
        if not target.exists():
            pages = _copy_to_new_file(source, target, force=False, progress=progress, stage="restoring")
        elif not force:
            raise Conflict(
                f"'{target}' exists and a restore replaces everything in it; back it up first "
                f"(claimtrack db backup FILE), then restore with --force"
            )
        elif _damaged(target):
            # Nothing in it can be trusted or copied over page by page: the file is replaced whole, and the
            # damaged one's -wal and -shm go with it (replayed onto the restored file, they would corrupt it).
            for beside in ("-wal", "-shm"):
                Path(f"{target}{beside}").unlink(missing_ok=True)
            pages = _copy_to_new_file(source, target, force=True, progress=progress, stage="restoring")
        else:
            pages = _copy_into(source, target, progress)
        source.execute("COMMIT")
    return Copied(target, target.stat().st_size, pages, revision, claims)


def _sqlite_file(ledger: Ledger, not_sqlite: str) -> Path:
    if not ledger.is_sqlite:
        raise ClaimtrackError(not_sqlite)
    path = ledger.sqlite_path()
    if path is None:
        raise InvalidInput("an in-memory database has nothing to back up or restore")
    return path


@contextlib.contextmanager
def _open(path: Path, *, read_only: bool, immutable: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (no SQLAlchemy: the backup API is the driver's), with the busy timeout."""
    uri = path.resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro" if read_only else "")
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_timeout_ms() / 1000)
    except sqlite3.Error as exc:
        raise InvalidInput(f"cannot open '{path}': {exc}") from None
    try:
        yield connection
    # SQLite's message quoted a damaged schema text, which the driver cannot decode.
    except UnicodeDecodeError as exc:
        raise DatabaseDamaged(damage_message(path, SCHEMA_NOT_UTF8)) from exc
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(busy_message()) from exc
        if is_damage_error(exc):
            raise DatabaseDamaged(damage_message(path, exc)) from exc
        raise ClaimtrackError(f"cannot copy '{path}': {exc}") from exc
    finally:
        connection.close()


def _describe(connection: sqlite3.Connection) -> tuple[str | None, int | None]:
    """The schema revision and number of claims, read in the caller's transaction (the copy's snapshot)."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0] if "claims" in tables else None
    return revision, claims


def _damaged(path: Path) -> bool:
    """True when SQLite cannot read ``path`` as a sound database (not one at all, or damaged pages)."""
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        return [row[0] for row in connection.execute("PRAGMA quick_check")] != ["ok"]
    except sqlite3.DatabaseError as exc:
        return is_damage_error(exc)
    except UnicodeDecodeError:  # a damaged schema text (see _open)
        return True
    finally:
        connection.close()


class _NotIntact(InvalidInput):
    """SQLite's integrity check failed (``reason`` is what it said)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _require_intact(connection: sqlite3.Connection, name: str) -> None:
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise _NotIntact(f"{name} is not a SQLite database ({exc})", str(exc)) from None
    if problems != ["ok"]:
        raise _NotIntact(f"{name} is damaged: {problems[0]}", problems[0])


def _copy_to_new_file(
    source: sqlite3.Connection, target: Path, *, force: bool, progress: Progress | None, stage: str
) -> int:
    """Copy into a temporary file beside ``target``, check it, and move it into place; return the pages."""
    partial = partial_path(target)
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            pages = _run_backup(source, copy, progress, stage)
            if progress is not None:
                progress("checking the copy", 0, 1)
            _require_intact(copy, "the copy")
            if progress is not None:
                progress("checking the copy", 1, 1)
            # One self-contained file: no -wal or -shm beside it (claimtrack turns WAL back on when it opens it).
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        move_into_place(partial, target, force=force)
    finally:
        for leftover in ("", "-journal", "-wal", "-shm"):
            Path(f"{partial}{leftover}").unlink(missing_ok=True)
    return pages


def _copy_into(source: sqlite3.Connection, target: Path, progress: Progress | None) -> int:
    """Overwrite an existing database through SQLite, in one write transaction, as other processes see it."""
    with _open(target, read_only=False) as destination:
        _require_intact(destination, f"'{target}'")  # also: it is a SQLite database at all
        pages = _run_backup(source, destination, progress, "restoring")
        _require_intact(destination, f"'{target}' after the restore")
    return pages


def _run_backup(
    source: sqlite3.Connection, destination: sqlite3.Connection, progress: Progress | None, stage: str
) -> int:
    """The backup API, in steps; a destination that another writer holds past the busy timeout is an error
    (the driver itself would retry for ever)."""
    total = 0
    deadline = time.monotonic() + busy_timeout_ms() / 1000

    def step(status: int, remaining: int, pages: int) -> None:
        nonlocal total
        total = pages
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            if time.monotonic() > deadline:
                raise DatabaseBusy(busy_message())
            return
        if progress is not None:
            progress(stage, pages - remaining, pages)

    try:
        source.backup(destination, pages=PAGES_PER_STEP, progress=step, sleep=0.05)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(busy_message()) from exc
        raise
    return total
