"""Original files and extraction decisions.

Researchers import saved web pages, PDFs and Word files: their original bytes are kept (source_files) so
the record can be re-verified against what was retrieved, with the page offsets a PDF's locators need.
extraction_decisions remembers what a review of `claimtrack extract` accepted or skipped, so it can resume.
Both are new tables: existing rows are untouched.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 08:59:59.866498
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extraction_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_extraction_decisions_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_extraction_decisions_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_decisions")),
        sa.UniqueConstraint("source_id", "kind", "start", "end", name="uq_extraction_decisions_candidate"),
    )
    with op.batch_alter_table("extraction_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extraction_decisions_source_id"), ["source_id"], unique=False)

    op.create_table(
        "source_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("retrieved_at", sa.DateTime(), nullable=True),
        sa.Column("pages", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_files_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_files")),
        sa.UniqueConstraint("source_id", name=op.f("uq_source_files_source_id")),
    )


def downgrade() -> None:
    op.drop_table("source_files")
    with op.batch_alter_table("extraction_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extraction_decisions_source_id"))

    op.drop_table("extraction_decisions")
