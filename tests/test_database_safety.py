"""Databases that are not as claimtrack left them: damaged, made by a newer claimtrack, or read-only.

Each used to end in "internal error (...)", in advice that then failed ("run db upgrade"), or (read-only) in
no answer at all and a left-over read-only -shm file that broke every later write. Now: one line that says
what to do, the file unchanged, and `db salvage` to copy what can still be read into a new ledger.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Run
from sqlalchemy import text

from claimtrack.claims import add_claim
from claimtrack.db import Ledger, dispose_engines
from claimtrack.entities import add_entity


def _one_line(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "internal error" not in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""
    return lines[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- a damaged file -------------------------------------------------------------------------------------------

CLAIMS = 1_500


@pytest.fixture(scope="module")
def whole_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger of 1,500 claims, each with a tag and a status row, in WAL mode as claimtrack keeps it, whole in
    its one file (the last connection's close moved the WAL into it)."""
    path = tmp_path_factory.mktemp("whole") / "whole.db"
    ledger = Ledger(f"sqlite:///{path}")
    ledger.upgrade()
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front", aliases=["AF"])
        for number in range(CLAIMS):
            add_claim(session, f"Claim {number}: some were detained in Port Selden", by="AF", tags=["t"])
    dispose_engines()
    assert sorted(file.name for file in path.parent.iterdir()) == ["whole.db"]
    return path


def _claims(path: Path) -> dict[int, str]:
    raw = sqlite3.connect(path)
    try:
        return dict(raw.execute("SELECT id, text FROM claims"))
    finally:
        raw.close()


