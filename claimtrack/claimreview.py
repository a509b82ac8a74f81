"""ClaimReview (schema.org) for claims that carry a verdict, for fact-checking tools and search engines.

A claim carries a verdict once its status is anything but "unverified": the review's textual rating
(``alternateName``) is the status in words, its explanation the reason recorded with it. The review is
published by the project's organisation, at a page of its own for each claim, both taken from the project's
settings (``claimtrack config set``):

* ``publisher-name`` and ``publisher-url``: the review's author, an Organization;
* ``review-url``: where each review is published, with ``{key}`` for the claim's key
  (``https://example.org/checks/{key}``).

Without them no ClaimReview is written: search engines take a review only with the http(s) page it is on.

The status is also given on a 1-5 scale (``ratingValue``, with ``worstRating`` 1 and ``bestRating`` 5), higher
meaning better supported, as the schema's Rating asks:

===== ==================================================================================================
value status (``alternateName``)
===== ==================================================================================================
1     refuted ("Refuted"): the evidence logged contradicts the claim
2     retracted ("Retracted by its author"): the claimant withdrew it
3     disputed ("Disputed"), superseded ("Superseded"): sources conflict, or a later claim replaced it
5     corroborated ("Corroborated"): independent sources support it
===== ==================================================================================================

4 is not used: the ledger has no status between disputed and corroborated.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .errors import InvalidInput
from .filters import ClaimFilter
from .models import Appearance, Claim, Entity
from .text.links import web_url

WORST, BEST = 1, 5
# status -> (ratingValue, alternateName)
RATING = {
    vocab.Status.refuted: (1, "Refuted"),
    vocab.Status.retracted: (2, "Retracted by its author"),
    vocab.Status.disputed: (3, "Disputed"),
    vocab.Status.superseded: (3, "Superseded"),
    vocab.Status.corroborated: (5, "Corroborated"),
}
SETTINGS = ("publisher-name", "publisher-url", "review-url")


def _party(entity: Entity) -> dict[str, Any]:
    kind = "Person" if entity.kind == vocab.EntityKind.person else "Organization"
    return {"@type": kind, "name": entity.name}


def _iso_date(edtf: str | None) -> bool:
    """A date schema.org can take (ISO 8601: a day, month or year); "circa 1990" or a year-less day is left out
    rather than written as something it is not."""
    return bool(edtf) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", edtf or "") is not None


def _work(appearance: Appearance) -> dict[str, Any]:
    source = appearance.source
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title or source.key}
    url = web_url(source.url)
    if url:
        work["url"] = url
    if _iso_date(source.published_edtf):
        work["datePublished"] = source.published_edtf
    if source.publisher is not None:
        work["publisher"] = _party(source.publisher)
    return work


def review_settings(session: Session) -> dict[str, str]:
    """The publisher's name, its URL and the review URL template; InvalidInput naming those not set."""
    from .settings import get_setting

    values = {key: get_setting(session, key) for key in SETTINGS}
    missing = [key for key, value in values.items() if not value]
    if missing:
        commands = "; ".join(f"claimtrack config set {key} {_EXAMPLES[key]}" for key in missing)
        raise InvalidInput(f"ClaimReview needs who publishes the reviews and where: {commands}")
    return values


_EXAMPLES = {
    "publisher-name": '"Your Organisation"',
    "publisher-url": "https://example.org",
    "review-url": "'https://example.org/checks/{key}'",
}


def claim_reviews(session: Session, claim_filter: ClaimFilter | None = None) -> list[dict[str, Any]]:
    """One ClaimReview per selected claim whose status is a verdict (see the module's docstring)."""
    settings = review_settings(session)
    author = {"@type": "Organization", "name": settings["publisher-name"], "url": settings["publisher-url"]}
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
        value, name = RATING[vocab.Status(claim.status)]
        item: dict[str, Any] = {"@type": "Claim", "author": _party(claim.claimant)}
        if _iso_date(claim.said_edtf):
            item["datePublished"] = claim.said_edtf
        appearances = sorted(
            # An appearance withdrawn as logged in error is no appearance of the claim.
            (appearance for appearance in claim.appearances if appearance.withdrawn_at is None),
            key=lambda a: (a.source.published_earliest is None, a.source.published_earliest, a.id),
        )
        if appearances:
            item["appearance"] = [_work(appearance) for appearance in appearances]
            item["firstAppearance"] = _work(appearances[0])
        rating: dict[str, Any] = {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "name": name,
            "alternateName": name,
        }
        if verdict.reason:
            rating["ratingExplanation"] = verdict.reason
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": settings["review-url"].replace("{key}", quote(claim.key, safe="")),
                "claimReviewed": claim.quote
                if claim.kind == vocab.ClaimKind.quote and claim.quote
                else claim.text,
                "itemReviewed": item,
                "author": author,
                "datePublished": verdict.changed_at.date().isoformat(),
                "reviewRating": rating,
            }
        )
    return reviews
