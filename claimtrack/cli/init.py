"""``claimtrack init``: create a database, or bring an existing one up to date."""

from __future__ import annotations

import typer

from . import output
from .options import ledger


def init(ctx: typer.Context) -> None:
    """Create a claimtrack database, or bring an existing one up to date.

    Example: claimtrack --db investigation.db init
    """
    target = ledger(ctx)
    notes: dict[str, object] = {}
    before, after = target.upgrade(notes)
    converted = notes.get("vias_converted")
    if isinstance(converted, int) and before is not None:
        output.note(
            f"{converted:,} appearance{'s' if converted != 1 else ''} now record the source they took their claim "
            "from (converted from `source link --cites/--derived-from` between sources carrying the same claim); "
            "run `claimtrack source similar` to find copies among the sources already stored"
        )
    if before is None:
        output.done(f"created {target.describe()} (schema {after})")
    elif before == after:
        output.note(f"{target.describe()} is up to date (schema {after})")
    else:
        output.done(f"upgraded {target.describe()} from schema {before} to {after}")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
