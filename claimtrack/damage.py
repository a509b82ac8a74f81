"""Damage in a SQLite ledger's values, where SQLite's own checks see none.

A byte changed inside a stored value (a disk fault, a torn copy) leaves the page sound: ``PRAGMA quick_check``
and ``foreign_key_check`` pass, and the value then fails where claimtrack reads it — a history row's JSON that
no longer parses, a timestamp that is no longer one, text that is no longer UTF-8, a kind that no vocabulary
holds. When a command fails in a way claimtrack does not expect, :func:`value_damage` reads the file row by
row, as bytes, and names the first such value (table, row, column, what is wrong with it); when every value
reads back, the history's hash chain and the stored texts' hashes are recomputed, which catch a change that
still decodes (a digit of a hash, a word of a JSON document).

This runs only after a failure, on the raw file (``sqlite3``, read-only), never on the way to an answer.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from . import vocab

# Columns that hold a vocabulary's values (models.py stores them as plain strings, checked on the way in).
VOCABULARIES: dict[tuple[str, str], tuple[type[Any], str]] = {
    ("entities", "kind"): (vocab.EntityKind, "entity kind"),
    ("entities", "reliability"): (vocab.Grade, "reliability grade"),
    ("affiliations", "kind"): (vocab.AffiliationKind, "kind of tie"),
    ("sources", "kind"): (vocab.SourceKind, "source kind"),
    ("source_links", "kind"): (vocab.SourceLinkKind, "kind of source link"),
    ("claims", "kind"): (vocab.ClaimKind, "claim kind"),
    ("claims", "status"): (vocab.Status, "status"),
    ("appearances", "stance"): (vocab.Stance, "stance"),
    ("claim_relations", "kind"): (vocab.RelationKind, "kind of relation"),
    ("status_changes", "old_status"): (vocab.Status, "status"),
    ("status_changes", "new_status"): (vocab.Status, "status"),
}


_SHOWN = {"number": "a number", "bytes": "bytes (a file's)", "text": "text"}


class _Text(bytes):
    """A TEXT value as SQLite stored it (bytes), told apart from a BLOB."""


def _row_name(table: str, row_id: Any) -> str:
    if table == "changes":
        return f"the history's change {row_id}"
    if table == "imported_changes":
        return f"imported change {row_id} (row id)"
    return f"{table} row {row_id}"


def _shown(text: str) -> str:
    """A short, printable quotation of a stored value (it may hold anything)."""
    return ascii(text if len(text) <= 24 else text[:23] + "…")


class _Column:
    """How one column's stored values must read back: their SQLite storage class, and SQLAlchemy's own result
    processor for the column's type (the one a query applies: JSON, dates and times, booleans)."""

    def __init__(self, table: str, column: Any, dialect: Any) -> None:
        from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary

        self.name = column.name
        self.nullable = column.nullable and not column.primary_key
        kind = column.type
        # The storage class its values have: "number", "bytes" or "text" (JSON, dates and times are text).
        self.stored = (
            "number"
            if isinstance(kind, Integer | Float | Boolean)
            else "bytes"
            if isinstance(kind, LargeBinary)
            else "text"
        )
        self.number = (
            (bool,) if isinstance(kind, Boolean) else (int,) if isinstance(kind, Integer) else (int, float)
        )
        self.reads_as = (
            "JSON" if isinstance(kind, JSON)
            else "a date and time" if isinstance(kind, DateTime)
            else "a date" if isinstance(kind, Date)
            else None
        )  # fmt: skip
        self.process: Callable[[Any], Any] | None = kind.dialect_impl(dialect).result_processor(dialect, None)
        self.vocabulary = VOCABULARIES.get((table, column.name))

    def read(self, value: Any) -> tuple[Any, str | None]:
        """The value as claimtrack reads it, and what is wrong with it (None when it reads back)."""
        if value is None:
            return None, None if self.nullable else "is empty (NULL) where a value is required"
        if isinstance(value, _Text):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                return None, "is not UTF-8 text"
            if self.stored != "text":
                return None, f"is text where {_SHOWN[self.stored]} belongs"
        elif isinstance(value, bytes):
            if self.stored != "bytes":
                return None, f"is bytes where {_SHOWN[self.stored]} belongs"
        elif self.stored != "number":
            return None, f"is a number where {_SHOWN[self.stored]} belongs"
        elif self.number == (bool,):
            if value not in (0, 1):
                return None, f"is {value!r} where a yes or no (0 or 1) belongs"
        elif not isinstance(value, self.number):
            return None, f"is {value!r} where a whole number belongs"
        if self.process is not None:
            try:
                value = self.process(value)
            except (ValueError, TypeError, RecursionError):
                read = self.reads_as or "a value of its type"
                return None, f"does not parse as {read}" if read == "JSON" else f"is not {read}"
        if self.vocabulary is not None:
            kind, named = self.vocabulary
            if value not in {member.value for member in kind}:
                return None, f"{_shown(value)} is not a {named} claimtrack knows"
        return value, None


def _rows(
    connection: sqlite3.Connection, table: Any, columns: list[_Column]
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Each row of ``table`` in rowid order: (its id, its values as claimtrack reads them); a value that does not
    read back raises :class:`_Found` naming it."""
    names = ", ".join(f'"{column.name}"' for column in columns)
    keyed = "id" in table.c
    for raw in connection.execute(f'SELECT rowid, {names} FROM "{table.name}" ORDER BY rowid'):
        row_id = raw[1 + [column.name for column in columns].index("id")] if keyed else f"with rowid {raw[0]}"
        values: dict[str, Any] = {}
        for column, value in zip(columns, raw[1:], strict=True):
            values[column.name], problem = column.read(value)
            if problem is not None:
                raise _Found(f"{_row_name(table.name, row_id)}: its {column.name} value {problem}")
        yield row_id, values


class _Found(Exception):
    pass


def value_damage(connection: sqlite3.Connection) -> str | None:
    """The first stored value of the ledger at ``connection`` that no sound ledger holds, in words ("the
    history's change 12: its after does not parse as JSON"), or the first break of its history's chain, or a
    stored text or file that no longer matches its hash; None when every one holds. ``connection`` is a plain
    ``sqlite3`` connection; its text factory is changed (open one for this)."""
    from sqlalchemy.dialects import sqlite

    from .chain import CONTENT, ChainCheck, row_hash
    from .models import Base

    dialect = sqlite.dialect()
    connection.text_factory = _Text
    try:
        for table in Base.metadata.sorted_tables:
            columns = [_Column(table.name, column, dialect) for column in table.columns]
            chain = ChainCheck() if table.name == "changes" else None
            for row_id, values in _rows(connection, table, columns):
                if chain is not None:
                    chain.add(values)
                    if chain.first_break is not None:
                        broken = chain.first_break
                        return f"the history breaks at change {broken.position:,} (id {broken.id}): {broken.problem}"
                elif table.name == "imported_changes":
                    if row_hash({name: values[name] for name in CONTENT}) != values["hash"]:
                        return f"{_row_name(table.name, row_id)}: its content does not match its hash"
                elif table.name in ("sources", "source_files"):
                    stored = values.get("text") if table.name == "sources" else values.get("content")
                    if stored is not None:
                        data = stored.encode("utf-8") if isinstance(stored, str) else stored
                        if hashlib.sha256(data).hexdigest() != values["sha256"]:
                            what = "text" if table.name == "sources" else "original file"
                            return (
                                f"{_row_name(table.name, row_id)}: its {what} does not match its stored hash"
                            )
    except _Found as found:
        return str(found)
    return None
