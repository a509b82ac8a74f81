"""The change log: every insert, update and delete made through the ORM lands in the ``changes`` table.

Recording happens in one place, a flush hook, so no domain function can forget it: researchers must be able to
show their work, and a history that depends on each caller remembering to write it would have holes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .models import Change, utcnow


def current_actor() -> str:
    """Who is making changes: ``CLAIMTRACK_USER``, else the operating-system user."""
    actor = os.environ.get("CLAIMTRACK_USER")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


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
    """A readable name for a record, so the log reads without joins."""
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


def _after_flush(session: Session, _context: Any) -> None:
    actor = session.info.get("actor") or current_actor()
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Any, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": action,
                "table_name": obj.__tablename__,
                "record_id": _record_id(obj),
                "label": label(obj),
                "before": before,
                "after": after,
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
                before[attr.key] = _plain(hist.deleted[0]) if hist.deleted else None
                after[attr.key] = _plain(hist.added[0]) if hist.added else None
        if after:
            add("update", obj, before, after)
    for obj in session.deleted:
        if not isinstance(obj, Change):
            add("delete", obj, _columns(obj), None)
    if rows:
        session.connection().execute(insert(Change), rows)


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
    """The change log, newest first: who changed what, when, from what to what."""
    from sqlalchemy import or_, select

    from .errors import InvalidInput
    from .models import Appearance, Claim, ClaimRelation, StatusChange

    if limit < 1:
        raise InvalidInput("--limit must be at least 1")
    query = select(Change).order_by(Change.id.desc()).limit(limit)
    if actor:
        query = query.where(Change.actor == actor)
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
                )
            )
        )
    return [
        {
            "id": change.id,
            "at": change.at.isoformat(timespec="seconds"),
            "actor": change.actor,
            "action": change.action,
            "record": change.label,
            "before": change.before,
            "after": change.after,
        }
        for change in session.scalars(query)
    ]
