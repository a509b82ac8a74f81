"""The ledger's records as a typed SQLAlchemy 2 ORM: classes mapped onto the tables of :mod:`claimtrack.tables`
(``__table__``), where the columns, their types and their comments are declared once; here are the
relationships between them and the attributes' types for the type checker.

Nothing here deletes: claims are deprecated through their status, whose every change is kept with its reason,
and every insert and update lands in the ``changes`` table (see :mod:`claimtrack.history`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from . import tables

# Also importable from here, as they were before the tables moved to claimtrack.tables.
from .tables import NAMING_CONVENTION as NAMING_CONVENTION
from .tables import claim_date_order as claim_date_order
from .tables import utcnow as utcnow


class Base(DeclarativeBase):
    metadata = tables.metadata


class Entity(Base):
    """A person, organisation, government body or media outlet that claims are attributed to or about."""

    __tablename__ = "entities"
    __table__ = tables.entities

    id: Mapped[int]
    name: Mapped[str]
    kind: Mapped[str]
    description: Mapped[str | None]
    reliability: Mapped[str | None]
    reliability_note: Mapped[str | None]
    headcount: Mapped[int | None]
    created_at: Mapped[dt.datetime]

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityAlias.id"
    )

    def __repr__(self) -> str:
        return f"<Entity {self.name!r}>"


class EntityAlias(Base):
    """A name an entity goes by. The entity's own name is stored here too, so one lookup finds both."""

    __tablename__ = "entity_aliases"
    __table__ = tables.entity_aliases

    id: Mapped[int]
    entity_id: Mapped[int]
    alias: Mapped[str]
    normalized: Mapped[str]

    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Affiliation(Base):
    """A typed, dated tie: ``entity`` <kind> ``other`` (e.g. "Amber Voice part-of Amber Front")."""

    __tablename__ = "affiliations"
    __table__ = tables.affiliations

    id: Mapped[int]
    entity_id: Mapped[int]
    other_id: Mapped[int]
    kind: Mapped[str]
    since_edtf: Mapped[str | None]
    since_earliest: Mapped[dt.date | None]
    since_latest: Mapped[dt.date | None]
    until_edtf: Mapped[str | None]
    until_earliest: Mapped[dt.date | None]
    until_latest: Mapped[dt.date | None]
    source_id: Mapped[int | None]
    note: Mapped[str | None]
    created_at: Mapped[dt.datetime]

    entity: Mapped[Entity] = relationship(foreign_keys=[tables.affiliations.c.entity_id])
    other: Mapped[Entity] = relationship(foreign_keys=[tables.affiliations.c.other_id])
    source: Mapped[Source | None] = relationship()


class SourceAuthor(Base):
    __tablename__ = "source_authors"
    __table__ = tables.source_authors

    source_id: Mapped[int]
    entity_id: Mapped[int]
    position: Mapped[int]

    entity: Mapped[Entity] = relationship()


class Source(Base):
    """A document a claim appears in: an article, press release, transcript, post, report, ..."""

    __tablename__ = "sources"
    __table__ = tables.sources

    id: Mapped[int]
    key: Mapped[str]
    title: Mapped[str | None]
    kind: Mapped[str]
    url: Mapped[str | None]
    publisher_id: Mapped[int | None]
    published_edtf: Mapped[str | None]
    published_earliest: Mapped[dt.date | None]
    published_latest: Mapped[dt.date | None]
    accessed_edtf: Mapped[str | None]
    accessed_earliest: Mapped[dt.date | None]
    accessed_latest: Mapped[dt.date | None]
    language: Mapped[str | None]
    text: Mapped[str | None]
    sha256: Mapped[str | None]
    notes: Mapped[str | None]
    created_at: Mapped[dt.datetime]

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
    __table__ = tables.source_files

    id: Mapped[int]
    source_id: Mapped[int]
    filename: Mapped[str | None]
    media_type: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str]
    content: Mapped[bytes]
    url: Mapped[str | None]
    retrieved_at: Mapped[dt.datetime | None]
    pages: Mapped[list[int] | None]
    created_at: Mapped[dt.datetime]

    source: Mapped[Source] = relationship(back_populates="file")


