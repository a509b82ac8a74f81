"""Input that used to end in "internal error" or be taken silently: command-line arguments that are not UTF-8,
entity names that look like another's, JSON nested past Python's recursion limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from claimtrack.entities import look_alike


def _claimtrack(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command, so that the bytes go through the operating system's argv as a user's would."""
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "400"},
        timeout=120,
    )


def _one_line_error(result: Any) -> str:
    stderr = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert getattr(result, "returncode", getattr(result, "exit_code", None)) == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines[0]


# -- arguments that are not UTF-8 ---------------------------------------------------------------------------


def test_an_argument_that_is_not_utf8_is_refused_by_name_and_creates_nothing(
    cli: Run, snapshot: Any, tmp_path: Path
) -> None:
    """`claim add $'caf\\xe9' --by AF` ended in "internal error (UnicodeEncodeError)"."""
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    before = snapshot()
    result = _claimtrack("--db", cli.url, "claim", "add", b"caf\xe9", "--by", "AF", cwd=tmp_path)
    assert result.returncode == 1
    assert _one_line_error(result) == (
        r"error: the argument 'caf\xe9' is not UTF-8 text; claimtrack reads and stores UTF-8 only: convert it "
        "(for example with iconv -f latin1 -t utf-8) and try again"
    )
    assert result.stdout == b""
    result = _claimtrack("--db", cli.url, "entity", "add", "Harbor Wire", "--alias", b"H\xffW", cwd=tmp_path)
    assert result.returncode == 1
    assert _one_line_error(result).startswith(r"error: the value of --alias ('H\xffW') is not UTF-8 text")
    assert snapshot() == before


def test_the_refusal_names_the_argument_or_the_option_it_is_the_value_of() -> None:
    from claimtrack.cli.app import not_utf8

    assert not_utf8(["claim", "add", "café", "--by", "AF"]) is None
    for args, named in (
        (["claim", "add", "--", "caf\udce9"], r"the argument 'caf\xe9'"),  # after the "--" separator
        (["claim", "add", "x", "--by", "caf\udce9"], r"the value of --by ('caf\xe9')"),
        (["claim", "add", "x", "--by=caf\udce9"], r"the argument '--by=caf\xe9'"),
        (["entity", "add", "x\ud800"], r"the argument 'x\ud800'"),  # not from undecodable bytes at all
    ):
        message = not_utf8(args)
        assert message is not None and message.startswith(f"{named} is not UTF-8 text"), message


@pytest.mark.sqlite_only
def test_a_database_path_that_is_not_utf8_leaves_no_file_behind(tmp_path: Path) -> None:
    """`--db $'u\\xff.db' init` left an empty file behind."""
    result = _claimtrack("--db", b"u\xff.db", "init", cwd=tmp_path)
    assert result.returncode == 1
    assert _one_line_error(result).startswith(r"error: the value of --db ('u\xff.db') is not UTF-8 text")
    assert os.listdir(tmp_path) == []


# -- look-alike names -----------------------------------------------------------------------------------------

CYRILLIC_A = "\u0410"  # А
CYRILLIC_O = "\u043e"  # о


def test_look_alike_names_share_a_skeleton_and_different_names_do_not() -> None:
    assert look_alike(f"{CYRILLIC_A}mber Front") == look_alike("Amber Front")
    assert look_alike(f"Amber Fr{CYRILLIC_O}nt") == look_alike("amber front")
    assert look_alike("Port Se1den") == look_alike("Port Selden")  # digit one for a small L (UTS #39)
    assert look_alike("\U0001d400mber Front") == look_alike("Amber Front")  # mathematical bold A
    assert look_alike("Amber Voice") != look_alike("Amber Front")
    assert look_alike("Veloria") != look_alike("Valoria")


def test_a_new_entity_that_looks_like_another_gets_a_warning_naming_it(cli: Run) -> None:
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    result = cli.ok("entity", "add", f"{CYRILLIC_A}mber Front")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: '{CYRILLIC_A}mber Front' looks like the entity 'Amber Front' but is written with other "
        "characters (U+0410 CYRILLIC CAPITAL LETTER A); check that they are not one entity"
    ]
    # Both were kept (a warning, not a refusal: two entities may truly differ by one script's letter).
    names = {entity["name"] for entity in cli.json("entity", "list")}
    assert names == {"Amber Front", f"{CYRILLIC_A}mber Front"}
    # A name that only looks like nothing gets no warning.
    assert "warning" not in cli.ok("entity", "add", "Amber Voice").stderr


def test_an_alias_that_looks_like_another_entity_gets_a_warning_naming_it(cli: Run) -> None:
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Port Selden Council")
    # An alias that looks like the same entity's own name is no news.
    assert "warning" not in cli.ok("entity", "alias", "Amber Front", f"{CYRILLIC_A}MBER FRONT").stderr
    result = cli.ok("entity", "alias", "Port Selden Council", f"{CYRILLIC_A}F", "PSC")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: '{CYRILLIC_A}F' looks like the entity 'Amber Front' (named 'AF') but is written with other "
        "characters (U+0410 CYRILLIC CAPITAL LETTER A); check that they are not one entity"
    ]


# -- JSON nested past the recursion limit ---------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000])
def test_deeply_nested_json_in_an_import_is_one_line(cli: Run, snapshot: Any, depth: int) -> None:
    """100,000 nested lists ended in "internal error (RecursionError)"."""
    from claimtrack.db import SCHEMA_REVISION

    header = json.dumps({"format": "claimtrack-export", "version": 1, "schema": SCHEMA_REVISION})
    for line in ("[" * depth + "]" * depth, '{"table": "claims", "row": ' + "[" * depth + "]" * depth + "}"):
        before = snapshot()
        result = cli("import", "-", input=f"{header}\n{line}\n")
        assert result.exit_code == 1
        message = _one_line_error(result)
        assert "nested" in message, message
        assert snapshot() == before
