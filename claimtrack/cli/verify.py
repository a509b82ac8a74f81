"""``claimtrack verify``: passages and quotes checked against the documents' stored text."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer

from . import output
from .options import Json, session

EXIT_PROBLEMS = 3


def verify(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Argument(help="Only this source's appearances.", metavar="[SOURCE]")
    ] = None,
    fail: Annotated[
        bool,
        typer.Option(
            "--fail", help=f"Exit with code {EXIT_PROBLEMS} when a passage or quote does not match."
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Check every logged passage against its source's stored text, and every quote against its passage.

    A passage found at its anchor is fine; found elsewhere, it is re-anchored (and said so); not found, the
    closest span is shown with the words that differ. A quote is looked for in its source's whole text (even
    without a passage): ellipses are elisions (the words each leaves out are counted), square brackets the
    quoting writer's words, and case, spacing, quote marks or dashes only cosmetic; words that differ are a
    misquote. A quote that stops just before a qualifying clause ("but", "unless", "only if" ...) or is found
    on another page than its locator says is flagged, and counts as a problem for --fail.

    Example: claimtrack verify af-2020-01 --fail
    """
    from ..verification import verify_passages

    with session(ctx, write=True) as db:
        checks = [check.record() for check in verify_passages(db, source)]
    problems = [
        c for c in checks if c["status"] in ("changed", "text-changed") or c["misquote"] or c["flagged"]
    ]
    if as_json:
        output.emit_json(checks)
    else:
        for check in checks:
            if check["misquote"]:
                check["status"] = f"{check['status']}, misquote"
            check["differs"] = check["misquote"] or check["diff"] or ""
        output.emit_rows(
            checks,
            [
                ("claim", "claim"),
                ("source", "source"),
                ("status", "status"),
                ("detail", "detail"),
                ("differs", "words that differ"),
            ],
            as_json=False,
            empty="no appearances to check",
        )
    tally = Counter(c["status"].split(",")[0] for c in checks)
    misquotes = sum(1 for c in checks if c["misquote"])
    summary = ", ".join(f"{count} {status}" for status, count in sorted(tally.items()))
    output.note(
        f"{len(checks)} passage{'s' if len(checks) != 1 else ''} checked"
        + (f": {summary}" if summary else "")
        + f"; {misquotes} misquote{'s' if misquotes != 1 else ''}"
    )
    if fail and problems:
        raise typer.Exit(EXIT_PROBLEMS)


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
