"""`make bench`: every benchmark in bench/, one after another, each printing its figures and its ratios to a
baseline run in the same invocation. The generated investigations are made first when missing (or when
claimtrack's schema has moved on), and reused after.

    python bench/run_all.py [--quick]

``--quick`` runs each with fewer repetitions (for a first look; the figures in the README come from the
full run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence

import common

# (script, arguments for the full run, arguments for --quick)
BENCHMARKS = [
    ("startup.py", ["--runs", "15"], ["--runs", "5"]),
    ("bulk_import.py", ["--runs", "1"], ["--runs", "1", "--scale", "0.1"]),
    ("check.py", ["--runs", "3"], ["--runs", "1"]),
    ("search.py", ["--runs", "3"], ["--runs", "1"]),
    ("report.py", ["--runs", "3"], ["--runs", "1"]),
    ("extraction.py", [], []),
    ("copies.py", ["--sources", "200000", "--adds", "50"], ["--sources", "20000", "--adds", "20"]),
    # Last: SQLite and PostgreSQL side by side (import, check, search, start-up); one line when no server.
    (
        "postgres.py",
        ["--runs", "3"],
        ["--runs", "1", "--scale", "0.1", "--queries", "30", "--startup-runs", "3"],
    ),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller import")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    # Made here, once, so that no benchmark's own figures include making it.
    common.investigation(1.0)
    common.investigation(0.01)
    failed = []
    for script, full, quick in BENCHMARKS:
        print(f"\n== bench/{script}", flush=True)
        began = time.perf_counter()
        done = subprocess.run([sys.executable, str(common.HERE / script), *(quick if args.quick else full)])
        print(f"   ({time.perf_counter() - began:.0f} s)", flush=True)
        if done.returncode != 0:
            failed.append(script)
    minutes = (time.perf_counter() - started) / 60
    print(f"\nmake bench: {len(BENCHMARKS)} benchmarks in {minutes:.1f} minutes"
          + (f"; exited non-zero: {', '.join(failed)}" if failed else ""))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
