"""Entities: names and aliases that meet however they are typed, ties, grades."""

from __future__ import annotations

import re

import pytest

from claimtrack.db import Ledger
from claimtrack.entities import add_entity, affiliate, entity_record, find_entity, list_entities
from claimtrack.errors import Ambiguous, Conflict, InvalidInput, NotFound


def test_aliases_meet_across_case_accents_and_punctuation(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "People's Mojahedin Organization of Iran", aliases=["PMOI/MEK", "MEK"])
        add_entity(session, "Zürich Observer", kind="media")
    with ledger.session() as session:
        for typed in ("pmoi/mek", "PMOI-MEK", "PMOI MEK", "mek", "peoples mojahedin organization of iran"):
            assert find_entity(session, typed).name == "People's Mojahedin Organization of Iran"
        assert find_entity(session, "zurich observer").name == "Zürich Observer"


def test_an_alias_cannot_name_two_entities(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front", aliases=["AF"])
    with (
        pytest.raises(Conflict, match=re.escape("'A.F.' already names the entity 'Amber Front'")),
        ledger.session(write=True) as session,
    ):
        add_entity(session, "Atlantic Fund", aliases=["A.F."])


def test_unknown_names_list_the_closest(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front")
        add_entity(session, "Amber Voice", kind="media")
        add_entity(session, "Coastal Rights Watch")
    with ledger.session() as session:
        with pytest.raises(NotFound) as missing:
            find_entity(session, "Ambr Frnt")
        assert missing.value.candidates[0] == "Amber Front"
        with pytest.raises(Ambiguous) as ambiguous:
            find_entity(session, "amber")
        assert ambiguous.value.candidates == ["Amber Front", "Amber Voice"]


def test_affiliation_dates_are_checked(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Voice", kind="media")
        add_entity(session, "Amber Front")
        tie = affiliate(
            session, "Amber Voice", "Amber Front", kind="part-of", since="2012", until="June 2019"
        )
        assert (tie.since_earliest.isoformat(), tie.until_latest.isoformat()) == ("2012-01-01", "2019-06-30")
    with pytest.raises(InvalidInput, match="cannot end"), ledger.session(write=True) as session:
        affiliate(session, "Amber Front", "Amber Voice", kind="leads", since="2020", until="2019")
    with (
        pytest.raises(InvalidInput, match="unknown affiliation kind 'owns'"),
        ledger.session(write=True) as session,
    ):
        affiliate(session, "Amber Front", "Amber Voice", kind="owns")
    with pytest.raises(Conflict), ledger.session(write=True) as session:
        affiliate(session, "Amber Voice", "Amber Front", kind="part-of", since="2012")


def test_entity_commands_and_their_json_match_the_api(cli, ledger: Ledger) -> None:
    cli.ok("entity", "add", "Amber Front", "--alias", "AF", "--description", "An opposition movement.")
    cli.ok("entity", "add", "Amber Voice", "--kind", "media")
    cli.ok("entity", "alias", "Amber Front", "The Amber Front", "Front ambré")
    cli.ok("entity", "affiliate", "amber voice", "af", "--as", "part-of", "--since", "2012")
    cli.ok("entity", "grade", "Amber Voice", "d", "--note", "party outlet")
    shown = cli.json("entity", "show", "AF")
    with ledger.session() as session:
        assert shown == entity_record(session, find_entity(session, "Amber Front"))
        assert cli.json("entity", "list") == list_entities(session)
    assert shown["aliases"] == ["AF", "The Amber Front", "Front ambré"]
    assert shown["affiliations"] == [
        {"entity": "Amber Voice", "kind": "part-of", "other": "Amber Front", "since": "2012", "until": None,
         "source": None, "note": None}
    ]  # fmt: skip
    table = cli.ok("entity", "show", "Amber Voice").stdout
    assert "D (not usually reliable): party outlet" in table
    assert "part-of" in table


def test_entity_add_rejects_an_unknown_kind(cli, snapshot) -> None:
    before = snapshot()
    result = cli("entity", "add", "Someone", "--kind", "planet")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: unknown entity kind 'planet'; use one of: person, organization, government, media, unnamed, other"
    )
    assert snapshot() == before