class ExtractionDecision(Base):
    """What the researcher decided about one candidate that `claimtrack extract` proposed, so that a review
    can stop and resume, and candidates already handled are not proposed again."""

    __tablename__ = "extraction_decisions"
    __table__ = tables.extraction_decisions

    id: Mapped[int]
    source_id: Mapped[int]
    kind: Mapped[str]
    start: Mapped[int]
    end: Mapped[int]
    decision: Mapped[str]
    claim_id: Mapped[int | None]
    decided_by: Mapped[str]
    decided_at: Mapped[dt.datetime]


class SourceLink(Base):
    """``source`` <kind> ``other``: "wire-1 republishes ledger-1". The graph that exposes circular reporting."""

    __tablename__ = "source_links"
    __table__ = tables.source_links

    id: Mapped[int]
    source_id: Mapped[int]
    other_id: Mapped[int]
    kind: Mapped[str]
    note: Mapped[str | None]
    created_at: Mapped[dt.datetime]

    source: Mapped[Source] = relationship(foreign_keys=[tables.source_links.c.source_id])
    other: Mapped[Source] = relationship(foreign_keys=[tables.source_links.c.other_id])


class SourceFingerprint(Base):
    """A sample of a source's word shingles (hashes), for finding earlier sources whose text it repeats.

    Derived data: one row per sampled shingle, looked up by hash (see claimtrack.copies)."""

    __tablename__ = "source_fingerprints"
    __table__ = tables.source_fingerprints

    hash: Mapped[int]
    source_id: Mapped[int]


class SourceCopy(Base):
    """Two sources whose texts share runs of identical words, found by claimtrack: ``source`` repeats
    ``other`` (the earlier). ``overlap`` is the share of the shorter text's word shingles found in the other;
    ``runs`` the shared runs of 40 or more words as [start, end, other start, other end] character offsets."""

    __tablename__ = "source_copies"
    __table__ = tables.source_copies

    id: Mapped[int]
    source_id: Mapped[int]
    other_id: Mapped[int]
    overlap: Mapped[float]
    runs: Mapped[list[list[int]]]
    found_at: Mapped[dt.datetime]

    source: Mapped[Source] = relationship(foreign_keys=[tables.source_copies.c.source_id])
    other: Mapped[Source] = relationship(foreign_keys=[tables.source_copies.c.other_id])


class Measure(Base):
    """A named question that figures answer, so that figures from different claimants line up."""

    __tablename__ = "measures"
    __table__ = tables.measures

    id: Mapped[int]
    name: Mapped[str]
    normalized: Mapped[str]
    description: Mapped[str | None]


class Tag(Base):
    __tablename__ = "tags"
    __table__ = tables.tags

    id: Mapped[int]
    name: Mapped[str]


class ClaimTag(Base):
    __tablename__ = "claim_tags"
    __table__ = tables.claim_tags

    claim_id: Mapped[int]
    tag_id: Mapped[int]

    tag: Mapped[Tag] = relationship()


class ClaimSubject(Base):
    """An entity a claim is about."""

    __tablename__ = "claim_subjects"
    __table__ = tables.claim_subjects

    claim_id: Mapped[int]
    entity_id: Mapped[int]

    entity: Mapped[Entity] = relationship()


class Claim(Base):
    """One atomic proposition, attributed to a claimant, as the researcher states it."""

    __tablename__ = "claims"
    __table__ = tables.claims

    id: Mapped[int]
    key: Mapped[str]
    kind: Mapped[str]
    text: Mapped[str]
    claimant_id: Mapped[int]
    said_edtf: Mapped[str | None]
    said_earliest: Mapped[dt.date | None]
    said_latest: Mapped[dt.date | None]
    event_edtf: Mapped[str | None]
    event_earliest: Mapped[dt.date | None]
    event_latest: Mapped[dt.date | None]
    quote: Mapped[str | None]
    quote_language: Mapped[str | None]
    quote_translation: Mapped[str | None]
    figure_value: Mapped[float | None]
    figure_low: Mapped[float | None]
    figure_high: Mapped[float | None]
    figure_unit: Mapped[str | None]
    figure_counted: Mapped[str | None]
    figure_qualifier: Mapped[str | None]
    measure_id: Mapped[int | None]
    status: Mapped[str]
    notes: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

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


