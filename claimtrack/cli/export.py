"""``claimtrack export``: the whole ledger as JSON lines, the verdicts as ClaimReview, the sources as citations."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output
from .options import Force, database_file, session


def export(
    ctx: typer.Context,
    out: Annotated[
        str, typer.Option("--output", "-o", help="The file to write, or - for stdout.", metavar="FILE")
    ] = "-",
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (every table, lossless), claimreview (schema.org JSON-LD of the claims with a verdict), "
            "csl-json or bibtex (the sources as citations).",
        ),
    ] = "jsonl",
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="csl-json and bibtex: only this source (repeat for more); all sources without it.",
            metavar="SOURCE",
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Export the whole ledger, every table and the history, as JSON lines (lossless; `import` reads it back),
    the claims that carry a verdict as schema.org ClaimReview, or the sources as citations: CSL-JSON (Zotero,
    pandoc, citeproc) or BibTeX.

    Example: claimtrack export -o investigation.jsonl
    """
    import json

    from ..errors import InvalidInput
    from ..exchange import export as write_export
    from ..output_files import check_output, output_file

    formats = ("jsonl", "claimreview", "csl-json", "bibtex")
    if fmt not in formats:
        raise InvalidInput(f"unknown export format {fmt!r}; use {', '.join(formats[:-1])} or {formats[-1]}")
    if sources and fmt not in ("csl-json", "bibtex"):
        raise InvalidInput("--source selects the sources of a csl-json or bibtex export only")
    database = database_file(ctx)
    check_output(out, force=force, database=database)
    if fmt != "jsonl":
        with session(ctx) as db:
            if fmt == "claimreview":
                from ..claimreview import claim_reviews

                text = json.dumps(claim_reviews(db), ensure_ascii=False, indent=2) + "\n"
            elif fmt == "csl-json":
                from ..citations import csl_items

                text = json.dumps(csl_items(db, sources), ensure_ascii=False, indent=2) + "\n"
            else:
                from ..citations import bibtex

                text = bibtex(db, sources)
        with output_file(out, force=force, database=database) as stream:
            stream.write(text)
        return
    with session(ctx) as db, output_file(out, force=force, database=database) as stream:
        count = write_export(db, stream)
    output.note(f"exported {count:,} rows" + ("" if out == "-" else f" to {out}"))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
