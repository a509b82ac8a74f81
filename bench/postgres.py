"""The million-claim investigation on PostgreSQL beside SQLite: import, check, search, start-up, peak memory.

    python bench/postgres.py [--url URL] [--scale F] [--runs N] [--import-runs N] [--queries N] [--keep]

The server is the one CI starts (``pg_ctlcluster 15 main start``); ``--url`` (or ``CLAIMTRACK_BENCH_PG_URL``)
names a database the script creates, fills and drops at the end (default
``postgresql://claimtrack:claimtrack@127.0.0.1:5432/claimtrack_bench``; the role needs CREATEDB). When no
server answers, the script says so in one line and exits 0. Every contender runs in its own process, whose
wall time and peak resident memory (os.wait4's ru_maxrss) are reported; each figure is beside its baseline
from the same invocation, on SQLite and on PostgreSQL:

* **import**: ``claimtrack --db URL import FILE`` of bench/bulk_import.py's JSON-lines export (entities,
  measures, sources, claims, appearances), into a database made by ``claimtrack init``; the baseline is
  psycopg's ``COPY ... FROM STDIN`` (``write_row``) of the same rows into the same schema with the search
  index's triggers dropped (claimtrack's import also builds the index). On SQLite: bulk_import.py's raw
  ``executemany``. Target: at least 0.5x the baseline's rows per second.
* **check**: ``claimtrack.independence.check_all`` as shipped, against the one-query SQL rule (direct ties
  only) -- bench/check.py's on SQLite, its PostgreSQL form below on PostgreSQL; both count the same flagged
  claims on both databases. Target: at most 1.5x the SQL rule.
* **search**: ``claimtrack.search.search(..., limit=20)`` for bench/search.py's queries (its generator,
  imported), against a bare ``ts_rank`` query on PostgreSQL (raw FTS5 bm25 on SQLite). Target on
  PostgreSQL: median at most 30 ms, p95 at most 150 ms.
* **start-up**: ``claimtrack --db ... claim list --limit 20``, whole processes, against the import floor.

For check, search and start-up the whole generated investigation (every table) is copied from its SQLite
file into the PostgreSQL database with ``COPY``, the search index filled and ``ANALYZE`` run (timed, shown as
"load"). Peak memory target: under 2 GiB for each claimtrack process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import common

DEFAULT_URL = "postgresql://claimtrack:claimtrack@127.0.0.1:5432/claimtrack_bench"
URL_ENV = "CLAIMTRACK_BENCH_PG_URL"
FLOOR = "import typer, sqlalchemy.orm, rich.console"
GIB = 1024.0  # MiB
TARGET_IMPORT = 0.5
TARGET_CHECK = 1.5
TARGET_MEDIAN_MS = 30.0
TARGET_P95_MS = 150.0

# bench/check.py's baseline in PostgreSQL's words: `IS DISTINCT FROM` for SQLite's NULL-safe `IS NOT`, and
# `= ANY` of an array for the list of backing stances. PostgreSQL hashes `ties` and the join to sources, and
# sorts the backing appearances for COUNT(DISTINCT).
BASELINE_SQL = """
WITH ties(entity_id, other_id) AS MATERIALIZED (
    SELECT entity_id, other_id FROM affiliations WHERE kind <> %(opposition)s
    UNION
    SELECT other_id, entity_id FROM affiliations WHERE kind <> %(opposition)s
),
backing(claim_id, n) AS (
    SELECT a.claim_id, COUNT(DISTINCT a.source_id)
    FROM appearances AS a
    JOIN claims AS c ON c.id = a.claim_id
    JOIN sources AS s ON s.id = a.source_id
    WHERE a.stance = ANY(%(backing)s)
      AND s.publisher_id IS DISTINCT FROM c.claimant_id
      AND NOT EXISTS (
          SELECT 1 FROM ties AS t WHERE t.entity_id = c.claimant_id AND t.other_id = s.publisher_id
      )
    GROUP BY a.claim_id
)
SELECT c.id, c.key, COALESCE(b.n, 0) AS independent
FROM claims AS c
LEFT JOIN backing AS b ON b.claim_id = c.id
WHERE COALESCE(b.n, 0) < %(threshold)s
"""

# The bare ranked query: every match scored by ts_rank through the GIN index, the best 20 kept; no snippets,
# filters or result rows looked up (a filtered query runs unfiltered), as raw FTS5 on SQLite.
RAW_SEARCH_SQL = (
    "SELECT id, ts_rank(tsv, q) AS score FROM search_index, websearch_to_tsquery('simple', %s) AS q "
    "WHERE tsv @@ q ORDER BY score DESC LIMIT %s"
)

# The COPY baseline of the import: the export's rows as they are (the server parses dates and times from
# their ISO text), JSON values as JSON text, bytes from base64.
COPY_SCRIPT = r"""
import base64, itertools, json, sys
import psycopg
url, source = sys.argv[1], sys.argv[2]
def value(v):
    if isinstance(v, dict) and set(v) == {"$base64"}:
        return base64.b64decode(v["$base64"])
    return json.dumps(v) if isinstance(v, (dict, list)) else v
