"""How people name things: normalised names for lookups, and the closest candidates when a name misses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Apostrophes and dots join rather than separate: "People's" is "peoples", "A.F." is "af". The backtick is
# what the ayn of a romanised Arabic or Persian name ("ʿAlī") folds to.
_JOINERS = re.compile(r"['’ʼ‘`´.]")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A Latin letter (or a modifier letter such as the ʿ of "ʿAlī") as ASCII, by anyascii's tables: ı, ł, ø, đ,
    æ, þ and the rest, which have no accent to strip. Letters of other scripts are kept as they are."""
    if ch.isascii():
        return ch
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN ") or "\u02b0" <= ch <= "\u02ff":
        from anyascii import anyascii

        return anyascii(ch)
    return ch


def normalise_name(name: str) -> str:
    """A case-, accent- and punctuation-insensitive form of a name.

    "PMOI/MEK", "pmoi-mek" and "PMOI MEK" all give "pmoi mek"; "Zürich" and "Zurich" both give "zurich";
    "A.F." and "AF" both give "af"; "Ayşe Yılmaz" is "ayse yilmaz", "Łódź" "lodz", "Đorđević" "dordevic" and
    "ʿAlī" "ali" (Latin letters are transliterated to ASCII, the letters that have no accent to strip too).
    Letters of other scripts are kept (Arabic, Persian, Cyrillic names are names too).
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(_fold(ch) for ch in decomposed if not unicodedata.combining(ch)).casefold()
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
