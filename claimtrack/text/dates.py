"""The one date parser of claimtrack: researchers' dates in, EDTF and calendar bounds out.

Every date the ledger stores is kept two ways: an EDTF string (Extended Date/Time Format, ISO 8601-2) that
says exactly what is known -- "2020-07-06", "2019-06", "1990~", "198X", "XXXX-01-08", "2017-12/2018-01" --
and the earliest and latest calendar days it can mean, for sorting and filtering.

:func:`parse_date` reads what a researcher types: EDTF itself, or English such as "July 6, 2020",
"Wednesday, January 8", "circa 1990", "the 1980s", "December 2017 to January 2018" or "between 1988 and 1990".
:func:`from_edtf` rebuilds the bounds from a stored EDTF string. Both raise :class:`DateError` (one line,
quoting the input) for anything they cannot read; no exception of the ``edtf`` library escapes.

Choices worth knowing:

* Bounds are EDTF's *strict* bounds. A qualifier does not widen them: "1990~" (circa 1990) spans
  1990-01-01..1990-12-31, exactly like "1990", and the ``approximate`` flag carries the "circa". The library's
  fuzzy bounds pad by an arbitrary year and would make a filter's result depend on a setting.
* ``earliest``/``latest`` are ``None`` where there is no bound: a year-unknown date ("XXXX-01-08") has
  neither, an open or unknown interval end ("2020/..", "2020/") has none on that side.
* Winter (EDTF season 24, and 28/30, the northern winter and southern summer) runs from December of its
  year to the end of the next February. The ``edtf`` library gives December alone, which would drop
  January and February of the season from every filter.
* Where a decade or century leaves the year open, a day that does not exist in every year (29 February) is
  clamped to the end of its month in the bounds ("199X-02-29": 1990-02-28..1999-02-28): a little wider than
  exact, never narrower.
* "the 1900s" is read as the century 19XX, as edtf.text_to_edtf reads it (the wider of the two readings);
  a note says how to write the decade. "2020-21" is EDTF for spring 2020, and a note says how to write the
  years 2020 to 2021.
* English is read by claimtrack's own strict reader, and ``edtf`` validates the EDTF it produces and computes
  the bounds. ``edtf.text_to_edtf`` is not used: it parses fuzzily and silently turns unreadable text into a
  different date ("February 30, 2020" -> "2020", "I have 3 apples" -> "XXXX-XX-03", "1868-9" -> "1868-09",
  "July 6-8, 2020" -> "2008-07-06", "06/07/2020" -> June 7 without a word about the ambiguity).
* Supported EDTF: dates, months, years, seasons, ?/~/% qualifiers (also on single components, level 2),
  unspecified digits in the patterns 198X (decade), 19XX (century), XXXX (unknown year) and XX for a month or
  day, and intervals of these, open ("..") or unknown ("") at one end. A time ("2020-07-06T10:00:00Z") is
  dropped with a note. Sets ("[1667, 1668]"), significant digits ("1950S2"), long or negative years and other
  X patterns ("1XXX", "19X5", "2020-1X") are rejected with a DateError that says so; so are years before 1 CE,
  which ``datetime.date`` cannot hold.

``edtf`` (pyparsing, dateutil) takes a tenth of a second to import, so it is imported inside the functions
that need it: importing this module costs the command line nothing.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import functools
import io
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from claimtrack.errors import DateError

__all__ = ["ParsedDate", "from_edtf", "parse_date"]

PRECISIONS = ("day", "month", "year", "decade", "century", "season", "range", "year-unknown")

# Locale-independent names: calendar.month_name follows the process locale and would break display().
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# EDTF season codes (level 1: 21-24, level 2: 25-41) as display names. Quarters, quadrimesters and
# semesters are shown by their months, which says more than their names.
SEASON_NAMES = {
    21: "spring", 22: "summer", 23: "autumn", 24: "winter",
    25: "spring (northern hemisphere)", 26: "summer (northern hemisphere)",
    27: "autumn (northern hemisphere)", 28: "winter (northern hemisphere)",
    29: "spring (southern hemisphere)", 30: "summer (southern hemisphere)",
    31: "autumn (southern hemisphere)", 32: "winter (southern hemisphere)",
    33: "January-March", 34: "April-June", 35: "July-September", 36: "October-December",
    37: "January-April", 38: "May-August", 39: "September-December",
    40: "January-June", 41: "July-December",
}  # fmt: skip
# Seasons that run from December into the next year (see the module docstring).
_YEAR_CROSSING_SEASONS = frozenset({24, 28, 30})

_EXAMPLES = (
    "write e.g. 'July 6, 2020', 'June 2019', 'circa 1990', 'the 1980s', 'December 2017 to January 2018' "
    "or EDTF such as '2017-12/2018-01'"
)
# A date is short; refusing long text early keeps pyparsing (a few ms per attempt) off pasted paragraphs.
_MAX_LENGTH = 100


class _Unreadable(Exception):
    """Why a text is not a date; the public functions turn it into a DateError that quotes the whole input."""


def _date_error(text: str, reason: str) -> DateError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    # repr() keeps the message on one line whatever the input holds (newlines, tabs, control characters).
    return DateError(f"cannot read {shown!r} as a date: {reason}; {_EXAMPLES}")


# ---------------------------------------------------------------------------------------------------------
# The shape of an EDTF string (pure regular expressions: display() and precision need no edtf import)
# ---------------------------------------------------------------------------------------------------------

_Q = r"[?~%]"
# A superset of the EDTF forms claimtrack supports; the edtf grammar then decides which are valid. Keeping
# other forms away from edtf also matters because some of them ("2020-1X") make it print to stdout and raise
# AttributeError instead of a parse error.
_SIDE_PATTERN = (
    rf"(?P<yb>{_Q})?(?P<year>[0-9]{{4}}|[0-9]{{3}}X|[0-9]{{2}}XX|XXXX)(?P<ya>{_Q})?"
    rf"(?:-(?P<mb>{_Q})?(?P<month>[0-9]{{2}}|XX)(?P<ma>{_Q})?"
    rf"(?:-(?P<db>{_Q})?(?P<day>[0-9]{{2}}|XX)(?P<da>{_Q})?)?)?"
)
_SIDE_RE = re.compile(_SIDE_PATTERN, re.ASCII)
# One date, or an interval of two (either end may be open, "..", or unknown, ""). Group names must be unique.
_LOWER = _SIDE_PATTERN.replace("?P<", "?P<a_")
_UPPER = _SIDE_PATTERN.replace("?P<", "?P<b_")
_EDTF_RE = re.compile(rf"{_SIDE_PATTERN}|(?:{_LOWER}|\.\.)?/(?:{_UPPER}|\.\.)?", re.ASCII)
_TIME_RE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}(?::[0-9]{2})?)?)", re.ASCII
)


class _Shape(NamedTuple):
    """One date of an EDTF string (an interval has two), taken apart."""

    year: str  # "2020", "198X", "19XX" or "XXXX"
    month: str | None  # "01".."12", a season code "21".."41", "XX", or None when absent
    day: str | None  # "01".."31", "XX", or None
    qualifier: str | None  # "?", "~" or "%" when it qualifies the whole date (written at its end)
    partial: bool  # qualifiers on single components ("2004-06~-11", EDTF level 2)

    @property
    def season(self) -> int | None:
        return int(self.month) if self.month and self.month.isdigit() and int(self.month) > 12 else None

    @property
    def year_kind(self) -> str:
        return {0: "exact", 1: "decade", 2: "century"}.get(self.year.count("X"), "unknown")


def _shape(side: str) -> _Shape | None:
    match = _SIDE_RE.fullmatch(side)
    if match is None:
        return None
    qualifiers = [name for name in ("yb", "ya", "mb", "ma", "db", "da") if match[name]]
    # A qualifier at the very end applies to the whole date; anywhere else only to part of it.
    last = "da" if match["day"] else "ma" if match["month"] else "ya"
    whole = qualifiers == [last]
    return _Shape(
        year=match["year"],
        month=match["month"],
        day=match["day"],
        qualifier=match[last] if whole else None,
        partial=bool(qualifiers) and not whole,
    )


def _split_interval(value: str) -> tuple[str, str] | None:
    if "/" not in value:
        return None
    lower, _, upper = value.partition("/")
    return lower, upper


def _side_precision(shape: _Shape) -> str:
    if shape.year_kind == "unknown":
        return "year-unknown"
    if shape.season is not None:
        return "season"
    if shape.year_kind != "exact":
        return shape.year_kind
    if shape.month in (None, "XX"):
        return "year"
    return "month" if shape.day in (None, "XX") else "day"


def _year_words(year: str) -> str:
    if year.endswith("XX"):
        return f"the {year[:2]}00s ({year[:2]}00-{year[:2]}99)"
    if year.endswith("X"):
        return f"the {year[:3]}0s"
    return str(int(year))


def _plain_display(shape: _Shape) -> str:
    """The date without its qualifiers, in words."""
    known_year = shape.year_kind != "unknown"
    year = _year_words(shape.year) if known_year else ""
    exact = shape.year_kind == "exact"
    season = shape.season
    if season is not None:
        year_number = int(shape.year)
        if season in _YEAR_CROSSING_SEASONS:
            return f"{SEASON_NAMES[season]} {year_number}-{(year_number + 1) % 100:02d}"
        return f"{SEASON_NAMES[season]} {year_number}"
    month = MONTH_NAMES[int(shape.month) - 1] if shape.month and shape.month != "XX" else None
    day = int(shape.day) if shape.day and shape.day != "XX" else None
    if month is None and day is None:
        if not known_year:
            return "date unknown"
        return year + (", month unknown" if shape.month == "XX" else "")
    if month is None:  # a known day of an unknown month: "2020-XX-15"
        what = f"day {day} of an unknown month"
        return (
            f"{what} of {year}" if exact else f"{what} in {year}" if known_year else f"{what}, year unknown"
        )
    what = f"{day} {month}" if day is not None else month
    suffix = ", day unknown" if shape.day == "XX" else ""
    if exact:
        return f"{what} {year}{suffix}"
    if known_year:
        return f"{what} of a year in {year}{suffix}"
    return f"{what}, year unknown{suffix}"


def _side_display(side: str) -> str:
    shape = _shape(side)
    if shape is None:
        return side
    plain = _plain_display(shape)
    if shape.partial:
        approximate = "~" in side or "%" in side
        uncertain = "?" in side or "%" in side
        words = " and ".join(w for w, on in (("uncertain", uncertain), ("approximate", approximate)) if on)
        return f"{plain}, partly {words} ({side})"
    if shape.qualifier == "~":
        return f"circa {plain}"
    if shape.qualifier == "?":
        return f"possibly {plain}"
    if shape.qualifier == "%":
        return f"possibly circa {plain}"
    return plain


# ---------------------------------------------------------------------------------------------------------
# The public result
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedDate:
    """A date as claimtrack stores it: canonical EDTF, calendar bounds, and what the parser inferred.

    ``earliest`` and ``latest`` are inclusive; ``None`` means no bound on that side (an unknown year, an open
    interval end). Qualifiers do not widen the bounds: "1990~" spans 1990-01-01..1990-12-31.
    ``note`` is a sentence for the researcher when the parser inferred or doubted something (a year taken from
    the reference date, a weekday that does not fit); ``None`` otherwise.
    """

    edtf: str
    earliest: datetime.date | None
    latest: datetime.date | None
    note: str | None = None

    @property
    def precision(self) -> str:
        """How precisely the date is known: one of :data:`PRECISIONS`.

        "day", "month", "year", "decade", "century", "season", "range" (any interval) or "year-unknown".
        Whether the date is approximate or uncertain is a separate question (see the two flags).
        """
        if _split_interval(self.edtf) is not None:
            return "range"
        shape = _shape(self.edtf)
        if shape is None:  # not made by this module; say the least that is true
            return "year-unknown" if self.earliest is None else "range"
        return _side_precision(shape)

    @property
    def approximate(self) -> bool:
        """True when EDTF marks (part of) the date approximate: "~" or "%"."""
        return "~" in self.edtf or "%" in self.edtf

    @property
    def uncertain(self) -> bool:
        """True when EDTF marks (part of) the date uncertain: "?" or "%"."""
        return "?" in self.edtf or "%" in self.edtf

    def display(self) -> str:
        """The date in words, saying no more than is known.

        "6 July 2020", "June 2019", "1988", "circa 1990", "possibly June 2004", "the 1980s",
        "8 January, year unknown", "spring 2001", "December 2017 to January 2018", "2020 onwards".
        """
        sides = _split_interval(self.edtf)
        if sides is None:
            return _side_display(self.edtf)
        lower, upper = sides
        if lower == "..":
            return f"up to {_side_display(upper)}"
        if upper == "..":
            return f"{_side_display(lower)} onwards"
        start = _side_display(lower) if lower else "an unknown date"
        end = _side_display(upper) if upper else "an unknown date"
        unknown = ", year unknown"
        if start.endswith(unknown) and end.endswith(unknown):  # "8 January to 10 January, year unknown"
            start = start.removesuffix(unknown)
        return f"{start} to {end}"


# ---------------------------------------------------------------------------------------------------------
# EDTF validation and bounds (the edtf library)
# ---------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _edtf_object(value: str) -> Any:
    """The edtf library's object for ``value`` (cached: one parse costs several milliseconds)."""
    from edtf import parse_edtf  # imported here: edtf is slow to import (see the module docstring)

    try:
        # On some inputs ("../XXXX", "2020-1X") edtf's parse actions print a debugging line to stdout before
        # raising. The checks before each call keep the known ones away; this keeps any other out of the
        # command line's output.
        with contextlib.redirect_stdout(io.StringIO()):
            return parse_edtf(value)
    # edtf raises EDTFParseException (a pyparsing ParseException) for bad input, but AttributeError and
    # TypeError escape its parse actions for some inputs: none of them may reach the caller.
    except Exception as exc:
        qualified = any(q in value for q in "?~%")
        hint = " (EDTF does not allow ?, ~ or % there)" if qualified else ""
        raise _Unreadable(f"{value!r} is not valid EDTF{hint}") from exc


