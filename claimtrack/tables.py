"""The ledger's tables, declared once in SQLAlchemy Core.

:mod:`claimtrack.models` maps its ORM classes onto these same tables (``__table__``), and the migrations are
checked against them (tests/test_migrations.py). Declared here, without the ORM, so that a command that only
reads rows (``claim list``) imports and compiles them without building the ORM classes or configuring their
mappers, which would cost it more than the rest of its work (issue 19).

Dates that people write with any precision ("1988", "Wednesday, January 8", "the 1980s") are stored three
ways: the EDTF string that says exactly what is known, and the earliest and latest calendar days it can mean,
for sorting and range filters. Vocabulary columns hold the values of :mod:`claimtrack.vocab` as plain
strings, checked by the domain layer, so that adding a value never needs a table rebuild.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

# Stable constraint names, so that migrations (and SQLite batch rebuilds) can refer to them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


metadata = MetaData(naming_convention=NAMING_CONVENTION)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False, default="organization"),
    Column("description", Text),
    # Admiralty source reliability A-F, as judged by the researcher, with the reason.
    Column("reliability", String(1)),
    Column("reliability_note", Text),
    # An unnamed claimant ("three interior ministry officials"): how many, when the source says.
    Column("headcount", Integer),
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    Column("alias", String(300), nullable=False),
    # Case-, accent- and punctuation-free form: "PMOI/MEK", "pmoi-mek" and "PMOI MEK" all meet here.
    Column("normalized", String(300), nullable=False, unique=True),
)

affiliations = Table(
    "affiliations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("since_edtf", String(60)),
    Column("since_earliest", Date),
    Column("since_latest", Date),
    Column("until_edtf", String(60)),
    Column("until_earliest", Date),
    Column("until_latest", Date),
    # The document that establishes the tie, when there is one.
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

source_authors = Table(
    "source_authors",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id"), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(100), nullable=False, unique=True),
    Column("title", Text),
    Column("kind", String(20), nullable=False, default="article"),
    Column("url", Text),
    Column("publisher_id", Integer, ForeignKey("entities.id"), index=True),
    Column("published_edtf", String(60)),
    Column("published_earliest", Date),
    Column("published_latest", Date),
    Column("accessed_edtf", String(60)),
    Column("accessed_earliest", Date),
    Column("accessed_latest", Date),
    Column("language", String(35)),
    Column("text", Text),
    # SHA-256 of the stored text (UTF-8), so that any later change to it can be seen.
    Column("sha256", String(64)),
    Column("notes", Text),
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

source_files = Table(
    "source_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, unique=True),
    Column("filename", String(300)),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    # Where and when it was retrieved, as the researcher (or a WARC record) says.
    Column("url", Text),
    Column("retrieved_at", DateTime),
    # PDFs: the offset in the source's text where each page starts, so a passage's locator can say "p. 4".
    Column("pages", JSON),
    Column("created_at", DateTime, nullable=False, default=utcnow),
)

extraction_decisions = Table(
    "extraction_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("decision", String(20), nullable=False),  # accepted | skipped
    Column("claim_id", Integer, ForeignKey("claims.id")),
    Column("decided_by", String(100), nullable=False),
    Column("decided_at", DateTime, nullable=False, default=utcnow),
    UniqueConstraint("source_id", "kind", "start", "end", name="uq_extraction_decisions_candidate"),
)

source_links = Table(
    "source_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    UniqueConstraint("source_id", "other_id", "kind", name="uq_source_links_link"),
)

source_fingerprints = Table(
    "source_fingerprints",
    metadata,
    Column("hash", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True),
)

source_copies = Table(
    "source_copies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("overlap", Float, nullable=False),
    Column("runs", JSON, nullable=False),
    Column("found_at", DateTime, nullable=False, default=utcnow),
    UniqueConstraint("source_id", "other_id", name="uq_source_copies_pair"),
)

measures = Table(
    "measures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("normalized", String(300), nullable=False, unique=True),
    Column("description", Text),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
)

claim_tags = Table(
    "claim_tags",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True, index=True),
)

claim_subjects = Table(
    "claim_subjects",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id"), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), primary_key=True, index=True),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    # Short, stable, typeable id ("k3m9x2p"): what users name claims by and what exchange merges on.
    Column("key", String(16), nullable=False, unique=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("claimant_id", Integer, ForeignKey("entities.id"), nullable=False, index=True),
    # When the claim was made ("said on").
    Column("said_edtf", String(60)),
    Column("said_earliest", Date, index=True),
    Column("said_latest", Date),
    # When the event the claim is about took place ("--when").
    Column("event_edtf", String(60)),
    Column("event_earliest", Date, index=True),
    Column("event_latest", Date),
    # Quotes: the verbatim words, in their language, with an optional translation.
    Column("quote", Text),
    Column("quote_language", String(35)),
    Column("quote_translation", Text),
    # Figures: a value, or a low/high range; low == high == value for a single value.
    Column("figure_value", Float),
    Column("figure_low", Float),
    Column("figure_high", Float),
    Column("figure_unit", String(50)),
    Column("figure_counted", String(200)),
    Column("figure_qualifier", String(40)),
    Column("measure_id", Integer, ForeignKey("measures.id"), index=True),
    Column("status", String(20), nullable=False, index=True, default="unverified"),
    Column("notes", Text),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Column("updated_at", DateTime, nullable=False, default=utcnow, onupdate=utcnow),
)


def claim_date_order() -> tuple[Any, ...]:
    """How claims are listed: by the date of the event, else of the saying; undated last; then as logged.

    ix_claims_date_order indexes exactly these expressions, so a listing's first page comes off the index
    instead of a sort of every claim."""
    date = func.coalesce(claims.c.event_earliest, claims.c.said_earliest)
    return (date.is_(None), date, claims.c.id)


Index("ix_claims_date_order", *claim_date_order())

appearances = Table(
    "appearances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("stance", String(20), nullable=False),
    # The source this appearance took the claim from, when it is not the source's own reporting ("this outlet
    # took the 1,500 from the wire"); that source need not carry the claim in the ledger.
    Column("via_source_id", Integer, ForeignKey("sources.id"), index=True),
    Column("passage", Text),
    Column("locator", String(200)),
    # Where the passage sits in the source's stored text (W3C TextPositionSelector + TextQuoteSelector).
    Column("anchor_start", Integer),
    Column("anchor_end", Integer),
    Column("anchor_prefix", Text),
    Column("anchor_suffix", Text),
    # exact | normalised | not-found; NULL when there was no passage or no stored text to anchor in.
    Column("anchor_status", String(20)),
    # The stored text's SHA-256 when anchored, to tell later whether the text changed under the anchor.
    Column("anchor_sha256", String(64)),
    Column("note", Text),
    # An appearance logged in error is withdrawn (``claim uncite``), never deleted: kept and shown as
    # withdrawn, with the reason, and counted in no verdict.
    Column("withdrawn_at", DateTime),
    Column("withdrawn_reason", Text),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    Index("ix_appearances_source_claim", "source_id", "claim_id"),
)

claim_relations = Table(
    "claim_relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("other_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False, default=utcnow),
    UniqueConstraint("claim_id", "other_id", "kind", name="uq_claim_relations_link"),
)

status_changes = Table(
    "status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("old_status", String(20)),
    Column("new_status", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", DateTime, nullable=False, default=utcnow),
)

claim_checks = Table(
    "claim_checks",
    metadata,
    # A claim's row goes with the claim: a count for a claim that is gone would mean nothing.
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("independent_origins", Integer, nullable=False),
    # The threshold that check judged by (``check --min`` may differ from the project setting).
    Column("threshold", Integer, nullable=False),
    Column("lacking", Boolean, nullable=False),
    # When the check read the ledger: the counts describe the record as it was then.
    Column("checked_at", DateTime, nullable=False),
    info={"derived": True},
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, index=True, default=utcnow),
    # Who, as the system knows them: the PostgreSQL role of the connection (session_user), or on SQLite the
    # operating-system account; ``display_name`` is what they call themselves (CLAIMTRACK_USER), kept beside it.
    Column("actor", String(100), nullable=False),
    Column("display_name", String(100)),
    Column("action", String(20), nullable=False),  # insert | update | delete
    Column("table_name", String(50), nullable=False),
    Column("record_id", String(100), nullable=False),
    # A readable label for the record ("claim k3m9x2p", "entity Amber Front"), so the log reads on its own.
    Column("label", Text),
    Column("before", JSON),
    Column("after", JSON),
    # A correction (an edit, a merge, a withdrawal) is one entry of many rows, made in one transaction: each
    # row carries the entry's id (random hex, so that it survives a merged import) and the researcher's reason.
    Column("entry", String(32), index=True),
    Column("reason", Text),
    Column("previous", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_changes_record", "table_name", "record_id"),
    Index("ix_changes_previous", "previous", unique=True),
)

imported_changes = Table(
    "imported_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("imported_by", Integer, ForeignKey("changes.id"), nullable=False, index=True),
    Column("origin", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("display_name", String(100)),
    Column("action", String(20), nullable=False),
    Column("table_name", String(50), nullable=False),
    Column("record_id", String(100), nullable=False),
    Column("label", Text),
    Column("before", JSON),
    Column("after", JSON),
    Column("entry", String(32)),
    Column("reason", Text),
    Column("previous", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("origin", "hash", name="uq_imported_changes_origin_hash"),
)
