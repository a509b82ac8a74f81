"""``claimtrack extract``: candidate claims found in a source's text, reviewed one at a time."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import output
from .options import Json, ledger, session

if TYPE_CHECKING:
    from ..review import Proposal


def extract(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source whose stored text to read.", metavar="SOURCE")],
    accept_all: Annotated[
        bool,
        typer.Option(
            "--accept-all",
            help="Log every pending candidate whose speaker is a known entity (for scripts); a candidate "
            "with an unknown speaker is never logged, one the ledger already holds is cited.",
        ),
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="With --json: list candidates already decided too.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Propose the quotes, figures and dates in a source's text as candidate claims, each with its speaker.

    The speaker is the one the sentence names ("X said", "according to X", "X's count", "a report by X"),
    resolved to a known entity by name, alias or a unique part of a name; the publisher only for the
    document's own voice; unknown when nobody is named. A candidate the ledger already holds (same claimant,
    same words or figure) is offered as a citation of that claim. On a terminal, review them one at a time:
    the speaker first (confirm it with y or type another: Enter alone confirms nothing), then accept, edit,
    skip, or quit and resume later. --json lists the candidates and writes nothing; --accept-all logs them.

    Example: claimtrack extract hw-2020-01-12 --json
    """
    from ..errors import InvalidInput
    from ..review import accept, proposals

    if as_json:
        with session(ctx) as db:
            _source, pending = proposals(db, source, include_decided=show_all)
            output.emit_json([proposal.record() for proposal in pending])
        return
    if accept_all:
        logged = skipped = cited = 0
        with session(ctx, write=True) as db:
            found, pending = proposals(db, source)
            for proposal in pending:
                if proposal.claimant is None:
                    skipped += 1
                    output.warn(
                        f"candidate {proposal.number} ({proposal.candidate.kind}) left for review: "
                        + _why_unknown(proposal)
                    )
                    continue
                result = accept(db, found, proposal)
                for warning in result.warnings:
                    output.warn(warning)
                typer.echo(result.claim.key)
                if result.claim.key == proposal.cites:
                    cited += 1
                else:
                    logged += 1
        output.note(
            f"{logged} candidate{'s' if logged != 1 else ''} logged, {cited} cited, {skipped} left for review"
        )
        return
    if not sys.stdin.isatty():
        raise InvalidInput("reviewing candidates needs a terminal; use --json to list them or --accept-all")
    _review(ctx, source)


def _describe(proposal: Proposal, text: str) -> Any:
    from rich.panel import Panel
    from rich.text import Text

    candidate = proposal.candidate
    body = Text()
    # Who says it comes first: it is what the researcher must confirm before anything is logged.
    body.append("speaker: ", style="bold")
    body.append(output.inert(_speaker(proposal)) + "\n\n", style="bold yellow")
    before = text[max(0, candidate.start - 120) : candidate.start]
    after = text[candidate.end : candidate.end + 120]
    body.append("…" + output.inert(before), style="dim")
    body.append(output.inert(candidate.passage), style="bold")
    body.append(output.inert(after) + "…\n\n", style="dim")
    details = [("claim", candidate.text)]
    if proposal.cites:
        details.append(("cites", f"{proposal.cites} (the ledger holds this claim: accepting cites it)"))
    if proposal.measure:
        details.append(("measure", proposal.measure))
    if candidate.quote:
        details.append(("words", candidate.quote))
    if candidate.kind == "figure":
        number = candidate.value if candidate.value is not None else f"{candidate.low}-{candidate.high}"
        details.append(("figure", f"{candidate.qualifier or ''} {number} {candidate.counted or ''}".strip()))
    if candidate.date:
        details.append(("date", candidate.date))
    if candidate.note:
        details.append(("note", candidate.note))
    for label, value in details:
        body.append(f"{label}: ", style="bold")
        body.append(output.inert(value) + "\n")
    return Panel(body, title=f"candidate {proposal.number}: {candidate.kind}", title_align="left")


def _why_unknown(proposal: Proposal) -> str:
    candidate = proposal.candidate
    if candidate.speaker:
        return f"its speaker {candidate.speaker!r} is not a known entity"
    if candidate.attribution == "publisher":
        return "it is the document's own voice, and the source has no publisher"
    return "nobody is named as its speaker"


