"""Sources: the documents claims appear in, their stored text, and the links between them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .entities import choose, find_entity
from .errors import Ambiguous, Conflict, InvalidInput, NotFound
from .models import Appearance, Source, SourceAuthor, SourceLink
from .records import SourceRecord, SourceRow, SourceSummary
from .text.dates import parse_date
from .text.names import closest, normalise_name

if TYPE_CHECKING:
    from .input_files import Limit

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_source(session: Session, key: str) -> Source:
    """The source with this key (exactly, else case-insensitively)."""
    source = session.scalar(select(Source).where(Source.key == key))
    if source is not None:
        return source
    matches = session.scalars(select(Source).where(func.lower(Source.key) == key.lower())).all()
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise Ambiguous("source", key, [match.key for match in matches])
    keys = session.execute(select(Source.key)).scalars().all()
    raise NotFound("source", key, closest(key, keys))


def _slug(text: str, words: int = 4) -> str:
    return "-".join(normalise_name(text).split()[:words])


def derive_key(session: Session, *, title: str | None, publisher: str | None, year: str | None) -> str:
    """A short key from the publisher (or title) and year: "amber-voice-2020", then "-2", "-3"..."""
    base = _slug(publisher or "", 3) or _slug(title or "", 4) or "source"
    if year:
        base = f"{base}-{year}"
    base = base[:90]
    taken = set(session.execute(select(Source.key).where(Source.key.startswith(base))).scalars().all())
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def add_source(
    session: Session,
    *,
    key: str | None = None,
    title: str | None = None,
    kind: str = "article",
    url: str | None = None,
    publisher: str | None = None,
    authors: Sequence[str] = (),
    published: str | None = None,
    accessed: str | None = None,
    language: str | None = None,
    text: str | None = None,
    notes: str | None = None,
) -> Source:
    """Record a document; its stored text (if any) is kept byte-exact with its SHA-256, and compared with the
    texts already stored (:func:`claimtrack.copies.pairs_of` gives the copies found)."""
    source = Source(
        kind=choose(vocab.SourceKind, kind, "source kind"),
        title=title.strip() if title else None,
        url=url,
        language=language,
        notes=notes,
    )
    if publisher:
        source.publisher = find_entity(session, publisher)
    # One link per entity, however many of its names were given ("AF" and "Amber Front").
    writers = {entity.id: entity for entity in (find_entity(session, author) for author in authors)}
    for position, entity in enumerate(writers.values()):
        source.author_links.append(SourceAuthor(entity=entity, position=position))
    if published:
        date = parse_date(published)
        source.published_edtf, source.published_earliest, source.published_latest = (
            date.edtf,
            date.earliest,
            date.latest,
        )
    if accessed:
        date = parse_date(accessed)
        source.accessed_edtf, source.accessed_earliest, source.accessed_latest = (
            date.edtf,
            date.earliest,
            date.latest,
        )
    if text is not None:
        if not text.strip():
            raise InvalidInput("the source text is empty")
        source.text, source.sha256 = text, sha256_text(text)
    if key is not None:
        key = key.strip()
        if not KEY_PATTERN.match(key):
            raise InvalidInput(
                f"source key {key!r} must start with a letter or digit and hold only letters, digits, "
                "'.', '_', ':' and '-' (at most 100)"
            )
        if session.scalar(select(Source.id).where(func.lower(Source.key) == key.lower())):
            raise Conflict(f"a source with the key {key!r} already exists")
    else:
        year = source.published_edtf[:4] if source.published_edtf else None
        if year and not year.isdigit():
            year = None
        key = derive_key(
            session,
            title=title,
            publisher=source.publisher.name if source.publisher else None,
            year=year,
        )
    source.key = key
    session.add(source)
    session.flush()
    if source.text is not None:
        # Earlier sources whose text this one repeats (see claimtrack.copies): recorded for the check.
        from .copies import find_copies_of

        find_copies_of(session, source)
    return source


def add_document(
    session: Session,
    data: bytes,
    name: str,
    *,
    publisher: str | None = None,
    authors: Sequence[str] = (),
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
    language: str | None = None,
    accessed: str | None = None,
    limit: Limit | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    **options: Any,
) -> tuple[Source, list[str]]:
    """Record a document from its bytes: a saved web page, PDF, Word file, text, or a WARC record of one.

    The text and metadata found (title, byline, date, site name, URL, language) become the defaults; what the
    researcher passes overrides them. A byline or site name that names no known entity is not guessed at: it
    comes back as a warning saying how to add it, and so does a note on how the text was read (a page read
    as plain text). The original bytes are kept with their SHA-256. ``limit`` bounds what the file expands to
    (see :mod:`claimtrack.input_files`); ``progress`` is told as a PDF's pages are read.
    """
    from .errors import ClaimtrackError, DateError
    from .models import SourceFile
    from .text.dates import parse_date
    from .text.documents import read_document
    from .warc import is_warc, read_warc

    warnings: list[str] = []
    retrieved_at = None
    if is_warc(data):
        record = read_warc(data, repr(name), limit)
        data, name, retrieved_at = record.content, record.name, record.retrieved_at
        url = url or record.url
        if accessed is None and retrieved_at is not None:
            accessed = retrieved_at.date().isoformat()
    document = read_document(data, name, limit, progress)
    warnings.extend(document.notes)

    def known(found: str, role: str) -> str | None:
        try:
            return find_entity(session, found).name
        except ClaimtrackError:
            warnings.append(
                f"the document names its {role} {found!r}, which is not a known entity; add it with "
                f"`claimtrack entity add {found!r}` and pass --{'publisher' if role == 'publisher' else 'author'}"
            )
            return None

    if publisher is None and document.site_name:
        publisher = known(document.site_name, "publisher")
    if not authors and document.authors:
        authors = [name for name in (known(author, "author") for author in document.authors) if name]
    if published is None and document.date:
        try:
            published = parse_date(document.date).edtf
        except DateError:
            warnings.append(f"the document's date {document.date!r} could not be read; pass --published")
    source = add_source(
        session,
        title=title or document.title,
        url=url or document.url,
        publisher=publisher,
        authors=authors,
        published=published,
        accessed=accessed,
        language=language or document.language,
        text=document.text,
        **options,
    )
    if retrieved_at is None and source.accessed_earliest is not None:
        retrieved_at = dt.datetime.combine(source.accessed_earliest, dt.time())
    source.file = SourceFile(
        filename=name[:300],
        media_type=document.media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        url=url or document.url,
        retrieved_at=retrieved_at,
        pages=list(document.pages) or None,
    )
    session.flush()
    return source, warnings


def link_sources(session: Session, key: str, kind: str, other: str, note: str | None = None) -> SourceLink:
    """Record that source ``key`` <kind> ``other`` ("wire-1 republishes ledger-1")."""
    kind = choose(vocab.SourceLinkKind, kind, "source link")
    source, target = find_source(session, key), find_source(session, other)
    if source.id == target.id:
        raise InvalidInput(f"source {source.key!r} cannot be linked to itself")
    exists = session.scalar(
        select(SourceLink.id).where(
            SourceLink.source_id == source.id, SourceLink.other_id == target.id, SourceLink.kind == kind
        )
    )
    if exists:
        raise Conflict(f"{source.key!r} is already recorded as {kind} {target.key!r}")
    link = SourceLink(source=source, other=target, kind=kind, note=note)
    session.add(link)
    session.flush()
    return link


def _summary(source: Source) -> SourceSummary:
    return {
        "key": source.key,
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher.name if source.publisher else None,
        "authors": [author.name for author in source.authors],
        "published": source.published_edtf,
        "url": source.url,
        "has_text": source.text is not None,
    }


def list_sources(session: Session) -> list[SourceRow]:
    """Every source, oldest publication first, with how many claims appear in it."""
    counts = dict(
        session.execute(
            select(Appearance.source_id, func.count(func.distinct(Appearance.claim_id)))
            .where(Appearance.withdrawn_at.is_(None))
            .group_by(Appearance.source_id)
        ).all()
    )
    sources = session.scalars(
        select(Source)
        .options(
            selectinload(Source.publisher),
            selectinload(Source.author_links).selectinload(SourceAuthor.entity),
        )
        .order_by(Source.published_earliest.is_(None), Source.published_earliest, Source.key)
    )
    return [{**_summary(source), "claims": counts.get(source.id, 0)} for source in sources]


def source_record(session: Session, source: Source) -> SourceRecord:
    """Everything about one source except its text: metadata, hash, links both ways, claims in it."""
    links = session.scalars(
        select(SourceLink)
        .where(or_(SourceLink.source_id == source.id, SourceLink.other_id == source.id))
        .order_by(SourceLink.id)
    ).all()
    appearances = session.scalars(
        select(Appearance).where(Appearance.source_id == source.id).order_by(Appearance.id)
    ).all()
    return {
        **_summary(source),
        "accessed": source.accessed_edtf,
        "language": source.language,
        "sha256": source.sha256,
        "characters": len(source.text) if source.text is not None else None,
        "notes": source.notes,
        "links": [
            {"source": link.source.key, "kind": link.kind, "other": link.other.key, "note": link.note}
            for link in links
        ],
        "appearances": [
            {
                "claim": appearance.claim.key,
                "stance": appearance.stance,
                "passage": appearance.passage,
                "locator": appearance.locator,
                "withdrawn": appearance.withdrawn_reason if appearance.withdrawn_at is not None else None,
            }
            for appearance in appearances
        ],
    }
