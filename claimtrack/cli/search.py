"""``claimtrack search``: claims, quotes, passages and sources found by their words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from . import output
from .options import LARGEST_LIMIT, Json, claim_filters, session

if TYPE_CHECKING:
    from ..filters import ClaimFilter


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

    When there are more than 50,000 matches in a SQLite database, or more than 1,000 in PostgreSQL, the newest
    come first instead (claims, then passages, then sources), unranked: ranking reads every match. Add words or
    a filter to narrow the search, or use --rank-all.

    Example: claimtrack search '"every cell" Verhoef' --by "Ilan Verhoef"
    """
    from ..search import rank_at_most
    from ..search import search as find

    with session(ctx) as db:
        rows = find(db, query, filters, limit=limit, rank_all=rank_all)
        most = rank_at_most(db.get_bind().dialect.name)
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
            f"More than {most:,} matches, so the newest are shown first, unranked. "
            "Add words or a filter to narrow the search, or use --rank-all to rank every match."
        )


def register(app: typer.Typer) -> None:
    app.command("search")(search)
