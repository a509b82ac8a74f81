"""``claimtrack claim``: logging claims, where they appear, what counters them, and their status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..text.quantities import qualifier_help
from . import output
from .options import (
    Json,
    Lacking,
    Limit,
    claim_filters,
    session,
)

if TYPE_CHECKING:
    from ..claims import Logged
    from ..filters import ClaimFilter
    from ..records import ClaimRecord, FigureRecord, QuoteRecord

app = typer.Typer(
    help="Claims: log them, cite them in sources, counter and relate them, track their status.\n\n"
    'Example: claimtrack claim add "The Front said 3,000 people were detained" --by AF --value 3000 --counted people',
    no_args_is_help=True,
)

SourceOpt = Annotated[
    str | None,
    typer.Option("--source", help="A source the claim appears in (its first appearance).", metavar="SOURCE"),
]
PassageOpt = Annotated[
    str | None, typer.Option("--passage", help="The exact words in the source; anchored in its stored text.")
]
ViaOpt = Annotated[
    str | None,
    typer.Option(
        "--via",
        help='The source this one took the claim from ("the outlet took the 1,500 from the wire"): it joins '
        "that source's origin. Any source key; it need not carry the claim.",
        metavar="OTHER",
    ),
]
LocatorOpt = Annotated[
    str | None, typer.Option("--locator", help="Where in the source: page, paragraph, timestamp.")
]
QUALIFIER_HELP = qualifier_help()
STANCES = "asserts (the claimant's own statement), reports (relays it), supports (corroborates it), disputes, refutes"


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The claim, as you state it.")],
    by: Annotated[str, typer.Option("--by", help="The entity the claim is attributed to.", metavar="ENTITY")],
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="quote, figure, event or statement (default: from the options given)."),
    ] = None,
    source: SourceOpt = None,
    passage: PassageOpt = None,
    locator: LocatorOpt = None,
    stance: Annotated[
        str | None,
        typer.Option(
            "--stance",
            help=f"What the source does with it: {STANCES}. Default: asserts when the claimant published or wrote the source, else reports.",
        ),
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="The verbatim words (makes a quote).", metavar="WORDS")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="The quote's language (e.g. fa, fr).")
    ] = None,
    translation: Annotated[
        str | None, typer.Option("--translation", help="A translation of the quote.")
    ] = None,
    said_on: Annotated[
        str | None,
        typer.Option(
            "--said-on",
            help="When the claim was made (any date; a year-less date is read against the source's date).",
            metavar="DATE",
        ),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option("--when", help="When the event it reports happened (makes an event).", metavar="DATE"),
    ] = None,
    about: Annotated[
        list[str] | None,
        typer.Option("--about", help="An entity the claim is about. Repeatable.", metavar="ENTITY"),
    ] = None,
    value: Annotated[
        str | None,
        typer.Option(
            "--value", help="A figure's value: 3000, 30,000, 1.5 million (makes a figure).", metavar="N"
        ),
    ] = None,
    low: Annotated[
        str | None, typer.Option("--low", help="The low end of a figure's range.", metavar="N")
    ] = None,
    high: Annotated[
        str | None, typer.Option("--high", help="The high end of a figure's range.", metavar="N")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="A unit, where the figure has one (km, USD).")
    ] = None,
    counted: Annotated[
        str | None,
        typer.Option("--counted", help="What is counted: deaths, members, people.", metavar="NOUN"),
    ] = None,
    qualifier: Annotated[
        str | None,
        typer.Option(
            "--qualifier",
            help=QUALIFIER_HELP,
        ),
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            help="The question the figure answers, shared by figures that should line up.",
            metavar="NAME",
        ),
    ] = None,
    via: ViaOpt = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag. Repeatable.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the claim.")] = None,
    as_json: Json = False,
) -> None:
    """Log a claim attributed to an entity; with --source, where it appears. Prints the claim's id.

    Example: claimtrack claim add "About 3,000 people were detained" --by "Amber Front" --source af-2020-01 --passage "some 3,000 people" --value 3000 --qualifier about --counted people --measure "Veloria detentions 2020"
    """
    from ..claims import add_claim

    with session(ctx, write=True) as db:
        logged = add_claim(
            db,
            text,
            by=by,
            kind=kind,
            source=source,
            passage=passage,
            locator=locator,
            stance=stance,
            via=via,
            quote=quote,
            quote_language=language,
            translation=translation,
            said_on=said_on,
            when=when,
            about=about or (),
            value=value,
            low=low,
            high=high,
            unit=unit,
            counted=counted,
            qualifier=qualifier,
            measure=measure,
            tags=tag or (),
            notes=note,
        )
        record = logged_record(db, logged)
    _announce(logged, record, "logged", as_json)


@app.command("import")
def import_csv(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="A CSV file with a header row (see the README), or - for stdin.", metavar="FILE|-"
        ),
    ],
) -> None:
    """Log claims from a spreadsheet's CSV, one per row, in one transaction: all rows or none. Columns: text,
    by (required), kind, source, passage, locator, stance, quote, language, translation, said_on, when, about,
    value, low, high, unit, counted, qualifier, measure, tags, note; several tags or about in one cell with ";".

    Prints the new claims' ids.

    Example: claimtrack claim import claims.csv
    """
    from ..claims_csv import import_claims
    from ..errors import InvalidInput
    from ..input_files import describe, read_input
    from ..settings import input_limit
    from ..text.decode import read_text

    with session(ctx) as db:
        limit = input_limit(db)
    raw = read_input(file, limit)
    try:
        data = read_text(raw, describe(file))
    except InvalidInput as exc:
        raise InvalidInput(f"{exc} (save the spreadsheet as CSV UTF-8)") from None
    with session(ctx, write=True) as db, output.progress_bar() as progress:
        keys = import_claims(db, data, progress=progress)
    for key in keys:
        typer.echo(key)
    output.done(f"logged {len(keys)} claim{'s' if len(keys) != 1 else ''}")


StanceOpt = Annotated[
    str | None,
    typer.Option(
        "--stance",
        help=f"What the source does with it: {STANCES}. Default: asserts when the claimant published or wrote the source, else reports.",
    ),
]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (kept with the change in the history).")]


@app.command("cite")
def cite(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id (or a unique start of it).", metavar="CLAIM")],
    source: Annotated[str, typer.Argument(help="The source it appears in.", metavar="SOURCE")],
    stance: StanceOpt = None,
    passage: PassageOpt = None,
    locator: LocatorOpt = None,
    via: ViaOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on this appearance.")] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", help="When correcting an appearance already logged: why (kept in the history)."
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Record that a claim appears in a source, and what the source does with it. When the claim already
    appears there, correct that appearance instead (stance, passage re-anchored, locator, via, note): what
    changes is said on stderr and kept in the history. With --via, the source it took the claim from.

    Example: claimtrack claim cite k3m9x2p daily-2 --stance reports --passage "1,500 dead, the wire said" --via wire-1
    """
    from ..corrections import cite as record_appearance

    with session(ctx, write=True) as db:
        logged = record_appearance(
            db,
            claim,
            source,
            stance=stance,
            passage=passage,
            locator=locator,
            via=via,
            note=note,
            reason=reason,
        )
        record = logged_record(db, logged)
    if logged.corrected:
        for warning in logged.warnings:
            output.warn(warning)
        for line in logged.corrected:
            output.note(line)
        if as_json:
            output.emit_json(record)
        else:
            typer.echo(record["key"])
        appearance = logged.appearance
        where = f" in {appearance.source.key!r}" if appearance is not None else ""
        output.done(f"corrected the appearance of {record['key']}{where}")
        return
    _announce(logged, record, "cited", as_json)


