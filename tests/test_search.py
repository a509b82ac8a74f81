"""`claimtrack search`: words, AND, phrases and OR over claims, passages and sources, kept in step by triggers."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from claimtrack.db import Ledger
from claimtrack.filters import ClaimFilter
from claimtrack.sample import load
from claimtrack.search import search


@pytest.fixture
def sample(ledger: Ledger) -> dict[str, str]:
    with ledger.session(write=True) as db:
        return load(db)


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


def test_the_index_follows_every_write(cli, sample: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
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
def test_a_malformed_query_is_a_one_line_error(cli, sample) -> None:  # type: ignore[no-untyped-def]
    result = cli("search", "detained AND")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot read the search query 'detained AND'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_query(cli, sample) -> None:  # type: ignore[no-untyped-def]
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
