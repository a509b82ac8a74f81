#!/usr/bin/env python3
"""Run claimtrack from a checkout without installing it: python cli.py --help"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from claimtrack.cli import main
except ModuleNotFoundError as missing:
    if (missing.name or "").split(".")[0] == "claimtrack":
        raise
    # A Python without claimtrack's dependencies (typer, SQLAlchemy, ...): say how to get them, in one line.
    sys.stderr.write(
        f"error: claimtrack needs {missing.name!r} and its other dependencies: run `make demo` and use "
        "`.venv/bin/claimtrack`, or `python3 -m pip install -e .` into this Python first\n"
    )
    sys.exit(1)

if __name__ == "__main__":
    main()
