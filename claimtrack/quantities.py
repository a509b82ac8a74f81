"""Reading the numbers researchers type for figures: "30,000", "1.5 million", "3 000", "12k"."""

from __future__ import annotations

import math
import re

from .errors import InvalidInput

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
}
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*([a-z]+)?$")


def parse_number(text: str) -> float:
    """A figure as a number; thousands separators (, _ and spaces) are ignored; one scale word is allowed."""
    cleaned = text.strip().lower()
    for separator in (",", "_", "\u202f", "\u00a0", "\u2009", "'"):
        cleaned = cleaned.replace(separator, "")
    cleaned = re.sub(r"(?<=\d) (?=\d{3}\b)", "", cleaned)
    match = _NUMBER.match(cleaned)
    if not match or (match.group(2) and match.group(2) not in _SCALES):
        raise InvalidInput(f"{text!r} is not a number (examples: 3000, 30,000, 1.5 million)")
    value = float(match.group(1)) * (_SCALES[match.group(2)] if match.group(2) else 1)
    if not math.isfinite(value):
        raise InvalidInput(f"{text!r} is not a finite number")
    return value


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
    from . import vocab

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
    from . import vocab

    meanings = "; ".join(f"{q.value} ({vocab.QUALIFIER_MEANING[q]})" for q in vocab.Qualifier)
    hedges = ", ".join(f"'{phrase}' ({q.value})" for phrase, q in vocab.HEDGES.items())
    return f"How the figure was hedged: {meanings}. Also read as written: {hedges}."
