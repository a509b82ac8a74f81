"""The change log: every insert, update and delete made through the ORM lands in the ``changes`` table.

Recording happens in one place, a flush hook, so no domain function can forget it: researchers must be able to
show their work, and a history that depends on each caller remembering to write it would have holes.

A correction (an edit, a merge, a withdrawal) is one *entry*: the rows it changes, each carrying the entry's id
and the researcher's reason, and a first row that names the entry ("merge: entity 'A.F.' into 'Amber Front'").
``claimtrack log`` shows an entry whole, naming records by their keys and names, never by row ids (that
query is :mod:`claimtrack.changelog`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event, insert, inspect
from sqlalchemy.orm import Session

from .chain import GENESIS, link
from .tables import changes, utcnow

if TYPE_CHECKING:
    from .records import LedgerState

USER_ENV = "CLAIMTRACK_USER"
# The advisory lock that PostgreSQL writers queue on (any fixed number; "claimtrk" in ASCII).
WRITER_LOCK = 0x636C61696D74726B
LONGEST_NAME = 100
# Characters that would let a name rewrite what a log line shows: control characters, line and paragraph
# separators, and the bidirectional overrides and isolates.
_HIDDEN = {"Cc", "Zl", "Zp"}
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def checked_name(value: str, what: str) -> str:
    """A name for the history, refused (one line) when blank, longer than 100 characters, or holding control
    characters; surrounding spaces are dropped."""
    import unicodedata

    from .errors import InvalidInput

    name = value.strip()
    if not name:
        raise InvalidInput(f"{what} is blank; set it to your name, or unset it")
    if len(name) > LONGEST_NAME:
        raise InvalidInput(f"{what} is {len(name):,} characters long; a name may have at most {LONGEST_NAME}")
    for char in name:
        if unicodedata.category(char) in _HIDDEN or char in _BIDI:
            raise InvalidInput(f"{what} holds a control character (U+{ord(char):04X}); a name may not")
    return name


def display_name() -> str | None:
    """What the researcher calls themselves (``CLAIMTRACK_USER``), checked; None when it is not set."""
    value = os.environ.get(USER_ENV)
    return None if value is None else checked_name(value, USER_ENV)


def os_account() -> str:
    """The operating-system account running claimtrack, from the system's user database (not from $USER or
    $LOGNAME, which anyone can set)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):  # Windows, or no passwd entry (some containers)
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def current_actor() -> str:
    """The name records carry as their author (a status change, a review decision): ``CLAIMTRACK_USER``, else
    the operating-system account."""
    return display_name() or os_account()


def who(session: Session) -> tuple[str, str | None]:
    """(actor, display name) for this session's changes: the actor is the PostgreSQL role of the connection
    (session_user, which SET ROLE does not change), or on SQLite the operating-system account."""
    found = session.info.get("who")
    if found is None:
        name = display_name()
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            from sqlalchemy import text

            actor = str(connection.execute(text("SELECT session_user")).scalar_one())
        else:
            actor = os_account()
        found = session.info["who"] = (checked_name(actor, "the account name"), name)
    return found


def chain_head(connection: Connection) -> tuple[int, str]:
    """The history's head: (the last change's id, its hash); (0, GENESIS) for an empty history."""
    from sqlalchemy import select

    row = connection.execute(
        select(changes.c.id, changes.c.hash).order_by(changes.c.id.desc()).limit(1)
    ).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def ledger_state(session: Session) -> LedgerState:
    """Which state of the ledger an export or a report was made from: the history's head (the last change's
    id and hash) and its origin (the hash its chain starts with, which names the ledger)."""
    from sqlalchemy import select

    connection = session.connection()
    last, head = chain_head(connection)
    origin = connection.scalar(select(changes.c.hash).order_by(changes.c.id).limit(1))
    return {"change": last, "head": head, "origin": origin}


def append(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Add change rows at the end of the chain. Every write to the history goes through here.

    The head is read under the writers' lock (SQLite: this transaction already holds the write lock, taken
    by BEGIN IMMEDIATE or by the rows just flushed; PostgreSQL: the writers' advisory lock, taken again here
    in case the session did not), so the next row always links to the last committed one; the unique index
    on ``previous`` makes a fork impossible even so."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
    link(rows, chain_head(connection)[1])
    connection.execute(insert(changes), rows)


