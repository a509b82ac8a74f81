"""Claims as they are read: one summary row each for a listing, everything about one claim for `claim show` and
the reports (its appearances, relations both ways, status history and sourcing verdict), fetched many at once.

The write side (logging claims, citing them, countering and relating them, their status) is in claims.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, select

from . import vocab
from .errors import InvalidInput
from .filters import ClaimFilter
from .text.dates import from_edtf
from .text.quantities import format_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .models import Claim
    from .records import (
        AppearanceRecord,
        ClaimRecord,
        ClaimRow,
        DateRecord,
        FigureRecord,
        QuoteRecord,
        RelationRecord,
    )

# A listing reads plain rows from the Core tables (claimtrack.tables) and never builds the ORM classes; the
# functions for whole records import the models when they are called (issue 19: start-up).


def date_record(edtf: str | None) -> DateRecord | None:
    """A stored date as the researcher reads it, with its precision and bounds."""
    if not edtf:
        return None
    return cast("DateRecord", dict(_read_date(edtf)))  # a copy: the caller owns its record


@lru_cache(maxsize=4096)
def _read_date(edtf: str) -> DateRecord:
    # A report reads the same few thousand dates again and again (20,000 for 10,000 claims): parsed once.
    date = from_edtf(edtf)
    return {
        "edtf": date.edtf,
        "display": date.display(),
        "precision": date.precision,
        "earliest": date.earliest.isoformat() if date.earliest else None,
        "latest": date.latest.isoformat() if date.latest else None,
    }


# What figure_text reads: a query of just these columns (and kind) gives rows it can format.
FIGURE_COLUMNS = (
    "figure_value",
    "figure_low",
    "figure_high",
    "figure_unit",
    "figure_counted",
    "figure_qualifier",
)


def figure_text(claim: Claim) -> str | None:
    """ "about 3,000 people", "2,800-3,800 deaths"."""
    if claim.kind != vocab.ClaimKind.figure or claim.figure_low is None:
        return None
    if claim.figure_value is not None:
        number = format_number(claim.figure_value)
    else:
        number = f"{format_number(claim.figure_low)}-{format_number(claim.figure_high)}"
    parts = [
        claim.figure_qualifier.replace("-", " ")
        if claim.figure_qualifier and claim.figure_qualifier != vocab.Qualifier.exact
        else "",
        number,
        claim.figure_unit or "",
        claim.figure_counted or "",
    ]
    return " ".join(part for part in parts if part)


def list_claims(
    session: Session,
    claim_filter: ClaimFilter | None = None,
    *,
    limit: int | None = None,
    lacking: bool = False,
) -> list[ClaimRow]:
    """The claims a filter selects, by date (undated last), one summary row each; with ``lacking``, only
    those that lack independent sources."""
    from .tables import appearances, claim_date_order, claims, entities

    if limit is not None and limit < 1:
        raise InvalidInput("--limit must be at least 1")
    # First the ids, in order: ORDER BY matches the expression index ix_claims_date_order, so the first
    # rows come straight off the index without sorting (or counting sources for) a million claims...
    query = (claim_filter or ClaimFilter()).apply(session, select(claims.c.id))
    query = query.order_by(*claim_date_order())
    if lacking:
        from .independence import lacking_ids

        keep = lacking_ids(session, claim_filter)
        ordered: list[int] = list(session.scalars(query))
        ids = [claim_id for claim_id in ordered if claim_id in keep][:limit]
    else:
        ids = list(session.scalars(query if limit is None else query.limit(limit)))
    # ...then the rows for just those claims, a chunk at a time: plain rows, which is all a listing shows.
    columns = [claims.c[name] for name in ("id", "key", "kind", "text", "status", "event_edtf", "said_edtf")]
    columns += [claims.c[name] for name in FIGURE_COLUMNS]
    rows: list[ClaimRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = session.execute(
            select(*columns, entities.c.name.label("claimant"))
            .join(entities, entities.c.id == claims.c.claimant_id)
            .where(claims.c.id.in_(chunk))
        )
        by_id = {row.id: row for row in found}
        counted = session.execute(
            select(appearances.c.claim_id, func.count(func.distinct(appearances.c.source_id)))
            .where(appearances.c.claim_id.in_(chunk), appearances.c.withdrawn_at.is_(None))
            .group_by(appearances.c.claim_id)
        )
        sources: dict[int, int] = {row[0]: row[1] for row in counted}
        for claim_id in chunk:
            claim = by_id[claim_id]
            date = date_record(claim.event_edtf or claim.said_edtf)
            rows.append(
                {
                    "key": claim.key,
                    "kind": claim.kind,
                    "claimant": claim.claimant,
                    "text": claim.text,
                    "figure": figure_text(claim),  # type: ignore[arg-type]  # a row with the figure's columns
                    "date": date["display"] if date else None,
                    "status": claim.status,
                    "sources": sources.get(claim_id, 0),
                }
            )
    return rows


_APPEARANCE_COLUMNS = (
    "stance", "passage", "locator", "anchor_status", "anchor_start", "anchor_end", "anchor_prefix", "anchor_suffix",
    "note", "withdrawn_at", "withdrawn_reason",
)  # fmt: skip


def _appearance_fields(row: Mapping[Any, Any]) -> AppearanceRecord:
    """An appearance as records show it, from a mapping of its fields and its source's."""
    return {
        "source": row["source"],
        "title": row["title"],
        "publisher": row["publisher"],
        "published": row["published"],
        "stance": row["stance"],
        "passage": row["passage"],
        "locator": row["locator"],
        "via": row["via"],
        "anchor": {
            "status": row["anchor_status"],
            "start": row["anchor_start"],
            "end": row["anchor_end"],
            "prefix": row["anchor_prefix"],
            "suffix": row["anchor_suffix"],
        }
        if row["anchor_status"]
        else None,
        "note": row["note"],
        # Withdrawn with `claim uncite` (logged in error): kept, and counted in no verdict.
        "withdrawn": {
            "at": row["withdrawn_at"].isoformat(timespec="seconds"),
            "reason": row["withdrawn_reason"],
        }
        if row["withdrawn_at"]
        else None,
    }


