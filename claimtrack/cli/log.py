"""``claimtrack log``: the history of changes, and ``log verify``, which checks it was not rewritten."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from . import output
from .options import Json, session

if TYPE_CHECKING:
    from ..records import ChangeRow, ImportedChangeRow, LedgerCheckRecord

app = typer.Typer(invoke_without_command=True)


@app.callback()
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


@app.command("verify")
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
