"""Time claimtrack's independence check against a plain-SQL baseline, on one synthetic investigation.

    python bench/check.py [--db PATH] [--scale F] [--runs N] [--explain] [--verify]

Without ``--db`` the database is ``bench/.data/investigation-<scale>.db``, generated first (by
``bench/generate.py``, in this process) when it is missing. Then, in one process and on the same file:

(a) **baseline SQL** -- one query through the stdlib ``sqlite3`` module: the claims with fewer than 2 distinct
    backing sources (stance asserts / reports / supports) whose publisher is neither the claimant nor tied to
    it directly, in either direction, by an affiliation of any kind but adversary-of. Every such claim is
    fetched, so the time includes producing the whole answer.
(b) **full check** -- ``claimtrack.independence.check_all`` on a ``claimtrack.db.Ledger`` session
    (:func:`run_full_check`): the real rule, with transitive ties, their dates, authors, vias, source links and copies. It
    is timed twice: as shipped (two processes on a machine with two cores or more) and on one process.

Each is run ``--runs`` times; the median wall time is reported with the result count and the process's peak
RSS (read before and after the phase: ru_maxrss only grows, so the "+" figure is what the phase added to the
high-water mark), then the ratio full/baseline. The baseline runs first, so its peak is its own.

Both sides use SQLite's default connection settings (page cache, no mmap): the baseline opens the file
read-only with nothing tuned, and the full check goes through claimtrack's own engine set-up.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import common  # bench/common.py: this folder is first on sys.path when a script here runs
from common import default_path, load_generator, peak_rss_mib  # noqa: F401 - re-exported for search.py

from claimtrack import vocab

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
MIN_INDEPENDENT = 2  # claimtrack's default threshold (independence.DEFAULT_THRESHOLD)
BACKING = tuple(sorted(stance.value for stance in vocab.BACKING_STANCES))
OPPOSITION = vocab.AffiliationKind.adversary_of.value

# The baseline. Shape and index use (see EXPLAIN QUERY PLAN with --explain):
# * `ties` folds both directions of every non-opposition affiliation into one small table (~36k rows at
#   scale 1). Materialised, SQLite gives it an automatic covering index on (entity_id, other_id), so the
#   per-appearance "is this publisher tied to the claimant" test is one probe of an in-memory B-tree. The
#   schema has no (entity_id, other_id) index on affiliations; probing ix_affiliations_other_id twice (once
#   per direction) and filtering the rest was measured ~1.3x slower in total.
# * `backing` walks appearances through ix_appearances_claim_id, i.e. in claim order, which is also the order
#   the rows were inserted in, so the table is read nearly sequentially and GROUP BY needs no sort; claims
#   and sources are joined by primary key.
# * A claim with no independent backing source at all has no `backing` row: hence the LEFT JOIN from claims
#   (which SQLite scans through the narrow covering index on claims.key).
# * `IS NOT` is the NULL-safe inequality: a source with no recorded publisher is never the claimant's own.
BASELINE_SQL = f"""
WITH ties(entity_id, other_id) AS MATERIALIZED (
    SELECT entity_id, other_id FROM affiliations WHERE kind <> :opposition
    UNION
    SELECT other_id, entity_id FROM affiliations WHERE kind <> :opposition
),
backing(claim_id, n) AS (
    SELECT a.claim_id, COUNT(DISTINCT a.source_id)
    FROM appearances AS a
    JOIN claims AS c ON c.id = a.claim_id
    JOIN sources AS s ON s.id = a.source_id
    WHERE a.stance IN ({", ".join(f":stance{i}" for i in range(len(BACKING)))})
      AND s.publisher_id IS NOT c.claimant_id
      AND NOT EXISTS (
          SELECT 1 FROM ties AS t WHERE t.entity_id = c.claimant_id AND t.other_id = s.publisher_id
      )
    GROUP BY a.claim_id
)
SELECT c.id, c.key, COALESCE(b.n, 0) AS independent
FROM claims AS c
LEFT JOIN backing AS b ON b.claim_id = c.id
WHERE COALESCE(b.n, 0) < :threshold
"""
BASELINE_PARAMS: dict[str, Any] = {
    "opposition": OPPOSITION,
    "threshold": MIN_INDEPENDENT,
    **{f"stance{i}": stance for i, stance in enumerate(BACKING)},
}


def connect_read_only(path: Path) -> sqlite3.Connection:
    # mode=ro: the baseline must not write (not even create the file when the path is wrong).
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def run_baseline(path: Path) -> list[tuple[int, str, int]]:
    """The claims the plain-SQL rule flags, as (id, key, independent sources), all fetched."""
    conn = connect_read_only(path)
    try:
        return conn.execute(BASELINE_SQL, BASELINE_PARAMS).fetchall()
    finally:
        conn.close()


def explain_baseline(path: Path) -> list[str]:
    """EXPLAIN QUERY PLAN of the baseline, indented as SQLite's shell shows it."""
    conn = connect_read_only(path)
    try:
        rows = conn.execute("EXPLAIN QUERY PLAN " + BASELINE_SQL, BASELINE_PARAMS).fetchall()
    finally:
        conn.close()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def reference_baseline(path: Path) -> set[int]:
    """The baseline rule written out in Python, to prove the SQL right (``--verify``; keep to small scales)."""
    conn = connect_read_only(path)
    try:
        claimant = dict(conn.execute("SELECT id, claimant_id FROM claims"))
        publisher = dict(conn.execute("SELECT id, publisher_id FROM sources"))
        tied: set[tuple[int, int]] = set()
        for entity, other in conn.execute(
            "SELECT entity_id, other_id FROM affiliations WHERE kind <> ?", (OPPOSITION,)
        ):
            tied.update(((entity, other), (other, entity)))
        independent: dict[int, set[int]] = defaultdict(set)
        marks = ", ".join("?" * len(BACKING))
        for claim_id, source_id in conn.execute(
            f"SELECT claim_id, source_id FROM appearances WHERE stance IN ({marks})", BACKING
        ):
            owner, by = claimant[claim_id], publisher[source_id]
            if by != owner and (owner, by) not in tied:
                independent[claim_id].add(source_id)
    finally:
        conn.close()
    return {claim_id for claim_id in claimant if len(independent[claim_id]) < MIN_INDEPENDENT}