@app.command("uncite")
def uncite(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id (or a unique start of it).", metavar="CLAIM")],
    source: Annotated[str, typer.Argument(help="The source it was cited in.", metavar="SOURCE")],
    reason: ReasonOpt,
) -> None:
    """Withdraw an appearance logged in error: it is kept and shown as withdrawn, with the reason, and counts
    in no verdict.

    Example: claimtrack claim uncite k3m9x2p wire-1 --reason "the wire story quotes another claimant"
    """
    from ..corrections import uncite as withdraw

    with session(ctx, write=True) as db:
        withdrawn = withdraw(db, claim, source, reason=reason)
        first = withdrawn[0]
        output.done(f"withdrew the appearance of {first.claim.key} in {first.source.key!r}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id (or a unique start of it).", metavar="CLAIM")],
    reason: ReasonOpt,
    text: Annotated[str | None, typer.Option("--text", help="The claim, as you state it.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="The entity it is attributed to.", metavar="ENTITY")
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="A quote's verbatim words.", metavar="WORDS")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="A quote's language.")] = None,
    translation: Annotated[str | None, typer.Option("--translation", help="A quote's translation.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="A figure's value.", metavar="N")] = None,
    low: Annotated[
        str | None, typer.Option("--low", help="The low end of a figure's range.", metavar="N")
    ] = None,
    high: Annotated[
        str | None, typer.Option("--high", help="The high end of a figure's range.", metavar="N")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="A figure's unit.")] = None,
    counted: Annotated[str | None, typer.Option("--counted", help="What is counted.", metavar="NOUN")] = None,
    qualifier: Annotated[str | None, typer.Option("--qualifier", help=QUALIFIER_HELP)] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", help="The question the figure answers.", metavar="NAME")
    ] = None,
    said_on: Annotated[
        str | None, typer.Option("--said-on", help="When the claim was made.", metavar="DATE")
    ] = None,
    when: Annotated[
        str | None, typer.Option("--when", help="When the event it reports happened.", metavar="DATE")
    ] = None,
    about: Annotated[
        list[str] | None, typer.Option("--about", help="An entity it is about. Repeatable.", metavar="ENTITY")
    ] = None,
    no_about: Annotated[
        list[str] | None,
        typer.Option("--no-about", help="An entity it is not about after all. Repeatable.", metavar="ENTITY"),
    ] = None,
) -> None:
    """Correct a claim, with a reason: the history keeps each field's before and after with it. An empty
    value clears an optional field (--unit ""). Stored verdicts and the search index follow at once.

    Example: claimtrack claim edit k3m9x2p --said-on 2020-01-09 --value 3,500 --reason "the transcript gives 9 January and 3,500"
    """
    from ..corrections import edit_claim

    with session(ctx, write=True) as db:
        corrected = edit_claim(
            db,
            claim,
            reason=reason,
            text=text,
            by=by,
            quote=quote,
            language=language,
            translation=translation,
            value=value,
            low=low,
            high=high,
            unit=unit,
            counted=counted,
            qualifier=qualifier,
            measure=measure,
            said_on=said_on,
            when=when,
            about=about or (),
            no_about=no_about or (),
        )
    _said(corrected)


