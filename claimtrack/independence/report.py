"""The check for the command line and reports: verdicts with their reasons, credibility and conflicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import vocab
from ..errors import InvalidInput
from ..filters import ClaimFilter
from ..models import Claim, ClaimRelation
from ..records import ClaimHead, SourcingRecord, VerdictRecord
from .checker import Checker, Verdict
from .reasons import PRELOAD_AT, PROGRESS_EVERY, Explainer
from .sweep import IndependentCounts, check_all, counts

# ---- the check, for the command line and reports ---------------------------------------------------------


@dataclass
class CheckReport:
    checked: int
    lacking: int
    threshold: int
    claims: list[VerdictRecord]
    # Every checked claim's count, shown or not: what the check stores.
    counts: IndependentCounts = field(default_factory=IndependentCounts)


CONFLICT_KINDS = (vocab.RelationKind.denies, vocab.RelationKind.rebuts, vocab.RelationKind.contradicts)


def conflicts(session: Session, claim_ids: Sequence[int]) -> dict[int, list[str]]:
    """What each claim conflicts with, read the same from either side: a denial, rebuttal or contradiction in
    either direction ("denied by k3m9x2p", "denies k7q2w4n"), or another claimant's figure for the same measure
    whose range does not overlap ("figure k8r5t1c for the same measure does not overlap")."""
    kinds = [kind.value for kind in CONFLICT_KINDS]
    found: dict[int, list[str]] = defaultdict(list)
    keys: dict[int, str] = {}
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start : start + 500]
        rows = session.execute(
            select(ClaimRelation.claim_id, ClaimRelation.other_id, ClaimRelation.kind)
            .where(
                or_(ClaimRelation.other_id.in_(chunk), ClaimRelation.claim_id.in_(chunk)),
                ClaimRelation.kind.in_(kinds),
            )
            .order_by(ClaimRelation.id)
        )
        relations = list(rows)
        wanted = {claim for row in relations for claim in row[:2]} - set(keys)
        if wanted:
            keys.update(
                (row[0], row[1])
                for row in session.execute(select(Claim.id, Claim.key).where(Claim.id.in_(wanted)))
            )
        chosen = set(chunk)
        for claim_id, other_id, kind in relations:
            if other_id in chosen:
                found[other_id].append(f"{vocab.RELATION_INVERSE[vocab.RelationKind(kind)]} {keys[claim_id]}")
            if claim_id in chosen:
                found[claim_id].append(f"{kind} {keys[other_id]}")
        figures = session.execute(
            select(Claim.id, Claim.claimant_id, Claim.measure_id, Claim.figure_low, Claim.figure_high).where(
                Claim.id.in_(chunk), Claim.measure_id.is_not(None), Claim.figure_low.is_not(None)
            )
        ).all()
        measures = {row[2] for row in figures}
        if not measures:
            continue
        rivals = session.execute(
            select(
                Claim.id, Claim.key, Claim.claimant_id, Claim.measure_id, Claim.figure_low, Claim.figure_high
            )
            .where(Claim.measure_id.in_(measures), Claim.figure_low.is_not(None))
            .order_by(Claim.id)
        ).all()
        # Each figure is set against its own measure's figures only (in id order), not every rival read.
        by_measure: defaultdict[int | None, list[Any]] = defaultdict(list)
        for rival in rivals:
            by_measure[rival[3]].append(rival)
        for claim_id, claimant_id, measure_id, low, high in figures:
            top = high if high is not None else low
            same_measure = by_measure[measure_id]
            for _other_id, other_key, other_claimant, _measure, other_low, other_high in same_measure:
                if other_claimant == claimant_id:
                    continue
                other_top = other_high if other_high is not None else other_low
                if (top is not None and other_low is not None and top < other_low) or (
                    other_top is not None and low is not None and other_top < low
                ):
                    found[claim_id].append(f"figure {other_key} for the same measure does not overlap")
    return found


def describe(
    explainer: Explainer, verdict: Verdict, claim: ClaimHead, countered_by: Sequence[str]
) -> VerdictRecord:
    """One claim's verdict as data: what `check --json` prints and `claim show` includes."""
    record: VerdictRecord = {
        **claim,
        "independent_origins": verdict.independent,
        "threshold": verdict.threshold,
        "lacking": verdict.lacking,
        "origins": explainer.origins(verdict),
        "not_counted": explainer.not_counted(verdict),
        "reasons": explainer.reasons(verdict),
        "credibility": explainer.credibility(verdict, countered_by),
        "publishers": explainer.publishers(verdict),
    }
    if claim["kind"] == vocab.ClaimKind.quote:
        record["attribution"] = explainer.attribution(verdict)
    return record


