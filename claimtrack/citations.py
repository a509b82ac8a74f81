"""Sources as citations: CSL-JSON (for Zotero, pandoc, citeproc) and BibTeX (for LaTeX).

:func:`cited_sources` reads what a citation needs from the ledger; :func:`csl_item` and :func:`render_bibtex`
turn that data into the two formats. Both say no more than the ledger knows:

* Dates keep the precision their EDTF has: "2020" is ``[[2020]]``, "2020-01" ``[[2020, 1]]``, a decade a
  range of years, a season CSL's ``season``; "circa" (``~``) becomes ``"circa": true``, and what CSL cannot
  say (an uncertain "?", a qualifier on one part, a range with a qualifier) also keeps the EDTF in ``raw``. A
  date CSL cannot hold at all (year unknown, an open range) is a ``literal`` in words, with ``raw``.
* Authors who are people are split into family and given name only when that is safe: "Given Family" of two
  capitalised Latin-script words, or an explicit "Family, Given". Anything else ("Ludwig van Beethoven",
  names in other scripts, organisations) is kept whole as a literal name, which every style prints as is.
  A two-word name written family-name first ("Mao Zedong") is split the wrong way round: write such a
  person as "Mao, Zedong" to be exact.

An organisation's unsigned document (a press release, a statement, a report) has the organisation as its
institutional author, kept whole. In BibTeX every unsigned entry gets its publisher as author (classic styles
require an author for an article, and Chicago leads an unsigned news story with the paper).

Source kinds map to CSL types and BibTeX entry types as follows (``genre``/``type`` says what CSL cannot):

============== ================================================= =============================
kind           CSL type                                          BibTeX
============== ================================================= =============================
article        article-newspaper; if the publisher is not a       @article, entrysubtype
               media outlet, webpage (document without a URL)     newspaper (@misc)
press-release  document, genre "Press release"                   @misc
statement      document, genre "Statement"                       @misc
transcript     broadcast (media publisher) or speech              @misc
report         report                                            @techreport
social-post    post                                              @misc
video          motion_picture, medium "Video"                    @misc
dataset        dataset                                           @misc
book           book                                              @book
interview      interview                                         @misc
other          document                                          @misc
============== ================================================= =============================

A BibTeX entry that lacks what its type requires in the standard styles (a book without a publisher, an article
without a date) is written as @misc, so that every entry formats. Dates: ``date`` in the part of EDTF that
biblatex and pandoc both read (a decade as "1980/1989", "~" for circa), ``year`` with ``month`` as a macro
(``month = jan``) for an exact date, or the date in words ("circa 1990") for the others.

Text in BibTeX comes from text.documents that may be hostile, so every value is made inert: the LaTeX special
characters are written as the commands that print them (``\\textbraceleft{}``, ``\\%``, ...), which also
keeps every brace balanced whatever the input, and URLs have the characters a URL may not hold
percent-encoded. Only http(s) URLs are written (:func:`claimtrack.text.links.web_url`). A source key that is not a
safe BibTeX key gets a deterministic ASCII key, and the original is kept in the ``claimtrack-key`` field.
claimtrack writes the file itself: no BibTeX library is needed to write it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .errors import DateError
from .models import Entity, Source, SourceAuthor, SourceFile
from .records import CitedSource, Party
from .text.links import web_url

__all__ = [
    "bibtex",
    "bibtex_key",
    "cited_sources",
    "csl_date",
    "csl_item",
    "csl_items",
    "csl_name",
    "csl_schema",
    "latex_escape",
    "render_bibtex",
]

_DOCUMENT = "document"
# kind -> (CSL type, CSL genre); article and transcript depend on the publisher (see _csl_type).
_CSL_TYPES: dict[str, tuple[str, str | None]] = {
    vocab.SourceKind.article: ("article-newspaper", None),
    vocab.SourceKind.press_release: (_DOCUMENT, "Press release"),
    vocab.SourceKind.statement: (_DOCUMENT, "Statement"),
    vocab.SourceKind.transcript: ("broadcast", "Transcript"),
    vocab.SourceKind.report: ("report", None),
    vocab.SourceKind.social_post: ("post", None),
    vocab.SourceKind.video: ("motion_picture", None),
    vocab.SourceKind.dataset: ("dataset", None),
    vocab.SourceKind.book: ("book", None),
    vocab.SourceKind.interview: ("interview", None),
    vocab.SourceKind.other: (_DOCUMENT, None),
}
# CSL types whose publisher is also where the item appears (the newspaper, the site, the platform).
_CONTAINED = frozenset({"article-newspaper", "webpage", "post"})
# CSL type -> BibTeX entry type and the field that names the publisher; everything else is @misc.
_BIBTEX_TYPES = {
    "article-newspaper": ("article", "journal"),
    "report": ("techreport", "institution"),
    "book": ("book", "publisher"),
}
_MISC = ("misc", "howpublished")
# What BibTeX's standard styles (and pybtex's) require of each type claimtrack writes, besides @misc.
_REQUIRED = {
    "article": frozenset({"author", "title", "journal", "year"}),
    "techreport": frozenset({"author", "title", "institution", "year"}),
    "book": frozenset({"author", "title", "publisher", "year"}),
}

# Words BibTeX (and readers) take as name particles or joiners: a name holding one is not split.
_PARTICLES = frozenset(
    {"and", "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le"}
)

# What the ledger's dates can hold (EDTF); anything else is not written raw into BibTeX.
_EDTF_CHARACTERS = re.compile(r"[0-9X?~%./-]+")
_QUALIFIERS = "?~%"

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    # Not special, but printed as other glyphs in LaTeX's default (OT1) font encoding.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_BIBTEX_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]*")


# ---------------------------------------------------------------------------------------------------------
# Reading the ledger
# ---------------------------------------------------------------------------------------------------------


def cited_sources(session: Session, source_keys: Sequence[str] | None = None) -> list[CitedSource]:
    """What a citation needs of each source: all sources (oldest publication first), or those named.

    Each is a plain dict: ``key``, ``title``, ``kind``, ``publisher`` and ``authors`` (``{"name", "kind"}``),
    ``published`` and ``accessed`` (EDTF), ``url`` and ``language``. Where the source record has no URL or
    accessed date, those of its stored original file (where and when it was retrieved) are used.
    Unknown keys raise :class:`~claimtrack.errors.NotFound` with the closest keys.
    """
    from .sources import find_source

    query = select(Source).options(
        selectinload(Source.publisher),
        selectinload(Source.author_links).selectinload(SourceAuthor.entity),
    )
    if source_keys:
        # The order the researcher named them in, each once.
        ids = list(dict.fromkeys(find_source(session, key).id for key in source_keys))
        by_id = {source.id: source for source in session.scalars(query.where(Source.id.in_(ids)))}
        sources = [by_id[source_id] for source_id in ids]
    else:
        ids = None
        sources = list(
            session.scalars(
                query.order_by(Source.published_earliest.is_(None), Source.published_earliest, Source.key)
            )
        )
    # Only where and when the file was retrieved: loading the files themselves would read every document.
    files_query = select(SourceFile.source_id, SourceFile.url, SourceFile.retrieved_at)
    if ids is not None:
        files_query = files_query.where(SourceFile.source_id.in_(ids))
    files = {row.source_id: row for row in session.execute(files_query)}
    records: list[CitedSource] = []
    for source in sources:
        file = files.get(source.id)
        retrieved: dt.datetime | None = file.retrieved_at if file is not None else None
        records.append(
            {
                "key": source.key,
                "title": source.title,
                "kind": source.kind,
                "publisher": _party(source.publisher) if source.publisher is not None else None,
                "authors": [_party(author) for author in source.authors],
                "published": source.published_edtf,
                "accessed": source.accessed_edtf or (retrieved.date().isoformat() if retrieved else None),
                "url": source.url or (file.url if file is not None else None),
                "language": source.language,
            }
        )
    return records


def _party(entity: Entity) -> Party:
    return {"name": entity.name, "kind": entity.kind}


# ---------------------------------------------------------------------------------------------------------
# CSL-JSON
# ---------------------------------------------------------------------------------------------------------


def csl_schema() -> dict[str, Any]:
    """The CSL-JSON schema shipped with claimtrack (``claimtrack/schemas/csl-data.json``, JSON Schema draft-07).

    Written from the CSL 1.0.2 specification; ``claimtrack/schemas/README.md`` says how.
    """
    from importlib import resources

    text = (resources.files("claimtrack") / "schemas" / "csl-data.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def csl_items(session: Session, source_keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The sources (all, or those named) as CSL-JSON items, ready for ``json.dumps``."""
    return [csl_item(source) for source in cited_sources(session, source_keys)]