def _speaker(proposal: Proposal) -> str:
    """Who the candidate would be logged under, and how that was found."""
    candidate = proposal.candidate
    if proposal.claimant is None:
        return f"unknown ({_why_unknown(proposal)})"
    how = {"publisher": "the document's own voice", "text": f"named as {candidate.speaker!r}"}
    return f"{proposal.claimant} -- {how.get(candidate.attribution or '', 'named')}"


def _confirm_speaker(console: Any, proposal: Proposal) -> str | None:
    """The speaker confirmed or changed by the researcher; None to skip. Enter alone confirms nothing."""
    from rich.prompt import Prompt

    while True:
        if proposal.claimant:
            question = f"speaker: y = confirm {proposal.claimant!r}, or type another name (s = skip)"
        else:
            question = "speaker unknown: type who says it (s = skip)"
        answer = Prompt.ask(question, console=console).strip()
        if answer == "s":
            return None
        if answer == "y" and proposal.claimant:
            return proposal.claimant
        if answer and answer not in ("y", "q"):
            return answer
        if answer == "q":
            raise typer.Exit(0)
        console.print("a speaker must be confirmed (y) or named: Enter alone does not confirm one")


def _review(ctx: typer.Context, source: str) -> None:
    from rich.prompt import Prompt

    from ..errors import ClaimtrackError
    from ..review import accept, proposals, skip

    console = output.stderr()
    with session(ctx) as db:
        found, pending = proposals(db, source)
        text = found.text or ""
    if not pending:
        output.note(f"no candidates left to review in {source!r}")
        return
    target = ledger(ctx)
    done = 0
    for proposal in pending:
        console.print(_describe(proposal, text))
        changes: dict[str, Any] = {}
        try:
            speaker = _confirm_speaker(console, proposal)
        except typer.Exit:
            output.note(f"{done} decided; run the same command to resume")
            return
        if speaker is None:
            with target.session(write=True) as db:
                skip(db, db.merge(found), proposal)
            output.note("skipped")
            done += 1
            continue
        changes["by"] = speaker
        while True:
            choice = Prompt.ask(
                "a = accept, e = edit, s = skip, q = quit",
                choices=["a", "e", "s", "q"],
                default="a",
                console=console,
            )
            if choice == "q":
                output.note(f"{done} decided; run the same command to resume")
                return
            if choice == "e":
                changes = _edit(console, proposal, changes)
                continue
            try:
                # Each decision in its own transaction: quitting or a crash keeps what was decided.
                with target.session(write=True) as db:
                    current = db.merge(found)
                    if choice == "s":
                        skip(db, current, proposal)
                        output.note("skipped")
                    else:
                        logged = accept(db, current, proposal, **changes)
                        for warning in logged.warnings:
                            output.warn(warning)
                        verb = "cited" if logged.claim.key == proposal.cites else "logged"
                        output.done(f"{verb} {logged.claim.kind} {logged.claim.key}")
                done += 1
                break
            except ClaimtrackError as exc:
                output.error(str(exc))
    output.note(f"all {done} candidates decided")


def _edit(console: Any, proposal: Proposal, changes: dict[str, Any]) -> dict[str, Any]:
    from rich.prompt import Prompt

    from ..text.quantities import parse_number

    candidate = proposal.candidate
    kind = Prompt.ask(
        "kind", choices=["quote", "figure", "event", "statement"], default=candidate.kind, console=console
    )
    by = Prompt.ask("claimant", default=changes.get("by") or proposal.claimant or "", console=console)
    updated = {**changes, "kind": kind, "by": by or None}
    if kind == "figure":
        value = Prompt.ask("value (or low-high)", default=str(candidate.value or ""), console=console)
        if "-" in value.strip("-"):
            low, high = value.split("-", 1)
            updated.update(value=None, low=parse_number(low), high=parse_number(high))
        elif value:
            updated.update(value=parse_number(value), low=None, high=None)
        updated["qualifier"] = (
            Prompt.ask("qualifier", default=candidate.qualifier or "", console=console) or None
        )
        updated["counted"] = (
            Prompt.ask("what is counted", default=candidate.counted or "", console=console) or None
        )
    return updated


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
