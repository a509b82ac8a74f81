"""The README's walkthrough runs as written: every shell block, in order, on a fresh database.

Each command is run by bash from a fresh folder (the checkout's `examples/` beside it), with the virtualenv's
`claimtrack` on PATH as the README says to put it; each must succeed (a `--fail` check may exit 3, as
documented). Where the README names a printed claim id (`# -> k3m9x2p`), the id the command printed is used
in the later commands that name it. Key outputs are checked along the way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

pytestmark = pytest.mark.sqlite_only  # the walkthrough's database is a SQLite file

NAMED = re.compile(r"#\s*->\s*([a-z0-9]{7})\s*$")


def walkthrough_commands() -> list[str]:
    """The commands of the walkthrough's shell blocks, in order, continuation lines joined."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Walkthrough") : text.index("\n## ", text.index("## Walkthrough") + 1)]
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        pending = ""
        for line in block.splitlines():
            if pending:
                line = pending + " " + line.strip()
                pending = ""
            if line.rstrip().endswith("\\"):
                pending = line.rstrip()[:-1].rstrip()
                continue
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line.strip())
    return commands


def test_the_walkthrough_has_the_commands_it_describes() -> None:
    commands = walkthrough_commands()
    assert commands[0] == "export CLAIMTRACK_DB=investigation.db"
    assert len(commands) > 50
    assert sum(1 for command in commands if NAMED.search(command)) == 2
    # Every placeholder used is named first by a command that prints it.
    named: set[str] = set()
    for command in commands:
        for placeholder in re.findall(
            r"\b(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{7}\b", command.split("#")[0]
        ):
            assert placeholder in named, (placeholder, command)
        if match := NAMED.search(command):
            named.add(match.group(1))


def _check_outputs(ids: dict[str, str], folder: Path) -> dict[str, Callable[[Any], None]]:
    """What a reader would look at after some of the commands (keyed by the command as written)."""

    def listed(result: Any) -> None:
        assert ids["k3m9x2p"] in result.stdout and ids["p9x2m4k"] not in result.stdout

    def shown(result: Any) -> None:
        record = json.loads(result.stdout)
        assert record["status"] == "disputed"
        vias = {a["source"]: a["via"] for a in record["appearances"]}
        assert vias == {"av-2020-01-10": None, "hw-2020-01-12": None, "psd-2020-01-12": "hw-2020-01-12"}
        assert record["when"]["edtf"] == "2020-01"
        assert {r["claim"]["key"] for r in record["relations"]} >= {ids["p9x2m4k"]}

    def searched(result: Any) -> None:
        assert "unfounded" in result.stdout.lower()

    def reported(result: Any) -> None:
        page = (folder / "port-selden.html").read_text(encoding="utf-8")
        assert ids["k3m9x2p"] in page and ids["p9x2m4k"] in page
        assert 'href="https://ambervoice.example/2020/01/10/port-selden-operation"' in page

    def reviewed(result: Any) -> None:
        (review,) = json.loads((folder / "reviews.json").read_text(encoding="utf-8"))
        assert review["url"] == f"https://factdesk.example.org/checks/{ids['k3m9x2p']}"
        assert review["reviewRating"]["alternateName"] == "Disputed"

    def cited(result: Any) -> None:
        bib = (folder / "sources.bib").read_text(encoding="utf-8")
        assert bib.count("\n@") + bib.startswith("@") == 2 and "@article{hw-2020-01-12," in bib

    return {
        "claimtrack claim list --by AF --kind figure --from 2020-01 --to 2020-02": listed,
        "claimtrack claim show k3m9x2p --json": shown,
        "claimtrack search 'torture unfounded'": searched,
        "claimtrack report --tag port-selden-2020 --format html -o port-selden.html": reported,
        "claimtrack export --format claimreview -o reviews.json": reviewed,
        "claimtrack export --format bibtex --source vim-2020-01-11 --source hw-2020-01-12 -o sources.bib": cited,
    }


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {key: value for key, value in os.environ.items() if key not in ("CLAIMTRACK_DB", "COLUMNS")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    ids: dict[str, str] = {}
    checks = _check_outputs(ids, tmp_path)
    checked = set()
    for written in walkthrough_commands():
        command = written
        for placeholder, real in ids.items():
            command = command.replace(placeholder, real)
        if match := re.fullmatch(r"export (\w+)=(\S+)", command):
            env[match.group(1)] = match.group(2)
            continue
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        allowed = (0, 3) if "--fail" in command else (0,)
        assert result.returncode in allowed, f"{written}\nexit {result.returncode}\n{result.stderr}"
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        if name := NAMED.search(written):
            printed = result.stdout.strip()
            assert re.fullmatch(r"[a-z0-9]{7}", printed), (written, result.stdout)
            ids[name.group(1)] = printed
        if written.split("  #")[0].strip() in checks:
            checks[written.split("  #")[0].strip()](result)
            checked.add(written.split("  #")[0].strip())
    assert checked == set(checks), set(checks) - checked


def test_cli_py_without_the_dependencies_says_how_to_install_them() -> None:
    """A Python without typer and the rest (here: isolated, no site-packages) gets one line, not a traceback."""
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(ROOT / "cli.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "make demo" in lines[0] and "pip install" in lines[0]
    assert result.stdout == ""