def csl_item(source: CitedSource) -> dict[str, Any]:
    """One source of :func:`cited_sources` as a CSL-JSON item; its ``id`` is the source key."""
    csl_type, genre = _csl_type(source)
    item: dict[str, Any] = {"id": source["key"], "type": csl_type, "citation-key": bibtex_key(source["key"])}
    if source["title"]:
        item["title"] = source["title"]
    publisher = source["publisher"]
    if source["authors"]:
        item["author"] = [csl_name(author["name"], author["kind"]) for author in source["authors"]]
    elif publisher is not None and publisher["kind"] != vocab.EntityKind.media:
        # An organisation's unsigned document is its own: the organisation is its (institutional) author.
        # A news outlet's unsigned article is not: styles then lead with its title, as APA and Chicago do.
        item["author"] = [{"literal": publisher["name"]}]
    if publisher is not None:
        item["publisher"] = publisher["name"]
        if csl_type in _CONTAINED:
            item["container-title"] = publisher["name"]
    if genre:
        item["genre"] = genre
    if source["kind"] == vocab.SourceKind.video:
        item["medium"] = "Video"
    if source["published"]:
        item["issued"] = csl_date(source["published"])
    url = web_url(source["url"])
    if url:
        item["URL"] = url
    if source["accessed"]:
        item["accessed"] = csl_date(source["accessed"])
    if source["language"]:
        item["language"] = source["language"]
    return item