def appearances_of(session: Session, claim_ids: Sequence[int]) -> dict[int, list[AppearanceRecord]]:
    """Each claim's appearances as records show them, in one query of plain rows (many claims at once)."""
    from sqlalchemy.orm import aliased

    from .models import Appearance, Entity, Source

    upstream = aliased(Source)
    query = (
        select(
            Appearance.claim_id,
            Source.key.label("source"),
            upstream.key.label("via"),
            Source.title.label("title"),
            Entity.name.label("publisher"),
            Source.published_edtf.label("published"),
            *(getattr(Appearance, name) for name in _APPEARANCE_COLUMNS),
        )
        .join(Source, Source.id == Appearance.source_id)
        .outerjoin(Entity, Entity.id == Source.publisher_id)
        .outerjoin(upstream, upstream.id == Appearance.via_source_id)
        .where(Appearance.claim_id.in_(claim_ids))
        .order_by(Appearance.id)
    )
    found: dict[int, list[AppearanceRecord]] = {claim_id: [] for claim_id in claim_ids}
    for row in session.execute(query).mappings():
        found[row["claim_id"]].append(_appearance_fields(row))
    return found


def _claim_fields(
    claim: Any,
    *,
    claimant: str,
    measure: str | None,
    about: list[str],
    tags: list[str],
    appearances: list[AppearanceRecord],
    relations: list[RelationRecord],
    history: Sequence[Any],
) -> ClaimRecord:
    """A claim's record (all but its sourcing) from a row of its columns, and what is read around it."""
    quote: QuoteRecord | None = None
    if claim.kind == vocab.ClaimKind.quote:
        quote = {
            "words": claim.quote,
            "language": claim.quote_language,
            "translation": claim.quote_translation,
        }
    figure: FigureRecord | None = None
    if claim.kind == vocab.ClaimKind.figure:
        figure = {
            "text": figure_text(claim),
            "value": claim.figure_value,
            "low": claim.figure_low,
            "high": claim.figure_high,
            "unit": claim.figure_unit,
            "counted": claim.figure_counted,
            "qualifier": claim.figure_qualifier,
            "measure": measure,
        }
    return {
        "key": claim.key,
        "kind": claim.kind,
        "text": claim.text,
        "claimant": claimant,
        "said_on": date_record(claim.said_edtf),
        "when": date_record(claim.event_edtf),
        "about": about,
        "tags": tags,
        "status": claim.status,
        "notes": claim.notes,
        "quote": quote,
        "figure": figure,
        "appearances": appearances,
        "relations": relations,
        "status_history": [
            {
                "from": change.old_status,
                "to": change.new_status,
                "reason": change.reason,
                "by": change.changed_by,
                "at": change.changed_at.isoformat(timespec="seconds"),
            }
            for change in history
        ],
    }


