"""Start-up (issue 19): a command imports what it uses and builds only the commands it runs.

No timings here (bench/startup.py measures them): a fresh interpreter runs each command the issue names, the
way a user starts it, and lists the modules it loaded; the heavy ones a command has no use for must not be
among them. And the command tree, built command by command as command lines reach into it, is the tree Typer
builds all at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main

from claimtrack.cli import app
from claimtrack.db import Ledger

# What no command below has any use for: migrations, the date grammar, report templates, document readers,
# fuzzy matching, the export formats, extraction and search. (Each is imported inside the functions that
# need it.)
HEAVY = (
    "alembic", "edtf", "pyparsing", "jinja2", "trafilatura", "lxml", "pypdf", "docx", "warcio", "text_to_num",
    "rapidfuzz",
)  # fmt: skip
# claimtrack's own, at the top of the package or in its text layer (claimtrack/text/).
HEAVY_OF_CLAIMTRACK = (
    "migrate", "report", "exchange", "documents", "extract", "search", "citations", "warc",
)  # fmt: skip

# Runs claimtrack's console entry point with the given arguments, then writes the names of the modules the
# process loaded, and of the ORM classes whose mappers it configured, to the file named first.
PROBE = """
import json, sys
from claimtrack.cli import main
report, sys.argv = sys.argv[1], ["claimtrack", *sys.argv[2:]]
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
models = sys.modules.get("claimtrack.models")
configured = [m.class_.__name__ for m in models.Base.registry.mappers if m.configured] if models else []
with open(report, "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules), "configured": sorted(configured)}, out)
"""


def run_probe(tmp_path: Path, *args: str) -> dict[str, Any]:
    report = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(report.read_text())
    assert result["code"] in (0, None), done.stderr
    assert done.stdout, "the command printed nothing"
    return result


def loaded_by(tmp_path: Path, *args: str) -> set[str]:
    return set(run_probe(tmp_path, *args)["modules"])


def among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name in modules)


def heavy_among(modules: set[str]) -> list[str]:
    prefixes = [
        f"{package}.{name}" for package in ("claimtrack", "claimtrack.text") for name in HEAVY_OF_CLAIMTRACK
    ]
    own = [name for name in modules if any(name == p or name.startswith(f"{p}.") for p in prefixes)]
    return among(modules, HEAVY) + sorted(own)


def a_source_with_text(ledger: Ledger) -> tuple[str, str]:
    """A source of the sample with stored text, and a line of that text to cite as the passage."""
    from sqlalchemy import select

    from claimtrack.models import Source

    with ledger.session() as session:
        source = session.scalars(select(Source).where(Source.text.is_not(None)).order_by(Source.id)).first()
        assert source is not None and source.text is not None
        line = next(line for line in source.text.splitlines() if len(line.split()) >= 4)
        return source.key, line.strip()


def test_the_commands_of_the_issue_import_only_what_they_use(
    tmp_path: Path, db_url: str, ledger: Ledger, sample: dict[str, str]
) -> None:
    claim = sample[sorted(sample)[0]]
    source, passage = a_source_with_text(ledger)
    commands = {
        "claim list": ["claim", "list", "--limit", "20"],
        "claim show": ["claim", "show", claim],
        "check --claim": ["check", "--claim", claim],
        "claim add": ["claim", "add", "Some 1,200 were detained", "--by", "Amber Front", "--source", source,
                      "--passage", passage],
    }  # fmt: skip
    for name, args in commands.items():
        modules = loaded_by(tmp_path, "--db", db_url, *args)
        assert "claimtrack.db" in modules, name  # the probe did run the command
        assert heavy_among(modules) == [], name
        if db_url.startswith("sqlite"):
            assert among(modules, ("sqlalchemy.dialects.postgresql", "psycopg")) == [], name
    # A listing without --lacking has no verdict to compute.
    assert "claimtrack.independence" not in loaded_by(tmp_path, "--db", db_url, *commands["claim list"])


def test_a_listing_reads_rows_without_the_orm(tmp_path: Path, db_url: str, sample: dict[str, str]) -> None:
    # `claim list` reads plain rows from the Core tables: building the ORM classes and configuring their
    # mappers would cost it more than the rest of its work (issue 19), so it does neither, with or without
    # a date range.
    for args in (
        ["claim", "list", "--limit", "20"],
        ["claim", "list", "--from", "2019", "--to", "2021"],
    ):
        result = run_probe(tmp_path, "--db", db_url, *args)
        assert "claimtrack.tables" in result["modules"], args
        assert "claimtrack.models" not in result["modules"], args
        assert result["configured"] == [], args
    # A filter that names a record looks it up through the ORM, as every command does.
    result = run_probe(tmp_path, "--db", db_url, "claim", "list", "--by", "Amber Front")
    assert "Claim" in result["configured"]


def describe(command: Any, ctx: Any) -> dict[str, Any]:
    """What a user sees of a command: its help, its parameters, and its subcommands, recursively."""
    params = [
        (param.name, param.opts, param.secondary_opts, param.required, repr(param.default), param.multiple,
         getattr(param, "help", None), getattr(param, "is_flag", None), getattr(param.type, "name", None),
         getattr(param, "metavar", None))
        for param in command.params
    ]  # fmt: skip
    described: dict[str, Any] = {"help": command.help, "short": command.short_help, "params": params}
    if hasattr(command, "list_commands"):
        described["commands"] = {
            name: describe(command.get_command(ctx, name), ctx) for name in command.list_commands(ctx)
        }
    return described


def test_the_tree_built_as_used_is_the_tree_typer_builds() -> None:
    from claimtrack.cli.app import commands

    # The same registrations on a plain Typer, which builds every command at once.
    eager_app = typer.Typer(rich_markup_mode=None, add_completion=False)
    eager_app.registered_commands = list(commands.registered_commands)
    eager_app.registered_groups = list(commands.registered_groups)
    eager_app.registered_callback = app.registered_callback
    eager = typer.main.get_command(eager_app)
    lazy = typer.main.get_command(app)
    ctx = typer.Context(lazy)
    # Its groups are not built until they are looked up...
    assert len(list(lazy.list_commands(ctx))) == len(eager.list_commands(ctx)) > 10  # type: ignore[attr-defined]
    # ...and then they are Typer's, to the last option.
    assert describe(lazy, ctx)["commands"] == describe(eager, ctx)["commands"]


@pytest.mark.parametrize("typo", ["clam", "claim lsit"])
def test_a_mistyped_command_is_still_named_with_its_closest(typo: str) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, typo.split())
    assert result.exit_code == 2
    assert "Did you mean" in result.stderr, result.stderr


def test_a_command_line_builds_only_the_commands_it_runs(
    monkeypatch: pytest.MonkeyPatch, cli: Any, sample: dict[str, str]
) -> None:
    # Typer reads a command's signature when it builds the command: which signatures were read says which
    # commands were built.
    read: list[str] = []
    signature = typer.main.get_params_from_function

    def reading(function: Any) -> Any:
        read.append(function.__qualname__)
        return signature(function)

    monkeypatch.setattr(typer.main, "get_params_from_function", reading)
    cli.ok("claim", "list", "--limit", "1")
    # The root's options (and the callback of --version), and `claim list`: none of the other fifty.
    assert set(read) == {"root", "_print_version", "list_"}
