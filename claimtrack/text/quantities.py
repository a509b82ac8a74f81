"""Reading the numbers researchers type for figures: "30,000", "1.5 million", "3 000", "12k".

A comma is read as a thousands separator only where it is one: between groups of three digits ("1,500",
"1,234,567"). "1,5", "0,5", "3.000,5" and "1,2,3" are refused with a line that says how to write them, never
read by dropping the comma (which made "1,5" fifteen). The other separators (space, no-break and thin spaces,
"_" and "'") follow the same rule, and one number uses one of them.
"""

from __future__ import annotations

import math
import re

from ..errors import InvalidInput

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
}
_GROUP_SEPARATORS = ",_' \u00a0\u202f\u2009"
# The digits before the decimal point: plain, or in groups of three after one to three digits (not a
# leading 0: "0,500" is no thousand), with one separator throughout ("1,234,567", "12 000", "1_000").
_INTEGER = r"\d+|[1-9]\d{0,2}(?P<sep>[,_' \u00a0\u202f\u2009])\d{3}(?:(?P=sep)\d{3})*"
_NUMBER = re.compile(rf"^(?P<sign>[+-]?)(?P<int>{_INTEGER})(?P<frac>\.\d+)?\s*(?P<scale>[a-z]+)?$")
# A decimal comma, as much of Europe writes it: "1,5", "0,5", "3.000,5", "1.234.567,89".
_DECIMAL_COMMA = re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+),(\d+)(\s*[a-z]*)$")
_EXAMPLES = "examples: 3000, 30,000, 1.5, 1.5 million"


def parse_number(text: str) -> float:
    """A figure as a number: thousands separated in groups of three, a decimal point, one scale word.

    Raises InvalidInput, in one line that says how to write it, for anything else — "1,5" included, which
    reads as one and a half in much of Europe and as fifteen nowhere.
    """
    cleaned = text.strip().lower()
    match = _NUMBER.match(cleaned)
    if not match or (match["scale"] and match["scale"] not in _SCALES):
        raise InvalidInput(_why_not(text, cleaned))
    digits = match["int"] if not match["sep"] else match["int"].replace(match["sep"], "")
    value = float(match["sign"] + digits + (match["frac"] or ""))
    value *= _SCALES[match["scale"]] if match["scale"] else 1
    if not math.isfinite(value):
        raise InvalidInput(f"{text!r} is not a finite number")
    return value


def _why_not(text: str, cleaned: str) -> str:
    if not any(mark in cleaned for mark in _GROUP_SEPARATORS) or not re.search(r"\d", cleaned):
        return f"{text!r} is not a number ({_EXAMPLES})"
    decimal = _DECIMAL_COMMA.match(cleaned)
    if decimal:
        sign, whole, fraction, scale = decimal.groups()
        as_decimal = f"{sign}{whole.replace('.', '')}.{fraction}{scale}"
        return (
            f"{text!r} is not a number claimtrack reads: a comma separates thousands, in groups of three "
            f"(1,500); for a decimal write a point: {as_decimal}"
        )
    return (
        f"{text!r} is not a number claimtrack reads: thousands are separated in groups of three with one "
        f"separator (1,500 or 1,234,567 or 1 500), and a decimal takes a point (1.5)"
    )


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,}"


def read_qualifier(text: str) -> str:
    """A figure's qualifier as stored: one of :class:`~claimtrack.vocab.Qualifier`, or a hedge as journalists
    write it ("as many as", "an estimated", "scores of": :data:`~claimtrack.vocab.HEDGES`) read as the qualifier
    that means the same."""
    from .. import vocab

    cleaned = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if cleaned in vocab.HEDGES:
        return vocab.HEDGES[cleaned].value
    for member in vocab.Qualifier:
        if member.value.replace("-", " ") == cleaned:
            return member.value
    accepted = ", ".join(member.value for member in vocab.Qualifier)
    hedges = ", ".join(repr(phrase) for phrase in vocab.HEDGES)
    raise InvalidInput(f"unknown qualifier {text!r}; use one of: {accepted}; or a hedge: {hedges}")


def qualifier_help() -> str:
    """The --qualifier help: every qualifier with its meaning, then the hedges it also reads."""
    from .. import vocab

    meanings = "; ".join(f"{q.value} ({vocab.QUALIFIER_MEANING[q]})" for q in vocab.Qualifier)
    hedges = ", ".join(f"'{phrase}' ({q.value})" for phrase, q in vocab.HEDGES.items())
    return f"How the figure was hedged: {meanings}. Also read as written: {hedges}."
