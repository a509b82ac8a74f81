"""Write tests/data/schema-REVISION.sql: a database made by the claimtrack that wrote that schema revision,
holding records of every kind that schema has, as portable INSERT statements (data only).

    python tests/data/make_schema_dump.py 0002 [0003 ...]

The claimtrack used is the last commit at that revision (the commit before the next revision's migration was
added, or HEAD for the newest), checked out into a temporary git worktree and run from there, so the records
are what that version wrote. tests/test_migrations.py loads each dump into tables made by the migrations up
to its revision, upgrades to head and checks that every record is intact.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

# Run by the old claimtrack (its package first on sys.path): the sample, a document with its original file
# and extraction decisions, a setting, a status change, and a check (stored from schema 0004 on). Commands a
# version does not have are skipped: each schema gets the kinds of record it can hold.
BUILD = r"""
import subprocess, sys
from claimtrack.db import Ledger
from claimtrack.sample import load
url, documents = sys.argv[1], sys.argv[2]
ledger = Ledger(url)
ledger.upgrade()
with ledger.session(write=True) as session:
    load(session)
def run(*args):
    done = subprocess.run([sys.executable, "-m", "claimtrack", "--db", url, *args], capture_output=True, text=True)
    print(" ".join(args[:2]), "->", done.returncode, done.stderr.strip().splitlines()[-1:] , file=sys.stderr)
run("entity", "add", "Port Selden Harbour Authority", "--kind", "government")
run("source", "add", documents + "/report.pdf", "--key", "hpa-report", "--accessed", "2020-01-15",
    "--publisher", "Port Selden Harbour Authority")
run("extract", "hpa-report", "--accept-all")
run("config", "set", "min-independent", "3")
run("check")
"""


def commit_for(revision: str) -> str:
    """The last commit at which ``revision`` was the newest schema."""

    def added(number: int) -> str | None:
        found = list((ROOT / "migrations" / "versions").glob(f"{number:04d}_*.py"))
        if not found:
            return None
        log = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", str(found[0])],
                             cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
        return log.stdout.split()[-1]

    following = added(int(revision) + 1)
    return f"{following}~1" if following else "HEAD"


def sql_literal(value: object, declared: str) -> str:
    if value is None:
        return "NULL"
    if "BOOL" in declared.upper():
        return "TRUE" if value else "FALSE"
    if isinstance(value, bytes):
        return f"X'{value.hex().upper()}'"  # tests turn this into decode('...', 'hex') for PostgreSQL
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def dump(path: Path, revision: str, commit: str) -> str:
    import sqlite3

    conn = sqlite3.connect(path)
    lines = [
        f"-- The sample investigation and more, as written by the claimtrack of schema {revision} (git {commit}).",
        "-- Data only: tests create the tables with the migrations up to this revision, load these rows, then",
        "-- upgrade to head. Made by tests/data/make_schema_dump.py.",
        "",
    ]
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        if name != "alembic_version" and not name.startswith(("sqlite_", "search_index"))
    ]
    for table in tables:
        columns = [(row[1], row[2]) for row in conn.execute(f'PRAGMA table_info("{table}")')]
        names = ", ".join(f'"{name}"' for name, _ in columns)
        for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            values = ", ".join(sql_literal(v, t) for v, (_, t) in zip(row, columns, strict=True))
            lines.append(f"INSERT INTO {table} ({names}) VALUES ({values});")
    return "\n".join(lines) + "\n"


def make(revision: str) -> Path:
    commit = subprocess.run(["git", "rev-parse", "--short", commit_for(revision)], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        try:
            database = Path(scratch) / "made.db"
            env = {**os.environ, "PYTHONPATH": str(tree), "CLAIMTRACK_USER": "sample-maker"}
            env.pop("CLAIMTRACK_DB", None)
            subprocess.run([sys.executable, "-c", BUILD, f"sqlite:///{database}", str(DATA / "documents")],
                           cwd=scratch, env=env, check=True)  # fmt: skip
            out = DATA / f"schema-{revision}.sql"
            out.write_text(dump(database, revision, commit), encoding="utf-8")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    return out


if __name__ == "__main__":
    for revision in sys.argv[1:]:
        print(f"wrote {make(revision)}")
