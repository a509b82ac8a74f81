"""Lossless exchange: every table as JSON lines, and back.

Every table of the record, that is: derived data (stored check results) is left out and recomputed by the next
check. The export is deterministic (tables in dependency order, rows by primary key, keys sorted), so exporting,
importing into an empty database and exporting again gives the same bytes — which is how the round trip is
tested. Values keep their types: dates and times as ISO strings, bytes as base64, JSON as JSON.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import JSON, Connection, Date, DateTime, LargeBinary, Table, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import search
from .db import SCHEMA_REVISION
from .errors import InvalidInput
from .models import Base, EntityAlias, utcnow

FORMAT = "claimtrack-export"
VERSION = 1
BATCH = 5_000


def _tables() -> list[Table]:
    # Derived tables (the stored check results) are not part of the record: a check recomputes them from what
    # the export holds, and leaving them out keeps an export of the same record the same bytes whether or not
    # someone ran a check since.
    return [table for table in Base.metadata.sorted_tables if not table.info.get("derived")]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _base64(value: dict[str, str]) -> bytes:
    return base64.b64decode(value["$base64"])


@functools.cache
def _decoders(table: Table) -> dict[str, Callable[[Any], Any] | None]:
    """For each column of a table, what checks its JSON value and turns it back into Python (None: a value of
    any JSON type goes as it is). A value of the wrong type raises ValueError, caught as a bad line."""
    decoders: dict[str, Callable[[Any], Any] | None] = {}
    for column in table.columns:
        kind = column.type
        if isinstance(kind, DateTime):
            decoders[column.name] = _typed(str, then=dt.datetime.fromisoformat)
        elif isinstance(kind, Date):
            decoders[column.name] = _typed(str, then=dt.date.fromisoformat)
        elif isinstance(kind, LargeBinary):
            decoders[column.name] = _base64
        elif isinstance(kind, JSON):
            decoders[column.name] = None
        else:
            expected = {bool: (bool,), int: (int,), float: (int, float), str: (str,)}.get(kind.python_type)
            decoders[column.name] = _typed(*expected) if expected else None
    return decoders


def _typed(*types: type, then: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    names = " or ".join(t.__name__ for t in types)

    def check(value: Any) -> Any:
        # bool is an int in Python, but true is not a number in an export.
        if type(value) not in types:
            raise ValueError(f"{value!r} is not {names}")
        return value if then is None else then(value)

    return check


@functools.cache
def _required(table: Table) -> tuple[str, ...]:
    """The columns a row must give: NOT NULL, without a default, and not an id the database makes."""
    return tuple(
        column.name
        for column in table.columns
        if not column.nullable
        and column.default is None
        and column.server_default is None
        and not (column.primary_key and column.autoincrement is not False and column.type.python_type is int)
    )


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ValueError(f"a row must be an object, not {type(row).__name__}")
    decoders = _decoders(table)
    decoded = {}
    for name, value in row.items():
        try:
            decode = decoders[name]
        except KeyError:
            raise InvalidInput(
                f"the export has a column {table.name}.{name} that this database does not"
            ) from None
        decoded[name] = value if decode is None or value is None else decode(value)
    missing = [name for name in _required(table) if decoded.get(name) is None]
    if missing:
        raise ValueError(f"{table.name} needs {', '.join(missing)}")
    return decoded


class _SQLiteRows:
    """Rows of one table and one set of columns written straight through the driver's executemany, each
    value passed through the column type's own bind processor (as SQLAlchemy would, but once per table
    instead of once per row and parameter). For a large import on SQLite that is most of the time saved."""

    def __init__(self, connection: Connection, table: Table, names: tuple[str, ...]) -> None:
        dialect = connection.dialect
        statement = insert(table).compile(dialect=dialect, column_keys=list(names))
        self.sql = str(statement)
        # The placeholders' order, and each column's processor (None where a value goes as it is): the
        # dialect's implementation of the column's type, asked for its processor through the public API.
        self.columns = [
            (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in statement.positiontup or []
        ]
        self.cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.cursor.executemany(
            self.sql, [tuple(self._value(row, column) for column in self.columns) for row in rows]
        )

    @staticmethod
    def _value(row: dict[str, Any], column: tuple[str, Callable[[Any], Any] | None]) -> Any:
        name, process = column
        value = row[name]
        return value if process is None or value is None else process(value)


class _PostgresRows:
    """Rows of one table and one set of columns written by PostgreSQL's COPY FROM STDIN (psycopg's
    ``write_row``), each value through the column type's own bind processor as in :class:`_SQLiteRows`. COPY
    loads rows several times faster than INSERT statements, however they are batched. One COPY stays open
    while the export's rows for it stream in, so the server stores rows while the next are read and decoded
    (on two cores, at the same time); it runs in the import's own transaction, so a refused row rolls back the
    whole import."""

    def __init__(
        self, connection: Connection, table: Table, names: tuple[str, ...], stack: ExitStack
    ) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        sql = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
        self.columns = [
            (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names
        ]
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        # Ended by the caller's stack: finished when the table's rows are through, aborted on an error.
        self.copy = stack.enter_context(cursor.copy(sql))

    def write(self, rows: list[dict[str, Any]]) -> None:
        value, write_row = _SQLiteRows._value, self.copy.write_row
        for row in rows:
            write_row([value(row, column) for column in self.columns])


def export_lines(session: Session, tables: Collection[str] | None = None) -> Iterator[str]:
    """The whole ledger as JSON lines: a header, then one line per row of every table (of ``tables`` only,
    when given: a partial export, which imports like a whole one)."""
    from .history import ledger_state

    header = {"format": FORMAT, "version": VERSION, "schema": SCHEMA_REVISION, "chain": ledger_state(session)}
    yield json.dumps(header, sort_keys=True)
    for table in _tables():
        if tables is not None and table.name not in tables:
            continue
        order = list(table.primary_key.columns)
        for row in session.execute(select(table).order_by(*order)).mappings():
            data = {key: _encode(value) for key, value in row.items()}
            yield json.dumps({"table": table.name, "row": data}, sort_keys=True, ensure_ascii=False)


def export(session: Session, stream: IO[str]) -> int:
    count = 0
    for line in export_lines(session):
        stream.write(line + "\n")
        count += 1
    return count - 1


def _is_empty(session: Session) -> bool:
    return all(not session.scalar(select(func.count()).select_from(table)) for table in _tables())


Progress = Callable[[str, int, int], None]


# An export's rows are nested a few levels deep; thousands of levels are not a claimtrack export.
_TOO_DEEP = "line {number} is not a claimtrack row: its JSON is nested too deeply to read"


def _read_header(iterator: Iterator[str]) -> dict[str, Any]:
    try:
        header = json.loads(next(iterator))
    except StopIteration:
        raise InvalidInput("the export is empty") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"line 1 is not JSON ({exc.msg})") from None
    except RecursionError:
        raise InvalidInput(_TOO_DEEP.format(number=1)) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput("this is not a claimtrack export (its first line has no claimtrack header)")
    if header.get("schema") != SCHEMA_REVISION:
        raise InvalidInput(
            f"the export was made at schema {header.get('schema')}, this database is at {SCHEMA_REVISION}; "
            "import it with the claimtrack version that made it, then upgrade"
        )
    return header


def _rows(
    lines: Iterator[str], progress: Progress | None, total: int | None
) -> Iterator[tuple[Table, dict[str, Any]]]:
    """The export's rows, decoded, with a clear error naming the line of the first bad one."""
    tables = {table.name: table for table in _tables()}
    done = 0
    for number, line in enumerate(lines, start=2):
        done += len(line)
        if progress is not None and total and number % BATCH == 0:
            progress("importing", min(done, total), total)
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError(f"a line must be an object, not {type(item).__name__}")
            table = tables[item["table"]]
            row = _decode(table, item["row"])
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"line {number} is not JSON ({exc.msg})") from None
        except RecursionError:  # Python's JSON decoder recurses once per nested list or object
            raise InvalidInput(_TOO_DEEP.format(number=number)) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"line {number} is not a claimtrack row ({type(exc).__name__}: {exc})"
            ) from None
        yield table, row
    if progress is not None and total:
        progress("importing", total, total)


