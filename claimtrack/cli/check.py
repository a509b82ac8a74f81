"""``claimtrack check``: which claims lack independent sources, and why, in words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import output
from .options import LARGEST_LIMIT, Json, claim_filters, ledger, session

if TYPE_CHECKING:
    from ..filters import ClaimFilter

if TYPE_CHECKING:
    from ..records import SourcingRecord, VerdictRecord

# Distinct from 1 (an error) so that scripts can tell "the check ran and found gaps" from "it failed".
EXIT_LACKING = 3


@claim_filters
def check(
    ctx: typer.Context,
    claim: Annotated[
        list[str] | None, typer.Option("--claim", help="Check this claim (repeatable).", metavar="CLAIM")
    ] = None,
    minimum: Annotated[
        int | None,
        typer.Option(
            "--min",
            help="Independent origins a claim needs (default: the project setting, else 2).",
            metavar="N",
        ),
    ] = None,
    fail: Annotated[
        bool,
        typer.Option(
            "--fail", help=f"Exit with code {EXIT_LACKING} when any checked claim lacks independent sources."
        ),
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show every checked claim, not only those that fall short.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            help="Show at most N claims (the counts still cover all).",
            min=1,
            max=LARGEST_LIMIT,
        ),
    ] = None,
    *,
    filters: ClaimFilter,
    as_json: Json = False,
) -> None:
    """List the claims that lack independent sources, with their origins and the reasons, in words.

    Each backing appearance is followed upstream — through the source it took the claim from (`claim cite
    ... --via`), republished or translated documents, and copies claimtrack found — to its root, judged by the
    root's own publisher, authors and their ties. Roots tied to one another are one origin; the origin tied to
    the claimant is its own. A root with no known publisher or author, and a passage not found in its source's
    text, count for nothing.

    Every checked claim's independent-origin count is stored afterwards, for the claim_overview view; when the
    database cannot be written (read-only, or busy) the verdicts are shown all the same, with a warning.

    Example: claimtrack check --by "Amber Front" --min 2 --fail
    """
    from ..claims import find_claim
    from ..filters import ClaimFilter
    from ..independence import check as run_check
    from ..models import utcnow
    from ..unnamed import mark_all as mark_unnamed
    from ..views import ChecksNotStored, store_checks

    filtering = filters != ClaimFilter()
    started = utcnow()
    with session(ctx) as db, output.progress_bar() as progress:
        ids = [find_claim(db, ref).id for ref in claim] if claim else None
        report = run_check(
            db,
            filters if filtering else None,
            claim_ids=ids,
            threshold=minimum,
            include_all=show_all,
            limit=limit,
            progress=progress,
        )
        mark_unnamed(db, report.claims)
    if as_json:
        output.emit_json(
            {
                "checked": report.checked,
                "lacking": report.lacking,
                "threshold": report.threshold,
                "claims": report.claims,
            }
        )
    else:
        console = output.stdout()
        for record in report.claims:
            console.print(render_verdict(record))
    output.note(
        f"{report.checked:,} claim{'s' if report.checked != 1 else ''} checked, {report.lacking:,} "
        f"lack{'s' if report.lacking == 1 else ''} independent sources (threshold {report.threshold})"
    )
    try:
        # After the read transaction has ended, in a write transaction of its own: the lock is held only
        # for the writing.
        store_checks(ledger(ctx), report.counts, threshold=report.threshold, checked_at=started)
    except ChecksNotStored as exc:
        output.warn(f"the counts were not stored: {exc}")
    if fail and report.lacking:
        raise typer.Exit(EXIT_LACKING)


def render_verdict(record: VerdictRecord) -> Any:
    """One claim's verdict as a block of text for the terminal."""
    from rich.text import Text

    block = Text()
    block.append(output.inert(record["key"]), style="bold")
    block.append(f"  {output.inert(record['claimant'])}: {output.inert(record['text'])}\n")
    return block + sourcing_text(record)


def sourcing_text(record: SourcingRecord) -> Any:
    """The verdict lines: counts, credibility, publishers' grades, attribution of quotes, reasons."""
    from rich.text import Text

    block = Text()
    credibility = record["credibility"]
    verdict = "LACKS independent sources" if record["lacking"] else "enough independent sources"
    block.append(
        f"  {record['independent_origins']} independent origin(s), needs {record['threshold']}: {verdict}; "
        f"credibility {credibility['rating']} ({credibility['meaning']}: {output.inert(credibility['why'])})\n",
        style="yellow" if record["lacking"] else "green",
    )
    grades = ", ".join(f"{p['name']} {p['reliability'] or '-'}" for p in record["publishers"])
    if grades:
        block.append(f"  publishers (reliability): {output.inert(grades)}\n")
    attribution = record.get("attribution")
    if attribution:
        said = (
            "primary record: " + ", ".join(attribution["primary_sources"])
            if attribution["primary_record"]
            else "no primary record from the claimant"
        )
        block.append(
            f"  quote: {output.inert(said)}; reported by {attribution['independent_origins']} independent origin(s)\n"
        )
    for reason in record["reasons"]:
        block.append(f"  - {output.inert(reason)}\n")
    return block


def register(app: typer.Typer) -> None:
    app.command("check")(check)
