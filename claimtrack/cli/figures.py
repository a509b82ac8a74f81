"""``claimtrack figures``: every figure for a measure side by side, or the measures with several claimants."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output
from .options import Json, session


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
    from ..text.quantities import format_number

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


def register(app: typer.Typer) -> None:
    app.command("figures")(figures)
