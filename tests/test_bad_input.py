"""Bad input: one line on stderr, exit code 1, and the database exactly as it was."""

from __future__ import annotations

import pytest


@pytest.fixture
def seeded(cli):
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Amber Voice", "--kind", "media")
    cli.ok("source", "add", "-", "--key", "av-1", "--publisher", "Amber Voice", "--published", "2020-01-10",
           input="The Front says about 3,000 were detained.")  # fmt: skip
    key = cli.ok("claim", "add", "3,000 detained", "--by", "AF", "--value", "3000").stdout.strip()
    return key


CASES = {
    "unknown entity": (
        ["claim", "add", "Text", "--by", "Amber Frnt"],
        "no entity named 'Amber Frnt'; closest: 'Amber Front'",
    ),
    "malformed date": (
        ["claim", "add", "Text", "--by", "AF", "--said-on", "the day after never"],
        "the day after never",
    ),
    "impossible date": (
        ["claim", "add", "Text", "--by", "AF", "--when", "February 30, 2020"],
        "February 30, 2020",
    ),
    "inverted range": (
        ["claim", "add", "Text", "--by", "AF", "--low", "500", "--high", "100"],
        "the range is inverted",
    ),
    "empty claim text": (["claim", "add", "   ", "--by", "AF"], "the claim text is empty"),
    "unknown stance": (
        ["claim", "cite", "{key}", "av-1", "--stance", "endorses"],
        "unknown stance 'endorses'",
    ),
    "unknown relation": (["claim", "relate", "{key}", "{key}", "--as", "hates"], "unknown relation 'hates'"),
    "unknown counter kind": (
        ["claim", "counter", "{key}", "No", "--by", "AF", "--as", "mocks"],
        "unknown counter-statement kind 'mocks'",
    ),
    "unknown status": (["claim", "status", "{key}", "false", "--reason", "x"], "unknown status 'false'"),
    "unknown source": (["claim", "cite", "{key}", "av-2", "--stance", "reports"], "no source named 'av-2'"),
    "unknown claim": (["claim", "show", "qqqqqqq"], "no claim named 'qqqqqqq'"),
    "passage without source": (
        ["claim", "add", "Text", "--by", "AF", "--passage", "words"],
        "--passage needs --source",
    ),
    "event without date": (["claim", "add", "Text", "--by", "AF", "--kind", "event"], "needs --when"),
    "figure options on a quote": (
        ["claim", "add", "Text", "--by", "AF", "--quote", "Hi", "--value", "3"],
        "apply to figures",
    ),
    # A comma is a thousands separator only in groups of three: "1,5" was stored as 15, "3.000,5" as 3.0005.
    "decimal comma in --value": (
        ["claim", "add", "Text", "--by", "AF", "--value", "1,5"],
        "for a decimal write a point: 1.5",
    ),
    "decimal comma in --low": (
        ["claim", "add", "Text", "--by", "AF", "--low", "0,5", "--high", "3"],
        "for a decimal write a point: 0.5",
    ),
    "European number in --high": (
        ["claim", "add", "Text", "--by", "AF", "--low", "1", "--high", "3.000,5"],
        "for a decimal write a point: 3000.5",
    ),
    "commas not in thousands": (
        ["claim", "add", "Text", "--by", "AF", "--value", "1,2,3"],
        "thousands are separated in groups of three",
    ),
    "bad grade": (["entity", "grade", "AF", "Z"], "unknown reliability grade 'Z'"),
    "duplicate entity": (["entity", "add", "amber front"], "already names the entity 'Amber Front'"),
    "bad limit": (["log", "--limit", "0"], None),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_one_line_exit_1_and_changes_nothing(cli, snapshot, seeded, case: str) -> None:
    argv, message = CASES[case]
    argv = [arg.replace("{key}", seeded) for arg in argv]
    before = snapshot()
    result = cli(*argv)
    if message is None:  # rejected by the option parser itself: a usage error
        assert result.exit_code == 2
    else:
        assert result.exit_code == 1, result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ")
        assert message in lines[0]
        assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot() == before


def test_debug_shows_the_traceback(cli, seeded) -> None:
    from claimtrack.errors import NotFound

    with pytest.raises(NotFound):
        cli("--debug", "claim", "show", "qqqqqqq")
