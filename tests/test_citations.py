"""Sources as citations: CSL-JSON that validates against the shipped schema, and BibTeX that parses back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest

from claimtrack.citations import (
    bibtex,
    bibtex_key,
    cited_sources,
    csl_date,
    csl_item,
    csl_items,
    csl_name,
    csl_schema,
    latex_escape,
    render_bibtex,
)
from claimtrack.db import Ledger
from claimtrack.entities import add_entity
from claimtrack.sample import load
from claimtrack.sources import add_source

HOSTILE_TITLE = r"}\input{/etc/passwd} 100% sure <script>alert(1)</script> #1 & $x_y^z~ {unbalanced"
HOSTILE_URL = "https://example.org/a b/{x}\\y?q=1%20&z=<script>"


@pytest.fixture
def investigation(ledger: Ledger) -> Ledger:
    """The sample investigation, plus sources with authors, approximate and unusual dates, hostile text and a
    key that is not a BibTeX key."""
    with ledger.session(write=True) as db:
        load(db)
        add_entity(db, "Ludwig van Beethoven", kind="person")
        add_entity(db, "Okafor, Ngozi", kind="person")
        add_entity(db, "خبرگزاری فارس", kind="media")
        add_entity(db, "Evil} and {Corp", kind="organization")
        add_source(db, key="crw-1990", title="Prison conditions in Veloria", kind="report",
                   publisher="Coastal Rights Watch", authors=["Dana Okoro", "Coastal Rights Watch"],
                   published="circa 1990", url="https://example.org/crw-1990", accessed="2020-03-04")  # fmt: skip
        add_source(db, key="letters-80s", title="Letters from the 1980s", kind="book",
                   authors=["Ludwig van Beethoven", "Okafor, Ngozi"], published="the 1980s")  # fmt: skip
        add_source(db, key="hostile", title=HOSTILE_TITLE, kind="social-post", publisher="Evil} and {Corp",
                   authors=["Evil} and {Corp"], published="2020?", url=HOSTILE_URL)  # fmt: skip
        add_source(db, title="Farsi bulletin", kind="article", publisher="خبرگزاری فارس", published="2021-21")
        add_source(db, key="undated", title="A leaflet", kind="other", published="XXXX-01-08")
    return ledger


def _validator() -> Any:
    schema = csl_schema()
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


# ---------------------------------------------------------------------------------------------------------
# CSL-JSON
# ---------------------------------------------------------------------------------------------------------


def test_csl_json_validates_against_the_shipped_schema(cli: Any, investigation: Ledger) -> None:
    schema = csl_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    with investigation.session() as db:
        items = csl_items(db)
    assert len(items) == 12  # every source, the sample's Veloria Today reprint included
    _validator().validate(items)
    # The schema lets unknown keys through (as CSL processors ignore them): check that none is a misspelling.
    known = set(schema["definitions"]["item"]["properties"])
    assert {key for item in items for key in item} <= known
    # The command line writes the same, to stdout with -o - (the default).
    assert json.loads(cli.ok("export", "--format", "csl-json", "-o", "-").stdout) == items
    assert json.loads(cli.ok("export", "--format", "csl-json").stdout) == items

    by_id = {item["id"]: item for item in items}
    assert by_id["av-2020-01-10"] == {
        "id": "av-2020-01-10",
        "type": "article-newspaper",
        "citation-key": "av-2020-01-10",
        "title": "Port Selden operation: Front counts thousands detained",
        "publisher": "Amber Voice",
        "container-title": "Amber Voice",
        "issued": {"date-parts": [[2020, 1, 10]]},
        "URL": "https://example.org/sample/amber-voice-2020-01-10",
        "language": "en",
    }
    assert by_id["crw-2020-02"]["type"] == "report"
    assert by_id["vim-2020-01-11"]["type"] == "document"
    assert by_id["vim-2020-01-11"]["genre"] == "Press release"
    assert by_id["vsb-2020-01-09"]["type"] == "broadcast"  # a state broadcaster's transcript
    assert by_id["hostile"]["type"] == "post"
    assert by_id["crw-1990"]["accessed"] == {"date-parts": [[2020, 3, 4]]}


def test_the_validation_is_real(investigation: Ledger) -> None:
    validator = _validator()
    with investigation.session() as db:
        (item,) = csl_items(db, ["crw-1990"])
    validator.validate([item])
    broken = [
        {key: value for key, value in item.items() if key != "type"},  # type is required
        {key: value for key, value in item.items() if key != "id"},  # so is id
        {**item, "type": "press-release"},  # not a CSL type
        {**item, "author": [{"given": "Dana"}]},  # a name needs a family name or a literal
        {**item, "author": "Dana Okoro"},  # names are lists of name objects
        {**item, "issued": {"date-parts": [[2020, 1, 2, 3]]}},  # at most year, month, day
        {**item, "issued": {"date-parts": [[2020]], "when": "soon"}},  # no such part of a date
        {**item, "title": ["not", "a", "string"]},
    ]
    for bad in broken:
        with pytest.raises(jsonschema.ValidationError):
            validator.validate([bad])
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(item)  # the document is an array of items


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        ("2020", {"date-parts": [[2020]]}),
        ("2020-01", {"date-parts": [[2020, 1]]}),
        ("2020-01-08", {"date-parts": [[2020, 1, 8]]}),
        ("2020-XX-15", {"date-parts": [[2020]]}),
        ("1990~", {"date-parts": [[1990]], "circa": True}),
        ("2004-06~", {"date-parts": [[2004, 6]], "circa": True}),
        ("2020?", {"date-parts": [[2020]], "raw": "2020?"}),
        ("2020%", {"date-parts": [[2020]], "circa": True, "raw": "2020%"}),
        ("2004-06~-11", {"date-parts": [[2004, 6, 11]], "circa": True, "raw": "2004-06~-11"}),
        ("198X", {"date-parts": [[1980], [1989]]}),
        ("19XX", {"date-parts": [[1900], [1999]]}),
        ("2017-12/2018-01", {"date-parts": [[2017, 12], [2018, 1]]}),
        ("1988/199X", {"date-parts": [[1988], [1999]]}),
        ("2001-21", {"date-parts": [[2001]], "season": 1}),
        ("2001-24", {"date-parts": [[2001]], "season": 4}),
        ("2001-33", {"date-parts": [[2001, 1], [2001, 3]]}),
        ("XXXX-01-08", {"literal": "8 January, year unknown", "raw": "XXXX-01-08"}),
        ("2020/..", {"literal": "2020 onwards", "raw": "2020/.."}),
    ],
)
def test_dates_keep_the_precision_they_have(edtf: str, expected: dict[str, Any]) -> None:
    date = csl_date(edtf)
    assert date == expected
    _validator().validate([{"id": "x", "type": "document", "issued": date}])


def test_dates_and_authors_of_recorded_sources(investigation: Ledger) -> None:
    with investigation.session() as db:
        items = {item["id"]: item for item in csl_items(db)}
    circa = items["crw-1990"]
    assert circa["issued"] == {"date-parts": [[1990]], "circa": True}
    # A person's name split into family and given name; an organisation kept whole.
    assert circa["author"] == [{"family": "Okoro", "given": "Dana"}, {"literal": "Coastal Rights Watch"}]
    book = items["letters-80s"]
    assert book["type"] == "book"
    assert book["issued"] == {"date-parts": [[1980], [1989]]}
    # A particle makes the split a guess: kept whole. "Family, Given" says which is which.
    assert book["author"] == [{"literal": "Ludwig van Beethoven"}, {"family": "Okafor", "given": "Ngozi"}]
    assert items["hostile"]["issued"] == {"date-parts": [[2020]], "raw": "2020?"}
    assert items["undated"]["issued"] == {"literal": "8 January, year unknown", "raw": "XXXX-01-08"}


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Dana Okoro", "person", {"family": "Okoro", "given": "Dana"}),
        ("Anne-Marie O'Neill", "person", {"family": "O'Neill", "given": "Anne-Marie"}),
        ("Łukasz Nowak", "person", {"family": "Nowak", "given": "Łukasz"}),
        ("Okafor, Ngozi", "person", {"family": "Okafor", "given": "Ngozi"}),
        ("Gabriel García Márquez", "person", {"literal": "Gabriel García Márquez"}),
        ("Ludwig van Beethoven", "person", {"literal": "Ludwig van Beethoven"}),
        ("de Gaulle, Charles", "person", {"literal": "de Gaulle, Charles"}),
        ("Madonna", "person", {"literal": "Madonna"}),
        ("Ilan V.", "person", {"literal": "Ilan V."}),
        ("محمد رضایی", "person", {"literal": "محمد رضایی"}),
        ("Harbor Wire", "media", {"literal": "Harbor Wire"}),
        ("Amber Front", "organization", {"literal": "Amber Front"}),
    ],
)
def test_names_are_split_only_when_safe(name: str, kind: str, expected: dict[str, str]) -> None:
    assert csl_name(name, kind) == expected


def test_url_and_accessed_come_from_the_stored_file_when_the_record_has_none(ledger: Ledger) -> None:
    import datetime as dt

    from claimtrack.models import SourceFile

    with ledger.session(write=True) as db:
        source = add_source(db, key="saved", title="A saved page", text="Some text.")
        source.file = SourceFile(media_type="text/html", size=3, sha256="0" * 64, content=b"abc",
                                 url="https://example.org/saved", retrieved_at=dt.datetime(2021, 5, 6, 7, 8))  # fmt: skip
    with ledger.session() as db:
        (record,) = cited_sources(db)
    assert record["url"] == "https://example.org/saved"
    assert record["accessed"] == "2021-05-06"
    item = csl_item(record)
    assert item["URL"] == "https://example.org/saved"
    assert item["accessed"] == {"date-parts": [[2021, 5, 6]]}


# ---------------------------------------------------------------------------------------------------------
# BibTeX
# ---------------------------------------------------------------------------------------------------------

# The escapes claimtrack writes, undone: proves the escaping loses nothing.
_UNESCAPE = {
    r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}", r"\%": "%", r"\#": "#",
    r"\&": "&", r"\$": "$", r"\_": "_", r"\textasciicircum{}": "^", r"\textasciitilde{}": "~",
    r"\textless{}": "<", r"\textgreater{}": ">", r"\textbar{}": "|",
}  # fmt: skip
_ESCAPE_RE = re.compile("|".join(re.escape(escape) for escape in _UNESCAPE))


def _unescape(value: str) -> str:
    return _ESCAPE_RE.sub(lambda match: _UNESCAPE[match.group(0)], value)


def _unbrace(value: str) -> str:
    assert value.startswith("{") and value.endswith("}"), value
    return value[1:-1]


def _parse(text: str) -> list[dict[str, str]]:
    """The entries as bibtexparser 2 reads them (type and key as ENTRYTYPE and ID, as its 1.x did)."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, library.failed_blocks
    return [
        {"ENTRYTYPE": entry.entry_type, "ID": entry.key, **{field.key: field.value for field in entry.fields}}
        for entry in library.entries
    ]


