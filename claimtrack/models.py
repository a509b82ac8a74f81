"""The ledger's tables, as a typed SQLAlchemy 2 ORM.

Dates that people write with any precision ("1988", "Wednesday, January 8", "the 1980s") are stored three
ways: the EDTF string that says exactly what is known, and the earliest and latest calendar days it can mean,
for sorting and range filters. Vocabulary columns hold the values of :mod:`claimtrack.vocab` as plain
strings, checked by the domain layer, so that adding a value never needs a table rebuild.

Nothing here deletes: claims are deprecated through their status, whose every change is kept with its reason,
and every insert and update lands in the ``changes`` table (see :mod:`claimtrack.history`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Entity(Base):
    """A person, organisation, government body or media outlet that claims are attributed to or about."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="organization")
    description: Mapped[str | None] = mapped_column(Text)
    # Admiralty source reliability A-F, as judged by the researcher, with the reason.
    reliability: Mapped[str | None] = mapped_column(String(1))
    reliability_note: Mapped[str | None] = mapped_column(Text)
    # An unnamed claimant ("three interior ministry officials"): how many, when the source says.
    headcount: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityAlias.id"
    )

    def __repr__(self) -> str:
        return f"<Entity {self.name!r}>"


class EntityAlias(Base):
    """A name an entity goes by. The entity's own name is stored here too, so one lookup finds both."""

    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    # Case-, accent- and punctuation-free form: "PMOI/MEK", "pmoi-mek" and "PMOI MEK" all meet here.
    normalized: Mapped[str] = mapped_column(String(300), unique=True)

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Affiliation(Base):
    """A typed, dated tie: ``entity`` <kind> ``other`` (e.g. "Amber Voice part-of Amber Front")."""

    __tablename__ = "affiliations"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    since_edtf: Mapped[str | None] = mapped_column(String(60))
    since_earliest: Mapped[dt.date | None] = mapped_column(Date)
    since_latest: Mapped[dt.date | None] = mapped_column(Date)
    until_edtf: Mapped[str | None] = mapped_column(String(60))
    until_earliest: Mapped[dt.date | None] = mapped_column(Date)
    until_latest: Mapped[dt.date | None] = mapped_column(Date)
    # The document that establishes the tie, when there is one.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id])
    other: Mapped[Entity] = relationship(foreign_keys=[other_id])
    source: Mapped[Source | None] = relationship()


class SourceAuthor(Base):
    __tablename__ = "source_authors"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    entity: Mapped[Entity] = relationship()


class Source(Base):
    """A document a claim appears in: an article, press release, transcript, post, report, ..."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="article")
    url: Mapped[str | None] = mapped_column(Text)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    published_edtf: Mapped[str | None] = mapped_column(String(60))
    published_earliest: Mapped[dt.date | None] = mapped_column(Date)
    published_latest: Mapped[dt.date | None] = mapped_column(Date)
    accessed_edtf: Mapped[str | None] = mapped_column(String(60))
    accessed_earliest: Mapped[dt.date | None] = mapped_column(Date)
    accessed_latest: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(35))
    text: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of the stored text (UTF-8), so that any later change to it can be seen.
    sha256: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    publisher: Mapped[Entity | None] = relationship()
    author_links: Mapped[list[SourceAuthor]] = relationship(
        cascade="all, delete-orphan", order_by="SourceAuthor.position"
    )
    file: Mapped[SourceFile | None] = relationship(back_populates="source", uselist=False)

    @property
    def authors(self) -> list[Entity]:
        return [link.entity for link in self.author_links]


class SourceFile(Base):
    """The document's original bytes as retrieved (saved page, PDF, Word file, text), with their SHA-256.

    Kept in the database rather than in a folder beside it: one file to back up and hand over, stored in the
    same transaction as the record (a failed import leaves neither), and the same on PostgreSQL.
    """

    __tablename__ = "source_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), unique=True)
    filename: Mapped[str | None] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # Where and when it was retrieved, as the researcher (or a WARC record) says.
    url: Mapped[str | None] = mapped_column(Text)
    retrieved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # PDFs: the offset in the source's text where each page starts, so a passage's locator can say "p. 4".
    pages: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    source: Mapped[Source] = relationship(back_populates="file")


class ExtractionDecision(Base):
    """What the researcher decided about one candidate that `claimtrack extract` proposed, so that a review
    can stop and resume, and candidates already handled are not proposed again."""

    __tablename__ = "extraction_decisions"
    __table_args__ = (
        UniqueConstraint("source_id", "kind", "start", "end", name="uq_extraction_decisions_candidate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))  # accepted | skipped
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SourceLink(Base):
    """``source`` <kind> ``other``: "wire-1 republishes ledger-1". The graph that exposes circular reporting."""

    __tablename__ = "source_links"
    __table_args__ = (UniqueConstraint("source_id", "other_id", "kind", name="uq_source_links_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    source: Mapped[Source] = relationship(foreign_keys=[source_id])
    other: Mapped[Source] = relationship(foreign_keys=[other_id])


class SourceFingerprint(Base):
    """A sample of a source's word shingles (hashes), for finding earlier sources whose text it repeats.

    Derived data: one row per sampled shingle, looked up by hash (see claimtrack.copies)."""

    __tablename__ = "source_fingerprints"

    hash: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SourceCopy(Base):
    """Two sources whose texts share runs of identical words, found by claimtrack: ``source`` repeats
    ``other`` (the earlier). ``overlap`` is the share of the shorter text's word shingles found in the other;
    ``runs`` the shared runs of 40 or more words as [start, end, other start, other end] character offsets."""

    __tablename__ = "source_copies"
    __table_args__ = (UniqueConstraint("source_id", "other_id", name="uq_source_copies_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    overlap: Mapped[float] = mapped_column(Float)
    runs: Mapped[list[list[int]]] = mapped_column(JSON)
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    source: Mapped[Source] = relationship(foreign_keys=[source_id])
    other: Mapped[Source] = relationship(foreign_keys=[other_id])


class Measure(Base):
    """A named question that figures answer, so that figures from different claimants line up."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class ClaimTag(Base):
    __tablename__ = "claim_tags"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)

    tag: Mapped[Tag] = relationship()


