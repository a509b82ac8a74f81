"""``claimtrack figures``, ``timeline`` and ``search``: figures side by side, dated claims in order, and words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from . import output
from .options import (
    LARGEST_LIMIT,
    Force,
    Json,
    claim_filters,
    database_file,
    session,
)

if TYPE_CHECKING:
    from ..filters import ClaimFilter


def figures(
    ctx: typer.Context,
    measure: Annotated[
        str | None, typer.Argument(help="The measure (what the figures count).", metavar="[MEASURE]")
    ] = None,
    all_measures: Annotated[
        bool,
        typer.Option(
            "--all", help="Without MEASURE: list every measure, not only those with several claimants."
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Every figure for a measure side by side, with claimant, when it was said beside the event's date, sources
    and independent origins; the spread (highest over lowest) is flagged when wide. A claimant that gave the
    measure more than one figure has its revisions in the order said ("208 (16 Dec) → 304 (later, same
    day)"). Without a measure: the measures with more than one claimant.

    Example: claimtrack figures "Port Selden operation, January 2020: people detained"
    """
    from ..figures import WIDE_SPREAD, figures_for, measures
    from ..quantities import format_number

    with session(ctx) as db:
        if measure is None:
            rows = measures(db, all_measures=all_measures)
        else:
            record = figures_for(db, measure)
    if measure is None:
        shown = [
            {
                **row,
                "range": f"{format_number(row['lowest'])} to {format_number(row['highest'])}",
                "spread": f"{row['spread']}x" + (" WIDE" if row["wide"] else "") if row["spread"] else "",
            }
            for row in rows
        ]
        output.emit_rows(
            rows if as_json else shown,
            [
                ("measure", "measure"),
                ("figures", "figures"),
                ("claimants", "claimants"),
                ("range", "range"),
                ("spread", "spread"),
            ],
            as_json=as_json,
            empty="no measure has figures from more than one claimant (--all lists every measure)",
        )
        return
    if as_json:
        output.emit_json(record)
        return
    title = record["measure"]
    if record["spread"]:
        title += f" — spread {record['spread']}x" + (
            f" (wide: at least {WIDE_SPREAD:g}x)" if record["wide"] else ""
        )
    columns = [
        ("figure", "figure"),
        ("claimant", "claimant"),
        ("said_on", "said on"),
        ("when", "event date"),
    ]
    if any(row["revisions_text"] for row in record["figures"]):
        columns.append(("revisions_text", "revisions (same claimant)"))
    output.emit_rows(
        record["figures"],
        [
            *columns,
            ("sources", "sources"),
            ("independent_origins", "independent origins"),
            ("status", "status"),
            ("key", "claim"),
        ],
        as_json=False,
        empty="no figures for this measure",
        title=title,
    )


@claim_filters
def timeline(
    ctx: typer.Context,
    *,
    filters: ClaimFilter,
    as_json: Json = False,
) -> None:
    """Dated claims and events in order, each date with the precision it was given ("1988", "8 January 2020",
    "8 January, year unknown"). A claim is dated by the event it reports, else by when it was made.

    Example: claimtrack timeline --from 2019 --to 2020-06
    """
    from ..timeline import timeline as ordered

    with session(ctx) as db:
        rows = ordered(db, filters)
    output.emit_rows(
        rows if as_json else output.with_figures(rows),
        [("date", "date"), ("precision", "precision"), ("claimant", "by"), ("shown", "claim"), ("key", "id")],
        as_json=as_json,
        empty="no dated claims match",
    )


@claim_filters
def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='Words (all must match), "a phrase", or alternatives with OR.')
    ],
    *,
    filters: ClaimFilter,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Show at most N matches.", min=1, max=LARGEST_LIMIT)
    ] = 20,
    rank_all: Annotated[
        bool,
        typer.Option(
            "--rank-all",
            help="Rank every match by relevance, however many match (slower on a large database).",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Search claims, quotes, passages and sources' titles and text, best matches first, with snippets.

    In a SQLite database, when there are more than 1,000 matches, the newest come first instead (claims,
    then passages, then sources), unranked: ranking reads every match. Add words or a filter to narrow the
    search, or use --rank-all. PostgreSQL ranks every match.

    Example: claimtrack search '"every cell" Verhoef' --by "Ilan Verhoef"
    """
    from ..search import RANK_AT_MOST
    from ..search import search as find

    with session(ctx) as db:
        rows = find(db, query, filters, limit=limit, rank_all=rank_all)
    output.emit_rows(
        rows,
        [
            ("kind", "match in"),
            ("claim", "claim"),
            ("source", "source"),
            ("claimant", "by"),
            ("snippet", "snippet"),
        ],
        as_json=as_json,
        empty="no matches",
    )
    if rows and rows[0]["score"] is None:
        output.note(
            f"More than {RANK_AT_MOST:,} matches, so the newest are shown first, unranked. "
            "Add words or a filter to narrow the search, or use --rank-all to rank every match."
        )


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
    rendered = {
        "md": markdown,
        "html": lambda d: html(d, use_graphviz={"auto": None, "graphviz": True, "own": False}[drawings]),
        "csv": lambda d: csv_text(d, bom=not no_bom),
        "json": lambda d: json.dumps(d, ensure_ascii=False, indent=2) + "\n",
    }[fmt](data)
    # Not typer.echo for stdout: piped, it strips what look like terminal colour codes, and the CSV and JSON
    # reports must carry the ledger's text exactly (the Markdown and HTML reports show control characters
    # visibly).
    with output_file(out, force=force, database=database_file(ctx)) as stream:
        stream.write(rendered)
    if out != "-":
        output.done(f"wrote {out} ({len(data['claims'])} claims)")


def register(app: typer.Typer) -> None:
    app.command("figures")(figures)
    app.command("timeline")(timeline)
    app.command("search")(search)
    app.command("report")(report)
