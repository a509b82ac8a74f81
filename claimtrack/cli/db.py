"""``claimtrack db``: the database itself: its schema, backups, restores, salvage and team rights."""

from __future__ import annotations

import typing
from typing import Annotated

import typer

from . import output
from .init import init
from .options import Json, ledger, session

if typing.TYPE_CHECKING:
    from ..backup import Copied


app = typer.Typer(
    help="Manage the database: its schema, backups, restores and salvage.\n\nExample: claimtrack db upgrade",
    no_args_is_help=True,
)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Upgrade the database to this version's schema (safe to run twice).

    Example: claimtrack db upgrade
    """
    init(ctx)


@app.command("current")
def current(ctx: typer.Context, as_json: Json = False) -> None:
    """Show the database's schema revision and the one this claimtrack expects.

    Example: claimtrack db current --json
    """
    from ..db import SCHEMA_REVISION

    target = ledger(ctx)
    path = target.sqlite_path()
    revision = None if path is not None and not path.exists() else target.current_revision()
    data = {
        "database": target.describe(),
        "revision": revision,
        "expected": SCHEMA_REVISION,
        "up_to_date": revision == SCHEMA_REVISION,
    }
    if as_json:
        output.emit_json(data)
        return
    output.stdout().print(
        output.fields(
            [
                ("database", data["database"]),
                ("revision", revision or "none (run `claimtrack init`)"),
                ("expected", SCHEMA_REVISION),
                ("up to date", "yes" if data["up_to_date"] else "no"),
            ]
        )
    )


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The file to write the backup to.", metavar="FILE")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Back up a SQLite database to FILE, safely while others write: a complete copy (the WAL included) of the
    database as it stood when the backup began, checked with SQLite's integrity check before it is put in
    place. Refuses to replace FILE unless --force. For PostgreSQL use pg_dump (see the README).

    Example: claimtrack db backup backups/investigation-2024-05-01.db
    """
    from pathlib import Path

    from ..backup import backup as back_up

    target = ledger(ctx)
    with output.progress_bar() as progress:
        copied = back_up(target, Path(file), force=force, progress=progress)
    output.done(f"backed up {target.describe()} to '{file}': {_copied(copied)}, integrity ok")


@app.command("restore")
def restore(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A backup made by `claimtrack db backup`.", metavar="FILE")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the database if it exists (everything in it).")
    ] = False,
) -> None:
    """Restore the database from a backup made by `db backup`, checked first and copied in one transaction:
    other users see the database as it was or as restored, never half of each. Replaces an existing database
    only with --force (back it up first). For PostgreSQL use pg_restore (see the README).

    Example: claimtrack --db investigation.db db restore backups/investigation-2024-05-01.db --force
    """
    from pathlib import Path

    from ..backup import restore as restore_from
    from ..db import SCHEMA_REVISION

    target = ledger(ctx)
    with output.progress_bar() as progress:
        copied = restore_from(target, Path(file), force=force, progress=progress)
    output.done(f"restored {target.describe()} from '{file}': {_copied(copied)}")
    if copied.revision != SCHEMA_REVISION:
        output.warn(
            f"the backup is at schema {copied.revision} and this claimtrack expects {SCHEMA_REVISION}; "
            "`claimtrack db upgrade` brings an older one up to date"
        )


@app.command("salvage")
def salvage(
    file: Annotated[str, typer.Argument(help="The damaged SQLite ledger (only read).", metavar="FILE")],
    out: Annotated[str, typer.Argument(help="The new ledger to write (must not exist).", metavar="OUT")],
) -> None:
    """Copy every row that can still be read from a damaged SQLite ledger into a new one at OUT, and say what
    was lost. FILE is only read. Rows on damaged pages are lost, and so are rows that refer to them (a claim
    whose claimant was lost); everything else is copied with its id, and the search index is rebuilt. Check
    the result (claimtrack --db OUT claim list), then keep it in place of FILE.

    Example: claimtrack db salvage investigation.db investigation-salvaged.db
    """
    from pathlib import Path

    from ..salvage import salvage as salvage_ledger

    with output.progress_bar() as progress:
        result = salvage_ledger(Path(file), Path(out), progress=progress)
    for table in result.lost:
        unreadable = (
            f"{table.unreadable:,} ids on damaged pages could not be read"
            if table.unreadable
            else "rows on damaged pages could not be read"
        )
        reasons = ([] if table.whole else [unreadable]) + (
            [f"{table.refused:,} rows left out that refer to lost rows"] if table.refused else []
        )
        output.warn(f"{table.table}: {table.saved:,} rows saved; " + "; ".join(reasons))
    whole = "every table whole" if not result.lost else f"{len(result.lost)} tables with losses (above)"
    output.done(f"salvaged {result.saved:,} rows from '{file}' into '{out}': {whole}")


@app.command("grant")
def grant(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(help="An existing PostgreSQL role (one login role per person).")],
    level: Annotated[
        str,
        typer.Argument(
            help="reader (reads only), editor (writes records, adds to the history, never changes it; no "
            "settings), or admin (everything the tables' owner may: settings, upgrades)."
        ),
    ],
) -> None:
    """Give a PostgreSQL role the rights of a reader, an editor or an admin of this ledger, replacing any it
    had. Run it as the role that owns the ledger's tables (the one that ran `claimtrack init`), and again
    after an upgrade that adds tables. The history then names each person by their role.

    Example: claimtrack --db postgresql://owner@db.example/ledger db grant alice editor
    """
    from ..team import grant as grant_level

    with session(ctx, write=True) as db:
        granted = grant_level(db, role, level)
    output.done(f"{granted.role} is now {granted.level} of {granted.database}")


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(help="A PostgreSQL role given rights by `db grant`.")],
) -> None:
    """Take away every right `db grant` gave a PostgreSQL role on this ledger. The history keeps what it did.

    Example: claimtrack --db postgresql://owner@db.example/ledger db revoke alice
    """
    from ..team import revoke as revoke_all

    with session(ctx, write=True) as db:
        database = revoke_all(db, role)
    output.done(f"{role.strip()} has no rights on {database} any more")


def _copied(copied: Copied) -> str:
    claims = "" if copied.claims is None else f"{copied.claims:,} claims, "
    return f"{claims}{copied.size:,} bytes"
