"""Options shared by several commands, defined once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from ..db import Ledger

R = TypeVar("R")

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


# The eight filters as the parameters Typer shows, in this order, each named after its ClaimFilter field.
FILTER_OPTIONS: tuple[tuple[str, Any], ...] = (
    ("kinds", Kinds),
    ("by", By),
    ("sources", FromSource),
    ("tags", Tags),
    ("statuses", Statuses),
    ("about", About),
    ("date_from", DateFrom),
    ("date_to", DateTo),
)


class _ClaimFilterStandIn:
    """Stands for ``ClaimFilter`` while a command's signature is read: the class itself loads SQLAlchemy,
    which a command's ``--help`` must not."""


def claim_filters(command: Callable[..., R]) -> Callable[..., R]:
    """Give a command the shared claim filters as one value: its parameter typed ``ClaimFilter``.

    Typer reads a command's options from its signature, so the signature Typer sees has the eight options
    (``--kind --by --source --tag --status --about --from --to``) where the command has that parameter; the
    command is called with the one ``ClaimFilter`` they make, built by keyword. The parameter is keyword-only
    (after ``*``), so that it may sit among options with defaults, where its options are to show. Example::

        @claim_filters
        def timeline(ctx: typer.Context, *, filters: ClaimFilter, as_json: Json = False) -> None: ...
    """
    written = inspect.signature(command, eval_str=True, locals={"ClaimFilter": _ClaimFilterStandIn})
    parameters = list(written.parameters.values())
    taking = [parameter for parameter in parameters if parameter.annotation is _ClaimFilterStandIn]
    if len(taking) != 1:
        raise TypeError(f"{command.__qualname__} needs one parameter typed ClaimFilter to take the filters")
    (filters,) = taking
    at = parameters.index(filters)
    shown = written.replace(
        parameters=[
            *parameters[:at],
            *(
                inspect.Parameter(name, filters.kind, default=None, annotation=annotation)
                for name, annotation in FILTER_OPTIONS
            ),
            *parameters[at + 1 :],
        ]
    )

    @functools.wraps(command)
    def with_filters(*args: Any, **kwargs: Any) -> R:
        from ..filters import ClaimFilter

        # An option not given filters nothing.
        kwargs[filters.name] = ClaimFilter(
            kinds=kwargs.pop("kinds") or (),
            by=kwargs.pop("by") or (),
            sources=kwargs.pop("sources") or (),
            tags=kwargs.pop("tags") or (),
            statuses=kwargs.pop("statuses") or (),
            about=kwargs.pop("about") or (),
            date_from=kwargs.pop("date_from"),
            date_to=kwargs.pop("date_to"),
        )
        return command(*args, **kwargs)

    # What Typer reads: this signature, and the annotations it resolves (among which the command's own
    # ``ClaimFilter``, not imported at run time, is no more).
    with_filters.__signature__ = shown  # type: ignore[attr-defined]
    with_filters.__annotations__ = {
        **{parameter.name: parameter.annotation for parameter in shown.parameters.values()},
        "return": shown.return_annotation,
    }
    return with_filters


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
