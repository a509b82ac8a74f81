"""The bundled sample investigation holds every kind of record docs/DESIGN.md names, and `make demo` shows it."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from claimtrack.claim_records import claim_record, list_claims
from claimtrack.claims import find_claim
from claimtrack.db import Ledger
from claimtrack.sample import DEATHS, DETAINED
from claimtrack.sources import find_source


def test_every_kind_of_claim_and_record(ledger: Ledger, sample: dict[str, str]) -> None:
    with ledger.session() as session:
        rows = list_claims(session)
        records = {label: claim_record(session, find_claim(session, key)) for label, key in sample.items()}
    assert Counter(row["kind"] for row in rows).keys() == {"quote", "figure", "event", "statement"}

    quote = records["quote"]
    stances = {(a["source"], a["publisher"], a["stance"]) for a in quote["appearances"]}
    # Reported by the speaker's adversary's outlet, and carried by the speaker's own state broadcaster.
    assert ("av-2020-01-10", "Amber Voice", "reports") in stances
    assert ("vsb-2020-01-09", "Veloria State Broadcaster", "asserts") in stances
    # A year-less date read against the article's date: 8 January 2020 was a Wednesday.
    assert quote["said_on"]["edtf"] == "2020-01-08"
    assert all(a["anchor"]["status"] in ("exact", "normalised") for a in quote["appearances"])

    detained = [r for r in records.values() if r["figure"] and r["figure"]["measure"] == DETAINED]
    assert {r["claimant"] for r in detained} == {
        "Amber Front",
        "Veloria Interior Ministry",
        "Coastal Rights Watch",
    }
    assert records["detained-af"]["figure"]["qualifier"] == "about"
    assert records["detained-crw"]["figure"]["low"] < records["detained-crw"]["figure"]["high"]
    deaths = [r for r in records.values() if r["figure"] and r["figure"]["measure"] == DEATHS]
    assert {r["figure"]["value"] for r in deaths} == {40, 2}

    assert records["denial"]["relations"][0]["kind"] == "denies"
    assert records["barred"]["when"]["precision"] == "decade"
    assert records["detained-af"]["status"] == "disputed"
    # Veloria Today reprints the wire's story, found as a copy; its 3,000 is the wire's report, not a new origin.
    detained_af = next(a for a in records["detained-af"]["appearances"] if a["source"] == "vt-2020-01-13")
    assert detained_af["via"] is None
    # It took the Front's 40 deaths from the Front's own site: a via, and still the Front's own origin.
    deaths_af = next(a for a in records["deaths-af"]["appearances"] if a["source"] == "vt-2020-01-13")
    assert deaths_af["via"] == "av-2020-01-10"
    # Every passage the sample logs is in its source's text.
    for record in records.values():
        for appearance in record["appearances"]:
            if appearance["passage"]:
                assert appearance["anchor"]["status"] in ("exact", "normalised"), (record["key"], appearance)


def test_the_via_and_the_copy_in_the_sample(ledger: Ledger, sample: dict[str, str]) -> None:
    from claimtrack.copies import similar
    from claimtrack.independence import check

    with ledger.session() as session:
        found = {record["key"]: record for record in check(session, include_all=True).claims}
        pairs = similar(session, find_source(session, "vt-2020-01-13"))
    # It repeats the wire, and the daily that republished the wire.
    assert sorted((p["source"], p["repeats"], p["copy"]) for p in pairs) == [
        ("vt-2020-01-13", "hw-2020-01-12", True),
        ("vt-2020-01-13", "psd-2020-01-12", True),
    ]
    detained = found[sample["detained-af"]]
    wire_origin = next(o for o in detained["origins"] if o["roots"] == ["hw-2020-01-12"])
    vt = next(s for s in wire_origin["sources"] if s["key"] == "vt-2020-01-13")
    assert vt["reason"].startswith("'vt-2020-01-13' repeats ")
    assert vt["reason"].endswith("% of the text of 'hw-2020-01-12': one origin")
    deaths = found[sample["deaths-af"]]
    assert deaths["independent_origins"] == 0
    assert "'vt-2020-01-13' took this from 'av-2020-01-10': one origin" in deaths["reasons"]
    assert [o["claimant"] for o in deaths["origins"]] == [True]


@pytest.mark.sqlite_only
def test_the_demo_loads_and_lists(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    loaded = subprocess.run(
        [sys.executable, "-m", "claimtrack.sample", str(db)], capture_output=True, text=True, timeout=120
    )
    assert loaded.returncode == 0, loaded.stderr
    listed = subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(db), "claim", "list"],
                            capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "Fewer than 400 persons were taken into custody" in listed.stdout
    again = subprocess.run(
        [sys.executable, "-m", "claimtrack.sample", str(db)], capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 1
    assert "already holds records" in again.stderr


def test_the_history_shows_the_record_corrected(ledger: Ledger, sample: dict[str, str]) -> None:
    """One edit and one merge, each one entry with its reason: what a researcher's history looks like."""
    from claimtrack.changelog import list_changes
    from claimtrack.entities import entity_record, find_entity

    with ledger.session() as session:
        entries = [entry for entry in list_changes(session, limit=1000) if entry["parts"]]
        crw = claim_record(session, find_claim(session, sample["detained-crw"]))
        wire = entity_record(session, find_entity(session, "Harbour Wire"))
        operation = claim_record(session, find_claim(session, sample["operation"]))
    assert [(entry["action"], entry["record"]) for entry in entries] == [
        ("merge", "entity 'Harbour Wire' into 'Harbor Wire'"),
        ("edit", f"claim {sample['detained-crw']}"),
    ]
    merge, edit = entries
    assert "British spelling" in merge["reason"] and "typing error" in edit["reason"]
    (figure,) = edit["parts"]
    assert [(f["field"], f["before"], f["after"]) for f in figure["fields"]] == [("figure_high", 1300, 1400)]
    assert crw["figure"]["high"] == 1400
    # The duplicate's name now finds the agency it duplicated, and its claim moved there.
    assert wire["name"] == "Harbor Wire" and "Harbour Wire" in wire["aliases"]
    assert operation["claimant"] == "Harbor Wire"