class ClaimSubject(Base):
    """An entity a claim is about."""

    __tablename__ = "claim_subjects"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), primary_key=True, index=True)

    entity: Mapped[Entity] = relationship()


class Claim(Base):
    """One atomic proposition, attributed to a claimant, as the researcher states it."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short, stable, typeable id ("k3m9x2p"): what users name claims by and what exchange merges on.
    key: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    # When the claim was made ("said on").
    said_edtf: Mapped[str | None] = mapped_column(String(60))
    said_earliest: Mapped[dt.date | None] = mapped_column(Date, index=True)
    said_latest: Mapped[dt.date | None] = mapped_column(Date)
    # When the event the claim is about took place ("--when").
    event_edtf: Mapped[str | None] = mapped_column(String(60))
    event_earliest: Mapped[dt.date | None] = mapped_column(Date, index=True)
    event_latest: Mapped[dt.date | None] = mapped_column(Date)
    # Quotes: the verbatim words, in their language, with an optional translation.
    quote: Mapped[str | None] = mapped_column(Text)
    quote_language: Mapped[str | None] = mapped_column(String(35))
    quote_translation: Mapped[str | None] = mapped_column(Text)
    # Figures: a value, or a low/high range; low == high == value for a single value.
    figure_value: Mapped[float | None] = mapped_column(Float)
    figure_low: Mapped[float | None] = mapped_column(Float)
    figure_high: Mapped[float | None] = mapped_column(Float)
    figure_unit: Mapped[str | None] = mapped_column(String(50))
    figure_counted: Mapped[str | None] = mapped_column(String(200))
    figure_qualifier: Mapped[str | None] = mapped_column(String(40))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="unverified", index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    claimant: Mapped[Entity] = relationship()
    measure: Mapped[Measure | None] = relationship()
    subject_links: Mapped[list[ClaimSubject]] = relationship(cascade="all, delete-orphan")
    tag_links: Mapped[list[ClaimTag]] = relationship(cascade="all, delete-orphan")
    appearances: Mapped[list[Appearance]] = relationship(back_populates="claim", order_by="Appearance.id")
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="claim", order_by="StatusChange.id"
    )

    @property
    def subjects(self) -> list[Entity]:
        return [link.entity for link in self.subject_links]

    @property
    def tags(self) -> list[str]:
        return sorted(link.tag.name for link in self.tag_links)

    def __repr__(self) -> str:
        return f"<Claim {self.key} {self.kind}>"


def claim_date_order() -> tuple[Any, ...]:
    """How claims are listed: by the date of the event, else of the saying; undated last; then as logged.

    ix_claims_date_order indexes exactly these expressions, so a listing's first page comes off the index
    instead of a sort of every claim."""
    date = func.coalesce(Claim.event_earliest, Claim.said_earliest)
    return (date.is_(None), date, Claim.id)


Index("ix_claims_date_order", *claim_date_order())


class Appearance(Base):
    """A claim in a source: what the source does with it, the exact passage, and where it is."""

    __tablename__ = "appearances"
    __table_args__ = (Index("ix_appearances_source_claim", "source_id", "claim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    stance: Mapped[str] = mapped_column(String(20))
    # The source this appearance took the claim from, when it is not the source's own reporting ("this outlet
    # took the 1,500 from the wire"); that source need not carry the claim in the ledger.
    via_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    passage: Mapped[str | None] = mapped_column(Text)
    locator: Mapped[str | None] = mapped_column(String(200))
    # Where the passage sits in the source's stored text (W3C TextPositionSelector + TextQuoteSelector).
    anchor_start: Mapped[int | None] = mapped_column(Integer)
    anchor_end: Mapped[int | None] = mapped_column(Integer)
    anchor_prefix: Mapped[str | None] = mapped_column(Text)
    anchor_suffix: Mapped[str | None] = mapped_column(Text)
    # exact | normalised | not-found; NULL when there was no passage or no stored text to anchor in.
    anchor_status: Mapped[str | None] = mapped_column(String(20))
    # The stored text's SHA-256 when anchored, to tell later whether the text changed under the anchor.
    anchor_sha256: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    # An appearance logged in error is withdrawn (``claim uncite``), never deleted: kept and shown as
    # withdrawn, with the reason, and counted in no verdict.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    source: Mapped[Source] = relationship(foreign_keys=[source_id])
    via: Mapped[Source | None] = relationship(foreign_keys=[via_source_id])


class ClaimRelation(Base):
    """``claim`` <kind> ``other``: "the ministry's statement denies claim k3m9x2p"."""

    __tablename__ = "claim_relations"
    __table_args__ = (UniqueConstraint("claim_id", "other_id", "kind", name="uq_claim_relations_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(foreign_keys=[claim_id])
    other: Mapped[Claim] = relationship(foreign_keys=[other_id])


class StatusChange(Base):
    """One change of a claim's status, with the reason the researcher gave. The first row is the creation."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="status_changes")


