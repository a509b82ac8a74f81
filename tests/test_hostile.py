"""Hostile text: markup, formulas, escape sequences, bidirectional controls, NUL bytes, ten megabytes.

Whatever a source says is stored byte-exact (read back through --json, the export and `source text`) and shown
inert everywhere: terminal tables and show views make control characters visible and never read Rich markup;
the Markdown and HTML reports escape markup; the CSV report neutralises formulas and shows control characters
as visible escapes, as the terminal does; JSON is exact. NUL characters are stored exactly where the database can hold them (SQLite) and refused with a
one-line error naming the field where it cannot (PostgreSQL), leaving the database unchanged.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest

from claimtrack.claims import add_claim, set_status
from claimtrack.db import Ledger
from claimtrack.entities import add_entity
from claimtrack.sources import add_source

ON_POSTGRESQL = bool(os.environ.get("CLAIMTRACK_TEST_PG_URL"))

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "md-emphasis": "**x** and _y_",
    "md-link": "[link](javascript:x)",
    "md-table": "a | b || c",
    "md-heading": "# heading",
    "md-line-breaks": "first\r# second\n| x | y |\r\n- item",
    "csv-command": "=cmd|' /C calc'!A0",
    "csv-plus": "+1",
    "csv-minus": "-1",
    "csv-at": "@SUM(1)",
    "rich-colour": "[red]x[/red]",
    "rich-link": "[link=http://x]y[/link]",
    "ansi": "\x1b[2J\x1b[31mred",
    "osc-8": "\x1b]8;;http://evil\x07click\x1b]8;;\x07",
    "c1-csi": "\x9b31m csi",
    "bidi": "abc\u202edcba\u2066x\u2069",
    "combining": "Z\u0337\u0334\u0310\u0352 e\u0301\u0301\u0301 \u0627\u064b",
}
# The characters no terminal view may let through: C0 and C1 controls (tab and newline aside), and the
# bidirectional embedding, override and isolate controls.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def seed(ledger: Ledger) -> list[dict[str, Any]]:
    """For every hostile value: an entity, a source and three claims (statement, figure, quote) that carry it
    in every text field they have."""
    made = []
    with ledger.session(write=True) as db:
        for i, value in enumerate(HOSTILE.values()):
            entity = add_entity(db, f"{value} e{i}", aliases=[f"{value} a{i}"], description=value)
            add_source(
                db,
                key=f"s{i}",
                title=value,
                url=value,
                notes=value,
                publisher=entity.name,
                text=f"Before. {value} After.",
            )
            statement = add_claim(
                db,
                value,
                by=entity.name,
                source=f"s{i}",
                passage=value,
                locator=value,
                said_on="2020-01-08",
                notes=value,
                about=[entity.name],
            ).claim
            figure = add_claim(
                db,
                f"figure {i}",
                by=entity.name,
                value="3",
                unit=value,
                counted=value,
                measure=f"{value} m{i}",
                said_on="2020-01-09",
            ).claim
            quote = add_claim(
                db,
                f"quote {i}",
                by=entity.name,
                quote=value,
                translation=value,
                quote_language=value,
                source=f"s{i}",
                said_on="2020-01-10",
            ).claim
            set_status(db, statement.key, "disputed", value)
            made.append(
                {
                    "value": value,
                    "entity": entity.name,
                    "source": f"s{i}",
                    "measure": f"{value} m{i}",
                    "statement": statement.key,
                    "figure": figure.key,
                    "quote": quote.key,
                }
            )
    return made


@pytest.fixture
def hostile(ledger: Ledger) -> list[dict[str, Any]]:
    return seed(ledger)


def _assert_inert(result: Any, what: str) -> None:
    assert result.exit_code == 0, (what, result.stderr)
    for stream in (result.stdout, result.stderr):
        found = UNSAFE.search(stream)
        assert found is None, f"{what}: {found.group()!r} reached the terminal"


# ---- stored byte-exact -------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_text_is_stored_byte_exact(cli, label: str) -> None:
    value = HOSTILE[label]
    name = f"{value} e"
    # Values that start with "-" would be read as options: positional arguments come after "--".
    cli.ok("entity", "add", "--alias", f"{value} a", "--description", value, "--", name)
    document = f"Before. {value} After.\r\n"
    cli.ok("source", "add", "-", "--key", "s1", "--title", value, "--url", value, "--notes", value,
           "--publisher", name, input=document.encode("utf-8"))  # fmt: skip
    key = cli.ok(
        "claim", "add", "--by", name, "--source", "s1", "--passage", value, "--locator", value,
        "--note", value, "--about", name, "--", value,
    ).stdout.strip()  # fmt: skip
    figure = cli.ok(
        "claim", "add", "figure", "--by", name, "--value", "3", "--unit", value, "--counted", value,
        "--measure", f"{value} m",
    ).stdout.strip()  # fmt: skip
    quote = cli.ok(
        "claim", "add", "quote", "--by", name, "--quote", value, "--translation", value, "--language", value,
    ).stdout.strip()  # fmt: skip
    cli.ok("claim", "status", key, "disputed", "--reason", value)

    claim = cli.json("claim", "show", key)
    assert claim["text"] == claim["notes"] == value
    assert claim["claimant"] == name and claim["about"] == [name]
    assert claim["appearances"][0]["passage"] == claim["appearances"][0]["locator"] == value
    assert claim["appearances"][0]["anchor"]["status"] == "exact"
    assert claim["status_history"][-1]["reason"] == value
    numbers = cli.json("claim", "show", figure)["figure"]
    assert numbers["unit"] == numbers["counted"] == value and numbers["measure"] == f"{value} m"
    words = cli.json("claim", "show", quote)["quote"]
    assert words == {"words": value, "language": value, "translation": value}
    entity = json.loads(cli.ok("entity", "show", "--json", "--", name).stdout)
    assert entity["name"] == name and entity["description"] == value and f"{value} a" in entity["aliases"]
    source = cli.json("source", "show", "s1")
    assert source["title"] == source["url"] == source["notes"] == value
    assert cli.ok("source", "text", "s1").stdout_bytes == document.encode("utf-8")

    exported = [json.loads(line) for line in cli.ok("export").stdout.splitlines()[1:]]
    claim_rows = [line["row"] for line in exported if line["table"] == "claims"]
    assert {row["text"] for row in claim_rows} == {value, "figure", "quote"}
    (source_row,) = [line["row"] for line in exported if line["table"] == "sources"]
    assert source_row["text"] == document and source_row["title"] == value


# ---- shown inert -------------------------------------------------------------------------------------------


def test_terminal_views_make_controls_visible_and_never_read_markup(
    cli, hostile: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # no folding: the literal text must be found whole
    listings = {
        "claim list": cli("claim", "list"),
        "entity list": cli("entity", "list"),
        "source list": cli("source", "list"),
        "timeline": cli("timeline"),
        "check": cli("check", "--all"),
        "figures": cli("figures", "--all"),
        "search": cli("search", "Before"),
        "log": cli("log", "--limit", "1000"),
    }
    for item in hostile:
        listings[f"claim show {item['value']!r}"] = cli("claim", "show", item["statement"])
        listings[f"quote show {item['value']!r}"] = cli("claim", "show", item["quote"])
        listings[f"entity show {item['value']!r}"] = cli("entity", "show", "--", item["entity"])
        listings[f"source show {item['value']!r}"] = cli("source", "show", item["source"])
        listings[f"figures {item['value']!r}"] = cli("figures", "--", item["measure"])
    for what, result in listings.items():
        _assert_inert(result, what)
    # Rich markup is shown as the characters it is made of, in tables, show views and table titles.
    for what in ("claim list", "check", "claim show '[red]x[/red]'", "entity show '[red]x[/red]'"):
        assert "[red]x[/red]" in listings[what].stdout, what
    assert "[link=http://x]y[/link]" in listings["claim list"].stdout
    assert "[red]x[/red] m" in listings["figures '[red]x[/red]'"].stdout  # the measure is the table's title
    # Control characters are shown as escapes, bidirectional controls too.
    shown = listings["claim list"].stdout
    assert "\\x1b[2J\\x1b[31mred" in shown and "\\x9b31m csi" in shown
    assert "abc\\u202edcba\\u2066x\\u2069" in shown
    assert "Z\u0337\u0334\u0310\u0352 e\u0301\u0301\u0301" in shown  # combining marks are text, kept


def test_messages_about_hostile_input_stay_on_one_inert_line(cli, hostile) -> None:
    for value in (*HOSTILE.values(), "x\ny\rz"):
        result = cli("entity", "show", "--", value + " nobody")
        assert result.exit_code == 1
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")
        assert UNSAFE.search(result.stderr) is None
    # Warnings and confirmations that quote the ledger are inert too: the closest span of a passage that is not
    # there, the claimant of a cited claim.
    result = cli("claim", "cite", hostile[list(HOSTILE).index("ansi")]["statement"], hostile[list(HOSTILE).index("ansi")]["source"], "--stance", "reports",
                 "--passage", "\x1b[2J nowhere \x1b]8;;http://evil\x07")  # fmt: skip
    _assert_inert(result, "claim cite")
    assert "closest" in result.stderr and "\\x1b" in result.stderr


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


class _Page(HTMLParser):
    """The elements, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _visible(value: str) -> str:
    """What the reports people read show for a value: control and bidirectional controls as escapes."""
    return UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", value
    )


