"""Evidence integrity: a hash-chained, append-only history; who really made each change; imported history
kept apart.

Ledgers are handed to editors, lawyers and courts, so the history must show any rewriting:

- changes.previous and changes.hash: each row carries the SHA-256 of its content and of the row before it
  (claimtrack.chain). The chain of an existing database is built here, over its rows in id order, before
  the triggers below exist (the backfill is the one UPDATE the history ever gets). previous is unique: two
  writers can never both extend the same head.
- changes.display_name: the actor is now who the system says (the PostgreSQL role, the operating-system
  account), and what the researcher calls themselves (CLAIMTRACK_USER) is kept beside it. Rows made before
  this revision keep their actor as it was written, with no display name.
- imported_changes: the history rows of a merged export, kept as that ledger's history with its origin, never
  among the local changes.
- Triggers refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) on both history tables. A later migration
  that rebuilds either table on SQLite (batch mode) must make them again: claimtrack.history.protect().

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from claimtrack import chain, history

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 5_000


def _build_chain(bind: sa.Connection) -> None:
    changes = sa.table(
        "changes",
        *(sa.column(name) for name in ("id", *chain.CONTENT, "hash")),
    )
    changes.c.at.type = sa.DateTime()
    changes.c.before.type = sa.JSON()
    changes.c.after.type = sa.JSON()
    head = chain.GENESIS
    last = 0
    update = (
        sa.update(changes)
        .where(changes.c.id == sa.bindparam("row_id"))
        .values(previous=sa.bindparam("new_previous"), hash=sa.bindparam("new_hash"))
    )
    while True:
        rows = [
            dict(row)
            for row in bind.execute(
                sa.select(changes).where(changes.c.id > last).order_by(changes.c.id).limit(BATCH)
            ).mappings()
        ]
        if not rows:
            return
        head = chain.link(rows, head)
        bind.execute(
            update,
            [{"row_id": row["id"], "new_previous": row["previous"], "new_hash": row["hash"]} for row in rows],
        )
        last = rows[-1]["id"]


def upgrade() -> None:
    op.add_column("changes", sa.Column("display_name", sa.String(length=100), nullable=True))
    op.add_column("changes", sa.Column("previous", sa.String(length=64), nullable=True))
    op.add_column("changes", sa.Column("hash", sa.String(length=64), nullable=True))
    _build_chain(op.get_bind())
    with op.batch_alter_table("changes") as batch:
        batch.alter_column("previous", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    op.create_index("ix_changes_previous", "changes", ["previous"], unique=True)
    op.create_table(
        "imported_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("entry", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("previous", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["changes.id"], name=op.f("fk_imported_changes_imported_by_changes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_changes")),
        sa.UniqueConstraint("origin", "hash", name="uq_imported_changes_origin_hash"),
    )
    op.create_index(op.f("ix_imported_changes_imported_by"), "imported_changes", ["imported_by"])
    history.protect(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    history.unprotect(bind)
    op.drop_index(op.f("ix_imported_changes_imported_by"), table_name="imported_changes")
    op.drop_table("imported_changes")
    op.drop_index("ix_changes_previous", table_name="changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("hash")
        batch.drop_column("previous")
        batch.drop_column("display_name")
