"""The shared claim filters: five commands take them from one definition (``@claim_filters`` in cli/options.py)
as one ClaimFilter, and each command's output is narrowed by them."""

from __future__ import annotations

import inspect
import json
import re
from typing import Any, get_args

import pytest
import typer
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.cli.options import FILTER_OPTIONS

FILTERED = [("timeline",), ("search",), ("report",), ("check",), ("claim", "list")]


def _command(path: tuple[str, ...]) -> Any:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


def _every_command(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if hasattr(command, "commands"):
            found.extend(_every_command(command, (*path, name)))
    return found


def _declared() -> list[tuple[list[str], str, str | None]]:
    """Each filter option as cli/options.py declares it: its flags, help and metavar."""
    declared = []
    for _name, annotation in FILTER_OPTIONS:
        info = get_args(annotation)[1]
        declared.append(([info.default, *(info.param_decls or ())], info.help, info.metavar))
    return declared


def test_the_commands_with_the_filters_are_the_five_that_take_them_as_one_value() -> None:
    flags = {flags[0] for flags, _, _ in _declared()}
    assert flags == {"--kind", "--by", "--source", "--tag", "--status", "--about", "--from", "--to"}
    offering = [
        path
        for path, command in _every_command(typer.main.get_command(app))
        if flags <= {opt for param in command.params for opt in getattr(param, "opts", [])}
    ]
    assert sorted(offering) == sorted(FILTERED)
    for path in FILTERED:
        # The command's own function has one ClaimFilter parameter, and none of the eight.
        written = inspect.signature(inspect.unwrap(_command(path).callback)).parameters
        assert [p.name for p in written.values() if p.annotation == "ClaimFilter"] == ["filters"], path
        assert not {name for name, _ in FILTER_OPTIONS} & set(written), path


@pytest.mark.parametrize("path", FILTERED, ids=" ".join)
def test_each_command_shows_the_filters_as_declared_once(path: tuple[str, ...]) -> None:
    command = _command(path)
    options = [param for param in command.params if param.name in {name for name, _ in FILTER_OPTIONS}]
    assert [(param.opts, param.help, param.metavar) for param in options] == _declared()
    assert all(param.multiple for param in options[:6]) and not any(param.multiple for param in options[6:])
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    # In the help, in the declared order, each with its help text.
    places = []
    for flags, help_text, _ in _declared():
        match = re.search(rf"{re.escape(flags[0])} \S+ {re.escape(help_text)}", shown)
        assert match, (path, flags[0])
        places.append(match.start())
    assert places == sorted(places)


def _claim_keys(cli: Any, path: tuple[str, ...], *filters: str) -> list[str]:
    """The keys of the claims a command's output lists (in its JSON form)."""
    if path == ("report",):
        return [
            claim["key"] for claim in json.loads(cli.ok("report", "-f", "json", *filters).stdout)["claims"]
        ]
    if path == ("check",):
        return [claim["key"] for claim in cli.json("check", "--all", *filters)["claims"]]
    if path == ("search",):
        rows = cli.json("search", "detained OR custody OR torture", "-n", "1000", *filters)
        return [row["claim"] for row in rows if row["claim"]]
    return [row["key"] for row in cli.json(*path, *filters)]


@pytest.mark.parametrize("path", FILTERED, ids=" ".join)
def test_a_filter_narrows_each_commands_output_on_the_sample(
    cli: Any, sample: dict[str, str], path: tuple[str, ...]
) -> None:
    listed = cli.json("claim", "list")
    amber_figures = {
        row["key"] for row in listed if row["claimant"] == "Amber Front" and row["kind"] == "figure"
    }
    assert len(amber_figures) >= 2
    everything = set(_claim_keys(cli, path))
    narrowed = set(_claim_keys(cli, path, "--by", "Amber Front", "--kind", "figure"))
    assert narrowed and narrowed < everything
    assert narrowed == everything & amber_figures


@pytest.mark.parametrize("path", FILTERED, ids=" ".join)
def test_a_filter_naming_nothing_is_an_error_in_each_command(
    cli: Any, sample: dict[str, str], path: tuple[str, ...]
) -> None:
    given: dict[tuple[str, ...], list[str]] = {
        ("search",): ["search", "detained"],
        ("report",): ["report", "-f", "json"],
    }
    args = given.get(path, list(path))
    result = cli(*args, "--tag", "nonexistent-tag")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: no tag named 'nonexistent-tag'\n"
