"""Reading saved documents: web pages, PDFs, Word files and text into text and metadata, and refusing broken ones.

The fixtures in tests/data/documents are real files: article.html is written by hand; the PDFs and Word files
are written by make_fixtures.py there (no PDF library needed) and committed.
"""

from __future__ import annotations

import io
import logging
import random
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from claimtrack.errors import InvalidInput
from claimtrack.text.dates import parse_date
from claimtrack.text.decode import read_text
from claimtrack.text.documents import (
    DOCX,
    HTML,
    MARKDOWN,
    PDF,
    PLAIN_TEXT,
    Document,
    page_of,
    read_document,
)

DATA = Path(__file__).resolve().parent / "data" / "documents"
ROOT = Path(__file__).resolve().parent.parent


def read(name: str) -> Document:
    return read_document((DATA / name).read_bytes(), name)


def refusal(data: bytes, name: str) -> str:
    """The message read_document refuses ``data`` with, checked to be one line."""
    with pytest.raises(InvalidInput) as info:
        read_document(data, name)
    message = str(info.value)
    assert message and "\n" not in message and "\r" not in message, message
    return message


# --- HTML ----------------------------------------------------------------------------------------------------


def test_html_article_keeps_the_body_and_drops_the_boilerplate() -> None:
    document = read("article.html")
    assert document.media_type == HTML
    text = document.text
    assert text.startswith("Port Selden detentions: families wait for answers\n")
    for sentence in (
        "Relatives of the eleven men detained at Port Selden on January 8 say that",
        "“We went to the harbour police station every morning and they sent us away,” said Amélie Durand,",
        "Two lawyers contacted by Harbor Wire said they had been refused access on Friday.",
        "publish the inspection report — a request the board turned down in 2018",
        "This article was updated on January 14 to add the union’s statement.",
    ):
        assert sentence in text
    for boilerplate in (
        "cookies",  # the consent banner
        "Subscribe today",  # the navigation
        "Business",
        "Related stories",
        "Port budget cut",
        "Sign up",  # the newsletter box
        "All rights reserved",  # the footer
        "Privacy policy",
        "dataLayer",  # a script
    ):
        assert boilerplate not in text
    assert document.pages == ()


def test_html_article_metadata() -> None:
    document = read("article.html")
    assert document.title == "Port Selden detentions: families wait for answers"
    # trafilatura keeps only the Person author of the JSON-LD; the Organization byline comes from it too.
    assert document.authors == ("Dana Okoro", "Harbor Wire staff")
    # The published time, not the modified one (2020-01-14), as the day it names.
    assert document.date == "2020-01-12"
    assert parse_date(document.date).edtf == "2020-01-12"
    assert document.site_name == "Harbor Wire"
    assert document.url == "https://harborwire.example/2020/01/port-selden-families"
    assert document.language == "en-GB"


PAGE = """<!DOCTYPE html>
<html{lang}><head><meta charset="utf-8"><title>Ministry statement</title>{head}</head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Statement on the harbour inspection</h1>
<p>The ministry has received the harbour authority's report on the inspection of the third berth and will
publish a summary once the regional police have completed their inquiries into the cargo declarations.</p>
<p>The ministry regrets that relatives of the detained workers were not informed sooner, and has asked the
regional police to give each family the place of detention and the name of an officer to contact.</p>
</article>
<footer><p>© 2024 Ministry of Transport. All rights reserved.</p></footer>
</body></html>
"""


def test_html_without_date_metadata_has_no_date_rather_than_the_copyright_year() -> None:
    # trafilatura's extensive date search would answer 2024-01-01 from the footer's copyright line.
    document = read_document(PAGE.format(lang="", head="").encode(), "statement.html")
    assert "ministry has received the harbour authority's report" in document.text
    assert "All rights reserved" not in document.text
    assert document.date is None
    assert document.authors == ()
    assert document.language is None


