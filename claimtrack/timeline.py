"""Dated claims in order, each date shown with the precision it was given."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .claim_records import figure_text
from .filters import ClaimFilter
from .models import Claim
from .records import TimelineRow
from .text.dates import from_edtf


def timeline(session: Session, claim_filter: ClaimFilter | None = None) -> list[TimelineRow]:
    """Claims with a date (of the event they report, else of when they were made), earliest first.

    Dates of unknown year ("8 January, year unknown") cannot be placed and come last, in logging order.
    """
    edtf = func.coalesce(Claim.event_edtf, Claim.said_edtf)
    earliest = func.coalesce(Claim.event_earliest, Claim.said_earliest)
    latest = func.coalesce(Claim.event_latest, Claim.said_latest)
    query = (
        select(Claim)
        .where(edtf.is_not(None))
        .options(selectinload(Claim.claimant))
        .order_by(earliest.is_(None), earliest, latest, Claim.id)
    )
    query = (claim_filter or ClaimFilter()).apply(session, query)
    rows: list[TimelineRow] = []
    for claim in session.scalars(query):
        which = "event" if claim.event_edtf else "said"
        date = from_edtf(claim.event_edtf or claim.said_edtf or "")
        rows.append(
            {
                "date": date.display(),
                "edtf": date.edtf,
                "precision": date.precision,
                "dated": which,
                "key": claim.key,
                "kind": claim.kind,
                "claimant": claim.claimant.name,
                "text": claim.text,
                "figure": figure_text(claim),
                "status": claim.status,
            }
        )
    return rows
