"""The independence rule, case by case, with the reasons a researcher would check."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from claimtrack.claims import add_claim, find_claim
from claimtrack.corrections import cite
from claimtrack.db import Ledger
from claimtrack.entities import add_entity, affiliate
from claimtrack.independence import Tie, TieGraph, check, check_all, sourcing
from claimtrack.settings import set_setting
from claimtrack.sources import add_source, link_sources


@pytest.fixture
def session(ledger: Ledger) -> Iterator[Session]:
    """One session for building a case and checking it (flushed, never committed across tests)."""
    with ledger.session(write=True) as db:
        for name, kind in [
            ("Amber Front", "organization"),
            ("Amber Youth League", "organization"),
            ("Amber Voice", "media"),
            ("Dana Okoro", "person"),
            ("Harbor Wire", "media"),
            ("Coastal Rights Watch", "organization"),
            ("Government of Veloria", "government"),
            ("Veloria Interior Ministry", "government"),
            ("Ilan Verhoef", "person"),
            ("Veloria State Broadcaster", "media"),
        ]:
            add_entity(db, name, kind=kind)
        yield db


def claim_with(db: Session, by: str, sources: list[tuple[str, str]], **kwargs: Any) -> str:
    """A claim by ``by`` appearing in each (source key, stance)."""
    (first, stance), *rest = sources
    key = add_claim(db, kwargs.pop("text", "A claim"), by=by, source=first, stance=stance, **kwargs).claim.key
    for other, other_stance in rest:
        cite(db, key, other, stance=other_stance)
    return key


def verdict(db: Session, key: str, **kwargs: Any) -> dict[str, Any]:
    return sourcing(db, find_claim(db, key).id, **kwargs)


def test_a_self_sourced_claim(session: Session) -> None:
    add_source(session, key="af-1", publisher="Amber Front", published="2020-01-10")
    result = verdict(session, claim_with(session, "Amber Front", [("af-1", "asserts")]))
    assert result["independent_origins"] == 0
    assert result["lacking"] is True
    assert "only source 'af-1' is published by Amber Front, the claimant" in result["reasons"]
    assert result["origins"] == [
        {
            "claimant": True,
            "roots": ["af-1"],
            "sources": [
                {
                    "key": "af-1",
                    "publisher": "Amber Front",
                    "root": "af-1",
                    "reason": "'af-1' reports it: the claimant's own origin",
                }
            ],
        }
    ]
    assert result["not_counted"] == []


def test_a_publisher_affiliated_through_a_two_step_chain(session: Session) -> None:
    affiliate(session, "Amber Voice", "Amber Youth League", kind="part-of")
    affiliate(session, "Amber Youth League", "Amber Front", kind="part-of")
    add_source(session, key="voice-1", publisher="Amber Voice")
    result = verdict(session, claim_with(session, "Amber Front", [("voice-1", "reports")]))
    assert result["independent_origins"] == 0
    assert (
        "only source 'voice-1' is published by Amber Voice, part of Amber Youth League, part of Amber Front, "
        "the claimant"
    ) in result["reasons"]


def test_an_author_affiliated_while_the_publisher_is_not(session: Session) -> None:
    affiliate(session, "Dana Okoro", "Amber Front", kind="speaks-for")
    add_source(session, key="hw-op-ed", publisher="Harbor Wire", authors=["Dana Okoro"])
    add_source(session, key="hw-news", publisher="Harbor Wire")
    op_ed = verdict(session, claim_with(session, "Amber Front", [("hw-op-ed", "reports")]))
    assert op_ed["independent_origins"] == 0
    assert (
        "only source 'hw-op-ed' is written by Dana Okoro, speaking for Amber Front, the claimant"
        in op_ed["reasons"]
    )
    news = verdict(session, claim_with(session, "Amber Front", [("hw-news", "reports")]))
    assert news["independent_origins"] == 1


def test_three_sources_of_which_two_republish_the_first(session: Session) -> None:
    add_entity(session, "Port Selden Daily", kind="media")
    add_entity(session, "Coast Herald", kind="media")
    add_source(session, key="wire-1", publisher="Harbor Wire")
    add_source(session, key="daily-1", publisher="Port Selden Daily")
    add_source(session, key="herald-1", publisher="Coast Herald")
    link_sources(session, "daily-1", "republishes", "wire-1")
    link_sources(session, "herald-1", "republishes", "wire-1")
    key = claim_with(
        session,
        "Coastal Rights Watch",
        [("wire-1", "reports"), ("daily-1", "reports"), ("herald-1", "reports")],
    )
    result = verdict(session, key)
    assert result["independent_origins"] == 1
    assert len(result["origins"]) == 1
    assert result["reasons"][0] == "3 sources in 1 origin, 1 independent of the claimant (needs 2)"
    assert "'daily-1' republishes 'wire-1': one origin" in result["reasons"]
    assert "'herald-1' republishes 'wire-1': one origin" in result["reasons"]


def test_a_source_level_cites_link_decides_nothing(session: Session) -> None:
    # 'herald-1' cites the wire somewhere; that says nothing about where it got this claim (docs/DESIGN.md).
    add_entity(session, "Port Selden Daily", kind="media")
    add_source(session, key="wire-1", publisher="Harbor Wire")
    add_source(session, key="daily-1", publisher="Port Selden Daily")
    add_source(session, key="herald-1", publisher="Coastal Rights Watch")
    link_sources(session, "daily-1", "republishes", "wire-1")
    link_sources(session, "herald-1", "cites", "wire-1")
    result = verdict(
        session, claim_with(session, "Amber Front", [("daily-1", "reports"), ("herald-1", "reports")])
    )
    assert result["independent_origins"] == 2
    assert "'daily-1' republishes 'wire-1': one origin" in result["reasons"]
    assert [origin["roots"] for origin in result["origins"]] == [["wire-1"], ["herald-1"]]
    assert not any("cites" in reason for reason in result["reasons"])


def test_a_republish_cycle_is_one_origin_and_ends(session: Session) -> None:
    add_source(session, key="a", publisher="Harbor Wire")
    add_source(session, key="b", publisher="Coastal Rights Watch")
    add_source(session, key="c", publisher="Government of Veloria")
    link_sources(session, "a", "republishes", "b")
    link_sources(session, "b", "republishes", "c")
    link_sources(session, "c", "republishes", "a")
    result = verdict(
        session, claim_with(session, "Amber Front", [("a", "reports"), ("b", "reports"), ("c", "reports")])
    )
    assert result["independent_origins"] == 1
    assert len(result["origins"]) == 1


def test_two_truly_independent_sources(session: Session) -> None:
    add_source(session, key="hw-1", publisher="Harbor Wire")
    add_source(session, key="crw-1", publisher="Coastal Rights Watch")
    result = verdict(
        session, claim_with(session, "Amber Front", [("hw-1", "supports"), ("crw-1", "supports")])
    )
    assert result["independent_origins"] == 2
    assert result["lacking"] is False
    assert result["credibility"]["rating"] == 1
    assert "independent origin: 'hw-1'" in result["reasons"]
    assert "independent origin: 'crw-1'" in result["reasons"]


def test_an_adversary_reporting_a_quote_is_independent_and_counted(session: Session) -> None:
    affiliate(session, "Ilan Verhoef", "Veloria Interior Ministry", kind="leads")
    affiliate(session, "Veloria Interior Ministry", "Government of Veloria", kind="part-of")
    affiliate(session, "Amber Voice", "Amber Front", kind="part-of")
    affiliate(session, "Amber Front", "Government of Veloria", kind="adversary-of")
    add_source(session, key="av-1", publisher="Amber Voice")
    result = verdict(
        session,
        claim_with(session, "Ilan Verhoef", [("av-1", "reports")], quote="The operation will continue."),
    )
    assert result["independent_origins"] == 1
    assert result["attribution"]["primary_record"] is False
    assert result["attribution"]["independent_origins"] == 1
    assert (
        "'av-1' counts: Amber Front is recorded as adversary of Government of Veloria, and opposition does not "
        "make one origin"
    ) in result["reasons"]


def test_a_primary_transcript_of_a_quote(session: Session) -> None:
    affiliate(session, "Ilan Verhoef", "Veloria Interior Ministry", kind="leads")
    affiliate(session, "Veloria Interior Ministry", "Government of Veloria", kind="part-of")
    affiliate(session, "Veloria State Broadcaster", "Government of Veloria", kind="state-media-of")
    add_source(session, key="vsb-1", publisher="Veloria State Broadcaster", kind="transcript")
    add_source(session, key="hw-1", publisher="Harbor Wire")
    key = claim_with(
        session,
        "Ilan Verhoef",
        [("vsb-1", "asserts"), ("hw-1", "reports")],
        quote="The operation will continue.",
    )
    result = verdict(session, key)
    assert result["attribution"]["primary_record"] is True
    assert result["attribution"]["primary_sources"] == ["vsb-1"]
    assert result["attribution"]["independent_origins"] == 1
    assert "the words were said, not that they are true" in result["attribution"]["note"]
    assert (
        "'vsb-1' is published by Veloria State Broadcaster, state media of Government of Veloria, which includes "
        "Veloria Interior Ministry, led by Ilan Verhoef, the claimant"
    ) in result["reasons"]


def test_an_affiliation_that_ended_before_the_sources_date(session: Session) -> None:
    affiliate(session, "Amber Voice", "Amber Front", kind="part-of", since="2010", until="2015")
    add_source(session, key="av-2019", publisher="Amber Voice", published="2019-05-01")
    add_source(session, key="av-2014", publisher="Amber Voice", published="2014-05-01")
    after = verdict(session, claim_with(session, "Amber Front", [("av-2019", "reports")]))
    assert after["independent_origins"] == 1
    assert any(
        "the tie Amber Voice part-of Amber Front (2010-01-01 to 2015-12-31) was not in force" in reason
        for reason in after["reasons"]
    ), after["reasons"]
    during = verdict(session, claim_with(session, "Amber Front", [("av-2014", "reports")]))
    assert during["independent_origins"] == 0


def test_opposition_does_not_break_independence(session: Session) -> None:
    affiliate(session, "Amber Front", "Government of Veloria", kind="adversary-of")
    add_source(session, key="gov-1", publisher="Government of Veloria")
    result = verdict(session, claim_with(session, "Amber Front", [("gov-1", "reports")]))
    assert result["independent_origins"] == 1
    assert result["origins"][0]["claimant"] is False


def test_disputing_sources_do_not_back_a_claim(session: Session) -> None:
    add_source(session, key="hw-1", publisher="Harbor Wire")
    add_source(session, key="crw-1", publisher="Coastal Rights Watch")
    key = claim_with(session, "Amber Front", [("hw-1", "reports"), ("crw-1", "refutes")])
    result = verdict(session, key)
    assert result["independent_origins"] == 1
    assert result["credibility"]["rating"] == 3
    assert "'crw-1' refutes" in result["credibility"]["why"]


def test_the_threshold_per_run_and_per_project(session: Session) -> None:
    add_source(session, key="hw-1", publisher="Harbor Wire")
    add_source(session, key="crw-1", publisher="Coastal Rights Watch")
    key = claim_with(session, "Amber Front", [("hw-1", "reports"), ("crw-1", "reports")])
    claim_id = find_claim(session, key).id
    assert check(session, claim_ids=[claim_id]).lacking == 0
    assert check(session, claim_ids=[claim_id], threshold=3).lacking == 1
    set_setting(session, "min-independent", "3")
    assert check(session, claim_ids=[claim_id]).lacking == 1
    assert check(session, claim_ids=[claim_id], threshold=2).lacking == 0


def test_the_full_check_and_a_selection_agree(session: Session) -> None:
    add_source(session, key="af-1", publisher="Amber Front")
    add_source(session, key="hw-1", publisher="Harbor Wire")
    add_source(session, key="crw-1", publisher="Coastal Rights Watch")
    lacking = claim_with(session, "Amber Front", [("af-1", "asserts"), ("hw-1", "reports")])
    fine = claim_with(session, "Amber Front", [("hw-1", "reports"), ("crw-1", "reports")])
    add_claim(session, "Logged without a source", by="Amber Front")
    summary = check_all(session)
    full = check(session)
    assert (summary.checked, summary.lacking) == (full.checked, full.lacking) == (3, 2)
    assert {find_claim(session, r["key"]).id for r in full.claims} == set(summary.lacking_ids)
    assert lacking in {r["key"] for r in full.claims}
    assert fine not in {r["key"] for r in full.claims}
    unsourced = next(r for r in full.claims if r["text"] == "Logged without a source")
    assert unsourced["credibility"]["rating"] == 6
    assert unsourced["reasons"] == ["no source backs it: no appearance asserts, reports or supports it"]


def test_check_command(cli, ledger: Ledger) -> None:
    from claimtrack.sample import load

    with ledger.session(write=True) as db:
        ids = load(db)
    result = cli("check", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    with ledger.session() as db:
        expected = check(db)
    assert data == {
        "checked": expected.checked,
        "lacking": expected.lacking,
        "threshold": 2,
        "claims": expected.claims,
    }
    assert (
        result.stderr.strip()
        == f"{expected.checked} claims checked, {expected.lacking} lack independent sources (threshold 2)"
    )
    failing = cli("check", "--fail")
    assert failing.exit_code == 3
    assert ids["detained-af"] in failing.stdout
    assert "'av-2020-01-10' is published by Amber Voice, part of Amber Front, the claimant" in failing.stdout
    single = cli("check", "--claim", ids["quote"], "--fail")
    assert single.exit_code == 0
    assert single.stderr.strip() == "1 claim checked, 0 lack independent sources (threshold 2)"
    assert cli("check", "--claim", ids["quote"], "--min", "3", "--fail").exit_code == 3
    filtered = json.loads(
        cli.ok("check", "--by", "Veloria Interior Ministry", "--kind", "figure", "--json").stdout
    )
    assert filtered["checked"] == 2
    cli.ok("config", "set", "min-independent", "1")
    assert cli.ok("config", "get", "min-independent").stdout.strip() == "1"
    assert json.loads(cli.ok("check", "--json").stdout)["threshold"] == 1
    bad = cli("config", "set", "min-independent", "zero")
    assert bad.exit_code == 1
    assert "must be a whole number" in bad.stderr


def test_claim_show_includes_the_verdict(cli, ledger: Ledger) -> None:
    from claimtrack.sample import load

    with ledger.session(write=True) as db:
        ids = load(db)
    shown = cli.json("claim", "show", ids["quote"])
    assert shown["sourcing"]["attribution"]["primary_sources"] == ["vsb-2020-01-09"]
    assert shown["sourcing"]["independent_origins"] == 2
    text = cli.ok("claim", "show", ids["torture"]).stdout
    assert "LACKS independent sources" in text
    assert "denied by " + ids["denial"] in text


@st.composite
def tie_graphs(draw: st.DrawFn) -> tuple[list[Tie], list[tuple[int, tuple[int, ...], Any, Any]]]:
    """Random ties among a few entities, some dated, and sources on random days (or undated, or spans)."""
    days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2000, 3, 1))
    ties = []
    for number in range(draw(st.integers(0, 25))):
        a, b = draw(st.integers(0, 11)), draw(st.integers(0, 11))
        since, until = draw(st.one_of(st.none(), days)), draw(st.one_of(st.none(), days))
        kind = draw(st.sampled_from(["part-of", "leads", "adversary-of", "funded-by"]))
        ties.append(Tie(number, a, b, kind, since, until))
    sources = []
    for key in range(draw(st.integers(1, 30))):
        entities = tuple(draw(st.sets(st.integers(0, 11), min_size=1, max_size=3)))
        shape = draw(st.sampled_from(["day", "none", "span"]))
        if shape == "day":
            day = draw(days)
            sources.append((key, entities, day, day))
        elif shape == "none":
            sources.append((key, entities, None, None))
        else:
            first, second = sorted([draw(days), draw(days)])
            sources.append((key, entities, first, second))
    return ties, sources


@settings(max_examples=300, deadline=None)
@given(tie_graphs())
def test_the_bulk_sweep_gives_the_same_interest_sets_as_walking_each_source(
    case: tuple[list[Tie], list[tuple[int, tuple[int, ...], Any, Any]]],
) -> None:
    ties, sources = case
    graph = TieGraph(ties)
    bulk = graph.interests(sources)
    for key, entities, earliest, latest in sources:
        assert bulk[key] == graph.interest(entities, earliest, latest)
        # And both agree with the definition: every entity reachable through ties in force at the date.
        reachable = set(entities)
        frontier = list(entities)
        while frontier:
            entity = frontier.pop()
            for tie in ties:
                if tie.kind == "adversary-of" or not tie.in_force(earliest, latest):
                    continue
                for x, y in ((tie.entity, tie.other), (tie.other, tie.entity)):
                    if x == entity and y not in reachable:
                        reachable.add(y)
                        frontier.append(y)
        for entity in range(12):
            assert graph.holds(bulk[key], graph.component(entity)) == (entity in reachable)


def test_sources_without_publisher_or_authors_are_not_counted(session: Session) -> None:
    # Nothing is known about who is behind them: they could be the claimant's own, so they count for nothing.
    add_source(session, key="leaflet-1", published="2020-01-10")
    add_source(session, key="leaflet-2", published="2020-01-10")
    key = claim_with(session, "Amber Front", [("leaflet-1", "reports"), ("leaflet-2", "reports")])
    result = verdict(session, key)
    assert result["independent_origins"] == 0
    assert result["origins"] == []
    assert "'leaflet-1' has no known publisher or author: not counted" in result["reasons"]
    assert [entry["key"] for entry in result["not_counted"]] == ["leaflet-1", "leaflet-2"]
    summary = check_all(session)
    assert find_claim(session, key).id in summary.lacking_ids


def test_the_two_process_count_on_this_database(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.independence as independence
    import claimtrack.independence.sweep as sweep
    from claimtrack.sample import load

    with ledger.session(write=True) as db:
        load(db)
    with ledger.session() as db:
        serial = dict(independence.counts(independence.Checker(db), workers=1))
        monkeypatch.setattr(sweep, "PARALLEL_FROM", 1)
        parallel = dict(independence.counts(independence.Checker(db), workers=2))
        # The parent's connection is still usable after the child has gone.
        assert check_all(db).checked == len(serial) == 10
    assert parallel == serial