def _csl_type(source: CitedSource) -> tuple[str, str | None]:
    kind = source["kind"]
    csl_type, genre = _CSL_TYPES.get(kind, (_DOCUMENT, None))
    publisher_kind = source["publisher"]["kind"] if source["publisher"] is not None else None
    if kind == vocab.SourceKind.article and publisher_kind not in (None, vocab.EntityKind.media):
        # An organisation's article on its own site is a web page, not a newspaper's article.
        csl_type = "webpage" if source["url"] else _DOCUMENT
    if kind == vocab.SourceKind.transcript and publisher_kind != vocab.EntityKind.media:
        csl_type = "speech"  # a transcript of what was said, published by the speaker's side or a third
    return csl_type, genre


def _is_name_word(word: str) -> bool:
    """A capitalised word of Latin letters, perhaps hyphenated or with an apostrophe ("Anne-Marie", "O'Neill",
    "Łukasz"): safe to take as a family or given name. Particles ("van", "de") are not."""
    pieces = re.split(r"['’-]", word)
    return (
        word[:1].isupper()
        and word.lower() not in _PARTICLES
        and all(
            piece and all(ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ") for ch in piece)
            for piece in pieces
        )
    )


def _split_person(name: str) -> tuple[str, str] | None:
    """(family, given) when the name can be split without guessing, else None."""
    if name.count(",") == 1:
        family, given = (" ".join(part.split()) for part in name.split(","))
        words = [*family.split(), *given.split()]
        if family and given and all(_is_name_word(word) for word in words):
            return family, given
        return None
    words = name.split()
    if len(words) == 2 and all(_is_name_word(word) for word in words):
        return words[1], words[0]
    return None


def csl_name(name: str, kind: str) -> dict[str, str]:
    """A CSL name: ``family``/``given`` for a person whose name splits safely, else ``{"literal": name}``."""
    if kind == vocab.EntityKind.person:
        split = _split_person(name)
        if split is not None:
            return {"family": split[0], "given": split[1]}
    return {"literal": name}


def _side_parts(side: str, *, upper: bool) -> list[int] | None:
    """One end of a date as CSL date-parts at the precision it has (the later bound for the upper end)."""
    from .text.dates import from_edtf

    parsed = from_edtf(side)
    precision = parsed.precision
    # A season's earliest day is in its own year even when it runs into the next (winter).
    day = parsed.latest if upper and precision != "season" else parsed.earliest
    if day is None:
        return None
    if precision == "day":
        return [day.year, day.month, day.day]
    if precision == "month":
        return [day.year, day.month]
    if precision in ("year", "decade", "century", "season"):
        return [day.year]
    return None


def _has_partial_qualifier(edtf: str) -> bool:
    """A qualifier on one part of a date ("2004-06~-11"), which CSL's date-parts cannot say."""
    return any(q in side.rstrip(_QUALIFIERS) for side in edtf.split("/") for q in _QUALIFIERS)


def csl_date(edtf: str) -> dict[str, Any]:
    """A CSL date variable for an EDTF date, at the precision the EDTF has.

    "2020" -> ``{"date-parts": [[2020]]}``, "2020-01" -> ``[[2020, 1]]``, "198X" -> ``[[1980], [1989]]``,
    "2017-12/2018-01" -> ``[[2017, 12], [2018, 1]]``, "2001-21" -> ``[[2001]]`` with ``season`` 1,
    "1990~" -> ``"circa": true``. What CSL cannot say keeps the EDTF in ``raw`` ("2020?"); a date it cannot
    hold at all ("XXXX-01-08", "2020/..") is a ``literal`` in words, with ``raw``.
    """
    from .text.dates import from_edtf

    try:
        parsed = from_edtf(edtf)
    except DateError:  # not written by this version's date parser: pass it on as it is
        return {"raw": edtf}
    precision = parsed.precision
    parts: list[list[int]] | None = None
    season: int | None = None
    if precision in ("day", "month", "year"):
        side = _side_parts(edtf, upper=False)
        parts = [side] if side is not None else None
    elif precision in ("decade", "century") and parsed.earliest and parsed.latest:
        parts = [[parsed.earliest.year], [parsed.latest.year]]
    elif precision == "season" and parsed.earliest and parsed.latest:
        code = int(re.sub(r"[?~%]", "", edtf)[5:7])
        if code <= 32:  # spring, summer, autumn, winter (21-24; 25-32 name the hemisphere)
            parts, season = [[parsed.earliest.year]], (code - 21) % 4 + 1
        else:  # quarters, quadrimesters, semesters: their months say exactly what they are
            parts = [
                [parsed.earliest.year, parsed.earliest.month],
                [parsed.latest.year, parsed.latest.month],
            ]
    elif precision == "range":
        lower, _, upper = edtf.partition("/")
        if lower not in ("", "..") and upper not in ("", ".."):
            start, end = _side_parts(lower, upper=False), _side_parts(upper, upper=True)
            if start is not None and end is not None:
                parts = [start, end]
    if parts is None:
        return {"literal": parsed.display(), "raw": edtf}
    date: dict[str, Any] = {"date-parts": parts}
    if season is not None:
        date["season"] = season
    if parsed.approximate:
        date["circa"] = True
    if parsed.uncertain or _has_partial_qualifier(edtf) or (precision == "range" and parsed.approximate):
        date["raw"] = edtf
    return date


# ---------------------------------------------------------------------------------------------------------
# BibTeX
# ---------------------------------------------------------------------------------------------------------


def latex_escape(text: str) -> str:
    """Text as an inert BibTeX/LaTeX value: specials as the commands that print them, whitespace as spaces.

    Braces become ``\\textbraceleft{}``/``\\textbraceright{}`` rather than ``\\{``/``\\}``, because BibTeX
    counts braces without regard to backslashes: an escaped but unbalanced brace would still end the field.
    Control characters are dropped; every run of whitespace (newlines too) becomes one space.
    """
    printable = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch.isspace())
    return "".join(_LATEX.get(ch, ch) for ch in " ".join(printable.split()))


