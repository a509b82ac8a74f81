"""ClaimReview (schema.org) for claims that carry a verdict, for fact-checking tools and search engines.

A claim carries a verdict once its status is anything but "unverified": the textual rating is the status,
its explanation the reason recorded with it. The review's author is the researcher who set the status.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .filters import ClaimFilter
from .models import Appearance, Claim, Entity

RATING = {
    vocab.Status.corroborated: "Corroborated",
    vocab.Status.disputed: "Disputed",
    vocab.Status.refuted: "Refuted",
    vocab.Status.retracted: "Retracted by its author",
    vocab.Status.superseded: "Superseded",
}


def _party(entity: Entity) -> dict[str, Any]:
    kind = "Person" if entity.kind == vocab.EntityKind.person else "Organization"
    return {"@type": kind, "name": entity.name}


def _work(appearance: Appearance) -> dict[str, Any]:
    source = appearance.source
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title or source.key}
    if source.url:
        work["url"] = source.url
    if source.published_edtf:
        work["datePublished"] = source.published_edtf
    if source.publisher is not None:
        work["publisher"] = _party(source.publisher)
    return work


def claim_reviews(session: Session, claim_filter: ClaimFilter | None = None) -> list[dict[str, Any]]:
    """One ClaimReview per selected claim whose status is a verdict."""
    query = (
        select(Claim)
        .where(Claim.status != vocab.Status.unverified)
        .options(
            selectinload(Claim.claimant), selectinload(Claim.appearances), selectinload(Claim.status_changes)
        )
        .order_by(Claim.id)
    )
    query = (claim_filter or ClaimFilter()).apply(session, query)
    reviews = []
    for claim in session.scalars(query):
        verdict = claim.status_changes[-1]
        item: dict[str, Any] = {"@type": "Claim", "author": _party(claim.claimant)}
        if claim.said_edtf:
            item["datePublished"] = claim.said_edtf
        appearances = sorted(
            # An appearance withdrawn as logged in error is no appearance of the claim.
            (appearance for appearance in claim.appearances if appearance.withdrawn_at is None),
            key=lambda a: (a.source.published_earliest is None, a.source.published_earliest, a.id),
        )
        if appearances:
            item["appearance"] = [_work(appearance) for appearance in appearances]
            item["firstAppearance"] = _work(appearances[0])
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"urn:claimtrack:claim:{claim.key}",
                "claimReviewed": claim.quote
                if claim.kind == vocab.ClaimKind.quote and claim.quote
                else claim.text,
                "itemReviewed": item,
                "author": {"@type": "Person", "name": verdict.changed_by},
                "datePublished": verdict.changed_at.date().isoformat(),
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": RATING[vocab.Status(claim.status)],
                    "ratingExplanation": verdict.reason,
                },
            }
        )
    return reviews
