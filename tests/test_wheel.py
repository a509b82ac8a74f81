"""A wheel built from the checkout carries the migrations: installed elsewhere, it can create a database."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Building and installing a wheel does not depend on the database under test: once per suite is enough.
pytestmark = pytest.mark.sqlite_only


def test_wheel_installs_and_inits_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)  # fmt: skip
    (wheel,) = dist.glob("claimtrack-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "claimtrack/migrations/env.py" in names
    assert any(name.startswith("claimtrack/migrations/versions/0001") for name in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )

    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLAIMTRACK_DB")}
    run = [str(env_dir / "bin" / "claimtrack"), "--db", "new.db"]
    init = subprocess.run([*run, "init"], cwd=workdir, capture_output=True, text=True, env=env, timeout=120)
    assert init.returncode == 0, init.stderr
    assert "created" in init.stderr
    added = subprocess.run(
        [*run, "entity", "add", "Amber Front"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    # The HTML report's template is package data: it must be in the wheel too.
    report = subprocess.run([*run, "report", "--format", "html"], cwd=workdir, capture_output=True, text=True,
                            env=env, timeout=120)  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert "<h1>Sourcing report</h1>" in report.stdout
    where = subprocess.run([str(python), "-c", "import claimtrack.migrate as m; print(m.migrations_dir())"],
                           cwd=workdir, capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert str(env_dir) in where.stdout
