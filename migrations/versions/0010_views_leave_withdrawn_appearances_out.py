"""The browsable views leave withdrawn appearances out of their counts, and show which are withdrawn.

A withdrawn appearance (migration 0007: logged in error, kept with its reason) counts in no verdict, yet
claim_overview counted it among a claim's appearances and distinct sources, so Datasette showed more backing
than `claimtrack claim show` and `check` do; and appearance_overview did not say which appearances are
withdrawn. Now claim_overview counts the appearances that stand, with a separate count of withdrawn ones
(``withdrawn``), and appearance_overview has ``withdrawn_at`` and ``withdrawn_reason``.

No table changes: the views are dropped and made again, from the SQL as it is at this revision, frozen here
(CLAIM_OVERVIEW, APPEARANCE_OVERVIEW) so that a later edit of claimtrack/views.py does not change what this
migration makes (a later change is a migration of its own). The downgrade makes the views as 0004 made them
(claimtrack.views.VIEWS_0004).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

from claimtrack import views

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CLAIM_OVERVIEW = """
SELECT
    claims.id AS id,
    claims.key AS key,
    claims.kind AS kind,
    claims.text AS text,
    claimant.name AS claimant,
    claims.status AS status,
    claims.said_edtf AS said_on,
    claims.event_edtf AS event_date,
    (SELECT COUNT(*) FROM appearances
        WHERE appearances.claim_id = claims.id AND appearances.withdrawn_at IS NULL) AS appearances,
    (SELECT COUNT(DISTINCT appearances.source_id) FROM appearances
        WHERE appearances.claim_id = claims.id AND appearances.withdrawn_at IS NULL) AS sources,
    (SELECT COUNT(*) FROM appearances
        WHERE appearances.claim_id = claims.id AND appearances.withdrawn_at IS NOT NULL) AS withdrawn,
    claim_checks.independent_origins AS independent_origins,
    claim_checks.lacking AS lacking,
    claim_checks.threshold AS threshold,
    claim_checks.checked_at AS checked_at
FROM claims
JOIN entities AS claimant ON claimant.id = claims.claimant_id
LEFT JOIN claim_checks ON claim_checks.claim_id = claims.id
"""

APPEARANCE_OVERVIEW = """
SELECT
    appearances.id AS id,
    claims.key AS claim_key,
    claims.text AS claim_text,
    claimant.name AS claimant,
    sources.key AS source_key,
    sources.title AS source_title,
    publisher.name AS publisher,
    sources.published_edtf AS published_on,
    appearances.stance AS stance,
    appearances.passage AS passage,
    appearances.locator AS locator,
    appearances.anchor_status AS anchor_status,
    appearances.withdrawn_at AS withdrawn_at,
    appearances.withdrawn_reason AS withdrawn_reason
FROM appearances
JOIN claims ON claims.id = appearances.claim_id
JOIN entities AS claimant ON claimant.id = claims.claimant_id
JOIN sources ON sources.id = appearances.source_id
LEFT JOIN entities AS publisher ON publisher.id = sources.publisher_id
"""

VIEWS = {"claim_overview": CLAIM_OVERVIEW, "appearance_overview": APPEARANCE_OVERVIEW}


def upgrade() -> None:
    bind = op.get_bind()
    views.drop(bind)
    views.create(bind, VIEWS)


def downgrade() -> None:
    bind = op.get_bind()
    views.drop(bind)
    views.create(bind, views.VIEWS_0004)
