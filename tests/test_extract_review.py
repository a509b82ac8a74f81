"""`claimtrack extract`: candidates listed, accepted for scripts, and decisions remembered."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def sampled(cli, ledger):  # type: ignore[no-untyped-def]
    from claimtrack.sample import load

    with ledger.session(write=True) as db:
        load(db)
    return cli


def test_json_lists_candidates_and_writes_nothing(sampled, snapshot) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    candidates = sampled.json("extract", "av-2020-01-10")
    assert snapshot() == before
    text = sampled.ok("source", "text", "av-2020-01-10").stdout
    kinds = {c["kind"] for c in candidates}
    assert {"quote", "figure", "event"} <= kinds
    for candidate in candidates:
        assert text[candidate["start"] : candidate["end"]] == candidate["passage"]
    quote = next(c for c in candidates if c["kind"] == "quote" and "every cell" in (c["quote"] or ""))
    assert quote["claimant"] == "Ilan Verhoef"
    year_less = next(c for c in candidates if c["kind"] == "event" and c["passage"] == "Wednesday, January 8")
    assert year_less["date"] == "2020-01-08"
    assert "2020" in year_less["note"]  # the year was taken from the article's date, and it says so


def test_accept_all_logs_and_a_rerun_proposes_nothing_already_decided(sampled) -> None:  # type: ignore[no-untyped-def]
    pending = sampled.json("extract", "av-2020-01-10")
    result = sampled("extract", "av-2020-01-10", "--accept-all")
    assert result.exit_code == 0, result.stderr
    keys = result.stdout.split()
    known = [c for c in pending if c["claimant"]]
    assert len(keys) == len(known) > 0
    cited = [c for c in known if c["cites"]]
    assert f"{len(known) - len(cited)} candidates logged, {len(cited)} cited" in result.stderr
    # A candidate the ledger already holds is cited: its key is the existing claim's.
    assert [k for k, c in zip(keys, known, strict=True) if c["cites"]] == [c["cites"] for c in cited]
    new = next(k for k, c in zip(keys, known, strict=True) if not c["cites"])
    shown = sampled.json("claim", "show", new)
    assert shown["appearances"][0]["source"] == "av-2020-01-10"
    assert shown["appearances"][0]["anchor"]["status"] == "exact"
    left = sampled.json("extract", "av-2020-01-10")
    assert [c["number"] for c in left] == [c["number"] for c in pending if not c["claimant"]]
    assert len(sampled.json("extract", "av-2020-01-10", "--all")) == len(pending)


def test_the_sample_figures_go_to_who_says_them(sampled) -> None:  # type: ignore[no-untyped-def]
    candidates = sampled.json("extract", "av-2020-01-10")
    detained = next(c for c in candidates if c["kind"] == "figure" and c["value"] == 3000)
    # "The Amber Front says about 3,000 ...", in Amber Voice: the Front's figure, not the outlet's.
    assert (detained["claimant"], detained["attribution"]) == ("Amber Front", "text")
    assert detained["measure"] == "Port Selden operation, January 2020: people detained"
    assert detained["cites"] == sampled.json("claim", "list", "--by", "Amber Front", "--kind", "figure")[0]["key"]
    deaths = next(c for c in candidates if c["kind"] == "figure" and c["value"] == 40)
    assert deaths["claimant"] == "Dana Okoro"  # "Front spokesperson Dana Okoro said that at least 40 ..."
    assert deaths["measure"] == "Port Selden operation, January 2020: deaths in custody"
    # The masthead's date ("Amber Voice — 10 January 2020") is when the article appeared, not an event.
    assert not any(c["passage"].startswith("10 January") for c in candidates)


def test_review_needs_a_terminal(sampled) -> None:  # type: ignore[no-untyped-def]
    result = sampled("extract", "av-2020-01-10")
    assert result.exit_code == 1
    assert "needs a terminal; use --json" in result.stderr


def test_a_source_without_text(sampled) -> None:  # type: ignore[no-untyped-def]
    sampled.ok("source", "add", "--key", "empty-1")
    result = sampled("extract", "empty-1", "--json")
    assert result.exit_code == 1
    assert json.dumps("empty-1").strip('"') in result.stderr and "no stored text" in result.stderr