def test_bibtex_parses_back_with_the_same_fields(cli: Any, investigation: Ledger, tmp_path: Path) -> None:
    with investigation.session() as db:
        sources = cited_sources(db)
        text = bibtex(db)
    assert text == render_bibtex(sources)
    entries = _parse(text)
    assert [entry["ID"] for entry in entries] == [bibtex_key(source["key"]) for source in sources]
    for entry, source in zip(entries, sources, strict=True):
        assert _unescape(_unbrace(entry["title"])) == source["title"]
        if source["url"] and source["key"] != "hostile":
            assert entry["url"] == source["url"]
    by_id = {entry["ID"]: entry for entry in entries}
    article = by_id["av-2020-01-10"]
    assert article["ENTRYTYPE"] == "article"
    assert article["journal"] == "Amber Voice"
    assert article["entrysubtype"] == "newspaper"
    assert (article["date"], article["year"], article["month"]) == ("2020-01-10", "2020", "jan")
    assert "month = jan," in text  # the macro, bare: styles print the month's name
    report = by_id["crw-1990"]
    assert report["ENTRYTYPE"] == "techreport"
    assert report["institution"] == "Coastal Rights Watch"
    # A person as "Family, Given"; an organisation braced, so BibTeX keeps it whole.
    assert report["author"] == "Okoro, Dana and {Coastal Rights Watch}"
    assert (report["date"], report["year"]) == ("1990~", "circa 1990")
    assert report["urldate"] == "2020-03-04"
    assert by_id["letters-80s"]["ENTRYTYPE"] == "misc"  # a book with no publisher: @book requires one
    assert by_id["letters-80s"]["author"] == "{Ludwig van Beethoven} and Okafor, Ngozi"
    assert (by_id["letters-80s"]["date"], by_id["letters-80s"]["year"]) == ("1980/1989", "the 1980s")
    assert by_id["vim-2020-01-11"]["ENTRYTYPE"] == "misc"
    assert by_id["vim-2020-01-11"]["howpublished"] == "Veloria Interior Ministry"
    # An organisation's unsigned document has the organisation as its institutional author.
    assert by_id["vim-2020-01-11"]["author"] == "{Veloria Interior Ministry}"
    assert "date" not in by_id[bibtex_key("undated")]  # a year-unknown date is no BibTeX date

    # The command line writes the same file.
    out = tmp_path / "sources.bib"
    result = cli.ok("export", "--format", "bibtex", "-o", str(out))
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == text
    # --source selects, in the order given.
    chosen = cli.ok(
        "export", "--format", "bibtex", "--source", "crw-1990", "--source", "av-2020-01-10"
    ).stdout
    assert [entry["ID"] for entry in _parse(chosen)] == ["crw-1990", "av-2020-01-10"]