@dataclass
class ImportResult:
    """What an import did: rows added per table, and for a merge the rows that were already there."""

    added: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    # Records present on both sides whose fields differ: the database's values were kept.
    differences: list[str] = field(default_factory=list)
    merged: bool = False


def import_lines(
    session: Session, lines: Iterable[str], *, progress: Progress | None = None, total: int | None = None
) -> ImportResult:
    """Load an export, in the caller's one transaction: all of it or nothing.

    Into an empty database the rows keep their ids, so export → import → export gives the same bytes. Into a
    database that already holds records the export is merged on each record's key (see :func:`_merge`).
    ``progress`` is told ("importing", characters read, ``total``) when ``total`` (the export's size) is known.
    """
    iterator = iter(lines)
    header = _read_header(iterator)
    history = _History(header)
    rows = history.checked(_rows(iterator, progress, total))
    # What the driver itself raises, for the rows written straight through it (see _SQLiteRows, _PostgresRows).
    driver_error = session.get_bind().dialect.loaded_dbapi.Error
    try:
        if not _is_empty(session):
            return _merge(session, rows, history)
        return _load(session, rows, history)
    except (sqlite3.DatabaseError, DBAPIError, driver_error) as exc:
        # Rows of the right shape that the database still refuses: a duplicate id or key, a reference to a
        # row the export does not hold. The caller's transaction is rolled back: nothing stays.
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise InvalidInput(
            f"the export does not fit this database ({reason}); nothing was imported"
        ) from None


