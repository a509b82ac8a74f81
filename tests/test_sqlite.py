"""SQLite set up the way a ledger of evidence needs it: WAL, foreign keys, busy timeout, real transactions."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from claimtrack.db import BUSY_TIMEOUT_MS, Ledger, resolve_url
from claimtrack.entities import add_entity
from claimtrack.models import Entity

pytestmark = pytest.mark.sqlite_only


def test_pragmas(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(ledger: Ledger) -> None:
    with pytest.raises(IntegrityError), ledger.session(write=True) as session:
        session.execute(
            text("INSERT INTO entity_aliases (entity_id, alias, normalized) VALUES (999, 'x', 'x')")
        )


def test_a_savepoint_rolls_back_alone(ledger: Ledger) -> None:
    # With the driver's legacy transaction handling, the outer work would be committed early or lost.
    with ledger.session(write=True) as session:
        add_entity(session, "Kept")
        try:
            with session.begin_nested():
                add_entity(session, "Rolled back")
                raise RuntimeError("undo the inner part")
        except RuntimeError:
            pass
    with ledger.session() as session:
        assert session.scalars(select(Entity.name)).all() == ["Kept"]


def test_an_error_rolls_back_the_whole_command(ledger: Ledger) -> None:
    with pytest.raises(RuntimeError), ledger.session(write=True) as session:
        add_entity(session, "Half-done")
        raise RuntimeError("crash mid-command")
    with ledger.session() as session:
        assert session.scalars(select(Entity.name)).all() == []


def test_database_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_url(None) == "sqlite:///claimtrack.db"
    monkeypatch.setenv("CLAIMTRACK_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_url("other.db") == "sqlite:///other.db"
    assert resolve_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


def test_two_writers_at_once_both_land(ledger: Ledger, tmp_path: Path) -> None:
    path = ledger.url.split(":///", 1)[1]
    script = textwrap.dedent(
        f"""
        import sys
        from claimtrack.db import Ledger
        from claimtrack.entities import add_entity
        ledger = Ledger({ledger.url!r})
        for i in range(40):
            with ledger.session(write=True) as session:
                add_entity(session, f"{{sys.argv[1]}} {{i}}")
        """
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, name], stderr=subprocess.PIPE, text=True)
        for name in ("alpha", "beta")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "locked" not in err
    with ledger.session() as session:
        assert len(session.scalars(select(Entity.id)).all()) == 80
    assert Path(path).exists()
