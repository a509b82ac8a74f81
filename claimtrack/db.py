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

from .errors import ClaimtrackError, DatabaseBusy, DatabaseDamaged, ReadOnlyDatabase, SchemaOutOfDate

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

DEFAULT_DB = "claimtrack.db"
BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_ENV = "CLAIMTRACK_BUSY_TIMEOUT"

# The Alembic revision this version of claimtrack's models corresponds to. Kept here, not read from the
# migration scripts, so that every command can check the database without importing Alembic (a test
# proves it equals the migrations' head).
SCHEMA_REVISION = "0011"


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


def _configure_sqlite(engine: Engine, timeout_ms: int, *, read_only: bool = False) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        try:
            # Reading the schema here, once: a damaged byte in its text makes the driver fail to decode
            # SQLite's own error message, which would otherwise surface at the first query as a bare
            # UnicodeDecodeError rather than as damage.
            cursor.execute("SELECT 1 FROM sqlite_master LIMIT 0")
        except UnicodeDecodeError:
            import sqlite3

            raise sqlite3.DatabaseError(SCHEMA_NOT_UTF8) from None
        if not read_only:  # a read-only connection cannot switch the journal (nor needs to)
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("claimtrack_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_engines: dict[str, Engine] = {}

# How a SQLite file is opened: for writing (the usual way); "read", read-only through its WAL (SQLite's
# ``mode=ro``); or "immutable", read as a file that nothing writes (``immutable=1``: no lock, and no -shm
# file created beside it).
WRITE, READ, IMMUTABLE = "write", "read", "immutable"


def sqlite_access(path: Path) -> str:
    """How this process can open the SQLite file at ``path``: WRITE where it may write the file and its folder
    (or the -wal and -shm files exist already), else READ while a -wal or -shm file shows that someone has
    it open (or left committed changes in the WAL), else IMMUTABLE.

    A user who may not write the file (``chmod 444``, a read-only mount, someone else's folder) gets a
    connection that creates nothing: a plain connection would create a -shm file with the database's own
    read-only permissions, left behind to make every later write fail once the file is writable again.
    IMMUTABLE is kept for a file that nobody has open: a writer that has it open keeps its -wal and -shm
    beside it, and then the WAL is read (READ), through the -shm.
    """
    if not path.exists():
        return WRITE
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    beside = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    if os.access(path, os.W_OK) and (folder_writable or all(os.access(file, os.W_OK) for file in beside)):
        return WRITE
    in_use = any(file.exists() and file.stat().st_size > 0 for file in beside)
    return READ if in_use else IMMUTABLE


def get_engine(url: str, access: str = WRITE) -> Engine:
    """One engine per URL (and SQLite access) per process, set up for claimtrack."""
    key = url if access == WRITE else f"{url}#{access}"
    engine = _engines.get(key)
    if engine is None:
        from sqlalchemy import create_engine

        if url.startswith("sqlite"):
            path = url.split(":///", 1)[-1]
            if path and path != ":memory:" and not Path(path).parent.exists():
                raise ClaimtrackError(f"folder {str(Path(path).parent)!r} does not exist")
            if path and Path(path).is_dir():
                raise ClaimtrackError(f"{path!r} is a folder; --db names a database file")
            timeout_ms = busy_timeout_ms()
            if access == WRITE:
                engine = create_engine(url)
            else:
                import sqlite3

                uri = Path(path).resolve().as_uri() + ("?mode=ro" if access == READ else "?immutable=1")
                # The engine keeps the plain URL (a forked check reopens the same file the same way); only
                # its connections are made read-only.
                engine = create_engine(
                    url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
                )
            _configure_sqlite(engine, timeout_ms, read_only=access != WRITE)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        _engines[key] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def forget_engines_after_fork() -> None:
    """In a forked child process: drop the parent's engines without closing their connections (closing them
    would end the parent's), so that the child opens its own."""
    for engine in _engines.values():
        engine.dispose(close=False)
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

    def access(self) -> str:
        """WRITE, READ or IMMUTABLE (see :func:`sqlite_access`); a server database is always WRITE here."""
        path = self.sqlite_path()
        return WRITE if path is None else sqlite_access(path)

    def reading_engine(self) -> Engine:
        """The engine for reading: read-only where the file cannot be written."""
        return get_engine(self.url, self.access())

    def require_writable(self) -> None:
        if self.access() != WRITE:
            raise ReadOnlyDatabase(
                f"{self.describe()} is read-only here (the file or its folder cannot be written): commands "
                "that only read work; to change it, make both writable or work on a copy (claimtrack db "
                "backup COPY)"
            )

    @contextmanager
    def session(self, *, write: bool = False, check_schema: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on any error.

        ``write=True`` takes SQLite's write lock at the start (BEGIN IMMEDIATE) so that concurrent writers
        queue instead of failing half-way.
        """
        from sqlalchemy.exc import DatabaseError, OperationalError
        from sqlalchemy.orm import Session

        from . import history

        if write:
            self.require_writable()
        if check_schema:
            self.require_current()
        engine = self.engine.execution_options(claimtrack_write=True) if write else self.reading_engine()
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
                    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": history.WRITER_LOCK})
                yield session
        except OperationalError as exc:
            if is_busy_error(exc):
                raise DatabaseBusy(busy_message()) from exc
            self._raise_if_damaged(exc)
            raise
        except DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise
        finally:
            session.close()

    def current_revision(self) -> str | None:
        """The schema revision stamped in the database, or None for a database claimtrack never set up."""
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import DatabaseError

        try:
            with self.reading_engine().connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def _raise_if_damaged(self, exc: BaseException) -> None:
        """Turn SQLite's "file is not a database" or "database disk image is malformed" into what to do."""
        path = self.sqlite_path()
        if path is not None and is_damage_error(exc):
            raise DatabaseDamaged(damage_message(path, exc)) from exc

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
        self._refuse_newer(revision)
        raise SchemaOutOfDate(
            f"{self.describe()} is at schema revision {revision}, this claimtrack needs "
            f"{SCHEMA_REVISION}; run `claimtrack db upgrade`"
        )

    def upgrade(self, notes: dict[str, object] | None = None) -> tuple[str | None, str]:
        """Create or upgrade the schema to the current revision; return (before, after). What the migrations
        report (such as how many source links became vias) is put in ``notes`` when one is given."""
        from sqlalchemy.exc import DatabaseError

        from .migrate import upgrade

        self.require_writable()
        before = self.current_revision()
        if before is not None:
            self._refuse_newer(before)
        try:
            reported = upgrade(self.engine)
        except DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise
        if notes is not None:
            notes.update(reported)
        return before, SCHEMA_REVISION

    def _refuse_newer(self, revision: str) -> None:
        """A revision this claimtrack has no migration for, numbered past its own (revisions are numbered
        0001, 0002, ...), was made by a newer claimtrack: `db upgrade` cannot help (it would fail), a newer
        claimtrack can."""
        from .migrate import known_revisions

        if revision > SCHEMA_REVISION and revision not in known_revisions():
            from . import __version__

            raise SchemaOutOfDate(
                f"{self.describe()} was made by a newer claimtrack (schema revision {revision!r}; claimtrack "
                f"{__version__} knows revisions up to {SCHEMA_REVISION}); install a newer claimtrack to use it "
                "(pip install --upgrade claimtrack)"
            )

    def describe(self) -> str:
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return f"'{url.database}'"
        return url.render_as_string(hide_password=True)


# What a ledger gets when SQLite quotes a damaged schema text in its error and the driver cannot decode it.
SCHEMA_NOT_UTF8 = "malformed database schema (its text is not UTF-8)"
# What SQLite says of a file that is not a database, or one whose pages are damaged.
_DAMAGE = ("file is not a database", "database disk image is malformed", "malformed database schema")


def is_damage_error(exc: BaseException) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return any(words in message for words in _DAMAGE)


def damage_message(path: Path, exc: BaseException | str) -> str:
    """The one line a damaged SQLite file gets: what SQLite said, and the two ways out."""
    reason = (str(getattr(exc, "orig", exc)).strip().splitlines() or [""])[0]
    return (
        f"'{path}' is damaged or is not a SQLite database ({reason}); restore a backup "
        f"(claimtrack --db '{path}' db restore BACKUP --force), or copy what can still be read into a new "
        f"ledger: claimtrack db salvage '{path}' NEW.db"
    )


def damage_found(path: Path) -> str | None:
    """What is found wrong in a ledger file: the first problem SQLite's ``PRAGMA quick_check`` names, a row
    whose reference leads to no row (``PRAGMA foreign_key_check``), and then, in a ledger at this claimtrack's
    schema, a stored value that does not read back or a history that does not hold (:mod:`claimtrack.damage`);
    None when all pass. For a command that failed in a way claimtrack does not expect: on a damaged file, the
    damage is the cause to name."""
    import sqlite3

    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        checked = [row[0] for row in connection.execute("PRAGMA quick_check(1)")]
        if checked != ["ok"]:
            # Its first line may only say where ("*** in database main ***"): the line after says what.
            said = [line for line in str(checked[0]).splitlines() if not line.startswith("***")] if checked else []
            return said[0] if said else "SQLite's check gave no answer"
        broken = connection.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            return f"a row of {broken[0]} refers to a row of {broken[2]} that is not there"
        stamped = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if stamped == [(SCHEMA_REVISION,)]:  # the tables are the models' (an older ledger's are not)
            from .damage import value_damage

            return value_damage(connection)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    finally:
        connection.close()
    return None


def is_undecodable_text(exc: BaseException) -> bool:
    """SQLite's driver met stored text that is not UTF-8 (no sound ledger holds any: what claimtrack writes is
    UTF-8); its message quotes the text, damaged bytes and all."""
    return str(getattr(exc, "orig", exc)).startswith("Could not decode to UTF-8 column")


def is_busy_error(exc: BaseException) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return any(words in message for words in ("database is locked", "database is busy", "lock timeout"))


def open_ledger(db: str | None = None) -> Ledger:
    return Ledger(resolve_url(db))
