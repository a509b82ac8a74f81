#!/usr/bin/env python3
"""Run claimtrack from a checkout without installing it: python cli.py --help"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claimtrack.cli import main

if __name__ == "__main__":
    main()
