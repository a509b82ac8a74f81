"""`claimtrack search`: words, AND, phrases and OR over claims, passages and sources, kept in step by triggers."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from claimtrack.db import Ledger
from claimtrack.filters import ClaimFilter
from claimtrack.search import search


def test_words_phrases_and_alternatives(ledger: Ledger, sample: dict[str, str]) -> None:
    with ledger.session() as db:
        torture = search(db, "torture unfounded")
        phrase = search(db, '"every cell"')
        either = search(db, "Verhoef OR Okoro")
        accented = search(db, "detained")
    # Both words must match: the denial, its passage, and the documents that hold them; nothing else.
    assert {hit["claim"] for hit in torture if hit["claim"]} == {sample["denial"]}
    assert any(hit["kind"] == "passage" and hit["source"] == "vim-2020-01-11" for hit in torture)
    assert all("[torture]" in hit["snippet"].lower() for hit in torture)
    assert {hit["claim"] for hit in phrase if hit["claim"]} == {sample["quote"]}
    assert {hit["source"] for hit in either if hit["kind"] == "source"} >= {"vsb-2020-01-09", "av-2020-01-10"}
    scores = [hit["score"] for hit in accented]
    assert scores == sorted(scores, reverse=True)


def test_filters_narrow_to_claims(ledger: Ledger, sample: dict[str, str]) -> None:
    with ledger.session() as db:
        everyone = search(db, "custody")
        hits = search(db, "custody", ClaimFilter(by=["Veloria Interior Ministry"]))
    assert "Amber Front" in {hit["claimant"] for hit in everyone}
    assert hits and {hit["claimant"] for hit in hits} == {"Veloria Interior Ministry"}
    assert all(hit["kind"] != "source" for hit in hits)


def test_the_index_follows_every_write(cli, sample: dict[str, str]) -> None:
    assert cli.json("search", "zeppelin") == []
    key = cli.ok("claim", "add", "A zeppelin was seen over the harbour", "--by", "Harbor Wire").stdout.strip()
    hits = cli.json("search", "zeppelin")
    assert [(hit["kind"], hit["claim"]) for hit in hits] == [("claim", key)]
    assert "[zeppelin]" in cli.ok("search", "zeppelin").stdout


def test_a_written_row_is_found_even_when_written_behind_the_orm(
    ledger: Ledger, sample: dict[str, str]
) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(
            text("UPDATE claims SET text = 'A sighting of a dirigible' WHERE key = :key"),
            {"key": sample["operation"]},
        )
    with ledger.session() as db:
        assert [hit["claim"] for hit in search(db, "dirigible")] == [sample["operation"]]
        assert all(
            hit["claim"] != sample["operation"]
            for hit in search(db, "security forces")
            if hit["kind"] == "claim"
        )


@pytest.mark.skipif(
    bool(os.environ.get("CLAIMTRACK_TEST_PG_URL")), reason="PostgreSQL's web-search syntax accepts any text"
)
def test_a_malformed_query_is_a_one_line_error(cli, sample) -> None:
    result = cli("search", "detained AND")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot read the search query 'detained AND'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_query(cli, sample) -> None:
    result = cli("search", "  ")
    assert result.exit_code == 1
    assert "the search query is empty" in result.stderr


@pytest.mark.parametrize("selection", ["narrow", "broad"])
def test_a_filter_finds_its_claims_however_many_better_matches_others_have(
    ledger: Ledger, selection: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim that matches weakly is found among hundreds of better matches by other claimants (an earlier
    version ranked the best 400 and filtered those): a narrow selection is listed in the ranking query, a broad
    one (here: any, with the threshold at 1) widens its window of best matches until enough pass."""
    import claimtrack.search

    if selection == "broad":
        monkeypatch.setattr(claimtrack.search, "FEW", 1)
    from claimtrack.claims import add_claim
    from claimtrack.entities import add_entity

    with ledger.session(write=True) as db:
        add_entity(db, "Amber Front")
        add_entity(db, "Harbor Wire")
        for number in range(600):
            add_claim(db, f"Harbour harbour harbour closed, report {number}", by="Amber Front")
        weak = add_claim(
            db,
            "A long account of the week in which, among many other things, the harbour closed",
            by="Harbor Wire",
        ).claim.key
    with ledger.session() as db:
        assert len(search(db, "harbour", limit=500)) == 500
        found = search(db, "harbour", ClaimFilter(by=["Harbor Wire"]))
        assert [hit["claim"] for hit in found] == [weak]
        assert search(db, "harbour", ClaimFilter(by=["Harbor Wire"]), limit=1)[0]["claim"] == weak


@pytest.fixture
def harbour(ledger: Ledger) -> dict[str, list[str]]:
    """Eight claims by two claimants that mention the harbour, each quoted in a passage of one source, logged
    in order; their keys, oldest first, by claimant and all together."""
    from claimtrack.claims import add_claim
    from claimtrack.entities import add_entity
    from claimtrack.sources import add_source

    keys: dict[str, list[str]] = {"Amber Front": [], "Harbor Wire": [], "all": []}
    with ledger.session(write=True) as db:
        add_entity(db, "Amber Front")
        add_entity(db, "Harbor Wire")
        add_source(db, key="log", title="Shipping log")
        for number in range(8):
            by = "Amber Front" if number % 2 else "Harbor Wire"
            words = "harbour " * (number % 3 + 1)
            key = add_claim(
                db,
                f"The {words}closed, report {number}",
                by=by,
                source="log",
                passage=f"as told: {words}closed",
            ).claim.key
            keys[by].append(key)
            keys["all"].append(key)
    return keys