def _no_active_markup(page: _Page, allowed: set[str]) -> None:
    for tag, attrs in page.tags:
        assert tag in allowed, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def test_markdown_report_escapes_everything(cli, hostile) -> None:
    result = cli.ok("report", "--format", "md")
    text = result.stdout
    assert UNSAFE.search(text) is None
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Sourcing report"
    assert all(re.match(r"## [0-9a-z]{7}: ", line) for line in headings[1:])
    assert len(headings) == 1 + 3 * len(HOSTILE)
    rendered = _markdown_html(text)
    page = _page(rendered)
    # Only what the report itself writes: headings, paragraphs, lists, tables, its own bold labels.
    _no_active_markup(
        page, {"h1", "h2", "p", "ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td"}
    )
    assert set(re.findall(r"<strong>(.*?)</strong>", rendered)) <= {
        "By:", "Said on:", "When:", "Words:", "Figure:", "Status:", "Sourcing:",
    }  # fmt: skip
    # Every table row keeps its columns: no "|" from the ledger breaks one.
    for row in re.findall(r"<tr>(.*?)</tr>", rendered, re.DOTALL):
        assert len(re.findall(r"<t[dh]>", row)) in (2, 5), row
    shown = "".join(page.text)
    for value in HOSTILE.values():
        expected = _visible(" ".join(value.replace("\r\n", "  ").replace("\r", " ").split("\n")))
        assert expected in shown, value


