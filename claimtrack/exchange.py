"""Lossless exchange: every table as JSON lines, and back.

The export is deterministic (tables in dependency order, rows by primary key, keys sorted), so exporting,
importing into an empty database and exporting again gives the same bytes — which is how the round trip is
tested. Values keep their types: dates and times as ISO strings, bytes as base64, JSON as JSON.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, func, insert, select
from sqlalchemy.orm import Session

from .db import SCHEMA_REVISION
from .errors import Conflict, InvalidInput
from .models import Base

FORMAT = "claimtrack-export"
VERSION = 1
BATCH = 2_000


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded = {}
    for name, value in row.items():
        if name not in table.columns:
            raise InvalidInput(f"the export has a column {table.name}.{name} that this database does not")
        kind = table.columns[name].type
        if value is not None:
            if isinstance(kind, DateTime):
                value = dt.datetime.fromisoformat(value)
            elif isinstance(kind, Date):
                value = dt.date.fromisoformat(value)
            elif isinstance(kind, LargeBinary):
                value = base64.b64decode(value["$base64"])
        decoded[name] = value
    return decoded


def export_lines(session: Session) -> Iterator[str]:
    """The whole ledger as JSON lines: a header, then one line per row of every table."""
    yield json.dumps({"format": FORMAT, "version": VERSION, "schema": SCHEMA_REVISION}, sort_keys=True)
    for table in _tables():
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


def import_lines(session: Session, lines: Iterable[str]) -> dict[str, int]:
    """Load an export into an empty database, in the caller's one transaction: all of it or nothing.

    Merging into a database that already holds records needs every key remapped and is not done here:
    such an import is refused before anything is written.
    """
    if not _is_empty(session):
        raise Conflict(
            "the database already holds records; import into a new database (claimtrack --db NEW init)"
        )
    iterator = iter(lines)
    try:
        header = json.loads(next(iterator))
    except StopIteration:
        raise InvalidInput("the export is empty") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"line 1 is not JSON ({exc.msg})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput("this is not a claimtrack export (its first line has no claimtrack header)")
    if header.get("schema") != SCHEMA_REVISION:
        raise InvalidInput(
            f"the export was made at schema {header.get('schema')}, this database is at {SCHEMA_REVISION}; "
            "import it with the claimtrack version that made it, then upgrade"
        )
    tables = {table.name: table for table in _tables()}
    counts: dict[str, int] = {}
    pending: list[dict[str, Any]] = []
    current: Table | None = None
    connection = session.connection()

    def flush() -> None:
        if current is not None and pending:
            connection.execute(insert(current), pending)
            pending.clear()

    for number, line in enumerate(iterator, start=2):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            table = tables[item["table"]]
            row = _decode(table, item["row"])
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"line {number} is not JSON ({exc.msg})") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"line {number} is not a claimtrack row ({type(exc).__name__}: {exc})"
            ) from None
        if table is not current or len(pending) >= BATCH:
            flush()
            current = table
        pending.append(row)
        counts[table.name] = counts.get(table.name, 0) + 1
    flush()
    if connection.dialect.name == "postgresql":
        # Rows came with their ids: move each sequence past them, or the next insert would collide.
        for table in _tables():
            columns = list(table.primary_key.columns)
            if len(columns) == 1 and columns[0].type.python_type is int:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{columns[0].name}'), "
                    f"COALESCE((SELECT MAX({columns[0].name}) FROM {table.name}), 0) + 1, false)"
                )
    return counts