def test_a_key_that_is_not_a_bibtex_key_gets_a_safe_one_and_keeps_the_original(investigation: Ledger) -> None:
    with investigation.session() as db:
        (farsi,) = [source for source in cited_sources(db) if source["title"] == "Farsi bulletin"]
        entries = _parse(bibtex(db, [farsi["key"]]))
    assert farsi["key"] == "خبرگزاری-فارس-2021"
    (entry,) = entries
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_:.-]*", entry["ID"])
    assert entry["ID"] == bibtex_key(farsi["key"])  # deterministic
    assert entry["claimtrack-key"] == farsi["key"]
    assert entry["journal"] == "خبرگزاری فارس"
    assert bibtex_key("crw-2020-02") == "crw-2020-02"
    assert bibtex_key("Zürich 2020") != bibtex_key("Zurich-2020")
    assert bibtex_key("Zürich 2020").startswith("Zurich-2020-")
    assert re.fullmatch(r"source-[0-9a-f]{8}", bibtex_key("{}"))


def test_hostile_text_stays_inert_in_bibtex(investigation: Ledger) -> None:
    with investigation.session() as db:
        text = bibtex(db)
        count = len(cited_sources(db))
    entries = _parse(text)
    # Nothing in the titles, names or URLs opened or closed an entry.
    assert len(entries) == count
    assert len(re.findall(r"^@", text, flags=re.MULTILINE)) == count
    (entry,) = [entry for entry in entries if entry["ID"] == "hostile"]
    title = _unbrace(entry["title"])
    assert _unescape(title) == HOSTILE_TITLE
    assert "\\input" not in text and "\\textbackslash{}input" in title
    # Every brace in the file is balanced, whatever the input held.
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0
    assert depth == 0
    # No LaTeX special is left bare in a value (a URL keeps its percent-encoding).
    for field, value in entry.items():
        if field in ("url", "ID", "ENTRYTYPE"):
            continue
        bare = re.sub(r"\\(textbackslash|textbraceleft|textbraceright|textasciicircum|textasciitilde"
                      r"|textless|textgreater|textbar)\{\}|\\[%#&$_]", "", value)  # fmt: skip
        assert not set(bare) & set("\\%#&$_^~<>|"), (field, value)
    assert entry["author"] == r"{Evil\textbraceright{} and \textbraceleft{}Corp}"
    assert entry["howpublished"] == r"Evil\textbraceright{} and \textbraceleft{}Corp"
    assert entry["url"] == "https://example.org/a%20b/%7Bx%7D%5Cy?q=1%20&z=%3Cscript%3E"
    assert entry["date"] == "2020?"


