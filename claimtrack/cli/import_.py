"""``claimtrack import``: a claimtrack export read back, into a new database or merged into one."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output
from .options import session


def import_(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(help="A claimtrack export (JSON lines), or - for stdin.", metavar="FILE|-")
    ],
) -> None:
    """Import a claimtrack export, in one transaction: all of it or nothing.

    Into a new, empty database every record keeps its id (export, import, export gives the same bytes). Into
    a database that already holds records the export is merged: records are matched on their keys (claims and
    sources by key, entities by name, appearances by claim, source, stance and passage); new ones are added,
    and where both sides hold a record with different fields this database's are kept and the differences
    listed.

    Example: claimtrack --db copy.db init && claimtrack --db copy.db import investigation.jsonl
    """
    import os

    from ..exchange import import_lines
    from ..input_files import describe, open_input, text_lines
    from ..settings import input_limit

    with session(ctx) as db:
        limit = input_limit(db)
    stream = open_input(file)
    total = None if file == "-" else os.fstat(stream.fileno()).st_size
    try:
        with session(ctx, write=True) as db, output.progress_bar() as progress:
            lines = text_lines(stream, limit, describe(file))
            result = import_lines(db, lines, progress=progress, total=total)
    finally:
        if file != "-":
            stream.close()
    added = sum(result.added.values())
    if not result.merged:
        output.done(f"imported {added:,} rows into {len(result.added)} tables")
        return
    for difference in result.differences[:20]:
        output.warn(difference)
    if len(result.differences) > 20:
        output.warn(f"... and {len(result.differences) - 20:,} more records that differ")
    output.done(
        f"merged: {added:,} rows added, {sum(result.existing.values()):,} already here"
        + (
            f", {len(result.differences):,} with differences (this database's kept)"
            if result.differences
            else ""
        )
    )


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