def test_html_report_escapes_everything(cli, hostile) -> None:
    html = cli.ok("report", "--format", "html").stdout
    assert UNSAFE.search(html) is None
    page = _page(html)
    assert "script" not in {tag for tag, _ in page.tags}
    assert "img" not in {tag for tag, _ in page.tags}
    for _tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert not (value or "").strip().lower().startswith("javascript:"), value
    shown = "".join(page.text)
    for value in HOSTILE.values():  # HTML reads "\r\n" and "\r" as "\n": the report writes them so
        assert _visible(value.replace("\r\n", "\n").replace("\r", "\n")) in shown, value


def test_csv_report_neutralises_formulas_and_control_characters(cli, hostile, ledger) -> None:
    with ledger.session(write=True) as db:  # a leading tab or return survives in fields that are not trimmed
        entity = hostile[0]["entity"]
        tab = add_claim(db, "tabbed", by=entity, source="s0", locator="\t=1+1", passage="After").claim.key
        ret = add_claim(db, "returned", by=entity, source="s0", locator="\r=1+1", passage="After").claim.key
    # .stdout turns "\r\n" into "\n"; --no-bom, as a program reads it
    raw = cli.ok("report", "--format", "csv", "--no-bom").stdout_bytes.decode("utf-8")
    assert UNSAFE.search(raw.replace("\r\n", "\n")) is None  # no raw escape sequence, no bare carriage return
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))

    def cell(value: str) -> str:
        shown = _visible(value)
        return "'" + shown if shown.startswith(FORMULA_START) else shown

    by_key = {row["claim"]: row for row in rows}
    for item in hostile:
        value = item["value"]
        row = by_key[item["statement"]]
        assert row["text"] == row["passage"] == row["locator"] == cell(value)
        assert row["claimant"] == cell(item["entity"]) and row["source"] == item["source"]
        assert by_key[item["figure"]]["figure"] == _visible(f"3 {value} {value}")
    assert by_key[tab]["locator"] == "'\t=1+1" and by_key[ret]["locator"] == "\\x0d=1+1"
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_START), (column, value)


