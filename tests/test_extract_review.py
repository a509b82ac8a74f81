"""`claimtrack extract`: candidates listed, accepted for scripts, and decisions remembered."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def sampled(cli: Any, sample: dict[str, str]) -> Any:
    """The CLI runner, on a ledger holding the sample."""
    return cli


def test_json_lists_candidates_and_writes_nothing(sampled, snapshot) -> None:
    before = snapshot()
    candidates = sampled.json("extract", "av-2020-01-10")
    assert snapshot() == before
    text = sampled.ok("source", "text", "av-2020-01-10").stdout
    kinds = {c["kind"] for c in candidates}
    assert {"quote", "figure", "event"} <= kinds
    for candidate in candidates:
        assert text[candidate["start"] : candidate["end"]] == candidate["passage"]
    quote = next(c for c in candidates if c["kind"] == "quote" and "every cell" in (c["quote"] or ""))
    assert quote["claimant"] == "Ilan Verhoef"
    year_less = next(c for c in candidates if c["kind"] == "event" and c["passage"] == "Wednesday, January 8")
    assert year_less["date"] == "2020-01-08"
    assert "2020" in year_less["note"]  # the year was taken from the article's date, and it says so


def test_accept_all_logs_and_a_rerun_proposes_nothing_already_decided(sampled) -> None:
    pending = sampled.json("extract", "av-2020-01-10")
    result = sampled("extract", "av-2020-01-10", "--accept-all")
    assert result.exit_code == 0, result.stderr
    keys = result.stdout.split()
    known = [c for c in pending if c["claimant"]]
    assert len(keys) == len(known) > 0
    cited = [c for c in known if c["cites"]]
    assert f"{len(known) - len(cited)} candidates logged, {len(cited)} cited" in result.stderr
    # A candidate the ledger already holds is cited: its key is the existing claim's.
    assert [k for k, c in zip(keys, known, strict=True) if c["cites"]] == [c["cites"] for c in cited]
    new = next(k for k, c in zip(keys, known, strict=True) if not c["cites"])
    shown = sampled.json("claim", "show", new)
    assert shown["appearances"][0]["source"] == "av-2020-01-10"
    assert shown["appearances"][0]["anchor"]["status"] == "exact"
    left = sampled.json("extract", "av-2020-01-10")
    assert [c["number"] for c in left] == [c["number"] for c in pending if not c["claimant"]]
    assert len(sampled.json("extract", "av-2020-01-10", "--all")) == len(pending)


def test_the_sample_figures_go_to_who_says_them(sampled) -> None:
    candidates = sampled.json("extract", "av-2020-01-10")
    detained = next(c for c in candidates if c["kind"] == "figure" and c["value"] == 3000)
    # "The Amber Front says about 3,000 ...", in Amber Voice: the Front's figure, not the outlet's.
    assert (detained["claimant"], detained["attribution"]) == ("Amber Front", "text")
    assert detained["measure"] == "Port Selden operation, January 2020: people detained"
    assert (
        detained["cites"]
        == sampled.json("claim", "list", "--by", "Amber Front", "--kind", "figure")[0]["key"]
    )
    deaths = next(c for c in candidates if c["kind"] == "figure" and c["value"] == 40)
    assert deaths["claimant"] == "Dana Okoro"  # "Front spokesperson Dana Okoro said that at least 40 ..."
    assert deaths["measure"] == "Port Selden operation, January 2020: deaths in custody"
    # The masthead's date ("Amber Voice — 10 January 2020") is when the article appeared, not an event.
    assert not any(c["passage"].startswith("10 January") for c in candidates)


def test_review_needs_a_terminal(sampled) -> None:
    result = sampled("extract", "av-2020-01-10")
    assert result.exit_code == 1
    assert "needs a terminal; use --json" in result.stderr


def test_a_source_without_text(sampled) -> None:
    sampled.ok("source", "add", "--key", "empty-1")
    result = sampled("extract", "empty-1", "--json")
    assert result.exit_code == 1
    assert json.dumps("empty-1").strip('"') in result.stderr and "no stored text" in result.stderr


WIRE = (
    "PORT SELDEN, Jan 10 (Harbour Wire) - At least 40 people were killed in clashes on Thursday, a hospital "
    "official said.\n\n"
    "A report by the Kestrel Institute said security forces had killed at least 304 protesters. "
    "Some 300 people were reportedly detained.\n\n"
    "The Kestrel Institute's count of at least 304 protesters killed is the highest so far.\n"
)


@pytest.fixture
def wire(cli):
    cli.ok("entity", "add", "Harbour Wire", "--kind", "media")
    cli.ok("entity", "add", "Kestrel Institute", "--kind", "organization")
    cli.ok("source", "add", "-", "--key", "hw-1", "--publisher", "Harbour Wire", "--published", "2020-01-10",
           input=WIRE)  # fmt: skip
    return cli


def test_accept_all_never_logs_an_unknown_speaker(wire) -> None:
    pending = wire.json("extract", "hw-1")
    speakers = {(c["passage"], c["claimant"], c["attribution"]) for c in pending if c["kind"] == "figure"}
    assert speakers == {
        ("At least 40 people", None, "text"),  # "a hospital official": not a known entity
        ("at least 304 protesters", "Kestrel Institute", "text"),
        ("Some 300 people", None, "unknown"),  # "reportedly": nobody named
    }
    # No event: the dateline says when the report was filed.
    assert not any(c["kind"] == "event" for c in pending)
    result = wire("extract", "hw-1", "--accept-all")
    assert result.exit_code == 0, result.stderr
    assert "left for review: nobody is named as its speaker" in result.stderr
    assert "its speaker 'a hospital official' is not a known entity" in result.stderr
    logged = wire.json("claim", "list")
    assert [(c["claimant"], c["kind"], c["figure"]) for c in logged] == [
        ("Kestrel Institute", "figure", "at least 304 protesters")
    ]


def test_the_same_statement_twice_in_a_document_is_one_candidate(wire) -> None:
    figures = [c for c in wire.json("extract", "hw-1") if c["kind"] == "figure" and c["value"] == 304]
    assert len(figures) == 1
    assert figures[0]["passage"] == "at least 304 protesters"


def test_a_candidate_the_ledger_holds_is_offered_as_a_citation(wire) -> None:
    wire.ok("source", "add", "-", "--key", "ki-1", "--publisher", "Kestrel Institute", input="Report text.\n")
    key = wire.ok(
        "claim", "add", "At least 304 protesters were killed", "--by", "Kestrel Institute", "--value", "304",
        "--qualifier", "at-least", "--source", "ki-1",
    ).stdout.strip()  # fmt: skip
    figure = next(c for c in wire.json("extract", "hw-1") if c["kind"] == "figure" and c["value"] == 304)
    assert figure["cites"] == key
    result = wire("extract", "hw-1", "--accept-all")
    assert result.stdout.split() == [key]
    assert "0 candidates logged, 1 cited" in result.stderr
    shown = wire.json("claim", "show", key)
    assert sorted(a["source"] for a in shown["appearances"]) == ["hw-1", "ki-1"]
    assert len(wire.json("claim", "list")) == 1  # a citation, not a second claim


def test_the_review_asks_for_the_speaker_and_enter_confirms_nothing(monkeypatch) -> None:
    import io

    from rich.console import Console
    from rich.prompt import Prompt

    from claimtrack.cli.extract import _confirm_speaker
    from claimtrack.review import Proposal
    from claimtrack.text.extract import extract

    candidate = extract("Mara Tessel said 304 people died.", resolve=lambda name: "Mara Tessel")[0]
    answers = iter(["", "", "y"])
    monkeypatch.setattr(Prompt, "get_input", classmethod(lambda cls, *args, **kwargs: next(answers)))
    shown = io.StringIO()
    console = Console(file=shown, width=200)
    assert _confirm_speaker(console, Proposal(1, candidate, "Mara Tessel")) == "Mara Tessel"
    assert shown.getvalue().count("Enter alone does not confirm one") == 2
    answers = iter(["Kestrel Institute"])
    assert _confirm_speaker(console, Proposal(1, candidate, "Mara Tessel")) == "Kestrel Institute"
    answers = iter(["y", "s"])  # nothing to confirm when the speaker is unknown
    assert _confirm_speaker(console, Proposal(1, candidate, None)) is None


def test_the_review_shows_the_speaker_first() -> None:
    import io

    from rich.console import Console

    from claimtrack.cli.extract import _describe
    from claimtrack.review import Proposal
    from claimtrack.text.extract import extract

    text = "Some 300 people were reportedly detained."
    candidate = extract(text, publisher="Harbour Wire")[0]
    shown = io.StringIO()
    Console(file=shown, width=120).print(_describe(Proposal(1, candidate, None), text))
    lines = [line.strip("│ ") for line in shown.getvalue().splitlines()]
    assert lines[1] == "speaker: unknown (nobody is named as its speaker)"


def test_a_source_without_a_publisher_has_no_own_voice_to_log(cli) -> None:
    cli.ok(
        "source", "add", "-", "--key", "anon-1", input="Some 2,000 riot police were deployed on Wednesday.\n"
    )
    (candidate,) = cli.json("extract", "anon-1")
    assert (candidate["attribution"], candidate["claimant"]) == ("publisher", None)
    result = cli("extract", "anon-1", "--accept-all")
    assert "it is the document's own voice, and the source has no publisher" in result.stderr
    assert result.stdout == ""
