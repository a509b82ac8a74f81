"""Time claimtrack's full-text search against raw FTS5, on one synthetic investigation.

    python bench/search.py [--db PATH] [--queries N] [--runs N] [--seed N] [--show]

Without ``--db`` the database is ``bench/.data/investigation-1.0.db``, generated first (by
``bench/generate.py``, in this process) when it is missing. It must be at claimtrack's current schema, which
holds the search index; an older file is refused with the command that upgrades it.

The queries are drawn, with a fixed seed, from the words ``generate.py`` writes (so they are the words the
claims, quotes, passages and source titles really hold: the fixed vocabulary that is the head of its
distribution, and the long tail of names and words made from the file's seed, ``lexicon()``) and from a few
claims read back from the file. Where a query takes a word of the tail, its rank is drawn log-uniformly: as
many queries for the ten most frequent names as for ranks 10-100, 100-1,000, and so on.

* **common word**: a place, actor, action, topic or English quote word of the fixed vocabulary (60,000 to
  150,000 index rows each);
* **rarer word**: a word of the tail, a 3-digit number, a counted thing, a unit, or a quote word in another
  language;
* **name**: a surname, a place or an organisation of the tail (alone, or with its kind: "Sakeica Group"), or a
  person's first name and surname as a claim names them;
* **two words**: both must match (FTS5's implicit AND): an actor and a place of the tail, a place and an
  action, a surname and a topic, or a number and a counted thing;
* **phrase**: a quoted multi-word name from the fixed vocabulary ("security forces"), a person's full name, or
  three consecutive words of a claim read back from the file, as a researcher pastes a claim to find it again;
* **with filters**: a common word, a name or a pair, with one of the listings' filters (claimant, kind, tag,
  status or a date range), built as the CLI builds them;
* **no match**: an entity's name (entity names are not indexed), a misspelt word, or a word the data never
  uses.

Every query goes through three paths, in one process and on one file:

(a) **claimtrack**: ``claimtrack.search.search(session, query, filter, limit=20)``, the library call behind
    ``claimtrack search`` with the CLI's default ``--limit``, on a ``claimtrack.db.Ledger`` session (one
    session per pass; opening it is not timed). It ranks up to ``RANK_AT_MOST`` (50,000) matches; past that
    it lists the newest, unranked, and the command says so;
(b) **claimtrack --rank-all**: the same call with ``rank_all=True``, which ranks every match however many:
    the path comparable with (c);
(c) **raw FTS5**: the same query string through the stdlib ``sqlite3`` module, read-only with SQLite's default
    settings and one read transaction per pass: ``MATCH`` ranked by ``bm25`` with ``ORDER BY`` and
    ``LIMIT 20``; no snippets, filters (a filtered query runs unfiltered) or result rows looked up.

One untimed pass of every query through every path warms the OS page cache and each connection's own cache.
Then ``--runs`` timed passes, the paths taking turns query by query (the machine may be shared); a query's
time is the median of its runs, and the figures are the median, p95 (nearest rank) and maximum of those
per-query times, over all queries and per category, with the ratio of each claimtrack path's median to raw
FTS5's, and how many of (a)'s answers were ranked. The exit status is 0 when (a) meets the target (at least
80% of the answers ranked, median under 5 ms, p95 under 150 ms), else 1.

The query mix and the reasons behind the figures are in bench/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from claimtrack.filters import ClaimFilter

HERE = Path(__file__).resolve().parent
LIMIT = 20  # the CLI's default --limit
TARGET_MEDIAN_MS = 5.0
TARGET_P95_MS = 150.0
TARGET_RANKED = 0.8  # the share of answers ranked (or empty)
# The query mix for 100 queries; other counts keep the same shares.
MIX = (
    ("common word", 10),
    ("rarer word", 15),
    ("name", 25),
    ("two words", 15),
    ("phrase", 15),
    ("with filters", 10),
    ("no match", 10),
)
RAW_SQL = (
    "SELECT rowid, bm25(search_index) AS score FROM search_index "
    "WHERE search_index MATCH ? ORDER BY score LIMIT ?"
)
STOPWORDS = frozenset({"during", "from", "have", "first", "these", "they", "this", "will", "were", "with"})
# Words the generated data never holds, as a researcher might still look for them.
UNUSED_WORDS = ("zeppelin", "drone", "tanker", "cholera", "satellite", "hostage", "landmine", "flotilla")


# ==== the queries ===========================================================================================


@dataclass(frozen=True)
class Query:
    category: str
    text: str
    claim_filter: ClaimFilter | None = None

    def describe(self) -> str:
        """The query as it would be typed on the command line."""
        shown = f"'{self.text}'"
        selection = self.claim_filter
        if selection is None:
            return shown
        options = [f'--by "{name}"' for name in selection.by]
        options += [f"--kind {kind}" for kind in selection.kinds]
        options += [f"--tag {tag}" for tag in selection.tags]
        options += [f"--status {status}" for status in selection.statuses]
        if selection.date_from:
            options.append(f"--from {selection.date_from}")
        if selection.date_to:
            options.append(f"--to {selection.date_to}")
        return " ".join([shown, *options])


def plain_words(phrases: Sequence[str]) -> list[str]:
    """The distinct words of ``phrases`` a researcher would type alone: no short or filler words, and none
    that FTS5's query syntax would need quoting for."""
    found: dict[str, None] = {}
    for phrase in phrases:
        for word in phrase.lower().split():
            if len(word) >= 4 and word.isalnum() and word not in STOPWORDS:
                found[word] = None
    return list(found)


