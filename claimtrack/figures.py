"""Figures side by side: every claimant's number for the same measure, and how far apart they are."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .claims import date_record, figure_text
from .errors import NotFound
from .independence import Checker
from .models import Claim, Measure
from .names import closest, normalise_name

# Highest over lowest at or above this is flagged: the sources disagree by more than a factor of two.
WIDE_SPREAD = 2.0


def find_measure(session: Session, name: str) -> Measure:
    measure = session.scalar(select(Measure).where(Measure.normalized == normalise_name(name)))
    if measure is None:
        names = session.scalars(select(Measure.name)).all()
        raise NotFound("measure", name, closest(name, names))
    return measure


def spread(claims: list[Claim]) -> float | None:
    """Highest over lowest among the figures (ranges count by their ends); None below two positive figures."""
    lows = [c.figure_low for c in claims if c.figure_low is not None and c.figure_low > 0]
    highs = [c.figure_high for c in claims if c.figure_high is not None and c.figure_high > 0]
    if len(claims) < 2 or not lows or not highs:
        return None
    return max(highs) / min(lows)


def measures(session: Session, *, all_measures: bool = False) -> list[dict[str, Any]]:
    """The measures figures were logged for; by default only those with more than one claimant."""
    rows = []
    query = select(Measure).order_by(func.lower(Measure.name))
    for measure in session.scalars(query):
        claims = list(
            session.scalars(
                select(Claim).where(Claim.measure_id == measure.id, Claim.kind == vocab.ClaimKind.figure)
            )
        )
        claimants = {claim.claimant_id for claim in claims}
        if not all_measures and len(claimants) < 2:
            continue
        ratio = spread(claims)
        rows.append(
            {
                "measure": measure.name,
                "figures": len(claims),
                "claimants": len(claimants),
                "lowest": min((c.figure_low for c in claims if c.figure_low is not None), default=None),
                "highest": max((c.figure_high for c in claims if c.figure_high is not None), default=None),
                "spread": round(ratio, 2) if ratio is not None else None,
                "wide": ratio is not None and ratio >= WIDE_SPREAD,
            }
        )
    return rows


def figures_for(session: Session, name: str) -> dict[str, Any]:
    """Every figure for one measure, lowest first, with its claimant, date, sources and independent origins."""
    measure = find_measure(session, name)
    claims = list(
        session.scalars(
            select(Claim)
            .where(Claim.measure_id == measure.id, Claim.kind == vocab.ClaimKind.figure)
            .options(selectinload(Claim.claimant), selectinload(Claim.appearances))
            .order_by(Claim.figure_low, Claim.figure_high, Claim.id)
        )
    )
    verdicts = {v.claim_id: v for v in Checker(session).verdicts([(c.id, c.claimant_id) for c in claims])}
    ratio = spread(claims)
    return {
        "measure": measure.name,
        "spread": round(ratio, 2) if ratio is not None else None,
        "wide": ratio is not None and ratio >= WIDE_SPREAD,
        "figures": [
            {
                "key": claim.key,
                "figure": figure_text(claim),
                "value": claim.figure_value,
                "low": claim.figure_low,
                "high": claim.figure_high,
                "qualifier": claim.figure_qualifier,
                "counted": claim.figure_counted,
                "claimant": claim.claimant.name,
                "date": (date_record(claim.event_edtf or claim.said_edtf) or {}).get("display"),
                "status": claim.status,
                "sources": len({a.source_id for a in claim.appearances}),
                "independent_origins": verdicts[claim.id].independent,
            }
            for claim in claims
        ],
    }
