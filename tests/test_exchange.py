"""Lossless export and import: every kind of record survives the round trip byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.db import Ledger

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"


@pytest.fixture
def full(cli, ledger: Ledger):  # type: ignore[no-untyped-def]
    """The sample plus what it lacks: an original file, an extraction decision, a setting, a grade note."""
    from claimtrack.sample import load

    with ledger.session(write=True) as db:
        load(db)
    cli.ok("entity", "add", "Port Selden Harbour Authority", "--kind", "government")
    cli.ok("source", "add", str(DOCUMENTS / "report.pdf"), "--key", "hpa-report", "--accessed", "2020-01-15",
           "--publisher", "Port Selden Harbour Authority")  # fmt: skip
    cli.ok("extract", "hpa-report", "--accept-all")
    cli.ok("config", "set", "min-independent", "3")
    return cli


def test_export_import_export_is_byte_identical(full, blank_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import Run

    first = tmp_path / "first.jsonl"
    full.ok("export", "-o", str(first))
    tables = {line.split('"table": "', 1)[1].split('"', 1)[0] for line in first.read_text().splitlines()[1:]}
    # Every kind of record is in it.
    assert {"entities", "entity_aliases", "affiliations", "sources", "source_files", "source_links", "claims",
            "appearances", "claim_relations", "status_changes", "measures", "tags", "claim_tags",
            "claim_subjects", "settings", "changes", "extraction_decisions"} <= tables  # fmt: skip

    other = Run(blank_url)
    other.ok("init")
    imported = other.ok("import", str(first))
    assert "imported" in imported.stderr
    second = tmp_path / "second.jsonl"
    other.ok("export", "-o", str(second))
    assert second.read_bytes() == first.read_bytes()
    # The copy works as a ledger: new records get fresh ids, search and checks run.
    other.ok("entity", "add", "A newcomer")
    assert other.json("search", "torture")
    assert other.json("check", "--json")["threshold"] == 3


def test_import_is_all_or_nothing_and_refuses_a_non_empty_database(
    full, blank_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from conftest import Run

    export = tmp_path / "export.jsonl"
    full.ok("export", "-o", str(export))
    lines = export.read_text().splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(
        "\n".join(
            [
                *lines[: len(lines) // 2],
                '{"table": "claims", "row": {"nonsense": 1}}',
                *lines[len(lines) // 2 :],
            ]
        )
        + "\n"
    )

    other = Run(blank_url)
    other.ok("init")
    result = other("import", str(broken))
    assert result.exit_code == 1
    assert "is not a claimtrack row" in result.stderr or "does not" in result.stderr
    assert other.json("entity", "list") == []  # nothing of the first half stayed

    again = full("import", str(export))
    assert again.exit_code == 1
    assert "already holds records" in again.stderr
