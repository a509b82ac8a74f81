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
        yield from _prefetched(raw.cursor(name=f"claimtrack_{id(query):x}"), str(compiled), batch)
        return
    cursor = raw.cursor()
    try:
        cursor.execute(str(compiled))
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def _prefetched(cursor: Any, sql: str, batch: int) -> Iterator[tuple[Any, ...]]:
    """A server-side cursor's rows, each batch fetched on a thread while the one before is used: the server
    (on another core) works out the next rows while Python reads these, where fetching in turn would leave
    one of them idle. The driver lets go of the GIL while it waits for the server. One batch waits at most."""
    import contextlib
    import queue
    import threading

    batches: queue.Queue[list[tuple[Any, ...]] | BaseException] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def fetch() -> None:
        try:
            cursor.execute(sql)
            while not stop.is_set():
                rows = cursor.fetchmany(batch)
                batches.put(rows)
                if not rows:
                    return
        except BaseException as exc:  # handed to the reader, which raises it
            batches.put(exc)

    thread = threading.Thread(target=fetch, name="claimtrack-rows", daemon=True)
    thread.start()
    try:
        while True:
            rows = batches.get()
            if isinstance(rows, BaseException):
                raise rows
            if not rows:
                return
            yield from rows
    finally:
        stop.set()
        while thread.is_alive():  # let a fetch that is waiting to hand over its batch end
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.05)
        thread.join()
        cursor.close()


def as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