def _struct_to_date(value: Any) -> datetime.date:
    """A bound from edtf (a time.struct_time) as a date."""
    year, month, day = (int(part) for part in value[:3])
    if not 1 <= year <= 9999:
        raise _Unreadable("claimtrack handles the years 1 to 9999 only")
    # Only reached with an impossible day for X-years ("199X-02-29" -> 1990-02-29): clamp to the month.
    day = min(day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def _check_side(shape: _Shape) -> None:
    """Refuse what the calendar refuses but the edtf grammar lets through (29 February in every year)."""
    lowest_year = int(shape.year.replace("X", "0")) if shape.year_kind != "unknown" else 1
    if lowest_year < 1:
        raise _Unreadable("claimtrack handles the years 1 to 9999 only (0000 is 1 BCE)")
    if shape.month is None or shape.month == "XX":
        if shape.day is not None and shape.day != "XX" and not 1 <= int(shape.day) <= 31:
            raise _Unreadable(f"no month has a day {int(shape.day)}")
        return
    number = int(shape.month)
    if shape.season is not None:
        if number not in SEASON_NAMES:
            hint = ""
            if shape.year_kind == "exact" and (int(shape.year) + 1) % 100 == number:  # "2017-18"
                year = int(shape.year)
                hint = f" (for the years {year} to {year + 1} write {year}/{year + 1})"
            raise _Unreadable(f"{shape.month} is neither a month nor an EDTF season code{hint}")
        if shape.day is not None:
            raise _Unreadable("a season cannot have a day")
        return
    if not 1 <= number <= 12:
        raise _Unreadable(f"there is no month {number}")
    if shape.day is None or shape.day == "XX":
        return
    day = int(shape.day)
    _check_day(int(shape.year) if shape.year_kind == "exact" else None, number, day)


def _check_day(year: int | None, month: int, day: int) -> None:
    # Without a known year, 29 February is possible (2000 is a leap year).
    last = calendar.monthrange(year if year is not None else 2000, month)[1]
    if 1 <= day <= last:
        return
    name = MONTH_NAMES[month - 1]
    if year is None:
        raise _Unreadable(f"{name} never has a day {day}")
    raise _Unreadable(f"{name} {year} has {last} days, so there is no {day} {name} {year}")


def _side_bounds(side: str, shape: _Shape) -> tuple[datetime.date | None, datetime.date | None]:
    if shape.year_kind == "unknown":
        return None, None  # edtf would say years 0 to 9999: no bound a filter can use
    if shape.season in _YEAR_CROSSING_SEASONS:
        year = int(shape.year)
        if year >= 9999:
            raise _Unreadable("claimtrack handles the years 1 to 9999 only")
        return datetime.date(year, 12, 1), datetime.date(year + 1, 2, calendar.monthrange(year + 1, 2)[1])
    obj = _edtf_object(side)
    try:
        lower, upper = obj.lower_strict(), obj.upper_strict()
    except Exception as exc:  # defensive: edtf computing bounds of a form it has just accepted
        raise _Unreadable(f"edtf cannot compute the dates {side!r} covers") from exc
    return _struct_to_date(lower), _struct_to_date(upper)


def _plain_date(value: str) -> ParsedDate:
    """A plain year, month or day ("2020", "2020-01", "2020-01-08") without the edtf library: its bounds
    are the calendar's, the same that edtf computes (a test compares the two), at a small fraction of the
    cost of edtf's grammar — which matters when a report shows thousands of dates."""
    shape = _shape(value)
    assert shape is not None  # every plain date has a shape
    _check_side(shape)
    year = int(value[:4])
    if len(value) == 4:
        return ParsedDate(value, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    month = int(value[5:7])
    if len(value) == 7:
        last = calendar.monthrange(year, month)[1]
        return ParsedDate(value, datetime.date(year, month, 1), datetime.date(year, month, last))
    day = datetime.date(year, month, int(value[8:10]))
    return ParsedDate(value, day, day)


_QUICK_SIDE = re.compile(r"([0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-[0-9]{2})?)?)([?~%]?)", re.ASCII)
_DECADE_OR_CENTURY = re.compile(r"[0-9]{3}X|[0-9]{2}XX", re.ASCII)


def _quick(value: str) -> ParsedDate | None:
    """The common forms without the edtf library: a plain year, month or day, qualified or not ("2020~",
    "2020-01?"), an interval of two of them in order ("2019/2020-03"), or a decade or century alone ("198X",
    "19XX"). None for anything else (seasons, other unspecified digits, open ends, reversed intervals), which
    takes the long way."""
    if _DECADE_OR_CENTURY.fullmatch(value):
        shape = _shape(value)
        assert shape is not None  # every decade and century has a shape
        _check_side(shape)  # years before 1 CE
        first = int(value.replace("X", "0"))
        return ParsedDate(
            value, datetime.date(first, 1, 1), datetime.date(int(value.replace("X", "9")), 12, 31)
        )
    sides = value.split("/")
    if len(sides) > 2:
        return None
    bounds = []
    for side in sides:
        match = _QUICK_SIDE.fullmatch(side)
        if match is None:
            return None
        bounds.append(_plain_date(match.group(1)))
    earliest, latest = bounds[0].earliest, bounds[-1].latest
    if earliest is None or latest is None or earliest > latest:
        return None
    return ParsedDate(value, earliest, latest)


def _build(value: str, *, fast: bool = True) -> ParsedDate:
    """Validate an EDTF string of the supported forms and compute its bounds (``fast``: plain dates without
    the edtf library)."""
    if fast:
        quick = _quick(value)
        if quick is not None:
            return quick
    if not _EDTF_RE.fullmatch(value):
        raise _Unreadable(f"{value!r} is not an EDTF form claimtrack supports")
    sides = _split_interval(value)
    dated = [side for side in (sides or (value,)) if side not in ("", "..")]
    if not dated:
        raise _Unreadable("an interval needs a date at one end at least")
    # EDTF (level 1) leaves an end open or unknown only opposite a plain date or season; edtf itself prints
    # a debugging line for the other forms before refusing them.
    plain = re.fullmatch(r"[0-9]{4}(?:-[0-9]{2}){0,2}[?~%]?", dated[0], re.ASCII)
    if sides is not None and len(dated) == 1 and not plain:
        raise _Unreadable(
            f"an open or unknown end needs a plain date such as 2020-06 at the other end, not {dated[0]!r}"
        )
    shapes = {}
    for side in dated:
        shape = _shape(side)
        assert shape is not None  # guaranteed by _EDTF_RE
        _check_side(shape)  # before edtf, whose grammar gives every February 29 days
        shapes[side] = shape
    canonical = str(_edtf_object(value))  # validates the whole string against the EDTF grammar
    if canonical != value:  # defensive: edtf writes every supported form back unchanged
        raise _Unreadable(f"{value!r} is not an EDTF form claimtrack supports")
    notes = [note for side in dated for note in _season_notes(shapes[side])]
    if sides is None:
        earliest, latest = _side_bounds(value, shapes[value])
        return ParsedDate(value, earliest, latest, _join(notes))
    lower, upper = sides
    earliest = _side_bounds(lower, shapes[lower])[0] if lower in shapes else None
    latest = _side_bounds(upper, shapes[upper])[1] if upper in shapes else None
    if earliest is not None and latest is not None and earliest > latest:
        raise _Unreadable(f"the interval starts ({lower}) after it ends ({upper})")
    return ParsedDate(value, earliest, latest, _join(notes))


def _season_notes(shape: _Shape) -> list[str]:
    season = shape.season
    if season is None or season not in _YEAR_CROSSING_SEASONS:
        return []
    year = int(shape.year)
    return [f"{SEASON_NAMES[season]} {year} is taken as December {year} to February {year + 1}"]


def _join(notes: list[str]) -> str | None:
    unique = list(dict.fromkeys(note for note in notes if note))
    return "; ".join(unique) if unique else None


# ---------------------------------------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_APPROXIMATE = {"circa", "c", "ca", "about", "around", "approximately", "approx", "roughly"}
_UNCERTAIN = {"possibly", "perhaps", "maybe", "probably"}
_VAGUE = {"early", "mid", "late"}  # narrower than the period they qualify; the whole period is kept
_FILLER = {"the", "of", "in", "on", ","}
_HINTS = {
    "before": "for an open range write '../1990'",
    "after": "for an open range write '1990/..'",
    "since": "for an open range write '1990/..'",
    "from": "for a range write 'from 1990 to 1995'",
    "and": "for a range write 'between 1988 and 1990'",
    "today": "relative dates need a calendar date",
    "yesterday": "relative dates need a calendar date",
    "tomorrow": "relative dates need a calendar date",
    "now": "relative dates need a calendar date",
    "bc": "years before 1 CE are not supported",
    "bce": "years before 1 CE are not supported",
}

_TOKEN_RE = re.compile(r"[a-z]+\.?|[0-9]+(?:st|nd|rd|th|s)?|[,~?%]|\S", re.ASCII)
_NUMERIC_DATE_RE = re.compile(r"[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}", re.ASCII)
_BETWEEN_RE = re.compile(r"between\s+(.+?)\s+and\s+(.+)", re.ASCII | re.DOTALL)
_TO_RE = re.compile(r"(?:from\s+)?(.+?)\s+(?:to|until|till|through|thru)\s+(.+)", re.ASCII | re.DOTALL)
_DASH_RE = re.compile(r"\s*(?:-+|\u2013|\u2014)\s*")


@dataclass
class _Parts:
    """What an English phrase (or one end of a range) says, before it becomes EDTF."""

    year: str | None = None  # "2020", "198X" or "19XX"; None when not given
    month: int | None = None
    season: int | None = None
    day: int | None = None
    weekday: int | None = None
    approximate: bool = False
    uncertain: bool = False
    verbatim: str | None = None  # an EDTF date kept as written (its qualifiers may sit inside it)
    notes: list[str] = field(default_factory=list)

    def start_key(self) -> tuple[int, int]:
        month = self.month or (3 * (self.season - 21) + 3 if self.season else 1)
        return month, self.day or 1

    def end_key(self) -> tuple[int, int]:
        month = self.month or (3 * (self.season - 21) + 5 if self.season else 12)
        return month, self.day or 31


def _set_once(parts: _Parts, name: str, value: int | str, token: str) -> None:
    if getattr(parts, name) is not None:
        raise _Unreadable(f"it names more than one {name} ({token!r} is the second)")
    setattr(parts, name, value)


def _parse_phrase(phrase: str) -> _Parts:
    """One date in English (or EDTF), as parts. Strict: every word must mean something."""
    phrase = phrase.strip()
    if _SIDE_RE.fullmatch(phrase.replace("x", "X")):
        return _parts_from_edtf(phrase.replace("x", "X"))
    parts = _Parts()
    tokens = _TOKEN_RE.findall(phrase)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = token.rstrip(".")
        following = tokens[index + 1].rstrip(".") if index + 1 < len(tokens) else None
        number = re.fullmatch(r"([0-9]+)(st|nd|rd|th)?", token)
        if word in _FILLER:
            pass
        elif word in _APPROXIMATE or token == "~":
            parts.approximate = True
        elif word in _UNCERTAIN or token == "?":
            parts.uncertain = True
        elif token == "%":
            parts.approximate = parts.uncertain = True
        elif word in _VAGUE:
            parts.notes.append(f"{word!r} is not recorded: the date covers the whole period")
        elif word in _MONTHS:
            _set_once(parts, "month", _MONTHS[word], token)
        elif word in _WEEKDAYS:
            _set_once(parts, "weekday", _WEEKDAYS[word], token)
        elif word in _SEASONS:
            _set_once(parts, "season", _SEASONS[word], token)
        elif number and following == "century":
            ordinal = int(number[1])
            if not 1 <= ordinal <= 99:
                raise _Unreadable(f"there is no {token} century claimtrack can record")
            _set_once(parts, "year", f"{ordinal - 1:02d}XX", token)
            index += 1
        elif re.fullmatch(r"[0-9]{4}s", token):
            _set_once(parts, "year", _decade_or_century(token, parts), token)
        elif re.fullmatch(r"[0-9]{4}", token):
            _set_once(parts, "year", token, token)
        elif number and len(number[1]) <= 2:
            day = int(number[1])
            if not 1 <= day <= 31:
                raise _Unreadable(f"{token!r} is neither a day of the month (1-31) nor a four-digit year")
            _set_once(parts, "day", day, token)
        elif re.fullmatch(r"[0-9]{2}s", token):
            raise _Unreadable(f"write the decade {token!r} with four digits, e.g. '1980s'")
        elif re.fullmatch(r"[0-9]+", token):
            raise _Unreadable(f"{token!r} is neither a day of the month (1-31) nor a four-digit year")
        else:
            hint = _HINTS.get(word)
            raise _Unreadable(f"{token!r} is not a date word" + (f" ({hint})" if hint else ""))
        index += 1
    return parts


def _decade_or_century(token: str, parts: _Parts) -> str:
    digits = token[:4]
    if digits.endswith("00"):
        # As edtf.text_to_edtf reads it: "the 1900s" is the century. It is also the wider reading, so a
        # filter never loses a claim that meant the decade; the note says how to write the decade.
        parts.notes.append(
            f"{token!r} read as the century {digits}-{digits[:2]}99; write {digits[:3]}X for the decade "
            f"{digits}-{digits[:3]}9"
        )
        return digits[:2] + "XX"
    if digits.endswith("0"):
        return digits[:3] + "X"
    raise _Unreadable(f"{token!r} is not a decade (decades end in 0, e.g. '1980s')")


def _parts_from_edtf(value: str) -> _Parts:
    """An EDTF date as parts when it has no internal qualifiers, so that a range can complete it."""
    shape = _shape(value)
    assert shape is not None
    unusual = shape.partial or "XX" in (shape.month, shape.day) or (shape.season or 0) > 24
    if unusual or shape.year_kind not in ("exact", "unknown"):
        return _Parts(verbatim=value)
    parts = _Parts(
        year=shape.year if shape.year_kind == "exact" else None,
        approximate=shape.qualifier in ("~", "%"),
        uncertain=shape.qualifier in ("?", "%"),
    )
    if shape.month is not None:
        if shape.season is not None:
            parts.season = shape.season
        else:
            parts.month = int(shape.month)
    if shape.day is not None:
        parts.day = int(shape.day)
    return parts


def _complete_range(start: _Parts, end: _Parts) -> None:
    """Let each end of a range borrow what it leaves out from the other: "6-8 July 2020", "July 6-8, 2020"."""
    if start.verbatim or end.verbatim:
        return
    if end.month is None and end.season is None and end.day is not None and start.month is not None:
        end.month = start.month
    if start.month is None and start.season is None and start.day is not None and end.month is not None:
        start.month = end.month
    dated = (start.month or start.season, end.month or end.season)
    if start.year is None and _exact(end.year) and dated[0]:
        assert end.year is not None
        start.year = end.year
        if start.start_key() > end.end_key():  # "December to January 2018": December 2017
            start.year = f"{int(end.year) - 1:04d}"
            start.notes.append(f"the start is taken to be in {int(start.year)}, the year before the end")
    elif end.year is None and _exact(start.year) and dated[1]:
        assert start.year is not None
        end.year = start.year
        if start.start_key() > end.end_key():  # "December 2017 to January": January 2018
            end.year = f"{int(start.year) + 1:04d}"
            end.notes.append(f"the end is taken to be in {int(end.year)}, the year after the start")


def _exact(year: str | None) -> bool:
    return year is not None and year.isdigit()


def _resolve_year(parts: _Parts, reference: datetime.date | None) -> None:
    """Give a year-less date ("Wednesday, January 8") a year from the reference date, and say how."""
    if parts.verbatim or parts.year is not None or parts.month is None:
        return
    if parts.weekday is not None and parts.day is None:
        return  # "Wednesday, January": refused by _phrase_to_edtf
    weekday = WEEKDAY_NAMES[parts.weekday] if parts.weekday is not None else None
    month_name = MONTH_NAMES[parts.month - 1]
    what = f"{parts.day} {month_name}" if parts.day is not None else month_name
    if reference is None:
        if weekday:
            parts.notes.append(f"year unknown: no reference date to check {weekday!r} against")
        return
    if parts.day is not None:
        _check_day(None, parts.month, parts.day)
    if weekday is None:
        year = _latest_year_on_or_before(parts.month, parts.day, reference)
        if year is None:
            return
        parts.year = f"{year:04d}"
        parts.notes.append(
            f"year {year} taken from the reference date {reference.isoformat()}: the latest {what} on or "
            "before it; no weekday given to check it"
        )
        return
    assert parts.day is not None
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = datetime.date(year, parts.month, parts.day)
        except ValueError:  # 29 February of a common year, or a year outside 1-9999
            continue
        if candidate.weekday() == parts.weekday:
            candidates.append(candidate)
    if not candidates:
        parts.notes.append(
            f"year unknown: {weekday!r} fits no {what} within a year of {reference.isoformat()}"
        )
        return
    # Nearest to the reference, on or before it first: a document mostly talks about its past. (Weekdays
    # shift by one or two days a year, so at most one of the three candidates matches anyway.)
    chosen = min(candidates, key=lambda day: (day > reference, abs((day - reference).days)))
    parts.year = f"{chosen.year:04d}"
    parts.notes.append(
        f"year {chosen.year} taken from the reference date {reference.isoformat()}; {what} {chosen.year} was "
        f"a {weekday}, as the text says"
    )


def _latest_year_on_or_before(month: int, day: int | None, reference: datetime.date) -> int | None:
    # Eight years back reaches the previous 29 February even across a skipped leap year (1896 -> 1904).
    for year in range(reference.year, max(reference.year - 9, 0), -1):
        try:
            candidate = datetime.date(year, month, day or 1)
        except ValueError:
            continue
        if candidate <= reference:
            return year
    return None


def _phrase_to_edtf(parts: _Parts) -> str:
    """The EDTF for one finished phrase, after the checks EDTF itself cannot make."""
    if parts.verbatim is not None:
        return parts.verbatim
    if parts.year is None and parts.month is None and parts.day is None and parts.season is None:
        raise _Unreadable("it names no year, month or day")
    if parts.day is not None and parts.month is None:
        raise _Unreadable("a day of the month needs a month (e.g. 'July 6')")
    if parts.weekday is not None and parts.day is None:
        raise _Unreadable("a weekday needs a day of the month (e.g. 'Wednesday, January 8')")
    if parts.season is not None:
        if parts.month is not None:
            raise _Unreadable("a season cannot also have a month")
        if parts.year is None:
            raise _Unreadable("a season needs a year (e.g. 'spring 2001')")
        if parts.approximate or parts.uncertain:
            raise _Unreadable("EDTF cannot mark a season circa or uncertain")
    exact_year = _exact(parts.year)
    if parts.year is not None and not exact_year and (parts.month or parts.season):
        raise _Unreadable("a decade or century cannot have a month or day")
    if parts.year is None and (parts.approximate or parts.uncertain):
        raise _Unreadable("EDTF cannot mark a date without a year circa or uncertain")
    if parts.month is not None and parts.day is not None:
        _check_day(int(parts.year) if parts.year and exact_year else None, parts.month, parts.day)
    if parts.weekday is not None and parts.year and exact_year and parts.month and parts.day:
        actual = datetime.date(int(parts.year), parts.month, parts.day)
        if actual.weekday() != parts.weekday:
            parts.notes.append(
                f"the text says {WEEKDAY_NAMES[parts.weekday]} but {parts.day} "
                f"{MONTH_NAMES[parts.month - 1]} {int(parts.year)} was a {WEEKDAY_NAMES[actual.weekday()]}"
            )
    value = parts.year or "XXXX"
    if parts.season is not None:
        value += f"-{parts.season}"
    if parts.month is not None:
        value += f"-{parts.month:02d}"
    if parts.day is not None:
        value += f"-{parts.day:02d}"
    if parts.approximate and parts.uncertain:
        value += "%"
    elif parts.approximate:
        value += "~"
    elif parts.uncertain:
        value += "?"
    return value


def _normalise(text: str) -> str:
    lowered = text.lower().replace("\u2019", "'")
    lowered = re.sub(r"\b([0-9]{4})'s\b", r"\1s", lowered)  # "1980's"
    lowered = re.sub(r"\b(early|mid|late)-", r"\1 ", lowered)  # "mid-1990s" is not a range
    return " ".join(lowered.split())


def _english(text: str, reference: datetime.date | None) -> ParsedDate:
    phrase = _normalise(text)
    for pattern in (_BETWEEN_RE, _TO_RE):
        match = pattern.fullmatch(phrase)
        if match:
            return _english_range(match[1], match[2], reference)
    dashes = list(_DASH_RE.finditer(phrase))
    if not dashes:
        parts = _parse_phrase(phrase)
        _resolve_year(parts, reference)
        edtf = _phrase_to_edtf(parts)
        return _with_notes(_build(edtf), parts.notes)
    # "December 2017-January 2018", "2020-07-06 - 2020-07-09": try every dash, keep the one that reads.
    results: list[ParsedDate] = []
    first_error: _Unreadable | None = None
    for dash in dashes:
        try:
            results.append(_english_range(phrase[: dash.start()], phrase[dash.end() :], reference))
        except _Unreadable as exc:
            first_error = first_error or exc
    if len(results) == 1:
        return results[0]
    if len(results) > 1:
        readings = " or ".join(repr(result.edtf) for result in results)
        raise _Unreadable(f"the dash can be read more than one way ({readings}); use 'to' instead")
    assert first_error is not None
    raise first_error


def _english_range(start_text: str, end_text: str, reference: datetime.date | None) -> ParsedDate:
    if not start_text.strip() or not end_text.strip():
        raise _Unreadable("a range needs a date at each end")
    start, end = _parse_phrase(start_text), _parse_phrase(end_text)
    _complete_range(start, end)
    if start.year is None and end.year is None:
        if reference is not None:
            _resolve_year(end, reference)  # the end is nearer the reference; the start follows it
            _complete_range(start, end)
        else:
            _resolve_year(start, None)  # only notes a weekday that cannot be checked
            _resolve_year(end, None)
    edtf = f"{_phrase_to_edtf(start)}/{_phrase_to_edtf(end)}"
    return _with_notes(_build(edtf), start.notes + end.notes)


def _with_notes(result: ParsedDate, notes: list[str]) -> ParsedDate:
    note = _join(notes + ([result.note] if result.note else []))
    return ParsedDate(result.edtf, result.earliest, result.latest, note)


# ---------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------


def _edtf_text(text: str) -> tuple[str, list[str]]:
    """An EDTF string with any time of day removed (with a note), or _Unreadable for unsupported EDTF."""
    timed = _TIME_RE.fullmatch(text)
    if timed:
        _edtf_object(text)  # the whole string must be valid EDTF before its time is dropped
        return timed[1], [f"time of day {timed[2]} dropped: claimtrack records dates only"]
    if re.fullmatch(r"[\[{].*[\]}]", text):
        raise _Unreadable("EDTF sets ([...] and {...}) are not supported; record one date or an interval")
    if re.fullmatch(r"-?Y-?[0-9]+(?:E[0-9]+)?(?:S[0-9]+)?", text):
        raise _Unreadable("EDTF long and exponential years are not supported")
    if re.fullmatch(r"-?[0-9X]{4}S[0-9]+", text):
        raise _Unreadable("EDTF significant digits are not supported; use an interval such as 1900/1999")
    if re.fullmatch(r"(?:.*/)?-[0-9]{4}.*", text):
        raise _Unreadable("years before 1 CE are not supported")
    return text, []


def _looks_like_edtf(text: str) -> bool:
    """EDTF and nothing else: digits, X and EDTF punctuation, with an X, a qualifier, '/' or '..' in it."""
    marks = ("X", "?", "~", "%", "/", "..")
    return bool(re.fullmatch(r"[0-9X?~%/.\-]+", text)) and any(mark in text for mark in marks)


def parse_date(text: str, reference: datetime.date | None = None) -> ParsedDate:
    """Read a date as a researcher writes it, in EDTF or in English.

    Accepted: EDTF ("2020-07-06", "1990~", "2004-06?", "198X", "XXXX-01-08", "2017-12/2018-01", "2020/..")
    and English: "July 6, 2020", "6 July 2020", "Wednesday, January 8", "June 2019", "1988", "circa 1990",
    "about 1990", "c. 1990", "possibly 1990", "the 1980s", "20th century", "spring 2001",
    "December 2017-January 2018", "December 2017 to January 2018", "between 1988 and 1990", "6-8 July 2020".

    A date without a year ("January 8", "Wednesday, January 8") is given one from ``reference``, the
    publication date of the source it comes from: the latest such day on or before the reference; or, when the
    text names a weekday, the one of the reference's year and the years either side on which that weekday
    falls (nearest the reference, on or before it first). If the weekday fits none, or there is no reference,
    the year stays unknown ("XXXX-01-08", no bounds). ``note`` says what was inferred and why, and warns when
    a weekday does not fit a date that has a year.

    Raises DateError (one line, quoting the text) for empty text, text that is not a date, impossible dates
    ("February 30, 2020", "2020-13-01") and intervals that end before they start.
    """
    if not isinstance(text, str):
        raise DateError(f"a date must be text, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise DateError(f"cannot read an empty date; {_EXAMPLES}")
    if len(stripped) > _MAX_LENGTH:
        raise _date_error(stripped, f"a date is at most {_MAX_LENGTH} characters")
    if isinstance(reference, datetime.datetime):  # a datetime cannot be compared with a date
        reference = reference.date()
    try:
        return _parse(stripped, reference)
    except _Unreadable as exc:
        raise _date_error(stripped, str(exc)) from None
    except (ValueError, ArithmeticError) as exc:  # defensive: a date computation this module did not foresee
        raise _date_error(stripped, "it does not make a calendar date") from exc


def _parse(text: str, reference: datetime.date | None) -> ParsedDate:
    candidate = text.replace("x", "X") if re.fullmatch(r"[0-9xX?~%/.\-]+", text) else text
    if _EDTF_RE.fullmatch(candidate):
        result = _build(candidate)
        shape = _shape(result.edtf)
        notes: list[str] = []
        if shape is not None and shape.season is not None and (int(shape.year) + 1) % 100 == shape.season:
            # "2020-21" is spring 2020 in EDTF, but may have been meant as the years 2020 to 2021.
            year = int(shape.year)
            notes.append(
                f"read as the EDTF season code {shape.month}, {SEASON_NAMES[shape.season]} {year}; for the "
                f"years {year} to {year + 1} write {year}/{year + 1}"
            )
        if reference is not None and shape is not None and shape.year_kind == "unknown":
            parts = _parts_from_edtf(result.edtf)
            if (
                parts.verbatim is None
                and parts.month is not None
                and not parts.approximate
                and not parts.uncertain
            ):
                _resolve_year(parts, reference)
                if parts.year is not None:
                    return _with_notes(_build(_phrase_to_edtf(parts)), notes + parts.notes)
        return _with_notes(result, notes)
    edtf_text, notes = _edtf_text(text)
    if edtf_text != text:  # a time of day was dropped
        return _with_notes(_build(edtf_text), notes)
    if _NUMERIC_DATE_RE.fullmatch(text):
        raise _Unreadable(
            "all-numeric dates are ambiguous (is 06/07/2020 6 July or June 7?); write the month as a word "
            "or use 2020-07-06"
        )
    if _looks_like_edtf(text):
        hint = (
            " (X stands for the last digit of a decade, 198X, the last two of a century, 19XX, a whole year,"
            " XXXX, or a whole month or day, XX)"
            if "X" in text
            else ""
        )
        raise _Unreadable(f"not an EDTF form claimtrack supports{hint}")
    return _english(text, reference)


def from_edtf(value: str) -> ParsedDate:
    """Rebuild a stored date from its EDTF string: the same ``edtf``, ``earliest`` and ``latest`` as when it
    was parsed (``note`` is not stored; a year-unknown date has no bounds).

    Raises DateError if ``value`` is not EDTF of a form claimtrack supports (see the module docstring).
    """
    if not isinstance(value, str):
        raise DateError(f"an EDTF date must be text, not {type(value).__name__}")
    stripped = value.strip()
    if not stripped:
        raise DateError(
            "cannot read an empty EDTF date; write e.g. '2020-07-06', '1990~' or '2017-12/2018-01'"
        )
    try:
        if len(stripped) > _MAX_LENGTH:
            raise _Unreadable(f"an EDTF date is at most {_MAX_LENGTH} characters")
        edtf_text, notes = _edtf_text(stripped)
        return _with_notes(_build(edtf_text), notes)
    except _Unreadable as exc:
        raise DateError(f"cannot read {stripped[:60]!r} as an EDTF date: {exc}") from None
    except (ValueError, ArithmeticError) as exc:
        raise DateError(
            f"cannot read {stripped[:60]!r} as an EDTF date: it does not make a calendar date"
        ) from exc
