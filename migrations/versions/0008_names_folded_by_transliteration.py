"""Names are folded to ASCII by transliteration: the stored lookup forms are computed again.

Names and aliases (entity_aliases.normalized) and measures (measures.normalized) are stored in the form that
lookups compare (claimtrack.text.names.normalise_name). It used to strip accents only, so letters with no accent
to strip stayed as they were: "Ayşe Yılmaz" was stored as "ayse yılmaz" and `entity show "Ayse Yilmaz"` did not
find her; the same for ł, ø, đ, æ, þ and the ʿ of romanised Arabic names. The forms now come from anyascii's
transliteration of Latin letters, and every stored form is computed again here, by a copy of the folding as it
was at this revision (_transliterated): a later change to normalise_name does not change what this migration
does (a later change is a migration of its own).

Both columns are unique. Where two names that were told apart now fold to one form ("Ayşe Yılmaz" and a
separate "Ayse Yilmaz"), the one that already had that form keeps it and the other keeps its old form: nothing
is merged or lost, a warning names both, and the researcher decides (`entity show`, `entity alias`).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, the column holding the name as written)
TABLES = (("entity_aliases", "alias"), ("measures", "name"))

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_JOINERS = re.compile(r"['’ʼ‘`´.]")


def _accents_only(name: str) -> str:
    """The folding before this revision (for the downgrade)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", _JOINERS.sub("", stripped)).split())


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A Latin letter (or a modifier letter such as the ʿ of "ʿAlī") as ASCII, by anyascii's tables."""
    if ch.isascii():
        return ch
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN ") or "\u02b0" <= ch <= "\u02ff":
        from anyascii import anyascii

        return anyascii(ch)
    return ch


def _transliterated(name: str) -> str:
    """The folding this revision brings in (normalise_name as it was then): Latin letters transliterated."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(_fold(ch) for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NOT_WORD.sub(" ", _JOINERS.sub("", stripped)).split())


def _refold(fold: Callable[[str], str]) -> None:
    connection = op.get_bind()
    for table, column in TABLES:
        rows = connection.execute(sa.text(f"SELECT id, {column}, normalized FROM {table} ORDER BY id")).all()
        current = {row.id: row.normalized for row in rows}
        wanted = {row.id: fold(row[1]) for row in rows}
        # Moves are made until none is left that can be: a form is free once the row holding it has moved on.
        pending = [row_id for row_id in current if wanted[row_id] != current[row_id]]
        while pending:
            taken = set(current.values())
            movable = [row_id for row_id in pending if wanted[row_id] not in taken]
            if not movable:
                break
            for row_id in movable:
                if wanted[row_id] in set(current.values()):
                    continue  # two rows want one form: the first to move gets it
                connection.execute(
                    sa.text(f"UPDATE {table} SET normalized = :normalized WHERE id = :id"),
                    {"normalized": wanted[row_id], "id": row_id},
                )
                current[row_id] = wanted[row_id]
            pending = [row_id for row_id in pending if current[row_id] != wanted[row_id]]
        names = {row.id: row[1] for row in rows}
        holder = {form: row_id for row_id, form in current.items()}
        for row_id in pending:
            other = names[holder[wanted[row_id]]] if wanted[row_id] in holder else None
            sys.stderr.write(
                f"warning: {table}: {names[row_id]!r} now reads the same as {other!r}; it keeps its old lookup "
                f"form {current[row_id]!r}\n"
            )


def upgrade() -> None:
    _refold(_transliterated)


def downgrade() -> None:
    _refold(_accents_only)