def _said(corrected: Any) -> None:
    for warning in corrected.warnings:
        output.warn(warning)
    for line in corrected.lines():
        output.note(line)
    output.done(f"corrected {corrected.record}")


@app.command("tag")
def tag(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id (or a unique start of it).", metavar="CLAIM")],
    tags: Annotated[list[str], typer.Argument(help="One or more tags.", metavar="TAG...")],
    remove: Annotated[bool, typer.Option("--remove", help="Take these tags off instead.")] = False,
) -> None:
    """Tag a claim after the fact (new tags are made as needed), or take tags off with --remove.

    Example: claimtrack claim tag k3m9x2p detentions port-selden-2020
    """
    from ..corrections import tag_claim

    with session(ctx, write=True) as db:
        found, changed = tag_claim(db, claim, tags, remove=remove)
        verb = "untagged" if remove else "tagged"
        output.done(f"{verb} {found.key}: " + ", ".join(changed))


@app.command("merge")
def merge(
    ctx: typer.Context,
    duplicate: Annotated[
        str, typer.Argument(help="The claim logged twice, to merge away.", metavar="DUPLICATE")
    ],
    keep: Annotated[str, typer.Argument(help="The claim to keep.", metavar="KEEP")],
    reason: ReasonOpt,
) -> None:
    """Merge a claim logged twice into the one to keep, in one transaction and one history entry: its
    appearances, relations, tags and subjects move; the duplicate becomes superseded, same-as the one kept.

    Example: claimtrack claim merge p9x2m4k k3m9x2p --reason "the same statement, logged from two extractions"
    """
    from ..corrections import merge_claims

    with session(ctx, write=True) as db:
        merged = merge_claims(db, duplicate, keep, reason=reason)
    _merged(merged, "claim")