APPEND_ONLY = ("changes", "imported_changes")
_REFUSAL = "the history is append-only: its rows cannot be changed or deleted"


def protect(connection: Connection) -> None:
    """Make the database refuse UPDATE and DELETE on the history tables (and TRUNCATE, on PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION claimtrack_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_REFUSAL} (%%)', TG_TABLE_NAME; END $$"  # %% : the driver's escape
        )
        for table in APPEND_ONLY:
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION claimtrack_append_only()"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION claimtrack_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL} ({table})'); END"
            )


def unprotect(connection: Connection) -> None:
    """Drop what :func:`protect` made (a downgrade)."""
    for table in APPEND_ONLY:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            for verb in ("update", "delete"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS claimtrack_append_only()")


# A whole document in every log row would double the database for nothing: the record keeps the text, and the
# log keeps its fingerprint, which is enough to show that (and when) it changed.
LONG_TEXT = 4096


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest(), "bytes": len(value)}
    if isinstance(value, str) and len(value) > LONG_TEXT:
        return {
            "sha256": hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest(),
            "characters": len(value),
        }
    return value


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def _record_id(obj: Any) -> str:
    # During a flush new rows have their primary keys but not yet an identity key: read the columns.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in key)


def label(obj: Any) -> str:
    """A readable name for a record as it is flushed; the log names records afresh (see :func:`list_changes`)."""
    table = obj.__tablename__
    for attribute in ("key", "name", "alias"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str):
            return f"{table} {value}"
    # Rows that hang off a claim say which claim (only if already loaded: no queries inside a flush).
    claim = obj.__dict__.get("claim")
    if claim is not None and isinstance(getattr(claim, "key", None), str):
        return f"{table} {_record_id(obj)} (claim {claim.key})"
    return f"{table} {_record_id(obj)}"


# The rows the flush hook writes for ordinary changes; any other action names an entry (see entry()).
ROW_ACTIONS = ("insert", "update", "delete")


@contextmanager
def entry(session: Session, action: str, record: Any, label: str, reason: str) -> Iterator[None]:
    """Make everything flushed inside one history entry, with the researcher's reason.

    ``action`` names the entry (edit, merge, withdraw, tag, ...), ``record`` is the record it is about and
    ``label`` how the log names it. The entry's own row is written last, once its changes are flushed."""
    from .errors import InvalidInput

    reason = reason.strip()
    if not reason:
        raise InvalidInput(f"a correction needs a reason (--reason): the history keeps it with the {action}")
    entry_id = secrets.token_hex(16)
    outer = session.info.get("entry")
    session.info["entry"] = (entry_id, reason)
    try:
        yield
        session.flush()
    finally:
        session.info["entry"] = outer
    actor, name = who(session)
    append(
        session.connection(),
        [{
            "at": utcnow(),
            "actor": actor,
            "display_name": name,
            "action": action,
            "table_name": record.__tablename__,
            "record_id": _record_id(record),
            "label": label,
            "before": None,
            "after": None,
            "entry": entry_id,
            "reason": reason,
        }],
    )  # fmt: skip


def _after_flush(session: Session, _context: Any) -> None:
    from .models import Change  # imported by whatever made the objects flushed; not by a session that reads

    entry_id, reason = session.info.get("entry") or (None, None)
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Any, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        actor, name = who(session)
        rows.append(
            {
                "at": now,
                "actor": actor,
                "display_name": name,
                "action": action,
                "table_name": obj.__tablename__,
                "record_id": _record_id(obj),
                "label": label(obj),
                "before": before,
                "after": after,
                "entry": entry_id,
                "reason": reason,
            }
        )

    for obj in session.new:
        if not isinstance(obj, Change):
            add("insert", obj, None, _columns(obj))
    for obj in session.dirty:
        if isinstance(obj, Change) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                old = _plain(hist.deleted[0]) if hist.deleted else None
                new = _plain(hist.added[0]) if hist.added else None
                if old != new:
                    before[attr.key], after[attr.key] = old, new
        if after:
            add("update", obj, before, after)
    for obj in session.deleted:
        if not isinstance(obj, Change):
            add("delete", obj, _columns(obj), None)
    append(session.connection(), rows)


def watch(session: Session) -> None:
    """Record every change this session flushes."""
    if not event.contains(session, "after_flush", _after_flush):
        event.listen(session, "after_flush", _after_flush)
