"""Entities (people, organisations, governments, media), their aliases, ties and reliability grades."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .errors import Ambiguous, Conflict, InvalidInput, NotFound
from .models import Affiliation, Claim, Entity, EntityAlias, Source
from .records import AffiliationRecord, EntityRecord, EntityRow
from .text.dates import ParsedDate, parse_date
from .text.names import closest, normalise_name


def choose(enum: type[vocab.StrEnum], value: str, what: str) -> str:
    """Check ``value`` against a vocabulary and return its stored form, or fail with the accepted values."""
    cleaned = value.strip().lower().replace("_", "-").replace(" ", "-")
    for member in enum:
        if member.value.lower() == cleaned:
            return member.value
    accepted = ", ".join(member.value for member in enum)
    raise InvalidInput(f"unknown {what} {value!r}; use one of: {accepted}")


def normalised_or_fail(name: str, what: str = "name") -> str:
    normalized = normalise_name(name)
    if not normalized:
        raise InvalidInput(f"{what} {name!r} has no letters or digits")
    return normalized


def find_entity(session: Session, name: str) -> Entity:
    """The entity whose name or alias matches ``name`` case-, accent- and punctuation-insensitively."""
    normalized = normalised_or_fail(name, "entity name")
    entity = session.scalar(select(Entity).join(EntityAlias).where(EntityAlias.normalized == normalized))
    if entity is not None:
        return entity
    # Several entities whose names start with what was typed ("Amber" for "Amber Front", "Amber Voice"):
    # say so rather than pick one, since a wrong attribution is worse than a question.
    starts = (
        session.execute(
            select(Entity.name)
            .join(EntityAlias)
            .where(EntityAlias.normalized.startswith(normalized + " "))
            .distinct()
            .limit(10)
        )
        .scalars()
        .all()
    )
    if len(starts) > 1:
        raise Ambiguous("entity", name, sorted(starts))
    aliases = session.execute(select(EntityAlias.alias)).scalars().all()
    raise NotFound("entity", name, closest(name, aliases))


def add_alias(session: Session, entity: Entity, alias: str) -> bool:
    """Attach ``alias`` to ``entity``; False when it already names this entity."""
    alias = alias.strip()
    normalized = normalised_or_fail(alias, "alias")
    existing = session.scalar(select(EntityAlias).where(EntityAlias.normalized == normalized))
    if existing is not None:
        if existing.entity_id == entity.id and entity.id is not None:
            return False
        raise Conflict(f"{alias!r} already names the entity {existing.entity.name!r}")
    for pending in entity.aliases:
        if pending.normalized == normalized:
            return False
    entity.aliases.append(EntityAlias(alias=alias, normalized=normalized))
    session.flush()
    return True


def add_entity(
    session: Session,
    name: str,
    *,
    kind: str = "organization",
    aliases: Sequence[str] = (),
    description: str | None = None,
    headcount: int | None = None,
    body: str | None = None,
    tie: str = vocab.AffiliationKind.member_of,
) -> Entity:
    """Record a new entity under ``name``, with optional aliases (acronyms, transliterations, old names).

    An unnamed claimant (kind ``unnamed``: "three interior ministry officials") may say how many it is
    (``headcount``) and the body it belongs to (``body``, tied as ``tie``, member-of by default)."""
    name = name.strip()
    normalised_or_fail(name, "entity name")
    kind = choose(vocab.EntityKind, kind, "entity kind")
    if headcount is not None:
        if kind != vocab.EntityKind.unnamed:
            raise InvalidInput("--count is for unnamed claimants (--kind unnamed)")
        if headcount < 1:
            raise InvalidInput("--count must be at least 1")
    if body is not None:
        find_entity(session, body)  # fail before anything is added
    entity = Entity(name=name, kind=kind, description=description, headcount=headcount)
    session.add(entity)
    add_alias(session, entity, name)
    for alias in aliases:
        add_alias(session, entity, alias)
    if body is not None:
        affiliate(session, name, body, kind=tie)
    return entity


def look_alike(name: str) -> str:
    """A name's UTS #39 skeleton, case- and punctuation-insensitive: names that look the same to a reader
    ("Аmber Front" with a Cyrillic А, "Amber Front") have the same one."""
    from disarm import skeleton_key

    return normalise_name(skeleton_key(name, digit_policy="tr39"))


def look_alikes(session: Session, entity: Entity, names: Sequence[str]) -> list[tuple[str, str, str]]:
    """(name, the other entity's name, its name or alias that looks the same) for each of ``names`` that
    looks like a name of another entity without being it: a reader would take them for one, and the ledger
    holds two."""
    wanted: dict[str, list[str]] = {}
    for name in names:
        wanted.setdefault(look_alike(name), []).append(name)
    found: list[tuple[str, str, str]] = []
    rows = session.execute(
        select(EntityAlias.alias, EntityAlias.normalized, Entity.name)
        .join(Entity, EntityAlias.entity_id == Entity.id)
        .where(EntityAlias.entity_id != entity.id)
        .order_by(Entity.name)
    )
    for alias, normalized, other in rows:
        for name in wanted.get(look_alike(alias), ()):
            if normalise_name(name) != normalized and all(seen[:2] != (name, other) for seen in found):
                found.append((name, other, alias))
    return found


def add_aliases(session: Session, name: str, aliases: Sequence[str]) -> tuple[Entity, list[str]]:
    """Give an entity more names; returns the entity and the aliases that were new."""
    if not aliases:
        raise InvalidInput("give at least one alias")
    entity = find_entity(session, name)
    added = [alias.strip() for alias in aliases if add_alias(session, entity, alias)]
    return entity, added


def _date_or_none(text: str | None, reference: Any = None) -> ParsedDate | None:
    return parse_date(text, reference) if text else None


def affiliate(
    session: Session,
    name: str,
    other: str,
    *,
    kind: str,
    since: str | None = None,
    until: str | None = None,
    source: Source | None = None,
    note: str | None = None,
) -> Affiliation:
    """Record that ``name`` <kind> ``other`` (e.g. "Amber Voice" part-of "Amber Front"), optionally dated, and
    optionally with the ``source`` that documents the tie."""
    kind = choose(vocab.AffiliationKind, kind, "affiliation kind")
    entity, target = find_entity(session, name), find_entity(session, other)
    if entity.id == target.id:
        raise InvalidInput(f"{entity.name!r} cannot be affiliated with itself")
    start, end = _date_or_none(since), _date_or_none(until)
    if start and end and start.earliest and end.latest and start.earliest > end.latest:
        raise InvalidInput(f"the tie cannot end ({end.edtf}) before it begins ({start.edtf})")
    duplicate = session.scalar(
        select(Affiliation).where(
            Affiliation.entity_id == entity.id,
            Affiliation.other_id == target.id,
            Affiliation.kind == kind,
            Affiliation.since_edtf.is_(None) if start is None else Affiliation.since_edtf == start.edtf,
        )
    )
    if duplicate is not None:
        raise Conflict(f"{entity.name!r} is already recorded as {kind} {target.name!r}")
    tie = Affiliation(entity=entity, other=target, kind=kind, note=note)
    if start:
        tie.since_edtf, tie.since_earliest, tie.since_latest = start.edtf, start.earliest, start.latest
    if end:
        tie.until_edtf, tie.until_earliest, tie.until_latest = end.edtf, end.earliest, end.latest
    if source is not None:
        tie.source = source
    session.add(tie)
    session.flush()
    return tie


def grade(session: Session, name: str, reliability: str, note: str | None = None) -> Entity:
    """Set an entity's source-reliability grade on the Admiralty scale (A reliable ... F cannot be judged)."""
    entity = find_entity(session, name)
    entity.reliability = choose(vocab.Grade, reliability.upper(), "reliability grade")
    entity.reliability_note = note
    session.flush()
    return entity


def list_entities(session: Session, *, kind: str | None = None) -> list[EntityRow]:
    """Every entity with its aliases, grade and how many claims it makes."""
    claim_counts = dict(
        session.execute(select(Claim.claimant_id, func.count()).group_by(Claim.claimant_id)).all()
    )
    query = select(Entity).options(selectinload(Entity.aliases)).order_by(func.lower(Entity.name))
    if kind:
        query = query.where(Entity.kind == choose(vocab.EntityKind, kind, "entity kind"))
    return [
        {
            "name": entity.name,
            "kind": entity.kind,
            "aliases": _other_names(entity),
            "reliability": entity.reliability,
            "claims": claim_counts.get(entity.id, 0),
        }
        for entity in session.scalars(query)
    ]


def _other_names(entity: Entity) -> list[str]:
    return [alias.alias for alias in entity.aliases if alias.alias != entity.name]


def affiliation_record(tie: Affiliation) -> AffiliationRecord:
    return {
        "entity": tie.entity.name,
        "kind": tie.kind,
        "other": tie.other.name,
        "since": tie.since_edtf,
        "until": tie.until_edtf,
        "source": tie.source.key if tie.source else None,
        "note": tie.note,
    }


def entity_record(session: Session, entity: Entity) -> EntityRecord:
    """Everything about one entity: names, grade, ties both ways, and what it said and published."""
    ties = session.scalars(
        select(Affiliation)
        .where(or_(Affiliation.entity_id == entity.id, Affiliation.other_id == entity.id))
        .order_by(Affiliation.id)
    ).all()
    claims = session.scalar(select(func.count()).where(Claim.claimant_id == entity.id)) or 0
    published = session.scalars(
        select(Source.key).where(Source.publisher_id == entity.id).order_by(Source.key)
    ).all()
    return {
        "name": entity.name,
        "kind": entity.kind,
        "aliases": _other_names(entity),
        "count": entity.headcount,
        "description": entity.description,
        "reliability": entity.reliability,
        "reliability_meaning": vocab.GRADE_MEANING[vocab.Grade(entity.reliability)]
        if entity.reliability
        else None,
        "reliability_note": entity.reliability_note,
        "affiliations": [affiliation_record(tie) for tie in ties],
        "claims": claims,
        "sources_published": list(published),
    }