class _History:
    """The export's history, checked as its rows stream past: its chain must hold and end at the head its header
    states, or the import is refused (nothing of it stays)."""

    def __init__(self, header: dict[str, Any]) -> None:
        from .chain import ChainCheck

        stated = header.get("chain")
        self.stated: dict[str, Any] = stated if isinstance(stated, dict) else {}
        self.check = ChainCheck()
        self.origin: str | None = None

    def checked(self, rows: Iterator[tuple[Table, dict[str, Any]]]) -> Iterator[tuple[Table, dict[str, Any]]]:
        for table, row in rows:
            if table.name == "changes":
                if self.origin is None:
                    self.origin = row.get("hash")
                self.check.add(row)
            yield table, row

    def require_intact(self) -> None:
        """Raise unless the export's history verifies; call once every row has been read."""
        if not self.check.count:
            return
        broken = self.check.first_break
        if broken is not None:
            raise InvalidInput(
                f"the export's history does not verify: change {broken.position:,} (id {broken.id}): "
                f"{broken.problem}; nothing was imported"
            )
        if self.stated.get("head") != self.check.head:
            raise InvalidInput(
                "the export's history does not end at the head its header states (changes were added or "
                "removed at its end); nothing was imported"
            )


def _load(session: Session, rows: Iterator[tuple[Table, dict[str, Any]]], history: _History) -> ImportResult:
    """Every row of an export into an empty database, keeping its ids."""
    result = ImportResult()
    pending: list[dict[str, Any]] = []
    current: Table | None = None
    connection = session.connection()
    # Into an empty database the search index is built once at the end, from all the rows, instead of row
    # by row by its triggers (several times faster for a large import). Same transaction: a failed import
    # rolls the triggers back too.
    search.drop_triggers(connection)

    dialect = connection.dialect.name
    writers: dict[tuple[str, tuple[str, ...]], _SQLiteRows] = {}
    columns: tuple[str, ...] = ()
    copying = ExitStack()  # PostgreSQL: the COPY open for the current table and columns
    copy: _PostgresRows | None = None

    def flush() -> None:
        if current is None or not pending:
            return
        if dialect == "sqlite":
            key = (current.name, columns)
            if key not in writers:
                writers[key] = _SQLiteRows(connection, current, columns)
            writers[key].write(pending)
        elif copy is not None:
            copy.write(pending)
        else:
            connection.execute(insert(current), pending)
        pending.clear()

    with copying:
        for table, row in rows:
            names = tuple(row)
            if table is not current or names != columns or len(pending) >= BATCH:
                flush()
                if table is not current or names != columns:
                    copying.close()  # the previous table's COPY finished: its rows are in
                    copy = (
                        _PostgresRows(connection, table, names, copying) if dialect == "postgresql" else None
                    )
                current, columns = table, names
            pending.append(row)
            result.added[table.name] = result.added.get(table.name, 0) + 1
        flush()
    history.require_intact()
    search.create(connection)  # the triggers again, and the index filled from every imported row
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection)
    return result


def _advance_sequences(connection: Connection) -> None:
    """Rows came with their ids: move each PostgreSQL sequence past them, or the next insert would collide."""
    for table in _tables():
        columns = list(table.primary_key.columns)
        if len(columns) == 1 and columns[0].type.python_type is int:
            column = columns[0]
            highest = connection.scalar(select(func.coalesce(func.max(column), 0)))
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, :column), :next, false)"),
                {"table": table.name, "column": column.name, "next": int(highest or 0) + 1},
            )


