"""Correcting the record: reasons and entries in the history, withdrawn appearances, unnamed sources' counts.

Researchers fix their records all day (a typo, a wrong date, a duplicate entity), and must still show their
work. Three additions, all nullable columns, so every existing row reads as before:

- changes.reason and changes.entry: an edit or a merge is one history entry (one transaction) made of many
  rows; every row of it carries the entry's id (a random hex string, so that merged exports keep it) and the
  reason the researcher gave.
- appearances.withdrawn_at and withdrawn_reason: an appearance logged in error is withdrawn, not deleted: it
  is kept and shown as withdrawn, and counts in no verdict.
- entities.headcount: an unnamed claimant ("three interior ministry officials") may say how many it is.

Plain ADD COLUMN on both databases: no table is rebuilt, so the search index's triggers and the views stay.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from claimtrack import search, views

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("changes", sa.Column("reason", sa.Text(), nullable=True))
    op.add_column("changes", sa.Column("entry", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_changes_entry"), "changes", ["entry"])
    op.add_column("appearances", sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    op.add_column("appearances", sa.Column("withdrawn_reason", sa.Text(), nullable=True))
    op.add_column("entities", sa.Column("headcount", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Dropping a column rebuilds the table on SQLite (batch mode): the views that read entities and appearances
    # go first and come back after, and the search index's triggers on appearances are made again.
    bind = op.get_bind()
    views.drop(bind)
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("headcount")
    with op.batch_alter_table("appearances") as batch:
        batch.drop_column("withdrawn_reason")
        batch.drop_column("withdrawn_at")
    op.drop_index(op.f("ix_changes_entry"), table_name="changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("entry")
        batch.drop_column("reason")
    views.create(bind, views.VIEWS_0004)
    search.create(bind)
