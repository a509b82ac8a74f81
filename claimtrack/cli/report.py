"""``claimtrack report``: a sourcing report to hand to an editor (Markdown, HTML, JSON, CSV)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from . import output
from .options import Force, claim_filters, database_file, session

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..filters import ClaimFilter
    from ..records import ReportData


@claim_filters
def report(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="md (Markdown), html (one self-contained page with a drawing of each claim's origins), json, "
            "or csv (one row per claim and appearance).",
        ),
    ] = "md",
    out: Annotated[
        str, typer.Option("--output", "-o", help="The file to write, or - for stdout.", metavar="FILE")
    ] = "-",
    claim: Annotated[
        list[str] | None, typer.Option("--claim", help="Only this claim (repeatable).", metavar="CLAIM")
    ] = None,
    lacking: Annotated[
        bool, typer.Option("--lacking", help="Only the claims that lack independent sources.")
    ] = False,
    drawings: Annotated[
        str,
        typer.Option(
            "--drawings",
            help="HTML: who draws the origins: auto (Graphviz when installed, for up to 500 claims), graphviz, "
            "or own.",
        ),
    ] = "auto",
    no_bom: Annotated[
        bool,
        typer.Option(
            "--no-bom",
            help="CSV: no byte-order mark (it tells Excel the file is UTF-8; some programs want none).",
        ),
    ] = False,
    *,
    filters: ClaimFilter,
    force: Force = False,
) -> None:
    """A sourcing report to hand to an editor: a summary, then each claim with its words, dates, status,
    credibility, appearances, origins and reasons, relations, and the other figures for its measure.

    HTML uses Graphviz's dot for the drawings when it is installed (up to 500 claims; --drawings
    graphviz for more), and draws them itself otherwise.

    Example: claimtrack report --lacking --by "Amber Front" -o amber-front.md
    """
    import json

    from ..claims import find_claim
    from ..errors import InvalidInput
    from ..filters import ClaimFilter
    from ..output_files import check_output, output_file
    from ..report import build, csv_text, html, markdown

    if fmt not in ("md", "html", "json", "csv"):
        raise InvalidInput(f"unknown report format {fmt!r}; use md, html, json or csv")
    if drawings not in ("auto", "graphviz", "own"):
        raise InvalidInput(f"unknown --drawings {drawings!r}; use auto, graphviz or own")
    check_output(out, force=force, database=database_file(ctx))  # before the work of building the report
    with session(ctx) as db, output.progress_bar() as progress:
        ids = [find_claim(db, ref).id for ref in claim] if claim else None
        data = build(
            db,
            filters if filters != ClaimFilter() else None,
            claim_ids=ids,
            lacking_only=lacking,
            progress=progress,
        )
    renderers: dict[str, Callable[[ReportData], str]] = {
        "md": markdown,
        "html": lambda d: html(d, use_graphviz={"auto": None, "graphviz": True, "own": False}[drawings]),
        "csv": lambda d: csv_text(d, bom=not no_bom),
        "json": lambda d: json.dumps(d, ensure_ascii=False, indent=2) + "\n",
    }
    rendered = renderers[fmt](data)
    # Not typer.echo for stdout: piped, it strips what look like terminal colour codes, and the CSV and JSON
    # reports must carry the ledger's text exactly (the Markdown and HTML reports show control characters
    # visibly).
    with output_file(out, force=force, database=database_file(ctx)) as stream:
        stream.write(rendered)
    if out != "-":
        output.done(f"wrote {out} ({len(data['claims'])} claims)")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