def shares(count: int) -> list[tuple[str, int]]:
    """MIX scaled to ``count`` queries (largest remainders), keeping its order."""
    total = sum(n for _, n in MIX)
    exact = [(name, n * count / total) for name, n in MIX]
    floors = {name: math.floor(x) for name, x in exact}
    left = count - sum(floors.values())
    for name, _ in sorted(exact, key=lambda item: item[1] - math.floor(item[1]), reverse=True)[:left]:
        floors[name] += 1
    return [(name, floors[name]) for name, _ in MIX]


def build_queries(
    path: Path, count: int, seed: int, vocabulary: ModuleType, *, data_seed: int = 0
) -> list[Query]:
    """``count`` queries in MIX's shares; the same file, count and seed give the same queries.

    ``vocabulary`` is bench/generate.py as a module, and ``data_seed`` the seed the file was generated with
    (its long-tailed vocabulary is made from it). The file is read (read-only) for claims to pick names and
    words from as they really occur together.
    """
    rng = random.Random(seed)
    v = vocabulary
    lexicon = v.lexicon(data_seed)
    places = plain_words(v.PLACES)
    actors, actions, topics = plain_words(v.ACTORS), plain_words(v.ACTIONS), plain_words(v.TOPICS)
    quote_words = plain_words(v.QUOTE_WORDS["en"])
    common = places + actors + actions + topics + quote_words
    counted = [
        w
        for w in plain_words([*v.COUNTED, *(c for table in v.UNIT_COUNTED.values() for c in table)])
        if w not in common
    ]
    foreign = plain_words([w for lang, words in v.QUOTE_WORDS.items() if lang != "en" for w in words])
    units = [unit.lower() for unit, _ in v.UNITS if unit and unit.isalpha()]
    head = set(v.head_words())
    tail_words = [w for w in lexicon.words if w not in head]
    first_names, surnames = set(lexicon.first_names), set(lexicon.surnames)
    entity_names = plain_words([*v.FIRST_NAMES, *v.LAST_NAMES])  # entities' names: not in the indexed text
    multiword = [p for p in (*v.PLACES, *v.ACTORS, *v.ACTIONS, *v.TOPICS, *v.COUNTED) if len(p.split()) >= 2]

    def any_rank(words: Sequence[str]) -> str:
        """A word of a list in rank order, its rank drawn log-uniformly: as many queries for the ten most
        frequent as for ranks 10-100, 100-1,000 and so on (researchers look for the prominent and the obscure)."""
        return words[min(len(words) - 1, int(math.exp(rng.random() * math.log(len(words)))) - 1)]

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        claims = conn.execute("SELECT max(id) FROM claims").fetchone()[0]

        def random_claim() -> tuple[str, str]:
            """The text and claimant of a claim picked at random (claimants then come as often as they claim)."""
            while True:
                row = conn.execute(
                    "SELECT c.text, e.name FROM claims AS c JOIN entities AS e ON e.id = c.claimant_id "
                    "WHERE c.id = ?",
                    (rng.randint(1, claims),),
                ).fetchone()
                if row is not None:
                    return row

        def claim_words() -> list[str]:
            return [
                w
                for w in random_claim()[0].replace(":", " ").replace(";", " ").split()
                if w.replace(",", "").isalnum()
            ]

        def person() -> tuple[str, str]:
            """A person named in a claim picked at random (so people come up as often as they are named)."""
            while True:
                words = [w.strip(",") for w in claim_words()]
                for first, last in itertools.pairwise(words):
                    if first in first_names and last in surnames:
                        return first, last

        def number() -> str:
            return str(rng.randint(100, 999))

        def misspelt() -> str:
            word = rng.choice([w for w in [*common, *tail_words[:200]] if len(w) >= 6])
            cut = rng.randrange(1, len(word) - 1)
            return word[:cut] + word[cut + 1 :]

        def pasted_words() -> str:
            words = claim_words()
            start = rng.randrange(max(1, len(words) - 2))
            return " ".join(words[start : start + 3]).replace(",", "")

        def rarer_word() -> str:
            r = rng.random()
            if r < 0.6:
                return any_rank(tail_words)
            return number() if r < 0.8 else rng.choice(counted + foreign + units)

        def name() -> str:
            r = rng.random()
            if r < 0.3:
                return any_rank(lexicon.surnames)
            if r < 0.5:
                return " ".join(person())
            if r < 0.8:
                return any_rank(lexicon.places)
            return (
                f"{any_rank(lexicon.organisations)} {rng.choice(v.TAIL_ORG_NOUNS)}"
                if rng.random() < 0.5
                else any_rank(lexicon.organisations)
            )

        def no_match() -> str:
            return rng.choice(
                [lambda: rng.choice(entity_names), misspelt, lambda: rng.choice(UNUSED_WORDS)]
            )()

        def two_words() -> str:
            shape = rng.randrange(4)
            if shape == 0:
                pair = [rng.choice(actors), any_rank(lexicon.places)]
            elif shape == 1:
                pair = [rng.choice(places), rng.choice(actions)]
            elif shape == 2:
                pair = [any_rank(lexicon.surnames), rng.choice(topics)]
            else:
                pair = [number(), rng.choice(counted)]
            return " ".join(pair)

        def phrase() -> str:
            r = rng.random()
            if r < 0.3:
                return f'"{rng.choice(multiword)}"'
            if r < 0.6:
                return '"{} {}"'.format(*person())
            return f'"{pasted_words()}"'

        def with_filters() -> tuple[str, ClaimFilter]:
            r = rng.random()
            text = rng.choice(common) if r < 0.3 else name() if r < 0.7 else two_words()
            which = rng.choice(["by", "kind", "tag", "status", "dates"])
            if which == "by":
                return text, ClaimFilter(by=[random_claim()[1]])
            if which == "kind":
                return text, ClaimFilter(kinds=[rng.choice(v.CLAIM_KINDS)[0]])
            if which == "tag":
                return text, ClaimFilter(tags=[rng.choice(v.TAGS)])
            if which == "status":
                return text, ClaimFilter(statuses=["unverified"])
            year = rng.randint(2000, 2024)
            return text, ClaimFilter(date_from=str(year), date_to=str(year + rng.randint(0, 1)))

        makers: dict[str, Callable[[], str | tuple[str, ClaimFilter]]] = {
            "common word": lambda: rng.choice(common),
            "rarer word": rarer_word,
            "name": name,
            "no match": no_match,
            "two words": two_words,
            "phrase": phrase,
            "with filters": with_filters,
        }
        queries = []
        for category, n in shares(count):
            for _ in range(n):
                made = makers[category]()
                queries.append(Query(category, *made) if isinstance(made, tuple) else Query(category, made))
        return queries
    finally:
        conn.close()


