"""An index in the order claims are listed, so the first page of a listing needs no sort.

`claim list` orders claims by the date of the event (else of the saying), undated last, then as logged. With
a million claims, sorting all of them for a page of twenty took seconds; this expression index holds that
order (the same expressions as claimtrack.models.claim_date_order), so the first rows come straight off it.
SQLite and PostgreSQL both index expressions; no table is rebuilt, so the views need no drop and recreate.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DATE = "coalesce(event_earliest, said_earliest)"


def upgrade() -> None:
    op.create_index(
        "ix_claims_date_order", "claims", [sa.text(f"({DATE} IS NULL)"), sa.text(DATE), sa.text("id")]
    )


def downgrade() -> None:
    op.drop_index("ix_claims_date_order", table_name="claims")
