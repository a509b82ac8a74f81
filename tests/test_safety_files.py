"""Issue 12, the files half: no command can overwrite the ledger or a file it was not told to replace, no input
can exhaust the machine, and no page keeps a command busy for minutes.

Every hostile file is made here, in the test. Each refusal is checked as a user sees it: exit code 1, one line
on stderr, no traceback, and the database unchanged (every row of every table compared before and after).
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimtrack.db import Ledger
from claimtrack.sample import load

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture
def sample(ledger: Ledger) -> dict[str, str]:
    with ledger.session(write=True) as db:
        return load(db)


def refused(result: Any, *words: str) -> str:
    """The one line a refused command printed, after checking it is one line, exit 1 and no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def database_file(ledger: Ledger) -> Path | None:
    return ledger.sqlite_path()


def written(data: bytes) -> Any:
    """What an output holds: its bytes, or for a WARC file its records' payloads (a record has a random id)."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    from warcio.archiveiterator import ArchiveIterator

    return [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(data))]


# Every command that writes a file, with what it writes.
WRITERS = {
    "report md": ["report"],
    "report html": ["report", "--format", "html", "--drawings", "own"],
    "report csv": ["report", "--format", "csv"],
    "report json": ["report", "--format", "json"],
    "export jsonl": ["export"],
    "export claimreview": ["export", "--format", "claimreview"],
    "export csl-json": ["export", "--format", "csl-json"],
    "export bibtex": ["export", "--format", "bibtex"],
    "source warc": ["source", "warc", "av-2020-01-10"],
}


# -- 1. one way to write a file --------------------------------------------------------------------------


@pytest.mark.sqlite_only
@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("companion", ["", "-wal", "-shm", "hard link", "by another path"])
def test_no_command_writes_over_the_database(
    cli: Any, ledger: Ledger, sample: Any, snapshot: Snapshot, tmp_path: Path, writer: str, companion: str
) -> None:
    database = database_file(ledger)
    assert database is not None
    cli.ok("claim", "list")  # a reader: the -wal and -shm files exist while the engine is open
    if companion == "hard link":
        target = tmp_path / "alias.db"
        os.link(database, target)
    elif companion == "by another path":
        (database.parent / "sub").mkdir()
        target = database.parent / "sub" / ".." / database.name
    else:
        target = Path(f"{database}{companion}")
    before, size = snapshot(), database.read_bytes()
    for force in ([], ["--force"]):
        line = refused(cli(*WRITERS[writer], "-o", str(target), *force), "cannot be the database")
        assert str(target) in line
    assert database.read_bytes() == size
    assert snapshot() == before
    assert cli.ok("claim", "list").stdout  # still a working ledger


def test_the_backup_is_refused_onto_the_database_s_files_too(cli: Any, ledger: Ledger, sample: Any) -> None:
    database = database_file(ledger)
    if database is None:
        pytest.skip("db backup copies SQLite files")
    cli.ok("claim", "list")
    for companion in ("", "-wal", "-shm"):
        refused(cli("db", "backup", f"{database}{companion}", "--force"), "the backup cannot be the database")


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_is_replaced_only_with_force(
    cli: Any, sample: Any, tmp_path: Path, writer: str
) -> None:
    target = tmp_path / "out"
    target.write_text("an earlier version\n")
    target.chmod(0o640)
    refused(cli(*WRITERS[writer], "-o", str(target)), f"'{target}' exists; pass --force to replace it")
    assert target.read_text() == "an earlier version\n"
    cli.ok(*WRITERS[writer], "-o", str(target), "--force")
    # The same bytes as -o - gives on stdout; the replaced file keeps its permissions; no temporary file left.
    assert written(target.read_bytes()) == written(cli.ok(*WRITERS[writer], "-o", "-").stdout_bytes)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_symbolic_link_at_the_output_is_never_followed(
    cli: Any, sample: Any, tmp_path: Path, writer: str
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("someone else's file\n")
    link = tmp_path / "out.md"
    link.symlink_to(precious)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    for target in (link, dangling):
        for force in ([], ["--force"]):
            refused(cli(*WRITERS[writer], "-o", str(target), *force), "symbolic link")
    assert precious.read_text() == "someone else's file\n"
    assert link.is_symlink() and dangling.is_symlink() and not (tmp_path / "nowhere.md").exists()


@pytest.mark.parametrize("writer", WRITERS)
def test_a_folder_or_a_missing_folder_is_one_line(
    cli: Any, sample: Any, snapshot: Snapshot, tmp_path: Path, writer: str
) -> None:
    before = snapshot()
    (tmp_path / "folder").mkdir()
    refused(cli(*WRITERS[writer], "-o", str(tmp_path / "folder")), "is a folder")
    refused(cli(*WRITERS[writer], "-o", str(tmp_path / "folder"), "--force"), "is a folder")
    missing = tmp_path / "no" / "such" / "out.txt"
    refused(cli(*WRITERS[writer], "-o", str(missing)), f"cannot write '{missing}'", "does not exist")
    refused(cli(*WRITERS[writer], "-o", "/dev/null", "--force"), "not a regular file", "use - for stdout")
    assert snapshot() == before
    assert not (tmp_path / "no").exists()


class _FullDisk(io.RawIOBase):
    """A file that takes a few kilobytes and then fails as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if len(data) > self.room:
            self.real.write(bytes(data[: self.room]))
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.real.write(data))

    def fileno(self) -> int:
        return int(self.real.fileno())

    def close(self) -> None:
        self.real.close()
        super().close()


@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_disk_leaves_the_old_file_and_no_partial_one(
    cli: Any, sample: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    from claimtrack import output_files

    real_fdopen = os.fdopen

    def full_disk(descriptor: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raw = _FullDisk(real_fdopen(descriptor, "wb", buffering=0), room=100)
        buffered = io.BufferedWriter(raw, buffer_size=64)
        return buffered if "b" in mode else io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")

    old = tmp_path / "out"
    old.write_text("the good export of yesterday\n")
    new = tmp_path / "new"
    files = sorted(tmp_path.iterdir())
    monkeypatch.setattr(output_files.os, "fdopen", full_disk)
    refused(cli(*WRITERS[writer], "-o", str(old), "--force"), "cannot write", "the disk is full", "unchanged")
    refused(cli(*WRITERS[writer], "-o", str(new)), "the disk is full", "nothing was written")
    monkeypatch.undo()
    assert old.read_text() == "the good export of yesterday\n"
    assert sorted(tmp_path.iterdir()) == files  # no partial file, and no "new"


def test_dash_writes_to_stdout_and_nothing_else(cli: Any, sample: Any, tmp_path: Path) -> None:
    files = sorted(tmp_path.iterdir())
    for args in WRITERS.values():
        assert cli.ok(*args, "-o", "-").stdout_bytes
    assert sorted(tmp_path.iterdir()) == files
