"""The change log: every insert, update and delete made through the ORM lands in the ``changes`` table.

Recording happens in one place, a flush hook, so no domain function can forget it: researchers must be able to
show their work, and a history that depends on each caller remembering to write it would have holes.

A correction (an edit, a merge, a withdrawal) is one *entry*: the rows it changes, each carrying the entry's id
and the researcher's reason, and a first row that names the entry ("merge: entity 'A.F.' into 'Amber Front'").
``claimtrack log`` shows an entry whole, naming records by their keys and names, never by row ids.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event, insert, inspect
from sqlalchemy.orm import Session

from .chain import GENESIS, link
from .models import Change, utcnow

USER_ENV = "CLAIMTRACK_USER"
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

    row = connection.execute(select(Change.id, Change.hash).order_by(Change.id.desc()).limit(1)).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def ledger_state(session: Session) -> dict[str, Any]:
    """Which state of the ledger an export or a report was made from: the history's head (the last change's
    id and hash) and its origin (the hash its chain starts with, which names the ledger)."""
    from sqlalchemy import select

    connection = session.connection()
    last, head = chain_head(connection)
    origin = connection.scalar(select(Change.hash).order_by(Change.id).limit(1))
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

        from .db import WRITER_LOCK

        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
    link(rows, chain_head(connection)[1])
    connection.execute(insert(Change), rows)


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


def list_changes(
    session: Session,
    *,
    limit: int = 50,
    actor: str | None = None,
    table: str | None = None,
    claim_key: str | None = None,
) -> list[dict[str, Any]]:
    """The change log, newest first: who changed what, when, why, from what to what.

    Each item is one entry: a single change, or a correction made of several (``parts``), shown whole.
    Records are named by their keys and names, and references in the fields (``claimant_id``) by what they
    point to (``claimant``)."""
    from sqlalchemy import or_, select

    from .errors import InvalidInput
    from .models import Appearance, Claim, ClaimRelation, ClaimSubject, ClaimTag, StatusChange

    if limit < 1:
        raise InvalidInput("--limit must be at least 1")
    query = select(Change).order_by(Change.id.desc())
    if actor:
        query = query.where(or_(Change.actor == actor, Change.display_name == actor))
    if table:
        query = query.where(Change.table_name == table)
    if claim_key:
        from .claims import find_claim

        claim = find_claim(session, claim_key)
        # A claim's history spans its own row and the rows that hang off it.
        related = [
            (Claim.__tablename__, select(Claim.id).where(Claim.id == claim.id)),
            (Appearance.__tablename__, select(Appearance.id).where(Appearance.claim_id == claim.id)),
            (StatusChange.__tablename__, select(StatusChange.id).where(StatusChange.claim_id == claim.id)),
            (
                ClaimRelation.__tablename__,
                select(ClaimRelation.id).where(
                    or_(ClaimRelation.claim_id == claim.id, ClaimRelation.other_id == claim.id)
                ),
            ),
        ]
        query = query.where(
            or_(
                *(
                    (Change.table_name == name) & Change.record_id.in_([str(i) for i in session.scalars(ids)])
                    for name, ids in related
                ),
                # Tags and subjects are known by (claim, tag) and (claim, entity): "12/3".
                *(
                    (Change.table_name == model.__tablename__)
                    & Change.record_id.startswith(f"{claim.id}/", autoescape=True)
                    for model in (ClaimTag, ClaimSubject)
                ),
            )
        )
    # Walk back until ``limit`` entries are found; then read every row of the corrections among them.
    picked: list[Change] = []
    entries: list[str] = []
    below: int | None = None
    while len(picked) < limit:
        page = list(session.scalars((query if below is None else query.where(Change.id < below)).limit(500)))
        for change in page:
            if change.entry is None:
                picked.append(change)
            elif change.entry not in entries:
                entries.append(change.entry)
                picked.append(change)
            if len(picked) == limit:
                break
        if len(page) < 500:
            break
        below = page[-1].id
    members: dict[str, list[Change]] = {name: [] for name in entries}
    for start in range(0, len(entries), 500):
        chunk = entries[start : start + 500]
        for change in session.scalars(select(Change).where(Change.entry.in_(chunk)).order_by(Change.id)):
            members[change.entry or ""].append(change)
    names = RecordNames(session)
    items = []
    for change in picked:
        if change.entry is None:
            items.append(names.change(change))
            continue
        rows = members[change.entry]
        head = next((row for row in rows if row.action not in ROW_ACTIONS), None)
        parts = _coalesced([names.change(row) for row in rows if row is not head])
        if head is None:  # an entry whose own row is missing (cannot happen through claimtrack): its parts
            items.extend(reversed(parts))
            continue
        items.append(
            {
                "id": head.id,
                "at": head.at.isoformat(timespec="seconds"),
                "actor": head.actor,
                "display_name": head.display_name,
                "action": head.action,
                "record": head.label,
                "reason": head.reason,
                "before": None,
                "after": None,
                "fields": [],
                "parts": parts,
            }
        )
    return items[:limit]


def _coalesced(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An entry's parts with the updates of one record (flushed in steps) made one: first before, last after."""
    shown: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    for part in parts:
        same = updates.get(part["record"]) if part["action"] == "update" else None
        if same is None:
            shown.append(part)
            if part["action"] == "update":
                updates[part["record"]] = part
            continue
        before = {**(part["before"] or {}), **(same["before"] or {})}
        after = {**(same["after"] or {}), **(part["after"] or {})}
        fields = {f["field"]: dict(f) for f in same["fields"]}
        for field in part["fields"]:
            if field["field"] in fields:
                fields[field["field"]]["after"] = field["after"]
            else:
                fields[field["field"]] = dict(field)
        same.update(before=before, after=after, fields=list(fields.values()))
    return shown


