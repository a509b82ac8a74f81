"""Claims of every kind, their appearances and passages, counter-statements, relations and status."""

from __future__ import annotations

import pytest

from claimtrack.claim_records import claim_record, list_claims
from claimtrack.claims import (
    add_claim,
    counter,
    find_claim,
    relate,
    set_status,
)
from claimtrack.db import Ledger
from claimtrack.entities import add_entity, affiliate
from claimtrack.errors import Ambiguous, Conflict, InvalidInput, NotFound
from claimtrack.filters import ClaimFilter
from claimtrack.sources import add_source

ARTICLE = (
    "On Wednesday, January 8, Interior Minister Ilan Verhoef told reporters: "
    "\u201cThe security operation will continue until every cell is dismantled.\u201d\n\n"
    "The Amber Front says about 3,000 of its members were detained.\n"
)


@pytest.fixture
def world(ledger: Ledger) -> Ledger:
    with ledger.session(write=True) as session:
        add_entity(session, "Amber Front", aliases=["AF"])
        add_entity(session, "Amber Voice", kind="media")
        add_entity(session, "Ilan Verhoef", kind="person")
        add_entity(session, "Veloria Interior Ministry", kind="government", aliases=["VIM"])
        add_entity(session, "Harbor Wire", kind="media")
        affiliate(session, "Amber Voice", "Amber Front", kind="part-of")
        add_source(session, key="av-1", publisher="Amber Voice", published="2020-01-10", text=ARTICLE)
        add_source(session, key="vim-1", publisher="VIM", published="2020-01-11", kind="press-release",
                   text="Fewer than 400 persons were taken into custody.")  # fmt: skip
        add_source(session, key="hw-1", publisher="Harbor Wire", published="2020-01-12")
    return ledger


def test_a_quote_with_a_year_less_date_read_against_its_source(world: Ledger) -> None:
    with world.session(write=True) as session:
        logged = add_claim(
            session,
            "The minister said the operation would go on",
            by="Ilan Verhoef",
            quote="The security operation will continue until every cell is dismantled.",
            said_on="Wednesday, January 8",
            source="av-1",
        )
        record = claim_record(session, logged.claim)
    assert record["kind"] == "quote"
    # 8 January 2020 was a Wednesday, and the article is of 10 January 2020.
    assert record["said_on"]["edtf"] == "2020-01-08"
    assert any("2020" in warning for warning in logged.warnings)
    (appearance,) = record["appearances"]
    # Not the claimant's outlet, so the source reports the quote; the quote's words were anchored with
    # the document's own curly quotes left outside the span.
    assert appearance["stance"] == "reports"
    assert appearance["passage"] == "The security operation will continue until every cell is dismantled."
    assert appearance["anchor"]["status"] == "exact"
    assert ARTICLE[appearance["anchor"]["start"] : appearance["anchor"]["end"]] == appearance["passage"]


def test_figures_single_range_and_qualified(world: Ledger) -> None:
    with world.session(write=True) as session:
        single = add_claim(session, "About 3,000 members were detained", by="AF", value="3,000",
                           qualifier="about", counted="members detained", measure="Port Selden detentions")  # fmt: skip
        ranged = add_claim(session, "Between 1,100 and 1,400 detained", by="Harbor Wire", low="1,100",
                           high="1.4k", counted="people detained", measure="port selden DETENTIONS")  # fmt: skip
        single_record = claim_record(session, single.claim)
        ranged_record = claim_record(session, ranged.claim)
    assert single_record["figure"]["text"] == "about 3,000 members detained"
    assert (single_record["figure"]["low"], single_record["figure"]["high"]) == (3000, 3000)
    assert ranged_record["figure"]["text"] == "1,100-1,400 people detained"
    # Both figures answer the same measure, however its name was typed.
    assert (
        single_record["figure"]["measure"] == ranged_record["figure"]["measure"] == "Port Selden detentions"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"low": "5", "high": "2"}, "the range is inverted"),
        ({"value": "3", "low": "1", "high": "4"}, "either --value or --low and --high"),
        ({"low": "1"}, "needs both --low and --high"),
        ({"value": "lots"}, "is not a number"),
        ({"value": "3", "qualifier": "rather"}, "unknown qualifier 'rather'"),
    ],
)
def test_bad_figures_are_refused(world: Ledger, options: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message), world.session(write=True) as session:
        add_claim(session, "A figure", by="AF", kind="figure", **options)


