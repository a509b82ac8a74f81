"""``claimtrack entity``: the people, organisations, governments and media that claims come from."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from . import output
from .options import Json, session

app = typer.Typer(
    help="People, organisations, governments and media, their aliases, ties and reliability.\n\n"
    'Example: claimtrack entity add "Amber Front" --alias AF',
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity's name.")],
    kind: Annotated[
        str, typer.Option("--kind", help="person, organization, government, media or other.")
    ] = "organization",
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", help="Another name: acronym, transliteration, former name. Repeatable."),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="A short neutral description.")
    ] = None,
) -> None:
    """Record a person, organisation, government body or media outlet.

    Example: claimtrack entity add "Amber Front" --kind organization --alias AF --alias "Front ambre"
    """
    from ..entities import add_entity, look_alikes

    with session(ctx, write=True) as db:
        entity = add_entity(db, name, kind=kind, aliases=alias or (), description=description)
        similar = look_alikes(db, entity, [entity.name, *(alias or ())])
    output.done(f"added {entity.kind} {entity.name!r}")
    _warn_look_alikes(similar)


def _warn_look_alikes(similar: list[tuple[str, str, str]]) -> None:
    from ..names import differing_characters

    for name, other, alias in similar:
        called = "" if alias == other else f" (named {alias!r})"
        output.warn(
            f"{name!r} looks like the entity {other!r}{called} but is written with other characters "
            f"({differing_characters(name, alias)}); check that they are not one entity"
        )


@app.command("alias")
def alias(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="The entity, by name or alias.", metavar="ENTITY")],
    aliases: Annotated[list[str], typer.Argument(help="One or more other names.", metavar="ALIAS...")],
) -> None:
    """Give an entity more names; any of them finds it, ignoring case, accents and punctuation.

    Example: claimtrack entity alias "Amber Front" AF "A.F."
    """
    from ..entities import add_aliases, look_alikes

    with session(ctx, write=True) as db:
        found, added = add_aliases(db, entity, aliases)
        similar = look_alikes(db, found, added)
    if added:
        output.done(f"{found.name!r} is also known as: " + ", ".join(repr(a) for a in added))
    else:
        output.note(f"{found.name!r} already had those names")
    _warn_look_alikes(similar)


@app.command("affiliate")
def affiliate(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="The entity the tie starts from.", metavar="ENTITY")],
    other: Annotated[str, typer.Argument(help="The entity it is tied to.", metavar="OTHER")],
    kind: Annotated[
        str,
        typer.Option(
            "--as",
            help="The tie, read as ENTITY <kind> OTHER: member-of, part-of, leads, speaks-for, controlled-by, funded-by, employed-by, allied-with, state-media-of, adversary-of.",
            metavar="KIND",
        ),
    ],
    since: Annotated[
        str | None, typer.Option("--since", help="When the tie began (any date).", metavar="DATE")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="When the tie ended (any date).", metavar="DATE")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="The source that documents the tie.", metavar="SOURCE")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the tie.")] = None,
) -> None:
    """Record a tie between two entities. Ties (except adversary-of) break independence.

    Example: claimtrack entity affiliate "Amber Voice" "Amber Front" --as part-of --since 2015
    """
    from ..entities import affiliate as record_tie

    with session(ctx, write=True) as db:
        tie = record_tie(db, entity, other, kind=kind, since=since, until=until, source_key=source, note=note)
        span = ""
        if tie.since_edtf or tie.until_edtf:
            span = f" ({tie.since_edtf or '…'} to {tie.until_edtf or '…'})"
        output.done(f"recorded: {tie.entity.name} {tie.kind} {tie.other.name}{span}")


@app.command("grade")
def grade(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="The entity, by name or alias.", metavar="ENTITY")],
    reliability: Annotated[
        str,
        typer.Argument(
            help="Admiralty grade: A completely reliable, B usually, C fairly, D not usually, E unreliable, F cannot be judged.",
            metavar="A|B|C|D|E|F",
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", help="Why this grade.")] = None,
) -> None:
    """Grade an entity's reliability as a source on the Admiralty scale (A to F).

    Example: claimtrack entity grade "Harbor Wire" B --note "wire service; corrections published"
    """
    from ..entities import grade as set_grade
    from ..vocab import GRADE_MEANING, Grade

    with session(ctx, write=True) as db:
        found = set_grade(db, entity, reliability, note)
        meaning = GRADE_MEANING[Grade(reliability.upper())]
        output.done(f"{found.name!r} graded {found.reliability} ({meaning})")


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="Only entities of this kind.")] = None,
    as_json: Json = False,
) -> None:
    """List entities with their aliases, grade and number of claims.

    Example: claimtrack entity list --kind media
    """
    from ..entities import list_entities

    with session(ctx) as db:
        rows = list_entities(db, kind=kind)
    output.emit_rows(
        rows,
        [
            ("name", "name"),
            ("kind", "kind"),
            ("aliases", "aliases"),
            ("reliability", "grade"),
            ("claims", "claims"),
        ],
        as_json=as_json,
        empty="no entities yet: add one with `claimtrack entity add NAME`",
    )


@app.command("show")
def show(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="The entity, by name or alias.", metavar="ENTITY")],
    as_json: Json = False,
) -> None:
    """Show one entity: names, grade, ties both ways, claims made and sources published.

    Example: claimtrack entity show AF
    """
    from ..entities import entity_record, find_entity

    with session(ctx) as db:
        record = entity_record(db, find_entity(db, entity))
    output.emit_record(record, _render, as_json=as_json)


def _render(record: dict[str, Any]) -> None:
    console = output.stdout()
    grade_text = None
    if record["reliability"]:
        grade_text = f"{record['reliability']} ({record['reliability_meaning']})"
        if record["reliability_note"]:
            grade_text += f": {record['reliability_note']}"
    console.print(
        output.fields(
            [
                ("name", record["name"]),
                ("kind", record["kind"]),
                ("aliases", record["aliases"]),
                ("description", record["description"]),
                ("reliability", grade_text),
                ("claims made", record["claims"]),
                ("publishes", record["sources_published"]),
            ]
        )
    )
    if record["affiliations"]:
        rows = [
            {
                **tie,
                "span": f"{tie['since'] or '…'} to {tie['until'] or '…'}"
                if tie["since"] or tie["until"]
                else "",
            }
            for tie in record["affiliations"]
        ]
        console.print(
            output.table(
                rows,
                [
                    ("entity", "entity"),
                    ("kind", "tie"),
                    ("other", "other"),
                    ("span", "when"),
                    ("source", "source"),
                    ("note", "note"),
                ],
                title="Ties",
            )
        )
