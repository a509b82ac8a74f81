"""The history's hash chain: each change row carries the SHA-256 of its content and of the row before it.

A row's ``hash`` is the SHA-256 of its canonical content (:func:`canonical`), which includes ``previous``, the
hash of the row before it (:data:`GENESIS` for the first). Altering, removing or inserting any row then breaks
every hash after it, and :func:`verify_rows` names the first row where the chain no longer holds.

What this proves and what it does not: a chain that verifies was not edited *in place*. Whoever holds the
file can still rebuild a whole new chain from scratch; what pins a ledger is its head (the last row's hash)
published somewhere the holder does not control — a report, an export, an e-mail to an editor.

The canonical form must never change: every stored chain depends on it (migration 0009 imports it to build the
chain of databases made before it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import ChainBreak

GENESIS = "0" * 64

# The columns a row's hash covers, in the canonical form's key order (json sorts them anyway). The row's id is
# not among them: the chain itself orders the rows, and a row keeps its hash when a merge or a copy renumbers it.
CONTENT = (
    "at",
    "actor",
    "display_name",
    "action",
    "table_name",
    "record_id",
    "label",
    "before",
    "after",
    "entry",
    "reason",
    "previous",
)


def canonical(row: Mapping[str, Any]) -> bytes:
    """A change row's content as the bytes its hash is taken of: compact JSON, keys sorted, UTF-8."""
    content = {}
    for name in CONTENT:
        value = row.get(name)
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        content[name] = value
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


def row_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def link(rows: Iterable[dict[str, Any]], previous: str) -> str:
    """Give each row (in order) its ``previous`` and ``hash``, following on from ``previous``; the new head."""
    for row in rows:
        row["previous"] = previous
        row["hash"] = previous = row_hash(row)
    return previous


@dataclass
class Break:
    """Where a chain stops holding: the row (its position in the chain, its id) and what is wrong with it."""

    position: int
    id: Any
    problem: str

    def record(self) -> ChainBreak:
        return {"position": self.position, "id": self.id, "problem": self.problem}


class ChainCheck:
    """Feeds a chain's rows in order and finds its first break: a row whose content no longer gives its hash,
    or whose ``previous`` is not the hash of the row before it."""

    def __init__(self) -> None:
        self.count = 0
        self.head = GENESIS
        self.first_break: Break | None = None

    def add(self, row: Mapping[str, Any]) -> None:
        self.count += 1
        if self.first_break is not None:
            return
        rowid = row.get("id")
        if row.get("previous") != self.head:
            problem = (
                "its link to the change before it is broken (a change was removed, inserted or reordered "
                "before it)"
                if self.count > 1
                else "it is not the start of a chain (changes before it were removed)"
            )
            self.first_break = Break(self.count, rowid, problem)
        elif row_hash(row) != row.get("hash"):
            self.first_break = Break(self.count, rowid, "its content does not match its hash (it was edited)")
        self.head = str(row.get("hash"))

    @property
    def holds(self) -> bool:
        return self.first_break is None
