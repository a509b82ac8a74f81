"""The claim ledger: entities and their ties, sources and their links, claims, appearances, relations,
status history and the change log.

The first schema. Every table gets named constraints (models.NAMING_CONVENTION) so that later batch
migrations on SQLite can find them by name.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 07:50:43.351201
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_at"), ["at"], unique=False)
        batch_op.create_index("ix_changes_record", ["table_name", "record_id"], unique=False)

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("reliability", sa.String(length=1), nullable=True),
        sa.Column("reliability_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("normalized", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
        sa.UniqueConstraint("normalized", name=op.f("uq_measures_normalized")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=False),
        sa.Column("said_edtf", sa.String(length=60), nullable=True),
        sa.Column("said_earliest", sa.Date(), nullable=True),
        sa.Column("said_latest", sa.Date(), nullable=True),
        sa.Column("event_edtf", sa.String(length=60), nullable=True),
        sa.Column("event_earliest", sa.Date(), nullable=True),
        sa.Column("event_latest", sa.Date(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("quote_language", sa.String(length=35), nullable=True),
        sa.Column("quote_translation", sa.Text(), nullable=True),
        sa.Column("figure_value", sa.Float(), nullable=True),
        sa.Column("figure_low", sa.Float(), nullable=True),
        sa.Column("figure_high", sa.Float(), nullable=True),
        sa.Column("figure_unit", sa.String(length=50), nullable=True),
        sa.Column("figure_counted", sa.String(length=200), nullable=True),
        sa.Column("figure_qualifier", sa.String(length=40), nullable=True),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claimant_id"],
            ["entities.id"],
            name=op.f("fk_claims_claimant_id_entities"),
        ),
        sa.ForeignKeyConstraint(["measure_id"], ["measures.id"], name=op.f("fk_claims_measure_id_measures")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("key", name=op.f("uq_claims_key")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_claimant_id"), ["claimant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_event_earliest"), ["event_earliest"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_measure_id"), ["measure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_said_earliest"), ["said_earliest"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_status"), ["status"], unique=False)

    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("normalized", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_aliases_entity_id_entities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_aliases")),
        sa.UniqueConstraint("normalized", name=op.f("uq_entity_aliases_normalized")),
    )
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_aliases_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("published_edtf", sa.String(length=60), nullable=True),
        sa.Column("published_earliest", sa.Date(), nullable=True),
        sa.Column("published_latest", sa.Date(), nullable=True),
        sa.Column("accessed_edtf", sa.String(length=60), nullable=True),
        sa.Column("accessed_earliest", sa.Date(), nullable=True),
        sa.Column("accessed_latest", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["entities.id"],
            name=op.f("fk_sources_publisher_id_entities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_sources_key")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_publisher_id"), ["publisher_id"], unique=False)

    op.create_table(
        "affiliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("since_edtf", sa.String(length=60), nullable=True),
        sa.Column("since_earliest", sa.Date(), nullable=True),
        sa.Column("since_latest", sa.Date(), nullable=True),
        sa.Column("until_edtf", sa.String(length=60), nullable=True),
        sa.Column("until_earliest", sa.Date(), nullable=True),
        sa.Column("until_latest", sa.Date(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_affiliations_entity_id_entities"),
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["entities.id"],
            name=op.f("fk_affiliations_other_id_entities"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_affiliations_source_id_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_affiliations")),
    )
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_affiliations_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_affiliations_other_id"), ["other_id"], unique=False)

    op.create_table(
        "appearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("passage", sa.Text(), nullable=True),
        sa.Column("locator", sa.String(length=200), nullable=True),
        sa.Column("anchor_start", sa.Integer(), nullable=True),
        sa.Column("anchor_end", sa.Integer(), nullable=True),
        sa.Column("anchor_prefix", sa.Text(), nullable=True),
        sa.Column("anchor_suffix", sa.Text(), nullable=True),
        sa.Column("anchor_status", sa.String(length=20), nullable=True),
        sa.Column("anchor_sha256", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_appearances_claim_id_claims")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_appearances_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appearances")),
    )
    with op.batch_alter_table("appearances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appearances_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index("ix_appearances_source_claim", ["source_id", "claim_id"], unique=False)

    op.create_table(
        "claim_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_relations_claim_id_claims")),
        sa.ForeignKeyConstraint(["other_id"], ["claims.id"], name=op.f("fk_claim_relations_other_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_relations")),
        sa.UniqueConstraint("claim_id", "other_id", "kind", name="uq_claim_relations_link"),
    )
    with op.batch_alter_table("claim_relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_relations_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_relations_other_id"), ["other_id"], unique=False)

    op.create_table(
        "claim_subjects",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_subjects_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_claim_subjects_entity_id_entities"),
        ),
        sa.PrimaryKeyConstraint("claim_id", "entity_id", name=op.f("pk_claim_subjects")),
    )
    with op.batch_alter_table("claim_subjects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_subjects_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "claim_tags",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_tags_claim_id_claims")),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=op.f("fk_claim_tags_tag_id_tags")),
        sa.PrimaryKeyConstraint("claim_id", "tag_id", name=op.f("pk_claim_tags")),
    )
    with op.batch_alter_table("claim_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "source_authors",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_source_authors_entity_id_entities"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_authors_source_id_sources"),
        ),
        sa.PrimaryKeyConstraint("source_id", "entity_id", name=op.f("pk_source_authors")),
    )
    with op.batch_alter_table("source_authors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_authors_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "source_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["other_id"], ["sources.id"], name=op.f("fk_source_links_other_id_sources")),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_links_source_id_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_links")),
        sa.UniqueConstraint("source_id", "other_id", "kind", name="uq_source_links_link"),
    )
    with op.batch_alter_table("source_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_links_other_id"), ["other_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_source_links_source_id"), ["source_id"], unique=False)

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=20), nullable=True),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_status_changes_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_changes_claim_id"), ["claim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_claim_id"))

    op.drop_table("status_changes")
    with op.batch_alter_table("source_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_links_source_id"))
        batch_op.drop_index(batch_op.f("ix_source_links_other_id"))

    op.drop_table("source_links")
    with op.batch_alter_table("source_authors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_authors_entity_id"))

    op.drop_table("source_authors")
    with op.batch_alter_table("claim_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_tags_tag_id"))

    op.drop_table("claim_tags")
    with op.batch_alter_table("claim_subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_subjects_entity_id"))

    op.drop_table("claim_subjects")
    with op.batch_alter_table("claim_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_relations_other_id"))
        batch_op.drop_index(batch_op.f("ix_claim_relations_claim_id"))

    op.drop_table("claim_relations")
    with op.batch_alter_table("appearances", schema=None) as batch_op:
        batch_op.drop_index("ix_appearances_source_claim")
        batch_op.drop_index(batch_op.f("ix_appearances_claim_id"))

    op.drop_table("appearances")
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_affiliations_other_id"))
        batch_op.drop_index(batch_op.f("ix_affiliations_entity_id"))

    op.drop_table("affiliations")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_publisher_id"))

    op.drop_table("sources")
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_aliases_entity_id"))

    op.drop_table("entity_aliases")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_status"))
        batch_op.drop_index(batch_op.f("ix_claims_said_earliest"))
        batch_op.drop_index(batch_op.f("ix_claims_measure_id"))
        batch_op.drop_index(batch_op.f("ix_claims_kind"))
        batch_op.drop_index(batch_op.f("ix_claims_event_earliest"))
        batch_op.drop_index(batch_op.f("ix_claims_claimant_id"))

    op.drop_table("claims")
    op.drop_table("tags")
    op.drop_table("settings")
    op.drop_table("measures")
    op.drop_table("entities")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index("ix_changes_record")
        batch_op.drop_index(batch_op.f("ix_changes_at"))

    op.drop_table("changes")
