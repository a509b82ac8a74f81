"""Every change lands in the history with who made it, and `claimtrack log` shows it."""

from __future__ import annotations

import pytest

from claimtrack.changelog import list_changes
from claimtrack.claims import add_claim, set_status
from claimtrack.db import Ledger
from claimtrack.entities import add_entity, grade
from claimtrack.history import os_account
from claimtrack.sources import add_source


def test_inserts_and_updates_are_recorded_with_the_actor(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front")
    monkeypatch.setenv("CLAIMTRACK_USER", "second researcher")
    with ledger.session(write=True) as session:
        grade(session, "Amber Front", "C", "mixed record")
    with ledger.session() as session:
        changes = list_changes(session)
    newest = changes[0]
    # The actor is who the system says (the PostgreSQL role, else the OS account); the name is beside it.
    account = os_account() if ledger.is_sqlite else ledger.engine.url.username
    assert (newest["actor"], newest["display_name"]) == (account, "second researcher")
    assert newest["action"] == "update"
    assert newest["record"] == "entity Amber Front"
    assert newest["before"] == {"reliability": None, "reliability_note": None}
    assert newest["after"] == {"reliability": "C", "reliability_note": "mixed record"}
    inserted = {(c["action"], c["record"], c["actor"], c["display_name"]) for c in changes[1:]}
    assert inserted == {
        ("insert", "entity Amber Front", account, "tester"),
        ("insert", "alias 'Amber Front' of Amber Front", account, "tester"),
    }


def test_a_claims_history_spans_its_appearances_and_status(ledger: Ledger, cli) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front")
        add_source(session, key="s1")
        key = add_claim(session, "A claim", by="Amber Front", source="s1").claim.key
        add_claim(session, "Another claim", by="Amber Front")
        set_status(session, key, "disputed", "contested")
    with ledger.session() as session:
        changes = list_changes(session, claim_key=key)
    assert [(c["action"], c["record"]) for c in reversed(changes)] == [
        ("insert", f"claim {key}"),
        ("insert", f"status of claim {key}"),
        ("insert", f"appearance of claim {key} in s1"),
        ("insert", f"status of claim {key}"),
        ("update", f"claim {key}"),
    ]
    assert cli.json("log", "--claim", key) == changes
    table = cli.ok("log", "--limit", "3").stdout
    assert "status: 'unverified' → 'disputed'" in table


def test_long_texts_are_logged_by_fingerprint(ledger: Ledger) -> None:
    text = "word " * 5000
    with ledger.session(write=True) as session:
        add_source(session, key="long", text=text)
    with ledger.session() as session:
        (change,) = [c for c in list_changes(session) if c["record"] == "source long"]
    assert change["after"]["text"] == {
        "sha256": change["after"]["sha256"],
        "characters": len(text),
    }
