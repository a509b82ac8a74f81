"""``claimtrack source``: the documents claims appear in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import output
from .options import Json, session

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
            help="A .txt or .md file with the document's text, or - for stdin. Optional.", metavar="[FILE|-]"
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
    from ..sources import add_document, add_source, read_file, source_record

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
    with session(ctx, write=True) as db:
        if file is None:
            source = add_source(db, **fields)
        else:
            data = typer.get_binary_stream("stdin").read() if file == "-" else read_file(file)
            source, warnings = add_document(db, data, "stdin" if file == "-" else Path(file).name, **fields)
            for warning in warnings:
                output.warn(warning)
        record = source_record(db, source)
    if as_json:
        output.emit_json(record)
    else:
        typer.echo(record["key"])
        size = f", {record['characters']:,} characters" if record["characters"] is not None else ""
        output.done(f"added source {record['key']!r}{size}")


LINKS = ("republishes", "cites", "derived-from", "translates")


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
    note: Annotated[str | None, typer.Option("--note", help="A note on the link.")] = None,
) -> None:
    """Record that one source depends on another: the links that expose circular reporting.

    Example: claimtrack source link wire-1 af-2020-01 --republishes
    """
    from ..errors import InvalidInput
    from ..sources import link_sources

    chosen = [
        name for name, flag in zip(LINKS, (republishes, cites, derived_from, translates), strict=True) if flag
    ]
    if len(chosen) != 1:
        raise InvalidInput("give exactly one of --republishes, --cites, --derived-from, --translates")
    with session(ctx, write=True) as db:
        made = link_sources(db, source, chosen[0], other, note)
        output.done(f"recorded: {made.source.key} {made.kind} {made.other.key}")


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
) -> None:
    """Export a source's original file (or its stored text) as a WARC record, for web-archiving tools.

    `claimtrack source add FILE.warc.gz` reads one back.

    Example: claimtrack source warc hw-2020-01-12 -o hw-2020-01-12.warc.gz
    """
    import io

    from ..sources import find_source
    from ..warc import write_warc

    with session(ctx) as db:
        buffer = io.BytesIO()
        write_warc(find_source(db, source), buffer)
    if out == "-":
        stream = typer.get_binary_stream("stdout")
        stream.write(buffer.getvalue())
        stream.flush()
    else:
        Path(out).write_bytes(buffer.getvalue())
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


def _render(record: dict[str, Any]) -> None:
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
        console.print(
            output.table(
                record["appearances"],
                [("claim", "claim"), ("stance", "stance"), ("passage", "passage"), ("locator", "where")],
                title="Claims in this source",
            )
        )
