"""The number parser: a comma is a thousands separator only between groups of three digits; anything else
with a comma is refused in one line that says how to write it, never read by dropping the comma."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimtrack.errors import InvalidInput
from claimtrack.text.quantities import format_number, parse_number

SEPARATORS = [",", " ", "_", "'", "\u00a0", "\u202f", "\u2009"]


def grouped(number: int, separator: str) -> str:
    return f"{number:,}".replace(",", separator)


@settings(max_examples=300)
@given(st.integers(0, 10**15), st.sampled_from(SEPARATORS), st.one_of(st.none(), st.integers(0, 999_999)))
@example(1_500, ",", None)
@example(30_000, ",", None)
@example(1_234_567, ",", 5)
def test_groups_of_three_read_as_thousands(number: int, separator: str, fraction: int | None) -> None:
    text = grouped(number, separator) + ("" if fraction is None else f".{fraction}")
    expected = float(f"{number}" + ("" if fraction is None else f".{fraction}"))
    assert parse_number(text) == expected
    assert parse_number("-" + text) == -expected


# Digit groups joined by commas, at least one of which is not a thousands group: the first longer than three
# digits, or a later one of other than three.
digit_groups = st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=2, max_size=4).filter(
    lambda groups: len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:])
)


@settings(max_examples=300)
@given(digit_groups, st.sampled_from(["", ".5", " million", "k"]))
@example(["1", "5"], "")
@example(["0", "5"], "")
@example(["1", "2", "3"], "")
def test_a_comma_that_does_not_separate_thousands_is_refused_with_how_to_write_it(
    groups: list[str], tail: str
) -> None:
    text = ",".join(groups) + tail
    with pytest.raises(InvalidInput) as refused:
        parse_number(text)
    message = str(refused.value)
    assert "\n" not in message
    assert "1,500" in message and ("point" in message or "1.5" in message), message


@settings(max_examples=300)
@given(st.integers(0, 999_999), st.integers(0, 10**6), st.sampled_from(["", " million", "k"]))
@example(1, 5, "")
@example(3000, 5, "")
def test_a_decimal_comma_is_refused_and_the_suggested_spelling_reads_as_meant(
    whole: int, fraction: int, scale: str
) -> None:
    """ "3.000,5" (European) is refused, and what the message suggests instead is that number, pointed."""
    european = grouped(whole, ".") + f",{fraction}{scale}"
    if re.fullmatch(r"[1-9]\d{0,2},\d{3}\D*", european):  # "1,500": a thousands group after all
        return
    with pytest.raises(InvalidInput) as refused:
        parse_number(european)
    suggested = str(refused.value).rsplit("write a point: ", 1)[1]
    assert parse_number(suggested) == pytest.approx(
        float(f"{whole}.{fraction}") * {"": 1, " million": 1e6, "k": 1e3}[scale]
    )


@settings(max_examples=500)
@given(st.text("0123456789,. _'", min_size=1, max_size=12))
@example("3.000,5")
@example("1,2,3")
def test_no_separator_is_ever_dropped_silently(text: str) -> None:
    """Whatever is accepted is accepted as written: each separator stands between groups of three digits, and
    the value is the digits' with the separators taken out."""
    try:
        value = parse_number(text)
    except InvalidInput as exc:
        assert "\n" not in str(exc)
        return
    body = text.strip()
    whole = body.split(".")[0]
    for separator in ",_' ":
        if separator in whole:
            first, *rest = whole.split(separator)
            assert 1 <= len(first) <= 3 and first[0] != "0", text
            assert all(len(group) == 3 for group in rest), text
    assert value == float(re.sub(r"[,_' ]", "", body))


@given(st.integers(-(10**14), 10**14), st.sampled_from([1, 10, 100, 1000]))
def test_what_claimtrack_prints_reads_back(number: int, divisor: int) -> None:
    value = number / divisor
    assert parse_number(format_number(value)) == value
