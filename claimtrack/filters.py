"""The filters every listing shares: --kind, --by, --source, --tag, --status, --about, --from, --to.

Several values of one filter widen it (any of them); different filters narrow (all of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVarTuple

from sqlalchemy import Select, func, select

from . import tables, vocab
from .errors import InvalidInput
from .tables import appearances, claim_subjects, claim_tags, claims

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .models import Tag

_Row = TypeVarTuple("_Row")


@dataclass(frozen=True, kw_only=True)
class ClaimFilter:
    kinds: Sequence[str] = ()
    by: Sequence[str] = ()
    sources: Sequence[str] = ()
    tags: Sequence[str] = ()
    statuses: Sequence[str] = ()
    about: Sequence[str] = ()
    date_from: str | None = None
    date_to: str | None = None

    def apply(self, session: Session, query: Select[*_Row]) -> Select[*_Row]:
        """Narrow a query over :class:`Claim` to the claims this filter selects.

        On the Core table: a listing with no filter reads its rows without the ORM (see claimtrack.tables);
        the modules a filter needs are imported by the filters given."""
        if self.kinds or self.statuses or self.by or self.about:
            from .entities import choose, find_entity
        if self.kinds:
            query = query.where(
                claims.c.kind.in_([choose(vocab.ClaimKind, k, "claim kind") for k in self.kinds])
            )
        if self.statuses:
            query = query.where(
                claims.c.status.in_([choose(vocab.Status, s, "status") for s in self.statuses])
            )
        if self.by:
            query = query.where(claims.c.claimant_id.in_([find_entity(session, name).id for name in self.by]))
        if self.about:
            ids = [find_entity(session, name).id for name in self.about]
            query = query.where(
                claims.c.id.in_(select(claim_subjects.c.claim_id).where(claim_subjects.c.entity_id.in_(ids)))
            )
        if self.sources:
            from .sources import find_source

            ids = [find_source(session, key).id for key in self.sources]
            query = query.where(
                claims.c.id.in_(select(appearances.c.claim_id).where(appearances.c.source_id.in_(ids)))
            )
        if self.tags:
            # A tag that does not exist is a typo, not an empty selection: say so, with the closest names.
            names = [find_tag(session, tag).name for tag in self.tags]
            query = query.where(
                claims.c.id.in_(
                    select(claim_tags.c.claim_id).join(tables.tags).where(tables.tags.c.name.in_(names))
                )
            )
        # A claim's date is the date of the event it reports when it has one, else the date it was made;
        # a claim is kept when that date's span overlaps the requested one.
        earliest = func.coalesce(claims.c.event_earliest, claims.c.said_earliest)
        latest = func.coalesce(claims.c.event_latest, claims.c.said_latest)
        if self.date_from or self.date_to:
            from .text.dates import parse_date  # the date grammar, only for a listing that filters by date
        if self.date_from:
            start = parse_date(self.date_from)
            if start.earliest is None:
                raise InvalidInput(f"--from {self.date_from!r} needs a year")
            query = query.where(latest >= start.earliest)
        if self.date_to:
            end = parse_date(self.date_to)
            if end.latest is None:
                raise InvalidInput(f"--to {self.date_to!r} needs a year")
            query = query.where(earliest <= end.latest)
        return query


def find_tag(session: Session, name: str) -> Tag:
    """The tag with this name, or an error naming the closest ones."""
    from .errors import NotFound
    from .models import Tag
    from .text.names import closest

    cleaned = name.strip().lower()
    tag = session.scalar(select(Tag).where(Tag.name == cleaned))
    if tag is None:
        raise NotFound("tag", name, closest(name, session.scalars(select(Tag.name)).all()))
    return tag
