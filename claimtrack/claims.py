"""Claims: logging them, citing them in sources, countering and relating them, and their status history.

The write side; claims as they are read (listing rows, `claim show` records) are in claim_records.py.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import vocab
from .entities import choose, find_entity
from .errors import Ambiguous, Conflict, InvalidInput, NotFound
from .history import current_actor
from .models import (
    Appearance,
    Claim,
    ClaimRelation,
    ClaimSubject,
    ClaimTag,
    Measure,
    Source,
    StatusChange,
    Tag,
)
from .sources import find_source
from .text.dates import ParsedDate, parse_date
from .text.names import closest, normalise_name
from .text.quantities import format_number, parse_number, read_qualifier

if TYPE_CHECKING:
    from .text.passages import Anchor

# Claim keys: short, case-insensitive, and free of look-alike letters (no i, l, o, u) so they survive being
# read aloud, copied by hand or typed from a printout.
KEY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
KEY_LENGTH = 7
MIN_PREFIX = 3


@dataclass
class Logged:
    """What a logging call did, for the command line to report (warnings go to stderr)."""

    claim: Claim
    appearance: Appearance | None = None
    anchor: Anchor | None = None
    relation: ClaimRelation | None = None
    warnings: list[str] = field(default_factory=list)
    # When `claim cite` corrected an appearance already logged: what changed, as "field: before → after".
    corrected: list[str] = field(default_factory=list)


def new_key(session: Session) -> str:
    while True:
        key = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
        if session.scalar(select(Claim.id).where(Claim.key == key)) is None:
            return key


def find_claim(session: Session, ref: str) -> Claim:
    """The claim with this key, or the only one whose key starts with it (at least 3 characters)."""
    ref = ref.strip().lower().lstrip("#")
    claim = session.scalar(select(Claim).where(Claim.key == ref))
    if claim is not None:
        return claim
    if len(ref) >= MIN_PREFIX:
        # autoescape: a "%" or "_" typed in the reference is a character, not a LIKE wildcard.
        matches = session.scalars(
            select(Claim).where(Claim.key.startswith(ref, autoescape=True)).limit(10)
        ).all()
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise Ambiguous("claim", ref, [match.key for match in matches])
    keys = session.execute(select(Claim.key)).scalars().all()
    raise NotFound("claim", ref, closest(ref, keys, cutoff=70))


def set_claim_date(claim: Claim, prefix: str, date: ParsedDate | None) -> None:
    setattr(claim, f"{prefix}_edtf", date.edtf if date else None)
    setattr(claim, f"{prefix}_earliest", date.earliest if date else None)
    setattr(claim, f"{prefix}_latest", date.latest if date else None)


def reference_date(source: Source | None) -> dt.date | None:
    """The date a year-less date in a source is read against: the source's publication date."""
    return source.published_latest if source is not None else None


def find_or_add_measure(session: Session, name: str) -> Measure:
    normalized = normalise_name(name)
    if not normalized:
        raise InvalidInput(f"measure {name!r} has no letters or digits")
    measure = session.scalar(select(Measure).where(Measure.normalized == normalized))
    if measure is None:
        measure = Measure(name=name.strip(), normalized=normalized)
        session.add(measure)
    return measure


def tag_named(session: Session, name: str) -> Tag:
    cleaned = name.strip().lower()
    if not cleaned:
        raise InvalidInput("a tag cannot be empty")
    tag = session.scalar(select(Tag).where(Tag.name == cleaned))
    if tag is None:
        tag = Tag(name=cleaned)
        session.add(tag)
    return tag


def _default_stance(claim: Claim, source: Source) -> str:
    """A source published or written by the claimant asserts the claim; any other source reports it."""
    own = {source.publisher_id, *(author.id for author in source.authors)}
    return vocab.Stance.asserts if claim.claimant_id in own else vocab.Stance.reports


def anchor_appearance(appearance: Appearance, source: Source, warnings: list[str]) -> Anchor | None:
    if source.text is None or not appearance.passage:
        return None
    from .text.passages import anchor_passage

    anchor = anchor_passage(source.text, appearance.passage)
    appearance.anchor_status = anchor.method.value
    appearance.anchor_sha256 = source.sha256
    if anchor.found:
        appearance.anchor_start, appearance.anchor_end = anchor.start, anchor.end
        appearance.anchor_prefix, appearance.anchor_suffix = anchor.prefix, anchor.suffix
        if anchor.occurrences > 1:
            warnings.append(
                f"the passage occurs {anchor.occurrences} times in {source.key!r}; anchored the first"
            )
        if anchor.method == "normalised":
            warnings.append(
                f"the passage matches {source.key!r} only when quotes, dashes, spaces and case are "
                f"ignored; the source reads: {anchor.exact!r}"
            )
    else:
        closest_span = f"; closest ({anchor.score:.0f}% alike): {anchor.closest!r}" if anchor.closest else ""
        warnings.append(f"passage not found in the text of {source.key!r}, kept and flagged{closest_span}")
    return anchor