def test_passages_are_anchored_loosely_or_flagged(world: Ledger) -> None:
    with world.session(write=True) as session:
        loose = add_claim(session, "Detained", by="AF", source="av-1",
                          passage="the amber front says about 3,000 of its   members were detained")  # fmt: skip
        missing = add_claim(session, "Detained", by="AF", source="av-1",
                            passage="The Amber Front says about 4,000 of its members were detained.")  # fmt: skip
        assert loose.appearance is not None and loose.appearance.anchor_status == "normalised"
        assert ARTICLE[loose.appearance.anchor_start : loose.appearance.anchor_end] == (
            "The Amber Front says about 3,000 of its members were detained"
        )
        assert missing.appearance is not None and missing.appearance.anchor_status == "not-found"
        assert missing.appearance.passage == "The Amber Front says about 4,000 of its members were detained."
        assert any("passage not found" in w and "3,000" in w for w in missing.warnings)


def test_counter_statement_and_relations_both_ways(world: Ledger) -> None:
    with world.session(write=True) as session:
        original = add_claim(session, "Detainees were tortured", by="AF", source="av-1").claim
        denial = counter(session, original.key, "Allegations of torture are unfounded", by="VIM", kind="denies",
                         source="vim-1").claim  # fmt: skip
        figure = add_claim(
            session, "Fewer than 400 detained", by="VIM", value="400", qualifier="fewer-than"
        ).claim
        relate(session, figure.key, original.key, "contradicts")
        original_record = claim_record(session, original)
        denial_record = claim_record(session, denial)
    assert denial_record["claimant"] == "Veloria Interior Ministry"
    assert denial_record["relations"] == [
        {"direction": "outgoing", "kind": "denies",
         "claim": {"key": original.key, "claimant": "Amber Front", "text": "Detainees were tortured"}}
    ]  # fmt: skip
    assert [(r["direction"], r["kind"], r["claim"]["key"]) for r in original_record["relations"]] == [
        ("incoming", "denied by", denial.key),
        ("incoming", "contradicted by", figure.key),
    ]
    with (
        pytest.raises(InvalidInput, match="a counter-statement supports nothing"),
        world.session(write=True) as session,
    ):
        counter(session, original.key, "Yes", by="AF", kind="supports")
    with pytest.raises(Conflict), world.session(write=True) as session:
        relate(session, figure.key, original.key, "contradicts")


def test_status_changes_keep_their_reasons(world: Ledger) -> None:
    with world.session(write=True) as session:
        key = add_claim(session, "A claim", by="AF").claim.key
        set_status(session, key, "disputed", "the ministry denies it")
        set_status(session, key, "retracted", "the Front withdrew it on 2020-02-01")
    with world.session() as session:
        history = claim_record(session, find_claim(session, key))["status_history"]
    assert [(h["from"], h["to"], h["reason"], h["by"]) for h in history] == [
        (None, "unverified", "logged", "tester"),
        ("unverified", "disputed", "the ministry denies it", "tester"),
        ("disputed", "retracted", "the Front withdrew it on 2020-02-01", "tester"),
    ]
    with pytest.raises(InvalidInput, match="needs a reason"), world.session(write=True) as session:
        set_status(session, key, "refuted", "  ")


