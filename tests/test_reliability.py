"""Reliability: a researcher's records are evidence, so nothing may be lost or silently altered.

Load: two processes log claims at once. Faults: imports killed with SIGKILL at points chosen by watching them
work (the WAL growing, the progress bar, the database file growing as the WAL is copied back). Backups: taken
while another process writes, and restored. Each is checked against what must hold afterwards: the database
opens, passes SQLite's integrity check, and holds all of each command or none of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import PG_URL, Run

from claimtrack.db import Ledger, dispose_engines

posix_only = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals and terminals")

# The record tables an import fills, with the columns whose values the fingerprint covers.
FINGERPRINT = {
    "entities": "id, name",
    "entity_aliases": "id, entity_id, normalized",
    "sources": "id, key, publisher_id",
    "claims": "id, key, claimant_id, text",
    "appearances": "id, claim_id, source_id, stance, passage",
    "status_changes": "id, claim_id, new_status",
}


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def _claimtrack(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimtrack", *args]


def _sqlite_path(url: str) -> Path:
    path = Ledger(url).sqlite_path()
    assert path is not None
    return path


def _integrity(path: Path) -> None:
    """SQLite's own checks: the file's structure, and every reference between rows."""
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()


def _counts(url: str) -> dict[str, int]:
    """Rows per record table, read by claimtrack itself (which proves the database opens), and the search
    index, which must hold exactly one row per claim, appearance and source."""
    dispose_engines()  # open afresh, as the next command would after a crash
    try:
        with Ledger(url).session() as session:
            connection = session.connection()
            counts = {
                table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
                for table in [*FINGERPRINT, "search_index"]
            }
    finally:
        dispose_engines()
    indexed = counts.pop("search_index")
    assert indexed == counts["claims"] + counts["appearances"] + counts["sources"], counts
    return counts


def _fingerprint(url: str) -> str:
    digest = hashlib.sha256()
    dispose_engines()
    try:
        with Ledger(url).engine.connect() as connection:
            for table, columns in FINGERPRINT.items():
                for row in connection.exec_driver_sql(f"SELECT {columns} FROM {table} ORDER BY id"):
                    digest.update(repr(tuple(row)).encode())
    finally:
        dispose_engines()
    return digest.hexdigest()


# -- load: two writers at once ----------------------------------------------------------------------------

# A second researcher's process: the CLI's own command called once per command line, in one long-lived
# process (starting 400 interpreters would take minutes). Every claim is logged with its first source, then
# cited in a second one, each command its own transaction.
WRITER = textwrap.dedent(
    """
    import contextlib, io, sys
    import typer
    from claimtrack.cli import app

    url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    command = typer.main.get_command(app)  # what `claimtrack` runs, built once

    def claimtrack(*args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                command.main(["--db", url, *args], prog_name="claimtrack")
            except SystemExit as exit:
                if exit.code:
                    sys.exit(f"{name}: claimtrack {' '.join(args[:2])} exited with {exit.code}")
        return out.getvalue().strip()

    for i in range(count):
        key = claimtrack(
            "claim", "add", f"{name} claim {i}: some 3,000 were detained", "--by", "AF",
            "--source", "af-1", "--passage", "were detained", "--tag", "port-selden",
        )
        claimtrack("claim", "cite", key, "hw-1", "--stance", "reports", "--passage", "were detained")
    """
)


def _two_sources(cli: Run) -> None:
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Harbour Wire", "--kind", "media")
    text = "The Front said that some 3,000 of its members were detained in Port Selden.\n"
    cli.ok("source", "add", "-", "--key", "af-1", "--publisher", "AF", input=text)
    cli.ok("source", "add", "-", "--key", "hw-1", "--publisher", "Harbour Wire", input=text)
    # The writers' tag exists before they start: on PostgreSQL two writers creating one new tag at the same
    # moment collide (a known bug, see test_two_writers_creating_the_same_new_tag_at_once_both_land).
    cli.ok("claim", "add", "The first claim", "--by", "AF", "--source", "af-1", "--tag", "port-selden")


def test_two_processes_logging_100_claims_each_at_once_lose_nothing(cli: Run) -> None:
    _two_sources(cli)
    writers = {
        name: subprocess.Popen(
            [sys.executable, "-c", WRITER, cli.url, name, "100"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for name in ("alpha", "beta")
    }
    for name, writer in writers.items():
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, f"{name}: {err[-2000:]}"
        assert "locked" not in err and "busy" not in err and "Traceback" not in err, err[-2000:]
        assert err.count("logged statement") == 100 and err.count("cited") == 100

    claims = cli.json("claim", "list", "--tag", "port-selden")
    texts = {claim["text"] for claim in claims}
    expected = {f"{name} claim {i}: some 3,000 were detained" for name in writers for i in range(100)}
    assert expected <= texts and len(claims) == 201
    counts = _counts(cli.url)
    assert counts["claims"] == counts["status_changes"] == 201
    assert counts["appearances"] == 401
    # Every claim landed whole: its first source, its citation and its status, each recorded once.
    for claim in cli.json("claim", "list", "--source", "hw-1"):
        assert claim["text"] in expected
    assert len(cli.json("claim", "list", "--source", "hw-1")) == 200


def test_two_writers_creating_the_same_new_tag_at_once_both_land(ledger: Ledger) -> None:
    import threading

    from claimtrack.claims import add_claim
    from claimtrack.entities import add_entity

    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front", aliases=["AF"])
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with ledger.session(write=True) as session:
                add_claim(session, "The second claim", by="AF", tags=["fresh"])
        except Exception as exc:
            failures.append(exc)

    with ledger.session(write=True) as session:
        add_claim(session, "The first claim", by="AF", tags=["fresh"])
        other = threading.Thread(target=second_writer)
        other.start()
        time.sleep(0.5)  # the second writer is under way (or waiting its turn) before the first commits
    other.join(timeout=60)
    assert failures == []
    with ledger.session() as session:
        assert session.connection().exec_driver_sql("SELECT count(*) FROM claim_tags").scalar_one() == 2


BUSY_LINE = (
    "error: the database is busy: another writer held it for more than 0.4 s; try again "
    "(set CLAIMTRACK_BUSY_TIMEOUT=SECONDS to wait longer)"
)


def _add_while_another_writes(db: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """`claim add` in a process of its own, with a busy timeout of 0.4 s, while the caller holds the writer's
    lock; what it did, and how long it waited (seconds)."""
    started = time.monotonic()
    result = subprocess.run(
        _claimtrack("--db", db, "claim", "add", "Waited too long", "--by", "AF"),
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(CLAIMTRACK_BUSY_TIMEOUT="0.4"),
    )
    return result, time.monotonic() - started


@pytest.mark.sqlite_only
def test_a_writer_kept_waiting_past_the_busy_timeout_gets_one_clear_line(cli: Run) -> None:
    _two_sources(cli)
    path = _sqlite_path(cli.url)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another researcher's long write, still going
        result, waited = _add_while_another_writes(str(path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BUSY_LINE]
    assert result.stdout == "" and waited >= 0.4
    assert "Waited too long" not in {claim["text"] for claim in cli.json("claim", "list")}
    # Once the other writer is done, the same command goes through.
    cli.ok("claim", "add", "Waited too long", "--by", "AF")


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL: writers queue on an advisory lock")
def test_a_postgresql_writer_kept_waiting_past_the_busy_timeout_gets_one_clear_line(cli: Run) -> None:
    from sqlalchemy import create_engine, text

    from claimtrack.history import WRITER_LOCK

    _two_sources(cli)
    holder = create_engine(cli.url.replace("postgresql://", "postgresql+psycopg://", 1)).connect()
    try:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})  # a long write
        result, waited = _add_while_another_writes(cli.url)
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BUSY_LINE]
    assert waited >= 0.4
    assert "Waited too long" not in {claim["text"] for claim in cli.json("claim", "list")}
    cli.ok("claim", "add", "Waited too long", "--by", "AF")


def test_a_busy_timeout_that_is_not_a_number_is_one_clear_line(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispose_engines()
    monkeypatch.setenv("CLAIMTRACK_BUSY_TIMEOUT", "soon")
    result = cli("claim", "list")
    if PG_URL:  # the busy timeout is SQLite's; PostgreSQL never reads it
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: CLAIMTRACK_BUSY_TIMEOUT must be a number of seconds (0 to 86400), not 'soon'\n"
    )


# -- faults: SIGKILL at chosen points ---------------------------------------------------------------------


@dataclass
class Export:
    """A claimtrack export written for the test, and what a database holding all of it contains."""

    path: Path
    counts: dict[str, int]
    fingerprint: str


def write_export(path: Path, claims: int) -> Export:
    """An export of ``claims`` claims, each with its status row and an appearance in one of 200 sources,
    written directly in claimtrack's export format (a header line, then one line per row, tables in order)."""
    from claimtrack.db import SCHEMA_REVISION
    from claimtrack.exchange import FORMAT, VERSION, _tables

    at = "2024-05-01T12:00:00"
    entities, sources = 20, 200
    rows: dict[str, list[dict[str, Any]]] = {
        "entities": [
            {"id": i, "name": f"Entity {i}", "kind": "organization", "created_at": at}
            for i in range(1, entities + 1)
        ],
        "entity_aliases": [
            {"id": i, "entity_id": i, "alias": f"Entity {i}", "normalized": f"entity {i}"}
            for i in range(1, entities + 1)
        ],
        "sources": [
            {
                "id": i,
                "key": f"src-{i}",
                "title": f"Report {i}",
                "kind": "article",
                "publisher_id": i % entities + 1,
                "created_at": at,
            }
            for i in range(1, sources + 1)
        ],
        "claims": [
            {
                "id": i,
                "key": f"c{i:06d}",
                "kind": "statement",
                "claimant_id": i % entities + 1,
                "text": f"Claim {i}: {i * 7} detained",
                "status": "unverified",
                "created_at": at,
                "updated_at": at,
            }
            for i in range(1, claims + 1)
        ],
        "appearances": [
            {
                "id": i,
                "claim_id": i,
                "source_id": i % sources + 1,
                "stance": "reports",
                "passage": f"{i * 7} detained",
                "created_at": at,
            }
            for i in range(1, claims + 1)
        ],
        "status_changes": [
            {
                "id": i,
                "claim_id": i,
                "old_status": None,
                "new_status": "unverified",
                "reason": "logged",
                "changed_by": "tester",
                "changed_at": at,
            }
            for i in range(1, claims + 1)
        ],
    }
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps({"format": FORMAT, "version": VERSION, "schema": SCHEMA_REVISION}) + "\n")
        for table in _tables():
            for row in rows.get(table.name, ()):
                out.write(json.dumps({"table": table.name, "row": row}, sort_keys=True) + "\n")
    digest = hashlib.sha256()
    for table, columns in FINGERPRINT.items():
        names = [name.strip() for name in columns.split(",")]
        for row in rows[table]:
            digest.update(repr(tuple(row[name] for name in names)).encode())
    return Export(path, {table: len(rows[table]) for table in FINGERPRINT}, digest.hexdigest())