def test_html_metadata_read_from_meta_tags() -> None:
    head = (
        '<meta name="author" content="By Sam Reyes; Lee Park">'
        '<meta property="article:author" content="https://social.example/samreyes">'
        '<meta name="citation_publication_date" content="2021/03/04">'
        '<meta property="og:locale" content="fr_FR">'
        '<link rel="canonical" href="https://gov.example/statements/harbour">'
    )
    document = read_document(PAGE.format(lang="", head=head).encode(), "statement.html")
    assert document.authors == ("Sam Reyes", "Lee Park")
    assert document.date == "2021-03-04"
    assert document.language == "fr-FR"
    assert document.url == "https://gov.example/statements/harbour"
    # trafilatura would name the site after the URL's host: not a publisher the page gives.
    assert document.site_name is None


def test_html_single_word_bylines_and_json_ld_graphs() -> None:
    # trafilatura drops a one-word author ("Reuters"); the meta tag is read instead.
    page = PAGE.format(lang="", head='<meta name="author" content="Reuters">')
    assert read_document(page.encode(), "wire.html").authors == ("Reuters",)
    ld = (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Ministry"}, '
        '{"@type": ["NewsArticle"], "author": "AFP", "datePublished": "March 4, 2021", '
        '"publisher": {"@type": "GovernmentOrganization", "name": "Ministry of Transport"}}]}</script>'
    )
    document = read_document(PAGE.format(lang="", head=ld).encode(), "wire.html")
    assert document.authors == ("AFP",)
    assert document.date == "March 4, 2021"  # as found: parse_date reads it
    assert document.site_name == "Ministry of Transport"


def test_html_declared_charset_is_honoured() -> None:
    page = PAGE.format(lang=' lang="en"', head="").replace("utf-8", "iso-8859-1")
    page = page.replace("third berth", "third berth — “Berth 3” at the café")
    document = read_document(page.encode("cp1252"), "statement.htm")
    assert "third berth — “Berth 3” at the café" in document.text
    assert document.language == "en"


# --- PDF -----------------------------------------------------------------------------------------------------


def test_pdf_text_pages_and_metadata() -> None:
    document = read("report.pdf")
    assert document.media_type == PDF
    pages = document.text.split("\f")
    assert pages == [
        "Port Selden Harbour Authority\nInspection of the third berth — summary report\n"
        "Prepared for the Board, 10 January 2020",
        "1. Scope\nThe inspection covered the cargo declarations filed at the third berth\n"
        "between 1 October and 31 December 2019.",
        "2. Findings\nEleven workers of the night shift were referred to the regional police.\n"
        "Amélie Durand's request for the list of names was refused on 9 January.\n"
        "The Board declined to publish the full inspection report.",
        "",  # the blank fourth page keeps its place
    ]
    assert len(document.pages) == 4 and document.pages[0] == 0
    for number, start in enumerate(document.pages):
        assert document.text[start:].startswith(pages[number])
    assert document.title == "Inspection of the third berth"
    assert document.authors == ("Port Selden Harbour Authority",)
    assert document.date == "2020-01-10"
    assert document.language == "en-GB"
    assert document.site_name is None and document.url is None


def test_page_of_a_phrase() -> None:
    document = read("report.pdf")
    for phrase, page in (
        ("summary report", 1),
        ("1. Scope", 2),
        ("between 1 October", 2),
        ("2. Findings", 3),
        ("declined to publish the full inspection report", 3),
    ):
        start = document.text.index(phrase)
        assert page_of(document.pages, start) == page, phrase
        assert page_of(document.pages, start + len(phrase) - 1) == page, phrase


def test_page_of_boundaries() -> None:
    pages = (0, 10, 11, 30)  # page 3 is empty: it starts where its own separator stands
    assert [page_of(pages, offset) for offset in (0, 9, 10, 11, 29, 30, 500)] == [1, 1, 2, 3, 3, 4, 4]
    with pytest.raises(ValueError, match="no pages"):
        page_of((), 0)
    with pytest.raises(ValueError, match="negative"):
        page_of(pages, -1)