def test_claims_are_found_by_unique_prefix(world: Ledger) -> None:
    with world.session(write=True) as session:
        keys = [add_claim(session, f"Claim {i}", by="AF").claim.key for i in range(3)]
    with world.session() as session:
        assert find_claim(session, keys[0]).key == keys[0]
        assert find_claim(session, keys[0][:5].upper()).key == keys[0]
        with pytest.raises(NotFound):
            find_claim(session, "zzzzzzz")
    with world.session(write=True) as session:
        twin = add_claim(session, "Twin", by="AF").claim
        twin.key = keys[0][:4] + "x" * (len(keys[0]) - 4)
        other = add_claim(session, "Twin 2", by="AF").claim
        other.key = keys[0][:4] + "y" * (len(keys[0]) - 4)
    with world.session() as session, pytest.raises(Ambiguous):
        find_claim(session, keys[0][:4])


def test_filters(world: Ledger) -> None:
    with world.session(write=True) as session:
        a = add_claim(session, "Operation began", by="Harbor Wire", when="January 8, 2020", source="hw-1",
                      tags=["Port-Selden"]).claim.key  # fmt: skip
        b = add_claim(session, "Barred since the 1980s", by="AF", when="the 1980s", about=["VIM"]).claim.key
        c = add_claim(
            session, "3,000 detained", by="AF", value="3000", source="av-1", said_on="2020-01-10"
        ).claim.key
        add_claim(session, "Undated", by="VIM")
        set_status(session, c, "disputed", "contradicted")

    def keys(**kwargs: object) -> list[str]:
        with world.session() as session:
            return [row["key"] for row in list_claims(session, ClaimFilter(**kwargs))]  # type: ignore[arg-type]

    assert keys(by=["AF"]) == [b, c]
    assert keys(kinds=["figure"]) == [c]
    assert keys(tags=["port-selden"]) == [a]
    assert keys(about=["Veloria Interior Ministry"]) == [b]
    assert keys(sources=["av-1", "hw-1"]) == [a, c]
    assert keys(statuses=["disputed"]) == [c]
    assert keys(date_from="2020-01-09") == [c]
    assert keys(date_to="1990") == [b]
    assert keys(date_from="1985", date_to="2020-01-08") == [b, a]
    assert keys(by=["AF"], kinds=["event"]) == [b]


def test_claim_commands_and_their_json_match_the_api(world: Ledger, cli) -> None:
    key = cli.ok(
        "claim", "add", "About 3,000 members were detained", "--by", "AF", "--source", "av-1",
        "--passage", "about 3,000 of its members were detained", "--locator", "para. 2",
        "--value", "3,000", "--qualifier", "about", "--counted", "members detained",
        "--measure", "Port Selden detentions", "--tag", "port-selden", "--when", "January 2020",
    ).stdout.strip()  # fmt: skip
    cli.ok("claim", "cite", key, "hw-1", "--stance", "reports", "--locator", "para. 3")
    denial = cli.ok("claim", "counter", key, "Fewer than 400 were detained", "--by", "VIM", "--as", "contradicts",
                    "--source", "vim-1", "--passage", "Fewer than 400 persons").stdout.strip()  # fmt: skip
    cli.ok("claim", "status", key, "disputed", "--reason", f"contradicted by {denial}")
    with world.session() as session:
        assert cli.json("claim", "show", key) == claim_record(session, find_claim(session, key))
        assert cli.json("claim", "list") == list_claims(session)
        assert cli.json("claim", "list", "--by", "AF", "--kind", "figure") == list_claims(
            session, ClaimFilter(by=["AF"], kinds=["figure"])
        )
    shown = cli.ok("claim", "show", key).stdout
    for expected in (
        "about 3,000 members detained",
        "para. 2",
        "hw-1",
        "contradicted by",
        "disputed",
        "January 2020",
    ):
        assert expected in shown
    listing = cli.ok("claim", "list", "--limit", "1").stdout
    assert key in listing and denial not in listing