def sourcing(session: Session, claim_id: int, *, threshold: int | None = None) -> SourcingRecord:
    """One claim's verdict, origins, reasons and credibility (what `claim show` adds to a claim)."""
    (record,) = check(session, claim_ids=[claim_id], threshold=threshold, include_all=True).claims
    return cast(
        SourcingRecord,
        {key: value for key, value in record.items() if key not in ("key", "kind", "claimant", "text")},
    )


def lacking_ids(session: Session, claim_filter: ClaimFilter | None = None) -> set[int]:
    """The ids of the claims (those a filter selects, or all) that lack independent sources."""
    if claim_filter is None or claim_filter == ClaimFilter():
        return set(check_all(session).lacking_ids)
    checker = Checker(session)
    query = claim_filter.apply(session, select(Claim.id, Claim.claimant_id))
    selected = [(row[0], row[1]) for row in session.execute(query)]
    return {verdict.claim_id for verdict in checker.verdicts(selected) if verdict.lacking}


Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) now and then during a long check, for a progress bar."""


def check(
    session: Session,
    claim_filter: ClaimFilter | None = None,
    *,
    claim_ids: Sequence[int] | None = None,
    threshold: int | None = None,
    include_all: bool = False,
    limit: int | None = None,
    progress: Progress | None = None,
) -> CheckReport:
    """Check the selected claims (all when nothing selects) and explain those that lack independent sources
    (every selected claim with ``include_all``; the first ``limit`` of them when given — the counts always
    cover every checked claim)."""
    if limit is not None and limit < 1:
        raise InvalidInput("--limit must be at least 1")
    checker = Checker(session, threshold)
    chosen: list[Verdict] = []
    checked = lacking = 0
    found = IndependentCounts()
    add_id, add_independent = found.claim_ids.append, found.independent.append
    if claim_filter is None and claim_ids is None:
        # Everything: count with the fast path, then build verdicts only for the claims to be shown.
        total = session.scalar(select(func.count()).select_from(Claim)) or 0
        shown: list[int] = []
        for claim_id, independent in counts(checker, total=total):
            checked += 1
            add_id(claim_id)
            add_independent(independent)
            short = independent < checker.threshold
            lacking += short
            if (short or include_all) and (limit is None or len(shown) < limit):
                shown.append(claim_id)
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress("checking", checked, total)
        pairs: list[tuple[int, int]] = []
        for start in range(0, len(shown), 500):
            chunk = select(Claim.id, Claim.claimant_id).where(Claim.id.in_(shown[start : start + 500]))
            pairs.extend((row[0], row[1]) for row in session.execute(chunk))
        chosen = list(checker.verdicts(pairs, explain=True))
    else:
        query = select(Claim.id, Claim.claimant_id).order_by(Claim.id)
        if claim_filter is not None:
            query = claim_filter.apply(session, query)
        if claim_ids is not None:
            query = query.where(Claim.id.in_(claim_ids))
        selected = [(row[0], row[1]) for row in session.execute(query)]
        for verdict in checker.verdicts(selected, explain=True):
            checked += 1
            found.add(verdict.claim_id, verdict.independent)
            lacking += verdict.lacking
            if (verdict.lacking or include_all) and (limit is None or len(chosen) < limit):
                chosen.append(verdict)
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress("checking", checked, len(selected))
    explainer = Explainer(checker)
    if len(chosen) > PRELOAD_AT:
        explainer.preload()
    ids = [verdict.claim_id for verdict in chosen]
    countered = conflicts(session, ids)
    info: dict[int, Any] = {}
    for start in range(0, len(ids), 500):
        details = select(Claim.id, Claim.key, Claim.kind, Claim.text).where(
            Claim.id.in_(ids[start : start + 500])
        )
        for row in session.execute(details):
            info[row[0]] = row
    claims = []
    for done, verdict in enumerate(chosen, start=1):
        _id, key, kind, text = info[verdict.claim_id]
        claim: ClaimHead = {
            "key": key,
            "kind": kind,
            "claimant": explainer.name(verdict.claimant_id),
            "text": text,
        }
        claims.append(describe(explainer, verdict, claim, countered.get(verdict.claim_id, [])))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("explaining", done, len(chosen))
    return CheckReport(checked, lacking, checker.threshold, claims, found)
