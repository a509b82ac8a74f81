"""The ``claimtrack`` command: the root, its global options, and the one place errors become messages."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import ClaimtrackError
from . import output

HELP = """Track claims, who made them, the sources they appear in, and how independently they are sourced.

Example: claimtrack init && claimtrack entity add "Amber Front" --alias AF
"""


def _debugging(ctx: Any) -> bool:
    if os.environ.get("CLAIMTRACK_DEBUG", "") not in ("", "0"):
        return True
    obj = getattr(ctx, "obj", None)
    return bool(isinstance(obj, dict) and obj.get("debug"))


def explain(exc: BaseException) -> str | None:
    """A one-line message for an error we can explain, or None for a bug."""
    if isinstance(exc, ClaimtrackError):
        return str(exc)
    sa_exc = sys.modules.get("sqlalchemy.exc")
    sqlite = sys.modules.get("sqlite3")
    if (sa_exc is not None and isinstance(exc, sa_exc.DatabaseError)) or (
        sqlite is not None and isinstance(exc, sqlite.DatabaseError)
    ):
        from ..db import is_damage_error

        if is_damage_error(exc):  # one the ledger did not name itself (it names its file where it can)
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            return (
                f"the database is damaged ({reason}); restore a backup (claimtrack db restore BACKUP --force), "
                "or copy what can still be read into a new ledger: claimtrack db salvage FILE NEW.db"
            )
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        from ..db import busy_message, is_busy_error, is_undecodable_text

        if is_busy_error(exc):
            return busy_message()
        if is_undecodable_text(exc):
            return None  # a damaged value: damage_behind names it (the message quotes the damaged bytes)
        return f"cannot use the database: {str(exc.orig).splitlines()[0]}"
    if sa_exc is not None and isinstance(exc, sa_exc.ArgumentError):
        return f"cannot use the database: {str(exc).splitlines()[0]}"
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        refused = refused_by_rights(exc)
        if refused is not None:
            return refused
    if sa_exc is not None and isinstance(exc, sa_exc.DataError):
        refused = refused_value(exc)
        if refused is not None:
            return refused
    if isinstance(exc, OverflowError) and "SQLite INTEGER" in str(exc):
        return f"a number is too large for the database ({exc})"
    if isinstance(exc, ModuleNotFoundError) and exc.name in ("psycopg", "psycopg2"):
        return "PostgreSQL needs the driver: pip install 'claimtrack[postgres]'"
    return None


def damage_behind(ctx: Any, exc: BaseException | None = None) -> str | None:
    """For an error claimtrack cannot explain: the damage line, when the ledger is a SQLite file found damaged
    (see :func:`claimtrack.db.damage_found`: a damaged page, or a damaged value — a history row's JSON that no
    longer parses, a timestamp that is no longer one — that SQLite's own checks cannot see)."""
    obj = getattr(ctx, "obj", None)
    try:
        from ..db import Ledger, damage_found, damage_message, is_undecodable_text, resolve_url

        path = Ledger(resolve_url(obj.get("db") if isinstance(obj, dict) else None)).sqlite_path()
        if path is None or not path.is_file():
            return None
        found = damage_found(path)
        if found is None and exc is not None and is_undecodable_text(exc):
            # Text no table of the models holds (the search index's own): named by its column alone.
            column = str(getattr(exc, "orig", exc)).split("'")[1]
            found = f"a stored text of column {column} is not UTF-8"
    except Exception:  # the check is a courtesy: it must not hide the error it is asked about
        return None
    return None if found is None else damage_message(path, found)


def refused_by_rights(exc: Any) -> str | None:
    """The database refused for lack of rights (PostgreSQL's insufficient_privilege), or because the history
    is append-only; None for anything else."""
    orig = getattr(exc, "orig", None)
    reason = (str(orig).strip().splitlines() or [""])[0]
    if getattr(orig, "sqlstate", None) == "42501":
        return (
            f"the database refused: {reason} (your role's rights on this ledger do not allow it; an admin "
            "grants them with `claimtrack db grant ROLE editor|admin`)"
        )
    if "append-only" in reason:
        return f"the database refused: {reason}"
    return None


def refused_value(exc: Any) -> str | None:
    """Why the database refused a value the user gave, naming its column ("claims.text"); None for anything else.

    Text is kept as it is where the database can hold it and refused where it cannot, never altered: SQLite
    stores any text byte-exact, while PostgreSQL's text type has no NUL character and its varchar columns have
    a length. Its driver then refuses the whole statement, nothing is written (the transaction is rolled
    back), and this names the field for the one-line message.
    """
    import re

    reason = (str(getattr(exc, "orig", exc)).strip().splitlines() or [""])[0]
    field = _column_of(exc, lambda value: "\x00" in value)
    if field is not None:
        return (
            f"the value for {field} holds a NUL character (\\x00), which PostgreSQL cannot store or compare; "
            "remove it and try again"
        )
    too_long = re.search(r"value too long for type character varying\((\d+)\)", reason)
    if too_long:
        longest = int(too_long[1])
        field = _column_of(exc, lambda value: len(value) > longest) or "a field"
        return f"the value for {field} is longer than the {longest:,} characters it can hold"
    if "out of range" in reason:
        return f"a number is out of the database's range ({reason})"
    return None


def _column_of(exc: Any, test: Any) -> str | None:
    """The column of the first string parameter of a failed statement that passes ``test``."""
    import re

    params = exc.params
    rows = params if isinstance(params, list | tuple) else [params]
    for row in rows:
        if not isinstance(row, dict):
            continue
        for name, value in row.items():
            if isinstance(value, str) and test(value):
                # Bound parameters are named after their column, numbered in WHERE clauses ("name_1") and in
                # multi-row INSERTs ("text__0").
                statement = str(exc.statement or "")
                column = re.sub(r"(?:_+\d+)+$", "", str(name))
                table = re.match(r"\s*(?:INSERT\s+INTO|UPDATE)\s+(\w+)", statement, re.I)
                compared = re.search(rf"(\w+\.\w+)\s*(?:=|IN)\s*\(?%\({re.escape(str(name))}\)s", statement)
                return f"{table[1]}.{column}" if table else compared[1] if compared else column
    return None


def not_utf8(args: list[str]) -> str | None:
    """Why the command line cannot be used, when one of its arguments is not UTF-8 text; else None.

    Python hands over such bytes as lone surrogates (``caf\\udce9`` for ``caf\\xe9``), which no database
    driver can encode: the command would fail half-way (or leave an empty file named by ``--db``). It is
    refused before anything runs, naming the argument, its bytes shown as escapes."""
    for position, arg in enumerate(args):
        if not any("\ud800" <= char <= "\udfff" for char in arg):
            continue
        try:
            shown = os.fsencode(arg).decode("utf-8", "backslashreplace")
        except UnicodeError:  # surrogates that did not come from undecodable bytes
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii")
        before = args[position - 1] if position else ""
        option = before if before.startswith("--") and len(before) > 2 else None  # not the "--" separator
        what = f"the value of {option}" if option and "=" not in option else f"the argument '{shown}'"
        if option and "=" not in option:
            what += f" ('{shown}')"
        return (
            f"{what} is not UTF-8 text; claimtrack reads and stores UTF-8 only: convert it "
            "(for example with iconv -f latin1 -t utf-8) and try again"
        )
    return None


class ClaimtrackGroup(TyperGroup):
    """The root group: every subcommand runs inside it, so its ``invoke`` sees every error. Its commands are
    those registered on ``commands``, each built when a command line names it (see tree.py)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        from .tree import LazyCommands

        settings = {
            "pretty_exceptions_short": app.pretty_exceptions_short,
            "rich_markup_mode": self.rich_markup_mode,
            "suggest_commands": self.suggest_commands,
        }
        built = dict(self.commands)
        self.commands = LazyCommands(commands, settings=settings)
        self.commands.update(built)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        problem = not_utf8(args)
        if problem is not None:
            output.error(problem)
            raise typer.Exit(1)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):
                raise  # usage errors: Typer prints them and exits 2
            if _debugging(ctx):
                raise
            message = explain(exc)
            if message is None:
                message = damage_behind(ctx, exc)
            if message is None:
                message = f"internal error ({type(exc).__name__}: {exc}); run with --debug for details"
            output.error(message)
            raise typer.Exit(1) from None


app = typer.Typer(
    name="claimtrack",
    cls=ClaimtrackGroup,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or SQLAlchemy URL (postgresql://...). Default: $CLAIMTRACK_DB, else ./claimtrack.db.",
            metavar="PATH|URL",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    ctx.obj = {"db": db, "debug": debug}


# The root's commands and groups. They are registered here rather than on `app`, for which Typer would build
# every one of them at each start; the root group builds only those a command line names (see tree.py).
commands = typer.Typer()


def register() -> None:
    """Attach the command groups (modules import only Typer at the top: help must start fast)."""
    from . import (
        check,
        claim,
        config,
        db,
        entity,
        export,
        extract,
        figures,
        import_,
        init,
        log,
        report,
        search,
        source,
        timeline,
        verify,
    )

    init.register(commands)
    export.register(commands)
    import_.register(commands)
    commands.add_typer(db.app, name="db")
    commands.add_typer(log.app, name="log")
    check.register(commands)
    commands.add_typer(config.app, name="config")
    verify.register(commands)
    extract.register(commands)
    figures.register(commands)
    timeline.register(commands)
    search.register(commands)
    report.register(commands)
    commands.add_typer(entity.app, name="entity")
    commands.add_typer(source.app, name="source")
    commands.add_typer(claim.app, name="claim")


register()


def main() -> None:
    """The console script: run the app; known errors end as one line on stderr and exit code 1."""
    app()