# ==== timing ================================================================================================


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Timings:
    """Seconds per query per run (wall clock, and the process's own CPU time), and the rows each query
    returned (the same on every run)."""

    seconds: list[list[float]]
    rows: list[int]
    cpu: list[list[float]] = field(default_factory=list)

    def add(self, i: int, seconds: float, rows: int, cpu: float = math.nan) -> None:
        self.seconds[i].append(seconds)
        while len(self.cpu) <= i:
            self.cpu.append([])
        self.cpu[i].append(cpu)
        if len(self.rows) == i:
            self.rows.append(rows)
        elif self.rows[i] != rows:
            raise RuntimeError(f"query {i + 1} gave {self.rows[i]} rows, then {rows}, on the same data")

    def per_query_ms(self) -> list[float]:
        return [statistics.median(runs) * 1000 for runs in self.seconds]

    def per_query_cpu_ms(self) -> list[float]:
        return [statistics.median(runs) * 1000 for runs in self.cpu]


def run_paths(
    path: Path, queries: Sequence[Query], runs: int
) -> tuple[Timings, Timings, Timings, list[bool]]:
    """Every query through claimtrack, claimtrack ranking every match, and raw FTS5, ``runs`` times; the three
    paths' timings, and whether claimtrack's own answer to each query was ranked (or had no rows).

    The paths take turns query by query, the first of them rotating, so that a change in the machine's load
    (it is shared) weighs on all alike. Each path holds one read transaction per pass: claimtrack's is the
    session a command would have; the raw connection (read-only) is opened with no transaction handling and
    runs BEGIN and COMMIT itself, since a read transaction started afresh for every statement was measured to
    cost it ~10%.
    """
    from claimtrack.db import Ledger
    from claimtrack.search import search

    ledger = Ledger("sqlite:///" + str(path))
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    mine, every, raw = (Timings([[] for _ in queries], []) for _ in range(3))
    ranked = [True] * len(queries)
    try:
        for run in range(runs):
            conn.execute("BEGIN")
            with ledger.session() as session:

                def own(i: int, query: Query) -> int:
                    hits = search(session, query.text, query.claim_filter, limit=LIMIT)
                    ranked[i] = not hits or hits[0]["score"] is not None
                    return len(hits)

                paths: list[tuple[Timings, Callable[[int, Query], int]]] = [
                    (mine, own),
                    (
                        every,
                        lambda i, q: len(search(session, q.text, q.claim_filter, limit=LIMIT, rank_all=True)),
                    ),
                    (raw, lambda i, q: len(conn.execute(RAW_SQL, (q.text, LIMIT)).fetchall())),
                ]
                for i, query in enumerate(queries):
                    turn = (run + i) % len(paths)
                    for timings, search_one in paths[turn:] + paths[:turn]:
                        started, cpu = time.perf_counter(), time.process_time()
                        rows = search_one(i, query)
                        timings.add(i, time.perf_counter() - started, rows, time.process_time() - cpu)
            conn.execute("COMMIT")
    finally:
        conn.close()
    return mine, every, raw, ranked