def _merged(merged: Any, what: str) -> None:
    for warning in merged.warnings:
        output.warn(warning)
    moved = ", ".join(f"{count} {name}" for name, count in merged.moved.items()) or "nothing to move"
    output.done(f"merged {what} {merged.duplicate!r} into {merged.keep!r}: {moved}")


@app.command("counter")
def counter(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim being answered.", metavar="CLAIM")],
    text: Annotated[str, typer.Argument(help="The counter-statement, as you state it.")],
    by: Annotated[str, typer.Option("--by", help="Who makes the counter-statement.", metavar="ENTITY")],
    kind: Annotated[
        str, typer.Option("--as", help="denies, rebuts, contradicts, corrects or retracts.", metavar="KIND")
    ],
    source: SourceOpt = None,
    passage: PassageOpt = None,
    locator: LocatorOpt = None,
    quote: Annotated[
        str | None,
        typer.Option(
            "--quote", help="The counter-statement's verbatim words (makes it a quote).", metavar="WORDS"
        ),
    ] = None,
    said_on: Annotated[
        str | None, typer.Option("--said-on", help="When it was made.", metavar="DATE")
    ] = None,
    as_json: Json = False,
) -> None:
    """Log a denial, rebuttal, contradiction, correction or retraction of a claim, as a claim of its own.

    Example: claimtrack claim counter k3m9x2p "The ministry denied any detentions" --by "Veloria Interior Ministry" --as denies --source vim-2020-01
    """
    from ..claims import counter as record_counter

    with session(ctx, write=True) as db:
        logged = record_counter(
            db,
            claim,
            text,
            by=by,
            kind=kind,
            source=source,
            passage=passage,
            locator=locator,
            said_on=said_on,
            quote=quote,
        )
        record = logged_record(db, logged)
    _announce(logged, record, "logged", as_json)


