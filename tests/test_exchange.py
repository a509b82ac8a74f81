"""Lossless export and import: every kind of record survives the round trip byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack.db import Ledger

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"


@pytest.fixture
def full(cli, ledger: Ledger):
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


def test_export_import_export_is_byte_identical(full, blank_url: str, tmp_path: Path) -> None:
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


def test_import_is_all_or_nothing(full, blank_url: str, tmp_path: Path) -> None:
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


def test_an_import_the_database_refuses_is_one_line_and_leaves_nothing(
    full, blank_url: str, tmp_path: Path
) -> None:
    """Rows of the right shape that the database still refuses (a claim whose claimant the export does not
    hold) are written in bulk (COPY on PostgreSQL): refused in one line, and nothing of the export stays."""
    from conftest import Run

    export = tmp_path / "export.jsonl"
    full.ok("export", "-o", str(export))
    lines = export.read_text().splitlines()
    first_claim = next(i for i, line in enumerate(lines) if json.loads(line).get("table") == "claims")
    item = json.loads(lines[first_claim])
    item["row"]["claimant_id"] = 987_654
    lines[first_claim] = json.dumps(item, sort_keys=True)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n")

    other = Run(blank_url)
    other.ok("init")
    result = other("import", str(broken))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].endswith("nothing was imported")
    assert "does not fit this database" in result.stderr
    assert other.json("entity", "list") == []
    assert other.json("claim", "list") == []
    other.ok("import", str(export))  # the export as it was still goes in whole
    assert len(other.json("claim", "list")) == len(full.json("claim", "list"))


def _rows(path: Path) -> list[str]:
    return path.read_text().splitlines()[1:]


def test_merging_an_export_into_its_own_database_adds_nothing(full, tmp_path: Path) -> None:
    before = tmp_path / "before.jsonl"
    full.ok("export", "-o", str(before))
    merged = full.ok("import", str(before))
    assert "merged: 0 rows added" in merged.stderr and "differ" not in merged.stderr

    # A claim whose status changed since the export: the difference is named, our status kept.
    shared = full.json("claim", "list")[0]["key"]
    full.ok("claim", "status", shared, "disputed", "--reason", "two witnesses contradict it")
    full.ok("export", "-o", str(before), "--force")
    older = tmp_path / "older.jsonl"
    # The claim's row only: the same words in the history's rows would break its chain (and be refused).
    older.write_text(
        "".join(
            line.replace('"status": "disputed"', '"status": "unverified"')
            if '"table": "claims"' in line
            else line
            for line in before.read_text().splitlines(keepends=True)
        )
    )
    merged = full.ok("import", str(older))
    assert f"claims {shared}: status 'disputed' here, 'unverified' in the export (this database's kept)" in (
        merged.stderr
    )
    assert full.json("claim", "show", shared)["status"] == "disputed"
    after = tmp_path / "after.jsonl"
    full.ok("export", "-o", str(after))
    added = [line for line in _rows(after) if line not in set(_rows(before))]
    # Only the log line that says a merge happened.
    assert len(added) == 1 and '"action": "import"' in added[0]


def test_merging_a_colleagues_export_adds_their_records_and_keeps_ours(
    full, blank_url: str, tmp_path: Path, snapshot
) -> None:
    from conftest import Run

    # A colleague's database, begun on their own: the same claimant under another id and spelling, an outlet
    # and a claim of their own.
    colleague = Run(blank_url)
    colleague.ok("init")
    colleague.ok("entity", "add", "Dockside Radio", "--kind", "media")
    colleague.ok("entity", "add", "amber  FRONT", "--kind", "organization")
    source = colleague.ok("source", "add", "--key", "dr-2020-01-11", "--publisher", "Dockside Radio",
                          "--title", "Harbour bulletin", input="About 3,000 were held, the Front said.\n").stdout.strip()  # fmt: skip
    new_claim = colleague.ok("claim", "add", "Detainees were held at the harbour warehouses",
                             "--by", "amber front", "--source", source, "--stance", "reports").stdout.strip()  # fmt: skip
    theirs = tmp_path / "theirs.jsonl"
    colleague.ok("export", "-o", str(theirs))

    entities_before = {e["name"] for e in full.json("entity", "list")}
    merged = full.ok("import", str(theirs))
    assert "merged:" in merged.stderr
    assert "name 'Amber Front' here, 'amber  FRONT' in the export" in merged.stderr

    shown = full.json("claim", "show", new_claim)
    assert shown["claimant"] == "Amber Front"
    assert [a["source"] for a in shown["appearances"]] == ["dr-2020-01-11"]
    assert shown["appearances"][0]["publisher"] == "Dockside Radio"
    assert {e["name"] for e in full.json("entity", "list")} == entities_before | {"Dockside Radio"}
    # Their history came along, kept as theirs: the merge is one local change; their rows are shown as
    # imported, never among the local changes.
    log = full.ok("log", "--limit", "1000").stdout
    assert f"claim {new_claim}" not in log and "merged an export of ledger" in log
    imported = full.json("log", "--imported", "--limit", "1000")
    assert any(row["record"] == f"claims {new_claim}" for row in imported)

    # Merging the same export again adds nothing more.
    state = snapshot()
    again = full.ok("import", str(theirs))
    assert "merged: 0 rows added" in again.stderr
    after = snapshot()
    assert {t: rows for t, rows in after.items() if t != "changes"} == {
        t: rows for t, rows in state.items() if t != "changes"
    }


def test_a_failed_merge_leaves_the_database_as_it_was(full, tmp_path: Path, snapshot) -> None:
    export = tmp_path / "export.jsonl"
    full.ok("export", "-o", str(export))
    lines = export.read_text().splitlines()
    full.ok("claim", "add", "A claim only the export lacks", "--by", "Amber Front")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(
        "\n".join([*lines, '{"table": "claims", "row": {"key": "zzzzzzz", "claimant_id": 99999}}'])
    )
    state = snapshot()
    result = full("import", str(broken))
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == state


def test_a_large_import_reports_progress_and_a_piped_one_shows_no_bar(
    full, blank_url: str, tmp_path: Path
) -> None:
    from conftest import Run

    from claimtrack.db import Ledger
    from claimtrack.exchange import BATCH, import_lines

    export = tmp_path / "export.jsonl"
    full.ok("export", "-o", str(export))
    lines = export.read_text().splitlines()
    # Enough rows for several progress steps: settings of no meaning (the history's rows cannot be repeated:
    # its chain would break, and the import be refused).
    extra = [
        json.dumps({"table": "settings", "row": {"key": f"filler-{n}", "value": "x"}})
        for n in range(3 * BATCH)
    ]
    big = tmp_path / "big.jsonl"
    big.write_text("\n".join([lines[0], *extra, *lines[1:]]) + "\n")
    Run(blank_url).ok("init")
    seen: list[tuple[str, int, int]] = []
    size = big.stat().st_size
    with Ledger(blank_url).session(write=True) as db, big.open(encoding="utf-8") as stream:
        import_lines(db, stream, progress=lambda *step: seen.append(step), total=size)
    assert len(seen) >= 3 and seen[-1] == ("importing", size, size)
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)

    piped = full("import", str(export))  # the test runner's stderr is not a terminal
    assert piped.exit_code == 0 and "━" not in piped.stderr and "importing" not in piped.stderr
