"""The browsable database: plain-named views, and the check results claim_overview shows."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect, text

from claimtrack.db import SCHEMA_REVISION, Ledger, dispose_engines, get_engine
from claimtrack.views import VIEWS

CLAIM_COLUMNS = [
    "id", "key", "kind", "text", "claimant", "status", "said_on", "event_date", "appearances", "sources",
    "withdrawn", "independent_origins", "lacking", "threshold", "checked_at",
]  # fmt: skip
APPEARANCE_COLUMNS = [
    "id", "claim_key", "claim_text", "claimant", "source_key", "source_title", "publisher", "published_on",
    "stance", "passage", "locator", "anchor_status", "withdrawn_at", "withdrawn_reason",
]  # fmt: skip


def overview(ledger: Ledger) -> dict[str, dict[str, Any]]:
    """claim_overview by claim key."""
    with ledger.engine.connect() as conn:
        return {
            row["key"]: dict(row) for row in conn.execute(text("SELECT * FROM claim_overview")).mappings()
        }


def scalar(ledger: Ledger, sql: str) -> Any:
    with ledger.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_the_migration_makes_the_views_and_alembic_does_not_take_them_for_tables(blank_url: str) -> None:
    from alembic import command

    from claimtrack.migrate import alembic_config, upgrade

    ledger = Ledger(blank_url)
    ledger.upgrade()
    found = inspect(ledger.engine)
    assert set(VIEWS) <= set(found.get_view_names())
    assert not set(VIEWS) & set(found.get_table_names())
    assert "claim_checks" in found.get_table_names()
    # Autogenerate sees nothing to add or drop, views included.
    command.check(alembic_config(ledger.engine))
    command.downgrade(alembic_config(ledger.engine), "0003")
    found = inspect(ledger.engine)
    assert not set(VIEWS) & set(found.get_view_names())
    assert "claim_checks" not in found.get_table_names()
    upgrade(ledger.engine)
    assert set(VIEWS) <= set(inspect(ledger.engine).get_view_names())


def test_before_any_check_the_counts_are_null(cli, ledger: Ledger, sample: dict[str, str]) -> None:
    rows = overview(ledger)
    assert len(rows) == scalar(ledger, "SELECT COUNT(*) FROM claims")
    assert all(row["independent_origins"] is None and row["checked_at"] is None for row in rows.values())
    shown = cli.json("claim", "show", sample["quote"])
    row = rows[sample["quote"]]
    assert row["claimant"] == shown["claimant"]
    assert (row["kind"], row["status"], row["said_on"]) == ("quote", shown["status"], "2020-01-08")
    assert row["appearances"] == scalar(
        ledger,
        f"SELECT COUNT(*) FROM appearances JOIN claims ON claims.id = appearances.claim_id "
        f"WHERE claims.key = '{sample['quote']}'",
    )


def test_after_a_check_the_overview_shows_what_check_said(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    changes = scalar(ledger, "SELECT COUNT(*) FROM changes")
    reported = cli.json("check", "--all")
    rows = overview(ledger)
    # Every checked claim is stored, shown or not (here: all shown, to compare each).
    assert scalar(ledger, "SELECT COUNT(*) FROM claim_checks") == reported["checked"] == len(rows)
    for claim in reported["claims"]:
        row = rows[claim["key"]]
        assert row["independent_origins"] == claim["independent_origins"]
        assert bool(row["lacking"]) is claim["lacking"]
        assert row["threshold"] == claim["threshold"] == 2
        assert row["checked_at"] is not None
    for label in ("quote", "detained-af", "torture", "deaths-vim"):
        shown = cli.json("claim", "show", sample[label])
        assert rows[sample[label]]["independent_origins"] == shown["sourcing"]["independent_origins"]
    assert rows[sample["quote"]]["independent_origins"] == 2
    # Derived data: the change log does not record it.
    assert scalar(ledger, "SELECT COUNT(*) FROM changes") == changes
    assert not scalar(ledger, "SELECT COUNT(*) FROM changes WHERE table_name = 'claim_checks'")


def test_a_check_without_all_stores_every_claim_and_its_threshold(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    reported = cli.json("check", "--min", "3", "--limit", "1")
    assert len(reported["claims"]) == 1
    rows = overview(ledger)
    assert all(row["threshold"] == 3 for row in rows.values())
    assert sum(bool(row["lacking"]) for row in rows.values()) == reported["lacking"]


def test_a_recheck_after_adding_a_source_updates_the_stored_count(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    key = sample["torture"]
    cli.ok("check")
    first = overview(ledger)
    before = first[key]
    assert before["lacking"]
    cli.ok("entity", "add", "Northern Monitor", "--kind", "organization")
    cli.ok("source", "add", "--key", "nm-1", "--publisher", "Northern Monitor", "--published", "2020-02-01")
    cli.ok("claim", "cite", key, "nm-1", "--stance", "supports")
    # Only this claim, by the selection path: its row changes, the others stay as they were.
    cli.ok("check", "--claim", key)
    after = overview(ledger)
    assert after[key]["independent_origins"] == before["independent_origins"] + 1
    assert after[key]["checked_at"] >= before["checked_at"]
    assert after[key]["appearances"] == before["appearances"] + 1
    untouched = sample["quote"]
    assert after[untouched] == first[untouched]
    # And by the whole-database path.
    cli.ok("entity", "add", "Southern Monitor", "--kind", "organization")
    cli.ok("source", "add", "--key", "sm-1", "--publisher", "Southern Monitor", "--published", "2020-02-02")
    cli.ok("claim", "cite", key, "sm-1", "--stance", "supports")
    cli.ok("check")
    final = overview(ledger)[key]
    assert final["independent_origins"] == before["independent_origins"] + 2
    assert final["independent_origins"] == cli.json("claim", "show", key)["sourcing"]["independent_origins"]


def test_appearance_overview_has_a_row_per_appearance_with_its_passage(
    ledger: Ledger, sample: dict[str, str]
) -> None:
    with ledger.engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(text("SELECT * FROM appearance_overview")).mappings()]
        expected = conn.execute(
            text(
                "SELECT appearances.id, claims.key, sources.key, appearances.passage, appearances.stance "
                "FROM appearances JOIN claims ON claims.id = appearances.claim_id "
                "JOIN sources ON sources.id = appearances.source_id"
            )
        ).all()
    assert list(rows[0]) == APPEARANCE_COLUMNS
    assert sorted(
        (r["id"], r["claim_key"], r["source_key"], r["passage"], r["stance"]) for r in rows
    ) == sorted(tuple(row) for row in expected)
    quoted = [r for r in rows if r["claim_key"] == sample["quote"] and r["source_key"] == "vsb-2020-01-09"]
    assert len(quoted) == 1
    assert quoted[0]["passage"] and quoted[0]["claimant"] == "Ilan Verhoef"
    assert quoted[0]["publisher"] == "Veloria State Broadcaster"
    assert quoted[0]["published_on"] == "2020-01-09"


@pytest.mark.sqlite_only
def test_the_views_read_through_the_stdlib_sqlite3_module(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    """As Datasette or a SQLite browser would: plain SELECT * with no claimtrack code in the way."""
    cli.ok("check")
    dispose_engines()
    path = ledger.sqlite_path()
    assert path is not None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        claims = conn.execute("SELECT * FROM claim_overview ORDER BY id")
        assert [column[0] for column in claims.description] == CLAIM_COLUMNS
        claim_rows = claims.fetchall()
        appearances = conn.execute("SELECT * FROM appearance_overview")
        assert [column[0] for column in appearances.description] == APPEARANCE_COLUMNS
        appearance_rows = appearances.fetchall()
        counts = conn.execute(
            "SELECT (SELECT COUNT(*) FROM claims), (SELECT COUNT(*) FROM appearances)"
        ).fetchone()
    finally:
        conn.close()
    assert (len(claim_rows), len(appearance_rows)) == counts
    by_key = {row[1]: dict(zip(CLAIM_COLUMNS, row, strict=True)) for row in claim_rows}
    assert by_key[sample["quote"]]["independent_origins"] == 2
    assert by_key[sample["quote"]]["claimant"] == "Ilan Verhoef"


def _read_only(url: str, path: Path | None) -> None:
    """Make every connection claimtrack opens to ``url`` read-only, as a file the user may not write or a
    read-only PostgreSQL session would be (a chmod alone does not stop root)."""
    engine = get_engine(url)

    @event.listens_for(engine, "do_connect")
    def _read_only_connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        if path is not None:
            cargs[0] = f"{path.resolve().as_uri()}?mode=ro"
            cparams["uri"] = True
        else:
            cparams["options"] = "-c default_transaction_read_only=on"


def test_check_on_a_read_only_database_still_gives_its_verdicts_and_warns(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    from claimtrack.independence import check

    with ledger.session() as db:
        expected = check(db)
    dispose_engines()
    path = ledger.sqlite_path()
    if path is not None:
        os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    _read_only(ledger.url, path)
    result = cli("check", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["claims"] == expected.claims
    summary, warning = result.stderr.strip().splitlines()
    assert summary.endswith(f"{expected.lacking} lack independent sources (threshold 2)")
    assert warning.startswith("warning: the counts were not stored:")
    assert "read-only" in warning
    assert cli("check", "--fail").exit_code == 3
    dispose_engines()
    if path is not None:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert scalar(ledger, "SELECT COUNT(*) FROM claim_checks") == 0


def test_stored_checks_are_left_out_of_the_export(
    cli, ledger: Ledger, sample: dict[str, str], tmp_path: Path
) -> None:
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    cli.ok("export", "-o", str(before))
    cli.ok("check")
    assert scalar(ledger, "SELECT COUNT(*) FROM claim_checks")
    cli.ok("export", "-o", str(after))
    # Derived data: the same record exports to the same bytes whether or not a check ran since.
    assert after.read_bytes() == before.read_bytes()


@pytest.mark.sqlite_only
def test_check_on_a_busy_database_still_gives_its_verdicts_and_warns(
    cli, ledger: Ledger, sample: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimtrack.db

    dispose_engines()
    monkeypatch.setattr(claimtrack.db, "BUSY_TIMEOUT_MS", 100)
    path = ledger.sqlite_path()
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another writer holds the lock throughout
        result = cli("check")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.stderr
    assert sample["torture"] in result.stdout
    warning = result.stderr.strip().splitlines()[-1]
    assert warning.startswith("warning: the counts were not stored: the database is busy")


def test_record_checks_in_chunks_replaces_earlier_results(
    ledger: Ledger, sample: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from sqlalchemy import select

    from claimtrack import views
    from claimtrack.independence import check_all
    from claimtrack.models import ClaimCheck

    monkeypatch.setattr(views, "CHUNK", 3)
    first, second = dt.datetime(2020, 1, 1, 12, 0), dt.datetime(2020, 1, 2, 12, 0, 0, 250)
    with ledger.session(write=True) as db:
        summary = check_all(db)
        assert views.record_checks(db, summary.counts, threshold=2, checked_at=first) == summary.checked == 10
        assert views.record_checks(db, [(1, 7)], threshold=5, checked_at=second) == 1
    with ledger.session() as db:
        stored = {row.claim_id: row for row in db.scalars(select(ClaimCheck))}
    assert len(stored) == 10
    # Read back through the model as the types they were written as: what the ORM itself would store.
    assert (stored[1].independent_origins, stored[1].threshold, stored[1].lacking) == (7, 5, False)
    assert stored[1].checked_at == second
    counts = dict(summary.counts)
    for claim_id, row in stored.items():
        if claim_id != 1:
            assert (row.independent_origins, row.lacking, row.checked_at) == (
                counts[claim_id],
                counts[claim_id] < 2,
                first,
            )


# ---- withdrawn appearances ------------------------------------------------------------------------------------

WITHDRAWN_FROM = "av-2020-01-10"  # the quote's appearance in the Amber Voice story
REASON = "the story quotes another speaker"


def _as_claim_show_says(cli, keys: list[str]) -> dict[str, tuple[int, int, int]]:
    """(standing appearances, their distinct sources, withdrawn appearances) of each claim, as `claim show`
    lists its appearances."""
    counts = {}
    for key in keys:
        appearances = cli.json("claim", "show", key)["appearances"]
        standing = [appearance for appearance in appearances if appearance["withdrawn"] is None]
        counts[key] = (
            len(standing),
            len({appearance["source"] for appearance in standing}),
            len(appearances) - len(standing),
        )
    return counts


def _overview_counts(ledger: Ledger) -> dict[str, tuple[int, int, int]]:
    return {
        key: (row["appearances"], row["sources"], row["withdrawn"]) for key, row in overview(ledger).items()
    }


def test_a_withdrawn_appearance_counts_in_neither_count_and_is_shown_withdrawn(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    """claim_overview's counts are what `claim show` reports (a withdrawn appearance counts in no verdict),
    and appearance_overview says when and why an appearance was withdrawn."""
    quote = sample["quote"]
    before = _overview_counts(ledger)
    cli.ok("claim", "uncite", quote, WITHDRAWN_FROM, "--reason", REASON)
    counts = _overview_counts(ledger)
    assert counts == _as_claim_show_says(cli, list(sample.values()))
    assert counts[quote] == (before[quote][0] - 1, before[quote][1] - 1, 1)
    assert {key: count for key, count in counts.items() if key != quote} == {
        key: count for key, count in before.items() if key != quote
    }
    with ledger.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT source_key, withdrawn_at, withdrawn_reason FROM appearance_overview "
                "WHERE claim_key = :key ORDER BY id"
            ),
            {"key": quote},
        ).all()
    shown = {item["source"]: item["withdrawn"] for item in cli.json("claim", "show", quote)["appearances"]}
    assert len(rows) == len(shown) == 3
    for source, withdrawn_at, reason in rows:
        if source == WITHDRAWN_FROM:
            assert reason == REASON == shown[source]["reason"]
            at = withdrawn_at if isinstance(withdrawn_at, str) else withdrawn_at.isoformat(sep=" ")
            assert at.replace(" ", "T").startswith(shown[source]["at"])
        else:
            assert (withdrawn_at, reason, shown[source]) == (None, None, None)


def test_upgrading_from_0009_makes_the_views_leave_withdrawn_appearances_out(
    cli, ledger: Ledger, sample: dict[str, str]
) -> None:
    """A ledger at revision 0009 with a withdrawn appearance: its views count it (as 0004 made them); after
    the upgrade they count what `claim show` reports, and the downgrade gives the views of 0009 back."""
    from alembic import command

    from claimtrack.migrate import alembic_config, upgrade

    quote = sample["quote"]
    cli.ok("claim", "uncite", quote, WITHDRAWN_FROM, "--reason", REASON)
    command.downgrade(alembic_config(ledger.engine), "0009")
    assert scalar(ledger, "SELECT version_num FROM alembic_version") == "0009"
    with ledger.engine.connect() as conn:
        old = {
            row[0]: row[1:]
            for row in conn.execute(text("SELECT key, appearances, sources FROM claim_overview"))
        }
        columns = list(conn.execute(text("SELECT * FROM appearance_overview")).keys())
    total = scalar(
        ledger,
        f"SELECT COUNT(*) FROM appearances JOIN claims ON claims.id = appearances.claim_id "
        f"WHERE claims.key = '{quote}'",
    )
    assert old[quote] == (total, total)  # the withdrawn one counted, in both
    assert "withdrawn_at" not in columns
    upgrade(ledger.engine)
    assert scalar(ledger, "SELECT version_num FROM alembic_version") == SCHEMA_REVISION
    counts = _overview_counts(ledger)
    assert counts == _as_claim_show_says(cli, list(sample.values()))
    assert counts[quote] == (total - 1, total - 1, 1)
    with ledger.engine.connect() as conn:
        assert list(conn.execute(text("SELECT * FROM appearance_overview")).keys()) == APPEARANCE_COLUMNS


def test_the_views_are_those_the_newest_migration_makes() -> None:
    """views.VIEWS is what the code says the views are; the migrations make the views from frozen copies of
    their SQL. A change to views.VIEWS needs a migration that freezes it (then name that migration here)."""
    import importlib.util

    path = next((Path(__file__).parent.parent / "migrations" / "versions").glob("0010_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.VIEWS == VIEWS
