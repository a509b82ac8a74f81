"""Verdicts: the rule applied to claims read from the ledger, all at once or a selection.

Claims are streamed from one query ordered by claim, so the whole check is a handful of queries and a pass over
the appearances, never a query per claim. Words are produced only for the claims that are shown
(:mod:`claimtrack.independence.reasons`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..models import Appearance, Claim
from .rows import stream_rows
from .rule import (
    BACKING,
    UNFOUND,
    Entry,
    Grouping,
    Rule,
    Sources,
    check_threshold,
    load_graph,
    stored_threshold,
)
from .ties import load_ties


@dataclass(slots=True)
class Verdict:
    """The sourcing facts of one claim."""

    claim_id: int
    claimant_id: int
    grouping: Grouping
    threshold: int
    asserting: list[int] = field(default_factory=list)  # backing sources whose stance is "asserts"
    opposing: list[tuple[int, str]] = field(default_factory=list)  # (source, disputes | refutes)

    @property
    def origins(self) -> list[list[int]]:
        """Each origin's backing sources (those whose root is one of the origin's roots)."""
        where = {root: index for index, roots in enumerate(self.grouping.origins) for root in roots}
        members: list[list[int]] = [[] for _ in self.grouping.origins]
        for source, root in self.grouping.root_of.items():
            if root in where:
                members[where[root]].append(source)
        return members

    @property
    def claimant_origin(self) -> int | None:
        return self.grouping.claimant_origin

    @property
    def independent(self) -> int:
        return self.grouping.independent

    @property
    def lacking(self) -> bool:
        return self.independent < self.threshold


_COLUMNS = (
    Appearance.source_id,
    Appearance.stance,
    Appearance.via_source_id,
    Appearance.anchor_status,
    Appearance.anchor_start,
    Appearance.anchor_end,
)

# Withdrawn appearances (`claim uncite`): an appearance logged in error is kept and shown as withdrawn, but backs
# and opposes nothing. Both queries of appearances that feed a verdict (Checker._appearance_rows and
# Checker.independent_counts) add this one condition.
COUNTED_APPEARANCE = Appearance.withdrawn_at.is_(None)


class Checker:
    """Computes verdicts; load once, then check all claims or a selection."""

    def __init__(self, session: Session, threshold: int | None = None) -> None:
        self.session = session
        self.threshold = check_threshold(threshold) if threshold is not None else stored_threshold(session)
        self.ties = load_ties(session)
        self.graph = load_graph(session)
        self.sources = Sources(session, self.ties)
        self.rule = Rule(self.ties, self.graph, self.sources)

    def _appearance_rows(self, claim_ids: Sequence[int] | None) -> Iterator[Any]:
        """(claim id, source, stance, via, anchor status, start, end) of appearances, ordered by claim."""
        query = select(Appearance.claim_id, *_COLUMNS).where(COUNTED_APPEARANCE)
        if claim_ids is None:
            yield from stream_rows(self.session, query.order_by(Appearance.claim_id, Appearance.id))
            return
        for start in range(0, len(claim_ids), 500):
            chunk = claim_ids[start : start + 500]
            yield from self.session.execute(
                query.where(Appearance.claim_id.in_(chunk)).order_by(Appearance.claim_id, Appearance.id)
            )

    def verdicts(
        self, claims: Sequence[tuple[int, int]] | None = None, *, explain: bool = False
    ) -> Iterator[Verdict]:
        """Verdicts for ``claims`` as (claim id, claimant id) pairs, in that order; for every claim if None.
        ``explain`` keeps each source's steps to its root (for the reasons)."""
        if claims is None:
            self.sources.load()
            claim_rows: Iterable[Any] = stream_rows(
                self.session, select(Claim.id, Claim.claimant_id).order_by(Claim.id)
            )
            appearance_rows = self._appearance_rows(None)
        else:
            claim_rows = sorted(claims)
            ids = [claim_id for claim_id, _ in claim_rows]
            appearance_rows = self._appearance_rows(ids)
        gathered: dict[int, list[Entry]] = {}
        # Appearances arrive ordered by claim: gather one claim's at a time while walking the claims.
        pending = next(appearance_rows, None)
        for claim_id, claimant_id in claim_rows:
            rows: list[Entry] = []
            while pending is not None and pending[0] < claim_id:
                pending = next(appearance_rows, None)
            while pending is not None and pending[0] == claim_id:
                rows.append(tuple(pending[1:]))
                pending = next(appearance_rows, None)
            if claims is None:
                yield self._verdict(claim_id, claimant_id, rows, explain)
            else:
                gathered[claim_id] = rows
        if claims is not None:
            self.sources.load(
                {row[0] for rows in gathered.values() for row in rows}
                | {row[2] for rows in gathered.values() for row in rows if row[2] is not None}
            )
            for claim_id, claimant_id in claims:
                yield self._verdict(claim_id, claimant_id, gathered[claim_id], explain)

    def _verdict(self, claim_id: int, claimant_id: int, entries: list[Entry], explain: bool) -> Verdict:
        asserting: list[int] = []
        opposing: list[tuple[int, str]] = []
        for source, stance, *_rest in entries:
            if stance in BACKING:
                if stance == "asserts" and source not in asserting:
                    asserting.append(source)
            else:
                opposing.append((source, stance))
        grouping = self.rule.group(claimant_id, entries, explain=explain)
        return Verdict(claim_id, claimant_id, grouping, self.threshold, asserting, opposing)

    def independent_counts(self, claim_range: tuple[int, int] | None = None) -> Iterator[tuple[int, int]]:
        """(claim id, independent origins) for every claim (or those with ids in ``claim_range``, inclusive):
        the full check's inner loop, reading only the backing appearances, through :meth:`Rule.count`: the
        roots and origins of :meth:`Rule.group`, without the explanation's lists."""
        self.sources.load()
        self.rule.interest_table()
        # Rows in the form Rule.counts reads (SweepRow): every claim, with its backing appearances whose
        # passage (when one was logged) was found; a via naming the source itself is no via; a claim that
        # nothing backs gets one row with no source.
        backing = and_(
            Appearance.claim_id == Claim.id,
            Appearance.stance.in_(sorted(BACKING)),
            COUNTED_APPEARANCE,
            or_(Appearance.anchor_status.is_(None), Appearance.anchor_status != UNFOUND),
        )
        query = (
            select(
                Claim.id,
                Claim.claimant_id,
                Appearance.source_id,
                func.nullif(Appearance.via_source_id, Appearance.source_id),
                Appearance.anchor_start,
                Appearance.anchor_end,
            )
            .outerjoin(Appearance, backing)
            .order_by(Claim.id)
        )
        if claim_range is not None:
            query = query.where(Claim.id.between(*claim_range))
        yield from self.rule.counts(stream_rows(self.session, query))
