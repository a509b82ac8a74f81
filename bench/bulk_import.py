"""Bulk import: a million claims with their sources and appearances, from JSON lines, three ways.

    python bench/bulk_import.py [--scale F] [--runs N]

The input is a claimtrack export (JSON lines: a header, then {"table": ..., "row": ...} per row) of the
generated investigation's entities, measures, sources, claims and appearances -- at scale 1, 1,000,000
claims, 200,000 sources, 2,500,000 appearances and their 50,000 entities. It is written once into
``bench/.data`` and reused. Each contender loads the same file into a new database made by ``claimtrack
init`` (so the same schema: foreign keys, indexes, the search index and its triggers), in its own process,
whose wall time and peak memory (os.wait4) are reported. The baselines' databases have the search index's
triggers dropped: they only insert the rows, while claimtrack's import also builds the search index.

* **claimtrack**: ``claimtrack --db NEW import FILE``, as a user runs it;
* **raw sqlite3**: the stdlib module, ``executemany`` of each table's rows in chunks of 10,000 inside one
  transaction, with foreign keys on -- the floor for Python;
* **sqlite-utils**: ``Table.insert_all`` (what ``sqlite-utils insert`` runs) of each table's rows, batch
  size 10,000, foreign keys on.

Targets (issue 6): claimtrack at least 0.5x raw's rows per second, faster than sqlite-utils, peak memory
under 1 GiB.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import common

TABLES = ("entities", "measures", "sources", "claims", "appearances")

RAW = r"""
import json, sqlite3, sys
path, source = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("PRAGMA foreign_keys = ON")
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = NORMAL")
conn.execute("BEGIN IMMEDIATE")
table, columns, rows = None, None, []
def flush():
    if rows:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        conn.executemany(sql, rows)
        rows.clear()
with open(source, encoding="utf-8") as stream:
    next(stream)
    for line in stream:
        item = json.loads(line)
        if item["table"] != table or len(rows) >= 10_000:
            flush()
            table, columns = item["table"], sorted(item["row"])
        rows.append(tuple(item["row"][name] for name in columns))
flush()
conn.execute("COMMIT")
"""

SQLITE_UTILS = r"""
import itertools, json, sys
import sqlite_utils
path, source = sys.argv[1], sys.argv[2]
db = sqlite_utils.Database(path)
db.execute("PRAGMA foreign_keys = ON")
with open(source, encoding="utf-8") as stream:
    next(stream)
    items = (json.loads(line) for line in stream)
    for table, group in itertools.groupby(items, key=lambda item: item["table"]):
        db[table].insert_all((item["row"] for item in group), batch_size=10_000)
"""


def input_file(database: Path, scale: float) -> tuple[Path, int]:
    """The export of the investigation's claims, sources and appearances (made once), and its row count."""
    from claimtrack.db import SCHEMA_REVISION, Ledger
    from claimtrack.exchange import export_lines

    path = common.DATA / f"import-{scale}-{SCHEMA_REVISION}.jsonl"
    if not path.exists():
        print(f"writing {path} from {database} ...", file=sys.stderr, flush=True)
        partial = path.with_suffix(".partial")
        with Ledger("sqlite:///" + str(database)).session() as session, partial.open("w") as out:
            for line in export_lines(session, TABLES):
                out.write(line + "\n")
        partial.rename(path)
    with path.open(encoding="utf-8") as stream:
        rows = sum(1 for _ in stream) - 1
    return path, rows


def fresh_database(folder: Path, name: str, claimtrack: str, *, searchable: bool) -> Path:
    """A new database by ``claimtrack init``; without ``searchable`` its search triggers are dropped, so a
    baseline only inserts rows (claimtrack's import also builds the search index: the stricter test)."""
    path = folder / f"{name}.db"
    done = subprocess.run(
        [claimtrack, "--db", str(path), "init"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"claimtrack init failed: {done.stderr.strip()}")
    if not searchable:
        with sqlite3.connect(path) as conn:
            for (trigger,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall():
                conn.execute(f'DROP TRIGGER "{trigger}"')
    return path


def contender(name: str, argv: Sequence[str], folder: Path, claimtrack: str, runs: int) -> common.Run:
    """The median run of ``argv`` (with the new database's path and the input added by the caller)."""
    results = []
    for number in range(runs):
        target = fresh_database(folder, f"{name}-{number}", claimtrack, searchable=name == "claimtrack")
        run = common.run_measured([part.replace("{db}", str(target)) for part in argv])
        if run.returncode != 0:
            raise SystemExit(f"{name} failed: {run.stderr.decode(errors='replace').strip()[-500:]}")
        with sqlite3.connect(target) as conn:
            claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        for leftover in target.parent.glob(target.name + "*"):
            leftover.unlink()
        run.stdout = str(claims).encode()
        results.append(run)
    results.sort(key=lambda run: run.seconds)
    return results[len(results) // 2]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the investigation (default 1.0)")
    parser.add_argument("--runs", type=int, default=1, help="runs per contender; the median is reported")
    args = parser.parse_args(argv)

    database = common.investigation(args.scale)
    source, rows = input_file(database, args.scale)
    python = sys.executable
    claimtrack = shutil.which("claimtrack", path=str(Path(python).parent)) or "claimtrack"
    print(f"bulk import: {rows:,} rows ({', '.join(TABLES)}) from {source} "
          f"({source.stat().st_size / 2**20:,.0f} MiB); median of {args.runs} run(s) each")  # fmt: skip
    with tempfile.TemporaryDirectory(dir=common.DATA) as scratch:
        folder = Path(scratch)
        raw = contender("raw", [python, "-c", RAW, "{db}", str(source)], folder, claimtrack, args.runs)
        ours = contender("claimtrack", [claimtrack, "--db", "{db}", "import", str(source)], folder, claimtrack,
                         args.runs)  # fmt: skip
        try:
            import sqlite_utils  # noqa: F401
        except ImportError:
            utils = None
        else:
            utils = contender("sqlite-utils", [python, "-c", SQLITE_UTILS, "{db}", str(source)], folder,
                              claimtrack, args.runs)  # fmt: skip

    def speed(run: common.Run) -> str:
        return f"{rows / run.seconds:,.0f} rows/s"

    print(
        common.line("raw sqlite3 executemany", speed(raw))
        + f"   {raw.seconds:.1f} s, {raw.peak_mib:,.0f} MiB"
    )
    if utils is not None:
        print(common.line("sqlite-utils insert_all", speed(utils), ratio=raw.seconds / utils.seconds,
                          against="of raw") + f"   {utils.seconds:.1f} s, {utils.peak_mib:,.0f} MiB")  # fmt: skip
    ratio = raw.seconds / ours.seconds
    beats = utils is None or ours.seconds < utils.seconds
    print(common.line("claimtrack import", speed(ours), ratio=ratio, against="of raw",
                      target=f">= 0.5x raw: {common.verdict(ratio >= 0.5)}; faster than sqlite-utils: "
                      f"{common.verdict(beats) if utils else 'not installed'}")
          + f"   {ours.seconds:.1f} s")  # fmt: skip
    print(common.line("claimtrack import peak memory", f"{ours.peak_mib:,.0f} MiB",
                      target=f"< 1024 MiB: {common.verdict(ours.peak_mib < 1024)}"))  # fmt: skip
    if len({raw.stdout, ours.stdout, *([utils.stdout] if utils else [])}) != 1:
        print("  WARNING: the contenders loaded different numbers of claims")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
