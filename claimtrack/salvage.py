"""Salvage: copy what can still be read from a damaged SQLite ledger into a new one.

SQLite stores each table as a tree of pages; a page overwritten by garbage (a disk fault, a copy torn half-way)
makes every query that reaches it fail with "database disk image is malformed", while the rows on the other
pages are intact. Python's sqlite3 has no ``.recover``, and the ``sqlite3`` shell's (3.40, Debian 12's) stops
with "SQL logic error" on claimtrack's schema (its FTS5 search index), so the rows are read here, table by
table, without indexes: a scan by rowid from the start until it fails, one from the end until it fails, and
between the two each rowid on its own (a lookup fails only when its own page is damaged). The rows go into a
new ledger made by ``init``, parents first, each on its own: a row that refers to a lost one (a claim whose
claimant's page was damaged) is refused by the foreign keys and counted, never half-copied. The search index
is rebuilt by the new ledger's triggers as the rows go in; derived data (stored check counts) is left out, as
``export`` leaves it out.

The new ledger is written to a temporary file beside the target, checked with ``PRAGMA integrity_check`` and
``foreign_key_check``, and only then renamed into place; the damaged file is opened read-only and never
changed.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ClaimtrackError, Conflict, InvalidInput

Progress = Callable[[str, int, int], None]
# Rows a scan reads before it is asked for more: the scan stops at the first damaged page it reaches.
_BATCH = 500


@dataclass
class TableSalvage:
    """What was saved of one table."""

    table: str
    saved: int = 0
    unreadable: int = (
        0  # rowids in the damaged stretch whose lookup failed (a row may or may not have been there)
    )
    refused: int = 0  # rows read but not kept: they refer to a row that was lost, or repeat one
    whole: bool = True  # every page of the table was read


@dataclass
class Salvage:
    """What ``salvage`` copied, table by table."""

    source: Path
    target: Path
    revision: str | None
    tables: list[TableSalvage] = field(default_factory=list)

    @property
    def saved(self) -> int:
        return sum(table.saved for table in self.tables)

    @property
    def lost(self) -> list[TableSalvage]:
        return [table for table in self.tables if not table.whole or table.refused]


def salvage(damaged: Path, target: Path, *, progress: Progress | None = None) -> Salvage:
    """Copy every row that can be read from the SQLite ledger ``damaged`` into a new ledger at ``target``.

    Refuses an existing ``target``; never writes to ``damaged``. ``progress`` is told (table name, tables done,
    tables).
    """
    from .db import SCHEMA_REVISION, Ledger, dispose_engines
    from .migrate import known_revisions, upgrade
    from .models import Base

    if not damaged.is_file():
        raise InvalidInput(f"no database at '{damaged}'")
    if target.exists() or target.is_symlink():
        raise Conflict(f"'{target}' exists; salvage writes a new ledger: name a file that does not exist")
    if not target.parent.is_dir():
        raise InvalidInput(f"folder '{target.parent}' does not exist")
    source = _open_damaged(damaged)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        names = _readable_tables(source, damaged)
        if not names & {table.name for table in Base.metadata.sorted_tables}:
            raise InvalidInput(f"'{damaged}' holds no claimtrack table: nothing to salvage")
        # The rows go into a ledger at the damaged file's own schema (an older one's columns differ), which is
        # then upgraded like any other; a file whose revision cannot be read is taken to be at this one's.
        revision = _revision(source) or SCHEMA_REVISION
        if revision not in known_revisions():
            newer = revision > SCHEMA_REVISION  # revisions are numbered 0001, 0002, ...
            raise ClaimtrackError(
                f"'{damaged}' is at schema revision {revision!r}, which this claimtrack does not know"
                + ("; salvage it with the newer claimtrack that made it" if newer else "")
            )
        made = Ledger(f"sqlite:///{partial}")
        upgrade(made.engine, revision)
        dispose_engines()
        result = Salvage(damaged, target, revision)
        new = sqlite3.connect(partial, isolation_level=None)
        try:
            present = {row[0] for row in new.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            tables = [
                table.name
                for table in Base.metadata.sorted_tables
                if not table.info.get("derived") and table.name in present
            ]
            new.execute("PRAGMA foreign_keys = ON")
            new.execute("BEGIN")
            for done, table in enumerate(tables):
                if progress is not None:
                    progress(f"salvaging {table}", done, len(tables))
                outcome = TableSalvage(table)
                if table in names:
                    _copy_table(source, new, table, outcome)
                else:
                    outcome.whole = False  # not in the readable schema: its first page is lost
                result.tables.append(outcome)
            new.execute("COMMIT")
            _require_sound(new)
        finally:
            new.close()
        if revision != SCHEMA_REVISION:
            made.upgrade()
            dispose_engines()
        _self_contained(partial)
        if progress is not None:
            progress("salvaged", len(tables), len(tables))
        from .output_files import move_into_place

        move_into_place(partial, target, force=False)
    finally:
        source.close()
        for leftover in ("", "-journal", "-wal", "-shm"):
            Path(f"{partial}{leftover}").unlink(missing_ok=True)
    return result


def _open_damaged(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise InvalidInput(f"cannot open '{path}': {exc}") from None


def _readable_tables(source: sqlite3.Connection, path: Path) -> set[str]:
    try:
        return {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        # The driver could not decode SQLite's message quoting a damaged schema text.
        if isinstance(exc, UnicodeDecodeError):
            from .db import SCHEMA_NOT_UTF8

            exc = sqlite3.DatabaseError(SCHEMA_NOT_UTF8)
        raise ClaimtrackError(
            f"nothing can be salvaged from '{path}': its table of contents (the first page) cannot be read "
            f"({exc}); restore a backup"
        ) from None


def _revision(source: sqlite3.Connection) -> str | None:
    try:
        row = source.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _copy_table(
    source: sqlite3.Connection, new: sqlite3.Connection, table: str, outcome: TableSalvage
) -> None:
    wanted = [row[1] for row in new.execute(f'PRAGMA table_info("{table}")')]
    try:
        present = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        outcome.whole = False
        return
    columns = [column for column in wanted if column in present]
    listed = ", ".join(f'"{column}"' for column in columns)
    insert = f'INSERT INTO "{table}" ({listed}) VALUES ({", ".join("?" for _ in columns)})'
    for row in _readable_rows(source, table, listed, outcome):
        try:
            new.execute(insert, row)
            outcome.saved += 1
        except sqlite3.IntegrityError:  # refers to a lost row, or repeats a kept one
            outcome.refused += 1


def _readable_rows(
    source: sqlite3.Connection, table: str, listed: str, outcome: TableSalvage
) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` that can be read, in rowid order, each once."""
    select = f'SELECT rowid, {listed} FROM "{table}" NOT INDEXED'
    first_missing = None  # the first rowid past the rows the forward scan read
    last_read = 0
    try:
        cursor = source.execute(f"{select} ORDER BY rowid")
        while batch := cursor.fetchmany(_BATCH):
            for rowid, *values in batch:
                last_read = rowid
                yield tuple(values)
        return  # the whole table was read
    except sqlite3.DatabaseError:
        outcome.whole = False
        first_missing = last_read + 1
    # From the end backwards, up to the damage.
    tail: list[tuple[Any, ...]] = []
    first_of_tail = None
    try:
        cursor = source.execute(f"{select} WHERE rowid >= ? ORDER BY rowid DESC", (first_missing,))
        while batch := cursor.fetchmany(_BATCH):
            for rowid, *values in batch:
                first_of_tail = rowid
                tail.append(tuple(values))
    except sqlite3.DatabaseError:
        pass
    if first_of_tail is None:  # nothing readable after the damage from this side: probe to the end we know
        first_of_tail = _highest_rowid(source, table, first_missing)
    # Between the two, each rowid on its own.
    for rowid in range(first_missing, first_of_tail):
        try:
            row = source.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            outcome.unreadable += 1
            continue
        if row is not None:
            yield tuple(row[1:])
    yield from reversed(tail)


def _highest_rowid(source: sqlite3.Connection, table: str, start: int) -> int:
    """One past the highest rowid worth probing when the table's end cannot be read: its max(rowid) if that
    can be read, else the start (nothing is probed)."""
    try:
        highest = source.execute(f'SELECT max(rowid) FROM "{table}" NOT INDEXED').fetchone()[0]
    except sqlite3.DatabaseError:
        return start
    return max(start, int(highest or 0) + 1)


def _self_contained(path: Path) -> None:
    """One file, no -wal beside it, like a backup (claimtrack turns WAL back on when it opens it)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()


def _require_sound(new: sqlite3.Connection) -> None:
    problems = [row[0] for row in new.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise ClaimtrackError(f"the salvaged ledger failed SQLite's integrity check: {problems[0]}")
    if new.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise ClaimtrackError("the salvaged ledger holds a row that refers to a missing one")
