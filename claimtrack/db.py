"""Opening the ledger: where the database is, how SQLite is set up, and keeping the schema current.

SQLite is opened with WAL (readers never block the writer), foreign keys on, and a busy timeout. Python 3.11's
sqlite3 driver starts transactions lazily and behind SQLAlchemy's back, which breaks SAVEPOINTs and lets a
read-then-write transaction fail on lock upgrade without waiting; so the driver's own transaction handling is
switched off and claimtrack emits BEGIN itself — BEGIN IMMEDIATE for sessions that write, so a second writer
waits its turn (up to the busy timeout: 30 s, or ``CLAIMTRACK_BUSY_TIMEOUT`` seconds) at the start instead of
failing half-way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ClaimtrackError, DatabaseBusy, SchemaOutOfDate

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

DEFAULT_DB = "claimtrack.db"
BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_ENV = "CLAIMTRACK_BUSY_TIMEOUT"
# The advisory lock that PostgreSQL writers queue on (any fixed number; "claimtrk" in ASCII).
WRITER_LOCK = 0x636C61696D74726B

# The Alembic revision this version of claimtrack's models corresponds to. Kept here, not read from the
# migration scripts, so that every command can check the database without importing Alembic (a test
# proves it equals the migrations' head).
SCHEMA_REVISION = "0009"


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``--db``, else ``CLAIMTRACK_DB``, else ``./claimtrack.db``.

    A value with ``://`` is taken as a SQLAlchemy URL; anything else is a path to a SQLite file.
    """
    value = db or os.environ.get("CLAIMTRACK_DB") or DEFAULT_DB
    if "://" in value:
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship as the PostgreSQL extra; the bare scheme means psycopg2.
            value = "postgresql+psycopg://" + value[len("postgresql://") :]
        return value
    return "sqlite:///" + str(Path(value).expanduser())


def busy_timeout_ms() -> int:
    """How long a writer waits for another to finish: ``CLAIMTRACK_BUSY_TIMEOUT`` seconds, else 30 s."""
    value = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not value:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:  # also refuses nan
        raise ClaimtrackError(f"{BUSY_TIMEOUT_ENV} must be a number of seconds (0 to 86400), not {value!r}")
    return round(seconds * 1000)


def busy_message(timeout_ms: int | None = None) -> str:
    """The one line a writer that gave up waiting prints."""
    if timeout_ms is None:
        try:
            timeout_ms = busy_timeout_ms()
        except ClaimtrackError:
            timeout_ms = BUSY_TIMEOUT_MS
    return (
        f"the database is busy: another writer held it for more than {timeout_ms / 1000:g} s; try again "
        f"(set {BUSY_TIMEOUT_ENV}=SECONDS to wait longer)"
    )


def _configure_sqlite(engine: Engine, timeout_ms: int) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("claimtrack_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_engines: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """One engine per URL per process, set up for claimtrack."""
    engine = _engines.get(url)
    if engine is None:
        from sqlalchemy import create_engine

        if url.startswith("sqlite"):
            path = url.split(":///", 1)[-1]
            if path and path != ":memory:" and not Path(path).parent.exists():
                raise ClaimtrackError(f"folder {str(Path(path).parent)!r} does not exist")
            timeout_ms = busy_timeout_ms()
            engine = create_engine(url)
            _configure_sqlite(engine, timeout_ms)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        _engines[url] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@dataclass
class Ledger:
    """A handle on one claimtrack database."""

    url: str

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @contextmanager
    def session(self, *, write: bool = False, check_schema: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on any error.

        ``write=True`` takes SQLite's write lock at the start (BEGIN IMMEDIATE) so that concurrent writers
        queue instead of failing half-way.
        """
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.orm import Session

        from . import history

        if check_schema:
            self.require_current()
        engine = self.engine
        if write:
            engine = engine.execution_options(claimtrack_write=True)
        session = Session(engine, expire_on_commit=False)
        history.watch(session)
        try:
            with session.begin():
                if write and self.engine.dialect.name == "postgresql":
                    # PostgreSQL has no BEGIN IMMEDIATE: writers queue on one transaction-level advisory lock
                    # instead, for the same reason (a lookup-then-insert, such as a new tag, must not race
                    # another writer's), waiting up to the same busy timeout.
                    from sqlalchemy import text

                    session.execute(text("SELECT set_config('lock_timeout', :wait, true)"),
                                    {"wait": f"{busy_timeout_ms()}ms"})  # fmt: skip
                    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
                yield session
        except OperationalError as exc:
            if is_busy_error(exc):
                raise DatabaseBusy(busy_message()) from exc
            raise
        finally:
            session.close()

    def current_revision(self) -> str | None:
        """The schema revision stamped in the database, or None for a database claimtrack never set up."""
        from sqlalchemy import inspect, text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def sqlite_path(self) -> Path | None:
        """The SQLite file's path, or None for a server database or an in-memory one."""
        if not self.is_sqlite:
            return None
        path = self.url.split(":///", 1)[-1]
        return Path(path) if path and path != ":memory:" else None

    def require_current(self) -> None:
        path = self.sqlite_path()
        if path is not None and not path.exists():
            # Connecting would create an empty file; a typo in --db should not leave litter behind.
            raise SchemaOutOfDate(f"no database at '{path}'; run `claimtrack init` to create one")
        revision = self.current_revision()
        if revision == SCHEMA_REVISION:
            return
        if revision is None:
            raise SchemaOutOfDate(
                f"{self.describe()} is not a claimtrack database yet; run `claimtrack init`"
            )
        raise SchemaOutOfDate(
            f"{self.describe()} is at schema revision {revision}, this claimtrack needs "
            f"{SCHEMA_REVISION}; run `claimtrack db upgrade`"
        )

    def upgrade(self) -> tuple[str | None, str]:
        """Create or upgrade the schema to the current revision; return (before, after)."""
        from .migrate import upgrade

        before = self.current_revision()
        upgrade(self.engine)
        return before, SCHEMA_REVISION

    def describe(self) -> str:
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return f"'{url.database}'"
        return url.render_as_string(hide_password=True)


def is_busy_error(exc: BaseException) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return any(words in message for words in ("database is locked", "database is busy", "lock timeout"))


def open_ledger(db: str | None = None) -> Ledger:
    return Ledger(resolve_url(db))