ON_POSTGRESQL = bool(os.environ.get("CLAIMTRACK_TEST_PG_URL"))


def test_more_matches_than_can_be_ranked_come_newest_first(
    ledger: Ledger, harbour: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_AT_MOST matches (here 5 of 16 rows) the claims logged last come first, then passages, then
    sources, with no score; --rank-all ranks them all. The same on both databases."""
    import claimtrack.search

    monkeypatch.setattr(claimtrack.search, "RANK_AT_MOST", 5)
    monkeypatch.setattr(claimtrack.search, "PG_RANK_AT_MOST", 5)
    with ledger.session() as db:
        newest = search(db, "harbour")
        first = search(db, "harbour", limit=3)
        everything = search(db, "harbour", rank_all=True)
        mine = search(db, "harbour", ClaimFilter(by=["Amber Front"]))
    # Ranked: the rows that say "harbour" most often and are shortest first.
    scores = [hit["score"] for hit in everything]
    assert None not in scores and scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    assert "[harbour] [harbour] [harbour]" in everything[0]["snippet"].lower()
    assert [hit["kind"] for hit in newest] == ["claim"] * 8 + ["passage"] * 8
    assert [hit["claim"] for hit in newest[:8]] == harbour["all"][::-1]
    assert [hit["claim"] for hit in newest[8:]] == harbour["all"][::-1]
    assert all(hit["score"] is None for hit in newest)
    assert first == newest[:3]
    # A filter keeps only its own claims' rows, still newest first (4 claims and 4 passages: more than 5).
    assert [hit["claim"] for hit in mine] == harbour["Amber Front"][::-1] * 2
    assert all(hit["claimant"] == "Amber Front" and hit["score"] is None for hit in mine)


@pytest.mark.parametrize(
    ("query", "selection"),
    [
        ("harbour", None),
        ("harbour closed", None),
        ('"harbour closed"', None),
        ("report OR told", None),
        ("harbour", ClaimFilter(by=["Amber Front"])),
        ("closed", ClaimFilter(by=["Harbor Wire"])),
    ],
)
def test_few_matches_are_ranked_as_if_every_match_were_read(
    ledger: Ledger, harbour: dict[str, list[str]], query: str, selection: ClaimFilter | None
) -> None:
    """Up to RANK_AT_MOST matches, ranking reads only the span of the index the matches lie in: the result is
    the one ranking every match gives, best first, ties newest first."""
    with ledger.session() as db:
        quick = search(db, query, selection, limit=50)
        full = search(db, query, selection, limit=50, rank_all=True)
    assert quick == full
    assert len(quick) >= 8 and all(hit["score"] is not None for hit in quick)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the count's time limit is SQLite's")
def test_a_filter_slow_to_count_is_treated_as_broad(
    ledger: Ledger, harbour: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telling whether a filter is narrow gets COUNT_FOR seconds; past that it is taken as broad, which finds
    the same matches by another way."""
    from sqlalchemy import select

    import claimtrack.search
    from claimtrack.claims import add_claim
    from claimtrack.models import Claim

    with ledger.session(write=True) as db:
        for number in range(200):  # enough for the count to take more than a few steps
            add_claim(db, f"Nothing about ships, report {number}", by="Harbor Wire")
    selection = ClaimFilter(by=["Amber Front"])
    with ledger.session() as db:
        everyone = select(Claim.id)
        assert claimtrack.search._fewer_than(db, everyone, 500)
        narrow = search(db, "harbour", selection)
        monkeypatch.setattr(claimtrack.search, "COUNT_FOR", -1.0)
        assert not claimtrack.search._fewer_than(db, everyone, 500)
        assert search(db, "harbour", selection) == narrow
        # The interrupted count left the session usable.
        assert db.scalar(select(Claim.id).limit(1)) is not None


def test_the_command_says_when_matches_are_not_ranked(
    cli, harbour: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimtrack.search

    assert f"more than {claimtrack.search.RANK_AT_MOST:,} matches" in " ".join(
        cli.ok("search", "--help").stdout.lower().split()
    )
    ranked = cli.ok("search", "harbour")
    assert "[harbour]" in ranked.stdout and "newest" not in ranked.stderr
    monkeypatch.setattr(claimtrack.search, "RANK_AT_MOST", 5)
    monkeypatch.setattr(claimtrack.search, "PG_RANK_AT_MOST", 5)
    newest = cli.ok("search", "harbour")
    assert "More than 5 matches, so the newest are shown first, unranked" in newest.stderr
    assert "--rank-all" in newest.stderr and len(newest.stderr.strip().splitlines()) == 1
    assert all(hit["score"] is None for hit in cli.json("search", "harbour"))
    everything = cli.ok("search", "harbour", "--rank-all")
    assert everything.stderr == ""
    assert all(hit["score"] is not None for hit in cli.json("search", "harbour", "--rank-all"))