def bibtex_key(key: str) -> str:
    """The source key as a BibTeX key: unchanged when it is one (ASCII letters, digits, ``_:.-``).

    Otherwise a deterministic ASCII form (accents dropped, other characters as "-") followed by the first 8
    hex digits of the key's SHA-256, so that two keys never meet in one: "ağ-2020" -> "ag-2020-" + 8 digits.
    """
    if _BIBTEX_KEY.fullmatch(key):
        return key
    decomposed = unicodedata.normalize("NFKD", key)
    ascii_only = "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))
    base = re.sub(r"[^A-Za-z0-9_:.-]+", "-", ascii_only).strip("-_:.")[:60] or "source"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{base}-{digest}"


def _bibtex_name(name: str, kind: str) -> str:
    if kind == vocab.EntityKind.person:
        split = _split_person(name)
        if split is not None:
            return f"{latex_escape(split[0])}, {latex_escape(split[1])}"
    # Braced, so that BibTeX neither splits it on "and" nor takes its last word for a family name.
    return "{" + latex_escape(name) + "}"


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _biblatex_date(edtf: str) -> str | None:
    """The date as biblatex's ``date`` field, in the part of EDTF that biblatex and pandoc both read: the
    precision CSL can hold (a decade as its range of years, "1980/1989"), a season as 21-24, and the qualifier
    ("~" circa, "?" uncertain, "%" both) on each end."""
    date = csl_date(edtf)
    parts = date.get("date-parts")
    if not parts:
        return None
    season = date.get("season")
    sides = []
    for side in parts:
        if season is not None and len(side) == 1:
            sides.append(f"{side[0]:04d}-{20 + season}")
        else:
            sides.append("-".join(f"{number:04d}" if index == 0 else f"{number:02d}" for index, number in
                                  enumerate(side)))  # fmt: skip
    approximate, uncertain = bool(date.get("circa")), "?" in edtf or "%" in edtf
    qualifier = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    return "/".join(side + qualifier for side in sides)


