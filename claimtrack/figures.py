"""Figures side by side: every claimant's number for the same measure, and how far apart they are."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .claim_records import date_record, figure_text
from .errors import NotFound
from .independence import Checker
from .models import Appearance, Claim, Measure
from .records import FiguresRecord, MeasureRow, Revision, RevisionStep
from .text.names import closest, normalise_name


class _Step(RevisionStep):
    shown: str  # the step as the series' text shows it


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


def measures(session: Session, *, all_measures: bool = False) -> list[MeasureRow]:
    """The measures figures were logged for; by default only those with more than one claimant."""
    rows: list[MeasureRow] = []
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


def figures_for(session: Session, name: str) -> FiguresRecord:
    """Every figure for one measure, lowest first, with its claimant, date, sources and independent origins."""
    measure = find_measure(session, name)
    claims = list(
        session.scalars(
            select(Claim)
            .where(Claim.measure_id == measure.id, Claim.kind == vocab.ClaimKind.figure)
            .options(
                selectinload(Claim.claimant),
                selectinload(Claim.appearances).selectinload(Appearance.source),
            )
            .order_by(Claim.figure_low, Claim.figure_high, Claim.id)
        )
    )
    verdicts = {v.claim_id: v for v in Checker(session).verdicts([(c.id, c.claimant_id) for c in claims])}
    ratio = spread(claims)
    series = revisions(claims)
    return {
        "measure": measure.name,
        "spread": round(ratio, 2) if ratio is not None else None,
        "wide": ratio is not None and ratio >= WIDE_SPREAD,
        "figures": [
            {
                **series[claim.id],
                "key": claim.key,
                "figure": figure_text(claim),
                "value": claim.figure_value,
                "low": claim.figure_low,
                "high": claim.figure_high,
                "qualifier": claim.figure_qualifier,
                "counted": claim.figure_counted,
                "claimant": claim.claimant.name,
                "date": _display(claim.event_edtf or claim.said_edtf),
                "said_on": _display(claim.said_edtf),
                "when": _display(claim.event_edtf),
                "status": claim.status,
                "sources": len({a.source_id for a in claim.appearances if a.withdrawn_at is None}),
                "independent_origins": verdicts[claim.id].independent,
            }
            for claim in claims
        ],
    }


def _display(edtf: str | None) -> str | None:
    """A stored date as the researcher reads it ("8 January 2020"), or None."""
    date = date_record(edtf)
    return date["display"] if date else None


def revisions(claims: list[Claim]) -> dict[int, Revision]:
    """Each figure's place among the figures its claimant gave for the same measure, in the order they were
    said (then as logged): a later figure from the same claimant corrects or supersedes the earlier one.

    For each claim: ``revision`` (its number in the series, 1 for the first), ``revisions`` (the series,
    each with its key, figure and date said) and ``revisions_text`` ("208 (16 Dec) → 304 (later, same day)",
    None when the claimant gave one figure)."""
    by_claimant: dict[int, list[Claim]] = {}
    for claim in claims:
        by_claimant.setdefault(claim.claimant_id, []).append(claim)
    found: dict[int, Revision] = {}
    for given in by_claimant.values():
        given.sort(key=lambda c: (_said(c) is None, _said(c) or dt.date.min, c.id))
        years = {day.year for day in map(_said, given) if day is not None}
        steps: list[_Step] = []
        previous: Claim | None = None
        for claim in given:
            steps.append(
                {
                    "key": claim.key,
                    "figure": _number(claim),
                    "said_on": claim.said_edtf,
                    "shown": f"{_number(claim)} ({_when_said(claim, previous, len(years) > 1)})",
                }
            )
            previous = claim
        text = " → ".join(str(step["shown"]) for step in steps) if len(steps) > 1 else None
        for number, claim in enumerate(given, start=1):
            found[claim.id] = {
                "revision": number,
                "revisions": [
                    cast(RevisionStep, {k: v for k, v in step.items() if k != "shown"}) for step in steps
                ],
                "revisions_text": text,
            }
    return found


def _number(claim: Claim) -> str:
    """The figure's number with its hedge, without the noun: "about 3,000", "1,100-1,400"."""
    from .text.quantities import format_number

    if claim.figure_value is not None:
        number = format_number(claim.figure_value)
    else:
        number = f"{format_number(claim.figure_low)}-{format_number(claim.figure_high)}"
    hedge = claim.figure_qualifier
    return f"{hedge.replace('-', ' ')} {number}" if hedge and hedge != vocab.Qualifier.exact else number


def _published(claim: Claim) -> dt.date | None:
    """When a claim without a date said was first published: its earliest source's date."""
    days = [a.source.published_earliest for a in claim.appearances if a.source.published_earliest is not None]
    return min(days, default=None)


def _said(claim: Claim) -> dt.date | None:
    """When the claim was said, else when it was first published: the order of a claimant's revisions."""
    return claim.said_earliest if claim.said_earliest is not None else _published(claim)


def _day(day: dt.date, with_year: bool) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if with_year else "")


def _when_said(claim: Claim, previous: Claim | None, with_year: bool) -> str:
    same = previous is not None and _said(previous) is not None and _said(previous) == _said(claim)
    if same and (claim.said_edtf is None or claim.said_earliest == claim.said_latest):
        return "later, same day"
    if claim.said_edtf is None:
        published = _published(claim)
        return f"published {_day(published, with_year)}" if published else "date said unknown"
    day = claim.said_earliest
    if day is not None and day == claim.said_latest:
        return _day(day, with_year)
    return str(_display(claim.said_edtf))
