"""Full-text search index over claims, passages and sources.

Researchers search their ledger by words and phrases. SQLite gets an FTS5 table, PostgreSQL a table with a
generated tsvector and a GIN index; triggers keep either in step with claims, appearances and sources, so rows
written by any path (bulk imports included) are found. The index is built from the rows already there.

The index lives outside the ORM models (its shape differs by database; env.py keeps Alembic's comparison off
it). A later migration that rebuilds claims, appearances or sources in SQLite batch mode drops their triggers
and must call claimtrack.search.create() again.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from claimtrack import search

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.create(op.get_bind())


def downgrade() -> None:
    search.drop(op.get_bind())