def test_latex_escape() -> None:
    assert (
        latex_escape("50% of $5 & #1_a^b~c") == r"50\% of \$5 \& \#1\_a\textasciicircum{}b\textasciitilde{}c"
    )
    assert latex_escape("a\n\tb\x00c") == "a bc"
    assert latex_escape("Zürich «quoted»") == "Zürich «quoted»"


# ---------------------------------------------------------------------------------------------------------
# The command line's errors
# ---------------------------------------------------------------------------------------------------------


def test_export_errors_are_one_line(cli: Any, investigation: Ledger) -> None:
    for args, message in [
        (("--format", "ris"), "unknown export format 'ris'; use jsonl, claimreview, csl-json or bibtex"),
        (("--format", "bibtex", "--source", "crw-1991"), "no source named 'crw-1991'"),
        (
            ("--format", "jsonl", "--source", "crw-1990"),
            "--source selects the sources of a csl-json or bibtex",
        ),
        (("--format", "csl-json", "-o", "no/such/folder/x.json"), "cannot write 'no/such/folder/x.json'"),
    ]:
        result = cli("export", *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stdout == ""


def test_an_empty_ledger_exports_no_citations(cli: Any) -> None:
    assert json.loads(cli.ok("export", "--format", "csl-json").stdout) == []
    assert cli.ok("export", "--format", "bibtex").stdout == ""