def claim_records(
    session: Session, claim_ids: Sequence[int], appearances: Mapping[int, list[AppearanceRecord]]
) -> list[ClaimRecord]:
    """What :func:`claim_record` gives without the sourcing, for many claims at once (in id order), from
    plain rows in a few queries: a report reads thousands, and loading them as objects cost more than the rest
    of gathering them. ``appearances``: each claim's appearance records (see :func:`appearances_of`)."""
    from sqlalchemy.orm import aliased

    from .models import Claim, ClaimRelation, ClaimSubject, ClaimTag, Entity, Measure, StatusChange, Tag

    if not claim_ids:
        return []
    columns = [getattr(Claim, name) for name in _CLAIM_COLUMNS]
    rows = session.execute(
        select(*columns, Entity.name.label("claimant"), Measure.name.label("measure"))
        .join(Entity, Entity.id == Claim.claimant_id)
        .outerjoin(Measure, Measure.id == Claim.measure_id)
        .where(Claim.id.in_(claim_ids))
        .order_by(Claim.id)
    ).all()
    # Subjects in the order SQLite gives a claim's subject links from their primary key (how the
    # Claim.subjects relationship reads them, a claim at a time), tags sorted by name (as Claim.tags), status
    # changes as logged.
    links = session.execute(
        select(ClaimSubject.claim_id, ClaimSubject.entity_id)
        .where(ClaimSubject.claim_id.in_(claim_ids))
        .order_by(ClaimSubject.claim_id, ClaimSubject.entity_id)
    ).all()
    names = _names(session, Entity, {entity_id for _claim_id, entity_id in links})
    about: dict[int, list[str]] = {claim_id: [] for claim_id in claim_ids}
    for claim_id, entity_id in links:
        about[claim_id].append(names[entity_id])
    tag_links = session.execute(
        select(ClaimTag.claim_id, ClaimTag.tag_id).where(ClaimTag.claim_id.in_(claim_ids))
    ).all()
    tag_names = _names(session, Tag, {tag_id for _claim_id, tag_id in tag_links})
    tags: dict[int, list[str]] = {claim_id: [] for claim_id in claim_ids}
    for claim_id, tag_id in tag_links:
        tags[claim_id].append(tag_names[tag_id])
    history: dict[int, list[Any]] = {claim_id: [] for claim_id in claim_ids}
    changes = select(
        StatusChange.claim_id,
        StatusChange.old_status,
        StatusChange.new_status,
        StatusChange.reason,
        StatusChange.changed_by,
        StatusChange.changed_at,
    )
    for change in session.execute(
        changes.where(StatusChange.claim_id.in_(claim_ids)).order_by(StatusChange.id)
    ):
        history[change.claim_id].append(change)
    related: dict[int, list[RelationRecord]] = {claim_id: [] for claim_id in claim_ids}
    other = aliased(Claim)
    ends = select(
        ClaimRelation.claim_id, ClaimRelation.other_id, ClaimRelation.kind, other.key, Entity.name, other.text
    ).order_by(ClaimRelation.id)
    for claim_id, _other_id, kind, key, claimant, text in session.execute(
        ends.join(other, other.id == ClaimRelation.other_id)
        .join(Entity, Entity.id == other.claimant_id)
        .where(ClaimRelation.claim_id.in_(claim_ids))
    ):
        related[claim_id].append(
            {"direction": "outgoing", "kind": kind, "claim": {"key": key, "claimant": claimant, "text": text}}
        )
    incoming: dict[int, list[RelationRecord]] = {claim_id: [] for claim_id in claim_ids}
    for _claim_id, other_id, kind, key, claimant, text in session.execute(
        ends.join(other, other.id == ClaimRelation.claim_id)
        .join(Entity, Entity.id == other.claimant_id)
        .where(ClaimRelation.other_id.in_(claim_ids))
    ):
        incoming[other_id].append(
            {
                "direction": "incoming",
                "kind": vocab.RELATION_INVERSE[vocab.RelationKind(kind)],
                "claim": {"key": key, "claimant": claimant, "text": text},
            }
        )
    return [
        _claim_fields(
            row,
            claimant=row.claimant,
            measure=row.measure,
            about=about[row.id],
            tags=sorted(tags[row.id]),
            appearances=appearances[row.id],
            relations=related[row.id] + incoming[row.id],
            history=history[row.id],
        )
        for row in rows
    ]


_CLAIM_COLUMNS = (
    "id", "key", "kind", "text", "said_edtf", "event_edtf", "quote", "quote_language", "quote_translation",
    *FIGURE_COLUMNS, "measure_id", "status", "notes",
)  # fmt: skip


def _names(session: Session, model: Any, ids: set[int]) -> dict[int, str]:
    """The names of the rows of ``model`` (entities, tags) with these ids."""
    found: dict[int, str] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        rows: Any = session.execute(select(model.id, model.name).where(model.id.in_(chunk)))
        found.update((row_id, name) for row_id, name in rows)
    return found


def claim_record(
    session: Session,
    claim: Claim,
    *,
    with_sourcing: bool = True,
) -> ClaimRecord:
    """Everything about one claim: its fields, where it appears, how it relates to others, its history,
    and (unless ``with_sourcing`` is False) its sourcing verdict: :func:`claim_records` for the one claim,
    and its sourcing."""
    record = claim_records(session, [claim.id], appearances_of(session, [claim.id]))[0]
    if with_sourcing:
        from .independence import sourcing

        record["sourcing"] = sourcing(session, claim.id)
        if claim.claimant.kind == vocab.EntityKind.unnamed:
            from . import unnamed

            phrase = unnamed.describe(session, [claim.claimant.name])[claim.claimant.name]
            unnamed.mark(record["sourcing"], claim.claimant.name, phrase)
    return record