def appear_in(
    session: Session,
    claim: Claim,
    source: Source,
    *,
    stance: str | None,
    passage: str | None,
    locator: str | None,
    warnings: list[str],
    via: str | None = None,
    note: str | None = None,
) -> tuple[Appearance, Anchor | None]:
    stance = choose(vocab.Stance, stance, "stance") if stance else _default_stance(claim, source)
    upstream = find_source(session, via) if via else None
    if upstream is not None and upstream.id == source.id:
        raise InvalidInput(
            f"--via names {source.key!r} itself: give the source {source.key!r} took the claim from"
        )
    passage = passage.strip() if passage else None
    if passage == "":
        raise InvalidInput("the passage is empty")
    if passage is None and claim.kind == vocab.ClaimKind.quote and claim.quote and source.text:
        # A quote's own words are the natural passage: anchor them when the document holds them.
        from .text.passages import anchor_passage

        probe = anchor_passage(source.text, claim.quote)
        if probe.found:
            passage = probe.exact
    appearance = Appearance(
        claim=claim,
        source=source,
        stance=stance,
        passage=passage,
        locator=locator or None,
        via=upstream,
        note=note or None,
    )
    session.add(appearance)
    anchor = anchor_appearance(appearance, source, warnings)
    if appearance.locator is None and anchor is not None and anchor.found and anchor.start is not None:
        pages = source.file.pages if source.file is not None else None
        if pages:
            from .text.documents import page_of

            # The page the passage starts on, as a reader of the PDF would cite it.
            appearance.locator = f"p. {page_of(pages, anchor.start)}"
    return appearance, anchor


def add_claim(
    session: Session,
    text: str,
    *,
    by: str,
    kind: str | None = None,
    source: str | None = None,
    passage: str | None = None,
    locator: str | None = None,
    stance: str | None = None,
    via: str | None = None,
    quote: str | None = None,
    quote_language: str | None = None,
    translation: str | None = None,
    said_on: str | None = None,
    when: str | None = None,
    about: Sequence[str] = (),
    value: str | None = None,
    low: str | None = None,
    high: str | None = None,
    unit: str | None = None,
    counted: str | None = None,
    qualifier: str | None = None,
    measure: str | None = None,
    tags: Sequence[str] = (),
    notes: str | None = None,
) -> Logged:
    """Log one claim attributed to ``by``; with ``source``, also its first appearance.

    The kind is taken from what is given when not stated: words to quote make a quote, a value or range a
    figure, an event date an event, anything else a statement.
    """
    text = text.strip()
    if not text:
        raise InvalidInput("the claim text is empty")
    has_figure = any(part is not None for part in (value, low, high))
    if kind is None:
        kind = (
            vocab.ClaimKind.quote
            if quote
            else vocab.ClaimKind.figure
            if has_figure
            else vocab.ClaimKind.event
            if when
            else vocab.ClaimKind.statement
        )
    kind = choose(vocab.ClaimKind, kind, "claim kind")
    if passage is not None and source is None:
        raise InvalidInput("--passage needs --source: a passage is the claim's words in a source")
    if (locator or stance or via) and source is None:
        raise InvalidInput("--locator, --stance and --via need --source")

    claim = Claim(key=new_key(session), kind=kind, text=text, notes=notes, status=vocab.Status.unverified)
    claim.claimant = find_entity(session, by)
    claim.claimant_id = claim.claimant.id
    document = find_source(session, source) if source else None

    said = parse_date(said_on, reference_date(document)) if said_on else None
    set_claim_date(claim, "said", said)
    event_reference = said.latest if said and said.latest else reference_date(document)
    event = parse_date(when, event_reference) if when else None
    set_claim_date(claim, "event", event)
    # The parser says when it inferred something (a year taken from the source's date, a weekday that
    # does not fit): the researcher should see it.
    warnings = [f"{date.edtf}: {date.note}" for date in (said, event) if date and date.note]
    if kind == vocab.ClaimKind.event and not when:
        raise InvalidInput("an event claim needs --when DATE (the date of the event)")

    if kind == vocab.ClaimKind.quote:
        claim.quote = (quote or text).strip()
        claim.quote_language, claim.quote_translation = quote_language, translation
    elif quote or quote_language or translation:
        raise InvalidInput(f"--quote, --language and --translation apply to quotes, not to a {kind}")

    if kind == vocab.ClaimKind.figure:
        _set_figure(session, claim, value, low, high, unit, counted, qualifier, measure)
    elif has_figure or unit or counted or qualifier or measure:
        raise InvalidInput(f"figure options (--value, --low, --unit, ...) apply to figures, not to a {kind}")

    # One link per entity, however many of its names were given ("AF" and "Amber Front").
    subjects = {entity.id: entity for entity in (find_entity(session, name) for name in about)}
    for entity in subjects.values():
        claim.subject_links.append(ClaimSubject(entity=entity))
    for name in dict.fromkeys(tag.strip().lower() for tag in tags):
        claim.tag_links.append(ClaimTag(tag=tag_named(session, name)))
    claim.status_changes.append(
        StatusChange(
            old_status=None,
            new_status=vocab.Status.unverified,
            reason="logged",
            changed_by=current_actor(),
        )
    )
    session.add(claim)
    logged = Logged(claim=claim, warnings=warnings)
    if document is not None:
        logged.appearance, logged.anchor = appear_in(
            session,
            claim,
            document,
            stance=stance,
            passage=passage,
            locator=locator,
            warnings=warnings,
            via=via,
        )
        if claim.quote and document.text is not None:
            warnings += _quote_in_context(claim.quote, document, logged.appearance, logged.anchor)
    session.flush()
    return logged


