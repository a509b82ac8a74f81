"""Reading a saved document -- web page, PDF, Word file, plain text -- into its text and what it says about itself.

:func:`read_document` is what ``claimtrack source add FILE`` uses: it takes the file's bytes and name and returns
a :class:`Document` with the main text and the metadata the file carries (title, bylines, publication date,
publisher, canonical URL, language) for the command to suggest. It never goes to the network, and every
failure -- empty, too large, truncated, corrupt, a scan without text -- is an :class:`InvalidInput` with a
one-line message; no exception of the extraction libraries escapes, and their log messages are silenced so
stderr stays clean.

The format is decided by the content first and the file name second: a PDF saved as ``.txt`` is a PDF, and a
``.md`` file that begins with ``<div>`` is still Markdown (only an unmistakable ``<!DOCTYPE html>``, ``<html>``,
``<head>`` or ``<body>`` makes a text-named file HTML).

Choices worth knowing:

* Plain text and Markdown are kept exactly as in the file (only a byte-order mark is dropped), through
  :func:`claimtrack.text.decode.read_text`, like ``source add`` has always done.
* HTML: trafilatura extracts the article body (``favor_precision``: navigation, cookie banners, footers,
  "related stories" and comments stay out; if that leaves nothing, the default balance is tried). Its date
  search is restricted to the page's markup: its *extensive* search reads dates out of the visible text and
  took a footer's "(c) 2024" for the publication date of a 2020 article. Its hostname stand-in for a missing
  site name is dropped (a publisher called "example.com" would become an entity). The bylines are the
  JSON-LD ``author`` entries, then trafilatura's (which keep only ``Person`` authors, losing "Harbor Wire
  staff"); if neither has any, the <meta> author tags (trafilatura ignores a one-word author: "Reuters").
* PDF: pypdf, the pages' text joined with form feeds (``"\\f"``, as pdftotext does): a page break is not a
  paragraph break -- sentences run across pages -- and it stays visible in the stored text. ``pages`` holds
  each page's start offset, blank pages included, so ``len(pages)`` is the page count. The date is the file's
  creation date, which is often but not always the publication date.
* DOCX: python-docx; the body's paragraphs and tables in document order, each block separated by a blank line
  (``"\\n\\n"``); empty paragraphs (spacing) are left out; a table's cells are joined by tabs, its rows by line
  breaks. Headers, footers, footnotes, comments, text boxes and tracked insertions are not read. The site
  name is the ``Company`` of the extended properties: the organisation the authoring software is registered
  to, a hint rather than a publisher statement.
* Authors are split on ";" only (a comma may be "Okoro, Dana"). In PDFs and Word files, the default names
  that authoring software writes ("python-docx", "Microsoft Office User", ...) are not bylines and are
  dropped, and so is a PDF title that is a file name ("Microsoft Word - report.docx").

trafilatura, pypdf and python-docx take a while to import, so each is imported inside the function that needs
it: importing this module costs the command line nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import logging
import re
import warnings
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from claimtrack.errors import ClaimtrackError, InvalidInput

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from claimtrack.input_files import Limit

Progress = Callable[[str, int, int], None]

__all__ = [
    "DOCX",
    "HTML",
    "MARKDOWN",
    "MAX_HTML_ELEMENTS",
    "PDF",
    "PLAIN_TEXT",
    "Document",
    "page_of",
    "read_document",
]

PLAIN_TEXT = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_MARKDOWN_SUFFIXES = {".md", ".markdown"}
# The suffixes claimtrack.sources reads as text ("" is a file without one, and stdin).
_TEXT_SUFFIXES = {".txt", ".text", "", *_MARKDOWN_SUFFIXES}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_SUPPORTED = "claimtrack reads plain text, Markdown, HTML, PDF and Word (.docx) files"

# Loggers of the extraction libraries and of the libraries they use. They warn on stderr about what they
# repair or guess ("EOF marker not found", "wrong encoding detected", "parsed tree length: 1"), which the
# researcher cannot act on: what matters is reported through InvalidInput instead.
_NOISY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer", "pypdf", "docx")

# Author names that authoring software writes by default: no one's byline.
_PLACEHOLDER_AUTHORS = {
    "python-docx",
    "microsoft office user",
    "windows user",
    "user",
    "author",
    "unknown",
    "administrator",
}
# python-docx's built-in template is dated this; a file made from it without setting the date carries it.
_PYTHON_DOCX_TEMPLATE_CREATED = "2013-12-23T23:15:00"


@dataclass(frozen=True)
class Document:
    """A document's main text, its media type, and the metadata it carries about itself.

    ``text`` is the text as extracted (for plain text and Markdown, the file's text exactly). The metadata is
    what the file says, to be offered to the researcher, not verified: ``authors`` are bylines as written,
    ``date`` is a publication date readable by :func:`claimtrack.text.dates.parse_date` (ISO when the file has a
    machine-readable date), ``site_name`` the publisher as found, ``url`` the canonical URL the page gives.
    ``pages`` is only set for PDFs: the offset in ``text`` where each page starts (``pages[0] == 0``);
    :func:`page_of` turns an offset into a page number.
    """

    text: str
    media_type: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    site_name: str | None = None
    url: str | None = None
    language: str | None = None
    pages: tuple[int, ...] = ()
    # What the researcher should know about how the text was read (a page read as plain text).
    notes: tuple[str, ...] = ()


def page_of(document_pages: Sequence[int], offset: int) -> int:
    """The 1-based page number of the character at ``offset`` in a PDF's text, from its ``Document.pages``.

    The form feed that separates two pages counts as the end of the earlier page. Raises ValueError for a
    negative offset or a document without pages (not a PDF): there is no page to name.
    """
    if not document_pages:
        raise ValueError("this document has no pages (only PDFs have)")
    if offset < 0:
        raise ValueError(f"a text offset cannot be negative ({offset})")
    return max(bisect_right(document_pages, offset), 1)


def read_document(
    data: bytes, name: str, limit: Limit | None = None, progress: Progress | None = None
) -> Document:
    """Read a saved document's bytes into its text and metadata.

    ``name`` is the file name as the researcher gave it (or ``"stdin"``); it appears in error messages and its
    suffix decides the format when the content does not (see the module docstring). Raises InvalidInput, with
    a one-line message naming the file, for an empty or too large file, a format claimtrack does not read, a
    damaged file, or one without text. ``limit`` bounds the file, the parts of a Word file together and the
    text extracted (default: 20 MiB, see :mod:`claimtrack.input_files`); ``progress`` is told ("reading
    pages", pages read, pages) as a PDF is read, and ("reading paragraphs", ...) as a Word file is.
    """
    from claimtrack.input_files import Limit

    limit = limit or Limit()
    origin = "stdin" if name in ("stdin", "-") else repr(name)
    if not data:
        raise InvalidInput(f"{origin} is empty")
    if len(data) > limit.bytes:
        raise limit.too_large(origin)
    suffix = PurePath(name).suffix.lower() if name not in ("stdin", "-") else ""
    media_type = _sniff(data, suffix, origin)
    with _quiet():
        try:
            if media_type == PDF:
                return _read_pdf(data, origin, limit, progress)
            if media_type == DOCX:
                return _read_docx(data, origin, limit, progress)
            if media_type == HTML:
                return _read_html(data, origin)
            return _read_plain(data, origin, suffix)
        except ClaimtrackError:
            raise
        except Exception as exc:  # a safety net: each reader wraps the failures it knows of
            raise InvalidInput(f"{origin}: cannot read this file ({_one_line(exc)})") from exc


# --- Format --------------------------------------------------------------------------------------------------

# A page that begins with one of these (after white space, an XML declaration and comments such as a browser's
# "saved from url=" note) is HTML whatever its name says.
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# Tags that can open an HTML document or fragment (after the WHATWG sniffing rules). They are trusted only
# for a name that is not a text file's: Markdown often starts with <div align="center"> or a comment.
_HTML_TAG_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|script|iframe|h[1-6]|div|font|table|a|style|title|b|br|"
    r"p|meta|link|article|section|main|header|nav)[\s/>]",
    re.IGNORECASE | re.DOTALL,
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 files (.doc, .xls, .ppt)


def _sniff(data: bytes, suffix: str, origin: str) -> str:
    """The media type to read ``data`` as: its content decides, then its suffix."""
    # The header may follow a few bytes of junk (readers accept it in the first 1024 bytes); in a file
    # named as text that is more likely a text that mentions %PDF-, so there it must come first.
    if data.lstrip()[:5] == b"%PDF-" or (suffix not in _TEXT_SUFFIXES and b"%PDF-" in data[:1024]):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if suffix == ".docx" or (names is not None and any(n.startswith("word/") for n in names)):
            return DOCX  # the reader says what is wrong with a damaged one
        raise InvalidInput(f"{origin} is a ZIP archive, not a Word (.docx) document; {_SUPPORTED}")
    if data.startswith(b"{\\rtf"):
        raise InvalidInput(f"{origin} is an RTF file: save it as .docx or PDF and add that")
    if data.startswith(_OLE_MAGIC):
        raise InvalidInput(
            f"{origin} is an Office 97-2003 file (.doc, .xls, .ppt): save it as .docx or PDF and add that"
        )
    head = _head_text(data)
    if _HTML_START.match(head) or (suffix not in _TEXT_SUFFIXES and _HTML_TAG_START.match(head)):
        return HTML
    if suffix in _HTML_SUFFIXES:
        return HTML
    if suffix == ".pdf":
        return PDF
    if suffix in (".doc", ".docx"):
        return DOCX
    return MARKDOWN if suffix in _MARKDOWN_SUFFIXES else PLAIN_TEXT


def _head_text(data: bytes) -> str:
    """The first kilobyte as text, enough to recognise HTML: byte-for-byte, except for UTF-16 and its BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data[:2048].decode("utf-16", "ignore")
    # Latin-1 maps every byte to one character, so ASCII markup reads the same whatever the real encoding.
    return data[:1024].removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _zip_names(data: bytes) -> list[str] | None:
    """The names in a ZIP archive, or None if it cannot be opened (truncated, corrupt)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except Exception:  # BadZipFile, and whatever else a damaged central directory makes zipfile raise
        return None


# --- Plain text and Markdown ---------------------------------------------------------------------------------


def _read_plain(data: bytes, origin: str, suffix: str) -> Document:
    """Text kept exactly, as ``source add`` has always stored it."""
    from .decode import read_text

    try:
        text = read_text(data, origin)
    except InvalidInput as exc:
        if suffix in _TEXT_SUFFIXES:
            raise
        # An unknown suffix that is not text: say what would have been readable.
        raise InvalidInput(f"{exc}; {_SUPPORTED}") from None
    return Document(text=text, media_type=MARKDOWN if suffix in _MARKDOWN_SUFFIXES else PLAIN_TEXT)


# --- HTML ----------------------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels that browsers (WHATWG Encoding) read as windows-1252, whose extra characters (curly quotes, dashes)
# pages use while declaring ISO-8859-1.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_OTHER_BYTES = bytes(sorted(set(range(256)) - set(_CONTROL_BYTES)))


def _read_html(data: bytes, origin: str) -> Document:
    """The article body of a saved web page, by trafilatura, and the page's metadata."""
    import trafilatura

    no_text = InvalidInput(f"{origin}: no readable text found in this HTML")
    if _looks_binary(data):
        raise no_text
    markup = _decode_html(data)
    try:
        tree = trafilatura.load_html(markup)
        if tree is None:
            # trafilatura refuses a bare fragment ("<p>...</p>"); a page body around it is what it expects.
            markup = "<html><body>" + markup + "</body></html>" if isinstance(markup, str) else markup
            tree = trafilatura.load_html(markup)
        if tree is None:
            raise no_text
        page = _page_metadata(tree)
        elements = int(tree.xpath("count(//*)"))  # in C: a Python loop over 300,000 elements takes seconds
        if elements > MAX_HTML_ELEMENTS:
            return _read_html_as_plain_text(tree, page, origin, elements)
        options: dict[str, Any] = {
            "with_metadata": True,
            "include_comments": False,
            "include_tables": True,
            "include_images": False,
            "include_links": False,
            "deduplicate": False,
            # The date from the markup only (meta tags, JSON-LD, <time>, URL): the extensive search also
            # reads dates out of the text, and takes a footer's copyright year for the publication date.
            "date_extraction_params": {
                "original_date": True,
                "extensive_search": False,
                "max_date": _date.today().isoformat(),
            },
        }
        extracted = trafilatura.bare_extraction(markup, favor_precision=True, **options)
        if extracted is None or not (getattr(extracted, "text", None) or "").strip():
            extracted = trafilatura.bare_extraction(markup, **options)
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(f"{origin}: cannot read this HTML ({_one_line(exc)})") from exc
    if extracted is None:
        raise no_text
    text = _clean(getattr(extracted, "text", None) or "")
    if not text.strip():
        raise no_text

    def found(attribute: str) -> str | None:
        value = getattr(extracted, attribute, None)
        return _tidy(value) if isinstance(value, str) else None

    # trafilatura joins the bylines it finds with "; ".
    authors = _unique([*page.ld_authors, *_split_authors(found("author"))]) or page.meta_authors
    url = found("url")
    if url and not re.match(r"https?://", url, re.IGNORECASE):
        url = None  # a relative canonical link does not identify the page
    url = url or page.url
    site_name = found("sitename")
    if site_name and site_name.casefold() not in {name.casefold() for name in page.site_names}:
        host = re.match(r"https?://(?:www\.|w[0-9]+\.)?([^/:?#]+)", url or "", re.IGNORECASE)
        if host and host[1].casefold() == site_name.casefold():
            site_name = None  # trafilatura's stand-in: the URL's host name, not a name the page gives
    return Document(
        text=text,
        media_type=HTML,
        title=found("title") or page.title,
        authors=authors,
        date=_first_date([found("date"), *page.dates]),
        site_name=site_name or next(iter(page.site_names), None),
        url=url,
        language=_language(found("language")) or page.language,
        pages=(),
    )


# Past this many elements a page is read as plain text instead of by trafilatura, whose time grows with the
# square of a page's elements (its XPath searches such as ".//p//text()", in libxml2, compare every node found
# with those found before): 30,000 elements take it about 4 s; 75,000 took 23 s and 300,000 over 5 minutes.
# Article pages have a few thousand.
MAX_HTML_ELEMENTS = 20_000
# Stand-ins for a block's edge and a line break while white space is collapsed: Unicode noncharacters, which
# text does not hold.
_BLOCK, _BREAK = "\ufdd0", "\ufdd1"
_HIDDEN_TAGS = "script|style|noscript|template|head|svg|math|iframe|object|select"
_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|caption|center|dd|details|dialog|div|dl|dt|fieldset|figcaption|"
    "figure|footer|form|h1|h2|h3|h4|h5|h6|header|hr|html|legend|li|main|nav|ol|p|pre|section|summary|table|"
    "tbody|thead|tfoot|tr|ul"
)
# The page's text in document order, blocks and line breaks marked: XSLT runs in C (libxslt), in time linear
# in the page, where a Python loop over 300,000 elements or regular expressions over 10 MB take seconds.
_PLAIN_TEXT_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{_HIDDEN_TAGS}|comment()|processing-instruction()"/>
<xsl:template match="{_BLOCK_TAGS}">&#xFDD0;<xsl:apply-templates/>&#xFDD0;</xsl:template>
<xsl:template match="br">&#xFDD1;</xsl:template>
<xsl:template match="td|th"><xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text></xsl:template>
</xsl:stylesheet>"""


def _read_html_as_plain_text(tree: HtmlElement, page: _PageMetadata, origin: str, elements: int) -> Document:
    """A page too large for trafilatura, as plain text: every text in document order, a blank line between
    blocks, navigation and all, in time linear in the page. The metadata is the markup's (meta tags, JSON-LD)."""
    from lxml import etree

    marked = str(etree.XSLT(etree.XML(_PLAIN_TEXT_XSLT))(tree))
    # HTML's white space rules: a run of white space (line breaks in the source included) is one space.
    marked = " ".join(marked.split())
    for stand_in in (_BLOCK, _BREAK):
        marked = marked.replace(f" {stand_in}", stand_in).replace(f"{stand_in} ", stand_in)
    blocks = "\n\n".join(filter(None, marked.split(_BLOCK)))
    text = _clean(re.sub("\n{3,}", "\n\n", blocks.replace(_BREAK, "\n")).strip())
    if not text:
        raise InvalidInput(f"{origin}: no readable text found in this HTML")
    return Document(
        text=text,
        media_type=HTML,
        title=page.title,
        authors=page.ld_authors or page.meta_authors,
        date=_first_date(page.dates),
        site_name=next(iter(page.site_names), None),
        url=page.url,
        language=page.language,
        notes=(
            f"{origin} has {elements:,} HTML elements, more than the {MAX_HTML_ELEMENTS:,} that claimtrack "
            "extracts an article from; its whole text was kept as plain text, navigation and all",
        ),
    )


def _looks_binary(data: bytes) -> bool:
    """Whether bytes are not text at all: more than 1% control characters (NUL included) in the first 8 KB.

    A ratio rather than any NUL (as for plain text): saved pages do carry the odd stray control character,
    which the HTML parser drops, while random bytes are about a tenth control characters.
    """
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # UTF-16 text is full of NUL bytes
    return len(sample.translate(None, _OTHER_BYTES)) * 100 > len(sample)


def _decode_html(data: bytes) -> str | bytes:
    """The page as text, by its BOM, UTF-8 or its declared charset; else the bytes, for trafilatura to guess.

    trafilatura tries UTF-8 and then guesses statistically, ignoring <meta charset>; on a short page the guess
    can be wrong, and the page's own declaration is what browsers use.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        label = declared.group(1).decode("ascii").lower()
        try:
            return data.decode("cp1252" if label in _WINDOWS_1252_LABELS else label, "replace")
        except LookupError:
            pass
    return data


@dataclass
class _PageMetadata:
    """What a page's <head> and JSON-LD say, to complete what trafilatura returns."""

    title: str | None = None
    ld_authors: tuple[str, ...] = ()
    meta_authors: tuple[str, ...] = ()
    dates: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    url: str | None = None
    language: str | None = None


# JSON-LD types of a page's main work, whose author/datePublished/publisher describe the page.
_ARTICLE_TYPES = {
    "BlogPosting",
    "LiveBlogPosting",
    "ReportageNews",
    "Report",
    "SocialMediaPosting",
    "WebPage",
}
# <meta> names and properties, lower-cased, in order of preference.
_META_DATES = (
    "article:published_time",
    "og:published_time",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "pubdate",
    "publishdate",
    "date",
)
_META_AUTHORS = ("author", "article:author", "citation_author", "dc.creator", "dcterms.creator", "byl")


def _page_metadata(tree: HtmlElement) -> _PageMetadata:
    """Read <meta>, <link rel=canonical>, <html lang> and the first article-like JSON-LD object of a page."""
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = _tidy(element.get("content"))
        key = element.get("property") or element.get("name") or element.get("itemprop")
        key = key or element.get("http-equiv")
        if content and key:
            meta.setdefault(key.strip().lower(), []).append(content)

    def first(*keys: str) -> str | None:
        return next((values[0] for key in keys for values in [meta.get(key, [])] if values), None)

    page = _PageMetadata()
    article = next(_ld_articles(tree), {})
    page.title = _tidy(_ld_text(article.get("headline"))) or first("og:title", "twitter:title")
    if page.title is None:
        page.title = _tidy(next((t.text_content() for t in tree.iter("title")), None))
    page.ld_authors = _unique(_ld_names(article.get("author")))
    page.meta_authors = _unique(
        author
        for key in _META_AUTHORS
        for value in meta.get(key, [])
        for author in _split_authors(value)
        if not re.match(
            r"(?:https?://|www\.)", author, re.IGNORECASE
        )  # article:author is often a profile URL
    )
    page.dates = [d for d in [_ld_text(article.get("datePublished")), *map(first, _META_DATES)] if d]
    site_names = [first("og:site_name"), *_ld_names(article.get("publisher")), first("application-name")]
    page.site_names = list(_unique(name for name in site_names if name))
    canonical = next((link.get("href") for link in tree.iter("link") if _rel(link) == "canonical"), None)
    for url in (canonical, first("og:url"), _ld_text(article.get("url"))):
        if url and re.match(r"https?://", url.strip(), re.IGNORECASE):
            page.url = url.strip()
            break
    root = tree.getroottree().getroot()
    page.language = next(
        filter(
            None,
            map(
                _language,
                [
                    root.get("lang"),
                    root.get("{http://www.w3.org/XML/1998/namespace}lang"),
                    first("content-language", "language", "dc.language", "dcterms.language"),
                    _ld_text(article.get("inLanguage")),
                    first("og:locale"),
                ],
            ),
        ),
        None,
    )
    return page


def _rel(link: Any) -> str:
    return " ".join((link.get("rel") or "").lower().split())


def _ld_articles(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """The JSON-LD objects of a page that describe an article (or the page), in document order."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            value = json.loads(script.text or "")
        except ValueError:
            continue  # broken JSON-LD is common and not the researcher's problem
        for item in _ld_items(value):
            types = item.get("@type")
            types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            if any(isinstance(t, str) and (t.endswith("Article") or t in _ARTICLE_TYPES) for t in types):
                yield item


def _ld_items(value: Any) -> Iterator[dict[str, Any]]:
    """The objects at the top of a JSON-LD value: itself, the items of a list, the members of an @graph."""
    if isinstance(value, list):
        for item in value:
            yield from _ld_items(item)
    elif isinstance(value, dict):
        yield value
        yield from _ld_items(value.get("@graph"))


def _ld_names(value: Any) -> list[str]:
    """The names in a JSON-LD author or publisher: a string, an object with a name, or a list of these."""
    if isinstance(value, list):
        return [name for item in value for name in _ld_names(item)]
    name = value.get("name") if isinstance(value, dict) else value
    name = _tidy(name) if isinstance(name, str) else None
    return [name] if name and not re.match(r"https?://", name, re.IGNORECASE) else []


def _ld_text(value: Any) -> str | None:
    return _tidy(value) if isinstance(value, str) else None


# --- PDF -----------------------------------------------------------------------------------------------------

# A PDF date, "D:YYYYMMDDHHmmSS+HH'mm'", of which everything after the year is optional ("D:" too, in practice).
_PDF_DATE = re.compile(r"^\s*(?:D:\s*(\d{4})(\d{2})?(\d{2})?|(\d{4})(\d{2})(\d{2})?(?!-))")
# Titles that PDF printers fill in from the file name rather than the document.
_FILE_NAME_TITLE = re.compile(
    r"^(?:Microsoft (?:Word|PowerPoint|Excel) - |untitled$)|\.(?:docx?|odt|rtf|pptx?|xlsx?|pdf|txt|html?)$",
    re.IGNORECASE,
)


def _read_pdf(data: bytes, origin: str, limit: Limit, progress: Progress | None) -> Document:
    """Each page's text layer by pypdf, joined with form feeds, and the document information."""
    import pypdf
    import pypdf.errors

    def unreadable(reason: str) -> InvalidInput:
        # An interrupted download loses the end of the file, where the cross-reference table and %%EOF are.
        if b"%%EOF" not in data[-2048:]:
            reason += "; the file has no %%EOF end marker, so it looks truncated"
        return InvalidInput(f"{origin}: not a readable PDF ({reason})")

    if b"%PDF-" not in data[:1024]:
        raise InvalidInput(f"{origin}: not a readable PDF (it does not start with a %PDF- header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            # Many PDFs are encrypted only to restrict printing or copying, with an empty password to open.
            raise InvalidInput(f"{origin} is a password-protected PDF: save an unprotected copy and add that")
        texts: list[str] = []
        count, extracted = len(reader.pages), 0
        for number, page in enumerate(reader.pages, start=1):
            try:
                texts.append(_clean(page.extract_text() or "").replace("\f", "\n"))
            except Exception as exc:
                # A page left out would shift the page numbers of everything after it.
                raise unreadable(f"page {number}: {_one_line(exc)}") from exc
            # Characters, not bytes: counting is cheap, and a text of N characters is at least N bytes.
            extracted += len(texts[-1])
            if extracted > limit.bytes:
                raise limit.refusal(f"{origin}: its text is larger than the {limit.mib} MiB input limit")
            if progress is not None:
                progress("reading pages", number, count)
    except InvalidInput:
        raise
    except pypdf.errors.DependencyError as exc:
        # AES-encrypted PDFs, even those that open without a password, need the cryptography package.
        raise InvalidInput(
            f"{origin}: this PDF is encrypted with AES, which needs the 'cryptography' package "
            f"(pip install 'pypdf[crypto]') ({_one_line(exc)})"
        ) from exc
    except Exception as exc:
        raise unreadable(_one_line(exc)) from exc
    if not texts:
        raise unreadable("no pages found")
    if not any(text.strip() for text in texts):
        if _has_fonts(reader):
            # Text drawn with fonts that map to no characters (or a damaged file): OCR would help, but this
            # is not the scan the message below describes.
            raise InvalidInput(
                f"{origin}: no text could be extracted from this PDF, although its pages use fonts "
                "(a damaged file, or fonts without a mapping to characters)"
            )
        raise InvalidInput(
            f"{origin}: this PDF has no text layer ({_plural(len(texts), 'page')}, none with text: a scan?); "
            "claimtrack does not do OCR: make a searchable PDF first (e.g. with ocrmypdf) and add that"
        )
    pages, offset = [], 0
    for text in texts:
        pages.append(offset)
        offset += len(text) + 1
    title, authors, created, language = _pdf_metadata(reader)
    return Document(
        text="\f".join(texts),
        media_type=PDF,
        title=title,
        authors=authors,
        date=created,
        language=language,
        pages=tuple(pages),
    )


def _has_fonts(reader: Any) -> bool:
    """Whether any page of a PDF has fonts among its resources."""
    with contextlib.suppress(Exception):
        for page in reader.pages:
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else None
            if resources is not None and resources.get("/Font"):
                return True
    return False


def _pdf_metadata(reader: Any) -> tuple[str | None, tuple[str, ...], str | None, str | None]:
    """Title, authors, creation date and language from a PDF's information dictionary and catalog.

    Best effort: a damaged information dictionary costs the metadata, not the text already read.
    """
    title = authors = created = language = None
    with contextlib.suppress(Exception):
        info = reader.metadata
        if info is not None:
            title = _tidy(_as_text(info.get("/Title")))
            if title and _FILE_NAME_TITLE.search(title):
                title = None  # "Microsoft Word - report.docx": the file the PDF was printed from
            authors = _bylines(_as_text(info.get("/Author")))
            # The raw "D:YYYYMMDDHHmmSS+HH'mm'" string: pypdf's parsed creation_date raises on the many
            # malformed ones, and the day as written (the author's local date) is what a researcher means.
            raw = _as_text(info.get("/CreationDate"))
            match = _PDF_DATE.match(raw or "")
            # Some producers write ISO 8601 or English instead: _first_date reads what parse_date reads.
            created = _first_date(["-".join(part for part in match.groups() if part) if match else raw])
    with contextlib.suppress(Exception):
        language = _language(_as_text(reader.trailer["/Root"].get("/Lang")))
    return title, authors or (), created, language


def _as_text(value: Any) -> str | None:
    """A PDF object that should be a string, as a string (pypdf gives str subclasses; indirect ones resolve)."""
    if value is None:
        return None
    if hasattr(value, "get_object"):
        value = value.get_object()
    # An undecodable string comes back as bytes (ByteStringObject): no use as a title.
    return str(value) if isinstance(value, str) else None


# --- DOCX ----------------------------------------------------------------------------------------------------

_EXTENDED_PROPERTIES = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def _read_docx(data: bytes, origin: str, limit: Limit, progress: Progress | None) -> Document:
    """The body's paragraphs and tables by python-docx, and the core properties."""
    import docx
    from docx.table import Table
    from lxml import etree

    _check_expansion(data, origin, limit)
    try:
        document = docx.Document(io.BytesIO(data))
        entity = next(document.element.iter(etree.Entity), None)
        if entity is not None:
            # python-docx leaves an entity it does not resolve in the tree, and a paragraph's text would stop
            # there: the rest of the paragraph would be lost without a word.
            raise InvalidInput(
                f"{origin}: its text holds an XML entity ({entity.text}) that claimtrack does not resolve "
                "(Word never writes one); open it in a word processor and save it again as .docx"
            )
        blocks, extracted = [], 0
        # python-docx takes a fraction of a millisecond a paragraph: a long document shows its progress.
        count = len(document.element.body)
        for number, block in enumerate(document.iter_inner_content(), start=1):
            if progress is not None and number % 1000 == 0:
                progress("reading paragraphs", min(number, count), count)
            text = _table_text(block) if isinstance(block, Table) else block.text
            if text.strip():
                blocks.append(_clean(text))
                extracted += len(text)
                if extracted > limit.bytes:
                    raise limit.refusal(f"{origin}: its text is larger than the {limit.mib} MiB input limit")
        properties = document.core_properties
        title = _tidy(properties.title)
        authors = _bylines(properties.author)
        created = properties.created
        language = _language(properties.language)
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(f"{origin}: not a readable Word document ({_one_line(exc)})") from exc
    if not blocks:
        raise InvalidInput(f"{origin}: this Word document has no text")
    date = None
    if created is not None and created.replace(tzinfo=None).isoformat() != _PYTHON_DOCX_TEMPLATE_CREATED:
        # Stored in UTC; the calendar day is what the researcher gets (parse_date drops times with a note).
        date = created.date().isoformat()
    return Document(
        text="\n\n".join(blocks),
        media_type=DOCX,
        title=title,
        authors=authors,
        date=date,
        site_name=_docx_company(data),
        language=language,
    )


def _check_expansion(data: bytes, origin: str, limit: Limit) -> None:
    """Refuse a Word file whose parts together expand past the limit, before anything is decompressed.

    The sizes are the ones the archive declares; zipfile never decompresses a part past its declared size (it
    stops there, and the checksum then fails), so a part that lies about its size cannot expand further.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(entry.file_size for entry in archive.infolist())
    except Exception:  # a damaged archive: python-docx says what is wrong with it
        return
    if expanded > limit.expanded:
        raise limit.expands_too_far(origin, "its parts")


def _table_text(table: Any) -> str:
    """A table as text: cells joined by tabs, rows by line breaks; a merged cell counted once per row."""
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for cell in row.cells:
            # python-docx repeats a horizontally merged cell once per grid column it spans.
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        text = "\t".join(cell.text for cell in cells)
        if text.strip():
            rows.append(text)
    return "\n".join(rows)


def _docx_company(data: bytes) -> str | None:
    """The Company of docProps/app.xml (python-docx does not read the extended properties)."""
    from xml.etree import ElementTree

    with contextlib.suppress(Exception), zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("docProps/app.xml"))
        return _tidy(root.findtext(f"{_EXTENDED_PROPERTIES}Company"))
    return None


# --- Shared helpers ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence the extraction libraries' logging and warnings for the duration, then restore their levels."""
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _one_line(exc: BaseException) -> str:
    """An exception's message as one short printable line: its first line, trimmed, or its type's name."""
    lines = str(exc).strip().splitlines()
    line = lines[0].strip() if lines else ""
    line = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in line)
    if len(line) > 150:
        line = line[:147] + "..."
    return line or type(exc).__name__


def _clean(text: str) -> str:
    """Drop what a database cannot store: NUL characters and lone surrogates (from broken font encodings)."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text.replace("\x00", ""))


def _tidy(value: str | None) -> str | None:
    """A metadata value with its white space runs collapsed; None when nothing is left."""
    if not value:
        return None
    return " ".join(value.split()) or None


def _split_authors(value: str | None) -> tuple[str, ...]:
    """Bylines from one field, split on semicolons (commas are ambiguous: "Okoro, Dana"), "By" dropped."""
    names = (re.sub(r"^by\s+", "", part.strip(), flags=re.IGNORECASE) for part in (value or "").split(";"))
    return _unique(name for name in (_tidy(name) for name in names) if name)


def _bylines(value: str | None) -> tuple[str, ...]:
    """The authors of a file's metadata field, without the default names of authoring software."""
    return tuple(name for name in _split_authors(value) if name.casefold() not in _PLACEHOLDER_AUTHORS)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    """Names in order, without repeats that differ only in case."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def _first_date(candidates: Iterable[str | None]) -> str | None:
    """The first candidate that claimtrack.text.dates reads, as an ISO date when it starts with one."""
    from claimtrack.errors import DateError
    from claimtrack.text.dates import parse_date

    for candidate in candidates:
        if not candidate:
            continue
        candidate = candidate.strip()
        # "2020-01-12T09:30:00+00:00" -> "2020-01-12": the day as the publisher wrote it; parse_date would
        # drop the time with a note the researcher has no use for. "2020/01/12" (Highwire citation_date) too.
        iso = re.match(r"(\d{4})[-/](\d{2})(?:[-/](\d{2}))?(?![\d/])", candidate)
        if iso:
            candidate = "-".join(part for part in iso.groups() if part)
        try:
            parse_date(candidate)
        except DateError:
            continue
        return candidate
    return None


def _language(value: str | None) -> str | None:
    """A language tag as found ("en", "en-GB"; og:locale's "en_GB" as "en-GB"), or None if it is not one."""
    value = (value or "").strip().replace("_", "-")
    return value if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value) and len(value) <= 35 else None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