@app.command("relate")
def relate(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim the relation starts from.", metavar="CLAIM")],
    other: Annotated[str, typer.Argument(help="The claim it bears on.", metavar="OTHER")],
    kind: Annotated[
        str,
        typer.Option(
            "--as",
            help="Read as CLAIM <kind> OTHER: denies, rebuts, contradicts, corrects, retracts, supports, same-as.",
            metavar="KIND",
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", help="A note on the relation.")] = None,
) -> None:
    """Record how one claim bears on another (both already logged).

    Example: claimtrack claim relate p9x2m4k k3m9x2p --as contradicts
    """
    from ..claims import relate as record_relation

    with session(ctx, write=True) as db:
        relation = record_relation(db, claim, other, kind, note)
        output.done(f"recorded: {relation.claim.key} {relation.kind} {relation.other.key}")


@app.command("status")
def status(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim.", metavar="CLAIM")],
    new_status: Annotated[
        str,
        typer.Argument(
            help="unverified, corroborated, disputed, refuted, retracted or superseded.", metavar="STATUS"
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the claim's history).")],
) -> None:
    """Change a claim's status, with a reason. Claims are never deleted; a wrong one is deprecated.

    Example: claimtrack claim status k3m9x2p disputed --reason "the ministry denies it (p9x2m4k)"
    """
    from ..claims import set_status

    with session(ctx, write=True) as db:
        change = set_status(db, claim, new_status, reason)
        output.done(f"claim {change.claim.key}: {change.old_status} → {change.new_status}")


@app.command("list")
@claim_filters
def list_(
    ctx: typer.Context,
    *,
    filters: ClaimFilter,
    lacking: Lacking = False,
    limit: Limit = None,
    as_json: Json = False,
) -> None:
    """List claims in date order, with claimant, status and number of sources.

    Example: claimtrack claim list --by "Amber Front" --kind figure --from 2019 --to 2020
    """
    from ..claim_records import list_claims

    with session(ctx) as db:
        rows = list_claims(db, filters, limit=limit, lacking=lacking)
    output.emit_rows(
        rows if as_json else output.with_figures(rows),
        [
            ("key", "id"),
            ("kind", "kind"),
            ("claimant", "by"),
            ("shown", "claim"),
            ("date", "date"),
            ("status", "status"),
            ("sources", "sources"),
        ],
        as_json=as_json,
        empty="no claims match",
    )


@app.command("show")
def show(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id (or a unique start of it).", metavar="CLAIM")],
    as_json: Json = False,
) -> None:
    """Show everything about a claim: fields, appearances with passages, relations both ways, status history.

    Example: claimtrack claim show k3m9x2p --json
    """
    from ..claim_records import claim_record
    from ..claims import find_claim

    with session(ctx) as db:
        record = claim_record(db, find_claim(db, claim))
    output.emit_record(record, render_claim, as_json=as_json)


def logged_record(db: Any, logged: Logged) -> ClaimRecord:
    from ..claim_records import claim_record

    record = claim_record(db, logged.claim)
    record["warnings"] = list(logged.warnings)
    return record


def _announce(logged: Logged, record: ClaimRecord, verb: str, as_json: bool) -> None:
    for warning in logged.warnings:
        output.warn(warning)
    if as_json:
        output.emit_json(record)
        return
    typer.echo(record["key"])
    appearance = logged.appearance
    where = f" in {appearance.source.key!r} ({appearance.stance})" if appearance is not None else ""
    output.done(f"{verb} {record['kind']} {record['key']} by {record['claimant']}{where}")


def render_claim(record: ClaimRecord) -> None:
    console = output.stdout()
    quote: QuoteRecord | dict[str, None] = record["quote"] or {}
    figure: FigureRecord | dict[str, None] = record["figure"] or {}
    console.print(
        output.fields(
            [
                ("claim", record["key"]),
                ("kind", record["kind"]),
                ("text", record["text"]),
                ("by", record["claimant"]),
                ("said on", record["said_on"]["display"] if record["said_on"] else None),
                ("when", record["when"]["display"] if record["when"] else None),
                ("words", quote.get("words")),
                ("language", quote.get("language")),
                ("translation", quote.get("translation")),
                ("figure", figure.get("text")),
                ("measure", figure.get("measure")),
                ("about", record["about"]),
                ("tags", record["tags"]),
                ("status", record["status"]),
                ("notes", record["notes"]),
            ]
        )
    )
    if record["appearances"]:
        rows = []
        for appearance in record["appearances"]:
            anchor = appearance["anchor"]
            rows.append(
                {
                    **appearance,
                    "anchored": {
                        "exact": f"at {anchor['start']}-{anchor['end']}",
                        "normalised": f"at {anchor['start']}-{anchor['end']} (spacing/quotes differ)",
                        "not-found": "NOT FOUND in the stored text",
                    }.get(anchor["status"], "")
                    if anchor
                    else "",
                    "standing": f"WITHDRAWN: {appearance['withdrawn']['reason']}"
                    if appearance["withdrawn"]
                    else "",
                }
            )
        columns = [
            ("source", "source"),
            ("publisher", "publisher"),
            ("stance", "stance"),
            ("via", "via"),
            ("passage", "passage"),
            ("locator", "where"),
            ("anchored", "anchor"),
        ]
        if any(row["note"] for row in rows):
            columns.append(("note", "note"))
        if any(row["standing"] for row in rows):
            columns.append(("standing", "withdrawn (counts in no verdict)"))
        console.print(output.table(rows, columns, title="Appearances"))
    if record["relations"]:
        rows = [{"kind": relation["kind"], **relation["claim"]} for relation in record["relations"]]
        console.print(
            output.table(
                rows,
                [("kind", "relation"), ("key", "claim"), ("claimant", "by"), ("text", "text")],
                title="Relations",
            )
        )
    if record.get("sourcing"):
        from rich.text import Text

        from .check import sourcing_text

        console.print(Text("Sourcing", style="italic"))
        console.print(sourcing_text(record["sourcing"]))
    console.print(
        output.table(
            record["status_history"],
            [("at", "when (UTC)"), ("from", "from"), ("to", "to"), ("reason", "reason"), ("by", "by")],
            title="Status history",
        )
    )
