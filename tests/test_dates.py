"""The date parser: what researchers type, the EDTF and bounds it becomes, and what it refuses."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.errors import DateError
from claimtrack.text.dates import PRECISIONS, ParsedDate, from_edtf, parse_date

D = dt.date
REFERENCE = D(2020, 1, 10)  # a Friday; 8 January 2020 was a Wednesday, 8 January 2019 a Tuesday

# Each parse of a new EDTF string costs edtf a few milliseconds: keep the example counts modest.
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text, edtf, earliest, latest, precision, display
TABLE = [
    ("July 6, 2020", "2020-07-06", D(2020, 7, 6), D(2020, 7, 6), "day", "6 July 2020"),
    ("6 July 2020", "2020-07-06", D(2020, 7, 6), D(2020, 7, 6), "day", "6 July 2020"),
    ("2020-07-06", "2020-07-06", D(2020, 7, 6), D(2020, 7, 6), "day", "6 July 2020"),
    ("  Jan. 8th, 2020 ", "2020-01-08", D(2020, 1, 8), D(2020, 1, 8), "day", "8 January 2020"),
    ("2020 July 6", "2020-07-06", D(2020, 7, 6), D(2020, 7, 6), "day", "6 July 2020"),
    ("Wednesday, January 8", "XXXX-01-08", None, None, "year-unknown", "8 January, year unknown"),
    ("January 8", "XXXX-01-08", None, None, "year-unknown", "8 January, year unknown"),
    ("January", "XXXX-01", None, None, "year-unknown", "January, year unknown"),
    ("June 2019", "2019-06", D(2019, 6, 1), D(2019, 6, 30), "month", "June 2019"),
    ("February 2020", "2020-02", D(2020, 2, 1), D(2020, 2, 29), "month", "February 2020"),
    ("1988", "1988", D(1988, 1, 1), D(1988, 12, 31), "year", "1988"),
    # Approximate dates keep the strict bounds of what they qualify (see the module docstring).
    ("circa 1990", "1990~", D(1990, 1, 1), D(1990, 12, 31), "year", "circa 1990"),
    ("about 1990", "1990~", D(1990, 1, 1), D(1990, 12, 31), "year", "circa 1990"),
    ("c. 1990", "1990~", D(1990, 1, 1), D(1990, 12, 31), "year", "circa 1990"),
    ("1990~", "1990~", D(1990, 1, 1), D(1990, 12, 31), "year", "circa 1990"),
    ("possibly 1990", "1990?", D(1990, 1, 1), D(1990, 12, 31), "year", "possibly 1990"),
    ("2004-06?", "2004-06?", D(2004, 6, 1), D(2004, 6, 30), "month", "possibly June 2004"),
    ("circa June 2004?", "2004-06%", D(2004, 6, 1), D(2004, 6, 30), "month", "possibly circa June 2004"),
    ("the 1980s", "198X", D(1980, 1, 1), D(1989, 12, 31), "decade", "the 1980s"),
    ("1980s", "198X", D(1980, 1, 1), D(1989, 12, 31), "decade", "the 1980s"),
    ("the 1980's", "198X", D(1980, 1, 1), D(1989, 12, 31), "decade", "the 1980s"),
    ("198X", "198X", D(1980, 1, 1), D(1989, 12, 31), "decade", "the 1980s"),
    ("19XX", "19XX", D(1900, 1, 1), D(1999, 12, 31), "century", "the 1900s (1900-1999)"),
    ("20th century", "19XX", D(1900, 1, 1), D(1999, 12, 31), "century", "the 1900s (1900-1999)"),
    ("XXXX-01-08", "XXXX-01-08", None, None, "year-unknown", "8 January, year unknown"),
    ("spring 2001", "2001-21", D(2001, 3, 1), D(2001, 5, 31), "season", "spring 2001"),
    ("winter 2010", "2010-24", D(2010, 12, 1), D(2011, 2, 28), "season", "winter 2010-11"),
    (
        "2017-12/2018-01",
        "2017-12/2018-01",
        D(2017, 12, 1),
        D(2018, 1, 31),
        "range",
        "December 2017 to January 2018",
    ),
    (
        "December 2017-January 2018",
        "2017-12/2018-01",
        D(2017, 12, 1),
        D(2018, 1, 31),
        "range",
        "December 2017 to January 2018",
    ),
    (
        "December 2017 to January 2018",
        "2017-12/2018-01",
        D(2017, 12, 1),
        D(2018, 1, 31),
        "range",
        "December 2017 to January 2018",
    ),
    ("between 1988 and 1990", "1988/1990", D(1988, 1, 1), D(1990, 12, 31), "range", "1988 to 1990"),
    ("1990-1995", "1990/1995", D(1990, 1, 1), D(1995, 12, 31), "range", "1990 to 1995"),
    (
        "July 6-8, 2020",
        "2020-07-06/2020-07-08",
        D(2020, 7, 6),
        D(2020, 7, 8),
        "range",
        "6 July 2020 to 8 July 2020",
    ),
    (
        "6 to 8 July 2020",
        "2020-07-06/2020-07-08",
        D(2020, 7, 6),
        D(2020, 7, 8),
        "range",
        "6 July 2020 to 8 July 2020",
    ),
    ("circa 1990 to 1995", "1990~/1995", D(1990, 1, 1), D(1995, 12, 31), "range", "circa 1990 to 1995"),
    ("2020/..", "2020/..", D(2020, 1, 1), None, "range", "2020 onwards"),
    ("../2020", "../2020", None, D(2020, 12, 31), "range", "up to 2020"),
    ("2020/", "2020/", D(2020, 1, 1), None, "range", "2020 to an unknown date"),
    (
        "2004-06~-11",
        "2004-06~-11",
        D(2004, 6, 11),
        D(2004, 6, 11),
        "day",
        "11 June 2004, partly approximate (2004-06~-11)",
    ),
    (
        "2020-XX-15",
        "2020-XX-15",
        D(2020, 1, 15),
        D(2020, 12, 15),
        "year",
        "day 15 of an unknown month of 2020",
    ),
]


@pytest.mark.parametrize(("text", "edtf", "earliest", "latest", "precision", "display"), TABLE)
def test_reads_the_example_forms(
    text: str, edtf: str, earliest: D | None, latest: D | None, precision: str, display: str
) -> None:
    parsed = parse_date(text)
    assert (parsed.edtf, parsed.earliest, parsed.latest) == (edtf, earliest, latest)
    assert parsed.precision == precision
    assert parsed.display() == display
    rebuilt = from_edtf(parsed.edtf)
    assert (rebuilt.edtf, rebuilt.earliest, rebuilt.latest) == (edtf, earliest, latest)
    assert rebuilt.display() == display


def test_qualifier_flags() -> None:
    assert parse_date("circa 1990").approximate and not parse_date("circa 1990").uncertain
    assert parse_date("2004-06?").uncertain and not parse_date("2004-06?").approximate
    both = parse_date("2004-06-11%")
    assert both.approximate and both.uncertain
    plain = parse_date("1988")
    assert not plain.approximate and not plain.uncertain
    assert all(parse_date(text).precision in PRECISIONS for text, *_ in TABLE)


def test_agrees_with_edtf_text_to_edtf_where_that_reads_correctly() -> None:
    from edtf import text_to_edtf

    for text in (
        "July 6, 2020",
        "6 July 2020",
        "Wednesday, January 8",
        "June 2019",
        "1988",
        "circa 1990",
        "c. 1990",
        "the 1980s",
        "December 2017-January 2018",
        "spring 2001",
        "20th century",
    ):
        assert parse_date(text).edtf == text_to_edtf(text), text


# --- year-less dates and the reference date --------------------------------------------------------------


def test_weekday_that_fits_the_reference_year() -> None:
    parsed = parse_date("Wednesday, January 8", reference=REFERENCE)
    assert (parsed.edtf, parsed.earliest, parsed.latest) == ("2020-01-08", D(2020, 1, 8), D(2020, 1, 8))
    assert parsed.note == (
        "year 2020 taken from the reference date 2020-01-10; 8 January 2020 was a Wednesday, as the text says"
    )


def test_weekday_that_forces_the_previous_year() -> None:
    parsed = parse_date("Tuesday, January 8", reference=REFERENCE)
    assert parsed.edtf == "2019-01-08"
    assert parsed.note is not None and "year 2019" in parsed.note and "Tuesday" in parsed.note


def test_weekday_may_pick_a_date_just_after_the_reference() -> None:
    # 15 January 2020 was a Wednesday; in 2019 and 2021 it was not.
    assert parse_date("Wednesday, January 15", reference=REFERENCE).edtf == "2020-01-15"


def test_weekday_that_fits_no_candidate_year_leaves_the_year_unknown() -> None:
    parsed = parse_date("Monday, January 8", reference=REFERENCE)
    assert (parsed.edtf, parsed.earliest, parsed.latest) == ("XXXX-01-08", None, None)
    assert parsed.precision == "year-unknown"
    assert parsed.note == "year unknown: 'Monday' fits no 8 January within a year of 2020-01-10"


def test_without_a_weekday_the_latest_date_on_or_before_the_reference_is_taken() -> None:
    assert parse_date("January 8", reference=REFERENCE).edtf == "2020-01-08"
    later = parse_date("January 20", reference=REFERENCE)
    assert later.edtf == "2019-01-20"
    assert later.note is not None and "no weekday" in later.note and "2020-01-10" in later.note
    assert parse_date("January", reference=REFERENCE).edtf == "2020-01"
    assert parse_date("Feb 29", reference=REFERENCE).edtf == "2016-02-29"
    assert parse_date("XXXX-01-08", reference=REFERENCE).edtf == "2020-01-08"
    assert parse_date("January 8", reference=dt.datetime(2020, 1, 10, 12, 0)).edtf == "2020-01-08"


def test_without_a_reference_the_year_stays_unknown() -> None:
    parsed = parse_date("Wednesday, January 8")
    assert (parsed.edtf, parsed.earliest, parsed.latest) == ("XXXX-01-08", None, None)
    assert parse_date("January 8").note is None


def test_wrong_weekday_with_a_year_is_kept_with_a_warning() -> None:
    parsed = parse_date("Thursday, January 8, 2020")
    assert parsed.edtf == "2020-01-08"
    assert parsed.note == "the text says Thursday but 8 January 2020 was a Wednesday"
    assert parse_date("Wednesday, January 8, 2020").note is None


def test_a_range_takes_missing_years_from_its_other_end() -> None:
    assert parse_date("December to January 2018").edtf == "2017-12/2018-01"
    assert parse_date("December 2017 to January").edtf == "2017-12/2018-01"
    assert parse_date("January 8 to 10", reference=REFERENCE).edtf == "2020-01-08/2020-01-10"
    unknown = parse_date("January 8 to 10")
    assert (unknown.edtf, unknown.earliest, unknown.latest) == ("XXXX-01-08/XXXX-01-10", None, None)
    assert unknown.display() == "8 January to 10 January, year unknown"


def test_notes_explain_other_inferences() -> None:
    assert "century 1900-1999" in (parse_date("the 1900s").note or "")
    assert parse_date("the 1900s").edtf == "19XX"
    assert "December 2010 to February 2011" in (parse_date("winter 2010").note or "")
    assert "2020/2021" in (parse_date("2020-21").note or "")  # EDTF season code 21: spring 2020
    timed = parse_date("2020-07-06T10:00:00Z")
    assert timed.edtf == "2020-07-06" and "10:00:00Z" in (timed.note or "")
    assert "'early'" in (parse_date("early 1990s").note or "")


# --- refusals --------------------------------------------------------------------------------------------

REFUSED = [
    "",
    "   ",
    "yesterday-ish",
    "banana",
    "I have 3 apples",
    "February 30, 2020",
    "February 29, 2021",
    "2021-02-29",
    "31 April 2020",
    "2020-13-01",
    "2017-18",
    "2020/2019",
    "2020-06/2020-03",
    "June 2020 to March 2020",
    "between 1990 and 1988",
    "06/07/2020",
    "Wednesday",
    "Wednesday, January 2020",
    "8",
    "circa spring 2001",
    "circa January 8",
    "../..",
    "[1667, 1668]",
    "1950S2",
    "Y170000002",
    "-1990",
    "0000",
    "1XXX",
    "2020-1X",
    "1990..1995",
    "XXXX-02-30",
    "before 1990",
    "Yesterday",
    "July 6, 2020 10:00",
    "../XXXX",
    "line one\nline two",
    "9" * 500,
]


@pytest.mark.parametrize("text", REFUSED)
def test_refuses_with_a_one_line_message_quoting_the_input(text: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_date(text)
    message = str(refused.value)
    assert "\n" not in message
    assert "e.g." in message
    if text.strip() and len(text.strip()) <= 60:
        assert repr(text.strip()) in message


@pytest.mark.parametrize("value", ["", "July 6, 2020", "2020-13", "2020/2019", "[1667, 1668]", "2020-1X"])
def test_from_edtf_refuses_what_is_not_supported_edtf(value: str) -> None:
    with pytest.raises(DateError) as refused:
        from_edtf(value)
    assert "\n" not in str(refused.value)


def test_edtf_never_prints_or_raises_its_own_errors(capsys: pytest.CaptureFixture[str]) -> None:
    # edtf prints "trying to PartialUnspecified.__init__(...)" and raises AttributeError for "2020-1X".
    for text in ("2020-1X", "1X9X-XX", "XXXX-XX-1X", "2001-21~", "198X~/1995", "2020-07-06T25:00:00"):
        with pytest.raises(DateError):
            parse_date(text)
    assert capsys.readouterr().out == ""


def test_importing_the_module_does_not_import_edtf() -> None:
    code = "import sys, claimtrack.text.dates; print('edtf' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


# --- properties ------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31))


@FAST
@given(dates)
def test_any_calendar_day_reads_the_same_in_iso_and_english(day: D) -> None:
    for text in (day.isoformat(), f"{day:%B} {day.day}, {day.year}", f"{day.day} {day:%B} {day.year}"):
        parsed = parse_date(text)
        assert parsed.edtf == day.isoformat()
        assert parsed.earliest == parsed.latest == day
        assert parsed.precision == "day"


@st.composite
def edtf_dates(draw: st.DrawFn) -> str:
    day = draw(dates)
    form = draw(st.sampled_from(["day", "month", "year", "decade", "year-unknown", "approximate"]))
    return {
        "day": day.isoformat(),
        "month": day.isoformat()[:7],
        "year": day.isoformat()[:4],
        "decade": day.isoformat()[:3] + "X",
        "year-unknown": "XXXX" + day.isoformat()[4:],
        "approximate": day.isoformat()[:7] + "~",
    }[form]


@FAST
@given(edtf_dates())
def test_from_edtf_rebuilds_what_parse_date_made(value: str) -> None:
    parsed = parse_date(value)
    rebuilt = from_edtf(parsed.edtf)
    assert (rebuilt.edtf, rebuilt.earliest, rebuilt.latest) == (parsed.edtf, parsed.earliest, parsed.latest)
    if parsed.edtf.startswith("XXXX"):
        assert parsed.earliest is None and parsed.latest is None
    else:
        assert parsed.earliest is not None and parsed.latest is not None
        assert parsed.earliest <= parsed.latest


DATE_WORDS = [
    "January", "feb", "Sept.", "May", "Wednesday", "sun", "spring", "winter", "circa", "c.", "about",
    "possibly", "the", "of", "between", "and", "to", "from", "century", "20th", "1st", "early", ",", "-",
    "/", "?", "~", "%", "..", "X", "XX", "XXXX", "0", "8", "29", "30", "31", "32", "1980s", "1900s", "0000",
    "0001", "1990", "2020", "9999", "2020-02-29", "2021-02-29", "198X", "2020-24", "9999-24", "T10:00:00",
]  # fmt: skip
date_like_text = st.lists(st.sampled_from(DATE_WORDS), max_size=6).flatmap(
    lambda words: st.sampled_from([" ".join(words), "".join(words)])
)


def _check_result_or_refusal(text: str, reference: D | None = None) -> None:
    try:
        parsed = parse_date(text, reference)
    except DateError as refused:
        assert "\n" not in str(refused)
        return
    assert isinstance(parsed, ParsedDate)
    assert parsed.precision in PRECISIONS
    assert isinstance(parsed.display(), str)
    if parsed.earliest is not None and parsed.latest is not None:
        assert parsed.earliest <= parsed.latest


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_gives_a_date_or_a_date_error(text: str) -> None:
    _check_result_or_refusal(text)


@FAST
@given(date_like_text, st.none() | st.dates())
def test_date_like_text_gives_a_date_or_a_date_error(text: str, reference: D | None) -> None:
    _check_result_or_refusal(text, reference)


@FAST
@given(edtf_dates(), edtf_dates())
def test_every_valid_interval_has_earliest_before_latest(start: str, end: str) -> None:
    first, last = from_edtf(start), from_edtf(end)
    inverted = first.earliest is not None and last.latest is not None and first.earliest > last.latest
    try:
        parsed = parse_date(f"{start}/{end}")
    except DateError as refused:
        # Refused only when it ends before it starts, or when EDTF has no interval of the two forms.
        assert inverted or "not valid EDTF" in str(refused)
        return
    assert not inverted
    assert parsed.precision == "range"
    assert (parsed.earliest, parsed.latest) == (first.earliest, last.latest)
    if parsed.earliest is not None and parsed.latest is not None:
        assert parsed.earliest <= parsed.latest


_SIDES = st.tuples(
    st.integers(0, 9999),
    st.one_of(st.none(), st.integers(0, 24)),
    st.one_of(st.none(), st.integers(0, 32)),
    st.sampled_from(["", "~", "?", "%"]),
    st.sampled_from([0, 0, 0, 0, 1, 2]),
)


def _side(parts: tuple[int, int | None, int | None, str, int]) -> str:
    year, month, day, qualifier, unspecified = parts
    value = f"{year:04d}" + (f"-{month:02d}" if month is not None else "")
    value += f"-{day:02d}" if month is not None and day is not None else ""
    # A decade or century (198X, 19XX) in place of the year, for one side in three.
    value = value[: 4 - unspecified] + "X" * unspecified + value[4:]
    return value + qualifier


@settings(max_examples=400, deadline=None)
@given(_SIDES, st.one_of(st.none(), _SIDES))
def test_common_dates_read_without_edtf_agree_with_edtf(first, second) -> None:
    """Plain and qualified dates, decades and centuries, and intervals of them are read without the edtf
    grammar where they can be: the same result (or the same refusal) as the long way, which goes through edtf."""
    from claimtrack.text.dates import _build, _Unreadable

    value = _side(first) + ("" if second is None else "/" + _side(second))
    outcomes = []
    for fast in (True, False):
        try:
            outcomes.append(_build(value, fast=fast))
        except _Unreadable as exc:
            outcomes.append(type(exc))
    assert outcomes[0] == outcomes[1], value
