"""Write the binary fixtures of tests/test_documents.py into this folder.

Run once, from anywhere, with the project's virtualenv (python-docx is a runtime dependency of claimtrack, so
nothing test-only is needed), and commit the files it writes:

    .venv/bin/python tests/data/documents/make_fixtures.py

The output is byte-for-byte reproducible (fixed dates, fixed ZIP timestamps, a seeded random generator), so
running it again changes nothing unless this script changes. ``article.html`` is written by hand, not here.

Files:

* ``report.pdf`` -- four pages with distinct text (the fourth is blank), an info dictionary (title, author,
  creation date) and a document language. Written by hand below: a PDF is a few objects and a cross-reference
  table of their byte offsets, and writing it ourselves needs no PDF library (fpdf2, reportlab) in the tests.
* ``report-truncated.pdf`` -- the first half of ``report.pdf``, as an interrupted download leaves it.
* ``scan.pdf`` -- one page with a grey rectangle and no text or font, standing in for a scanned document.
* ``minutes.docx`` -- a Word file made by python-docx: a heading, paragraphs, an empty paragraph, a line break,
  a table, title/author/created/language in its core properties and a Company in its extended properties.
* ``minutes-corrupt.docx`` -- the first 4 KB of ``minutes.docx`` (a ZIP without its central directory).
* ``junk.html`` -- 2 KB of random bytes named like a web page.
* ``empty.pdf`` -- an empty file.
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- PDF -----------------------------------------------------------------------------------------------------

# Each page's lines. Standard 14 font Helvetica with WinAnsiEncoding: the strings below are encoded to cp1252
# (which is WinAnsi) so the em dash and the accented letters exercise the extractor's font decoding.
PDF_PAGES: list[list[str]] = [
    [
        "Port Selden Harbour Authority",
        "Inspection of the third berth \u2014 summary report",
        "Prepared for the Board, 10 January 2020",
    ],
    [
        "1. Scope",
        "The inspection covered the cargo declarations filed at the third berth",
        "between 1 October and 31 December 2019.",
    ],
    [
        "2. Findings",
        "Eleven workers of the night shift were referred to the regional police.",
        "Am\u00e9lie Durand's request for the list of names was refused on 9 January.",
        "The Board declined to publish the full inspection report.",
    ],
    [],  # a blank page: it keeps its place in Document.pages
]

PDF_INFO = {
    "Title": "Inspection of the third berth",
    "Author": "Port Selden Harbour Authority",
    "CreationDate": "D:20200110143000+01'00'",
    "Producer": "claimtrack make_fixtures.py",
}


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252), with the three characters that must be escaped escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content_stream(lines: list[str]) -> bytes:
    """Draw the lines top-down, 16 points apart: one text object, T* moving to the next line."""
    if not lines:
        return b""
    parts = [b"BT", b"/F1 12 Tf", b"16 TL", b"72 720 Td"]
    for number, line in enumerate(lines):
        if number:
            parts.append(b"T*")
        parts.append(_pdf_string(line) + b" Tj")
    parts.append(b"ET")
    return b"\n".join(parts) + b"\n"


def build_pdf(pages: list[bytes], info: dict[str, str] | None, language: str | None) -> bytes:
    """A complete PDF 1.4 file: catalog, page tree, one font, the pages and their streams, xref, trailer.

    ``pages`` are the pages' content streams. Objects are numbered in the order they are written, so the
    cross-reference table is just their byte offsets in that order.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for stream in pages:
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        # Only a page that draws text declares the font: a scan's pages have none.
        resources = b"<< /Font << /F1 %d 0 R >> >>" % font if b" Tf" in stream else b"<< >>"
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
                % (tree, resources, content)
            )
        )
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    lang = b" /Lang " + _pdf_string(language) if language else b""
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R%s >>" % (tree, lang)
    info_ref = b""
    if info:
        entries = b" ".join(b"/" + key.encode() + b" " + _pdf_string(value) for key, value in info.items())
        info_ref = b" /Info %d 0 R" % add(b"<< " + entries + b" >>")

    # The binary comment on the second line tells transfer tools the file is binary, as the spec recommends.
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    # Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, then "\r\n" (or " \n").
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (len(objects) + 1, catalog, info_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- DOCX ----------------------------------------------------------------------------------------------------


def build_docx() -> bytes:
    """Minutes of a meeting, written by python-docx, with fixed core properties."""
    import docx  # python-docx

    document = docx.Document()
    properties = document.core_properties
    properties.title = "Minutes of the dockworkers' union meeting"
    properties.author = "Lee Park"
    properties.language = "en-GB"
    properties.created = datetime.datetime(2020, 1, 13, 19, 0, tzinfo=datetime.UTC)
    properties.modified = datetime.datetime(2020, 1, 14, 8, 30, tzinfo=datetime.UTC)
    properties.last_modified_by = "Lee Park"
    properties.comments = ""
    properties.revision = 2

    document.add_heading("Dockworkers' union: meeting of 13 January 2020", level=1)
    document.add_paragraph("Present: 42 members. The meeting opened at 19:00 in the union hall.")
    officers = document.add_paragraph("Chair: Lee Park")
    officers.add_run().add_break()
    officers.add_run("Secretary: Sam Reyes")
    document.add_paragraph("")  # an empty paragraph, as people use for spacing: not part of the text
    document.add_paragraph(
        "The meeting voted to ask the port\u2019s board to publish the inspection report of the third berth."
    )
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(
        table.rows,
        [
            ("Motion", "Votes"),
            ("Publish the report", "39 for, 3 against"),
            ("Call a strike", "12 for, 30 against"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("The next meeting is on 20 January 2020.")
    raw = io.BytesIO()
    document.save(raw)
    return _rezip(raw.getvalue())


def _rezip(data: bytes) -> bytes:
    """The same ZIP with every entry dated 2020-01-14, so that regenerating the fixture changes no byte.

    On the way the extended properties get a Company, as Word fills it in from the installation's
    registration: python-docx has no API for docProps/app.xml.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/app.xml":
                content = content.replace(b"<Company/>", b"<Company>Port Selden Dockworkers' Union</Company>")
            info = zipfile.ZipInfo(entry.filename, date_time=(2020, 1, 14, 8, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


# --- main ----------------------------------------------------------------------------------------------------


def main() -> None:
    report = build_pdf([_content_stream(lines) for lines in PDF_PAGES], PDF_INFO, "en-GB")
    scan = build_pdf([b"0.8 g\n72 400 468 300 re\nf\n"], {"Producer": "claimtrack make_fixtures.py"}, None)
    minutes = build_docx()
    files = {
        "report.pdf": report,
        "report-truncated.pdf": report[: len(report) // 2],
        "scan.pdf": scan,
        "minutes.docx": minutes,
        "minutes-corrupt.docx": minutes[:4096],
        "junk.html": random.Random(20200112).randbytes(2048),
        "empty.pdf": b"",
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