def test_json_outputs_are_exact(cli, hostile) -> None:
    report = json.loads(cli.ok("report", "--format", "json").stdout)
    records = {record["key"]: record for record in report["claims"]}
    listed = {row["key"]: row for row in cli.json("claim", "list")}
    for item in hostile:
        value = item["value"]
        assert records[item["statement"]]["text"] == listed[item["statement"]]["text"] == value
        assert records[item["statement"]]["appearances"][0]["passage"] == value
        assert records[item["quote"]]["quote"]["words"] == value
        assert records[item["figure"]]["figure"]["unit"] == value
    hits = cli.json("search", "Before")
    assert {hit["source"] for hit in hits if hit["kind"] == "source"} >= {"s0", "s1"}


# ---- NUL ---------------------------------------------------------------------------------------------------

# NUL characters: SQLite stores text byte-exact, NUL included, so they are kept; PostgreSQL's text type cannot
# hold them, so there the command fails with one line naming the field, and nothing is written. Either way the
# text is never silently changed. Documents are different: a NUL byte anywhere in a text file means it is not
# text (binary, or UTF-16), and `source add` refuses it on every database.

NUL_FIELDS = {
    "claims.text": ["claim", "add", "before\x00after", "--by", "AF"],
    "claims.notes": ["claim", "add", "Text", "--by", "AF", "--note", "a\x00b"],
    "claims.quote": ["claim", "add", "Text", "--by", "AF", "--quote", "a\x00b"],
    "appearances.passage": ["claim", "add", "Text", "--by", "AF", "--source", "av-1", "--passage", "a\x00b"],
    "entities.name": ["entity", "add", "Nul\x00Front"],
    "entities.description": ["entity", "add", "Other", "--description", "a\x00b"],
    "sources.title": ["source", "add", "--key", "s2", "--title", "a\x00b"],
}


@pytest.fixture
def small(cli):
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("source", "add", "-", "--key", "av-1", input=b"The Front says about 3,000 were detained.")


@pytest.mark.parametrize("field", NUL_FIELDS)
def test_nul_is_stored_exactly_or_refused_naming_the_field(cli, snapshot, small, field: str) -> None:
    argv = NUL_FIELDS[field]
    before = snapshot()
    result = cli(*argv)
    if ON_POSTGRESQL:
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"error: the value for {field} holds a NUL character (\\x00), which PostgreSQL cannot store or "
            "compare; remove it and try again"
        ]
        assert snapshot() == before
        return
    assert result.exit_code == 0, result.stderr
    table, column = field.split(".")
    value = next(arg for arg in argv if "\x00" in arg)
    stored = [row for row in snapshot()[table] if row not in before[table]]
    assert any(value in row for row in stored), (column, stored)


def test_nul_in_a_lookup_is_a_one_line_error_or_a_miss(cli, small) -> None:
    for argv in (["claim", "show", "abc\x00"], ["claim", "list", "--tag", "a\x00"], ["search", "a\x00b"]):
        result = cli(*argv)
        assert result.exit_code in (0, 1)
        if result.exit_code == 1:
            assert len(result.stderr.splitlines()) == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize("where", [0, 8191, 8192, 5_000_000])
