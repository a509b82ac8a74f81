"""Provenance per appearance: where each appearance took its claim from, and the copies claimtrack finds.

Independence used to be decided by source-level links: `source link A B --cites` joined A and B into one origin
for every claim both carry, in either direction. That merged three outlets with a wire for a minister's figure
each reported on its own account, and let an outlet tied to a claimant make an independent report the
claimant's by citing it. The rule is now per appearance and directed (DESIGN.md, "Independence"):

- appearances.via_source_id: the source this appearance took the claim from. Existing `cites` and
  `derived-from` links become vias on the appearances of the claims that both linked sources carry (what such
  a link most likely meant): A's backing appearances of those claims get via B, unless they have one. The
  links themselves are kept, as notes about the documents; `republishes` and `translates` keep their
  whole-document meaning. The number converted is left in the Alembic config's attributes
  ("vias_converted") for `claimtrack db upgrade` to report.
- source_fingerprints: sampled word-shingle hashes of each source's text, looked up when a source is added to
  find earlier sources whose text it repeats (filled for new sources; `claimtrack source similar` fills them
  for the sources already stored).
- source_copies: the pairs found, with their overlap and their shared runs of words.

appearances is rebuilt in SQLite batch mode, so the browsable views and the search triggers are dropped
before and made again after (see 0004).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from claimtrack import search, views

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BACKING = ("asserts", "reports", "supports")


def upgrade() -> None:
    bind = op.get_bind()
    views.drop(bind)
    search.drop_triggers(bind)
    with op.batch_alter_table("appearances") as batch:
        batch.add_column(sa.Column("via_source_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_appearances_via_source_id"), ["via_source_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_appearances_via_source_id_sources"), "sources", ["via_source_id"], ["id"]
        )
    op.create_table(
        "source_fingerprints",
        sa.Column("hash", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_fingerprints_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("hash", "source_id", name=op.f("pk_source_fingerprints")),
    )  # fmt: skip
    op.create_index(op.f("ix_source_fingerprints_source_id"), "source_fingerprints", ["source_id"])
    op.create_table(
        "source_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("overlap", sa.Float(), nullable=False),
        sa.Column("runs", sa.JSON(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["other_id"], ["sources.id"], name=op.f("fk_source_copies_other_id_sources"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_copies_source_id_sources"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_copies")),
        sa.UniqueConstraint("source_id", "other_id", name=op.f("uq_source_copies_pair")),
    )
    op.create_index(op.f("ix_source_copies_source_id"), "source_copies", ["source_id"])
    op.create_index(op.f("ix_source_copies_other_id"), "source_copies", ["other_id"])

    # Source-level cites / derived-from links become vias on the appearances of the claims both sources carry.
    stances = ", ".join(f"'{stance}'" for stance in BACKING)
    converted = bind.execute(
        sa.text(
            "UPDATE appearances SET via_source_id = ("
            "  SELECT min(l.other_id) FROM source_links AS l"
            "  JOIN appearances AS o ON o.source_id = l.other_id AND o.claim_id = appearances.claim_id"
            "  WHERE l.source_id = appearances.source_id AND l.kind IN ('cites', 'derived-from')"
            ") "
            f"WHERE via_source_id IS NULL AND stance IN ({stances}) AND EXISTS ("
            "  SELECT 1 FROM source_links AS l"
            "  JOIN appearances AS o ON o.source_id = l.other_id AND o.claim_id = appearances.claim_id"
            "  WHERE l.source_id = appearances.source_id AND l.kind IN ('cites', 'derived-from'))"
        )
    ).rowcount
    context.config.attributes["vias_converted"] = max(converted or 0, 0)
    views.create(bind, views.VIEWS_0004)
    search.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    views.drop(bind)
    search.drop_triggers(bind)
    op.drop_table("source_copies")
    op.drop_table("source_fingerprints")
    with op.batch_alter_table("appearances") as batch:
        batch.drop_constraint(batch.f("fk_appearances_via_source_id_sources"), type_="foreignkey")
        batch.drop_index(batch.f("ix_appearances_via_source_id"))
        batch.drop_column("via_source_id")
    op.execute("DELETE FROM source_links WHERE kind = 'distinct'")
    views.create(bind, views.VIEWS_0004)
    search.create(bind)