@pytest.fixture
def page_damaged(whole_ledger: Path, tmp_path: Path) -> Path:
    """The ledger with one page in the middle of its claims table overwritten by random bytes."""
    path = tmp_path / "damaged.db"
    shutil.copyfile(whole_ledger, path)
    raw = sqlite3.connect(path)
    try:
        leaves = [row[0] for row in raw.execute(
            "SELECT pageno FROM dbstat WHERE name = 'claims' AND pagetype = 'leaf' ORDER BY pageno"
        )]  # fmt: skip
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find a claims page with")
    finally:
        raw.close()
    with path.open("r+b") as file:
        file.seek((leaves[len(leaves) // 2] - 1) * page_size)
        file.write(os.urandom(page_size))
    return path


@pytest.fixture
def schema_not_utf8(whole_ledger: Path, tmp_path: Path) -> Path:
    """The ledger with one byte of its schema's text (a table's CREATE statement) made invalid UTF-8: SQLite
    then quotes the text in its error, and the driver cannot decode the message."""
    path = tmp_path / "schema.db"
    shutil.copyfile(whole_ledger, path)
    data = path.read_bytes()
    offset = data.index(b"FOREIGN KEY", data.index(b"CREATE TABLE claims"))  # "\x80OREIGN KEY": a syntax error
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(b"\x80")
    return path


@pytest.fixture
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "noise.db"
    path.write_bytes(os.urandom(64 * 1024))
    return path


# Every command on a file that is not a database; on a file with one damaged page, the commands that read
# every claim (others may not reach the damaged page, and then work: damage is found where it is read).
READS_AND_WRITES = {
    "claim list": ["claim", "list"],
    "search": ["search", "detained"],
    "export": ["export", "-o", "out.jsonl"],
    "db backup": ["db", "backup", "backup.db"],
    "db current": ["db", "current"],
    "init": ["init"],
    "entity add": ["entity", "add", "Harbor Wire"],
    "claim add": ["claim", "add", "Text", "--by", "AF"],
}
READ_EVERY_CLAIM = {"claim list", "export", "db backup"}


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("damage", "command"),
    [("not_a_database", command) for command in READS_AND_WRITES]
    + [("schema_not_utf8", command) for command in READS_AND_WRITES]
    + [("page_damaged", command) for command in sorted(READ_EVERY_CLAIM)],
)
def test_a_damaged_file_gets_one_line_saying_what_to_do_and_is_left_alone(
    request: pytest.FixtureRequest, tmp_path: Path, damage: str, command: str
) -> None:
    path: Path = request.getfixturevalue(damage)
    before = _digest(path)
    result = Run(f"sqlite:///{path}")(*READS_AND_WRITES[command])
    line = _one_line(result)
    assert f"'{path}' is damaged or is not a SQLite database (" in line, line
    assert f"db restore BACKUP --force), or copy what can still be read into a new ledger: claimtrack db " \
        f"salvage '{path}' NEW.db" in line  # fmt: skip
    dispose_engines()  # as the command's process ends
    assert _digest(path) == before
    assert sorted(file.name for file in path.parent.iterdir() if file.name.startswith(f"{path.name}-")) == []


@pytest.mark.sqlite_only
def test_salvage_copies_every_row_off_the_damaged_page_into_a_working_ledger(
    whole_ledger: Path, page_damaged: Path, tmp_path: Path
) -> None:
    before = _digest(page_damaged)
    out = tmp_path / "salvaged.db"
    result = Run("unused")("db", "salvage", str(page_damaged), str(out), db=False)
    assert result.exit_code == 0, result.stderr
    assert _digest(page_damaged) == before  # only read
    original, saved = _claims(whole_ledger), _claims(out)
    # Every saved claim is the original, byte for byte; the lost ones are the rows of the one damaged page: a
    # run of consecutive ids, no more than a page holds.
    assert all(original[key] == value for key, value in saved.items())
    lost = sorted(set(original) - set(saved))
    assert 0 < len(lost) <= 100 and lost == list(range(lost[0], lost[-1] + 1)), lost
    assert len(saved) == CLAIMS - len(lost)
    stderr = result.stderr.splitlines()
    assert (
        f"warning: claims: {len(saved):,} rows saved; {len(lost)} ids on damaged pages could not be read"
        in stderr
    )
    assert (
        f"warning: claim_tags: {len(saved):,} rows saved; {len(lost)} rows left out that refer to lost rows"
        in stderr
    )
    assert stderr[-1].startswith("salvaged ") and "3 tables with losses" in stderr[-1]
    # The new ledger is a claimtrack ledger that works: sound, at the current schema, searchable, writable.
    raw = sqlite3.connect(out)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()
    cli = Run(f"sqlite:///{out}")
    kept = next(iter(saved))
    assert (
        cli.json("search", f'"{saved[kept]}"')[0]["snippet"].replace("[", "").replace("]", "") == saved[kept]
    )
    assert len(cli.json("claim", "list")) == len(saved)
    assert len(cli.json("claim", "list", "--tag", "t")) == len(saved)
    cli.ok("claim", "add", "A claim logged after the salvage", "--by", "AF")
    # What the damaged file made unreadable is not there, and the search index has no trace of it.
    assert cli.json("search", f'"{original[lost[0]]}"') == []


@pytest.mark.sqlite_only
def test_salvage_of_a_whole_ledger_copies_everything(whole_ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    result = Run("unused")("db", "salvage", str(whole_ledger), str(out), db=False)
    assert result.exit_code == 0, result.stderr
    assert "every table whole" in result.stderr and "warning" not in result.stderr
    assert _claims(out) == _claims(whole_ledger)


@pytest.mark.sqlite_only
def test_salvage_refuses_what_it_cannot_do_in_one_line(
    whole_ledger: Path, not_a_database: Path, tmp_path: Path
) -> None:
    run = Run("unused")
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"keep me")
    assert "exists" in _one_line(run("db", "salvage", str(whole_ledger), str(taken), db=False))
    assert taken.read_bytes() == b"keep me"
    line = _one_line(run("db", "salvage", str(not_a_database), str(tmp_path / "new.db"), db=False))
    assert "nothing can be salvaged" in line and "first page" in line
    assert not (tmp_path / "new.db").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    line = _one_line(run("db", "salvage", str(empty), str(tmp_path / "new.db"), db=False))
    assert line == f"error: '{empty}' holds no claimtrack table: nothing to salvage"
    assert _one_line(run("--db", str(tmp_path), "claim", "list", db=False)).endswith(
        "is a folder; --db names a database file"
    )
    assert [file.name for file in tmp_path.iterdir() if file.name.startswith(".")] == []  # no partial file


@pytest.mark.sqlite_only
def test_a_backup_restored_with_force_replaces_a_damaged_file(
    whole_ledger: Path, page_damaged: Path, tmp_path: Path
) -> None:
    """The damage message's first way out works: `db restore BACKUP --force` onto the damaged file."""
    backup = tmp_path / "backup.db"
    Run(f"sqlite:///{whole_ledger}").ok("db", "backup", str(backup))
    Run(f"sqlite:///{page_damaged}").ok("db", "restore", str(backup), "--force")
    assert _claims(page_damaged) == _claims(whole_ledger)
    raw = sqlite3.connect(page_damaged)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()


# -- a database made by a newer claimtrack --------------------------------------------------------------------


def test_a_database_from_a_newer_claimtrack_asks_for_a_newer_claimtrack(cli: Run, snapshot: Any) -> None:
    """It said "run `claimtrack db upgrade`", which then failed: no migration leads from a revision it has
    never heard of."""
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    engine = Ledger(cli.url).engine
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    dispose_engines()
    for command in (["claim", "list"], ["db", "upgrade"], ["init"], ["entity", "add", "Harbor Wire"]):
        line = _one_line(cli(*command))
        assert "was made by a newer claimtrack (schema revision '0099'; claimtrack " in line, line
        assert "install a newer claimtrack" in line and "db upgrade" not in line, line
    with Ledger(cli.url).engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0099"
        assert connection.execute(text("SELECT name FROM entities")).scalars().all() == ["Amber Front"]


def test_the_known_revisions_are_the_migrations() -> None:
    from alembic.script import ScriptDirectory

    from claimtrack.migrate import alembic_config, known_revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}


# -- read-only files and folders ------------------------------------------------------------------------------
#
# The tests run as root, and root may write any file whatever its permission bits: a chmod proves nothing for
# root. So these run the command as the unprivileged user `nobody` (setpriv), who cannot write a file or folder
# that root owns and keeps 0755/0644, or a file chmod-ed 444. Where that user cannot run this Python (or
# setpriv is missing), the tests are skipped, saying why.


def _as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", "CLAIMTRACK_USER": "tester"},
        cwd="/",
        timeout=120,
    )


