"""A longer hunt than the fuzz test's: the sample ledger with bytes overwritten, case after case, each case a
read command run in-process; counts how the cases ended and prints those that ended in an "internal error" (or
a traceback), each with the seed that replays it (add it to test_fuzz.DAMAGE_SEEDS once its cause is fixed).

    .venv/bin/python tests/damage_scan.py --cases 5000 [--first 1] [--verbose]

Case n is test_fuzz.overwritten(n, ...): the same cases as the fuzz test's seeds. Exits 1 when any case ended
in an internal error.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from test_fuzz import overwritten
from typer.testing import CliRunner

from claimtrack.cli.app import app
from claimtrack.db import Ledger, dispose_engines
from claimtrack.sample import load


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--first", type=int, default=1, help="the first case's seed (case i uses first + i)")
    parser.add_argument("--show", type=int, default=20, help="print at most this many failing cases")
    parser.add_argument("--verbose", action="store_true", help="print every case that did not succeed")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="damage-scan-"))
    whole = folder / "whole.db"
    ledger = Ledger(f"sqlite:///{whole}")
    ledger.upgrade()
    with ledger.session(write=True) as session:
        load(session)
    dispose_engines()
    original = whole.read_bytes()
    damaged = folder / "damaged.db"
    runner = CliRunner()
    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    started = time.monotonic()
    for seed in range(args.first, args.first + args.cases):
        offset, garbage, command = overwritten(seed, len(original))
        data = bytearray(original)
        data[offset : offset + len(garbage)] = garbage
        damaged.write_bytes(bytes(data[: len(original)]))
        try:
            out = folder / "out"
            line = [str(out) if word == "OUT" else word for word in command]
            result = runner.invoke(app, ["--db", str(damaged), *line], catch_exceptions=True)
            out.unlink(missing_ok=True)
            stderr = result.stderr
            lines = stderr.strip().splitlines()
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                stderr = "".join(traceback.format_exception(result.exception))
                outcome = "traceback"
            elif result.exit_code == 0:
                outcome = "ok"
            elif "internal error" in stderr:
                outcome = "internal error"
            elif result.exit_code == 3 and command == ["log", "verify"] and len(lines) == 1:
                outcome = "log verify: does not verify"
            elif result.exit_code == 1 and len(lines) == 1:
                outcome = "damage line" if "is damaged" in stderr else "other one-line error"
            else:
                outcome = f"exit {result.exit_code}, {len(lines)} lines"
        finally:
            dispose_engines()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{damaged}{suffix}").unlink(missing_ok=True)
        outcomes[outcome] += 1
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "(no message)"
        if args.verbose and outcome != "ok":
            print(f"seed {seed}: {outcome}: {last}"[:400])
        if outcome in ("internal error", "traceback") or outcome.startswith("exit"):
            failures.append(
                f"seed {seed}: offset {offset}, {len(garbage)} bytes, {' '.join(command)}: {last}"
            )
    elapsed = time.monotonic() - started
    print(
        f"{args.cases:,} cases in {elapsed:.0f} s (seeds {args.first}..{args.first + args.cases - 1}, "
        f"ledger {len(original):,} bytes)"
    )
    for outcome, count in outcomes.most_common():
        print(f"  {outcome}: {count:,}")
    for line in failures[: args.show]:
        print(line[:400])
    shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