with psycopg.connect(url) as conn, open(source, encoding="utf-8") as stream:
    next(stream)
    cursor = conn.cursor()
    items = (json.loads(line) for line in stream)
    for (table, columns), group in itertools.groupby(items, key=lambda i: (i["table"], tuple(i["row"]))):
        names = ", ".join(f'"{name}"' for name in columns)
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for item in group:
                row = item["row"]
                copy.write_row([value(row[name]) for name in columns])
"""


# ==== the server ============================================================================================


def server_problem(url: str) -> str | None:
    """None when the server at ``url`` answers (through its ``postgres`` database), else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[bench]')"
    try:
        with psycopg.connect(admin_conninfo(url), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def admin_conninfo(url: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, dbname="postgres")


def database_name(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(url).get("dbname")
    if not name:
        raise SystemExit(f"{url} names no database")
    return str(name)


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    from claimtrack.db import dispose_engines

    dispose_engines()
    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )


def fresh_database(url: str, claimtrack: str, *, searchable: bool = True) -> None:
    """An empty database at ``url`` with claimtrack's schema, by ``claimtrack init`` (its migrations); without
    ``searchable`` the search index's triggers are dropped, so a baseline only inserts rows."""
    import psycopg
    from psycopg import sql

    drop_database(url)
    with psycopg.connect(admin_conninfo(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url))))
    done = subprocess.run([claimtrack, "--db", url, "init"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"claimtrack init failed on {url}: {done.stderr.strip()}")
    if not searchable:
        from sqlalchemy import create_engine

        from claimtrack import search
        from claimtrack.db import resolve_url

        engine = create_engine(resolve_url(url))
        with engine.begin() as connection:
            search.drop_triggers(connection)
        engine.dispose()


def loaded(url: str, path: Path) -> bool:
    """Whether the database at ``url`` holds as many claims as the SQLite investigation at ``path``."""
    import sqlite3

    import psycopg

    try:
        claims = count_claims(url)
    except psycopg.Error:
        return False
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return bool(claims) and claims == conn.execute("SELECT count(*) FROM claims").fetchone()[0]


def count_claims(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM claims").fetchone()
    return int(row[0]) if row else 0


def load_investigation(path: Path, url: str, claimtrack: str) -> float:
    """Every table of the generated SQLite investigation copied into a new claimtrack database at ``url``
    (COPY, in dependency order, with the search index filled at the end and the sequences moved past the
    ids); the seconds it took."""
    import sqlite3

    import psycopg

    from claimtrack import search
    from claimtrack.models import Base

    started = time.perf_counter()
    fresh_database(url, claimtrack, searchable=False)
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with psycopg.connect(url) as conn:
            cursor = conn.cursor()
            for table in Base.metadata.sorted_tables:
                names = [column.name for column in table.columns]
                quoted = ", ".join(f'"{name}"' for name in names)
                with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                    for row in source.execute(f'SELECT {quoted} FROM "{table.name}"'):
                        copy.write_row(row)
            for table in Base.metadata.sorted_tables:
                keys = list(table.primary_key.columns)
                if len(keys) == 1 and keys[0].type.python_type is int and keys[0].autoincrement is not False:
                    cursor.execute(
                        f'SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max("{keys[0].name}"), 0) + 1, '
                        f'false) FROM "{table.name}"',
                        (table.name, keys[0].name),
                    )
    finally:
        source.close()
    # The search index's triggers back, and the index filled from every row (as claimtrack's import does).
    from sqlalchemy import create_engine

    from claimtrack.db import resolve_url

    engine = create_engine(resolve_url(url))
    with engine.begin() as connection:
        search.create(connection)
    engine.dispose()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


# ==== the children: each phase in a process of its own, reporting as one JSON line ===========================


def child(argv: Sequence[str]) -> dict[str, Any]:
    """What one phase measured, in its own process: wall times per run and counts (JSON on stdout)."""
    kind, database, *rest = argv
    runs = int(rest[0]) if rest else 1
    if kind == "check-sql":
        return _timed_runs(runs, lambda: len(_pg_baseline(database)) if "://" in database
                           else len(common.load_bench_module("check").run_baseline(Path(database))))  # fmt: skip
    if kind == "check-full":
        return _timed_runs(runs, lambda: _full_check(database))
    if kind == "search":
        return _search(database, Path(rest[1]), int(rest[2]), runs)
    raise SystemExit(f"unknown phase {kind}")


def _timed_runs(runs: int, work: Any) -> dict[str, Any]:
    seconds, counts = [], set()
    for _ in range(runs):
        started = time.perf_counter()
        counts.add(work())
        seconds.append(time.perf_counter() - started)
    if len(counts) != 1:
        raise SystemExit(f"different counts on the same data: {sorted(counts)}")
    return {"seconds": seconds, "count": counts.pop()}


def _pg_baseline(url: str) -> list[tuple[Any, ...]]:
    import psycopg

    check = common.load_bench_module("check")
    params = {
        "opposition": check.OPPOSITION,
        "backing": list(check.BACKING),
        "threshold": check.MIN_INDEPENDENT,
    }
    with psycopg.connect(url) as conn:
        return conn.execute(BASELINE_SQL, params).fetchall()


def _full_check(database: str) -> int:
    from claimtrack.db import Ledger, resolve_url
    from claimtrack.independence import check_all

    with Ledger(resolve_url(database)).session() as session:
        return check_all(session).lacking


def _search(database: str, sqlite_path: Path, count: int, runs: int) -> dict[str, Any]:
    """Every query through claimtrack and through the bare ranked query, the paths taking turns; one untimed
    pass first. On SQLite, bench/search.py's own paths (its raw path is FTS5's bm25)."""
    search_bench = common.load_bench_module("search")
    queries = search_bench.build_queries(sqlite_path, count, 0, common.load_generator())
    if "://" not in database:
        search_bench.run_paths(sqlite_path, queries, 1)
        mine, _every, raw, ranked = search_bench.run_paths(sqlite_path, queries, runs)
        return {"mine": mine.per_query_ms(), "raw": raw.per_query_ms(), "ranked": ranked,
                "categories": [q.category for q in queries]}  # fmt: skip

    import psycopg

    from claimtrack.db import Ledger, resolve_url
    from claimtrack.search import search

    ledger = Ledger(resolve_url(database))
    ledger.require_current()
    conn = psycopg.connect(database)
    mine, raw = (search_bench.Timings([[] for _ in queries], []) for _ in range(2))
    ranked = [True] * len(queries)
    try:
        for run in range(runs + 1):  # the first pass warms the caches and is not kept
            with ledger.session() as session, conn.transaction():

                def own(i: int, query: Any) -> int:
                    hits = search(session, query.text, query.claim_filter, limit=search_bench.LIMIT)
                    ranked[i] = not hits or hits[0]["score"] is not None
                    return len(hits)

                def bare(i: int, query: Any) -> int:
                    return len(conn.execute(RAW_SEARCH_SQL, (query.text, search_bench.LIMIT)).fetchall())

                paths = [(mine, own), (raw, bare)]
                for i, query in enumerate(queries):
                    turn = (run + i) % len(paths)
                    for timings, one in paths[turn:] + paths[:turn]:
                        started = time.perf_counter()
                        rows = one(i, query)
                        if run:
                            timings.add(i, time.perf_counter() - started, rows)
    finally:
        conn.close()
    return {"mine": mine.per_query_ms(), "raw": raw.per_query_ms(), "ranked": ranked,
            "categories": [q.category for q in queries]}  # fmt: skip


def measured(phase: str, database: str, *args: Any) -> tuple[dict[str, Any], common.Run]:
    """A phase run in a child process: what it reported, and its run (wall time, peak memory)."""
    run = common.run_measured([sys.executable, __file__, "--child", phase, database, *map(str, args)])
    if run.returncode != 0:
        raise SystemExit(
            f"{phase} on {database} failed: {run.stderr.decode(errors='replace').strip()[-800:]}"
        )
    return json.loads(run.stdout.decode().strip().splitlines()[-1]), run


# ==== the command ===========================================================================================


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores"


class Table:
    """The printed comparison: one row per figure, SQLite and PostgreSQL side by side."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, name: str, sqlite: str, postgres: str, target: str = "") -> None:
        self.rows.append((name, sqlite, postgres, target))
        print(f"  {name:<38} {sqlite:>30} {postgres:>30}   {target}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        print(json.dumps(child(argv[1:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get(URL_ENV, DEFAULT_URL),
                        help=f"the database to create, use and drop (default ${URL_ENV} or {DEFAULT_URL})")  # fmt: skip
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the investigation (default 1.0)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the check and search passes (default 3)")
    parser.add_argument("--import-runs", type=int, default=1, help="runs per import contender (default 1)")
    parser.add_argument("--startup-runs", type=int, default=10, help="processes per start-up (default 10)")
    parser.add_argument("--queries", type=int, default=100, help="search queries (default 100)")
    parser.add_argument(
        "--keep", action="store_true", help="leave the PostgreSQL database in place at the end"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the investigation a --keep run left in PostgreSQL (same claims) instead of copying it again",
    )
    parser.add_argument("--skip", action="append", default=[], choices=["import", "check", "search", "startup"],
                        help="leave a phase out (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    if min(args.runs, args.import_runs, args.startup_runs, args.queries) < 1:
        parser.error("--runs, --import-runs, --startup-runs and --queries must be at least 1")

    url = args.url
    problem = server_problem(url)
    if problem is not None:
        print(f"PostgreSQL: skipped, no server reachable for {url.split('@')[-1]} ({problem})")
        return 0
    python = sys.executable
    claimtrack = shutil.which("claimtrack", path=str(Path(python).parent)) or shutil.which("claimtrack")
    if claimtrack is None:
        raise SystemExit("claimtrack is not installed in this environment (make installs it)")
    import psycopg

    with psycopg.connect(admin_conninfo(url)) as conn:
        version = conn.execute("SHOW server_version").fetchone()
    path = common.investigation(args.scale)
    import sqlite3

    print(f"SQLite {sqlite3.sqlite_version}: {path}; PostgreSQL {version[0] if version else '?'}: "
          f"{url.split('@')[-1]} (created and dropped here)")  # fmt: skip
    print(f"start: {load_average()}", flush=True)
    table = Table()
    print(f"  {'':<38} {'SQLite':>30} {'PostgreSQL':>30}   target (PostgreSQL)")
    met: list[bool] = []
    try:
        if "import" not in args.skip:
            met += import_phase(table, path, url, claimtrack, args)
        if args.reuse and "import" in args.skip and loaded(url, path):
            print("  (the investigation a --keep run left in PostgreSQL is used again)", flush=True)
        elif {"check", "search", "startup"} - set(args.skip):
            seconds = load_investigation(path, url, claimtrack)
            print(f"  (the whole investigation copied into PostgreSQL for what follows: {seconds:.0f} s)",
                  flush=True)  # fmt: skip
        if "check" not in args.skip:
            met += check_phase(table, path, url, args.runs)
        if "search" not in args.skip:
            met += search_phase(table, path, url, args.runs, args.queries)
        if "startup" not in args.skip:
            met += startup_phase(table, path, url, claimtrack, args.startup_runs)
    finally:
        if not args.keep:
            drop_database(url)
    print(f"end: {load_average()}")
    print(f"PostgreSQL targets: {sum(met)} of {len(met)} met")
    return 0


def import_phase(table: Table, path: Path, url: str, claimtrack: str, args: argparse.Namespace) -> list[bool]:
    bulk = common.load_bench_module("bulk_import")
    source, rows = bulk.input_file(path, args.scale)
    print(f"import: {rows:,} rows from {source.name}; median of {args.import_runs} run(s)", flush=True)

    def pg(name: str, argv: list[str]) -> common.Run:
        runs = []
        for _ in range(args.import_runs):
            fresh_database(url, claimtrack, searchable=name == "claimtrack")
            run = common.run_measured(argv)
            if run.returncode != 0:
                raise SystemExit(f"{name} failed: {run.stderr.decode(errors='replace').strip()[-800:]}")
            run.stdout = str(count_claims(url)).encode()
            runs.append(run)
        return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]

    copy = pg("COPY", [sys.executable, "-c", COPY_SCRIPT, url, str(source)])
    ours = pg("claimtrack", [claimtrack, "--db", url, "import", str(source)])
    with tempfile.TemporaryDirectory(dir=common.DATA) as scratch:
        folder = Path(scratch)
        raw_sqlite = bulk.contender("raw", [sys.executable, "-c", bulk.RAW, "{db}", str(source)], folder,
                                    claimtrack, args.import_runs)  # fmt: skip
        ours_sqlite = bulk.contender("claimtrack", [claimtrack, "--db", "{db}", "import", str(source)], folder,
                                     claimtrack, args.import_runs)  # fmt: skip
    if len({copy.stdout, ours.stdout, raw_sqlite.stdout, ours_sqlite.stdout}) != 1:
        raise SystemExit("the import contenders loaded different numbers of claims")

    def speed(run: common.Run) -> str:
        return f"{rows / run.seconds:,.0f} rows/s ({run.seconds:.0f} s)"

    ratio = copy.seconds / ours.seconds
    table.add("import, baseline", f"executemany {speed(raw_sqlite)}", f"COPY {speed(copy)}")
    table.add("import, claimtrack", speed(ours_sqlite), speed(ours))
    table.add("  ratio to baseline", f"{raw_sqlite.seconds / ours_sqlite.seconds:.2f}x", f"{ratio:.2f}x",
              f">= {TARGET_IMPORT}x: {common.verdict(ratio >= TARGET_IMPORT)}")  # fmt: skip
    table.add("  peak memory, claimtrack (baseline)", f"{ours_sqlite.peak_mib:,.0f} ({raw_sqlite.peak_mib:,.0f}) MiB",
              f"{ours.peak_mib:,.0f} ({copy.peak_mib:,.0f}) MiB",
              f"< 2 GiB: {common.verdict(ours.peak_mib < 2 * GIB)}")  # fmt: skip
    return [ratio >= TARGET_IMPORT, ours.peak_mib < 2 * GIB]


def check_phase(table: Table, path: Path, url: str, runs: int) -> list[bool]:
    print(f"check: median of {runs} run(s), each contender in its own process", flush=True)
    figures = {}
    for name, database in (("sqlite", str(path)), ("postgres", url)):
        for phase in ("check-sql", "check-full"):
            figures[name, phase] = measured(phase, database, runs)
    for phase in ("check-sql", "check-full"):
        if figures["sqlite", phase][0]["count"] != figures["postgres", phase][0]["count"]:
            print(f"  WARNING: {phase} flagged {figures['sqlite', phase][0]['count']:,} claims on SQLite, "
                  f"{figures['postgres', phase][0]['count']:,} on PostgreSQL")  # fmt: skip

    def seconds(name: str, phase: str) -> float:
        return statistics.median(figures[name, phase][0]["seconds"])

    def shown(name: str, phase: str) -> str:
        return f"{seconds(name, phase):.2f} s, {figures[name, phase][0]['count']:,} claims"

    table.add("check, one-query SQL rule", shown("sqlite", "check-sql"), shown("postgres", "check-sql"))
    table.add("check, claimtrack check_all", shown("sqlite", "check-full"), shown("postgres", "check-full"))
    ratios = {
        name: seconds(name, "check-full") / seconds(name, "check-sql") for name in ("sqlite", "postgres")
    }
    ok = ratios["postgres"] <= TARGET_CHECK
    table.add("  ratio to the SQL rule", f"{ratios['sqlite']:.2f}x", f"{ratios['postgres']:.2f}x",
              f"<= {TARGET_CHECK}x: {common.verdict(ok)}")  # fmt: skip
    peak = {name: figures[name, "check-full"][1].peak_mib for name in ("sqlite", "postgres")}
    base = {name: figures[name, "check-sql"][1].peak_mib for name in ("sqlite", "postgres")}
    table.add("  peak memory, claimtrack (SQL rule)", f"{peak['sqlite']:,.0f} ({base['sqlite']:,.0f}) MiB",
              f"{peak['postgres']:,.0f} ({base['postgres']:,.0f}) MiB",
              f"< 2 GiB: {common.verdict(peak['postgres'] < 2 * GIB)}")  # fmt: skip
    return [ok, peak["postgres"] < 2 * GIB]


def search_phase(table: Table, path: Path, url: str, runs: int, queries: int) -> list[bool]:
    search_bench = common.load_bench_module("search")
    print(f"search: {queries} queries from bench/search.py (seed 0), --limit {search_bench.LIMIT}; per query "
          f"the median of {runs} pass(es) after one untimed; median / p95 / max over the queries", flush=True)  # fmt: skip
    found = {name: measured("search", database, runs, path, queries)
             for name, database in (("sqlite", str(path)), ("postgres", url))}  # fmt: skip
    percentile = search_bench.percentile

    def shown(ms: Sequence[float]) -> str:
        return f"{statistics.median(ms):.1f} / {percentile(ms, 0.95):.1f} / {max(ms):.0f} ms"

    mine = {name: found[name][0]["mine"] for name in found}
    raw = {name: found[name][0]["raw"] for name in found}
    table.add(
        "search, bare ranked query", f"FTS5 bm25 {shown(raw['sqlite'])}", f"ts_rank {shown(raw['postgres'])}"
    )
    median, p95 = statistics.median(mine["postgres"]), percentile(mine["postgres"], 0.95)
    ok = median <= TARGET_MEDIAN_MS and p95 <= TARGET_P95_MS
    table.add("search, claimtrack", shown(mine["sqlite"]), shown(mine["postgres"]),
              f"median <= {TARGET_MEDIAN_MS:g} ms, p95 <= {TARGET_P95_MS:g} ms: {common.verdict(ok)}")  # fmt: skip
    table.add("  answers ranked", f"{sum(found['sqlite'][0]['ranked'])} of {queries}",
              f"{sum(found['postgres'][0]['ranked'])} of {queries}")  # fmt: skip
    categories = found["postgres"][0]["categories"]
    for category in dict.fromkeys(categories):
        picked = [i for i, name in enumerate(categories) if name == category]
        table.add(f"  {category} ({len(picked)}), claimtrack",
                  shown([mine["sqlite"][i] for i in picked]), shown([mine["postgres"][i] for i in picked]))  # fmt: skip
    peak = {name: found[name][1].peak_mib for name in found}
    table.add("  peak memory (all paths, one process)", f"{peak['sqlite']:,.0f} MiB", f"{peak['postgres']:,.0f} MiB",
              f"< 2 GiB: {common.verdict(peak['postgres'] < 2 * GIB)}")  # fmt: skip
    return [ok, peak["postgres"] < 2 * GIB]


def startup_phase(table: Table, path: Path, url: str, claimtrack: str, runs: int) -> list[bool]:
    print(f"start-up: median of {runs} processes each, after one untimed", flush=True)
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("CLAIMTRACK_DB", None)

    contenders = {
        "floor": [sys.executable, "-c", FLOOR],
        "sqlite": [claimtrack, "--db", str(path), "claim", "list", "--limit", "20"],
        "postgres": [claimtrack, "--db", url, "claim", "list", "--limit", "20"],
    }
    done: dict[str, list[common.Run]] = {name: [] for name in contenders}
    # One untimed run each, then the three take turns, so that a change in the machine's load weighs on all.
    for number in range(runs + 1):
        for name, argv in contenders.items():
            run = common.run_measured(argv, env=env)
            if run.returncode != 0:
                raise SystemExit(f"{' '.join(argv)} failed: {run.stderr.decode(errors='replace').strip()}")
            if number:
                done[name].append(run)
    results = {
        name: (statistics.median(run.seconds for run in runs_), max(run.peak_mib for run in runs_))
        for name, runs_ in done.items()
    }
    floor = results["floor"][0]

    def shown(name: str) -> str:
        seconds = results[name][0]
        return f"{seconds * 1000:.0f} ms (floor + {(seconds - floor) * 1000:.0f} ms)"

    table.add("start-up, import floor", f"{floor * 1000:.0f} ms", f"{floor * 1000:.0f} ms")
    over = results["postgres"][0] - floor
    table.add("start-up, claim list --limit 20", shown("sqlite"), shown("postgres"),
              f"floor + 50 ms: {common.verdict(over <= 0.050)}")  # fmt: skip
    table.add("  peak memory", f"{results['sqlite'][1]:,.0f} MiB", f"{results['postgres'][1]:,.0f} MiB",
              f"< 2 GiB: {common.verdict(results['postgres'][1] < 2 * GIB)}")  # fmt: skip
    return [over <= 0.050, results["postgres"][1] < 2 * GIB]


if __name__ == "__main__":
    sys.exit(main())