# What a reference points to, and the column that names it.
_NAMED_BY = {"entities": "name", "sources": "key", "claims": "key", "measures": "name", "tags": "name"}
# Bookkeeping a researcher does not need to read in the log (the --json output keeps it all).
_UNSHOWN = {"id", "created_at", "updated_at", "normalized", "anchor_sha256", "anchor_prefix", "anchor_suffix"}


class RecordNames:
    """Names records and the references in their fields the way a researcher names them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[str, int], str] = {}

    def name(self, table: str, record_id: Any) -> str:
        if record_id is None:
            return "none"
        key = (table, int(record_id))
        if key not in self.cache:
            from sqlalchemy import select

            from .models import Base

            target = Base.metadata.tables[table]
            found: Any = self.session.execute(
                select(target.c[_NAMED_BY[table]]).where(target.c.id == key[1])
            ).scalar()
            if found is None:
                # Gone (an entity merged away): its name as the history last recorded it.
                column = _NAMED_BY[table]
                recorded = self.session.execute(
                    select(Change.before, Change.after)
                    .where(Change.table_name == table, Change.record_id == str(key[1]))
                    .order_by(Change.id.desc())
                )
                for row in recorded:
                    before: dict[str, Any] = row[0] or {}
                    after: dict[str, Any] = row[1] or {}
                    found = before.get(column) or after.get(column)
                    if found is not None:
                        break
            self.cache[key] = str(found) if found is not None else f"{table} row {record_id} (gone)"
        return self.cache[key]

    def _values(self, change: Change) -> dict[str, Any]:
        """The record's fields: as now, overlaid with the change's own (a deleted row has only those)."""
        from sqlalchemy import select

        from .models import Base

        values: dict[str, Any] = {}
        table = Base.metadata.tables.get(change.table_name)
        if table is not None:
            columns = list(table.primary_key.columns)
            parts = change.record_id.split("/")
            if len(parts) == len(columns) and all(part.isdigit() for part in parts):
                condition = [column == int(part) for column, part in zip(columns, parts, strict=True)]
                row = self.session.execute(select(table).where(*condition)).mappings().first()
                if row is not None:
                    values.update(row)
        values.update(change.before or {})
        values.update(change.after or {})
        return values

    def record(self, change: Change) -> str:
        """ "claim k3m9x2p", "tie Amber Voice part-of Amber Front", "tag detentions on claim k3m9x2p"."""
        v = self._values(change)
        entity, source, claim = (
            lambda column: self.name("entities", v.get(column)),
            lambda column: self.name("sources", v.get(column)),
            lambda column: self.name("claims", v.get(column)),
        )
        table = change.table_name
        try:
            match table:
                case "claims":
                    return f"claim {v['key']}"
                case "sources":
                    return f"source {v['key']}"
                case "entities":
                    return f"entity {v['name']}"
                case "measures":
                    return f"measure {v['name']}"
                case "tags":
                    return f"tag {v['name']}"
                case "settings":
                    return f"setting {v['key']}"
                case "entity_aliases":
                    return f"alias {v['alias']!r} of {entity('entity_id')}"
                case "affiliations":
                    return f"tie {entity('entity_id')} {v['kind']} {entity('other_id')}"
                case "appearances":
                    return f"appearance of claim {claim('claim_id')} in {source('source_id')}"
                case "claim_relations":
                    return f"relation {claim('claim_id')} {v['kind']} {claim('other_id')}"
                case "status_changes":
                    return f"status of claim {claim('claim_id')}"
                case "claim_tags":
                    return f"tag {self.name('tags', v['tag_id'])} on claim {claim('claim_id')}"
                case "claim_subjects":
                    return f"claim {claim('claim_id')} about {entity('entity_id')}"
                case "source_authors":
                    return f"author {entity('entity_id')} of {source('source_id')}"
                case "source_links":
                    return f"link {source('source_id')} {v['kind']} {source('other_id')}"
                case "source_files":
                    return f"original file of {source('source_id')}"
                case "extraction_decisions":
                    return f"extraction decision in {source('source_id')}"
        except (KeyError, ValueError):
            pass
        return change.label or f"{table} {change.record_id}"

    def fields(self, change: Change) -> list[dict[str, Any]]:
        """What changed, field by field, references named: [{"field": "claimant", "before": .., "after": ..}]."""
        from .models import Base

        table = Base.metadata.tables.get(change.table_name)
        before, after = change.before or {}, change.after or {}
        shown = []
        for column in dict.fromkeys([*before, *after]):
            if column in _UNSHOWN:
                continue
            field, old, new = column, before.get(column), after.get(column)
            targets = []
            if table is not None and column in table.c:
                targets = [fk.column.table.name for fk in table.c[column].foreign_keys]
            if targets and targets[0] in _NAMED_BY:
                field = column.removesuffix("_id")
                old = self.name(targets[0], old) if old is not None else None
                new = self.name(targets[0], new) if new is not None else None
            shown.append({"field": field, "before": old, "after": new})
        return shown

    def change(self, change: Change) -> dict[str, Any]:
        return {
            "id": change.id,
            "at": change.at.isoformat(timespec="seconds"),
            "actor": change.actor,
            "display_name": change.display_name,
            "action": change.action,
            "record": self.record(change),
            "reason": change.reason,
            "before": change.before,
            "after": change.after,
            "fields": self.fields(change),
            "parts": [],
        }
