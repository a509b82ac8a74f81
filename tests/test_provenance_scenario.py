"""A death toll reported by many outlets, logged the way a careful researcher would, and every verdict checked.

The event and every name are fictional (the Harrow Street footbridge collapse in Port Selden, Veloria). What
the case holds, each with the verdict the revised rule must give (docs/DESIGN.md, "The independence rule"):

- Harbor Wire reports the officials' figure (11) from its own sources. Three outlets take that figure from the
  wire (via), and each also reports, on its own account, the minister's figure (10).
- The Veloria State Broadcaster passes the wire's report on (via): the wire's report stays independent.
- The same wire text is stored a second time under another key: it is a copy, one origin with the first.
- Civic Renewal's figure (14), a week earlier, is carried by its own outlet and repeated by its ally; the
  Interior Ministry denies it.
- Harbour Safety Watch first estimated 10, then raised its count to 12; the wire took the 12 from the NGO.
- A blog with no publisher and no author repeats the officials' figure; one passage logged for the reopening
  date is not in its source's text.
- The wire cites the NGO somewhere (a source-level link): that decides nothing for the officials' figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from claimtrack.claims import add_claim, counter, find_claim, relate
from claimtrack.corrections import cite
from claimtrack.db import Ledger
from claimtrack.entities import add_entity, affiliate
from claimtrack.independence import check, check_all
from claimtrack.sources import add_source, link_sources

DATA = Path(__file__).resolve().parent / "data" / "copies"
MEASURE = "Harrow Street collapse: deaths"


@pytest.fixture
def case(ledger: Ledger) -> Iterator[tuple[Session, dict[str, str]]]:
    with ledger.session(write=True) as db:
        for name, kind in [
            ("Harbor Wire", "media"),
            ("Port Selden Daily", "media"),
            ("Coastal Herald", "media"),
            ("Northern Ledger", "media"),
            ("Veloria State Broadcaster", "media"),
            ("Government of Veloria", "government"),
            ("Veloria Interior Ministry", "government"),
            ("Casimir Duval", "person"),
            ("Civic Renewal", "organization"),
            ("Renewal Voice", "media"),
            ("Free Harbour Party", "organization"),
            ("Harbour Safety Watch", "organization"),
            ("City of Port Selden", "government"),
        ]:
            add_entity(db, name, kind=kind)
        affiliate(db, "Veloria Interior Ministry", "Government of Veloria", kind="part-of")
        affiliate(db, "Casimir Duval", "Government of Veloria", kind="member-of")
        affiliate(db, "Veloria State Broadcaster", "Government of Veloria", kind="state-media-of")
        affiliate(db, "Renewal Voice", "Civic Renewal", kind="controlled-by")
        affiliate(db, "Free Harbour Party", "Civic Renewal", kind="allied-with")
        wire_text = (DATA / "wire.txt").read_text(encoding="utf-8")
        sources = [
            ("wire-1", "Harbor Wire", "2020-03-04", wire_text),
            ("wire-1-again", "Harbor Wire", "2020-03-04", wire_text),  # the same file, stored twice
            ("daily-2", "Port Selden Daily", "2020-03-05", None),
            ("herald-2", "Coastal Herald", "2020-03-05", None),
            ("ledger-2", "Northern Ledger", "2020-03-05", None),
            ("state-1", "Veloria State Broadcaster", "2020-03-05", None),
            ("ministry-1", "Veloria Interior Ministry", "2020-03-04", None),
            ("ministry-2", "Veloria Interior Ministry", "2020-02-27", None),
            ("renewal-1", "Renewal Voice", "2020-02-25", None),
            ("fhp-1", "Free Harbour Party", "2020-02-26", None),
            ("ngo-1", "Harbour Safety Watch", "2020-03-04", None),
            ("ngo-2", "Harbour Safety Watch", "2020-03-06", None),
            ("herald-1", "Coastal Herald", "2020-03-05", (DATA / "herald.txt").read_text(encoding="utf-8")),
            ("blog-3", None, "2020-03-05", None),
        ]
        for key, publisher, published, text in sources:
            add_source(db, key=key, publisher=publisher, published=published, text=text)
        link_sources(db, "wire-1", "cites", "ngo-1")

        def figure(by: str, value: str, first: str, stance: str, **more: Any) -> str:
            return add_claim(
                db, f"{value} people died", by=by, value=value, counted="deaths", measure=MEASURE,
                source=first, stance=stance, **more,
            ).claim.key  # fmt: skip

        keys: dict[str, str] = {}
        keys["officials"] = figure(
            "Veloria Interior Ministry", "11", "wire-1", "reports", passage="Eleven people"
        )
        for outlet in ("daily-2", "herald-2", "ledger-2", "state-1"):
            cite(db, keys["officials"], outlet, stance="reports", via="wire-1")
        cite(db, keys["officials"], "wire-1-again", stance="reports", passage="Eleven people")
        cite(db, keys["officials"], "ministry-1", stance="asserts")
        cite(db, keys["officials"], "blog-3", stance="reports")

        keys["minister"] = figure("Casimir Duval", "10", "daily-2", "reports")
        for outlet in ("herald-2", "ledger-2", "state-1"):
            cite(db, keys["minister"], outlet, stance="reports")

        keys["opposition"] = figure("Civic Renewal", "14", "renewal-1", "asserts", said_on="2020-02-25")
        cite(db, keys["opposition"], "fhp-1", stance="reports")
        keys["denial"] = counter(
            db, keys["opposition"], "The ministry denies that fourteen people died", by="Veloria Interior Ministry",
            kind="denies", source="ministry-2",
        ).claim.key  # fmt: skip

        keys["ngo-first"] = figure("Harbour Safety Watch", "10", "ngo-1", "asserts")
        cite(db, keys["ngo-first"], "herald-2", stance="reports")
        keys["ngo-raised"] = figure("Harbour Safety Watch", "12", "ngo-2", "asserts")
        cite(db, keys["ngo-raised"], "wire-1", stance="reports", via="ngo-2")
        cite(db, keys["ngo-raised"], "daily-2", stance="reports")
        relate(db, keys["ngo-raised"], keys["ngo-first"], "corrects")

        keys["reopened"] = add_claim(
            db, "The bridge reopened on February 2", by="City of Port Selden", when="2020-02-02",
            source="wire-1", stance="reports", passage="It reopened on February 2",
        ).claim.key  # fmt: skip
        cite(
            db,
            keys["reopened"],
            "herald-1",
            stance="reports",
            passage="It reopened on February 2 after full repairs",
        )
        cite(db, keys["reopened"], "ledger-2", stance="reports")
        db.flush()
        yield db, keys


def verdicts(db: Session) -> dict[str, dict[str, Any]]:
    return {record["key"]: record for record in check(db, include_all=True).claims}


def test_every_verdict_and_reason(case: tuple[Session, dict[str, str]]) -> None:
    db, keys = case
    found = verdicts(db)

    officials = found[keys["officials"]]
    # The wire's own report: one independent origin, however many outlets passed it on, the state broadcaster
    # included; the ministry's own release is the claimant's.
    assert officials["independent_origins"] == 1
    assert officials["lacking"] is True
    assert [(o["claimant"], o["roots"]) for o in officials["origins"]] == [
        (False, ["wire-1"]),
        (True, ["ministry-1"]),
    ]
    wire_origin = {s["key"]: s for s in officials["origins"][0]["sources"]}
    assert set(wire_origin) == {"wire-1", "daily-2", "herald-2", "ledger-2", "state-1", "wire-1-again"}
    assert all(source["root"] == "wire-1" for source in wire_origin.values())
    reasons = officials["reasons"]
    assert reasons[0] == "7 sources in 2 origins, 1 independent of the claimant (needs 2)"
    for outlet in ("daily-2", "herald-2", "ledger-2", "state-1"):
        assert f"'{outlet}' took this from 'wire-1': one origin" in reasons
        assert wire_origin[outlet]["reason"] == f"'{outlet}' took this from 'wire-1': one origin"
    assert "'wire-1-again' repeats 100% of the text of 'wire-1': one origin" in reasons
    assert wire_origin["wire-1"]["reason"] == "'wire-1' reports it on its own account: counted"
    assert "'blog-3' has no known publisher or author: not counted" in reasons
    assert officials["not_counted"] == [
        {
            "key": "blog-3",
            "publisher": None,
            "root": "blog-3",
            "reason": "'blog-3' has no known publisher or author: not counted",
        }
    ]
    assert not any("ngo-1" in reason for reason in reasons)  # the wire's source-level cites decides nothing

    minister = found[keys["minister"]]
    # Each outlet reported the minister's words itself: three independent origins; the state broadcaster is the
    # government's own.
    assert minister["independent_origins"] == 3
    assert minister["lacking"] is False
    assert sorted(tuple(o["roots"]) for o in minister["origins"] if not o["claimant"]) == [
        ("daily-2",),
        ("herald-2",),
        ("ledger-2",),
    ]
    claimant_origin = next(o for o in minister["origins"] if o["claimant"])
    assert claimant_origin["roots"] == ["state-1"]
    assert (
        "'state-1' is published by Veloria State Broadcaster, state media of Government of Veloria, which has as "
        "member Casimir Duval, the claimant" in minister["reasons"]
    )

    opposition = found[keys["opposition"]]
    assert opposition["independent_origins"] == 0
    assert opposition["origins"][0]["roots"] == ["renewal-1", "fhp-1"]
    assert opposition["reasons"] == [
        "2 sources in 1 origin, 0 independent of the claimant (needs 2)",
        "'renewal-1' is published by Renewal Voice, controlled by Civic Renewal, the claimant",
        "'fhp-1' is published by Free Harbour Party, allied with Civic Renewal, which controls Renewal Voice, "
        "which also publishes 'renewal-1': one origin",
    ]
    denial = found[keys["denial"]]
    assert denial["independent_origins"] == 0
    # Denial and denied claim are judged alike: both contested, both from the claimant's own sources only.
    assert opposition["credibility"]["rating"] == denial["credibility"]["rating"] == 4
    assert f"denied by {keys['denial']}" in opposition["credibility"]["why"]
    assert f"denies {keys['opposition']}" in denial["credibility"]["why"]
    # Conflicting figures for one measure mark both sides contested.
    assert (
        f"figure {keys['opposition']} for the same measure does not overlap"
        in officials["credibility"]["why"]
    )
    assert (
        f"figure {keys['officials']} for the same measure does not overlap"
        in opposition["credibility"]["why"]
    )

    first, raised = found[keys["ngo-first"]], found[keys["ngo-raised"]]
    assert first["independent_origins"] == 1  # the herald reported the first estimate itself
    # The wire took the raised count from the NGO: that is the NGO's own origin, not a second one.
    assert raised["independent_origins"] == 1
    assert "'wire-1' took this from 'ngo-2': one origin" in raised["reasons"]
    ngo_origin = next(o for o in raised["origins"] if o["claimant"])
    assert ngo_origin["roots"] == ["ngo-2"]
    assert {s["key"] for s in ngo_origin["sources"]} == {"ngo-2", "wire-1"}

    reopened = found[keys["reopened"]]
    assert reopened["independent_origins"] == 2  # the wire and the ledger; the herald's passage is not found
    assert "the passage logged for 'herald-1' is not in its text: not counted" in reopened["reasons"]
    assert [entry["key"] for entry in reopened["not_counted"]] == ["herald-1"]
    assert reopened["lacking"] is False


def test_the_bulk_sweep_agrees_with_the_explanation(case: tuple[Session, dict[str, str]]) -> None:
    db, keys = case
    summary = check_all(db)
    counted = dict(summary.counts)
    for record in verdicts(db).values():
        claim = find_claim(db, record["key"])
        assert counted[claim.id] == record["independent_origins"], record["key"]
    assert {find_claim(db, keys[name]).id for name in ("officials", "opposition", "denial")} <= set(
        summary.lacking_ids
    )
