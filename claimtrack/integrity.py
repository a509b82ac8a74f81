"""``claimtrack log verify``: the history's chain recomputed, and the stored texts and original files checked
against their hashes and against the hashes the history recorded for them.

A text altered in the database together with its hash (``UPDATE sources SET text = …, sha256 = …``) still
hashes to its stored hash; what gives it away is the history, which recorded the hash the text had when it
was stored or last corrected through claimtrack. Rewriting that record in turn breaks the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from .chain import CONTENT, GENESIS, ChainCheck, row_hash
from .models import Change, ImportedChange, Source, SourceFile
from .records import (
    ChainBreak,
    ImportedChangeRow,
    ImportedHistory,
    LedgerCheckRecord,
    PinnedHead,
    SourceProblem,
)
from .sources import sha256_text

PAGE = 5_000


@dataclass
class LedgerCheck:
    """What ``log verify`` found: the chain's length and head, its first break, each imported history's state,
    and every source whose text or file is not what was stored."""

    changes: int
    head: str
    first_break: ChainBreak | None
    imported: list[ImportedHistory] = field(default_factory=list)
    sources: list[SourceProblem] = field(default_factory=list)
    sources_checked: int = 0
    # A head published earlier (in a report, an export) that the history must still run through: its hash,
    # and the change that has it (None when no change has).
    pinned: PinnedHead | None = None

    @property
    def holds(self) -> bool:
        return (
            self.first_break is None
            and (self.pinned is None or self.pinned["change"] is not None)
            and all(item["holds"] for item in self.imported)
            and not self.sources
        )

    def record(self) -> LedgerCheckRecord:
        return {
            "holds": self.holds,
            "changes": self.changes,
            "head": self.head,
            "first_break": self.first_break,
            "imported": self.imported,
            "sources_checked": self.sources_checked,
            "sources": self.sources,
            "pinned": self.pinned,
        }


def _pages(connection: Connection, table: Any, order: Any) -> Iterator[dict[str, Any]]:
    """Every row of a history table in ``order`` (unique), a page at a time (a history may be millions)."""
    last: Any = None
    while True:
        query = select(table).order_by(order).limit(PAGE)
        if last is not None:
            query = query.where(order > last)
        rows = [dict(row) for row in connection.execute(query).mappings()]
        if not rows:
            return
        yield from rows
        last = rows[-1][order.key]


def verify_ledger(session: Session, pinned: str | None = None) -> LedgerCheck:
    """Recompute the history's chain and check every source's stored text and original file; with ``pinned``
    (a head published earlier), check that the history still runs through it."""
    from .errors import InvalidInput

    if pinned is not None:
        pinned = pinned.strip().lower()
        if len(pinned) != 64 or any(char not in "0123456789abcdef" for char in pinned):
            raise InvalidInput(
                "--head takes a head as reports, exports and `log verify` give it: 64 hex digits"
            )
    pinned_at: int | None = None
    connection = session.connection()
    changes = Change.__table__
    check = ChainCheck()
    # The hashes the history last recorded for each source's text and file (by id), and those a merge pinned
    # for the sources it brought in (by key).
    texts: dict[str, Any] = {}
    files: dict[str, Any] = {}
    merged_texts: dict[str, Any] = {}
    merged_files: dict[str, Any] = {}
    # The local changes an imported history carries on from (a copy of this ledger that went on apart).
    imported = ImportedChange.__table__
    wanted: set[str] = set(connection.execute(select(imported.c.previous).distinct()).scalars())
    local: set[str] = set()
    for row in _pages(connection, changes, changes.c.id):
        check.add(row)
        if row["hash"] in wanted:
            local.add(row["hash"])
        if row["hash"] == pinned:
            pinned_at = row["id"]
        after = row["after"] or {}
        if row["table_name"] == "sources" and "sha256" in after:
            texts[row["record_id"]] = after["sha256"]
        elif row["table_name"] == "source_files" and "sha256" in after:
            files[row["record_id"]] = after["sha256"]
        elif row["action"] == "import":
            merged_texts.update(after.get("sources") or {})
            merged_files.update(after.get("source_files") or {})
    found = LedgerCheck(
        changes=check.count,
        head=check.head,
        first_break=None if check.first_break is None else check.first_break.record(),
    )
    if pinned is not None:
        found.pinned = {"head": pinned, "change": pinned_at}
    found.imported = _imported(connection, local)
    found.sources_checked, found.sources = _sources(session, texts, files, merged_texts, merged_files)
    return found


def _imported(connection: Connection, local: set[str]) -> list[ImportedHistory]:
    """Each imported history, by origin: every row still hashes to its hash and links to a row of that
    history, or starts it, or carries on from a local change (a copy of this ledger that went on apart)."""
    imported = ImportedChange.__table__
    histories: dict[str, ImportedHistory] = {}
    hashes: dict[str, set[str]] = {}
    pending: list[dict[str, Any]] = []
    for row in _pages(connection, imported, imported.c.id):
        history = histories.setdefault(
            row["origin"], {"origin": row["origin"], "changes": 0, "holds": True, "problem": None}
        )
        history["changes"] += 1
        hashes.setdefault(row["origin"], set()).add(row["hash"])
        if history["holds"] and row_hash({name: row[name] for name in CONTENT}) != row["hash"]:
            history.update({"holds": False, "problem": f"its change {row['position']:,} was edited"})
        pending.append({"origin": row["origin"], "position": row["position"], "previous": row["previous"]})
    for row in pending:
        history = histories[row["origin"]]
        linked = row["previous"] in hashes[row["origin"]] or row["previous"] in local
        if history["holds"] and row["previous"] != GENESIS and not linked:
            history.update(
                {"holds": False, "problem": f"its change {row['position']:,} links to no change of it"}
            )
    return list(histories.values())


def _sources(
    session: Session,
    texts: dict[str, Any],
    files: dict[str, Any],
    merged_texts: dict[str, Any],
    merged_files: dict[str, Any],
) -> tuple[int, list[SourceProblem]]:
    problems: list[SourceProblem] = []
    count = 0
    query = select(Source.id, Source.key, Source.text, Source.sha256).order_by(Source.id)
    for source_id, key, text, stored in session.execute(query):
        count += 1
        said: list[str] = []
        if text is not None and sha256_text(text) != stored:
            said.append(
                f"its text hashes to {sha256_text(text)[:12]}…, not its stored hash {str(stored)[:12]}…"
            )
        recorded = texts.get(str(source_id), merged_texts.get(key))
        if stored != recorded:
            said.append(
                f"its stored text hash {str(stored)[:12]}… is not the one the history recorded "
                f"({str(recorded)[:12]}…)"
            )
        if said:
            problems.append({"source": key, "what": "text", "problem": "; ".join(said)})
    query_files = (
        select(SourceFile.id, Source.key, SourceFile.content, SourceFile.sha256)
        .join(Source, Source.id == SourceFile.source_id)
        .order_by(SourceFile.id)
    )
    for file_id, key, content, stored in session.execute(query_files):
        said = []
        digest = hashlib.sha256(content).hexdigest()
        if digest != stored:
            said.append(f"the original file hashes to {digest[:12]}…, not its stored hash {stored[:12]}…")
        recorded = files.get(str(file_id), merged_files.get(key))
        if stored != recorded:
            said.append(
                f"its stored hash {stored[:12]}… is not the one the history recorded ({str(recorded)[:12]}…)"
            )
        if said:
            problems.append({"source": key, "what": "original file", "problem": "; ".join(said)})
    return count, problems


def list_imported(session: Session, *, limit: int = 50) -> list[ImportedChangeRow]:
    """The imported histories' rows, newest first, each labelled with the ledger it came from and the local
    change that merged it. Records are named as the other ledger named them (its ids are not ours)."""
    from .errors import InvalidInput

    if limit < 1:
        raise InvalidInput("--limit must be at least 1")
    rows = session.scalars(select(ImportedChange).order_by(ImportedChange.id.desc()).limit(limit))
    return [
        {
            "at": row.at.isoformat(timespec="seconds"),
            "actor": row.actor,
            "display_name": row.display_name,
            "action": row.action,
            "record": row.label,
            "reason": row.reason,
            "origin": row.origin,
            "position": row.position,
            "imported_by": row.imported_by,
        }
        for row in rows
    ]
