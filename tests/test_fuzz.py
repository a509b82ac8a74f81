"""Bad input, fuzzed: every parser and the command line's options, driven with generated values.

The only failures allowed are claimtrack's own: one line on stderr, exit code 1 (or a usage error from the
option parser, exit code 2), never a traceback or an "internal error" — and a failed command leaves the
database exactly as it was. Each bug these tests found has its input kept as an @example.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimtrack import vocab
from claimtrack.db import Ledger
from claimtrack.entities import choose
from claimtrack.errors import ClaimtrackError, DateError, InvalidInput
from claimtrack.text.dates import from_edtf, parse_date
from claimtrack.text.passages import CLOSEST_SEARCH_LONGEST, anchor_passage, relocate
from claimtrack.text.quantities import format_number, parse_number

# Pure parsers are fast: more examples. Each command-line example runs a command (and snapshots the database
# around a write): fewer, so that each file runs in well under a minute on either database.
PARSER = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMMAND = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Any text a person could type or paste, control characters, NUL and right-to-left marks included.
junk = st.text(st.characters(exclude_categories=["Cs"]), max_size=24)


def typed(*choices: str) -> st.SearchStrategy[str]:
    """Mostly values the command knows, sometimes anything."""
    return st.one_of(st.sampled_from(choices), junk)


DATE_WORDS = [
    "January", "Jan.", "feb", "Wednesday,", "8", "8th", "29", "31", "1988", "2020", "0000", "9999", "10000",
    "circa", "c.", "about", "possibly", "the", "1980s", "20th", "century", "spring", "winter", "early", "mid-",
    "to", "-", "–", "/", "..", "between", "and", "198X", "19XX", "XXXX-01-08", "2020-02-29", "2019-02-29",
    "2020-21", "2017-18", "2020-13-01", "1990~", "2004-06?", "2020/..", "../2020", "[1667, 1668]", "Y170000002",
    "1950S2", "-0001", "2020-07-06T10:00:00Z", "06/07/2020",
]  # fmt: skip
dates = st.one_of(st.lists(st.sampled_from(DATE_WORDS), min_size=1, max_size=6).map(" ".join), junk)
NUMBER_PARTS = ["1", "0", "9", "30", ",", ".", "_", " ", "'", "\u202f", "k", "m", "million", "bn", "-", "+", "e5", "٣", "inf", "nan"]  # fmt: skip
numbers = st.one_of(
    st.lists(st.sampled_from(NUMBER_PARTS), min_size=1, max_size=10).map("".join),
    st.sampled_from(["3,000", "1.5 million", "9" * 400, "1" + "0" * 320]),
    junk,
)
names = typed("AF", "Amber Front", "amber front", "Amber Voice", "Amber", "Veloria Interior Ministry")
KINDS = [k.value for k in vocab.ClaimKind]
STANCES = [s.value for s in vocab.Stance]
QUALIFIERS = [q.value for q in vocab.Qualifier]
STATUSES = [s.value for s in vocab.Status]


# ---- the parsers ---------------------------------------------------------------------------------------------


@PARSER
@given(dates, st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1))))
@example("2020-07-06T10:00:00Z", None)
@example("Wednesday, January 8", dt.date(1, 1, 3))  # a reference at the very start of the calendar
@example("Wednesday, January 8", dt.date(9999, 12, 31))
def test_dates(text: str, reference: dt.date | None) -> None:
    try:
        date = parse_date(text, reference)
    except DateError as exc:
        assert "\n" not in str(exc)
        return
    assert date.precision and date.display()
    again = from_edtf(date.edtf)
    assert (again.earliest, again.latest) == (date.earliest, date.latest)
    if date.earliest and date.latest:
        assert date.earliest <= date.latest


@PARSER
@given(numbers)
def test_figures(text: str) -> None:
    try:
        value = parse_number(text)
    except InvalidInput as exc:
        assert "\n" not in str(exc)
        return
    assert value == value and abs(value) != float("inf")  # finite, not nan
    assert format_number(value)


@PARSER
@given(typed(*QUALIFIERS, "at least", "At_Least", "more than"))
def test_qualifiers(text: str) -> None:
    try:
        stored = choose(vocab.Qualifier, text, "qualifier")
    except InvalidInput:
        return
    assert stored in QUALIFIERS


@PARSER
@given(
    st.text(max_size=80), st.text(max_size=20), st.integers(-5, 90), st.integers(-5, 90), st.integers(-2, 40)
)
@example("Before. \x1b[2J After.", "\x1b[2J", 0, 3, 8)
@example("short text", "x" * (CLOSEST_SEARCH_LONGEST + 1), None, None, 8)  # no minutes-long closest search
def test_anchoring(text: str, passage: str, start: int | None, end: int | None, context: int) -> None:
    try:
        anchor = anchor_passage(text, passage, context=context)
    except InvalidInput as exc:  # an empty passage (or one of invisible characters only), a negative context
        assert "\n" not in str(exc)
        return
    if anchor.found:
        assert anchor.start is not None and anchor.end is not None
        assert text[anchor.start : anchor.end] == anchor.exact
        if anchor.method == "exact":
            assert anchor.exact == passage.strip()
    elif anchor.closest is not None:
        assert text[anchor.closest_start : anchor.closest_end] == anchor.closest
    if len(passage.strip()) > CLOSEST_SEARCH_LONGEST:
        assert anchor.closest is None
    moved = relocate(text, passage, start, end, anchor.prefix, anchor.suffix, context=context)
    if moved.found:
        assert moved.start is not None and text[moved.start : moved.end] == moved.exact


# ---- search queries --------------------------------------------------------------------------------------------

QUERY_PARTS = ['"', "OR", "AND", "NOT", "NEAR(", ")", "(", "*", "^", ":", "-", "+", "body:", "{", "}", ",", "'", "detained", "Front", "a b", "\x00", "NEAR(a b, 2)"]  # fmt: skip
queries = st.one_of(st.lists(st.sampled_from(QUERY_PARTS), min_size=1, max_size=6).map(" ".join), junk)


def test_search_queries(ledger: Ledger, sample: dict[str, str]) -> None:
    """Any query is answered or refused in one line; whether its matches are ranked or listed newest first
    (RANK_AT_MOST drawn small), they are among the matches that ranking every one of them finds, and a ranked
    answer is the one that ranking every match gives."""
    from unittest import mock

    import claimtrack.search
    from claimtrack.filters import ClaimFilter
    from claimtrack.search import search

    def seen(hits: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(hit["kind"], hit["claim"], hit["source"]) for hit in hits]

    @COMMAND
    @given(queries, st.booleans(), st.sampled_from([1, 3, 1_000]), st.sampled_from([1, 5, 20]))
    @example('"unbalanced', False, 1_000, 20)  # an FTS5 syntax error: one line, not a traceback
    @example("NEAR(", True, 1_000, 20)
    @example("detained OR Front", False, 3, 5)
    @example("detained OR Front", True, 1, 20)
    def run(query: str, filtered: bool, rank_at_most: int, limit: int) -> None:
        selection = ClaimFilter(by=["Amber Front"]) if filtered else None
        try:
            with ledger.session() as db, mock.patch.object(claimtrack.search, "RANK_AT_MOST", rank_at_most):
                hits = search(db, query, selection, limit=limit)
                every = search(db, query, selection, limit=10_000, rank_all=True)
        except InvalidInput as exc:
            assert "\n" not in str(exc)
            return
        assert all(isinstance(hit["snippet"], str) for hit in hits)
        assert len(hits) == min(limit, len(every))
        if hits and hits[0]["score"] is None:
            assert len(every) > rank_at_most and all(hit["score"] is None for hit in hits)
            assert set(seen(hits)) <= set(seen(every))
        else:
            assert seen(hits) == seen(every)[:limit]

    run()


# ---- the command line ------------------------------------------------------------------------------------------


def failed_cleanly(result: Any) -> bool:
    """True when the command failed the way claimtrack fails; False when it succeeded; an assertion otherwise."""
    if result.exit_code == 0:
        return False
    if result.exit_code == 2:  # the option parser's usage error (a number that is not one, a missing option)
        assert "Usage:" in result.stderr and result.stdout == "", result.stderr
        return True
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "internal error" not in lines[0], lines[0]
    assert result.stdout == "", result.stdout
    return True


def argv(command: list[str], options: dict[str, Any], *positional: str) -> list[str]:
    """The command line: options (a list repeats the option, True is a flag), then "--" and the arguments, so
    that an argument starting with "-" is not read as an option."""
    line = list(command)
    for name, value in options.items():
        if value is True:
            line.append(name)
        elif isinstance(value, list):
            for item in value:
                line += [name, item]
        elif value is not False and value is not None:
            line += [name, str(value)]
    return [*line, "--", *positional] if positional else line


@pytest.fixture
def seeded(cli) -> str:
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Amber Voice", "--kind", "media")
    cli.ok("source", "add", "-", "--key", "av-1", "--publisher", "Amber Voice", "--published", "2020-01-10",
           input="The Front says about 3,000 of its members were detained.")  # fmt: skip
    key: str = cli.ok("claim", "add", "3,000 detained", "--by", "AF", "--value", "3000", "--tag", "t1").stdout
    return key.strip()


def writes_cleanly(cli, snapshot) -> Callable[..., None]:
    """Run a command that writes; when it fails, it must have failed cleanly and changed nothing."""

    def run(line: list[str], stdin: bytes | None = None) -> None:
        before = snapshot()
        result = cli(*line, input=stdin)
        if failed_cleanly(result):
            assert snapshot() == before, line

    return run


CLAIM_OPTIONS = {
    "--kind": typed(*KINDS),
    "--source": typed("av-1", "AV-1"),
    "--passage": typed("about 3,000 of its members", "were  detained", "nowhere"),
    "--locator": junk,
    "--stance": typed(*STANCES),
    "--quote": junk,
    "--language": junk,
    "--translation": junk,
    "--said-on": dates,
    "--when": dates,
    "--about": st.lists(names, max_size=2),
    "--value": numbers,
    "--low": numbers,
    "--high": numbers,
    "--unit": junk,
    "--counted": junk,
    "--qualifier": typed(*QUALIFIERS),
    "--measure": junk,
    "--tag": st.lists(junk, max_size=2),
    "--note": junk,
    "--json": st.booleans(),
}


def test_claim_add(cli, snapshot, seeded) -> None:
    run = writes_cleanly(cli, snapshot)

    @COMMAND
    @given(
        st.one_of(st.just("A claim"), junk), st.fixed_dictionaries({"--by": names}, optional=CLAIM_OPTIONS)
    )
    @example("x", {"--by": "AF", "--tag": ["t" * 101]})  # longer than tags.name holds on PostgreSQL
    @example(
        "x", {"--by": "AF", "--note": "a\x00b"}
    )  # NUL: stored on SQLite, named and refused on PostgreSQL
    @example("x", {"--by": "AF", "--source": "av-1", "--passage": "z" * 3000})  # not found: no long search
    @example("x", {"--by": "AF", "--about": ["AF", "Amber Front"]})  # one entity by two names: IntegrityError
    @example("x", {"--by": "AF", "--value": "1,5"})  # was stored as 15
    @example("x", {"--by": "AF", "--low": "1", "--high": "3.000,5"})  # was stored as 3.0005
    @example("caf\udce9", {"--by": "AF"})  # a byte that is not UTF-8 in argv: UnicodeEncodeError
    def each(text: str, options: dict[str, Any]) -> None:
        run(argv(["claim", "add"], options, text))

    each()


FILTERS = {
    "--kind": st.lists(typed(*KINDS), max_size=2),
    "--by": st.lists(names, max_size=2),
    "--source": st.lists(typed("av-1"), max_size=1),
    "--tag": st.lists(typed("t1"), max_size=2),
    "--status": st.lists(typed(*STATUSES), max_size=2),
    "--about": st.lists(names, max_size=1),
    "--from": dates,
    "--to": dates,
}
LIMITS = st.one_of(st.integers(-2, 50), st.integers(2**31, 2**70))
COMMANDS: dict[str, tuple[list[str], dict[str, Any], bool]] = {
    # command, its own options, whether it takes a query
    "claim list": (["claim", "list"], {"--lacking": st.booleans(), "--limit": LIMITS, "--json": st.booleans()}, False),
    "timeline": (["timeline"], {"--json": st.booleans()}, False),
    "search": (["search"], {"--limit": LIMITS, "--json": st.booleans()}, True),
    "check": (
        ["check"],
        {"--min": st.integers(-2, 2**40), "--all": st.booleans(), "--limit": LIMITS, "--claim": st.lists(junk, max_size=1)},
        False,
    ),
    "report": (
        ["report"],
        {
            "--format": typed("md", "html", "json", "csv"),
            "-o": st.sampled_from(["-", "out.md", "no/such/folder/out.md", "."]),
            "--lacking": st.booleans(),
            "--claim": st.lists(junk, max_size=1),
        },
        False,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", COMMANDS)
def test_listings_and_their_filters(cli, snapshot, seeded, name: str) -> None:
    command, own, takes_query = COMMANDS[name]
    run = writes_cleanly(cli, snapshot)  # check stores its counts; any command may fail, none may half-write

    @COMMAND
    @given(st.fixed_dictionaries({}, optional={**FILTERS, **own}), queries)
    @example({"--limit": 2**70}, "detained")  # past 64 bits: a usage error, not an OverflowError
    @example({"--min": 2**40}, "detained")  # stored with the counts: refused before anything is printed
    @example({"--from": "2020", "--to": "1990"}, "detained")
    @example({"-o": "no/such/folder/out.md"}, "detained")  # report: cannot write, one line
    def each(options: dict[str, Any], query: str) -> None:
        allowed = {key: value for key, value in options.items() if key in FILTERS or key in own}
        run(argv(command, allowed, query) if takes_query else argv(command, allowed))

    each()


def test_entity_add(cli, snapshot, seeded) -> None:
    run = writes_cleanly(cli, snapshot)
    options = {
        "--kind": typed(*(k.value for k in vocab.EntityKind)),
        "--alias": st.lists(typed("AF", "Amber"), max_size=2),
        "--description": junk,
    }

    @COMMAND
    @given(typed("Harbor Wire", "AF", "A.F.", "   "), st.fixed_dictionaries({}, optional=options))
    @example("H" * 301, {})  # longer than entities.name holds on PostgreSQL: one line naming it
    @example("Nul\x00Front", {})
    @example("\u0410mber Front", {})  # a Cyrillic look-alike: kept, with a warning
    @example("Harbor Wire", {"--alias": ["H\udcffW"]})  # not UTF-8: refused before anything runs
    def each(name: str, opts: dict[str, Any]) -> None:
        run(argv(["entity", "add"], opts, name))

    each()


DOCUMENTS = st.one_of(
    st.text(max_size=200).map(lambda text: text.encode("utf-8")),
    st.binary(max_size=200),
    st.sampled_from([
        b"<html><body><p>The Front said 3,000.</p></body></html>",
        b"%PDF-1.4 truncated",
        b"PK\x03\x04 not a zip",
        b"\xef\xbb\xbfText with a BOM",
        b"text " * 2000 + b"\x00",  # a NUL byte past the first 8 KB
    ]),
)  # fmt: skip


def test_source_add(cli, snapshot, seeded) -> None:
    run = writes_cleanly(cli, snapshot)
    options = {
        "--key": typed("av-2", "AV-1", "-bad", "k" * 101),
        "--title": junk,
        "--kind": typed(*(k.value for k in vocab.SourceKind)),
        "--url": junk,
        "--publisher": names,
        "--author": st.lists(names, max_size=2),
        "--published": dates,
        "--accessed": dates,
        "--language": junk,
        "--notes": junk,
        "--json": st.booleans(),
    }

    @COMMAND
    @given(st.fixed_dictionaries({}, optional=options), st.one_of(st.none(), DOCUMENTS))
    @example({"--key": "nul"}, b"text " * 2000 + b"\x00")  # was stored past the first 8 KB
    @example({"--key": "lang", "--language": "x" * 36}, None)  # longer than sources.language holds
    @example(
        {"--key": "two", "--author": ["AF", "Amber Front"]}, None
    )  # one author by two names: IntegrityError
    def each(opts: dict[str, Any], document: bytes | None) -> None:
        run(
            argv(["source", "add"], opts, "-") if document is not None else argv(["source", "add"], opts),
            document,
        )

    each()


# ---- imports --------------------------------------------------------------------------------------------------

CSV_HEADERS = st.lists(
    typed("text", "by", "kind", "source", "passage", "value", "low", "high", "qualifier", "said_on", "when",
          "tags", "tag", "about", "Said On", "claimant", "junk"),
    max_size=6,
)  # fmt: skip
CSV_CELLS = st.one_of(
    typed("AF", "Amber Front", "av-1", "3000", "about", "2020-01-08", "quote", "a;b"), numbers, dates
)


def _sheet(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def test_csv_import(cli, snapshot, seeded) -> None:
    run = writes_cleanly(cli, snapshot)
    sheets = st.one_of(
        st.builds(_sheet, CSV_HEADERS, st.lists(st.lists(CSV_CELLS, max_size=6), max_size=3)),
        st.text(max_size=80),
    )

    @COMMAND
    @given(sheets)
    @example("\r0")  # a bare carriage return: csv.Error "new-line character seen in unquoted field"
    @example('text,by\n"' + "x" * 140_000 + '",AF\n')  # a cell over the csv module's size limit
    @example("text,by\r\nA claim,AF\rAnother,AF\r")  # old Mac line endings: read, not refused
    @example("text,by,text\nFirst,AF,Second\n")  # a column twice: one was dropped
    @example("tag,text,tags,by\na,A claim,b,AF\n")  # one column under two names: one was dropped
    @example("text,by\nA claim,AF,2020-01-10\n")  # a cell past the header: dropped
    @example('text,by,kind,value\nA figure,AF,figure,"0,5"\n')  # was stored as 5
    def each(sheet: str) -> None:
        run(["claim", "import", "-"], sheet.encode("utf-8", "surrogatepass"))

    each()


def _export_line(table: str, row: Any) -> str:
    return json.dumps({"table": table, "row": row})


EXPORT_TABLES = ["entities", "entity_aliases", "claims", "sources", "tags", "measures", "settings", "nope"]
EXPORT_LINES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["{}", "[]", "null", '{"format": "claimtrack-export"}', '{"table": "claims"}']),
)


def _export(header: bool, lines: list[str]) -> bytes:
    from claimtrack.db import SCHEMA_REVISION

    head = (
        [json.dumps({"format": "claimtrack-export", "version": 1, "schema": SCHEMA_REVISION})]
        if header
        else []
    )
    return ("\n".join([*head, *lines]) + "\n").encode("utf-8", "surrogatepass")


def test_json_lines_import(cli, snapshot, seeded) -> None:
    """Whole lines that are not rows of an export: every one refused in one line, nothing imported."""
    run = writes_cleanly(cli, snapshot)

    @COMMAND
    @given(st.booleans(), st.lists(EXPORT_LINES, max_size=3))
    @example(False, ['{"table": "claims", "row": {}}'])  # rows without the header
    @example(True, ["[" * 100_000 + "]" * 100_000])  # nested past the recursion limit: RecursionError
    def each(header: bool, lines: list[str]) -> None:
        run(["import", "-"], _export(header, lines))

    each()


# Rows of the right tables with missing or mistyped columns reach the merge and escape as KeyError,
# AttributeError, IntegrityError or ProgrammingError ("internal error"). exchange.py is not this to edit:
# kept here, failing, for whoever fixes import_lines (remove the marks then).
MALFORMED_ROWS = {
    "row is null": '{"table": "entities", "row": null}',
    "row is a list": '{"table": "tags", "row": [true, "x"]}',
    "row is a string": '{"table": "claims", "row": "x"}',
    "entity without a name": '{"table": "entities", "row": {}}',
    "alias without an id": '{"table": "entity_aliases", "row": {}}',
    "setting without a key": '{"table": "settings", "row": {}}',
    "id that is a list": '{"table": "measures", "row": {"id": [1, 2]}}',
}


@pytest.mark.parametrize("case", MALFORMED_ROWS)
def test_json_lines_import_of_malformed_rows(cli, snapshot, seeded, case: str) -> None:
    before = snapshot()
    result = cli("import", "-", input=_export(True, [MALFORMED_ROWS[case]]))
    assert failed_cleanly(result)
    assert snapshot() == before


def test_failures_are_typed() -> None:
    """The error classes the command line explains are the only ones the parsers raise."""
    for bad in ("February 30, 2020", "the day after never", ""):
        with pytest.raises(ClaimtrackError):
            parse_date(bad)
    for bad in ("three", "1e5", "inf", ""):
        with pytest.raises(ClaimtrackError):
            parse_number(bad)


# ---- damaged database files ----------------------------------------------------------------------------------

# The read commands each damaged case runs one of.
DAMAGED_READS = [
    ["claim", "list"],
    ["search", "detained"],
    ["check", "--all"],
    ["export", "-o", "OUT"],  # a file (written whole or not at all): to stdout, an export streams
    ["entity", "list"],
    ["timeline"],
    ["log"],
    ["log", "verify"],
    ["report", "-o", "-"],
]
# The cases CI runs, the same every time: seeds of :func:`overwritten` (seed n is case n of
# tests/damage_scan.py). Set CLAIMTRACK_TEST_DAMAGE_CASES=N to run N random seeds as well, for a longer hunt
# (each failing case's test id carries its seed, to add here once its cause is fixed).
DAMAGE_SEEDS = [
    *range(1, 21),
    # Each ended in "internal error" (or a two-line message) before its cause was fixed: a history row's JSON
    # that does not parse (114 export, 271 log verify, 1050 log), a timestamp that is not one (393), text that
    # is not UTF-8 read by a check (1378), a check whose counts cannot be stored in a damaged file (1642).
    114, 271, 393, 1050, 1378, 1642,
]  # fmt: skip
DAMAGE_CASES_ENV = "CLAIMTRACK_TEST_DAMAGE_CASES"


def overwritten(seed: int, size: int) -> tuple[int, bytes, list[str]]:
    """One damaged-file case, drawn from ``seed``: where in a file of ``size`` bytes to overwrite, with what,
    and which read command to run on it. A third of the cases write 1 to 16 random bytes (most no longer
    UTF-8), a third 1 to 8 printable ASCII characters (damage that still reads as text: a JSON document or a
    timestamp that no longer parses, a word no vocabulary holds), a third a run of up to 4 KiB (a torn page)."""
    import random

    rng = random.Random(seed)
    style = rng.choice(("bytes", "text", "run"))
    if style == "bytes":
        garbage = rng.randbytes(rng.randint(1, 16))
    elif style == "text":
        garbage = bytes(rng.randint(0x20, 0x7E) for _ in range(rng.randint(1, 8)))
    else:
        garbage = rng.randbytes(rng.randint(17, 4096))
    offset = rng.randrange(max(1, size - len(garbage)))
    return offset, garbage, rng.choice(DAMAGED_READS)


# Two cases kept from before the seeds: the file's header zeroed, and a whole page of claims overwritten.
DAMAGE_EXAMPLES = {
    "header": (0, b"\x00" * 100, ["claim", "list"]),
    "claims page": (4096 * 13, bytes(range(256)) * 16, ["claim", "list"]),
}


def _damage_cases() -> list[Any]:
    import os
    import random

    extra = os.environ.get(DAMAGE_CASES_ENV, "").strip()
    seeds = DAMAGE_SEEDS + [random.randrange(10**6, 10**9) for _ in range(int(extra) if extra else 0)]
    return [
        *(pytest.param(case, id=name) for name, case in DAMAGE_EXAMPLES.items()),
        *(pytest.param(seed, id=f"seed {seed}") for seed in seeds),
    ]


@pytest.fixture(scope="module")
def whole_sample(tmp_path_factory: pytest.TempPathFactory, _template: str) -> Any:
    """The sample investigation in a SQLite ledger, whole in its one file."""
    import shutil

    from claimtrack.db import dispose_engines
    from claimtrack.sample import load

    whole = tmp_path_factory.mktemp("whole") / "whole.db"
    shutil.copyfile(_template, whole)
    with Ledger(f"sqlite:///{whole}").session(write=True) as session:
        load(session)
    dispose_engines()
    return whole


@pytest.mark.sqlite_only
@pytest.mark.parametrize("case", _damage_cases())
def test_commands_on_a_file_with_bytes_overwritten(tmp_path, whole_sample, case: Any) -> None:
    """A ledger file with a run of its bytes overwritten anywhere (a disk fault, a torn copy): each command
    works, or fails in one line (most often the damage line, with what to do), never "internal error"."""
    import shutil

    from conftest import Run

    from claimtrack.db import dispose_engines

    damaged = tmp_path / "damaged.db"
    shutil.copyfile(whole_sample, damaged)
    offset, garbage, command = case if isinstance(case, tuple) else overwritten(case, damaged.stat().st_size)
    with damaged.open("r+b") as file:
        file.seek(offset)
        file.write(garbage)
    out = tmp_path / "out"
    try:
        result = Run(f"sqlite:///{damaged}")(*(str(out) if word == "OUT" else word for word in command))
        if command == ["log", "verify"] and result.exit_code == 3:  # its verdict on a damaged history
            assert "does not verify" in result.stderr and "internal error" not in result.stderr
        elif failed_cleanly(result):
            assert not out.exists()
    finally:
        dispose_engines()