@pytest.fixture(scope="module")
def nobody() -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a command as the unprivileged user nobody")
    probe = _as_nobody(sys.executable, "-c", "import claimtrack")
    if probe.returncode != 0:
        pytest.skip(f"the user nobody cannot run this Python and claimtrack: {probe.stderr.strip()[-200:]}")


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's root-only tmp folder, that nobody can reach."""
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-ro-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def _claimtrack_as_nobody(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _as_nobody(sys.executable, "-m", "claimtrack", "--db", str(db), *args)


@pytest.mark.sqlite_only
def test_a_ledger_in_a_read_only_folder_can_be_read_and_nothing_is_left_beside_it(
    nobody: None, whole_ledger: Path, shared_folder: Path
) -> None:
    folder = shared_folder / "readonly"
    folder.mkdir(mode=0o755)
    db = folder / "ledger.db"
    shutil.copyfile(whole_ledger, db)  # root's, 0644, in root's 0755 folder: nobody may only read
    out = shared_folder / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    before = _digest(db)
    for command in (
        ["claim", "list", "-n", "3"],
        ["search", "detained", "-n", "3"],
        ["export", "-o", str(out / "export.jsonl")],
        ["db", "backup", str(out / "backup.db")],
        ["db", "current"],
    ):
        result = _claimtrack_as_nobody(db, *command)
        assert result.returncode == 0, (command, result.stderr)
    assert (out / "export.jsonl").stat().st_size > 0
    assert _claims(out / "backup.db") == _claims(whole_ledger)
    # check shows its verdicts and says that the counts were not stored.
    result = _claimtrack_as_nobody(db, "check", "-n", "1")
    assert result.returncode == 0, result.stderr
    assert "warning: the counts were not stored: " in result.stderr and "is read-only" in result.stderr
    # A write is one line, and nothing was created or changed.
    result = _claimtrack_as_nobody(db, "entity", "add", "Harbor Wire")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: '{db}' is read-only here (the file or its folder cannot be written): commands that only read "
        "work; to change it, make both writable or work on a copy (claimtrack db backup COPY)"
    ]
    assert sorted(file.name for file in folder.iterdir()) == ["ledger.db"]
    assert _digest(db) == before


