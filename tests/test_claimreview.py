"""ClaimReview JSON-LD for the claims that carry a verdict, checked against Google's documented fields.

No validator of schema.org ClaimReview runs offline (Google's Rich Results Test and the Schema Markup
Validator are web services), so the fields below are written from Google's "Fact Check (ClaimReview)
structured data" documentation: its required properties, its recommended ones, and the constraints it states
(the review's url is the http(s) page that holds it; a Rating's ratingValue lies between worstRating and
bestRating, with worstRating at least 1).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from claimtrack.claimreview import claim_reviews
from claimtrack.db import Ledger
from claimtrack.sample import load

# Google: required properties of a ClaimReview, and of its reviewRating.
REQUIRED = ("claimReviewed", "reviewRating", "url")
REQUIRED_RATING = ("alternateName",)
# Google: recommended properties of a ClaimReview, of its author, of its itemReviewed (a Claim), of the Claim's
# author, and of its reviewRating.
RECOMMENDED = ("author", "datePublished", "itemReviewed")
RECOMMENDED_AUTHOR = ("name", "url")
RECOMMENDED_CLAIM = ("appearance", "author", "firstAppearance")
RECOMMENDED_CLAIM_AUTHOR = ("name",)
RECOMMENDED_RATING = ("bestRating", "name", "ratingValue", "worstRating")

SETTINGS = {
    "publisher-name": "Coastal Fact Desk",
    "publisher-url": "https://factdesk.example.org",
    "review-url": "https://factdesk.example.org/checks/{key}",
}


def _is_web_address(value: Any) -> bool:
    parts = urlsplit(str(value))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check(review: dict[str, Any]) -> None:
    """Google's required and recommended ClaimReview fields, present and of the documented kind."""
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    for field in (*REQUIRED, *RECOMMENDED):
        assert review.get(field), (field, review)
    assert _is_web_address(review["url"]), review["url"]
    author = review["author"]
    assert author["@type"] == "Organization"
    assert all(author.get(field) for field in RECOMMENDED_AUTHOR), author
    assert _is_web_address(author["url"])
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    for field in (*REQUIRED_RATING, *RECOMMENDED_RATING):
        assert rating.get(field) not in (None, ""), (field, rating)
    assert 1 <= rating["worstRating"] < rating["bestRating"]
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    for field in RECOMMENDED_CLAIM:
        assert claim.get(field), (field, claim)
    assert all(claim["author"].get(field) for field in RECOMMENDED_CLAIM_AUTHOR)
    assert claim["author"]["@type"] in ("Person", "Organization")
    for work in [claim["firstAppearance"], *claim["appearance"]]:
        assert work["@type"] == "CreativeWork"
        assert _is_web_address(work["url"]), work


@pytest.fixture
def refuted_sample(cli: Any, ledger: Ledger) -> dict[str, str]:
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
    return ids


def test_reviews_carry_googles_required_and_recommended_fields(
    cli: Any, ledger: Ledger, refuted_sample: dict[str, str]
) -> None:
    for key, value in SETTINGS.items():
        cli.ok("config", "set", key, value)
    reviews = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    with ledger.session() as db:
        assert reviews == claim_reviews(db)
    # Only claims with a verdict: the sample's disputed figure and the refuted one, each at its own page.
    assert {review["url"] for review in reviews} == {
        f"https://factdesk.example.org/checks/{refuted_sample['detained-af']}",
        f"https://factdesk.example.org/checks/{refuted_sample['deaths-vim']}",
    }
    for review in reviews:
        _check(review)
        assert review["author"] == {"@type": "Organization", "name": "Coastal Fact Desk",
                                    "url": "https://factdesk.example.org"}  # fmt: skip
    by_url = {review["url"].rsplit("/", 1)[1]: review for review in reviews}
    refuted = by_url[refuted_sample["deaths-vim"]]
    assert refuted["reviewRating"]["ratingValue"] == 1
    assert refuted["reviewRating"]["alternateName"] == "Refuted"
    assert refuted["reviewRating"]["ratingExplanation"] == "CRW could not confirm; records contradict it"
    assert refuted["itemReviewed"]["author"] == {"@type": "Organization", "name": "Veloria Interior Ministry"}
    disputed = by_url[refuted_sample["detained-af"]]["reviewRating"]
    assert (disputed["ratingValue"], disputed["alternateName"]) == (3, "Disputed")
    first = by_url[refuted_sample["detained-af"]]["itemReviewed"]["firstAppearance"]
    assert first["url"] == "https://example.org/sample/amber-voice-2020-01-10"
    assert first["datePublished"] == "2020-01-10"  # ISO 8601, as schema.org's Date


def test_dates_that_are_not_iso_8601_are_left_out(cli: Any, ledger: Ledger) -> None:
    for key, value in SETTINGS.items():
        cli.ok("config", "set", key, value)
    cli.ok("entity", "add", "Amber Front")
    cli.ok("source", "add", "-", "--key", "leaflet", "--published", "circa 1990", "--publisher", "Amber Front",
           input="We were barred from every election.\n")  # fmt: skip
    key = cli.ok("claim", "add", "The Front was barred from elections", "--by", "Amber Front",
                 "--source", "leaflet", "--said-on", "the 1980s").stdout.strip()  # fmt: skip
    cli.ok("claim", "status", key, "disputed", "--reason", "records differ")
    (review,) = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    assert review["reviewRating"]["alternateName"] == "Disputed"
    assert "datePublished" not in review["itemReviewed"]
    assert "datePublished" not in review["itemReviewed"]["firstAppearance"]


def test_a_review_is_refused_without_its_publisher_in_one_line(cli: Any, refuted_sample: dict[str, str]) -> None:
    result = cli("export", "--format", "claimreview")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for key in SETTINGS:
        assert f"claimtrack config set {key}" in lines[0]
    cli.ok("config", "set", "publisher-name", SETTINGS["publisher-name"])
    result = cli("export", "--format", "claimreview")
    assert result.exit_code == 1 and "publisher-name" not in result.stderr and "review-url" in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("publisher-url", "javascript:alert(1)", "not a web address"),
        ("publisher-url", "factdesk.example.org", "not a web address"),
        ("review-url", "https://factdesk.example.org/checks/", "must hold {key}"),
        ("review-url", "ftp://factdesk.example.org/{key}", "not a web address"),
        ("publisher-name", "  ", "empty"),
    ],
)
def test_bad_settings_are_refused(cli: Any, key: str, value: str, message: str) -> None:
    result = cli("config", "set", key, value)
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli.ok("config", "get", key).stdout.strip() == ""
