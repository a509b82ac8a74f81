"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from ..db import Ledger
    from ..filters import ClaimFilter

Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Force = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
# Larger limits mean "all" just the same, and a number past 64 bits cannot be bound into the SQL at all.
LARGEST_LIMIT = 1_000_000_000
Limit = Annotated[
    int | None, typer.Option("--limit", "-n", help="Show at most N rows.", min=1, max=LARGEST_LIMIT)
]

Kinds = Annotated[
    list[str] | None,
    typer.Option("--kind", help="Only claims of this kind (quote, figure, event, statement)."),
]
By = Annotated[
    list[str] | None, typer.Option("--by", help="Only claims made by this entity.", metavar="ENTITY")
]
FromSource = Annotated[
    list[str] | None,
    typer.Option("--source", help="Only claims that appear in this source.", metavar="SOURCE"),
]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="Only claims with this tag.")]
Statuses = Annotated[list[str] | None, typer.Option("--status", help="Only claims with this status.")]
About = Annotated[
    list[str] | None, typer.Option("--about", help="Only claims about this entity.", metavar="ENTITY")
]
DateFrom = Annotated[
    str | None,
    typer.Option(
        "--from", help="Only claims dated on or after DATE (event date, else date said).", metavar="DATE"
    ),
]
DateTo = Annotated[
    str | None, typer.Option("--to", help="Only claims dated on or before DATE.", metavar="DATE")
]


Lacking = Annotated[
    bool,
    typer.Option("--lacking", help="Only claims that lack independent sources (see `claimtrack check`)."),
]


def claim_filter(
    *,
    kinds: list[str] | None,
    by: list[str] | None,
    sources: list[str] | None,
    tags: list[str] | None,
    statuses: list[str] | None,
    about: list[str] | None,
    date_from: str | None,
    date_to: str | None,
) -> ClaimFilter:
    from ..filters import ClaimFilter

    return ClaimFilter(
        kinds=kinds or (),
        by=by or (),
        sources=sources or (),
        tags=tags or (),
        statuses=statuses or (),
        about=about or (),
        date_from=date_from,
        date_to=date_to,
    )


def ledger(ctx: typer.Context) -> Ledger:
    from ..db import open_ledger

    obj: dict[str, Any] = ctx.find_root().obj or {}
    return open_ledger(obj.get("db"))


def database_file(ctx: typer.Context) -> Path | None:
    """The SQLite file of the user's database (None for PostgreSQL): what no output file may be."""
    return ledger(ctx).sqlite_path()


@contextmanager
def session(ctx: typer.Context, *, write: bool = False) -> Iterator[Session]:
    """A session on the user's database, checked to be at the current schema; committed at the end."""
    with ledger(ctx).session(write=write) as db_session:
        yield db_session