def test_a_document_with_a_nul_byte_anywhere_is_refused(cli, snapshot, small, where: int) -> None:
    data = bytearray(b"text " * (where // 5 + 2000))
    data[where] = 0
    before = snapshot()
    result = cli("source", "add", "-", "--key", "nul", input=bytes(data))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"error: stdin holds a NUL byte at byte {where:,}: it looks like a binary file, not text"
    )
    assert snapshot() == before


# ---- ten megabytes -----------------------------------------------------------------------------------------


def test_a_ten_megabyte_document_and_passage(cli, small) -> None:
    hostile = "".join(HOSTILE.values()).replace("\r", "")
    # Repetitive on purpose: PostgreSQL's tsvector (the search index) holds at most 1 MB, so a document of
    # ten megabytes of distinct words cannot be indexed there (see the report of issue 7).
    document = (("The Front said about 3,000 people were detained. " * 40 + hostile + "\n") * 5000)[
        :10_000_000
    ]
    started = time.monotonic()
    cli.ok("source", "add", "-", "--key", "big", input=document.encode("utf-8"))
    assert cli.ok("source", "text", "big").stdout_bytes == document.encode("utf-8")
    whole = cli.ok("claim", "add", "The whole document", "--by", "AF", "--source", "big",
                   "--passage", document).stdout.strip()  # fmt: skip
    stored = cli.json("claim", "show", whole)["appearances"][0]
    assert stored["passage"] == document.strip() and stored["anchor"]["status"] == "exact"
    # A passage of ten megabytes that is not in the text: kept and flagged, without a minutes-long search for
    # the closest span.
    missing = cli(
        "claim", "add", "Not there", "--by", "AF", "--source", "big", "--passage", "zebra " * 2_000_000
    )
    assert missing.exit_code == 0 and "passage not found" in missing.stderr
    shown = cli("claim", "show", whole)  # the table cuts the passage, saying how much it leaves out
    _assert_inert(shown, "claim show")
    assert "more characters; --json shows all]" in shown.stdout
    hits = cli.json("search", "detained")  # FTS5's own snippet() would take minutes on this row
    assert any(hit["source"] == "big" and "[detained]" in hit["snippet"].lower() for hit in hits)
    _assert_inert(cli("search", "detained"), "search")
    for fmt in ("md", "html", "csv"):
        assert cli.ok("report", "--format", fmt).stdout
    assert time.monotonic() - started < 120


# ---- SQL ---------------------------------------------------------------------------------------------------

INJECTION = "zq'\"; drop table claims; --"


def test_user_text_reaches_the_database_only_as_bound_parameters(ledger: Ledger, hostile) -> None:
    from sqlalchemy import event

    from claimtrack.claim_records import list_claims
    from claimtrack.claims import find_claim
    from claimtrack.entities import find_entity
    from claimtrack.errors import ClaimtrackError
    from claimtrack.filters import ClaimFilter
    from claimtrack.search import search
    from claimtrack.sources import find_source

    seen: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    def attempt(call: Any) -> None:
        # Not found, or a query FTS5 cannot read: the text was bound all the same.
        with contextlib.suppress(ClaimtrackError):
            call()

    event.listen(ledger.engine, "before_cursor_execute", capture)
    try:
        with ledger.session() as db:
            attempt(lambda: search(db, f"before {INJECTION}"))
            attempt(lambda: search(db, "before", ClaimFilter(tags=[INJECTION])))
            attempt(lambda: list_claims(db, ClaimFilter(tags=[INJECTION])))
            for lookup in (find_claim, find_entity, find_source):
                attempt(lambda lookup=lookup: lookup(db, INJECTION))
    finally:
        event.remove(ledger.engine, "before_cursor_execute", capture)

    def values(parameters: Any) -> list[Any]:
        if isinstance(parameters, dict):
            return list(parameters.values())
        if isinstance(parameters, list | tuple):
            return [
                v
                for item in parameters
                for v in (values(item) if isinstance(item, dict | list | tuple) else [item])
            ]
        return [parameters]

    bound = [value for _, parameters in seen for value in values(parameters) if isinstance(value, str)]
    assert not [statement for statement, _ in seen if "zq" in statement or "drop table" in statement.lower()]
    # The search query, the tag filter and each lookup: every one reached the database, as a parameter.
    assert any(INJECTION in value for value in bound if value.startswith("before"))
    assert sum(INJECTION in value for value in bound) >= 6


def test_a_claim_reference_is_not_a_like_pattern(cli, hostile) -> None:
    key = hostile[0]["statement"]
    for pattern in (key[:2] + "%", key[:2] + "_", "%%%", "___"):
        result = cli("claim", "show", pattern)
        assert result.exit_code == 1 and "no claim named" in result.stderr, (pattern, result.stderr)