@pytest.mark.sqlite_only
def test_reading_a_file_made_read_only_leaves_nothing_that_blocks_later_writes(
    nobody: None, whole_ledger: Path, shared_folder: Path
) -> None:
    """`chmod 444 x.db; claimtrack claim list; chmod 644 x.db`, then a write: it failed on the read-only x.db-shm
    that the listing had left behind."""
    folder = shared_folder / "mine"
    folder.mkdir()
    db = folder / "x.db"
    shutil.copyfile(whole_ledger, db)
    shutil.chown(folder, "nobody")
    shutil.chown(db, "nobody")
    assert _as_nobody("chmod", "444", str(db)).returncode == 0
    result = _claimtrack_as_nobody(db, "claim", "list", "-n", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(file.name for file in folder.iterdir()) == ["x.db"]
    assert _as_nobody("chmod", "644", str(db)).returncode == 0
    result = _claimtrack_as_nobody(db, "entity", "add", "Harbor Wire")
    assert result.returncode == 0, result.stderr
    result = _claimtrack_as_nobody(
        db, "claim", "add", "Logged after the read-only spell", "--by", "Harbor Wire"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.sqlite_only
@pytest.mark.parametrize("revision", ["0002", "0004"])
def test_salvage_of_a_ledger_at_an_older_schema_gives_one_at_this_schema(
    tmp_path: Path, revision: str
) -> None:
    """The rows go into a ledger at the file's own schema, which is then upgraded: nothing of theirs is lost."""
    import re

    from claimtrack.db import SCHEMA_REVISION
    from claimtrack.migrate import upgrade

    old = tmp_path / "old.db"
    ledger = Ledger(f"sqlite:///{old}")
    upgrade(ledger.engine, revision)
    dump = (Path(__file__).parent / "data" / f"schema-{revision}.sql").read_text(encoding="utf-8")
    with ledger.engine.begin() as connection:
        for statement in re.split(r"\n(?=INSERT INTO )", dump):
            if statement.startswith("INSERT INTO"):
                connection.exec_driver_sql(statement.strip().rstrip(";"))
    dispose_engines()
    out = tmp_path / "salvaged.db"
    result = Run("unused")("db", "salvage", str(old), str(out), db=False)
    assert result.exit_code == 0, result.stderr
    assert "every table whole" in result.stderr
    # Every row, but the stored check counts: derived data, left out as export leaves it out.
    rows = dump.count("\nINSERT INTO ") - dump.count("\nINSERT INTO claim_checks ")
    assert f"salvaged {rows:,} rows" in result.stderr
    cli = Run(f"sqlite:///{out}")
    assert cli.json("db", "current")["revision"] == SCHEMA_REVISION
    assert _claims(out) == _claims(old)
    assert cli.json("search", "dismantled")


@pytest.mark.sqlite_only
def test_a_reader_that_may_not_write_sees_what_a_writer_holding_the_file_open_committed(
    nobody: None, whole_ledger: Path, shared_folder: Path
) -> None:
    """While a writer has the ledger open, its latest commits sit in the -wal file: a read-only reader reads
    them through the WAL (SQLite's mode=ro), rather than the main file alone (immutable)."""
    folder = shared_folder / "busy"
    folder.mkdir(mode=0o755)
    db = folder / "ledger.db"
    shutil.copyfile(whole_ledger, db)
    holder = sqlite3.connect(db, isolation_level=None)  # root's open connection keeps the WAL beside the file
    try:
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute("SELECT count(*) FROM claims").fetchone()
        key = Run(f"sqlite:///{db}").ok("claim", "add", "Fresh from the writer", "--by", "AF").stdout.strip()
        dispose_engines()
        assert (folder / "ledger.db-wal").stat().st_size > 0
        result = _claimtrack_as_nobody(db, "claim", "show", key, "--json")
        assert result.returncode == 0, result.stderr
        assert '"Fresh from the writer"' in result.stdout
    finally:
        holder.close()


def test_damage_met_outside_the_ledger_is_still_explained() -> None:
    """Damage the ledger did not catch itself (a driver error raised elsewhere) is still one line with what to
    do, not an internal error."""
    from sqlalchemy.exc import DatabaseError

    from claimtrack.cli.app import explain

    for error in (
        sqlite3.DatabaseError("database disk image is malformed"),
        DatabaseError("SELECT 1", {}, sqlite3.DatabaseError("file is not a database")),
    ):
        message = explain(error)
        assert message is not None and message.startswith("the database is damaged (")
        assert "db restore BACKUP --force" in message and "db salvage FILE NEW.db" in message
    assert explain(sqlite3.DatabaseError("something else")) is None


@pytest.mark.sqlite_only
def test_a_failure_on_a_file_sqlite_finds_damaged_names_the_damage(whole_ledger: Path, tmp_path: Path) -> None:
    """A damaged page can read back as values no sound ledger holds, such as a claim whose claimant is no row:
    the command then fails on what it read, and the line it prints names the damage SQLite's own checks find
    (here PRAGMA foreign_key_check), not an internal error."""
    path = tmp_path / "orphan.db"
    shutil.copyfile(whole_ledger, path)
    raw = sqlite3.connect(path)
    try:
        raw.execute("UPDATE claims SET claimant_id = 999999 WHERE id = 7")  # foreign keys are off in raw sqlite3
        raw.commit()
    finally:
        raw.close()
    line = _one_line(Run(f"sqlite:///{path}")("claim", "list"))
    assert "internal error" not in line, line
    assert f"'{path}' is damaged or is not a SQLite database (a row of claims refers to a row of entities" in line
    dispose_engines()


# -- a damaged value that SQLite's own checks cannot see ------------------------------------------------------


@pytest.fixture(scope="module")
def sample_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample investigation in a SQLite ledger, whole in its one file."""
    from claimtrack.sample import load

    path = tmp_path_factory.mktemp("sample") / "sample.db"
    ledger = Ledger(f"sqlite:///{path}")
    ledger.upgrade()
    with ledger.session(write=True) as session:
        load(session)
    dispose_engines()
    return path


def _history_json_broken(path: Path) -> str:
    """One byte of a history row's JSON overwritten in the file (the history refuses UPDATE): ":" made ";"."""
    raw = sqlite3.connect(path)
    try:
        change, after = raw.execute(
            "SELECT id, after FROM changes WHERE after LIKE '{%' ORDER BY length(after), id LIMIT 1"
        ).fetchone()
    finally:
        raw.close()
    data = path.read_bytes()
    stored = after.encode("utf-8")
    assert data.count(stored) == 1
    offset = data.index(stored) + stored.index(b'": ') + 1
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(b";")
    return f"the history's change {change}: its after value does not parse as JSON"


def _updated(sql: str, said: str) -> Callable[[Path], str]:
    def damage(path: Path) -> str:
        raw = sqlite3.connect(path)
        try:
            assert raw.execute(sql).rowcount == 1
            raw.commit()
        finally:
            raw.close()
        return said

    return damage


# One case per kind of damaged value the bytes-overwritten fuzz cases met (each ended in "internal error",
# or in the driver's message quoting the damaged bytes): the damage, a command that reads it, and what the
# damage line names.
DAMAGED_VALUES: dict[str, tuple[Callable[[Path], str], list[str]]] = {
    "history JSON that does not parse": (_history_json_broken, ["log"]),
    "history JSON that does not parse, exported": (_history_json_broken, ["export", "-o", "OUT"]),
    "a timestamp that is not one": (
        _updated(
            "UPDATE claims SET created_at = '2020-01-1X 10:00:00.000000' WHERE id = 1",
            "claims row 1: its created_at value is not a date and time",
        ),
        # `claim list` reads plain rows and no longer this column; the export reads every value.
        ["export", "-o", "OUT"],
    ),
    "a date that is not one": (
        _updated(
            "UPDATE claims SET said_earliest = '2020-0X-08' WHERE id = 1",
            "claims row 1: its said_earliest value is not a date",
        ),
        ["timeline"],
    ),
    "text that is not UTF-8": (
        _updated(
            "UPDATE claims SET text = CAST(x'41ff42' AS TEXT) WHERE id = 1",
            "claims row 1: its text value is not UTF-8 text",
        ),
        ["export", "-o", "OUT"],
    ),
    "a kind no vocabulary holds": (
        _updated(
            "UPDATE affiliations SET kind = 'member-oX' WHERE id = 1",
            "affiliations row 1: its kind value 'member-oX' is not a kind of tie claimtrack knows",
        ),
        ["check", "--all"],
    ),
    "text where a number belongs": (
        _updated(
            "UPDATE claims SET figure_value = 'abc' WHERE id = (SELECT min(id) FROM claims WHERE figure_value IS NOT NULL)",
            "its figure_value value is text where a number belongs",
        ),
        ["claim", "list"],
    ),
}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("case", DAMAGED_VALUES)
def test_a_damaged_value_gets_the_damage_line_naming_it(
    sample_ledger: Path, tmp_path: Path, case: str
) -> None:
    """A byte changed inside a stored value leaves every page sound (quick_check and foreign_key_check pass);
    the command that reads the value fails on it, and the line it prints names the value (its table, row and
    column, and what is wrong with it), with the way out, not "internal error"; the file is left as it was."""
    damage, command = DAMAGED_VALUES[case]
    path = tmp_path / "damaged.db"
    shutil.copyfile(sample_ledger, path)
    said = damage(path)
    raw = sqlite3.connect(path)
    try:  # SQLite's own checks see nothing wrong
        assert raw.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()
    before = _digest(path)
    out = tmp_path / "out.jsonl"
    line = _one_line(Run(f"sqlite:///{path}")(*(str(out) if word == "OUT" else word for word in command)))
    assert line.startswith(f"error: '{path}' is damaged or is not a SQLite database ("), line
    assert said in line, line
    assert line.endswith(f"claimtrack db salvage '{path}' NEW.db"), line
    assert "\ufffd" not in line  # the damaged bytes are not printed
    dispose_engines()
    assert _digest(path) == before
    assert not out.exists()
