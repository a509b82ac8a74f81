"""``claimtrack source``: the documents claims appear in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import output
from .options import Force, Json, database_file, session

if TYPE_CHECKING:
    from ..records import SourceRecord

app = typer.Typer(
    help="Documents claims appear in: their text, metadata, and links between them.\n\n"
    "Example: claimtrack source add statement.txt --key af-2020-01 --publisher AF --published 2020-01-10",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Argument(
            help="The document: a text, Markdown, HTML, PDF, Word (.docx) or WARC file, or - for stdin. "
            "Optional. Up to 20 MiB (see `claimtrack config set max-input-mib`).",
            metavar="[FILE|-]",
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", help="A short key to name the source by (default: from publisher and year)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The document's title.")] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="article, press-release, statement, transcript, report, social-post, video, dataset, book, interview or other.",
        ),
    ] = "article",
    url: Annotated[str | None, typer.Option("--url", help="Where the document was found.")] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="The entity that published it.", metavar="ENTITY")
    ] = None,
    author: Annotated[
        list[str] | None,
        typer.Option("--author", help="An entity that wrote it. Repeatable.", metavar="ENTITY"),
    ] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="When it was published (any date).", metavar="DATE")
    ] = None,
    accessed: Annotated[
        str | None, typer.Option("--accessed", help="When you retrieved it.", metavar="DATE")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Its language (e.g. en, fa, fr).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Notes on the document.")] = None,
    as_json: Json = False,
) -> None:
    """Record a source document: its text and metadata are read from the file (flags override them), and
    the original bytes are kept with their SHA-256.

    Prints the source's key on stdout.

    Example: claimtrack source add statement.txt --key af-2020-01 --title "Statement on the detentions" --kind statement --publisher "Amber Front" --published "January 10, 2020"
    """
    from ..copies import pairs_of, warning
    from ..input_files import read_input
    from ..settings import input_limit
    from ..sources import add_document, add_source, source_record

    fields: dict[str, Any] = {
        "key": key,
        "kind": kind,
        "notes": notes,
        "title": title,
        "url": url,
        "publisher": publisher,
        "authors": author or (),
        "published": published,
        "accessed": accessed,
        "language": language,
    }
    if file is not None:
        # Read before the write transaction: a slow pipe must not hold other writers up.
        with session(ctx) as db:
            limit = input_limit(db)
        data = read_input(file, limit)
    with session(ctx, write=True) as db:
        if file is None:
            source = add_source(db, **fields)
        else:
            name = "stdin" if file == "-" else Path(file).name
            with output.progress_bar() as progress:
                source, warnings = add_document(db, data, name, limit=limit, progress=progress, **fields)
            for message in warnings:
                output.warn(message)
        # Earlier sources whose text this one repeats: the check counts them as one origin.
        for pair in pairs_of(db, source):
            output.warn(warning(pair, source.key))
        record = source_record(db, source)
    if as_json:
        output.emit_json(record)
    else:
        typer.echo(record["key"])
        size = f", {record['characters']:,} characters" if record["characters"] is not None else ""
        output.done(f"added source {record['key']!r}{size}")


LINKS = ("republishes", "cites", "derived-from", "translates", "distinct")


@app.command("link")
def link(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source that depends on the other.", metavar="SOURCE")],
    other: Annotated[str, typer.Argument(help="The source it depends on.", metavar="OTHER")],
    republishes: Annotated[bool, typer.Option("--republishes", help="SOURCE republishes OTHER.")] = False,
    cites: Annotated[bool, typer.Option("--cites", help="SOURCE cites OTHER.")] = False,
    derived_from: Annotated[
        bool, typer.Option("--derived-from", help="SOURCE is derived from OTHER.")
    ] = False,
    translates: Annotated[bool, typer.Option("--translates", help="SOURCE translates OTHER.")] = False,
    distinct: Annotated[
        bool,
        typer.Option(
            "--distinct",
            help="SOURCE and OTHER are independent reports although their texts overlap (overrules a copy "
            "claimtrack found).",
        ),
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="A note on the link.")] = None,
) -> None:
    """Record how one source depends on another. --republishes and --translates make SOURCE a copy of OTHER
    (one origin for every claim); --cites and --derived-from are notes about the documents and decide nothing
    on their own (say where one claim came from with `claim cite ... --via OTHER`); --distinct overrules a copy
    claimtrack found.

    Example: claimtrack source link daily-2 --distinct wire-1
    """
    from ..errors import InvalidInput
    from ..sources import link_sources

    chosen = [
        name
        for name, flag in zip(LINKS, (republishes, cites, derived_from, translates, distinct), strict=True)
        if flag
    ]
    if len(chosen) != 1:
        raise InvalidInput(
            "give exactly one of --republishes, --cites, --derived-from, --translates, --distinct"
        )
    with session(ctx, write=True) as db:
        made = link_sources(db, source, chosen[0], other, note)
        output.done(f"recorded: {made.source.key} {made.kind} {made.other.key}")


@app.command("similar")
def similar(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Argument(help="Only this source's pairs.", metavar="[SOURCE]")
    ] = None,
    as_json: Json = False,
) -> None:
    """List the sources whose texts repeat one another: each pair with the share of the shorter text the other
    holds, and its shared runs of 40+ identical words. Without SOURCE, first looks for pairs among every stored
    text (sources stored before this version of claimtrack included).

    A pair at 34% or more counts as one origin in the check, and so does a passage inside a shared run, unless
    marked with `claimtrack source link A --distinct B`.

    Example: claimtrack source similar daily-2 --json
    """
    from ..copies import similar as similar_pairs
    from ..copies import sweep
    from ..sources import find_source

    with session(ctx, write=source is None) as db:
        if source is None:
            sweep(db)
        rows = similar_pairs(db, find_source(db, source) if source is not None else None)
    output.emit_rows(
        rows,
        [
            ("source", "source"),
            ("repeats", "repeats"),
            ("percent", "overlap %"),
            ("copy", "whole copy"),
            ("runs", "shared runs"),
            ("distinct", "marked distinct"),
        ],
        as_json=as_json,
        empty="no sources repeat one another",
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source's key.", metavar="SOURCE")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the change in the history).")],
    title: Annotated[str | None, typer.Option("--title", help="The document's title.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="The kind of document (as in `source add`).")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the document was found.")] = None,
    publisher: Annotated[
        str | None,
        typer.Option(
            "--publisher", help='The entity that published it ("" for none known).', metavar="ENTITY"
        ),
    ] = None,
    author: Annotated[
        list[str] | None,
        typer.Option("--author", help="An entity that wrote it, added. Repeatable.", metavar="ENTITY"),
    ] = None,
    no_author: Annotated[
        list[str] | None,
        typer.Option(
            "--no-author", help="An entity that did not write it after all. Repeatable.", metavar="ENTITY"
        ),
    ] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="When it was published.", metavar="DATE")
    ] = None,
    accessed: Annotated[
        str | None, typer.Option("--accessed", help="When you retrieved it.", metavar="DATE")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="Its language.")] = None,
) -> None:
    """Correct a source's description, with a reason: the history keeps each field's before and after with
    it. An empty value clears an optional field. A new publisher or author changes the verdicts of the claims
    it carries, at once.

    Example: claimtrack source edit wire-1 --publisher "Harbor Wire" --published 2020-01-11 --reason "the byline names the agency"
    """
    from ..corrections import edit_source

    with session(ctx, write=True) as db:
        corrected = edit_source(
            db,
            source,
            reason=reason,
            title=title,
            kind=kind,
            url=url,
            publisher=publisher,
            authors=author or (),
            no_authors=no_author or (),
            published=published,
            accessed=accessed,
            language=language,
        )
    for line in corrected.lines():
        output.note(line)
    output.done(f"corrected {corrected.record}")


@app.command("list")
def list_(ctx: typer.Context, as_json: Json = False) -> None:
    """List sources with their publisher, date and number of claims.

    Example: claimtrack source list --json
    """
    from ..sources import list_sources

    with session(ctx) as db:
        rows = list_sources(db)
    output.emit_rows(
        rows,
        [
            ("key", "key"),
            ("kind", "kind"),
            ("title", "title"),
            ("publisher", "publisher"),
            ("published", "published"),
            ("claims", "claims"),
        ],
        as_json=as_json,
        empty="no sources yet: add one with `claimtrack source add FILE`",
    )


@app.command("show")
def show(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source's key.", metavar="SOURCE")],
    as_json: Json = False,
) -> None:
    """Show one source: metadata, hash, links both ways, and the claims that appear in it.

    Example: claimtrack source show af-2020-01
    """
    from ..sources import find_source, source_record

    with session(ctx) as db:
        record = source_record(db, find_source(db, source))
    output.emit_record(record, _render, as_json=as_json)


@app.command("text")
def text(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source's key.", metavar="SOURCE")],
) -> None:
    """Print a source's stored text: exactly as stored when piped; control characters made visible on a terminal.

    Example: claimtrack source text af-2020-01 > statement.txt
    """
    from ..errors import InvalidInput
    from ..sources import find_source

    with session(ctx) as db:
        found = find_source(db, source)
        if found.text is None:
            raise InvalidInput(f"source {found.key!r} has no stored text")
        stored = found.text
    if sys.stdout.isatty():
        sys.stdout.write(output.inert(stored))
    else:
        # Bytes, so that no layer translates line endings: the text comes out as it went in.
        stream = typer.get_binary_stream("stdout")
        stream.write(stored.encode("utf-8"))
        stream.flush()


@app.command("warc")
def warc(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source's key.", metavar="SOURCE")],
    out: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="The WARC file to write (.warc.gz), or - for stdout.", metavar="FILE"
        ),
    ] = "-",
    force: Force = False,
) -> None:
    """Export a source as a WARC file for web-archiving tools: its original file as a resource record and the
    extracted text as a conversion record (or its stored text alone as a resource); never as a web capture.

    `claimtrack source add FILE.warc.gz` reads one back.

    Example: claimtrack source warc hw-2020-01-12 -o hw-2020-01-12.warc.gz
    """
    from ..output_files import check_output, output_file
    from ..sources import find_source
    from ..warc import write_warc

    database = database_file(ctx)
    check_output(out, force=force, database=database)
    with session(ctx) as db, output_file(out, force=force, database=database, binary=True) as stream:
        write_warc(find_source(db, source), stream)
    if out != "-":
        output.done(f"wrote {out}")


@app.command("verify")
def verify(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Argument(help="Only this source.", metavar="[SOURCE]")] = None,
    fail: Annotated[
        bool,
        typer.Option(
            "--fail", help="Exit with code 3 when any text or file changed, or a text differs from its file."
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Re-hash each source's stored text and original file and report any change since they were stored; read
    each original file again and report a stored text that differs from it (a text replaced, or a file swapped,
    with its hash recomputed to match). `claimtrack log verify` also checks the hashes against the history.

    Example: claimtrack source verify --fail
    """
    from ..verification import verify_sources

    with session(ctx) as db:
        results = [result.record() for result in verify_sources(db, source)]
    output.emit_rows(
        results,
        [
            ("source", "source"),
            ("text", "text"),
            ("file", "original file"),
            ("extracted", "text read again"),
            ("detail", "detail"),
        ],
        as_json=as_json,
        empty="no sources to verify",
    )
    changed = [r for r in results if "changed" in (r["text"], r["file"]) or r["extracted"] == "differs"]
    output.note(f"{len(results)} source{'s' if len(results) != 1 else ''} verified, {len(changed)} changed")
    if fail and changed:
        raise typer.Exit(3)


def _render(record: SourceRecord) -> None:
    console = output.stdout()
    console.print(
        output.fields(
            [
                ("key", record["key"]),
                ("title", record["title"]),
                ("kind", record["kind"]),
                ("publisher", record["publisher"]),
                ("authors", record["authors"]),
                ("published", record["published"]),
                ("accessed", record["accessed"]),
                ("language", record["language"]),
                ("url", record["url"]),
                (
                    "text",
                    f"{record['characters']:,} characters"
                    if record["characters"] is not None
                    else "none stored",
                ),
                ("sha256", record["sha256"]),
                ("notes", record["notes"]),
            ]
        )
    )
    if record["links"]:
        console.print(
            output.table(
                record["links"],
                [("source", "source"), ("kind", "link"), ("other", "other"), ("note", "note")],
                title="Links",
            )
        )
    if record["appearances"]:
        columns = [("claim", "claim"), ("stance", "stance"), ("passage", "passage"), ("locator", "where")]
        if any(appearance["withdrawn"] for appearance in record["appearances"]):
            columns.append(("withdrawn", "withdrawn (counts in no verdict)"))
        console.print(output.table(record["appearances"], columns, title="Claims in this source"))
