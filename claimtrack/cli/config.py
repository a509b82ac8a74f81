"""``claimtrack config``: the project settings shared by everyone using the database."""

from __future__ import annotations

from typing import Annotated

import typer

from . import output
from .options import Json, session

app = typer.Typer(
    help="Project settings shared by everyone using the database.\n\nExample: claimtrack config set min-independent 3",
    no_args_is_help=True,
)


@app.command("get")
def config_get(
    ctx: typer.Context,
    key: Annotated[
        str | None, typer.Argument(help="The setting; all settings when omitted.", metavar="[KEY]")
    ] = None,
    as_json: Json = False,
) -> None:
    """Show a project setting (or all of them).

    Example: claimtrack config get min-independent
    """
    from ..settings import all_settings, get_setting

    with session(ctx) as db:
        values = all_settings(db) if key is None else {key: get_setting(db, key)}
    if as_json:
        output.emit_json(values)
    elif key is not None:
        typer.echo(values[key])
    else:
        for name, value in values.items():
            typer.echo(f"{name} = {value}")


@app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The setting.", metavar="KEY")],
    value: Annotated[str, typer.Argument(help="Its new value.", metavar="VALUE")],
) -> None:
    """Change a project setting for everyone using this database.

    Example: claimtrack config set min-independent 3
    """
    from ..settings import set_setting

    with session(ctx, write=True) as db:
        stored = set_setting(db, key, value)
    output.done(f"{key} = {stored}")