# ==== the full rule =========================================================================================


def run_full_check(path: Path, workers: int | None = None) -> int:
    """The number of claims that lack independent sources, by claimtrack's own rule (check_all)."""
    from claimtrack.db import Ledger
    from claimtrack.independence import check_all

    with Ledger("sqlite:///" + str(path)).session() as session:
        return check_all(session, workers=workers).lacking


# ==== timing ================================================================================================

T = TypeVar("T")


@dataclass
class Phase:
    """Wall times of the runs of one phase, its result count, and the peak RSS around it."""

    name: str
    seconds: list[float]
    count: int
    rss_before: float
    rss_after: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def describe(self) -> str:
        runs = len(self.seconds)
        spread = f", runs {' / '.join(f'{s:.2f}' for s in self.seconds)}" if runs > 1 else ""
        return (
            f"{self.name}: {self.median:.2f} s (median of {runs}{spread}), {self.count:,} claims, "
            f"peak RSS {self.rss_after:,.0f} MiB (+{self.rss_after - self.rss_before:,.0f} MiB in this phase)"
        )


def timed(name: str, runs: int, work: Callable[[], T], count: Callable[[T], int]) -> Phase:
    """Run ``work`` ``runs`` times; the count must be the same every time (the data does not change)."""
    rss_before = peak_rss_mib()
    seconds, counts = [], set()
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
        counts.add(count(result))
        del result  # let the answer go before the next run, so runs do not stack their memory
    if len(counts) != 1:
        raise RuntimeError(f"{name} gave different counts on the same data: {sorted(counts)}")
    return Phase(name, seconds, counts.pop(), rss_before, peak_rss_mib())


# ==== the command ===========================================================================================


def describe_database(path: Path) -> str:
    conn = connect_read_only(path)
    try:
        counts = {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("claims", "appearances", "sources", "entities", "affiliations", "source_links")
        }
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    return (
        f"database: {path} ({size / 2**20:,.0f} MiB; "
        + ", ".join(f"{count:,} {table}" for table, count in counts.items())
        + f"); SQLite {sqlite3.sqlite_version}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, help="the database (default: bench/.data/investigation-<scale>.db)"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="scale of the generated database (default 1.0)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed, when the database is generated (default 0)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per phase; the median is reported (default 3)"
    )
    parser.add_argument("--explain", action="store_true", help="print the baseline's EXPLAIN QUERY PLAN")
    parser.add_argument(
        "--verify", action="store_true", help="check the baseline SQL against a Python version of the rule"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    if args.db is not None and not args.db.exists():
        parser.error(f"no database at {args.db}")
    # Without --db: the generated investigation, made (again) when missing or at an older schema.
    path: Path = args.db if args.db is not None else common.investigation(args.scale, args.seed)
    print(describe_database(path))
    if args.explain:
        print("baseline query plan:")
        print("\n".join("  " + line for line in explain_baseline(path)))

    baseline = timed("baseline SQL", args.runs, lambda: run_baseline(path), len)
    print(baseline.describe(), flush=True)
    status = 0
    if args.verify:
        expected = reference_baseline(path)
        got = {row[0] for row in run_baseline(path)}
        if got == expected:
            print(f"baseline verified: the SQL and the Python rule agree on all {len(got):,} claims")
        else:
            print(
                f"baseline WRONG: {len(got - expected):,} claims flagged by SQL only, "
                f"{len(expected - got):,} by Python only (e.g. {sorted(got ^ expected)[:5]})"
            )
            status = 1

    full = timed("full check (2 processes)", args.runs, lambda: run_full_check(path), lambda n: n)
    print(
        f"{full.describe()}; its worker process peaked at {peak_rss_mib(resource.RUSAGE_CHILDREN):,.0f} MiB"
    )
    print(f"ratio full/baseline: {full.median / baseline.median:.2f}x")
    single = timed("full check (1 process)", args.runs, lambda: run_full_check(path, workers=1), lambda n: n)
    print(single.describe())
    print(f"ratio full (1 process)/baseline: {single.median / baseline.median:.2f}x")
    # ru_maxrss of this process covers both full-check phases (and the baseline's, which is far smaller); the
    # forked worker's is counted apart.
    peak = max(peak_rss_mib(), peak_rss_mib(resource.RUSAGE_CHILDREN))
    print(f"peak memory of the full check: {peak:,.0f} MiB [target < 2 GiB: {common.verdict(peak < 2048)}]")
    return status


if __name__ == "__main__":
    sys.exit(main())