class ClaimCheck(Base):
    """What the last ``claimtrack check`` that covered a claim computed for it.

    Derived data, recomputed by every check: kept so that the database file reads on its own (the
    ``claim_overview`` view of :mod:`claimtrack.views`) without running claimtrack. Written only in bulk by
    :func:`claimtrack.views.record_checks`, never through the ORM, so it stays out of the change log; and left
    out of the lossless export (``info["derived"]``), since a check recomputes it from what the export holds.
    """

    __tablename__ = "claim_checks"
    __table_args__ = ({"info": {"derived": True}},)

    # A claim's row goes with the claim: a count for a claim that is gone would mean nothing.
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    independent_origins: Mapped[int] = mapped_column(Integer)
    # The threshold that check judged by (``check --min`` may differ from the project setting).
    threshold: Mapped[int] = mapped_column(Integer)
    lacking: Mapped[bool] = mapped_column(Boolean)
    # When the check read the ledger: the counts describe the record as it was then.
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Setting(Base):
    """Project settings (``claimtrack config``), e.g. the independent-source threshold."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Change(Base):
    """The history: every insert and update of the record, with who made it and what it was before.

    Append-only: the database refuses UPDATE and DELETE on it (triggers, see migration 0009), and each row is
    a link of a hash chain (:mod:`claimtrack.chain`): ``previous`` is the hash of the row before it, ``hash``
    that of its own content. ``previous`` is unique, so two writers can never both extend the same head.
    """

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_record", "table_name", "record_id"),
        Index("ix_changes_previous", "previous", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # Who, as the system knows them: the PostgreSQL role of the connection (session_user), or on SQLite the
    # operating-system account; ``display_name`` is what they call themselves (CLAIMTRACK_USER), kept beside it.
    actor: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # insert | update | delete
    table_name: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[str] = mapped_column(String(100))
    # A readable label for the record ("claim k3m9x2p", "entity Amber Front"), so the log reads on its own.
    label: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A correction (an edit, a merge, a withdrawal) is one entry of many rows, made in one transaction: each
    # row carries the entry's id (random hex, so that it survives a merged import) and the researcher's reason.
    entry: Mapped[str | None] = mapped_column(String(32), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    previous: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ImportedChange(Base):
    """A change row of another ledger, brought in by a merged export: kept as that ledger's history, never
    as a local change (``claimtrack log`` shows only local ones), exactly as exported so that its chain still
    verifies. ``origin`` names the ledger (the hash its chain starts with), ``position`` the row's id there,
    and ``imported_by`` the local change that merged it. Append-only, like the local history."""

    __tablename__ = "imported_changes"
    __table_args__ = (UniqueConstraint("origin", "hash", name="uq_imported_changes_origin_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_by: Mapped[int] = mapped_column(ForeignKey("changes.id"), index=True)
    origin: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[str] = mapped_column(String(100))
    label: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    entry: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    previous: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
