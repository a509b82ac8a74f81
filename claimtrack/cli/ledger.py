"""Top-level verbs on the database itself: init, db upgrade|current|backup|restore|salvage, log."""

from __future__ import annotations

import typing
from typing import Annotated

import typer

from . import output
from .options import Force, Json, database_file, ledger, session

if typing.TYPE_CHECKING:
    from ..backup import Copied
    from ..records import ChangeRow, ImportedChangeRow, LedgerCheckRecord

db_app = typer.Typer(
    help="Manage the database: its schema, backups, restores and salvage.\n\nExample: claimtrack db upgrade",
    no_args_is_help=True,
)


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


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Upgrade the database to this version's schema (safe to run twice).

    Example: claimtrack db upgrade
    """
    init(ctx)


@db_app.command("current")
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


@db_app.command("backup")
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


@db_app.command("restore")
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


@db_app.command("salvage")
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


@db_app.command("grant")
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


@db_app.command("revoke")
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


log_app = typer.Typer(invoke_without_command=True)


@log_app.callback()
def log(
    ctx: typer.Context,
    claim: Annotated[
        str | None,
        typer.Option(
            "--claim",
            help="Only changes to this claim, its appearances, status and relations.",
            metavar="CLAIM",
        ),
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only changes made by this user.")] = None,
    table: Annotated[
        str | None,
        typer.Option("--table", help="Only changes to this table (claims, sources, entities, ...)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most N changes.", min=1)] = 50,
    imported: Annotated[
        bool,
        typer.Option(
            "--imported",
            help="Show the history that merged exports brought in (kept apart, labelled with its ledger) "
            "instead of this ledger's own.",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Show the history of changes, newest first: who changed what, when, why, and what it was before.
    Records are named by their keys and names; a correction (an edit, a merge, a withdrawal) is one entry,
    shown whole with its reason and every change it made ("field: before → after"). Who is the account that
    made the change (the PostgreSQL role, or the operating-system user), with the name CLAIMTRACK_USER gave.
    `claimtrack log verify` checks that the history was not rewritten.

    Example: claimtrack log --claim k3m9x2p
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..changelog import list_changes
    from ..integrity import list_imported

    if imported:
        if claim or actor or table:
            from ..errors import InvalidInput

            raise InvalidInput(
                "--imported lists every imported change; --claim, --actor and --table do not apply"
            )
        with session(ctx) as db:
            imported_rows = list_imported(db, limit=limit)
        for entry in imported_rows:
            entry["who"] = _who(entry)
            entry["ledger"] = f"{entry['origin'][:12]}… change {entry['position']:,}"
        output.emit_rows(
            imported_rows,
            [
                ("at", "when (UTC)"),
                ("who", "who"),
                ("action", "did"),
                ("record", "record"),
                ("ledger", "in ledger"),
            ],
            as_json=as_json,
            empty="no imported history",
        )
        return
    with session(ctx) as db:
        rows = list_changes(db, limit=limit, actor=actor, table=table, claim_key=claim)
    if not as_json:
        for row in rows:
            row["change"] = _describe_change(row)
            row["actor"] = _who(row)
    output.emit_rows(
        rows,
        [
            ("at", "when (UTC)"),
            ("actor", "who"),
            ("action", "did"),
            ("record", "record"),
            ("change", "change"),
        ],
        as_json=as_json,
        empty="no changes recorded",
    )


def _who(row: ChangeRow | ImportedChangeRow) -> str:
    """ "Alice Ward (alice)": the name given, then the account; the account alone when no name was given."""
    name, account = row.get("display_name"), row["actor"]
    return f"{name} ({account})" if name and name != account else str(account)


@log_app.command("verify")
def verify_log(
    ctx: typer.Context,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="A head published earlier (a report's, an export's): the history must still run through it.",
            metavar="HASH",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Check that the history was not rewritten: recompute its hash chain and name the first change where it
    breaks; check each imported history's chain; and check every source's stored text and original file
    against their stored hashes and against the hashes the history recorded for them. Prints the head (the
    last change's hash): publish it (in a report, to an editor) to pin the ledger as it is now; --head checks
    that the history still runs through a head published before. Exits with code 3 when anything does not
    hold.

    Example: claimtrack log verify --json
    """
    from ..integrity import verify_ledger

    with session(ctx) as db:
        found = verify_ledger(db, head)
    data = found.record()
    if as_json:
        output.emit_json(data)
    else:
        lines = [f"history: {found.changes:,} changes, head {found.head}"]
        broken = found.first_break
        if broken is not None:
            lines.append(f"BROKEN at change {broken['position']:,} (id {broken['id']}): {broken['problem']}")
        if found.pinned is not None:
            at = found.pinned["change"]
            lines.append(
                f"head {found.pinned['head']}: "
                + (f"change {at:,} of the history" if at is not None else "NOT in the history")
            )
        for history in found.imported:
            state = "holds" if history["holds"] else f"BROKEN: {history['problem']}"
            lines.append(
                f"imported history of ledger {history['origin'][:12]}…: {history['changes']:,} changes, {state}"
            )
        for problem in found.sources:
            lines.append(f"source {problem['source']} ({problem['what']}): {problem['problem']}")
        output.stdout().print("\n".join(output.inert(line) for line in lines), soft_wrap=True)
    if found.holds:
        output.note(
            f"the history holds ({found.changes:,} change{'s' if found.changes != 1 else ''}; "
            f"{found.sources_checked:,} source{'s' if found.sources_checked != 1 else ''} checked)"
        )
        return
    output.error("the ledger does not verify: " + _first_problem(data))
    raise typer.Exit(EXIT_BROKEN)