def _bibtex_dates(edtf: str) -> dict[str, str]:
    """``date`` (for biblatex and pandoc), ``year`` and ``month`` (a month macro, for classic BibTeX styles).

    A date that is not exact (circa, a decade, a range) has its words in ``year`` ("circa 1990"), which classic
    styles print as they are; its ``date`` keeps the qualifier for the readers that understand one.
    """
    from .text.dates import from_edtf

    try:
        parsed = from_edtf(edtf)
    except DateError:
        return {}
    precision = parsed.precision
    if precision == "year-unknown" or not _EDTF_CHARACTERS.fullmatch(edtf):
        return {}
    fields: dict[str, str] = {}
    date = _biblatex_date(edtf)
    if date:
        fields["date"] = date
    qualified = any(q in edtf for q in _QUALIFIERS)
    exact = precision in ("day", "month", "year", "season") and not qualified and "X" not in edtf
    if exact and parsed.earliest is not None:
        fields["year"] = str(parsed.earliest.year)
        if precision in ("day", "month"):
            fields["month"] = _MONTHS[parsed.earliest.month - 1]
    else:
        # "circa 1990", "the 1980s", "December 2017 to January 2018": what classic styles can print.
        fields["year"] = latex_escape(parsed.display())
    return fields


def _bibtex_entry(source: CitedSource) -> dict[str, str]:
    csl_type, genre = _csl_type(source)
    entry_type, publisher_field = _BIBTEX_TYPES.get(csl_type, _MISC)
    key = bibtex_key(source["key"])
    entry: dict[str, str] = {"ENTRYTYPE": entry_type, "ID": key}
    publisher = source["publisher"]
    if source["authors"]:
        entry["author"] = " and ".join(_bibtex_name(a["name"], a["kind"]) for a in source["authors"])
    elif publisher is not None:
        # An unsigned document is the publisher's: its institutional author (classic styles require an author
        # for an article, and print the institution first, as Chicago does for unsigned news).
        entry["author"] = _bibtex_name(publisher["name"], publisher["kind"])
    if source["title"]:
        # Braced again so that styles keep its capitals ("Port Selden") instead of lower-casing them.
        entry["title"] = "{" + latex_escape(source["title"]) + "}"
    if publisher is not None:
        entry[publisher_field] = latex_escape(publisher["name"])
    if csl_type == "article-newspaper":
        entry["entrysubtype"] = "newspaper"  # biblatex and pandoc: a newspaper's article, not a journal's
    if entry_type == "techreport":
        entry["type"] = genre or "Report"  # else styles print "Technical Report"
    elif genre:
        entry["type"] = genre
    if source["published"]:
        entry.update(_bibtex_dates(source["published"]))
    url = web_url(source["url"])
    if url:
        entry["url"] = url
    if source["accessed"] and _EDTF_CHARACTERS.fullmatch(source["accessed"]):
        entry["urldate"] = source["accessed"]
    if key != source["key"]:
        entry["claimtrack-key"] = latex_escape(source["key"])
    if entry_type in _REQUIRED and not _REQUIRED[entry_type] <= entry.keys():
        # A classic style refuses an entry without its required fields ("missing publisher"): what the ledger
        # cannot fill is written as @misc, which requires nothing.
        entry["ENTRYTYPE"] = "misc"
        if publisher is not None:
            del entry[publisher_field]
            entry["howpublished"] = latex_escape(publisher["name"])
        entry.pop("entrysubtype", None)
    return entry


_FIELD_ORDER = [
    "author", "title", "journal", "entrysubtype", "institution", "publisher", "howpublished", "type",
    "date", "year", "month", "url", "urldate", "claimtrack-key",
]  # fmt: skip
# Written bare, not braced: BibTeX's month macros ("jan"), which styles print in their own language.
_MACROS = frozenset({"month"})


def render_bibtex(sources: Sequence[CitedSource]) -> str:
    """The sources of :func:`cited_sources` as a BibTeX file, in their order.

    Every value is already inert (:func:`latex_escape`, percent-encoded URLs, braces balanced), so each is
    written between braces as it is; month macros are written bare.
    """
    blocks = []
    for source in sources:
        entry = _bibtex_entry(source)
        lines = [f"@{entry['ENTRYTYPE']}{{{entry['ID']},"]
        for field in _FIELD_ORDER:
            if field in entry:
                value = entry[field] if field in _MACROS else "{" + entry[field] + "}"
                lines.append(f"  {field} = {value},")
        lines.append("}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def bibtex(session: Session, source_keys: Sequence[str] | None = None) -> str:
    """The sources (all, or those named) as a BibTeX file."""
    return render_bibtex(cited_sources(session, source_keys))
