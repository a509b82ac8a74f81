"""Correcting the record: edits, withdrawals, tags after the fact, and merges of duplicates.

Every correction is one history entry (:func:`claimtrack.history.entry`) that keeps the researcher's reason
with the changed rows' before and after; nothing is deleted that the history does not hold whole. An edit
that would change nothing is refused before anything is written, and so is one that would leave the record
inconsistent (an inverted range, a tie that ends before it begins, a merge of a record into itself). Stored
verdicts (``claim_checks``) follow at once; the search index follows by its triggers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import vocab
from .claims import (
    Logged,
    anchor_appearance,
    appear_in,
    find_claim,
    find_or_add_measure,
    reference_date,
    set_claim_date,
    tag_named,
)
from .entities import add_alias, choose, find_entity, normalised_or_fail
from .errors import Conflict, InvalidInput
from .history import entry
from .models import (
    Affiliation,
    Appearance,
    Claim,
    ClaimCheck,
    ClaimRelation,
    ClaimSubject,
    ClaimTag,
    Source,
    SourceAuthor,
    StatusChange,
    utcnow,
)
from .sources import find_source
from .text.dates import parse_date
from .text.quantities import format_number, parse_number, read_qualifier


@dataclass
class Corrected:
    """What a correction changed, field by field, for the command line to say (on stderr)."""

    record: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def set(self, obj: Any, attribute: str, value: Any, shown: str | None = None) -> None:
        """Set ``obj.attribute`` to ``value`` when it differs, noting the change."""
        old = getattr(obj, attribute)
        if old != value:
            self.changes.append((shown or attribute, old, value))
            setattr(obj, attribute, value)

    def lines(self) -> list[str]:
        return [f"{name}: {_shown(old)} → {_shown(new)}" for name, old, new in self.changes]


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "none"
    return repr(value) if isinstance(value, str) else str(value)


def _nothing(corrected: Corrected) -> None:
    if not corrected.changes:
        raise InvalidInput(f"nothing to change: {corrected.record} already reads so")


def _text(value: str | None) -> str | None:
    """An optional text option: given empty, it clears the field."""
    return (value.strip() or None) if value is not None else None


def refresh_checks(session: Session, claim_ids: Iterable[int] | None) -> None:
    """Recompute the stored verdicts (``claim_checks``) of these claims (None: every claim that has one), so
    that the file read on its own (the ``claim_overview`` view) agrees with the corrected record.

    A correction that reaches every claim (a tie, a merged entity) counts them all in this session, by the
    check's own counting pass (not its worker processes, which would not see this transaction's changes)."""
    from .independence import Checker
    from .views import record_checks

    session.flush()
    query = select(ClaimCheck.claim_id, ClaimCheck.threshold, Claim.claimant_id).join(
        Claim, Claim.id == ClaimCheck.claim_id
    )
    wanted = None if claim_ids is None else sorted(set(claim_ids))
    rows: list[Any] = []
    if wanted is None:
        rows = list(session.execute(query))
    else:
        for start in range(0, len(wanted), 500):
            rows.extend(session.execute(query.where(ClaimCheck.claim_id.in_(wanted[start : start + 500]))))
    if not rows:
        return
    stored = {claim_id: threshold for claim_id, threshold, _claimant in rows}
    checker = Checker(session)
    if wanted is None:
        counted = checker.independent_counts()
    else:
        counted = ((v.claim_id, v.independent) for v in checker.verdicts([(r[0], r[2]) for r in rows]))
    # The count does not depend on the threshold; whether it is lacking does, and each row keeps its own.
    by_threshold: dict[int, list[tuple[int, int]]] = {}
    for claim_id, independent in counted:
        if claim_id in stored:
            by_threshold.setdefault(stored[claim_id], []).append((claim_id, independent))
    now = utcnow()
    for threshold, counts in by_threshold.items():
        record_checks(session, counts, threshold=threshold, checked_at=now)


# ---- claims ----------------------------------------------------------------------------------------------


def edit_claim(
    session: Session,
    ref: str,
    *,
    reason: str,
    text: str | None = None,
    by: str | None = None,
    quote: str | None = None,
    language: str | None = None,
    translation: str | None = None,
    value: str | None = None,
    low: str | None = None,
    high: str | None = None,
    unit: str | None = None,
    counted: str | None = None,
    qualifier: str | None = None,
    measure: str | None = None,
    said_on: str | None = None,
    when: str | None = None,
    about: Sequence[str] = (),
    no_about: Sequence[str] = (),
) -> Corrected:
    """Correct a claim's fields; a given empty text clears an optional field. One history entry."""
    claim = find_claim(session, ref)
    corrected = Corrected(f"claim {claim.key}")
    with entry(session, "edit", claim, f"claim {claim.key}", reason):
        if text is not None:
            if not text.strip():
                raise InvalidInput("the claim text is empty")
            corrected.set(claim, "text", text.strip())
        if by is not None:
            claimant = find_entity(session, by)
            if claimant.id != claim.claimant_id:
                corrected.changes.append(("by", claim.claimant.name, claimant.name))
                claim.claimant = claimant
        quote_given = any(part is not None for part in (quote, language, translation))
        if quote_given:
            if claim.kind != vocab.ClaimKind.quote:
                raise InvalidInput(
                    f"--quote, --language and --translation apply to quotes, not to a {claim.kind}"
                )
            if quote is not None:
                if not quote.strip():
                    raise InvalidInput("a quote's words cannot be empty")
                corrected.set(claim, "quote", quote.strip(), "quote")
            if language is not None:
                corrected.set(claim, "quote_language", _text(language), "language")
            if translation is not None:
                corrected.set(claim, "quote_translation", _text(translation), "translation")
        figure_given = any(part is not None for part in (value, low, high, unit, counted, qualifier, measure))
        if figure_given:
            if claim.kind != vocab.ClaimKind.figure:
                raise InvalidInput(
                    f"figure options (--value, --low, --unit, ...) apply to figures, not to a {claim.kind}"
                )
            _edit_figure(session, claim, corrected, value, low, high, unit, counted, qualifier, measure)
        reference = reference_date(claim.appearances[0].source) if claim.appearances else None
        if said_on is not None:
            said = parse_date(said_on, reference) if said_on.strip() else None
            if said and said.note:
                corrected.warnings.append(f"{said.edtf}: {said.note}")
            if (said.edtf if said else None) != claim.said_edtf:
                corrected.changes.append(("said on", claim.said_edtf, said.edtf if said else None))
                set_claim_date(claim, "said", said)
        if when is not None:
            if not when.strip() and claim.kind == vocab.ClaimKind.event:
                raise InvalidInput("an event claim needs a date: --when cannot clear it")
            event_reference = claim.said_latest or reference
            event = parse_date(when, event_reference) if when.strip() else None
            if event and event.note:
                corrected.warnings.append(f"{event.edtf}: {event.note}")
            if (event.edtf if event else None) != claim.event_edtf:
                corrected.changes.append(("when", claim.event_edtf, event.edtf if event else None))
                set_claim_date(claim, "event", event)
        _edit_subjects(session, claim, corrected, about, no_about)
        _nothing(corrected)
    refresh_checks(session, [claim.id])
    return corrected