EXIT_BROKEN = 3


def _first_problem(data: LedgerCheckRecord) -> str:
    broken = data["first_break"]
    if broken is not None:
        return f"the history breaks at change {broken['position']:,} (id {broken['id']}): {broken['problem']}"
    pinned = data["pinned"]
    if pinned is not None and pinned["change"] is None:
        return (
            f"no change of the history has the head {pinned['head']} (the history was rebuilt, or that head "
            "is another ledger's)"
        )
    for history in data["imported"]:
        if not history["holds"]:
            return f"the imported history of ledger {history['origin'][:12]}… {history['problem']}"
    problem = data["sources"][0]
    return f"source {problem['source']} ({problem['what']}): {problem['problem']}"


def _short(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _fields(row: ChangeRow) -> str:
    """One change's fields: "field: before → after" for an edit, "field=value" for a new record."""
    fields = row["fields"]
    if row["action"] == "update":
        return "; ".join(f"{f['field']}: {_short(f['before'])} → {_short(f['after'])}" for f in fields)
    if row["action"] == "insert":
        shown = [f for f in fields if f["after"] is not None]
        return ", ".join(f"{f['field']}={_short(f['after'])}" for f in shown[:6])
    if row["action"] == "delete":
        return "removed (kept here whole)"
    after = row.get("after")
    return _short(after, 200) if after else ""


def _describe_change(row: ChangeRow) -> str:
    """The change column: a change's fields; for a correction, its reason and then each of its parts."""
    lines = [f"reason: {row['reason']}"] if row.get("reason") and not row["parts"] else []
    if row["parts"]:
        lines.append(f"reason: {row['reason']}")
        for part in row["parts"]:
            described = _fields(part)
            lines.append(f"{part['action']} {part['record']}" + (f": {described}" if described else ""))
    else:
        lines.append(_fields(row))
    return "\n".join(line for line in lines if line)


def export(
    ctx: typer.Context,
    out: Annotated[
        str, typer.Option("--output", "-o", help="The file to write, or - for stdout.", metavar="FILE")
    ] = "-",
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (every table, lossless), claimreview (schema.org JSON-LD of the claims with a verdict), "
            "csl-json or bibtex (the sources as citations).",
        ),
    ] = "jsonl",
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="csl-json and bibtex: only this source (repeat for more); all sources without it.",
            metavar="SOURCE",
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Export the whole ledger, every table and the history, as JSON lines (lossless; `import` reads it back),
    the claims that carry a verdict as schema.org ClaimReview, or the sources as citations: CSL-JSON (Zotero,
    pandoc, citeproc) or BibTeX.

    Example: claimtrack export -o investigation.jsonl
    """
    import json

    from ..errors import InvalidInput
    from ..exchange import export as write_export
    from ..output_files import check_output, output_file

    formats = ("jsonl", "claimreview", "csl-json", "bibtex")
    if fmt not in formats:
        raise InvalidInput(f"unknown export format {fmt!r}; use {', '.join(formats[:-1])} or {formats[-1]}")
    if sources and fmt not in ("csl-json", "bibtex"):
        raise InvalidInput("--source selects the sources of a csl-json or bibtex export only")
    database = database_file(ctx)
    check_output(out, force=force, database=database)
    if fmt != "jsonl":
        with session(ctx) as db:
            if fmt == "claimreview":
                from ..claimreview import claim_reviews

                text = json.dumps(claim_reviews(db), ensure_ascii=False, indent=2) + "\n"
            elif fmt == "csl-json":
                from ..citations import csl_items

                text = json.dumps(csl_items(db, sources), ensure_ascii=False, indent=2) + "\n"
            else:
                from ..citations import bibtex

                text = bibtex(db, sources)
        with output_file(out, force=force, database=database) as stream:
            stream.write(text)
        return
    with session(ctx) as db, output_file(out, force=force, database=database) as stream:
        count = write_export(db, stream)
    output.note(f"exported {count:,} rows" + ("" if out == "-" else f" to {out}"))


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
    from ..input_files import describe, input_limit, open_input, text_lines

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
    app.command("init")(init)
    app.command("export")(export)
    app.command("import")(import_)
    app.add_typer(db_app, name="db")
    app.add_typer(log_app, name="log")