def test_pdf_metadata_written_by_software_is_not_metadata() -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=DATA / "report.pdf")
    writer.add_metadata(
        {
            "/Title": "Microsoft Word - report-final.docx",
            "/Author": "Microsoft Office User",
            "/CreationDate": "Tue Jan 10 14:30:00 2020",  # not a PDF date: left out, not guessed
        }
    )
    out = io.BytesIO()
    writer.write(out)
    document = read_document(out.getvalue(), "report.pdf")
    assert (document.title, document.authors, document.date) == (None, (), None)
    assert document.text == read("report.pdf").text


def test_pdf_encrypted_with_an_empty_password_opens_and_with_a_password_is_refused() -> None:
    import pypdf

    def encrypted(user_password: str) -> bytes:
        writer = pypdf.PdfWriter(clone_from=DATA / "report.pdf")
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert read_document(encrypted(""), "restricted.pdf").text == read("report.pdf").text
    assert "password-protected" in refusal(encrypted("secret"), "locked.pdf")


# --- DOCX ----------------------------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_core_properties() -> None:
    document = read("minutes.docx")
    assert document.media_type == DOCX
    assert document.text == (
        "Dockworkers' union: meeting of 13 January 2020\n\n"
        "Present: 42 members. The meeting opened at 19:00 in the union hall.\n\n"
        "Chair: Lee Park\nSecretary: Sam Reyes\n\n"  # a line break inside a paragraph; no empty paragraph
        "The meeting voted to ask the port’s board to publish the inspection report of the third berth.\n\n"
        "Motion\tVotes\nPublish the report\t39 for, 3 against\nCall a strike\t12 for, 30 against\n\n"
        "The next meeting is on 20 January 2020."
    )
    assert document.title == "Minutes of the dockworkers' union meeting"
    assert document.authors == ("Lee Park",)
    assert document.date == "2020-01-13"
    assert document.site_name == "Port Selden Dockworkers' Union"
    assert document.language == "en-GB"
    assert document.pages == ()


def test_docx_defaults_of_the_authoring_software_are_not_metadata() -> None:
    import docx

    made = docx.Document()  # python-docx's template: author "python-docx", created 2013-12-23
    made.add_paragraph("A memo.")
    out = io.BytesIO()
    made.save(out)
    document = read_document(out.getvalue(), "memo.docx")
    assert document.text == "A memo."
    assert document.authors == ()
    assert document.date is None


# --- Plain text and the choice of format ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("notes.txt", PLAIN_TEXT), ("notes.md", MARKDOWN), ("notes", PLAIN_TEXT), ("stdin", PLAIN_TEXT)],
)
def test_text_is_kept_exactly(name: str, media_type: str) -> None:
    data = "\ufeffLine one.\r\n  Indented “quoted” line — with a dash.\n\nLast line".encode()
    document = read_document(data, name)
    assert (
        document.text
        == read_text(data, name)
        == "Line one.\r\n  Indented “quoted” line — with a dash.\n\nLast line"
    )
    assert document.media_type == media_type
    assert document == Document(text=document.text, media_type=media_type)


def test_content_decides_before_the_name() -> None:
    assert read_document((DATA / "report.pdf").read_bytes(), "report.txt").media_type == PDF
    assert read_document((DATA / "minutes.docx").read_bytes(), "minutes").media_type == DOCX
    assert read_document((DATA / "article.html").read_bytes(), "saved.md").media_type == HTML
    assert read_document((DATA / "article.html").read_bytes(), "stdin").media_type == HTML
    assert read_document(b"<div><p>The statement.</p></div>", "page.aspx").media_type == HTML
    # Markdown may start with HTML; only a whole page's opening makes a text file HTML.
    markdown = b'<div align="center"><img src="logo.png"></div>\n\n# Notes\n'
    assert read_document(markdown, "README.md") == Document(text=markdown.decode(), media_type=MARKDOWN)