def _quote_in_context(quote: str, source: Source, appearance: Appearance, anchor: Anchor | None) -> list[str]:
    """What checking a quote in its source's text found: elisions, brackets, a qualifying clause cut off."""
    from .verification import check_quote

    near = anchor.start if anchor is not None and anchor.found else None
    pages = source.file.pages if source.file is not None else None
    fidelity = check_quote(quote, source.text, near=near, pages=pages, locator=appearance.locator)
    if fidelity.status == "misquote":
        differs = f": {fidelity.diff}" if fidelity.diff else ""
        return [f"the quote is not in the text of {source.key!r}, logged as given{differs}"]
    return [f"quote: {finding}" for finding in fidelity.findings or []]


def _set_figure(
    session: Session,
    claim: Claim,
    value: str | None,
    low: str | None,
    high: str | None,
    unit: str | None,
    counted: str | None,
    qualifier: str | None,
    measure: str | None,
) -> None:
    if value is not None and (low is not None or high is not None):
        raise InvalidInput("give either --value or --low and --high, not both")
    if value is not None:
        number = parse_number(value)
        claim.figure_value = claim.figure_low = claim.figure_high = number
    elif low is not None and high is not None:
        claim.figure_low, claim.figure_high = parse_number(low), parse_number(high)
        if claim.figure_low > claim.figure_high:
            raise InvalidInput(
                f"the range is inverted: --low {format_number(claim.figure_low)} is above "
                f"--high {format_number(claim.figure_high)}"
            )
    elif low is not None or high is not None:
        raise InvalidInput(
            "a range needs both --low and --high; for a bound such as 'at least 5,000' use "
            "--value 5000 --qualifier at-least"
        )
    else:
        raise InvalidInput("a figure needs --value N or --low N --high N")
    claim.figure_unit = unit or None
    claim.figure_counted = counted.strip() if counted else None
    claim.figure_qualifier = read_qualifier(qualifier) if qualifier else None
    claim.measure = find_or_add_measure(session, measure) if measure else None


def relate(session: Session, ref: str, other: str, kind: str, note: str | None = None) -> ClaimRelation:
    """Record that claim ``ref`` <kind> claim ``other`` ("k3m denies p9x")."""
    kind = choose(vocab.RelationKind, kind, "relation")
    claim, target = find_claim(session, ref), find_claim(session, other)
    if claim.id == target.id:
        raise InvalidInput(f"claim {claim.key} cannot be related to itself")
    exists = session.scalar(
        select(ClaimRelation.id).where(
            ClaimRelation.claim_id == claim.id,
            ClaimRelation.other_id == target.id,
            ClaimRelation.kind == kind,
        )
    )
    if exists:
        raise Conflict(f"claim {claim.key} is already recorded as {kind} {target.key}")
    relation = ClaimRelation(claim=claim, other=target, kind=kind, note=note)
    session.add(relation)
    session.flush()
    return relation


def counter(
    session: Session,
    ref: str,
    text: str,
    *,
    by: str,
    kind: str,
    source: str | None = None,
    passage: str | None = None,
    locator: str | None = None,
    said_on: str | None = None,
    quote: str | None = None,
) -> Logged:
    """Log a counter-statement (a denial, rebuttal, contradiction, correction or retraction) of a claim.

    The counter-statement is a claim of its own, with its own claimant and sources, related to the first.
    """
    relation_kind = choose(vocab.RelationKind, kind, "counter-statement kind")
    if relation_kind not in vocab.COUNTER_KINDS:
        allowed = ", ".join(sorted(k.value for k in vocab.COUNTER_KINDS))
        raise InvalidInput(f"a counter-statement {relation_kind} nothing; use one of: {allowed}")
    target = find_claim(session, ref)
    logged = add_claim(
        session,
        text,
        by=by,
        kind=vocab.ClaimKind.quote if quote else vocab.ClaimKind.statement,
        quote=quote,
        source=source,
        passage=passage,
        locator=locator,
        said_on=said_on,
    )
    logged.relation = relate(session, logged.claim.key, target.key, relation_kind)
    return logged


def set_status(session: Session, ref: str, status: str, reason: str) -> StatusChange:
    """Change a claim's status; every change keeps its reason and who made it. Nothing is deleted."""
    status = choose(vocab.Status, status, "status")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("a status change needs a reason (--reason)")
    claim = find_claim(session, ref)
    if claim.status == status:
        raise Conflict(f"claim {claim.key} is already {status}")
    change = StatusChange(
        claim=claim, old_status=claim.status, new_status=status, reason=reason, changed_by=current_actor()
    )
    claim.status = status
    session.add(change)
    session.flush()
    return change