# How a record is known across databases, beside its id: rows with the same key are the same record. Tables
# whose primary key is made of references (claim_tags, source_authors, ...) are known by those references,
# and settings by their name. Every column named here is compared after the references are translated.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "entities": ("$name",),  # the normalised name, as entity_aliases hold it
    "entity_aliases": ("normalized",),
    "measures": ("normalized",),
    "tags": ("name",),
    "sources": ("key",),
    "claims": ("key",),
    "source_files": ("source_id",),
    "source_links": ("source_id", "other_id", "kind"),
    "affiliations": ("entity_id", "kind", "other_id", "since_edtf", "until_edtf"),
    "appearances": ("claim_id", "source_id", "stance", "passage"),
    "source_copies": ("source_id", "other_id"),
    "claim_relations": ("claim_id", "other_id", "kind"),
    "status_changes": ("claim_id", "changed_at", "new_status"),
    "extraction_decisions": ("source_id", "kind", "start", "end"),
}
# Bookkeeping columns that differ between two copies of one record without the record being different.
_NOT_COMPARED = {"id", "created_at"}


def _natural_key_columns(table: Table) -> tuple[str, ...]:
    if table.name in NATURAL_KEYS:
        return NATURAL_KEYS[table.name]
    return tuple(column.name for column in table.primary_key.columns)


