"""A 10,000-claim sourcing report, in Markdown and HTML, beside the JSON export of the same claims.

    python bench/report.py [--runs N]

The database is the generated investigation at scale 0.01: exactly 10,000 claims, with their 2,000 sources,
25,000 appearances, 500 entities and their ties (generated first when missing). Each command is a whole
``claimtrack`` process, run ``--runs`` times after one untimed warm-up, the three commands taking turns; the
median wall time is reported, and the median CPU time (user + system, of the whole process) beside it:

* **export**: ``claimtrack export -o FILE`` -- every row of the ledger as JSON lines, the baseline;
* **report md** and **report html**: ``claimtrack report [--format html] -o FILE`` for all 10,000 claims --
  the independence check of each, its reasons, origins and relations, rendered. HTML draws each claim's
  origins with Graphviz when ``dot`` is installed (in one ``dot`` run per 500 drawings), else itself.

Target (issue 6): each report within 3x the export.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import common


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3)")
    args = parser.parse_args(argv)

    database = common.investigation(0.01)
    claimtrack = shutil.which("claimtrack", path=str(Path(sys.executable).parent)) or "claimtrack"
    # `report --format html` draws with Graphviz (when installed) up to 500 claims, and itself above that.
    drawings = "claimtrack's own layout (Graphviz is used up to 500 claims)"
    print(f"report: 10,000 claims ({database}); median of {args.runs} runs after a warm-up; "
          f"HTML drawings by {drawings}")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)

        # --force: each run replaces the file the one before wrote (without it, claimtrack refuses at once).
        commands = {
            "export": ("export", "--force", "-o", str(out / "export.jsonl")),
            "md": ("report", "--force", "-o", str(out / "report.md")),
            "html": ("report", "--force", "--format", "html", "-o", str(out / "report.html")),
        }
        for command in commands.values():
            _check(command, common.run_measured([claimtrack, "--db", str(database), *command]))
        # The three commands take turns, so that a shared machine's load falls on all of them alike; each run's
        # CPU time (its process tree's user + system time) is steadier than the wall clock there.
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        peak: dict[str, float] = dict.fromkeys(commands, 0.0)
        for _ in range(args.runs):
            for name, command in commands.items():
                before = _children_cpu()
                run = _check(command, common.run_measured([claimtrack, "--db", str(database), *command]))
                cpu[name].append(_children_cpu() - before)
                wall[name].append(run.seconds)
                peak[name] = max(peak[name], run.peak_mib)

    export, export_cpu = common.median(wall["export"]), common.median(cpu["export"])
    print(common.line("claimtrack export (JSON lines)", f"{export:.2f} s")
          + f"   CPU {export_cpu:.2f} s   peak {peak['export']:,.0f} MiB")  # fmt: skip
    for name, label in (("md", "report --format md"), ("html", "report --format html")):
        seconds, seconds_cpu = common.median(wall[name]), common.median(cpu[name])
        ratio, cpu_ratio = seconds / export, seconds_cpu / export_cpu
        print(common.line(f"claimtrack {label}", f"{seconds:.2f} s", ratio=ratio, against="of export",
                          target=f"<= 3x: {common.verdict(ratio <= 3)}")
              + f"   CPU {seconds_cpu:.2f} s, {cpu_ratio:.2f}x   peak {peak[name]:,.0f} MiB")  # fmt: skip
    return 0


def _check(command: Sequence[str], run: common.Run) -> common.Run:
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {run.stderr.decode(errors='replace')}")
    return run


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
