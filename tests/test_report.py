"""`claimtrack report`: Markdown, JSON and CSV, with the sources' text shown and never run."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claimtrack.db import Ledger
from claimtrack.report import build
from claimtrack.sample import load

HOSTILE = '<script>alert(1)</script> [red]**bold**[/red] =cmd|"/c calc"!A1'


@pytest.fixture
def hostile_sample(cli, ledger: Ledger) -> dict[str, str]:
    with ledger.session(write=True) as db:
        ids = load(db)
    ids["hostile"] = cli.ok("claim", "add", HOSTILE, "--by", "Amber Front").stdout.strip()
    return ids


def test_markdown_report_of_the_claims_that_lack_independent_sources(cli, ledger: Ledger, hostile_sample) -> None:
    text = cli.ok("report", "--lacking").stdout
    with ledger.session() as db:
        data = build(db, lacking_only=True)
    assert {record["key"] for record in data["claims"]} == {r["key"] for r in cli.json("check")["claims"]}
    for record in data["claims"]:
        assert f"## {record['key']}:" in text
    assert hostile_sample["quote"] not in {record["key"] for record in data["claims"]}  # it has enough
    assert "'av\\-2020\\-01\\-10' is published by Amber Voice, part of Amber Front, the claimant" in text
    assert "Other figures for the same measure:" in text
    # The hostile claim is shown as text: no live tag, no Markdown emphasis.
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*\\*bold\\*\\*" in text


def test_json_and_csv(cli, ledger: Ledger, hostile_sample) -> None:
    with ledger.session() as db:
        expected = build(db)
    assert json.loads(cli.ok("report", "--format", "json").stdout) == json.loads(json.dumps(expected))
    rows = list(csv.DictReader(io.StringIO(cli.ok("report", "-f", "csv", "--no-bom").stdout)))
    appearances = sum(max(1, len(record["appearances"])) for record in expected["claims"])
    assert len(rows) == appearances
    hostile = next(row for row in rows if row["claim"] == hostile_sample["hostile"])
    assert hostile["text"] == HOSTILE  # a text cell that does not start with a formula sign is kept as is
    formula = cli.ok("claim", "add", '=HYPERLINK("http://x")', "--by", "Amber Front").stdout.strip()
    rows = list(csv.DictReader(io.StringIO(cli.ok("report", "-f", "csv", "--no-bom", "--claim", formula).stdout)))
    assert rows[0]["text"] == '\'=HYPERLINK("http://x")'


def test_an_unknown_format(cli, hostile_sample) -> None:
    result = cli("report", "--format", "pdf")
    assert result.exit_code == 1
    assert "unknown report format 'pdf'" in result.stderr
