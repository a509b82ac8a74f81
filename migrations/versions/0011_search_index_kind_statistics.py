"""Statistics on the kind of each search index row, so that PostgreSQL plans searches for what the index holds.

A row of the search index is a claim, a passage or a source: its id is the record's id x 4 + the kind
(claimtrack.search). A search reads one kind at a time (the newest claims, then passages, then sources) and a
filter keeps claims and passages only. Without statistics on ``id % 4`` PostgreSQL takes each kind for 1 in
200 rows; with a million claims it then fetched and sorted every match of a common word to find the newest
twenty of a kind (0.2 to 0.6 s) instead of reading the index's key backwards until it had them (under a
millisecond). PostgreSQL only: SQLite's FTS5 index has no such planner choice, and nothing changes there.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from claimtrack import search

        search.create_statistics(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS search_index_kind")