def _edit_figure(
    session: Session,
    claim: Claim,
    corrected: Corrected,
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
    before = (claim.figure_value, claim.figure_low, claim.figure_high)
    if value is not None:
        number = parse_number(value)
        after: tuple[float | None, float | None, float | None] = (number, number, number)
    elif low is not None or high is not None:
        new_low = parse_number(low) if low is not None else claim.figure_low
        new_high = parse_number(high) if high is not None else claim.figure_high
        if new_low is None or new_high is None:
            raise InvalidInput("a range needs both --low and --high")
        if new_low > new_high:
            raise InvalidInput(
                f"the range would be inverted: low {format_number(new_low)} is above high {format_number(new_high)}"
            )
        after = (new_low if new_low == new_high else None, new_low, new_high)
    else:
        after = before
    if after != before:
        corrected.changes.append(("figure", _figure_words(*before), _figure_words(*after)))
        claim.figure_value, claim.figure_low, claim.figure_high = after
    if unit is not None:
        corrected.set(claim, "figure_unit", _text(unit), "unit")
    if counted is not None:
        corrected.set(claim, "figure_counted", _text(counted), "counted")
    if qualifier is not None:
        chosen = read_qualifier(qualifier) if qualifier.strip() else None
        corrected.set(claim, "figure_qualifier", chosen, "qualifier")
    if measure is not None:
        new_measure = find_or_add_measure(session, measure) if measure.strip() else None
        old_name = claim.measure.name if claim.measure else None
        new_name = new_measure.name if new_measure else None
        if old_name != new_name:
            corrected.changes.append(("measure", old_name, new_name))
            claim.measure = new_measure


def _figure_words(value: float | None, low: float | None, high: float | None) -> str | None:
    if value is not None:
        return format_number(value)
    if low is None or high is None:
        return None
    return f"{format_number(low)}-{format_number(high)}"


def _edit_subjects(
    session: Session, claim: Claim, corrected: Corrected, about: Sequence[str], no_about: Sequence[str]
) -> None:
    current = {link.entity_id: link for link in claim.subject_links}
    for name in about:
        entity = find_entity(session, name)
        if entity.id not in current:
            link = ClaimSubject(entity=entity)
            claim.subject_links.append(link)
            current[entity.id] = link
            corrected.changes.append(("about", None, entity.name))
    for name in no_about:
        entity = find_entity(session, name)
        if entity.id not in current:
            raise InvalidInput(f"claim {claim.key} is not about {entity.name!r}")
        claim.subject_links.remove(current.pop(entity.id))
        corrected.changes.append(("about", entity.name, None))


def tag_claim(
    session: Session, ref: str, tags: Sequence[str], *, remove: bool = False
) -> tuple[Claim, list[str]]:
    """Add tags to a claim (made as needed), or remove them; returns the claim and the tags that changed."""
    claim = find_claim(session, ref)
    names = list(dict.fromkeys(name.strip().lower() for name in tags))
    if not names or not all(names):
        raise InvalidInput("give one or more tags, none empty")
    have = {link.tag.name: link for link in claim.tag_links}
    changed = []
    for name in names:
        if remove:
            if name not in have:
                raise InvalidInput(f"claim {claim.key} has no tag {name!r}" + _its_tags(have))
            claim.tag_links.remove(have.pop(name))
            changed.append(name)
        elif name not in have:
            have[name] = ClaimTag(tag=tag_named(session, name))
            claim.tag_links.append(have[name])
            changed.append(name)
    if not changed:
        raise InvalidInput(f"nothing to change: claim {claim.key} already has those tags")
    session.flush()
    return claim, changed


def _its_tags(have: dict[str, Any]) -> str:
    return f"; its tags: {', '.join(sorted(have))}" if have else "; it has none"


# ---- appearances -----------------------------------------------------------------------------------------


def live_appearance(session: Session, claim: Claim, source: Source) -> Appearance | None:
    """The claim's first appearance in the source that is not withdrawn."""
    return session.scalar(
        select(Appearance)
        .where(
            Appearance.claim_id == claim.id,
            Appearance.source_id == source.id,
            Appearance.withdrawn_at.is_(None),
        )
        .order_by(Appearance.id)
        .limit(1)
    )


def edit_appearance(
    session: Session,
    appearance: Appearance,
    *,
    reason: str,
    changes: dict[str, str | None],
) -> Corrected:
    """Correct an appearance's fields: ``changes`` maps a field (stance, passage, locator, note, via) to its new
    value (None: leave it; empty text: clear it). A changed passage is anchored again in the stored text.

    Written over the fields generically, so that a field added to appearances joins by adding it here."""
    source, claim = appearance.source, appearance.claim
    corrected = Corrected(f"the appearance of claim {claim.key} in {source.key!r}")
    with entry(session, "edit", appearance, f"appearance of claim {claim.key} in {source.key}", reason):
        for name, given in changes.items():
            if given is None:
                continue
            if name == "stance":
                corrected.set(appearance, "stance", choose(vocab.Stance, given, "stance"))
            elif name in ("passage", "locator", "note"):
                corrected.set(appearance, name, _text(given))
            elif name == "via":
                upstream = find_source(session, given) if given.strip() else None
                if upstream is not None and upstream.id == source.id:
                    raise InvalidInput(
                        f"--via names {source.key!r} itself: give the source {source.key!r} took the claim from"
                    )
                before = appearance.via.key if appearance.via is not None else None
                after = upstream.key if upstream is not None else None
                if before != after:
                    corrected.changes.append(("via", before, after))
                    appearance.via = upstream
            else:
                raise InvalidInput(f"an appearance has no field {name!r}")
        if any(name == "passage" for name, _old, _new in corrected.changes):
            for anchor_field in (
                "anchor_start",
                "anchor_end",
                "anchor_prefix",
                "anchor_suffix",
                "anchor_status",
                "anchor_sha256",
            ):
                setattr(appearance, anchor_field, None)
            anchor = anchor_appearance(appearance, source, corrected.warnings)
            if anchor is not None:
                corrected.changes.append(("anchored", None, anchor.method.value))
        _nothing(corrected)
    refresh_checks(session, [claim.id])
    return corrected


def cite(
    session: Session,
    ref: str,
    source: str,
    *,
    stance: str | None = None,
    passage: str | None = None,
    locator: str | None = None,
    via: str | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> Logged:
    """Record that a claim appears in another source, with what that source does with it (by default, as
    ``claim add`` chooses: asserts when the claimant published or wrote the source, else reports).

    When the claim already appears there, the appearance is corrected instead: the fields given replace
    its own (a new passage is anchored again; ``via`` is the source it took the claim from, when it is
    not its own reporting), in one history entry with ``reason``."""
    claim = find_claim(session, ref)
    document = find_source(session, source)
    existing = live_appearance(session, claim, document)
    if existing is not None:
        corrected = edit_appearance(
            session,
            existing,
            reason=reason or "corrected with `claim cite`",
            changes={"stance": stance, "passage": passage, "locator": locator, "note": note, "via": via},
        )
        return Logged(
            claim=claim, appearance=existing, warnings=corrected.warnings, corrected=corrected.lines()
        )
    warnings: list[str] = []
    appearance, anchor = appear_in(
        session,
        claim,
        document,
        stance=stance,
        passage=passage,
        locator=locator,
        warnings=warnings,
        via=via,
        note=note,
    )
    session.flush()
    return Logged(claim=claim, appearance=appearance, anchor=anchor, warnings=warnings)


def uncite(session: Session, ref: str, source_key: str, *, reason: str) -> list[Appearance]:
    """Withdraw a claim's appearances in a source, logged in error: kept, marked withdrawn with the reason,
    and counted in no verdict."""
    claim, source = find_claim(session, ref), find_source(session, source_key)
    live = session.scalars(
        select(Appearance).where(
            Appearance.claim_id == claim.id,
            Appearance.source_id == source.id,
            Appearance.withdrawn_at.is_(None),
        )
    ).all()
    if not live:
        raise InvalidInput(f"claim {claim.key} has no appearance in {source.key!r} to withdraw")
    with entry(session, "withdraw", live[0], f"appearance of claim {claim.key} in {source.key}", reason):
        now = utcnow()
        for appearance in live:
            appearance.withdrawn_at = now
            appearance.withdrawn_reason = reason.strip()
    refresh_checks(session, [claim.id])
    return list(live)


# ---- sources ---------------------------------------------------------------------------------------------


def edit_source(
    session: Session,
    key: str,
    *,
    reason: str,
    title: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    authors: Sequence[str] = (),
    no_authors: Sequence[str] = (),
    published: str | None = None,
    accessed: str | None = None,
    language: str | None = None,
) -> Corrected:
    """Correct a source's description; a given empty text clears an optional field. One history entry."""
    source = find_source(session, key)
    corrected = Corrected(f"source {source.key!r}")
    with entry(session, "edit", source, f"source {source.key}", reason):
        if title is not None:
            corrected.set(source, "title", _text(title))
        if kind is not None:
            corrected.set(source, "kind", choose(vocab.SourceKind, kind, "source kind"))
        if url is not None:
            corrected.set(source, "url", _text(url))
        if language is not None:
            corrected.set(source, "language", _text(language))
        if publisher is not None:
            new = find_entity(session, publisher) if publisher.strip() else None
            if (new.id if new else None) != source.publisher_id:
                corrected.changes.append(
                    (
                        "publisher",
                        source.publisher.name if source.publisher else None,
                        new.name if new else None,
                    )
                )
                source.publisher = new
        for name, given in (("published", published), ("accessed", accessed)):
            if given is None:
                continue
            date = parse_date(given) if given.strip() else None
            if (date.edtf if date else None) != getattr(source, f"{name}_edtf"):
                corrected.changes.append((name, getattr(source, f"{name}_edtf"), date.edtf if date else None))
                for part in ("edtf", "earliest", "latest"):
                    setattr(source, f"{name}_{part}", getattr(date, part) if date else None)
        current = {link.entity_id: link for link in source.author_links}
        for name in authors:
            entity = find_entity(session, name)
            if entity.id not in current:
                link = SourceAuthor(entity=entity, position=len(source.author_links))
                source.author_links.append(link)
                current[entity.id] = link
                corrected.changes.append(("author", None, entity.name))
        for name in no_authors:
            entity = find_entity(session, name)
            if entity.id not in current:
                raise InvalidInput(f"{entity.name!r} is not an author of {source.key!r}")
            source.author_links.remove(current.pop(entity.id))
            corrected.changes.append(("author", entity.name, None))
        _nothing(corrected)
    refresh_checks(session, _claims_in(session, [source.id]))
    return corrected


def _claims_in(session: Session, source_ids: Sequence[int]) -> list[int]:
    return list(session.scalars(select(Appearance.claim_id).where(Appearance.source_id.in_(source_ids))))


# ---- entities and ties -----------------------------------------------------------------------------------


def edit_entity(
    session: Session,
    name: str,
    *,
    reason: str,
    new_name: str | None = None,
    kind: str | None = None,
    description: str | None = None,
    headcount: int | None = None,
    remove_aliases: Sequence[str] = (),
) -> Corrected:
    """Correct an entity. A new name keeps the old one as an alias (a former name still finds it)."""
    entity = find_entity(session, name)
    corrected = Corrected(f"entity {entity.name!r}")
    with entry(session, "edit", entity, f"entity {entity.name}", reason):
        if new_name is not None and new_name.strip() != entity.name:
            cleaned = new_name.strip()
            normalised_or_fail(cleaned, "entity name")
            add_alias(session, entity, cleaned)
            corrected.set(entity, "name", cleaned)
        if kind is not None:
            corrected.set(entity, "kind", choose(vocab.EntityKind, kind, "entity kind"))
        if description is not None:
            corrected.set(entity, "description", _text(description))
        if headcount is not None:
            if headcount < 1:
                raise InvalidInput("--count must be at least 1")
            corrected.set(entity, "headcount", headcount, "count")
        if entity.headcount is not None and entity.kind != vocab.EntityKind.unnamed:
            raise InvalidInput("a count is for unnamed claimants (--kind unnamed)")
        for alias in remove_aliases:
            normalized = normalised_or_fail(alias, "alias")
            found = next((a for a in entity.aliases if a.normalized == normalized), None)
            if found is None:
                raise InvalidInput(f"{alias!r} is not an alias of {entity.name!r}")
            if found.alias == entity.name or normalised_or_fail(entity.name) == normalized:
                raise InvalidInput(f"{alias!r} is {entity.name!r}'s name; rename it with --name first")
            entity.aliases.remove(found)
            corrected.changes.append(("alias", found.alias, None))
        _nothing(corrected)
    return corrected


def affiliate_or_end(
    session: Session,
    name: str,
    other: str,
    *,
    kind: str,
    since: str | None = None,
    until: str | None = None,
    source_key: str | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> tuple[Affiliation, Corrected | None]:
    """Record a tie; or, given ``until`` for a tie already recorded and still in force (the one that began
    ``since``, when given), end it. Returns the tie and, when an existing one was ended, what changed."""
    from .entities import affiliate

    if until:
        kind_value = choose(vocab.AffiliationKind, kind, "affiliation kind")
        entity, target = find_entity(session, name), find_entity(session, other)
        query = select(Affiliation).where(
            Affiliation.entity_id == entity.id,
            Affiliation.other_id == target.id,
            Affiliation.kind == kind_value,
            Affiliation.until_edtf.is_(None),
        )
        if since:
            query = query.where(Affiliation.since_edtf == parse_date(since).edtf)
        open_ties = session.scalars(query).all()
        if len(open_ties) == 1:
            if source_key or note:
                raise InvalidInput("ending a recorded tie takes --until (and --reason) only")
            return open_ties[0], end_tie(session, open_ties[0], until, reason=reason)
    source = find_source(session, source_key) if source_key else None
    tie = affiliate(session, name, other, kind=kind, since=since, until=until, source=source, note=note)
    return tie, None


def end_tie(session: Session, tie: Affiliation, until: str, *, reason: str | None = None) -> Corrected:
    """End a tie that is in force: it held until ``until``."""
    end = parse_date(until)
    label = f"tie {tie.entity.name} {tie.kind} {tie.other.name}"
    if tie.since_earliest and end.latest and tie.since_earliest > end.latest:
        raise InvalidInput(f"the tie cannot end ({end.edtf}) before it begins ({tie.since_edtf})")
    corrected = Corrected(label)
    with entry(session, "edit", tie, label, reason or f"the tie ended: {end.edtf}"):
        corrected.set(tie, "until_edtf", end.edtf, "until")
        tie.until_earliest, tie.until_latest = end.earliest, end.latest
        _nothing(corrected)
    refresh_checks(session, None)
    return corrected


def untie(
    session: Session, name: str, other: str, *, kind: str, reason: str, since: str | None = None
) -> Affiliation:
    """Withdraw a tie logged in error. The history keeps it whole, with the reason."""
    kind = choose(vocab.AffiliationKind, kind, "affiliation kind")
    entity, target = find_entity(session, name), find_entity(session, other)
    query = select(Affiliation).where(
        Affiliation.entity_id == entity.id, Affiliation.other_id == target.id, Affiliation.kind == kind
    )
    if since:
        query = query.where(Affiliation.since_edtf == parse_date(since).edtf)
    ties = session.scalars(query.order_by(Affiliation.id)).all()
    if not ties:
        raise InvalidInput(f"no tie {entity.name!r} {kind} {target.name!r} is recorded")
    if len(ties) > 1:
        spans = ", ".join(f"since {tie.since_edtf or 'unknown'}" for tie in ties)
        raise InvalidInput(f"{len(ties)} such ties are recorded ({spans}); say which with --since")
    tie = ties[0]
    with entry(session, "withdraw", tie, f"tie {entity.name} {kind} {target.name}", reason):
        session.delete(tie)
    refresh_checks(session, None)
    return tie


# ---- merges ----------------------------------------------------------------------------------------------


@dataclass
class Merged:
    """What a merge moved, counted, for the command line to say."""

    duplicate: str
    keep: str
    moved: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, what: str, number: int = 1) -> None:
        if number:
            self.moved[what] = self.moved.get(what, 0) + number


def merge_entities(session: Session, duplicate: str, keep: str, *, reason: str) -> Merged:
    """Merge a duplicate entity into the one to keep, in one transaction and one history entry: its names
    (the duplicate's own name becomes an alias), ties, sources published and written, claims made and about,
    and its grade (when the one kept has none) move; the duplicate is then gone, whole in the history."""
    dup, kept = find_entity(session, duplicate), find_entity(session, keep)
    if dup.id == kept.id:
        raise InvalidInput(
            f"cannot merge {dup.name!r} into itself ({duplicate!r} and {keep!r} name one entity)"
        )
    merged = Merged(dup.name, kept.name)
    with entry(session, "merge", kept, f"entity {dup.name!r} into {kept.name!r}", reason):
        for alias in list(dup.aliases):
            alias.entity = kept
            merged.count("names")
        ties = session.scalars(
            select(Affiliation).where(or_(Affiliation.entity_id == dup.id, Affiliation.other_id == dup.id))
        ).all()
        for tie in ties:
            ends = (
                kept.id if tie.entity_id == dup.id else tie.entity_id,
                kept.id if tie.other_id == dup.id else tie.other_id,
            )
            twin = session.scalar(
                select(Affiliation.id).where(
                    Affiliation.entity_id == ends[0],
                    Affiliation.other_id == ends[1],
                    Affiliation.kind == tie.kind,
                    Affiliation.id != tie.id,
                    Affiliation.since_edtf.is_(None)
                    if tie.since_edtf is None
                    else Affiliation.since_edtf == tie.since_edtf,
                )
            )
            if ends[0] == ends[1] or twin is not None:
                # A tie between the two (now one entity), or one the kept entity already has: kept in history.
                session.delete(tie)
                merged.count("ties dropped")
                continue
            tie.entity_id, tie.other_id = ends
            merged.count("ties")
        for source in session.scalars(select(Source).where(Source.publisher_id == dup.id)):
            source.publisher = kept
            merged.count("sources published")
        for link in session.scalars(select(SourceAuthor).where(SourceAuthor.entity_id == dup.id)).all():
            source_id, position = link.source_id, link.position
            session.delete(link)
            session.flush()
            if session.get(SourceAuthor, (source_id, kept.id)) is None:
                session.add(SourceAuthor(source_id=source_id, entity_id=kept.id, position=position))
            merged.count("sources written")
        claims = session.scalars(select(Claim).where(Claim.claimant_id == dup.id)).all()
        for claim in claims:
            claim.claimant = kept
        merged.count("claims", len(claims))
        for subject in session.scalars(select(ClaimSubject).where(ClaimSubject.entity_id == dup.id)).all():
            claim_id = subject.claim_id
            session.delete(subject)
            session.flush()
            if session.get(ClaimSubject, (claim_id, kept.id)) is None:
                session.add(ClaimSubject(claim_id=claim_id, entity_id=kept.id))
            merged.count("claims about")
        if dup.reliability:
            if kept.reliability is None:
                kept.reliability, kept.reliability_note = dup.reliability, dup.reliability_note
                merged.count("grade")
            elif kept.reliability != dup.reliability:
                merged.warnings.append(
                    f"{kept.name!r} keeps its grade {kept.reliability}; {dup.name!r} had {dup.reliability}"
                )
        if not kept.description and dup.description:
            kept.description = dup.description
        if kept.headcount is None and dup.headcount is not None:
            kept.headcount = dup.headcount
        session.flush()
        session.expire(dup, ["aliases"])
        session.delete(dup)
    refresh_checks(session, None)
    return merged


def merge_claims(session: Session, duplicate: str, keep: str, *, reason: str) -> Merged:
    """Merge a claim logged twice into the one to keep, in one transaction and one history entry: its
    appearances, relations, tags and subjects move; the duplicate becomes superseded, same-as the one kept."""
    dup, kept = find_claim(session, duplicate), find_claim(session, keep)
    if dup.id == kept.id:
        raise InvalidInput(f"cannot merge claim {dup.key} into itself")
    if dup.claimant_id != kept.claimant_id:
        raise InvalidInput(
            f"claim {dup.key} is by {dup.claimant.name!r} and {kept.key} by {kept.claimant.name!r}: a merge joins "
            f"one claim logged twice; relate different claimants' claims with `claim relate --as same-as`"
        )
    already = session.scalar(
        select(ClaimRelation.id).where(
            ClaimRelation.claim_id == dup.id, ClaimRelation.kind == vocab.RelationKind.same_as,
            ClaimRelation.other_id == kept.id,
        )
    )  # fmt: skip
    if already is not None and dup.status == vocab.Status.superseded:
        raise Conflict(f"claim {dup.key} is already merged into {kept.key}")
    merged = Merged(dup.key, kept.key)
    with entry(session, "merge", kept, f"claim {dup.key} into {kept.key}", reason):
        for appearance in list(dup.appearances):
            appearance.claim = kept
            merged.count("appearances")
        existing = {
            (r.claim_id, r.other_id, r.kind)
            for r in session.scalars(
                select(ClaimRelation).where(
                    or_(ClaimRelation.claim_id == kept.id, ClaimRelation.other_id == kept.id)
                )
            )
        }
        relations = session.scalars(
            select(ClaimRelation).where(
                or_(ClaimRelation.claim_id == dup.id, ClaimRelation.other_id == dup.id)
            )
        ).all()
        for relation in relations:
            ends = (
                kept.id if relation.claim_id == dup.id else relation.claim_id,
                kept.id if relation.other_id == dup.id else relation.other_id,
            )
            if ends[0] == ends[1] or (*ends, relation.kind) in existing:
                session.delete(relation)
                merged.count("relations dropped")
                continue
            relation.claim_id, relation.other_id = ends
            existing.add((*ends, relation.kind))
            merged.count("relations")
        have_tags = {link.tag_id for link in kept.tag_links}
        for link in dup.tag_links:
            if link.tag_id not in have_tags:
                kept.tag_links.append(ClaimTag(tag=link.tag))
                have_tags.add(link.tag_id)
                merged.count("tags")
        have_subjects = {link.entity_id for link in kept.subject_links}
        for subject in dup.subject_links:
            if subject.entity_id not in have_subjects:
                kept.subject_links.append(ClaimSubject(entity=subject.entity))
                have_subjects.add(subject.entity_id)
        session.flush()
        if already is None:
            session.add(
                ClaimRelation(claim=dup, other=kept, kind=vocab.RelationKind.same_as, note=reason.strip())
            )
        if dup.status != vocab.Status.superseded:
            from .history import current_actor

            session.add(
                StatusChange(
                    claim=dup,
                    old_status=dup.status,
                    new_status=vocab.Status.superseded,
                    reason=f"merged into {kept.key}: {reason.strip()}",
                    changed_by=current_actor(),
                )
            )
            dup.status = vocab.Status.superseded
    refresh_checks(session, [dup.id, kept.id])
    return merged
