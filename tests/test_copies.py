"""Copies claimtrack finds: the threshold on a measured test set, the warning at `source add`, `source similar`,
and what the check makes of a copy (one origin, unless marked distinct)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from claimtrack.copies import COPY_AT, RUN_WORDS, compare

DATA = Path(__file__).resolve().parent / "data" / "copies"


def _pairs() -> list[Any]:
    spec = importlib.util.spec_from_file_location("copy_pairs", DATA / "pairs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["copy_pairs"] = module
    spec.loader.exec_module(module)
    return list(module.pairs())


def test_the_threshold_sits_in_the_tuning_gap_and_holds_on_the_blind_half() -> None:
    measured = [(pair, compare(pair.text, pair.other)) for pair in _pairs()]
    tuning = [(p, c) for p, c in measured if p.half == "tuning"]
    below = max(c.overlap for p, c in tuning if p.kind in ("partial", "distinct"))
    above = min(c.overlap for p, c in tuning if p.kind in ("copy", "embedded"))
    assert below < COPY_AT < above
    blind = [(p, c) for p, c in measured if p.half == "blind"]
    assert len(blind) > len(tuning) / 2
    for pair, found in blind:
        assert found.whole == (pair.kind in ("copy", "embedded")), (pair.name, found.overlap)
    # A pasted paragraph of 40+ words is found as a run, though the texts are not copies of each other.
    for pair, found in measured:
        if pair.kind == "partial" and found.run_words >= RUN_WORDS:
            assert found.found and not found.whole


def test_source_add_warns_about_a_copy_and_the_check_counts_one_origin(cli, tmp_path: Path) -> None:
    for name in ("Harbor Wire", "Port Selden Daily", "Port Selden Council"):
        cli.ok("entity", "add", name)
    wire = DATA / "wire.txt"
    cli.ok(
        "source",
        "add",
        str(wire),
        "--key",
        "wire-1",
        "--publisher",
        "Harbor Wire",
        "--published",
        "2020-03-04",
    )
    copy = tmp_path / "daily.txt"
    copy.write_text("Port Selden Daily\n\n" + wire.read_text(encoding="utf-8"), encoding="utf-8")
    added = cli.ok(
        "source",
        "add",
        str(copy),
        "--key",
        "daily-2",
        "--publisher",
        "Port Selden Daily",
        "--published",
        "2020-03-05",
    )
    assert (
        "repeats 100% of 'wire-1': counted as one origin with it; "
        "`claimtrack source link daily-2 --distinct wire-1` if they are independent"
    ) in " ".join(added.stderr.split())
    pairs = cli.json("source", "similar", "daily-2")
    assert pairs == [
        {
            "source": "daily-2",
            "repeats": "wire-1",
            "overlap": 1.0,
            "percent": 100,
            "copy": True,
            "runs": 1,
            "distinct": False,
        }
    ]
    claim = cli.ok(
        "claim", "add", "Eleven people were killed", "--by", "Port Selden Council", "--source", "wire-1",
        "--passage", "Eleven people were killed", "--value", "11", "--counted", "deaths",
    ).stdout.strip()  # fmt: skip
    cli.ok("claim", "cite", claim, "daily-2", "--stance", "reports", "--passage", "Eleven people were killed")
    verdict = cli.json("check", "--claim", claim, "--all")["claims"][0]
    assert verdict["independent_origins"] == 1
    assert "'daily-2' repeats 100% of the text of 'wire-1': one origin" in verdict["reasons"]
    assert verdict["origins"][0]["roots"] == ["wire-1"]
    # The researcher knows better: they are independent reports.
    cli.ok("source", "link", "daily-2", "--distinct", "wire-1")
    verdict = cli.json("check", "--claim", claim, "--all")["claims"][0]
    assert verdict["independent_origins"] == 2
    assert cli.json("source", "similar")[0]["distinct"] is True


def test_an_outlets_own_paragraph_beside_a_pasted_wire_story_is_its_own(cli, tmp_path: Path) -> None:
    for name in ("Harbor Wire", "Port Selden Daily", "Veloria Transport Ministry"):
        cli.ok("entity", "add", name)
    cli.ok("source", "add", str(DATA / "wire.txt"), "--key", "wire-1", "--publisher", "Harbor Wire")
    own = "The transport minister told this newspaper on Wednesday evening that twelve people had died."
    longer = tmp_path / "daily.txt"
    longer.write_text((DATA / "wire.txt").read_text(encoding="utf-8") + "\n\n" + own, encoding="utf-8")
    cli.ok("source", "add", str(longer), "--key", "daily-1", "--publisher", "Port Selden Daily")
    claim = cli.ok(
        "claim", "add", "Twelve people died", "--by", "Veloria Transport Ministry", "--source", "daily-1",
        "--stance", "reports", "--passage", "twelve people had died", "--value", "12",
    ).stdout.strip()  # fmt: skip
    verdict = cli.json("check", "--claim", claim, "--all")["claims"][0]
    assert verdict["origins"][0]["roots"] == ["daily-1"]
    assert verdict["independent_origins"] == 1


def test_similar_finds_copies_among_sources_stored_without_a_fingerprint(cli, ledger) -> None:
    from sqlalchemy import delete

    from claimtrack.models import SourceCopy, SourceFingerprint
    from claimtrack.sources import add_source

    text = (DATA / "ngo.txt").read_text(encoding="utf-8")
    with ledger.session(write=True) as db:
        add_source(db, key="ngo-1", text=text)
        add_source(db, key="ngo-2", text="Harbour Safety Watch note.\n\n" + text)
        add_source(db, key="blog-1", text=(DATA / "blog.txt").read_text(encoding="utf-8"))
        # As a database upgraded from schema 0005 holds them: texts, and neither fingerprints nor copies.
        db.execute(delete(SourceCopy))
        db.execute(delete(SourceFingerprint))
    assert cli.json("source", "similar", "ngo-1") == []
    rows = cli.json("source", "similar")
    assert [(row["source"], row["repeats"], row["copy"]) for row in rows] == [("ngo-2", "ngo-1", True)]
    # Found once, recorded once: a second sweep adds nothing.
    assert cli.json("source", "similar") == rows


def test_similar_on_an_unknown_source_is_a_clean_error(cli) -> None:
    result = cli("source", "similar", "nowhere-1")
    assert result.exit_code == 1
    assert "nowhere-1" in result.stderr


@pytest.mark.parametrize("kind", ["copy", "embedded"])
def test_the_copies_of_the_test_set_are_found_through_the_fingerprint_index(cli, ledger, kind: str) -> None:
    from claimtrack.copies import pairs_of
    from claimtrack.sources import add_source

    pairs = [pair for pair in _pairs() if pair.kind == kind]
    with ledger.session(write=True) as db:
        for number, pair in enumerate(pairs):
            add_source(db, key=f"original-{number}", text=pair.other)
        for number, pair in enumerate(pairs):
            copy = add_source(db, key=f"copy-{number}", text=pair.text)
            found = pairs_of(db, copy)
            # Its original is found (and any earlier text that holds the same words: the test set reuses them).
            assert f"original-{number}" in [f.other.key for f in found if f.overlap >= COPY_AT], pair.name
