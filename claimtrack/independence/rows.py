"""Bulk reads for the check: whole-table scans straight from the driver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session


def stream_rows(session: Session, query: Any, batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """The rows of a whole-table scan, straight from the driver's cursor, in batches.

    A full check reads millions of rows; SQLAlchemy's row objects cost five times the driver's own tuples,
    so these whole-table scans go to the driver directly (the SQL is still SQLAlchemy's, compiled for the
    connection's dialect). PostgreSQL gets a server-side cursor so the rows never sit in memory at once.
    """
    connection = session.connection()
    # Only claimtrack's own constants (vocabulary values) are ever bound here, so rendering them inline is
    # safe; user input never reaches these scans.
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    raw: Any = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        cursor = raw.cursor(name=f"claimtrack_{id(query):x}")
    else:
        cursor = raw.cursor()
    try:
        cursor.execute(str(compiled))
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
