"""A 10,000-claim sourcing report, in Markdown and HTML, beside the JSON export of the same claims.

    python bench/report.py [--runs N]

The database is the generated investigation at scale 0.01: exactly 10,000 claims, with their 2,000 sources,
25,000 appearances, 500 entities and their ties (generated first when missing). Each command is a whole
``claimtrack`` process, run ``--runs`` times after one untimed warm-up; the median is reported:

* **export**: ``claimtrack export -o FILE`` -- every row of the ledger as JSON lines, the baseline;
* **report md** and **report html**: ``claimtrack report [--format html] -o FILE`` for all 10,000 claims --
  the independence check of each, its reasons, origins and relations, rendered. HTML draws each claim's
  origins with Graphviz when ``dot`` is installed (in one ``dot`` run per 500 drawings), else itself.

Target (issue 6): each report within 3x the export.
"""

from __future__ import annotations

import argparse
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

        def timed(*command: str) -> tuple[float, float]:
            argv = [claimtrack, "--db", str(database), *command]
            warm = common.run_measured(argv)
            if warm.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed: {warm.stderr.decode(errors='replace')}")
            runs = [common.run_measured(argv) for _ in range(args.runs)]
            return common.median([r.seconds for r in runs]), max(r.peak_mib for r in runs)

        export, export_mib = timed("export", "-o", str(out / "export.jsonl"))
        markdown, md_mib = timed("report", "-o", str(out / "report.md"))
        html, html_mib = timed("report", "--format", "html", "-o", str(out / "report.html"))

    print(common.line("claimtrack export (JSON lines)", f"{export:.2f} s") + f"   peak {export_mib:,.0f} MiB")
    for name, seconds, mib in (
        ("report --format md", markdown, md_mib),
        ("report --format html", html, html_mib),
    ):
        ratio = seconds / export
        print(common.line(f"claimtrack {name}", f"{seconds:.2f} s", ratio=ratio, against="of export",
                          target=f"<= 3x: {common.verdict(ratio <= 3)}") + f"   peak {mib:,.0f} MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
