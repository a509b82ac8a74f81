"""Browsable views, and the last independence check of each claim.

Researchers hand the database file over and open it in Datasette or a SQLite browser, where ids and joins
read poorly. Two views with plain column names (claim_overview, appearance_overview) show claims and their
appearances on their own. claim_overview shows each claim's independent-origin count "as last computed", so
`claimtrack check` now stores what it computed in a new table, claim_checks: derived data, one row per
checked claim, gone with its claim (ON DELETE CASCADE). Existing rows are untouched; every claim reads as
never checked until the next check.

The views are made by claimtrack.views.create, outside the ORM models (env.py keeps Alembic's comparison off
them). A later migration that rebuilds or alters a table they read — claims, entities, appearances, sources,
claim_checks — must call claimtrack.views.drop() first and claimtrack.views.create() after: SQLite batch mode
cannot rename its rebuilt table into place while a view names it, and PostgreSQL refuses to drop or retype
what a view depends on.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from claimtrack import views

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table needs no batch mode: nothing is altered.
    op.create_table(
        "claim_checks",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("independent_origins", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("lacking", sa.Boolean(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_checks_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_checks")),
    )
    views.create(op.get_bind(), views.VIEWS_0004)


def downgrade() -> None:
    # The views read claim_checks: they go first.
    views.drop(op.get_bind())
    op.drop_table("claim_checks")
