"""Copy detection: the threshold's test set, and what finding copies costs as the ledger grows.

    python bench/copies.py [--sources N] [--adds K] [--db PATH]

1. **The test set** (tests/data/copies): for each kind of pair (copies, reports pasted into longer articles,
   pasted paragraphs, distinct reports on one event) and each half (tuning, blind), the range of the overlap
   claimtrack uses (containment of the shorter text's word shingles) and of the Jaccard similarity a
   MinHash/LSH index (datasketch's MinHashLSH) estimates. A report pasted into an article three times its
   length keeps an overlap of 1.0 while its Jaccard falls to about a quarter, and keeps falling towards a
   pasted paragraph's as the article grows: containment is what claimtrack measures.
2. **At `source add`**: a ledger of N synthetic sources with texts (2% of them edited copies of an earlier
   one) and their fingerprints is written straight to SQLite; then K more sources are added through
   claimtrack's own ``add_source`` (fingerprint, look up, compare, record), and the median time the copy
   detection adds to each is printed.
3. **`source similar` over everything**: the sweep over the fingerprint index (every stored text already
   fingerprinted, as `source add` leaves them), timed, with its rate, and the time fingerprinting every text
   from scratch would add (a database upgraded from an older schema, once).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def test_set() -> None:
    from claimtrack.copies import COPY_AT, Words, compare

    spec = importlib.util.spec_from_file_location(
        "copy_pairs", ROOT / "tests" / "data" / "copies" / "pairs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["copy_pairs"] = module
    spec.loader.exec_module(module)
    rows: dict[tuple[str, str], list[tuple[float, float]]] = {}
    pairs = list(module.pairs())
    # And a longer article: a report pasted into one three times its length (other reports as the rest).
    texts = [module.report(name) for name in (*module.TUNING, *module.BLIND)]
    for index, text in enumerate(texts):
        others = [t for t in texts if t is not text]
        longer = "\n\n".join([others[index % 7], text, others[(index + 1) % 7], others[(index + 2) % 7]])
        pairs.append(module.Pair("pasted into a long article", longer, text, "embedded, 3x longer", "blind"))
    for pair in pairs:
        found = compare(pair.text, pair.other)
        a, b = set(Words.of(pair.text).shingles()), set(Words.of(pair.other).shingles())
        rows.setdefault((pair.kind, pair.half), []).append((found.overlap, len(a & b) / len(a | b)))
    print(f"test set: {len(pairs)} pairs; threshold COPY_AT = {COPY_AT}")
    print(f"  {'kind':<22} {'half':<7} {'pairs':>5}  {'overlap (containment)':>22}  {'Jaccard':>14}")
    for (kind, half), values in sorted(rows.items()):
        overlaps = [v[0] for v in values]
        jaccards = [v[1] for v in values]
        print(
            f"  {kind:<22} {half:<7} {len(values):>5}  {min(overlaps):>10.3f} - {max(overlaps):<9.3f}"
            f"  {min(jaccards):.3f} - {max(jaccards):.3f}"
        )


def synthetic_texts(count: int, rng: random.Random) -> list[str]:
    vocabulary = [f"w{n}" for n in range(20_000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(vocabulary))))
    texts: list[str] = []
    for number in range(count):
        if number > 10 and rng.random() < 0.02:  # an edited copy of an earlier text
            words = rng.choice(texts).split()
            for _ in range(max(1, len(words) // 40)):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            texts.append(" ".join(["Updated", *words]))
        else:
            texts.append(" ".join(rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(200, 600))))
    return texts


def build(path: Path, count: int, rng: random.Random) -> None:
    import sqlite3

    from claimtrack.copies import fingerprint
    from claimtrack.db import Ledger

    Ledger(f"sqlite:///{path}").upgrade()
    texts = synthetic_texts(count, rng)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO sources (id, key, kind, text, created_at) VALUES (?, ?, 'article', ?, '2024-01-01')",
            ((n + 1, f"s-{n + 1}", text) for n, text in enumerate(texts)),
        )
        conn.executemany(
            "INSERT INTO source_fingerprints (hash, source_id) VALUES (?, ?)",
            ((value, n + 1) for n, text in enumerate(texts) for value in fingerprint(text)),
        )
    conn.execute("ANALYZE")
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", type=int, default=20_000, help="synthetic sources in the ledger")
    parser.add_argument("--adds", type=int, default=20, help="sources added through add_source, timed")
    args = parser.parse_args()
    test_set()

    from claimtrack.copies import find_copies_of, fingerprint, sweep
    from claimtrack.db import Ledger
    from claimtrack.sources import add_source

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "copies.db"
        started = time.perf_counter()
        build(path, args.sources, rng)
        print(
            f"\nledger: {args.sources:,} synthetic sources with texts, built in {time.perf_counter() - started:.1f} s"
        )
        ledger = Ledger(f"sqlite:///{path}")
        extra = synthetic_texts(args.adds, random.Random(7))
        with ledger.session() as db:
            from sqlalchemy import select

            from claimtrack.models import Source

            earlier = [row[0] for row in db.execute(select(Source.text).limit(args.adds))]
        # Half new texts, half copies of stored ones: both paths are timed.
        samples = [t if n % 2 else "Reprinted: " + earlier[n] for n, t in enumerate(extra)]
        detection, whole = [], []
        for number, text in enumerate(samples):
            with ledger.session(write=True) as db:
                started = time.perf_counter()
                source = add_source(db, key=f"added-{number}", text=text)
                whole.append(time.perf_counter() - started)
                # The detection alone, run again on the same source (it replaces what it recorded).
                started = time.perf_counter()
                find_copies_of(db, source)
                detection.append(time.perf_counter() - started)
        print(
            f"source add: copy detection {statistics.median(detection) * 1000:.1f} ms per source added (median of "
            f"{len(samples)}, max {max(detection) * 1000:.1f} ms), within add_source's "
            f"{statistics.median(whole) * 1000:.1f} ms"
        )
        with ledger.session(write=True) as db:
            started, cpu = time.perf_counter(), time.process_time()
            found = sweep(db)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        total = args.sources + len(samples)
        print(
            f"source similar over all: {seconds:.1f} s wall, {cpu:.1f} s CPU for {total:,} sources ({found:,} pairs "
            f"found); {seconds / total * 200_000 / 60:.1f} min wall ({cpu / total * 200_000 / 60:.1f} min CPU) at "
            "200,000 sources, scaled linearly"
        )
        texts = synthetic_texts(2_000, random.Random(5))
        started, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            fingerprint(text)
        per, per_cpu = (time.perf_counter() - started) / 2_000, (time.process_time() - cpu) / 2_000
        print(
            f"fingerprinting a text (200-600 words) from scratch: {per * 1000:.2f} ms wall, {per_cpu * 1000:.2f} ms "
            f"CPU; {per * 200_000 / 60:.1f} min wall for 200,000 texts (once, when `source similar` first runs "
            "on a database upgraded from an older schema)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
