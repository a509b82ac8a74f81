"""``claimtrack timeline``: dated claims and events in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from . import output
from .options import Json, claim_filters, session

if TYPE_CHECKING:
    from ..filters import ClaimFilter


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


def register(app: typer.Typer) -> None:
    app.command("timeline")(timeline)