# ==== the command ===========================================================================================


def summary_row(
    label: str, mine: Sequence[float], every: Sequence[float], raw: Sequence[float], ranked: Sequence[bool]
) -> str:
    def figures(ms: Sequence[float]) -> str:
        return (
            f"{statistics.median(ms):7.1f} {percentile(ms, 0.95):7.1f} {max(ms):7.1f}"
            if ms
            else f"{'-':>7} {'-':>7} {'-':>7}"
        )

    def ratio(ms: Sequence[float]) -> float:
        return statistics.median(ms) / statistics.median(raw) if raw and statistics.median(raw) else math.nan

    return (
        f"  {label:<13} {len(mine):>3} {sum(ranked):>6}  {figures(mine)}  {figures(every)}  {figures(raw)}  "
        f"{ratio(mine):5.2f}x {ratio(every):5.2f}x"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        help="the database (default: bench/.data/investigation-1.0.db, generated if missing)",
    )
    parser.add_argument("--queries", type=int, default=100, help="how many queries (default 100)")
    parser.add_argument(
        "--runs", type=int, default=3, help="timed passes; each query's median is used (default 3)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the query set (default 0)")
    parser.add_argument("--show", action="store_true", help="print every query with its times and rows")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.queries < 1:
        parser.error("--runs and --queries must be at least 1")

    import common  # bench/common.py: this folder is first on sys.path when the script runs

    check = common.load_bench_module("check")
    generator = common.load_generator()
    if args.db is not None and not args.db.exists():
        parser.error(f"no database at {args.db}")
    # Without --db: the generated investigation, made (again) when missing or at an older schema.
    path: Path = args.db if args.db is not None else common.investigation(1.0)

    from claimtrack.db import Ledger
    from claimtrack.errors import SchemaOutOfDate

    try:
        Ledger("sqlite:///" + str(path)).require_current()
    except SchemaOutOfDate as exc:
        print(f"error: {exc} (e.g. `.venv/bin/claimtrack --db {path} db upgrade`)", file=sys.stderr)
        return 2
    print(check.describe_database(path))
    print(f"load average at the start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")

    queries = build_queries(path, args.queries, args.seed, generator)
    mix = ", ".join(f"{n} {name}" for name, n in shares(args.queries) if n)
    print(f"queries: {len(queries)} (seed {args.seed}): {mix}; --limit {LIMIT} (the CLI's default)")
    print("warm-up: one untimed pass of every query through every path", flush=True)
    run_paths(path, queries, 1)
    mine, every, raw, ranked = run_paths(path, queries, args.runs)
    mine_ms, every_ms, raw_ms = mine.per_query_ms(), every.per_query_ms(), raw.per_query_ms()

    if args.show:
        print(f"  {'category':<14} {'claimtrack':>10} {'rank-all':>9} {'raw':>8} {'rows':>5}  query")
        for i, query in enumerate(queries):
            order = "" if ranked[i] else "  (newest first)"
            print(
                f"  {query.category:<14} {mine_ms[i]:8.1f}ms {every_ms[i]:7.1f}ms {raw_ms[i]:6.1f}ms "
                f"{mine.rows[i]:>5}  {query.describe()}{order}"
            )
    runs = f"{args.runs} runs" if args.runs > 1 else "1 run"
    print(f"per query: the median of {runs}, in ms; then over the queries (median / p95 / max):")
    print(
        f"  {'':<13} {'n':>3} {'ranked':>6}  {'claimtrack':^23}  {'claimtrack --rank-all':^23}  "
        f"{'raw FTS5 (bm25)':^23}  ratios to raw"
    )
    for name, _ in MIX:
        picked = [i for i, query in enumerate(queries) if query.category == name]
        if picked:
            print(
                summary_row(
                    name,
                    [mine_ms[i] for i in picked],
                    [every_ms[i] for i in picked],
                    [raw_ms[i] for i in picked],
                    [ranked[i] for i in picked],
                )
            )
    print(summary_row("all", mine_ms, every_ms, raw_ms, ranked))
    print(
        f"ranked: {sum(ranked)} of {len(queries)} answers (no rows, or at most RANK_AT_MOST matches); the "
        "others list the newest matches, unranked"
    )
    median, p95 = statistics.median(mine_ms), percentile(mine_ms, 0.95)
    share = sum(ranked) / len(ranked)
    passed = median < TARGET_MEDIAN_MS and p95 < TARGET_P95_MS and share >= TARGET_RANKED
    print(
        f"target: {TARGET_RANKED:.0%} ranked, median < {TARGET_MEDIAN_MS:g} ms and p95 < {TARGET_P95_MS:g} ms; "
        f"claimtrack: {share:.0%} ranked ({'pass' if share >= TARGET_RANKED else 'FAIL'}), median "
        f"{median:.1f} ms ({'pass' if median < TARGET_MEDIAN_MS else 'FAIL'}), p95 {p95:.1f} ms "
        f"({'pass' if p95 < TARGET_P95_MS else 'FAIL'}): {'PASS' if passed else 'FAIL'}"
    )
    print(
        f"claimtrack --rank-all: median {statistics.median(every_ms):.1f} ms, p95 {percentile(every_ms, 0.95):.1f} ms"
    )
    # On a shared machine the wall clock counts the time other processes held the cores; the process's own CPU
    # time (SQLite's work included: it runs in this process) is what the query would take alone, or near it.
    for label, ms in (
        ("claimtrack", mine.per_query_cpu_ms()),
        ("claimtrack --rank-all", every.per_query_cpu_ms()),
        ("raw FTS5", raw.per_query_cpu_ms()),
    ):
        print(
            f"CPU time, {label}: median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
            f"max {max(ms):.1f} ms"
        )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, ms in (("claimtrack", mine_ms), ("claimtrack --rank-all", every_ms)):
        print(
            f"ratio {label}/raw FTS5: median {statistics.median(ms) / statistics.median(raw_ms):.2f}x, "
            f"p95 {percentile(ms, 0.95) / percentile(raw_ms, 0.95):.2f}x"
        )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
