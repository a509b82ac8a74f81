"""Quotes checked in context: located in the source's text, ellipses and brackets read as the quoting writer's,
a qualifying clause cut off and a wrong page flagged, and cosmetic differences told apart from misquotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.verification import check_quote

DATA = Path(__file__).parent / "data" / "documents"
TEXT = (
    "Port Selden, 9 January 2020.\n\n"
    "The Front's statement read: \u201cOur fighters will lay down their arms only if the army leaves Orsk.\u201d\n\n"
    "During the November uprising of 2019, the Front said, \u201cwe never targeted civilians, we never will, "
    "and we have said so many times.\u201d\n"
)


def test_a_verbatim_quote_is_exact() -> None:
    found = check_quote("we never targeted civilians", TEXT)
    assert (found.status, found.findings) == ("exact", [])
    assert TEXT[found.start : found.end] == "we never targeted civilians"


def test_case_spacing_quote_marks_and_dashes_are_cosmetic() -> None:
    found = check_quote("We never  targeted civilians,\nwe never will", TEXT)
    assert found.status == "cosmetic"
    assert found.findings == ["differs from the source only in case, spacing, quote marks or dashes"]


@pytest.mark.parametrize("ellipsis", ["...", "…", ". . .", "[…]"])
def test_an_ellipsis_is_an_elision_and_says_how_many_words_it_leaves_out(ellipsis: str) -> None:
    found = check_quote(f"we never targeted civilians {ellipsis} and we have said so many times", TEXT)
    assert (found.status, found.elided) == ("elided", [3])
    assert found.findings == ["an ellipsis elides 3 words: ', we never will,'"]


def test_elided_pieces_must_stand_in_order() -> None:
    assert (
        check_quote("and we have said so many times ... we never targeted civilians", TEXT).status
        == "misquote"
    )


def test_square_brackets_are_the_quoting_writers_words() -> None:
    found = check_quote("During the [November uprising], the Front said", TEXT)
    assert found.status == "elided"
    assert found.brackets == [("November uprising", "November uprising of 2019")]
    assert found.findings == [
        "[November uprising] is the quoting writer's, standing for 'November uprising of 2019'"
    ]
    inserted = check_quote(
        "[The Front's] fighters will lay down their arms only if the army leaves Orsk", TEXT
    )
    assert inserted.status == "elided"
    assert inserted.findings == ["[The Front's] is the quoting writer's, not the speaker's"]


def test_a_quote_that_stops_before_a_qualifying_clause_is_flagged() -> None:
    found = check_quote("Our fighters will lay down their arms", TEXT)
    assert found.status == "exact"
    assert found.qualifier == "only if the army leaves Orsk"
    assert found.findings == ["stops before a qualifying clause: 'only if the army leaves Orsk'"]
    whole = check_quote("Our fighters will lay down their arms only if the army leaves Orsk.", TEXT)
    assert whole.qualifier is None


@pytest.mark.parametrize("word", ["but", "unless", "except", "provided that", "although"])
def test_each_qualifying_word(word: str) -> None:
    text = f"The minister said the border would open, {word} the talks failed."
    assert check_quote("the border would open", text).qualifier == f"{word} the talks failed"


def test_different_words_are_a_misquote() -> None:
    found = check_quote("Our fighters will lay down their weapons", TEXT)
    assert found.status == "misquote"
    assert found.diff == "Our fighters will lay down their [-weapons-] {+arms+}"


@pytest.fixture
def seeded(cli):
    cli.ok("entity", "add", "Amber Front", "--kind", "organization")
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("source", "add", "-", "--key", "hw-1", "--publisher", "Harbor Wire", input=TEXT)
    return cli


def test_claim_add_quote_says_what_the_check_found(seeded) -> None:
    result = seeded(
        "claim", "add", "The Front says it will disarm", "--by", "Amber Front", "--source", "hw-1",
        "--quote", "Our fighters will lay down their arms",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "quote: stops before a qualifying clause: 'only if the army leaves Orsk'" in result.stderr
    elided = seeded(
        "claim", "add", "The Front denies targeting civilians", "--by", "Amber Front", "--source", "hw-1",
        "--quote", "we never targeted civilians ... and we have said so many times",
    )  # fmt: skip
    assert "quote: an ellipsis elides 3 words" in elided.stderr
    assert "not in the text" not in elided.stderr  # an ellipsis is not a misquote


def test_verify_locates_a_quote_without_a_passage(seeded, ledger) -> None:
    from sqlalchemy import update

    from claimtrack.models import Appearance

    seeded.ok(
        "claim", "add", "The Front says it will disarm", "--by", "Amber Front", "--source", "hw-1",
        "--quote", "Our fighters will lay down their arms",
    )  # fmt: skip
    with ledger.engine.begin() as conn:  # as when an appearance was logged with no passage
        conn.execute(update(Appearance).values(passage=None, anchor_start=None, anchor_end=None))
    result = seeded("verify", "--json", "--fail")
    assert result.exit_code == 3  # the qualifying clause cut off is a problem
    (check,) = __import__("json").loads(result.stdout)
    assert check["status"] == "no-passage"
    assert check["quote"] == "exact" and check["flagged"] is True
    assert check["findings"] == ["stops before a qualifying clause: 'only if the army leaves Orsk'"]


def test_a_quote_on_another_page_than_its_locator_says(cli) -> None:
    cli.ok("entity", "add", "Port Selden Harbour Authority", "--kind", "government")
    cli.ok("source", "add", str(DATA / "report.pdf"), "--key", "psha-1")
    result = cli(
        "claim", "add", "The Authority referred eleven workers to the police", "--by",
        "Port Selden Harbour Authority", "--source", "psha-1", "--locator", "p. 2",
        "--quote", "Eleven workers of the night shift were referred to the regional police.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "quote: found on p. 3, not on p. 2 as its locator says" in result.stderr
    (check,) = cli.json("verify")
    assert check["flagged"] is True
    assert "found on p. 3, not on p. 2 as its locator says" in check["detail"]


WORDS = ["the", "army", "will", "leave", "Orsk", "by", "June", "unless", "talks", "fail", "we", "never", "said",
         "so", "many", "times", "people", "were", "held", "in", "camps"]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(WORDS), min_size=8, max_size=40),
    cut=st.tuples(st.integers(0, 39), st.integers(0, 39), st.integers(0, 39), st.integers(0, 39)),
)
def test_any_run_of_words_is_found_and_any_gap_is_counted(words: list[str], cut: tuple[int, ...]) -> None:
    a, b, c, d = sorted(min(x, len(words)) for x in cut)
    text = " ".join(words) + "."
    if b - a < 1 or d - c < 1:
        return
    whole = check_quote(" ".join(words[a:b]), text)
    assert whole.status in ("exact", "cosmetic")
    assert whole.start is not None and whole.end is not None
    assert text[whole.start : whole.end].split() == words[a:b] or whole.status == "cosmetic"
    elided = check_quote(" ".join(words[a:b]) + " ... " + " ".join(words[c:d]), text)
    # The pieces are found in order; the words the ellipsis stands for are never negative, and the words
    # found plus the words elided are the span the quote covers.
    assert elided.status == "elided", elided
    assert elided.elided is not None and elided.elided[0] >= 0
    assert elided.start is not None and elided.end is not None
    covered = len(text[elided.start : elided.end].split())
    assert covered == (b - a) + elided.elided[0] + (d - c)