def _merge(
    session: Session, rows: Iterator[tuple[Table, dict[str, Any]]], exported: _History
) -> ImportResult:
    """Merge an export into a database that already holds records.

    Each record is matched on its key (:data:`NATURAL_KEYS`): a claim or source by its key, an entity by its
    normalised name, an appearance by its claim, source, stance and passage, and so on, after the export's
    ids are translated to this database's. A record that is not here is added with a new id; one that is keeps
    this database's values, and any field that differs is reported, never overwritten.

    The export's history is verified, then kept as that ledger's history (``imported_changes``, exactly as
    exported, labelled with its origin), never among the local changes: the merge itself is one local change,
    which names the export's origin and head and pins the hashes of the texts and files it brought in.
    """
    from .history import append, who
    from .models import Source, SourceFile
    from .text.names import normalise_name

    connection = session.connection()
    result = ImportResult(merged=True)
    ids: dict[str, dict[Any, Any]] = defaultdict(dict)  # table -> export id -> this database's id
    history: list[dict[str, Any]] = []
    nested: list[dict[str, Any]] = []
    added_ids: dict[str, set[int]] = defaultdict(set)  # table -> this database's ids of the rows added
    known: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}

    def existing_rows(table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
        if table.name not in known:
            found: dict[tuple[Any, ...], dict[str, Any]] = {}
            if table.name == "entities":
                names = select(EntityAlias.normalized, EntityAlias.entity_id)
                by_id = {row["id"]: dict(row) for row in connection.execute(select(table)).mappings()}
                for normalized, entity_id in connection.execute(names):
                    found[(normalized,)] = by_id[entity_id]
            else:
                columns = _natural_key_columns(table)
                for row in connection.execute(select(table)).mappings():
                    found[tuple(row[name] for name in columns)] = dict(row)
            known[table.name] = found
        return known[table.name]

    def translate(table: Table, row: dict[str, Any]) -> dict[str, Any]:
        translated = dict(row)
        for column in table.columns:
            for foreign in column.foreign_keys:
                value = row.get(column.name)
                if value is None:
                    continue
                target = foreign.column.table.name
                if value not in ids[target]:
                    raise InvalidInput(
                        f"the export's {table.name} row refers to {target} id {value}, which it does not hold"
                    )
                translated[column.name] = ids[target][value]
        return translated

    for table, row in rows:
        if table.name == "changes":
            history.append(row)  # kept apart as the export's history, at the end
            continue
        if table.name == "imported_changes":
            nested.append(row)  # histories the export had itself imported: kept as theirs too
            continue
        translated = translate(table, row)
        if table.name == "entities":
            key: tuple[Any, ...] = (normalise_name(row["name"]),)
        else:
            key = tuple(translated.get(name) for name in _natural_key_columns(table))
        here = existing_rows(table).get(key)
        single_id = [c.name for c in table.primary_key.columns] == ["id"]
        if here is not None:
            result.existing[table.name] = result.existing.get(table.name, 0) + 1
            if single_id:
                ids[table.name][row["id"]] = here["id"]
            differing = [
                name for name in translated
                if name not in _NOT_COMPARED and name in here and here[name] != translated[name]
            ]  # fmt: skip
            if differing:
                fields = "; ".join(
                    f"{name} {_short(here[name])} here, {_short(translated[name])} in the export"
                    for name in differing
                )
                result.differences.append(f"{_label(table.name, here)}: {fields} (this database's kept)")
            continue
        if single_id:
            del translated["id"]
            new_id: int = connection.execute(insert(table).returning(table.c.id), translated).scalar_one()
            ids[table.name][row["id"]] = new_id
            added_ids[table.name].add(new_id)
            translated["id"] = new_id
        else:
            connection.execute(insert(table), translated)
        existing_rows(table)[key] = translated
        if table.name == "entity_aliases":
            # An entity added by this import is then known by each of its names.
            known.get("entities", {}).setdefault(
                (translated["normalized"],), {"id": translated["entity_id"], **translated}
            )
        result.added[table.name] = result.added.get(table.name, 0) + 1

    exported.require_intact()
    local = _local_hashes(connection, [row["hash"] for row in (*history, *nested)])
    imported = Base.metadata.tables["imported_changes"]
    kept = _imported_hashes(connection, [row["hash"] for row in (*history, *nested)])
    origin = exported.origin or ""
    theirs = [
        {**{k: v for k, v in row.items() if k != "id"}, "origin": origin, "position": row["id"]}
        for row in history
        if row["hash"] not in local  # our own history, come back in an export of this ledger
    ]
    theirs += [
        {k: v for k, v in row.items() if k not in ("id", "imported_by")}
        for row in nested
        if row["hash"] not in local
    ]
    unique = []
    for row in theirs:
        if (row["origin"], row["hash"]) not in kept:  # once each
            kept.add((row["origin"], row["hash"]))
            unique.append(row)
    theirs = unique
    if theirs:
        result.added["imported_changes"] = len(theirs)
    # The texts and files this merge brought in, pinned by the merge's own change (they have no local rows).
    sources = Base.metadata.tables[Source.__tablename__]
    files = Base.metadata.tables[SourceFile.__tablename__]
    new_sources = sorted(added_ids["sources"])
    pinned_texts = {
        key: digest
        for key, digest in connection.execute(
            select(sources.c.key, sources.c.sha256).where(sources.c.id.in_(new_sources))
        )
    }
    pinned_files = {
        key: digest
        for key, digest in connection.execute(
            select(sources.c.key, files.c.sha256)
            .join(files, files.c.source_id == sources.c.id)
            .where(files.c.id.in_(sorted(added_ids["source_files"])))
        )
    }
    added = ", ".join(f"{count} {name}" for name, count in sorted(result.added.items())) or "nothing"
    stated = exported.stated
    actor, name = who(session)
    append(
        connection,
        [{
            "at": utcnow(), "actor": actor, "display_name": name, "action": "import", "table_name": "import",
            "record_id": "-",
            "label": f"merged an export of ledger {origin[:12] or '(no history)'}: added {added}",
            "before": None,
            "after": {
                "added": result.added, "existing": result.existing, "origin": exported.origin,
                "head": stated.get("head") if exported.check.count else None, "changes": exported.check.count,
                "sources": pinned_texts, "source_files": pinned_files,
            },
            "entry": None, "reason": None,
        }],
    )  # fmt: skip
    if theirs:
        from .history import chain_head

        merge_id = chain_head(connection)[0]
        for start in range(0, len(theirs), BATCH):
            connection.execute(
                insert(imported), [{**row, "imported_by": merge_id} for row in theirs[start : start + BATCH]]
            )
    return result


def _local_hashes(connection: Connection, hashes: list[str]) -> set[str]:
    """Which of ``hashes`` are local changes' hashes, read off the unique index on ``previous`` (every local
    hash but the head's is the next row's previous) rather than by reading the whole history."""
    from .history import chain_head

    changes = Base.metadata.tables["changes"]
    found = {chain_head(connection)[1]} & set(hashes)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        found.update(
            connection.execute(select(changes.c.previous).where(changes.c.previous.in_(chunk))).scalars()
        )
    return found


def _imported_hashes(connection: Connection, hashes: list[str]) -> set[tuple[str, str]]:
    """Which (origin, hash) pairs of these hashes the imported histories already hold."""
    imported = Base.metadata.tables["imported_changes"]
    found: set[tuple[str, str]] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        query = select(imported.c.origin, imported.c.hash).where(imported.c.hash.in_(chunk))
        found.update((str(row[0]), str(row[1])) for row in connection.execute(query))
    return found


def _label(table: str, row: dict[str, Any]) -> str:
    for name in ("key", "name", "normalized"):
        if isinstance(row.get(name), str):
            return f"{table} {row[name]}"
    return f"{table} {row.get('id', '')}".strip()


def _short(value: Any) -> str:
    text = repr(value.isoformat() if isinstance(value, dt.date) else value)
    return text if len(text) <= 40 else text[:39] + "…"
