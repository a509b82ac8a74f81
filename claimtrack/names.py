"""How people name things: normalised names for lookups, and the closest candidates when a name misses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Apostrophes and dots join rather than separate: "People's" is "peoples", "A.F." is "af".
_JOINERS = re.compile(r"['’ʼ‘`´.]")


def normalise_name(name: str) -> str:
    """A case-, accent- and punctuation-insensitive form of a name.

    "PMOI/MEK", "pmoi-mek" and "PMOI MEK" all give "pmoi mek"; "Zürich" and "Zurich" both give "zurich";
    "A.F." and "AF" both give "af".
    Letters of other scripts are kept (Arabic, Persian, Cyrillic names are names too).
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", _JOINERS.sub("", stripped)).split())


def closest(name: str, choices: Iterable[str], limit: int = 5, cutoff: float = 60.0) -> list[str]:
    """The choices that look most like ``name``, best first (rapidfuzz WRatio on normalised forms)."""
    from rapidfuzz import fuzz, process

    options = list(dict.fromkeys(choices))
    if not options:
        return []
    matches = process.extract(
        normalise_name(name),
        options,
        scorer=fuzz.WRatio,
        processor=normalise_name,
        limit=limit,
        score_cutoff=cutoff,
    )
    return [match[0] for match in matches]


def differing_characters(name: str, other: str) -> str:
    """The characters of ``name`` that ``other`` lacks, named: "U+0410 CYRILLIC CAPITAL LETTER A"."""
    theirs = set(unicodedata.normalize("NFC", other).casefold())
    mine = [ch for ch in dict.fromkeys(unicodedata.normalize("NFC", name)) if ch.casefold() not in theirs]
    named = [f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in mine[:3]]
    return (
        ", ".join(named) + (", ..." if len(mine) > 3 else "")
        if named
        else "the same letters otherwise spaced"
    )
