"""ClaimReview JSON-LD for the claims that carry a verdict."""

from __future__ import annotations

import datetime as dt
import json

from claimtrack.claimreview import claim_reviews
from claimtrack.db import Ledger
from claimtrack.sample import load

# schema.org / the ClaimReview guidelines: what every review must say.
REQUIRED = (
    "@context",
    "@type",
    "url",
    "claimReviewed",
    "itemReviewed",
    "author",
    "reviewRating",
    "datePublished",
)


def test_reviews_carry_the_required_fields(cli, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    with ledger.session(write=True) as db:
        ids = load(db)
    cli.ok(
        "claim",
        "status",
        ids["deaths-vim"],
        "refuted",
        "--reason",
        "CRW could not confirm; records contradict it",
    )
    reviews = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    with ledger.session() as db:
        assert reviews == claim_reviews(db)
    # Only claims with a verdict: the sample's disputed figure and the refuted one.
    assert {r["url"].rsplit(":", 1)[1] for r in reviews} == {ids["detained-af"], ids["deaths-vim"]}
    for review in reviews:
        assert all(review.get(field) for field in REQUIRED), review
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["author"]["name"]
        assert review["itemReviewed"]["firstAppearance"]["@type"] == "CreativeWork"
        assert review["reviewRating"]["@type"] == "Rating" and review["reviewRating"]["alternateName"]
        assert review["author"]["name"] == "tester"
        dt.date.fromisoformat(review["datePublished"])
    refuted = next(r for r in reviews if r["url"].endswith(ids["deaths-vim"]))
    assert refuted["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Refuted",
        "ratingExplanation": "CRW could not confirm; records contradict it",
    }
    assert refuted["itemReviewed"]["author"] == {"@type": "Organization", "name": "Veloria Interior Ministry"}


def test_an_unknown_export_format(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("export", "--format", "xml")
    assert result.exit_code == 1
    assert "unknown export format 'xml'" in result.stderr
