"""Migration 0006: source-level cites / derived-from links become vias on the appearances of the claims both
linked sources carry, and `db upgrade` says how many."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import text

from claimtrack.db import Ledger
from claimtrack.migrate import upgrade

DUMP = Path(__file__).resolve().parent / "data" / "schema-0005.sql"


def _load_0005(url: str) -> Ledger:
    ledger = Ledger(url)
    upgrade(ledger.engine, "0005")
    postgresql = ledger.engine.dialect.name == "postgresql"
    with ledger.engine.begin() as conn:
        for statement in re.split(r"\n(?=INSERT INTO )", DUMP.read_text(encoding="utf-8")):
            statement = statement.strip().rstrip(";")
            if statement.startswith("INSERT INTO"):
                if postgresql:
                    statement = re.sub(r"X'([0-9A-F]*)'", r"decode('\1', 'hex')", statement)
                conn.exec_driver_sql(statement)
    return ledger


def _link(ledger: Ledger, source: str, kind: str, other: str) -> None:
    with ledger.engine.begin() as conn:
        ids = dict(conn.execute(text("SELECT key, id FROM sources")).all())
        # An explicit id: the dump's rows leave PostgreSQL's sequence behind.
        number = conn.execute(text("SELECT coalesce(max(id), 0) + 1 FROM source_links")).scalar()
        conn.execute(
            text(
                "INSERT INTO source_links (id, source_id, other_id, kind, created_at) "
                "VALUES (:id, :source, :other, :kind, '2020-02-01 00:00:00')"
            ),
            {"id": number, "source": ids[source], "other": ids[other], "kind": kind},
        )


def _vias(cli: Any, ledger: Ledger) -> dict[tuple[str, str], str | None]:
    with ledger.engine.connect() as conn:
        keys = [row[0] for row in conn.execute(text("SELECT key FROM claims"))]
    found = {}
    for key in keys:
        for appearance in cli.json("claim", "show", key)["appearances"]:
            found[(key, appearance["source"])] = appearance["via"]
    return found


def test_cites_links_between_sources_of_one_claim_become_vias(blank_url: str) -> None:
    from tests.conftest import Run

    ledger = _load_0005(blank_url)
    # The daily cites the wire, and both carry the operation's start: the daily's report came via the wire.
    _link(ledger, "psd-2020-01-12", "cites", "hw-2020-01-12")
    # Amber Voice is "derived from" the broadcast, and both carry the minister's words.
    _link(ledger, "av-2020-01-10", "derived-from", "vsb-2020-01-09")
    # A citation between sources that share no claim converts nothing.
    _link(ledger, "crw-2020-02", "cites", "vim-2020-01-11")
    cli = Run(blank_url)
    upgraded = cli.ok("db", "upgrade")
    assert "2 appearances now record the source they took their claim from" in " ".join(
        upgraded.stderr.split()
    )
    vias = _vias(cli, ledger)

    def both(source: str, other: str) -> set[str]:
        return {c for c, s in vias if s == source} & {c for c, s in vias if s == other}

    expected = {
        (claim, "psd-2020-01-12"): "hw-2020-01-12" for claim in both("psd-2020-01-12", "hw-2020-01-12")
    }
    expected |= {
        (claim, "av-2020-01-10"): "vsb-2020-01-09" for claim in both("av-2020-01-10", "vsb-2020-01-09")
    }
    assert len(expected) == 2
    assert {pair: via for pair, via in vias.items() if via} == expected
    # Upgrading again converts nothing more and says nothing about vias.
    again = cli.ok("db", "upgrade")
    assert "appearances now record" not in again.stderr