class Appearance(Base):
    """A claim in a source: what the source does with it, the exact passage, and where it is."""

    __tablename__ = "appearances"
    __table__ = tables.appearances

    id: Mapped[int]
    claim_id: Mapped[int]
    source_id: Mapped[int]
    stance: Mapped[str]
    via_source_id: Mapped[int | None]
    passage: Mapped[str | None]
    locator: Mapped[str | None]
    anchor_start: Mapped[int | None]
    anchor_end: Mapped[int | None]
    anchor_prefix: Mapped[str | None]
    anchor_suffix: Mapped[str | None]
    anchor_status: Mapped[str | None]
    anchor_sha256: Mapped[str | None]
    note: Mapped[str | None]
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_reason: Mapped[str | None]
    created_at: Mapped[dt.datetime]

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    source: Mapped[Source] = relationship(foreign_keys=[tables.appearances.c.source_id])
    via: Mapped[Source | None] = relationship(foreign_keys=[tables.appearances.c.via_source_id])


class ClaimRelation(Base):
    """``claim`` <kind> ``other``: "the ministry's statement denies claim k3m9x2p"."""

    __tablename__ = "claim_relations"
    __table__ = tables.claim_relations

    id: Mapped[int]
    claim_id: Mapped[int]
    other_id: Mapped[int]
    kind: Mapped[str]
    note: Mapped[str | None]
    created_at: Mapped[dt.datetime]

    claim: Mapped[Claim] = relationship(foreign_keys=[tables.claim_relations.c.claim_id])
    other: Mapped[Claim] = relationship(foreign_keys=[tables.claim_relations.c.other_id])


class StatusChange(Base):
    """One change of a claim's status, with the reason the researcher gave. The first row is the creation."""

    __tablename__ = "status_changes"
    __table__ = tables.status_changes

    id: Mapped[int]
    claim_id: Mapped[int]
    old_status: Mapped[str | None]
    new_status: Mapped[str]
    reason: Mapped[str]
    changed_by: Mapped[str]
    changed_at: Mapped[dt.datetime]

    claim: Mapped[Claim] = relationship(back_populates="status_changes")


class ClaimCheck(Base):
    """What the last ``claimtrack check`` that covered a claim computed for it.

    Derived data, recomputed by every check: kept so that the database file reads on its own (the
    ``claim_overview`` view of :mod:`claimtrack.views`) without running claimtrack. Written only in bulk by
    :func:`claimtrack.views.record_checks`, never through the ORM, so it stays out of the change log; and left
    out of the lossless export (``info["derived"]``), since a check recomputes it from what the export holds.
    """

    __tablename__ = "claim_checks"
    __table__ = tables.claim_checks

    claim_id: Mapped[int]
    independent_origins: Mapped[int]
    threshold: Mapped[int]
    lacking: Mapped[bool]
    checked_at: Mapped[dt.datetime]


class Setting(Base):
    """Project settings (``claimtrack config``), e.g. the independent-source threshold."""

    __tablename__ = "settings"
    __table__ = tables.settings

    key: Mapped[str]
    value: Mapped[str]


class Change(Base):
    """The history: every insert and update of the record, with who made it and what it was before.

    Append-only: the database refuses UPDATE and DELETE on it (triggers, see migration 0009), and each row is
    a link of a hash chain (:mod:`claimtrack.chain`): ``previous`` is the hash of the row before it, ``hash``
    that of its own content. ``previous`` is unique, so two writers can never both extend the same head.
    """

    __tablename__ = "changes"
    __table__ = tables.changes

    id: Mapped[int]
    at: Mapped[dt.datetime]
    actor: Mapped[str]
    display_name: Mapped[str | None]
    action: Mapped[str]
    table_name: Mapped[str]
    record_id: Mapped[str]
    label: Mapped[str | None]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    entry: Mapped[str | None]
    reason: Mapped[str | None]
    previous: Mapped[str]
    hash: Mapped[str]


class ImportedChange(Base):
    """A change row of another ledger, brought in by a merged export: kept as that ledger's history, never
    as a local change (``claimtrack log`` shows only local ones), exactly as exported so that its chain still
    verifies. ``origin`` names the ledger (the hash its chain starts with), ``position`` the row's id there,
    and ``imported_by`` the local change that merged it. Append-only, like the local history."""

    __tablename__ = "imported_changes"
    __table__ = tables.imported_changes

    id: Mapped[int]
    imported_by: Mapped[int]
    origin: Mapped[str]
    position: Mapped[int]
    at: Mapped[dt.datetime]
    actor: Mapped[str]
    display_name: Mapped[str | None]
    action: Mapped[str]
    table_name: Mapped[str]
    record_id: Mapped[str]
    label: Mapped[str | None]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    entry: Mapped[str | None]
    reason: Mapped[str | None]
    previous: Mapped[str]
    hash: Mapped[str]
