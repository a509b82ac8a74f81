"""The schema comes from the Alembic migrations, and the models agree with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from claimtrack.db import SCHEMA_REVISION, Ledger
from claimtrack.errors import SchemaOutOfDate
from claimtrack.migrate import alembic_config, head_revision


def test_one_head_and_it_is_the_revision_the_code_expects() -> None:
    assert head_revision() == SCHEMA_REVISION


def test_a_blank_database_upgraded_to_head_matches_the_models(blank_url: str) -> None:
    from alembic import command

    ledger = Ledger(blank_url)
    assert ledger.upgrade() == (None, SCHEMA_REVISION)
    # Alembic's own comparison: raises if autogenerate would find any difference.
    command.check(alembic_config(ledger.engine))
    tables = set(inspect(ledger.engine).get_table_names())
    assert {"entities", "sources", "claims", "appearances", "claim_relations", "changes"} <= tables


def test_upgrade_twice_changes_nothing(db_url: str) -> None:
    ledger = Ledger(db_url)
    assert ledger.upgrade() == (SCHEMA_REVISION, SCHEMA_REVISION)


def test_init_creates_and_reports(blank_url: str, tmp_path) -> None:
    from conftest import Run

    run = Run(blank_url)
    result = run.ok("init")
    assert "created" in result.stderr
    assert run.json("db", "current") == {
        "database": Ledger(blank_url).describe(),
        "revision": SCHEMA_REVISION,
        "expected": SCHEMA_REVISION,
        "up_to_date": True,
    }
    assert "up to date" in run.ok("init").stderr


def test_a_command_on_an_out_of_date_database_says_to_upgrade(db_url: str) -> None:
    from conftest import Run

    ledger = Ledger(db_url)
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(SchemaOutOfDate, match="run `claimtrack db upgrade`"):
        ledger.require_current()
    result = Run(db_url)("entity", "list")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {ledger.describe()} is at schema revision 0000, this claimtrack needs "
        f"{SCHEMA_REVISION}; run `claimtrack db upgrade`"
    ]


@pytest.mark.sqlite_only
def test_a_missing_database_file_is_not_created_by_a_query(tmp_path) -> None:
    from conftest import Run

    missing = tmp_path / "typo.db"
    result = Run(str(missing))("claim", "list")
    assert result.exit_code == 1
    assert "run `claimtrack init`" in result.stderr
    assert not missing.exists()


def test_the_suite_runs_on_the_database_it_was_asked_for(ledger: Ledger) -> None:
    import os

    expected = "postgresql" if os.environ.get("CLAIMTRACK_TEST_PG_URL") else "sqlite"
    assert ledger.engine.dialect.name == expected
    with ledger.session() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1


DUMPS = sorted((Path(__file__).parent / "data").glob("schema-*.sql"))


@pytest.mark.parametrize("dump_path", DUMPS, ids=[path.stem for path in DUMPS])
def test_a_database_of_each_schema_upgrades_with_its_records(blank_url: str, dump_path: Path) -> None:
    """Made by the claimtrack of each schema revision with records of every kind it holds
    (tests/data/schema-NNNN.sql, from tests/data/make_schema_dump.py), then upgraded to head: nothing is lost
    or changed, and the records read as they did."""
    import re
    import warnings

    from sqlalchemy import MetaData, select

    from claimtrack.migrate import upgrade

    revision = dump_path.stem.removeprefix("schema-")
    ledger = Ledger(blank_url)
    upgrade(ledger.engine, revision)
    made = MetaData()
    with warnings.catch_warnings():  # SQLite cannot reflect the expression index; the tables are what count
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        made.reflect(ledger.engine)
    dump = dump_path.read_text(encoding="utf-8")
    statements = [part.strip().rstrip(";") for part in re.split(r"\n(?=INSERT INTO )", dump)]
    postgresql = ledger.engine.dialect.name == "postgresql"
    with ledger.engine.begin() as conn:
        for statement in statements:
            if statement.startswith("INSERT INTO"):
                if postgresql:  # the dumps write bytes as SQLite's X'...'
                    statement = re.sub(r"X'([0-9A-F]*)'", r"decode('\1', 'hex')", statement)
                conn.exec_driver_sql(statement)

    def rows() -> dict[str, list[tuple[object, ...]]]:
        with ledger.engine.connect() as conn:
            return {
                name: sorted(conn.execute(select(table)).all(), key=repr)
                for name, table in made.tables.items()
                if name != "alembic_version" and not name.startswith("search_index")
            }

    before = rows()
    assert sum(len(table) for table in before.values()) == dump.count("\nINSERT INTO ")
    assert ledger.upgrade() == (revision, SCHEMA_REVISION)
    assert rows() == before
    with ledger.session() as session:
        from claimtrack.claim_records import claim_record, list_claims
        from claimtrack.claims import find_claim
        from claimtrack.search import search

        quote = next(row for row in list_claims(session) if row["kind"] == "quote")
        record = claim_record(session, find_claim(session, quote["key"]))
        assert record["said_on"]["edtf"] == "2020-01-08"
        assert record["sourcing"]["attribution"]["primary_sources"] == ["vsb-2020-01-09"]
        # The upgraded records are searchable, whichever schema wrote them.
        assert any(hit["claim"] == quote["key"] for hit in search(session, "dismantled"))


def test_the_claim_listing_index_exists_and_serves_the_listing(ledger) -> None:
    """ix_claims_date_order is left out of Alembic's comparison (SQLite cannot reflect expression indexes):
    here it must exist, and the listing's query must read it instead of sorting."""
    from sqlalchemy import select

    from claimtrack.models import Claim, claim_date_order

    query = select(Claim.id).order_by(*claim_date_order()).limit(20)
    with ledger.session() as db:
        connection = db.connection()
        compiled = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        if connection.dialect.name == "sqlite":
            names = [row[1] for row in connection.exec_driver_sql("PRAGMA index_list('claims')")]
            plan = " ".join(
                str(row[-1]) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled)
            )
            assert "USING INDEX ix_claims_date_order" in plan and "TEMP B-TREE" not in plan
        else:
            names = [
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'claims'"
                )
            ]
            connection.exec_driver_sql("SET enable_seqscan = off")  # an empty table: ask whether it *can*
            plan = " ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + compiled))
            assert "ix_claims_date_order" in plan
    assert "ix_claims_date_order" in names
