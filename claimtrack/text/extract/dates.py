"""Date phrases of any precision, read by claimtrack's date parser: the events of a text."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from ...errors import ClaimtrackError
from ..dates import parse_date
from .figures import COUNT_AFTER, COUNT_BEFORE_RE, TIME_UNITS, counted_noun, is_identifier, qualifier_before

# ---------------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------------

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![0-9A-Za-z])"
# A year is not followed by a letter ("1990s", "2017-style") unless a month follows a dash: "2017-January".
_YEAR = r"(?:1[0-9]|20)[0-9]{2}(?![0-9A-Za-z]|[-‐‑](?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))[A-Za-z]|[.,][0-9])"
_VAGUE_DATE = r"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)(?:-|\s+))"
_SEASON = r"(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)"
_DECADE = r"(?:1[0-9]|20)[0-9]0(?:s|['’]s)(?![A-Za-z])"
_BARE_YEAR = rf"(?:(?:[Cc]irca|c\.|ca\.|around|about|approximately|roughly)\s+|{_VAGUE_DATE})?{_YEAR}"
_SINGLE = (
    rf"(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?"
    rf"|(?:{_WD},?\s+)?(?:[Tt]he\s+)?{_DAY}(?:\s+of)?\s+{_MON}(?:,?\s+{_YEAR})?"
    rf"|{_VAGUE_DATE}?{_MON},?\s+(?:of\s+)?{_YEAR}"
    rf"|{_VAGUE_DATE}?{_SEASON}\s+(?:of\s+)?{_YEAR}"
    rf"|(?:[Tt]he\s+)?{_VAGUE_DATE}?{_DECADE}"
    rf"|(?:[Tt]he\s+)?(?:2[01]|1[0-9]|[1-9])(?:st|nd|rd|th)\s+century"
    rf"|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?![0-9])"
    rf"|{_BARE_YEAR}"
)
# The start of a range may leave out what its end says: "from March to May 2018", "between 6 and 8 July".
_START = rf"(?:{_SINGLE}|{_MON}|{_DAY})"
_RANGE = (
    rf"[Bb]etween\s+{_START}\s+and\s+(?:{_SINGLE})"
    rf"|[Ff]rom\s+{_START}\s+(?:to|until|till|through|thru)\s+(?:{_SINGLE})"
    rf"|{_MON}\s+{_DAY}\s*[-–]\s*{_DAY}(?:,?\s+{_YEAR})?"
    rf"|{_DAY}\s*[-–]\s*{_DAY}\s+{_MON}(?:,?\s+{_YEAR})?"
    rf"|(?P<y4>{_YEAR})\s*[-–]\s*(?P<y2>[0-9]{{2}})(?![0-9A-Za-z]|-)"
    rf"|(?:{_SINGLE})\s*(?:[-–—]|\s(?:to|until|through)\s)\s*(?:{_SINGLE})"
)
# A month alone only after a preposition ("in April"): "May" and "March" alone are also words.
_LONE_MONTH = (
    rf"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hrough|[Ff]rom|(?:[Ee]nd|[Bb]eginning|[Ss]tart|[Mm]iddle)\s+of)"
    rf"\s+(?P<lone>{_MON})"
    rf"(?![\s,]+(?:{_DAY}|{_YEAR}|of\s))"
)
_LEFT = r"(?<![\w$€£/])(?<![0-9][,.])"
_DATE_RE = re.compile(rf"{_LEFT}(?:(?P<range>{_RANGE})|(?P<single>{_SINGLE}))|{_LONE_MONTH}")
_SINGLE_RE = re.compile(rf"{_LEFT}(?:{_SINGLE})")
_BARE_YEAR_RE = re.compile(_BARE_YEAR)
_SINCE_RE = re.compile(r"\b[Ss]ince\s+$")


@dataclass
class _Date:
    start: int
    end: int
    edtf: str
    note: str | None


@lru_cache(maxsize=4096)  # a long document names the same dates again and again; parsing one costs ~10 ms
def _parse(phrase: str, reference: datetime.date | None) -> tuple[str, str | None] | None:
    try:
        parsed = parse_date(phrase, reference)
    except ClaimtrackError:
        return None
    return parsed.edtf, parsed.note


# Page furniture: banner sizes and resolutions ("728 x 90", "1280 x 720").
_DIMENSION_RE = re.compile(r"\d\s*[x×]\s*$|^\s*[x×]\s*\d")


def _bare_year_is_count(text: str, m: re.Match[str]) -> bool:
    """A bare year that the noun around it makes a count: "the death toll of 1500", "some 1500 soldiers"."""
    if COUNT_BEFORE_RE.search(text[max(0, m.start() - 60) : m.start()]):
        return True
    after = re.match(r"\s+([a-z]+)", text[m.end() : m.end() + 20])
    if after and after.group(1) in COUNT_AFTER:
        return True
    qualifier, _ = qualifier_before(text, m.start())
    hedged = qualifier is not None or not m.group()[:1].isdigit()
    counted, _ = counted_noun(text, m.end())
    return hedged and counted is not None and counted.split()[0].lower() not in TIME_UNITS


def _date_from(text: str, m: re.Match[str], reference: datetime.date | None) -> _Date | None:
    start, end = m.start(), m.end()
    if m.re is _DATE_RE and m.group("lone"):
        start = m.start("lone")  # the preposition only vouched for the month
    phrase = text[start:end]
    if _BARE_YEAR_RE.fullmatch(phrase) and (is_identifier(text, start) or _bare_year_is_count(text, m)):
        return None  # "Resolution 1325", "some 1500 soldiers"
    if _DIMENSION_RE.search(text[max(0, start - 6) : start]) or _DIMENSION_RE.match(text[end : end + 6]):
        return None  # "1280 x 720"
    if m.re is _DATE_RE and m.group("y2"):
        first = m.group("y4")
        second = first[:2] + m.group("y2")
        if second <= first:
            return None
        phrase = f"{first} to {second}"  # "1988-90": the parser reads two-digit ends as EDTF seasons
    parsed = _parse(phrase, reference)
    if parsed is None:
        return None
    edtf, note = parsed
    if reference is not None and note and "taken from the reference date" in note and _future(text, start):
        # "the curfew will be lifted on 20 January": the next such day after the reference, not the last.
        later = _parse(phrase, reference.replace(year=reference.year + 1) - datetime.timedelta(days=1))
        if later is not None:
            edtf = later[0]
            note = (
                f"year {edtf[:4]} taken as the next {phrase} after the reference date {reference.isoformat()}: "
                "the sentence speaks of the future"
            )
    since = _SINCE_RE.search(text, max(0, start - 8), start)
    if since and "/" not in edtf:
        opened = _parse(f"{edtf}/..", None)
        if opened is None and re.fullmatch(r"[0-9]{2,3}X+", edtf):
            # EDTF leaves an end open only beside a plain date: "since the 1950s" becomes 1950 onwards.
            first = edtf.replace("X", "0")
            opened = _parse(f"{first}/..", None)
            if opened is not None:
                note = "; ".join(filter(None, [note, f"'since' a decade or century read as {first} onwards"]))
        if opened is not None:
            edtf, start = opened[0], since.start()
    return _Date(start, end, edtf, note)


_FUTURE_RE = re.compile(
    r"\b(?:will|would|shall|'ll|is\s+due|are\s+due|is\s+expected|are\s+expected|is\s+to|are\s+to|plans?\s+to|"
    r"planned|scheduled|next|upcoming|promised|promises)\b",
    re.IGNORECASE,
)


def _future(text: str, start: int) -> bool:
    """Whether the clause that holds offset ``start`` speaks of the future ("will debate ... on February 3")."""
    clause = max(text.rfind(c, 0, start) for c in ".;!?\n")
    return _FUTURE_RE.search(text, clause + 1, start) is not None


# A dateline opens a wire report: "PORT SELDEN, Jan 10 (Harbour Wire) -". Its date is when the report was
# filed, not an event the report states.
_DATELINE_RE = re.compile(
    r"(?:^|\n)[^\S\n]*[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z .]+)?,\s*(?P<date>[^()\n]{3,40}?)\s*(?:\([^)\n]{1,60}\))?"
    r"\s*[-–—]{1,2}\s"
)


# A masthead line: a date alone, or after the publication's name ("Amber Voice — 10 January 2020").
_MASTHEAD_LEAD_RE = re.compile(r"[^\S\n]*(?:[A-Z][\w .'’&-]{0,50}?[^\S\n]+[—–|-][^\S\n]*)?")


def _datelines(text: str) -> list[tuple[int, int]]:
    return [(m.start("date"), m.end("date")) for m in _DATELINE_RE.finditer(text)]


def _masthead(text: str, start: int, end: int) -> bool:
    """Whether the date at text[start:end] is all its line holds, but for the publication's name."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lead = _MASTHEAD_LEAD_RE.fullmatch(text, line_start, start)
    return lead is not None and not text[end:line_end].strip(" .")


def find_dates(text: str, reference: datetime.date | None) -> tuple[list[_Date], list[tuple[int, int]]]:
    """The dates of ``text``, and the spans of the datelines and mastheads left out (no figures either)."""
    found = []
    datelines = _datelines(text)
    left_out = []
    for m in _DATE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in datelines) or _masthead(text, m.start(), m.end()):
            left_out.append((m.start(), m.end()))
            continue  # when the report was filed, not an event it states
        date = _date_from(text, m, reference)
        if date is not None:
            found.append(date)
        elif m.group("range"):
            # A range the parser refuses may still hold dates it reads ("June 2019 to 1,500 people").
            for inner in _SINGLE_RE.finditer(text, m.start(), m.end()):
                date = _date_from(text, inner, reference)
                if date is not None:
                    found.append(date)
    return found, left_out
