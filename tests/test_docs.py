"""Every command documents itself with an example, and help starts without the database layer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from claimtrack.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: typer.core.TyperGroup, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*path, name))
        if isinstance(command, typer.core.TyperGroup):
            found.extend(_commands(command, (*path, name)))
    return found


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_the_command_surface_of_the_ledger_is_there() -> None:
    expected = {
        ("init",), ("db", "upgrade"), ("db", "current"), ("log",),
        ("entity", "add"), ("entity", "alias"), ("entity", "affiliate"), ("entity", "grade"),
        ("entity", "list"), ("entity", "show"),
        ("source", "add"), ("source", "link"), ("source", "list"), ("source", "show"), ("source", "text"),
        ("claim", "add"), ("claim", "cite"), ("claim", "counter"), ("claim", "relate"),
        ("claim", "status"), ("claim", "list"), ("claim", "show"), ("claim", "import"),
        ("check",), ("config", "get"), ("config", "set"), ("verify",), ("source", "verify"), ("source", "warc"), ("extract",), ("figures",), ("timeline",), ("search",), ("export",), ("import",), ("report",),
    }  # fmt: skip
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.stderr
    assert "Example: claimtrack " in result.stdout
    # The example uses the command it documents.
    example = result.stdout.split("Example: ", 1)[1]
    assert " ".join(path) in " ".join(example.split()), example


def test_the_checkout_entry_and_the_module_both_run() -> None:
    for argv in (
        [sys.executable, str(ROOT / "cli.py"), "--help"],
        [sys.executable, "-m", "claimtrack", "--help"],
    ):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert "claim" in result.stdout and "entity" in result.stdout


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_do_not_load_the_database_layer(flag: str) -> None:
    probe = (
        "import sys, json\n"
        "from claimtrack.cli import app\n"
        f"try:\n    app([{flag!r}])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_version_prints_the_package_version() -> None:
    from claimtrack import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"claimtrack {__version__}"
