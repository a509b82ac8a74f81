"""What the benchmarks share: the generated investigation, medians, peak memory, and a line per figure.

bench/ is not a package: each script is started as ``python bench/NAME.py``, which puts this folder first
on ``sys.path``, so ``import common`` finds this file.
"""

from __future__ import annotations

import importlib.util
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"


def load_bench_module(name: str) -> ModuleType:
    """bench/<name>.py as a module (bench/ is not a package; this works however a script is started)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {HERE / f'{name}.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def load_generator() -> ModuleType:
    """bench/generate.py as a module."""
    return load_bench_module("generate")


def default_path(scale: float) -> Path:
    return DATA / f"investigation-{scale}.db"


def schema_revision(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def generator_version(path: Path) -> int | None:
    """The version of bench/generate.py that wrote the file (its PRAGMA user_version)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def investigation(scale: float = 1.0, seed: int = 0, path: Path | None = None) -> Path:
    """The generated investigation at ``scale``: made when missing, and made again when claimtrack's schema
    has moved on since (a benchmark of an old schema measures nothing the user runs), or the generator has
    (an older file lacks the long-tailed vocabulary the search benchmark draws its queries from)."""
    from claimtrack.db import SCHEMA_REVISION

    path = path or default_path(scale)
    revision = schema_revision(path) if path.exists() else None
    version = generator_version(path) if path.exists() else None
    wanted = load_generator().GENERATOR_VERSION
    if revision != SCHEMA_REVISION or version != wanted:
        why = (
            "missing"
            if not path.exists()
            else f"at schema {revision}, claimtrack is at {SCHEMA_REVISION}"
            if revision != SCHEMA_REVISION
            else f"from generator version {version}, bench/generate.py is at {wanted}"
        )
        print(f"{path} is {why}: generating it (scale {scale}, seed {seed})", file=sys.stderr, flush=True)
        load_generator().generate(path, scale, seed, force=True)
    return path


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


@dataclass
class Run:
    """One child process: its wall time and its own peak resident memory."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: bytes
    stderr: bytes


# A small process that starts the command and reports its peak memory. Measured from here directly, a child
# would inherit this process's high-water mark (Linux counts the parent's pages a fork copies), so the
# benchmark's own size would show up in every figure.
_LAUNCHER = r"""
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(argv: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end: its wall time, and its own peak resident memory."""
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, report.name, *argv], capture_output=True, env=env, check=False
        )
        seconds = time.perf_counter() - started
        text = report.read().strip()
    peak = int(text) / (2**20 if sys.platform == "darwin" else 1024) if text else float("nan")
    return Run(seconds, peak, done.returncode, done.stdout, done.stderr)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def line(name: str, figure: str, *, ratio: float | None = None, against: str = "", target: str = "") -> str:
    """One printed result: the figure, its ratio to the baseline run in the same invocation, the target."""
    text = f"  {name:<44} {figure:>16}"
    if ratio is not None:
        text += f"   {ratio:5.2f}x {against}"
    if target:
        text += f"   [{target}]"
    return text


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"
