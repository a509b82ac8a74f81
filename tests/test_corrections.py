"""Correcting the record: edits with a reason, withdrawals, tags after the fact, merges, unnamed claimants,
hedges, figures over time, and a log that reads on its own. Every command through the CLI, as a researcher
types it; bad input leaves the database exactly as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from claimtrack.db import Ledger

DETAINED = "Harbour district operation: people detained"


@pytest.fixture
def world(cli):
    """Two parties, an outlet of one, an independent wire, and a figure from each side."""
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Amber Voice", "--kind", "media")
    cli.ok("entity", "affiliate", "Amber Voice", "Amber Front", "--as", "part-of", "--since", "2012")
    cli.ok("entity", "add", "Veloria Interior Ministry", "--kind", "government", "--alias", "VIM")
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("entity", "add", "Port Selden Daily", "--kind", "media")
    cli.ok("source", "add", "-", "--key", "av-1", "--publisher", "Amber Voice", "--published", "2020-01-10",
           input="The Front says about 3,000 people were detained in the harbour district.")  # fmt: skip
    cli.ok("source", "add", "-", "--key", "hw-1", "--publisher", "Harbor Wire", "--published", "2020-01-12",
           input="The Amber Front said some 3,000 people were detained; the ministry said 208.")  # fmt: skip
    cli.ok("source", "add", "-", "--key", "psd-1", "--published", "2020-01-12",
           input="Officials said 208 were held, later 304.")  # fmt: skip
    front = cli.ok("claim", "add", "About 3,000 people were detained", "--by", "AF", "--source", "av-1",
                   "--passage", "about 3,000 people were detained", "--value", "3000", "--qualifier", "about",
                   "--counted", "people", "--measure", DETAINED, "--said-on", "2020-01-10").stdout.strip()  # fmt: skip
    cli.ok("claim", "cite", front, "hw-1", "--passage", "some 3,000 people were detained")
    ministry = cli.ok("claim", "add", "208 people were detained", "--by", "VIM", "--source", "hw-1",
                      "--passage", "the ministry said 208", "--value", "208", "--counted", "people",
                      "--measure", DETAINED, "--said-on", "2020-01-12").stdout.strip()  # fmt: skip
    return {"front": front, "ministry": ministry}


def fails(cli, snapshot, args: list[str], message: str) -> None:
    """The command fails with one line naming the problem, and nothing is written."""
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert snapshot() == before


def latest_entry(cli) -> dict[str, Any]:
    return cli.json("log", "--limit", "1")[0]


# ---- claim edit --------------------------------------------------------------------------------------------


def test_a_claim_edit_keeps_before_after_and_reason_and_the_search_follows(cli, world) -> None:
    key = world["ministry"]
    result = cli.ok("claim", "edit", key, "--text", "Two hundred and eight were held", "--value", "218",
                    "--said-on", "2020-01-11", "--reason", "the wire's second edition corrects the figure")  # fmt: skip
    assert "figure: '208' → '218'" in result.stderr
    assert "said on: '2020-01-12' → '2020-01-11'" in result.stderr
    shown = cli.json("claim", "show", key)
    assert (shown["text"], shown["figure"]["value"], shown["said_on"]["edtf"]) == (
        "Two hundred and eight were held", 218, "2020-01-11",
    )  # fmt: skip
    entry = latest_entry(cli)
    assert (entry["action"], entry["record"]) == ("edit", f"claim {key}")
    assert entry["reason"] == "the wire's second edition corrects the figure"
    (part,) = entry["parts"]
    assert part["record"] == f"claim {key}" and part["reason"] == entry["reason"]
    changed = {field["field"]: (field["before"], field["after"]) for field in part["fields"]}
    assert changed["text"] == ("208 people were detained", "Two hundred and eight were held")
    assert changed["figure_value"] == (208, 218)
    assert changed["said_edtf"] == ("2020-01-12", "2020-01-11")
    # The table shows the entry whole: its reason and each field as before → after.
    table = cli.ok("log", "--limit", "1").stdout
    assert "reason: the wire's second edition corrects the figure" in table
    assert "text: '208 people were detained' → 'Two hundred and eight were held'" in table
    # The search index follows at once: the new words are found, the old ones no longer.
    assert [hit["claim"] for hit in cli.json("search", "hundred")] == [key]
    assert all(hit["claim"] != key or hit["kind"] != "claim" for hit in cli.json("search", "208"))


def test_claimant_and_subjects_are_edited_by_name(cli, world) -> None:
    key = world["front"]
    cli.ok("claim", "edit", key, "--about", "VIM", "--reason", "it is about the ministry's operation")
    assert cli.json("claim", "show", key)["about"] == ["Veloria Interior Ministry"]
    result = cli.ok(
        "claim", "edit", key, "--by", "Amber Voice", "--no-about", "VIM", "--reason", "the outlet's own words"
    )
    assert "by: 'Amber Front' → 'Amber Voice'" in result.stderr
    shown = cli.json("claim", "show", key)
    assert (shown["claimant"], shown["about"]) == ("Amber Voice", [])
    fields = {f["field"]: (f["before"], f["after"]) for f in latest_entry(cli)["parts"][0]["fields"]}
    # References are named, never row ids.
    assert fields["claimant"] == ("Amber Front", "Amber Voice")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--low", "5000", "--reason", "r"], "the range would be inverted: low 5,000 is above high 3,000"),
        (["--value", "3,000", "--reason", "r"], "nothing to change: claim {front} already reads so"),
        (["--text", "x", "--reason", "  "], "a correction needs a reason"),
        (["--quote", "words", "--reason", "r"], "apply to quotes, not to a figure"),
        (["--qualifier", "rather", "--reason", "r"], "unknown qualifier 'rather'"),
        (["--when", "February 30, 2020", "--reason", "r"], "February 30, 2020"),
        (["--no-about", "VIM", "--reason", "r"], "is not about 'Veloria Interior Ministry'"),
    ],
)
def test_bad_claim_edits_change_nothing(cli, snapshot, world, args: list[str], message: str) -> None:
    fails(cli, snapshot, ["claim", "edit", world["front"], *args], message.format(**world))


def test_an_edit_without_a_reason_is_a_usage_error(cli, world) -> None:
    result = cli("claim", "edit", world["front"], "--text", "x")
    assert result.exit_code == 2 and "--reason" in result.stderr


# ---- appearances -------------------------------------------------------------------------------------------


def test_citing_again_corrects_the_appearance_and_says_what_changes(cli, world) -> None:
    key = world["front"]
    result = cli.ok("claim", "cite", key, "hw-1", "--passage", "the ministry said 208", "--locator", "para. 1",
                    "--note", "second edition", "--reason", "the passage was the ministry's")  # fmt: skip
    assert "passage: 'some 3,000 people were detained' → 'the ministry said 208'" in result.stderr
    assert "locator: none → 'para. 1'" in result.stderr
    assert "corrected the appearance" in result.stderr
    appearances = cli.json("claim", "show", key)["appearances"]
    assert [a["source"] for a in appearances] == ["av-1", "hw-1"]  # corrected, not added
    wire = appearances[1]
    assert (wire["passage"], wire["locator"], wire["note"], wire["stance"]) == (
        "the ministry said 208", "para. 1", "second edition", "reports",
    )  # fmt: skip
    # Re-anchored in the stored text.
    assert wire["anchor"]["status"] == "exact"
    entry = latest_entry(cli)
    assert (entry["action"], entry["record"], entry["reason"]) == (
        "edit", f"appearance of claim {key} in hw-1", "the passage was the ministry's",
    )  # fmt: skip
    # Nothing new: one line, nothing written.
    result = cli("claim", "cite", key, "hw-1", "--locator", "para. 1")
    assert result.exit_code == 1 and "nothing to change" in result.stderr


def test_cite_defaults_the_stance_as_claim_add_does(cli, world) -> None:
    cli.ok("source", "add", "-", "--key", "af-1", "--publisher", "AF", input="About 3,000 were detained.")
    cli.ok("claim", "cite", world["front"], "af-1")
    cli.ok("claim", "cite", world["front"], "psd-1", "--note", "a local paper")
    stances = {
        a["source"]: (a["stance"], a["note"])
        for a in cli.json("claim", "show", world["front"])["appearances"]
    }
    assert stances["af-1"] == ("asserts", None)
    assert stances["psd-1"] == ("reports", "a local paper")


def test_an_appearance_withdrawn_is_kept_shown_and_counts_in_no_verdict(cli, world, ledger: Ledger) -> None:
    key = world["ministry"]
    cli.ok("check")  # stores every claim's count
    assert cli.json("claim", "show", key)["sourcing"]["independent_origins"] == 1
    cli.ok("claim", "uncite", key, "hw-1", "--reason", "the wire quotes another ministry")
    assert latest_entry(cli)["action"] == "withdraw"
    shown = cli.json("claim", "show", key)
    (appearance,) = shown["appearances"]
    assert appearance["withdrawn"]["reason"] == "the wire quotes another ministry"
    assert shown["sourcing"]["independent_origins"] == 0
    assert "WITHDRAWN: the wire quotes another ministry" in cli.ok("claim", "show", key).stdout
    (row,) = [r for r in cli.json("claim", "list") if r["key"] == key]
    assert row["sources"] == 0
    (listed,) = [a for a in cli.json("source", "show", "hw-1")["appearances"] if a["claim"] == key]
    assert listed["withdrawn"] == "the wire quotes another ministry"
    # Not an appearance of the claim any more in a ClaimReview export (made for claims with a verdict).
    cli.ok("claim", "status", key, "disputed", "--reason", "the Front gives 3,000")
    cli.ok("config", "set", "publisher-name", "Coastal Fact Desk")
    cli.ok("config", "set", "publisher-url", "https://factdesk.example.org")
    cli.ok("config", "set", "review-url", "https://factdesk.example.org/checks/{key}")
    reviews = {r["url"]: r for r in json.loads(cli.ok("export", "--format", "claimreview").stdout)}
    assert "appearance" not in reviews[f"https://factdesk.example.org/checks/{key}"]["itemReviewed"]
    # The stored verdict followed at once.
    with ledger.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT independent_origins FROM claim_overview WHERE key = :key"), {"key": key}
        ).scalar()
    assert stored == 0


def test_withdrawing_what_is_not_there_fails(cli, snapshot, world) -> None:
    fails(
        cli,
        snapshot,
        ["claim", "uncite", world["ministry"], "av-1", "--reason", "r"],
        "has no appearance in 'av-1'",
    )


# ---- sources, entities, ties -------------------------------------------------------------------------------


def test_a_source_edit_changes_the_verdicts_it_carries(cli, world, ledger: Ledger) -> None:
    key = world["front"]
    cli.ok("check")
    assert cli.json("claim", "show", key)["sourcing"]["independent_origins"] == 1
    result = cli.ok("source", "edit", "hw-1", "--publisher", "Amber Voice", "--title", "Wire copy",
                    "--reason", "the byline is the Front's outlet")  # fmt: skip
    assert "publisher: 'Harbor Wire' → 'Amber Voice'" in result.stderr
    assert cli.json("claim", "show", key)["sourcing"]["independent_origins"] == 0
    with ledger.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT independent_origins FROM claim_overview WHERE key = :key"), {"key": key}
        ).scalar()
    assert stored == 0
    shown = cli.json("source", "show", "hw-1")
    assert (shown["title"], shown["publisher"]) == ("Wire copy", "Amber Voice")
    entry = latest_entry(cli)
    assert (entry["record"], entry["reason"]) == ("source hw-1", "the byline is the Front's outlet")
    assert {"field": "publisher", "before": "Harbor Wire", "after": "Amber Voice"} in entry["parts"][0][
        "fields"
    ]


def test_source_authors_come_and_go(cli, snapshot, world) -> None:
    cli.ok("source", "edit", "psd-1", "--author", "Port Selden Daily", "--reason", "the byline")
    assert cli.json("source", "show", "psd-1")["authors"] == ["Port Selden Daily"]
    cli.ok("source", "edit", "psd-1", "--no-author", "Port Selden Daily", "--reason", "an agency piece")
    assert cli.json("source", "show", "psd-1")["authors"] == []
    fails(
        cli,
        snapshot,
        ["source", "edit", "psd-1", "--no-author", "Harbor Wire", "--reason", "r"],
        "is not an author",
    )
    fails(
        cli,
        snapshot,
        ["source", "edit", "psd-1", "--published", "2020-01-12", "--reason", "r"],
        "nothing to change",
    )


def test_an_entity_renamed_keeps_its_old_name_as_an_alias(cli, snapshot, world) -> None:
    result = cli.ok("entity", "edit", "Harbor Wire", "--name", "Harbour Wire Agency", "--description",
                    "A news agency.", "--reason", "its registered name")  # fmt: skip
    assert "name: 'Harbor Wire' → 'Harbour Wire Agency'" in result.stderr
    shown = cli.json("entity", "show", "Harbor Wire")
    assert (shown["name"], shown["aliases"], shown["description"]) == (
        "Harbour Wire Agency", ["Harbor Wire"], "A news agency.",
    )  # fmt: skip
    cli.ok(
        "entity", "edit", "Harbour Wire Agency", "--remove-alias", "Harbor Wire", "--reason", "never its name"
    )
    assert cli.json("entity", "show", "Harbour Wire Agency")["aliases"] == []
    fails(
        cli,
        snapshot,
        ["entity", "edit", "AF", "--remove-alias", "Amber Front", "--reason", "r"],
        "rename it with --name first",
    )
    fails(
        cli,
        snapshot,
        ["entity", "edit", "AF", "--kind", "organization", "--reason", "r"],
        "nothing to change",
    )


def stored_count(ledger: Ledger, key: str) -> Any:
    with ledger.engine.connect() as conn:
        return conn.execute(
            text("SELECT independent_origins FROM claim_overview WHERE key = :key"), {"key": key}
        ).scalar()


def test_a_tie_is_ended_or_withdrawn_and_verdicts_follow(cli, snapshot, world, ledger: Ledger) -> None:
    key = world["front"]
    cli.ok("entity", "affiliate", "Harbor Wire", "Amber Front", "--as", "funded-by", "--since", "2015")
    assert cli.json("claim", "show", key)["sourcing"]["independent_origins"] == 0
    cli.ok("check")
    assert stored_count(ledger, key) == 0
    result = cli.ok(
        "entity", "affiliate", "Harbor Wire", "Amber Front", "--as", "funded-by", "--until", "2019"
    )
    assert "ended" in result.stderr and "until: none → '2019'" in result.stderr
    (tie,) = [
        t for t in cli.json("entity", "show", "Harbor Wire")["affiliations"] if t["kind"] == "funded-by"
    ]
    assert (tie["since"], tie["until"]) == ("2015", "2019")
    # The wire's story of 2020 is independent again: the tie had ended. The stored verdict follows too.
    assert cli.json("claim", "show", key)["sourcing"]["independent_origins"] == 1
    assert stored_count(ledger, key) == 1
    fails(
        cli,
        snapshot,
        ["entity", "untie", "Harbor Wire", "Amber Front", "--as", "leads", "--reason", "r"],
        "no tie",
    )
    cli.ok(
        "entity",
        "untie",
        "Amber Voice",
        "Amber Front",
        "--as",
        "part-of",
        "--reason",
        "confused with another site",
    )
    assert cli.json("entity", "show", "Amber Voice")["affiliations"] == []
    entry = latest_entry(cli)
    assert (entry["action"], entry["record"]) == ("withdraw", "tie Amber Voice part-of Amber Front")
    (part,) = entry["parts"]
    assert part["action"] == "delete" and part["before"]["since_edtf"] == "2012"  # kept whole in the history


# ---- tags --------------------------------------------------------------------------------------------------


def test_tags_after_the_fact_and_a_mistyped_tag_filter(cli, snapshot, world) -> None:
    key = world["front"]
    cli.ok("claim", "tag", key, "detentions", "Harbour")
    assert cli.json("claim", "show", key)["tags"] == ["detentions", "harbour"]
    assert [row["key"] for row in cli.json("claim", "list", "--tag", "detentions")] == [key]
    cli.ok("claim", "tag", key, "harbour", "--remove")
    assert cli.json("claim", "show", key)["tags"] == ["detentions"]
    fails(
        cli,
        snapshot,
        ["claim", "list", "--tag", "detentoins"],
        "no tag named 'detentoins'; closest: 'detentions'",
    )
    fails(cli, snapshot, ["claim", "tag", key, "harbour", "--remove"], "has no tag 'harbour'")
    fails(cli, snapshot, ["claim", "tag", key, "detentions"], "nothing to change")
    # The log names the tag and the claim, not row ids.
    records = [row["record"] for row in cli.json("log", "--claim", key)]
    assert f"tag harbour on claim {key}" in records


# ---- merges ------------------------------------------------------------------------------------------------


def test_an_entity_merge_moves_everything_in_one_entry(cli, snapshot, world) -> None:
    cli.ok("entity", "add", "Amber Front Movement", "--alias", "AFM")
    cli.ok("entity", "grade", "AFM", "D", "--note", "party outlet")
    cli.ok("entity", "affiliate", "AFM", "Port Selden Daily", "--as", "funded-by")
    cli.ok("source", "add", "-", "--key", "afm-1", "--publisher", "AFM", input="We counted 3,000.")
    dup = cli.ok("claim", "add", "3,000 counted", "--by", "AFM", "--source", "afm-1").stdout.strip()
    # Written by both (one author once merged), and a claim about both (about one once merged).
    cli.ok("source", "edit", "hw-1", "--author", "AFM", "--author", "AF", "--reason", "joint statement")
    cli.ok(
        "claim", "edit", world["ministry"], "--about", "AFM", "--about", "AF", "--reason", "about the Front"
    )
    before = len(cli.json("log", "--limit", "1000"))
    result = cli.ok("entity", "merge", "AFM", "Amber Front", "--reason", "one movement, entered twice")
    assert "merged entity 'Amber Front Movement' into 'Amber Front'" in result.stderr
    shown = cli.json("entity", "show", "Amber Front")
    assert {"Amber Front Movement", "AFM", "AF"} <= set(shown["aliases"])
    assert shown["reliability"] == "D"
    assert "afm-1" in shown["sources_published"]
    assert [
        (t["entity"], t["kind"], t["other"]) for t in shown["affiliations"] if t["kind"] == "funded-by"
    ] == [("Amber Front", "funded-by", "Port Selden Daily")]
    assert cli.json("claim", "show", dup)["claimant"] == "Amber Front"
    assert cli.json("source", "show", "hw-1")["authors"] == ["Amber Front"]
    assert cli.json("claim", "show", world["ministry"])["about"] == ["Amber Front"]
    assert cli.json("entity", "show", "AFM")["name"] == "Amber Front"
    assert "Amber Front Movement" not in [row["name"] for row in cli.json("entity", "list")]
    # One entry, shown whole.
    log = cli.json("log", "--limit", "1000")
    assert len(log) == before + 1
    entry = log[0]
    assert (entry["action"], entry["record"], entry["reason"]) == (
        "merge", "entity 'Amber Front Movement' into 'Amber Front'", "one movement, entered twice",
    )  # fmt: skip
    parts = {part["record"] for part in entry["parts"]}
    assert f"claim {dup}" in parts and "source afm-1" in parts and "entity Amber Front Movement" in parts
    table = cli.ok("log", "--limit", "1").stdout
    assert "claimant: 'Amber Front Movement' → 'Amber Front'" in table
    fails(
        cli,
        snapshot,
        ["entity", "merge", "AF", "Amber Front", "--reason", "r"],
        "cannot merge 'Amber Front' into itself",
    )


def test_a_claim_merge_moves_appearances_and_supersedes_the_duplicate(cli, snapshot, world) -> None:
    keep = world["front"]
    dup = cli.ok(
        "claim", "add", "3,000 detained", "--by", "AF", "--source", "psd-1", "--tag", "twice"
    ).stdout.strip()
    counter = cli.ok(
        "claim", "counter", dup, "No such detentions", "--by", "VIM", "--as", "denies"
    ).stdout.strip()
    cli.ok("claim", "merge", dup, keep, "--reason", "logged twice from two extractions")
    kept, gone = cli.json("claim", "show", keep), cli.json("claim", "show", dup)
    assert [a["source"] for a in kept["appearances"]] == ["av-1", "hw-1", "psd-1"]
    assert gone["appearances"] == [] and gone["status"] == "superseded"
    assert {
        "direction": "outgoing",
        "kind": "same-as",
        "claim": {"key": keep, "claimant": "Amber Front", "text": kept["text"]},
    } in gone["relations"]
    assert any(r["kind"] == "denied by" and r["claim"]["key"] == counter for r in kept["relations"])
    assert kept["tags"] == ["twice"]
    entry = latest_entry(cli)
    assert (entry["action"], entry["record"]) == ("merge", f"claim {dup} into {keep}")
    fails(cli, snapshot, ["claim", "merge", keep, keep, "--reason", "r"], "into itself")
    fails(
        cli,
        snapshot,
        ["claim", "merge", world["ministry"], keep, "--reason", "r"],
        "a merge joins one claim logged twice",
    )


# ---- unnamed claimants, hedges, figures over time ----------------------------------------------------------


def test_an_unnamed_claimant_is_said_to_be_unnamed(cli, snapshot, world) -> None:
    cli.ok(
        "entity",
        "add",
        "three interior ministry officials",
        "--kind",
        "unnamed",
        "--count",
        "3",
        "--of",
        "VIM",
    )
    shown = cli.json("entity", "show", "three interior ministry officials")
    assert (shown["kind"], shown["count"]) == ("unnamed", 3)
    assert [(t["kind"], t["other"]) for t in shown["affiliations"]] == [
        ("member-of", "Veloria Interior Ministry")
    ]
    key = cli.ok("claim", "add", "304 were held", "--by", "three interior ministry officials", "--source", "psd-1",
                 "--value", "304").stdout.strip()  # fmt: skip
    sourcing = cli.json("claim", "show", key)["sourcing"]
    assert "rests only on unnamed claimants" in sourcing["credibility"]["why"]
    assert any("unnamed: 3, member-of Veloria Interior Ministry" in reason for reason in sourcing["reasons"])
    assert "unnamed" in cli.ok("report", "--claim", key).stdout
    checked = cli.json("check", "--claim", key)["claims"][0]
    assert "unnamed" in checked["credibility"]["why"]
    fails(
        cli,
        snapshot,
        ["entity", "add", "a senior commander", "--count", "1"],
        "--count is for unnamed claimants",
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("as many as", "up-to"), ("could be", "could-be"), ("as few as", "as-few-as"), ("an estimated", "about"),
        ("reportedly", "reportedly"), ("over", "more-than"), ("almost", "nearly"), ("roughly", "about"),
        ("approximately", "about"), ("no fewer than", "at-least"), ("dozens of", "dozens-of"),
        ("scores of", "scores-of"),
    ],
)  # fmt: skip
def test_hedges_as_journalists_write_them(cli, world, written: str, stored: str) -> None:
    key = cli.ok(
        "claim", "add", "A figure", "--by", "VIM", "--value", "40", "--qualifier", written
    ).stdout.strip()
    assert cli.json("claim", "show", key)["figure"]["qualifier"] == stored


def test_the_qualifier_help_lists_each_hedge_with_its_meaning(cli) -> None:
    from claimtrack.text.quantities import qualifier_help
    from claimtrack.vocab import HEDGES, QUALIFIER_MEANING, Qualifier

    assert set(QUALIFIER_MEANING) == set(Qualifier)
    helped = qualifier_help()
    assert all(f"'{phrase}'" in helped for phrase in HEDGES)
    assert "scores-of (several score" in helped
    assert "--qualifier" in cli.ok("claim", "add", "--help").stdout


def test_figures_show_each_claimants_revisions_in_order(cli, world) -> None:
    cli.ok(
        "claim",
        "edit",
        world["ministry"],
        "--said-on",
        "2020-12-16",
        "--reason",
        "said at the evening briefing",
    )
    later = cli.ok("claim", "add", "304 people were detained", "--by", "VIM", "--source", "psd-1", "--value", "304",
                   "--counted", "people", "--measure", DETAINED, "--said-on", "2020-12-16").stdout.strip()  # fmt: skip
    cli.ok("claim", "relate", later, world["ministry"], "--as", "corrects")
    record = cli.json("figures", DETAINED)
    ministry = {
        row["key"]: row for row in record["figures"] if row["claimant"] == "Veloria Interior Ministry"
    }
    assert ministry[later]["revisions_text"] == "208 (16 Dec) → 304 (later, same day)"
    assert [step["key"] for step in ministry[later]["revisions"]] == [world["ministry"], later]
    assert (ministry[world["ministry"]]["revision"], ministry[later]["revision"]) == (1, 2)
    assert ministry[later]["said_on"] == "16 December 2020"
    (front,) = [row for row in record["figures"] if row["claimant"] == "Amber Front"]
    assert front["revisions_text"] is None and front["revision"] == 1
    table = cli.ok("figures", DETAINED).stdout
    assert "said on" in table and "event date" in table and "(later, same day)" in table


# ---- the log -----------------------------------------------------------------------------------------------


def test_the_log_names_records_by_keys_and_names_never_row_ids(cli, world) -> None:
    records = {row["record"] for row in cli.json("log", "--limit", "1000")}
    assert f"appearance of claim {world['front']} in hw-1" in records
    assert "tie Amber Voice part-of Amber Front" in records
    assert "alias 'AF' of Amber Front" in records
    assert f"status of claim {world['front']}" in records
    table = cli.ok("log", "--limit", "1000").stdout
    assert "claim_id" not in table and "source_id" not in table and "entity_id" not in table
