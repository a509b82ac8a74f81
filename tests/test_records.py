"""The typed records (claimtrack/records.py) and what the commands print hold the same keys and kinds of value.

mypy checks the code against the TypedDicts; this checks the TypedDicts against the JSON the commands print on
the sample investigation, so the types cannot drift from the outputs: a key printed but not declared, a
declared key that is missing (unless ``NotRequired``), or a value of another type fails here.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from claimtrack import records
from claimtrack.sample import DETAINED


def mismatches(value: Any, expected: Any, path: str = "$") -> list[str]:
    """Where ``value`` (parsed JSON) differs from the type ``expected``: one line per difference."""
    if expected is Any:
        return []
    if is_typeddict(expected):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a {expected.__name__}"]
        hints = get_type_hints(expected)
        found = [f"{path}.{key}: printed, not in {expected.__name__}" for key in value if key not in hints]
        found += [
            f"{path}.{key}: in {expected.__name__}, not printed"
            for key in sorted(expected.__required_keys__ - set(value))
        ]
        for key, item in value.items():
            if key in hints:
                found += mismatches(item, hints[key], f"{path}.{key}")
        return found
    origin = get_origin(expected)
    if origin in (Union, types.UnionType):
        options = [mismatches(value, option, path) for option in get_args(expected)]
        return [] if any(not found for found in options) else min(options, key=len)
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        (item,) = get_args(expected)
        return [
            line for index, each in enumerate(value) for line in mismatches(each, item, f"{path}[{index}]")
        ]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a dict"]
        key_type, item = get_args(expected)
        return [
            line
            for key, each in value.items()
            for line in [*mismatches(key, key_type, f"{path} key"), *mismatches(each, item, f"{path}.{key}")]
        ]
    if expected is type(None):
        return [] if value is None else [f"{path}: {value!r}, not None"]
    if expected is float:
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    elif expected is int:
        fits = isinstance(value, int) and not isinstance(value, bool)
    else:
        fits = isinstance(value, expected)
    return [] if fits else [f"{path}: {value!r} is a {type(value).__name__}, not a {expected.__name__}"]


def test_the_check_itself_catches_a_misspelt_key_a_missing_key_and_a_wrong_type() -> None:
    row = {
        "key": "k3m9x2p",
        "kind": "figure",
        "claimant": "Amber Front",
        "text": "about 3,000 detained",
        "figure": "about 3,000 people",
        "date": None,
        "status": "unverified",
        "sources": 2,
    }
    assert mismatches(row, records.ClaimRow) == []
    misspelt = {("claimnat" if key == "claimant" else key): value for key, value in row.items()}
    assert mismatches(misspelt, records.ClaimRow) == [
        "$.claimnat: printed, not in ClaimRow",
        "$.claimant: in ClaimRow, not printed",
    ]
    assert mismatches({**row, "sources": "2"}, records.ClaimRow) == ["$.sources: '2' is a str, not a int"]
    assert mismatches({**row, "date": 2020}, records.ClaimRow) == ["$.date: 2020 is a int, not a str"]


@pytest.fixture
def investigation(cli: Any, sample: dict[str, str]) -> dict[str, str]:
    """The sample, plus what it lacks for the optional keys: a claim by an unnamed claimant logged with a
    warning, and a withdrawn appearance."""
    cli.ok("entity", "add", "two port officials", "--kind", "unnamed", "--count", "2")
    source = cli.json("source", "list")[0]["key"]
    logged = cli.json(
        "claim", "add", "The port was closed", "--by", "two port officials", "--source", source,
        "--passage", "words the source does not hold",
    )  # fmt: skip
    assert logged["warnings"]
    assert mismatches(logged, records.ClaimRecord) == []
    cli.ok("claim", "uncite", logged["key"], source, "--reason", "logged in error")
    return {**sample, "unnamed": logged["key"]}


def test_claim_records_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    shown = [cli.json("claim", "show", key) for key in investigation.values()]
    for record in shown:
        assert mismatches(record, records.ClaimRecord) == [], record["key"]
    # The optional keys, each seen at least once, and each well-formed where it is.
    sourcing = [record["sourcing"] for record in shown]
    assert any("attribution" in verdict for verdict in sourcing)
    assert any("claimant_unnamed" in verdict for verdict in sourcing)
    assert any(appearance["withdrawn"] for record in shown for appearance in record["appearances"])
    listed = cli.json("claim", "list")
    assert len(listed) == len(shown)
    assert mismatches(listed, list[records.ClaimRow]) == []


def test_verdicts_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    printed = cli.json("check", "--all")
    assert len(printed["claims"]) == len(investigation)
    assert mismatches(printed["claims"], list[records.VerdictRecord]) == []


def test_the_report_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    import json

    report = json.loads(cli.ok("report", "--format", "json").stdout)
    assert len(report["claims"]) == len(investigation)
    assert any("other_figures" in record for record in report["claims"])
    assert mismatches(report, records.ReportData) == []


def test_sources_and_entities_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    sources = cli.json("source", "list")
    assert mismatches(sources, list[records.SourceRow]) == []
    for row in sources:
        assert mismatches(cli.json("source", "show", row["key"]), records.SourceRecord) == [], row["key"]
    entities = cli.json("entity", "list")
    assert mismatches(entities, list[records.EntityRow]) == []
    for row in entities:
        assert mismatches(cli.json("entity", "show", row["name"]), records.EntityRecord) == [], row["name"]


def test_figures_timeline_and_search_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    assert mismatches(cli.json("figures", "--all"), list[records.MeasureRow]) == []
    assert mismatches(cli.json("figures", DETAINED), records.FiguresRecord) == []
    timeline = cli.json("timeline")
    assert timeline
    assert mismatches(timeline, list[records.TimelineRow]) == []
    hits = cli.json("search", "Port Selden")
    assert {hit["kind"] for hit in hits} >= {"claim", "source"}
    assert mismatches(hits, list[records.SearchHit]) == []


def test_the_history_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    changes = cli.json("log", "--limit", "1000")
    assert any(change["parts"] for change in changes)  # the withdrawal: a correction made of several changes
    assert mismatches(changes, list[records.ChangeRow]) == []
    assert mismatches(cli.json("log", "verify"), records.LedgerCheckRecord) == []


def test_copies_as_printed(cli: Any, investigation: dict[str, str]) -> None:
    pairs = cli.json("source", "similar")
    assert pairs  # the sample holds a copy
    assert mismatches(pairs, list[records.SimilarPair]) == []