@pytest.fixture(scope="module")
def export_100k(tmp_path_factory: pytest.TempPathFactory) -> Export:
    return write_export(tmp_path_factory.mktemp("export") / "100k.jsonl", 100_000)


def outcome(url: str, export: Export) -> str:
    """Whether the database holds "none" or "all" of the export, after checking that it opens and is intact;
    anything in between fails the test."""
    if url.startswith("sqlite"):
        _integrity(_sqlite_path(url))
    counts = _counts(url)
    if not any(counts.values()):
        return "none"
    assert counts == export.counts, f"part of the import survived: {counts}"
    assert _fingerprint(url) == export.fingerprint, "the import's rows were altered"
    return "all"


class Watched:
    """A claimtrack command in its own process, with stderr on a pseudo-terminal so that it draws its
    progress bar, which the test reads to choose when to kill it."""

    def __init__(self, *args: str) -> None:
        import pty

        master, terminal = pty.openpty()
        self.process = subprocess.Popen(
            _claimtrack(*args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            env=_env(TERM="xterm", COLUMNS="120"),
        )
        os.close(terminal)
        os.set_blocking(master, False)
        self.master, self.screen = master, ""

    def progress(self) -> float:
        """How far the progress bar says the work is (0 to 1)."""
        try:
            while chunk := os.read(self.master, 65536):
                self.screen = (self.screen + chunk.decode("utf-8", "replace"))[-4096:]
        except (BlockingIOError, OSError):  # nothing new; or the process is gone
            pass
        found = re.findall(r"(\d+)/(\d+)", self.screen)
        return int(found[-1][0]) / int(found[-1][1]) if found and int(found[-1][1]) else 0.0

    def run(self, kill_when: Callable[[Watched], bool], timeout: float = 300) -> str:
        """Run until ``kill_when`` says so (then SIGKILL: "killed") or the command ends ("exit N")."""
        deadline = time.monotonic() + timeout
        try:
            while self.process.poll() is None:
                self.progress()  # also drains the terminal, which would otherwise fill and stall the command
                if kill_when(self):
                    self.process.kill()
                    self.process.wait()
                    return "killed"
                assert time.monotonic() < deadline, "the command took too long"
                time.sleep(0.005)
            self.progress()
            return f"exit {self.process.returncode}"
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            os.close(self.master)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


@posix_only
@pytest.mark.sqlite_only
def test_an_import_killed_at_any_point_leaves_all_of_it_or_none(db_url: str, export_100k: Export) -> None:
    path = _sqlite_path(db_url)
    wal = Path(f"{path}-wal")
    importing = ("--db", str(path), "import", str(export_100k.path))

    # 1. Mid-transaction, once the import's uncommitted pages have spilled from memory into the WAL.
    killed = Watched(*importing).run(lambda _: _size(wal) > 8 * 2**20)
    assert killed == "killed"
    assert outcome(db_url, export_100k) == "none"

    # 2. The moment the whole file has been read: the last rows are going in, or the commit is being written.
    killed = Watched(*importing).run(lambda watched: watched.progress() >= 1.0)
    assert killed == "killed"
    if outcome(db_url, export_100k) == "all":  # the kill came after the commit: start the last step afresh
        path.unlink()
        Path(f"{path}-wal").unlink(missing_ok=True)
        Path(f"{path}-shm").unlink(missing_ok=True)
        Run(db_url).ok("init")

    # 3. Run it again, and kill it after its commit, while the WAL is being copied into the database file.
    before = _size(path)
    at_kill: list[int] = []

    def checkpointing(_: Watched) -> bool:
        size = _size(path)
        if size > before + 2**20:
            at_kill.append(size)
            return True
        return False

    assert Watched(*importing).run(checkpointing) == "killed"
    assert outcome(db_url, export_100k) == "all"
    assert at_kill[0] < _size(path), "the kill did not land while the WAL was being copied back"


@posix_only
def test_a_spreadsheet_import_killed_mid_way_leaves_none_of_it_and_runs_again(
    cli: Run, tmp_path: Path
) -> None:
    _two_sources(cli)
    sheet = tmp_path / "claims.csv"
    rows = [f"Row {i}: about {i} people were detained,AF,af-1,were detained,sheet\n" for i in range(300)]
    sheet.write_text("text,by,source,passage,tags\n" + "".join(rows), encoding="utf-8")
    before = _counts(cli.url)

    # The bar's first report (a third of the rows logged), long before the transaction ends.
    killed = Watched("--db", cli.url, "claim", "import", str(sheet)).run(lambda w: w.progress() >= 0.3)
    assert killed == "killed"
    if cli.url.startswith("sqlite"):
        _integrity(_sqlite_path(cli.url))
    assert _counts(cli.url) == before

    assert Watched("--db", cli.url, "claim", "import", str(sheet)).run(lambda _: False) == "exit 0"
    assert len(cli.json("claim", "list", "--tag", "sheet")) == 300
    after = _counts(cli.url)
    assert (after["claims"], after["appearances"]) == (before["claims"] + 300, before["appearances"] + 300)


@posix_only
@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's own kill test; SQLite has the thorough one above")
def test_an_import_killed_half_way_on_postgresql_leaves_none_of_it(db_url: str, tmp_path: Path) -> None:
    export = write_export(tmp_path / "20k.jsonl", 20_000)
    importing = ("--db", db_url, "import", str(export.path))
    assert Watched(*importing).run(lambda watched: watched.progress() >= 0.5) == "killed"
    assert outcome(db_url, export) == "none"
    assert Watched(*importing).run(lambda _: False) == "exit 0"
    assert outcome(db_url, export) == "all"


# -- backups ---------------------------------------------------------------------------------------------

# Logs claims until told to stop, one transaction each: the claim with its first appearance and status row,
# and every third one cited in a second source in a transaction of its own.
LOOPING_WRITER = textwrap.dedent(
    """
    import pathlib, sys
    from claimtrack.claims import add_claim
    from claimtrack.corrections import cite
    from claimtrack.db import Ledger

    ledger, stop = Ledger(sys.argv[1]), pathlib.Path(sys.argv[2])
    written = 0
    while not stop.exists():
        with ledger.session(write=True) as session:
            key = add_claim(session, f"Looped claim {written}", by="AF", source="af-1",
                            passage="were detained").claim.key
        if written % 3 == 0:
            with ledger.session(write=True) as session:
                cite(session, key, "hw-1", stance="reports")
        written += 1
    print(written)
    """
)


@pytest.fixture
def looping_writer(cli: Run, tmp_path: Path) -> Iterator[Callable[[], int]]:
    """The two sources of :func:`_two_sources`, and another process logging claims into them from now on; call
    the fixture's value to stop it and get its count."""
    _two_sources(cli)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", LOOPING_WRITER, cli.url, str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )

    def finish() -> int:
        stop.touch()
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0 and "Traceback" not in err, err
        return int(out)

    try:
        yield finish
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()


def _complete_claims(url: str) -> int:
    """The number of claims, after checking that each is whole: its status row, its change-log entry and its
    first appearance, with one search-index row per claim, appearance and source."""
    counts = _counts(url)
    dispose_engines()
    try:
        with Ledger(url).engine.connect() as connection:
            incomplete = connection.exec_driver_sql(
                "SELECT count(*) FROM claims c WHERE "
                "(SELECT count(*) FROM status_changes s WHERE s.claim_id = c.id) != 1 "
                "OR NOT EXISTS (SELECT 1 FROM appearances a WHERE a.claim_id = c.id AND a.source_id = 1) "
                "OR NOT EXISTS (SELECT 1 FROM changes h WHERE h.table_name = 'claims' "
                "AND h.record_id = CAST(c.id AS TEXT))"
            ).scalar_one()
    finally:
        dispose_engines()
    assert incomplete == 0
    return counts["claims"]


def _raw_count(url: str) -> int:
    """Claims, read with a plain connection that comes and goes (claimtrack's pool would keep one open)."""
    raw = sqlite3.connect(_sqlite_path(url))
    try:
        return int(raw.execute("SELECT count(*) FROM claims").fetchone()[0])
    finally:
        raw.close()


def _wait_for_claims(url: str, at_least: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _raw_count(url) >= at_least:
            return
        time.sleep(0.02)
    pytest.fail(f"the writer did not log {at_least} claims")


@pytest.mark.sqlite_only
def test_a_backup_taken_while_another_process_writes_is_whole_and_consistent(
    cli: Run, tmp_path: Path, looping_writer: Callable[[], int]
) -> None:
    from claimtrack import backup

    _wait_for_claims(cli.url, 30)
    source = Ledger(cli.url)

    # Page by page, slowly, so that the writer commits many times while the copy is being taken.
    during = tmp_path / "during.db"
    steps: list[tuple[int, int]] = []

    def slowly(stage: str, done: int, total: int) -> None:
        if stage == "backing up":
            steps.append((done, total))
            time.sleep(0.003)

    started = _raw_count(cli.url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backup, "PAGES_PER_STEP", 1)
        copied = backup.backup(source, during, progress=slowly)
    ended = _raw_count(cli.url)
    assert started < ended, "the writer did not write while the backup was taken"
    assert copied.claims is not None and started <= copied.claims <= ended
    # One snapshot throughout: the copy never started over because someone wrote.
    assert [done for done, _ in steps] == list(range(1, len(steps) + 1))
    assert len({total for _, total in steps}) == 1
    assert "integrity ok" in cli.ok("db", "backup", str(tmp_path / "during-cli.db")).stderr

    written = looping_writer() + 1  # and the claim _two_sources logged
    for copy in (during, tmp_path / "during-cli.db"):
        _integrity(copy)
        assert not Path(f"{copy}-wal").exists()  # one self-contained file
        assert 30 <= _complete_claims(f"sqlite:///{copy}") <= written
    assert _complete_claims(f"sqlite:///{during}") == copied.claims

    # A change still only in the WAL: a copy of the .db file alone misses it, the backup has it.
    cli.ok("claim", "add", "Logged just before the backup", "--by", "AF", "--source", "af-1")
    path = _sqlite_path(cli.url)
    assert _size(Path(f"{path}-wal")) > 0
    shutil.copyfile(path, tmp_path / "file-copy.db")
    after = tmp_path / "after.db"
    cli.ok("db", "backup", str(after))
    assert _counts(f"sqlite:///{tmp_path / 'file-copy.db'}")["claims"] == written
    # With the writer stopped, the backup holds exactly what the database holds, byte for byte in the export.
    _integrity(after)
    assert _complete_claims(f"sqlite:///{after}") == written + 1
    assert Run(f"sqlite:///{after}").ok("export").stdout == cli.ok("export").stdout


@pytest.mark.sqlite_only
def test_a_restore_gives_back_an_identical_export(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_sources(cli)
    key = cli.ok("claim", "add", "About 3,000 were detained", "--by", "AF", "--source", "af-1").stdout.strip()
    cli.ok("claim", "cite", key, "hw-1", "--stance", "reports", "--passage", "were detained")
    exported = cli.ok("export").stdout
    copy = tmp_path / "backups" / "ledger.db"
    copy.parent.mkdir()
    cli.ok("db", "backup", str(copy))

    # A backup never replaces a file without --force, and a restore never replaces a database without it.
    refused = cli("db", "backup", str(copy))
    assert (refused.exit_code, refused.stderr) == (1, f"error: '{copy}' exists; pass --force to replace it\n")
    cli.ok("db", "backup", str(copy), "--force")
    refused = cli("db", "restore", str(copy))
    assert refused.exit_code == 1 and "restore with --force" in refused.stderr

    # Work after the backup, then the restore undoes it: the same record, byte for byte.
    cli.ok("claim", "status", key, "disputed", "--reason", "the ministry gives fewer than 400")
    cli.ok("claim", "add", "Logged after the backup", "--by", "AF")
    assert cli.ok("export").stdout != exported
    cli.ok("db", "restore", str(copy), "--force")
    assert cli.ok("export").stdout == exported
    _integrity(_sqlite_path(cli.url))

    # Into a new file, too; and the backup itself is left as it was.
    fresh = Run(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.ok("db", "restore", str(copy))
    assert fresh.ok("export").stdout == exported
    assert Run(f"sqlite:///{copy}").ok("export").stdout == exported

    # A restore that cannot get the write lock in time changes nothing and says so in one line.
    cli.ok("claim", "add", "Logged after the restore", "--by", "AF")
    exported = cli.ok("export").stdout
    monkeypatch.setenv("CLAIMTRACK_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect(_sqlite_path(cli.url), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        busy = cli("db", "restore", str(copy), "--force")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.exit_code == 1 and busy.stderr.startswith("error: the database is busy")
    assert cli.ok("export").stdout == exported

    # Not a backup at all: refused before anything is touched.
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    refused = cli("db", "restore", str(junk), "--force")
    assert refused.exit_code == 1 and len(refused.stderr.splitlines()) == 1
    assert cli.ok("export").stdout == exported


def test_backup_and_restore_on_postgresql_point_to_pg_dump(cli: Run, tmp_path: Path) -> None:
    server = Run(cli.url if PG_URL else "postgresql://nobody@127.0.0.1:9/none")  # refused before connecting
    result = server("db", "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1 and "pg_dump -Fc" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    result = server("db", "restore", str(tmp_path / "copy.db"))
    assert result.exit_code == 1 and "pg_restore" in result.stderr
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.skipif(not PG_URL or shutil.which("pg_dump") is None, reason="needs PostgreSQL and pg_dump")
def test_pg_dump_and_pg_restore_give_back_an_identical_export(
    cli: Run, blank_url: str, tmp_path: Path
) -> None:
    """What the README tells PostgreSQL users to do instead of `db backup`, checked."""
    _two_sources(cli)
    key = cli.ok("claim", "add", "About 3,000 were detained", "--by", "AF", "--source", "af-1").stdout.strip()
    cli.ok("claim", "status", key, "disputed", "--reason", "the ministry gives fewer than 400")
    dump = tmp_path / "ledger.dump"

    def libpq(url: str) -> str:
        return url.replace("postgresql+psycopg://", "postgresql://", 1)

    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq(cli.url)], check=True, timeout=120)
    subprocess.run(["pg_restore", "--no-owner", "-d", libpq(blank_url), str(dump)], check=True, timeout=120)
    assert Run(blank_url).ok("export").stdout == cli.ok("export").stdout