# --- Broken and unreadable files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report-truncated.pdf", r"^'report-truncated\.pdf': not a readable PDF \(.+ looks truncated\)$"),
        ("scan.pdf", r"^'scan\.pdf': this PDF has no text layer .*OCR"),
        ("junk.html", r"^'junk\.html': no readable text found in this HTML$"),
        ("empty.pdf", r"^'empty\.pdf' is empty$"),
        ("minutes-corrupt.docx", r"^'minutes-corrupt\.docx': not a readable Word document \(.+\)$"),
    ],
)
def test_broken_fixtures_are_refused_in_one_line(name: str, expected: str) -> None:
    import re

    message = refusal((DATA / name).read_bytes(), name)
    assert re.search(expected, message), message


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "stdin", "stdin is empty"),
        (b"", "page.html", "'page.html' is empty"),
        (bytes(b for b in random.Random(1).randbytes(4096) if b), "page.html", "no readable text found"),
        (b"<!doctype html><html><head><title>x</title></head><body></body></html>", "x.html", "no readable"),
        (b"This is not a PDF.", "report.pdf", "not a readable PDF (it does not start with a %PDF- header)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc", "Office 97-2003"),
        (b"\x01\x02\x00\x03binary", "sheet.xlsx", "binary file, not text; claimtrack reads"),
        (b"caf\xe9", "notes.txt", "'notes.txt' is not UTF-8 text (byte 3 is invalid)"),
    ],
)
def test_unreadable_input_is_refused_in_one_line(data: bytes, name: str, expected: str) -> None:
    assert expected in refusal(data, name)


def test_a_zip_that_is_not_a_word_file_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    assert "is a ZIP archive, not a Word (.docx) document" in refusal(out.getvalue(), "notes.odt")


def test_a_docx_with_broken_xml_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(DATA / "minutes.docx") as source, zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry, content[:200] if entry.filename == "word/document.xml" else content)
    assert refusal(broken.read_bytes(), "broken.docx").startswith(
        "'broken.docx': not a readable Word document ("
    )


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (20 * 2**20 + 1))
    message = refusal(big.read_bytes(), "big.txt")
    assert message == (
        "'big.txt' is larger than the 20 MiB input limit; to read it, raise the limit for this database "
        "(claimtrack config set max-input-mib N) or for one command (CLAIMTRACK_MAX_INPUT_MIB=N)"
    )


def test_no_library_exception_escapes_from_damaged_files() -> None:
    """Damage the good fixtures at random places: each read gives a Document or an InvalidInput."""
    rng = random.Random(7)
    for name in ("report.pdf", "minutes.docx", "article.html"):
        good = (DATA / name).read_bytes()
        for _ in range(25):
            damaged = bytearray(good)
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            cut = bytes(damaged[: rng.randint(len(good) // 2, len(good))])
            for data in (bytes(damaged), cut):
                try:
                    read_document(data, name)
                except InvalidInput as exc:
                    assert "\n" not in str(exc)


# --- Side effects: logging, network, imports -----------------------------------------------------------------


def test_library_logging_is_silenced_and_restored(caplog: pytest.LogCaptureFixture) -> None:
    pypdf_logger = logging.getLogger("pypdf")
    before = pypdf_logger.level
    with caplog.at_level(logging.DEBUG):
        for name in ("report-truncated.pdf", "junk.html"):
            with pytest.raises(InvalidInput):
                read(name)
        read_document(PAGE.format(lang="", head="").encode("utf-16"), "statement.html")
        read("article.html")
    assert [record.getMessage() for record in caplog.records] == []
    assert pypdf_logger.level == before


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("read_document tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert read("article.html").url == "https://harborwire.example/2020/01/port-selden-families"


def test_importing_the_module_loads_no_extraction_library() -> None:
    heavy = ["trafilatura", "pypdf", "docx", "lxml", "sqlalchemy"]
    code = f"import sys, claimtrack.text.documents; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
