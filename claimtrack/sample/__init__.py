"""The bundled sample investigation: an invented security operation in an invented country.

Everything here is fictional — Veloria, Port Selden, the Amber Front and every person and outlet — and made to
show each thing claimtrack records: a quote reported by its speaker's adversary and by the speaker's own
state media, conflicting figures for the same measure from different claimants (one approximate, one a
range), a year-less date read against its source's publication date, a decade-precision event, a denial, a
republished wire story, a wire story reprinted without a link (a copy claimtrack finds), an outlet that took a
figure from the claimant's own site (a via), and a status change with its reason. Its history shows the
record corrected: a figure mistyped and then edited, and a news agency entered twice under two spellings and
then merged, each with its reason. It takes no side: each party's words are recorded as that party's claims.

Run ``python -m claimtrack.sample FILE`` to create FILE and load it (what ``make demo`` does).
"""

from __future__ import annotations

from importlib import resources

from sqlalchemy.orm import Session

from ..claims import add_claim, counter, relate, set_status
from ..corrections import cite, edit_claim, merge_entities
from ..entities import add_entity, affiliate, grade
from ..sources import add_source

DETAINED = "Port Selden operation, January 2020: people detained"
DEATHS = "Port Selden operation, January 2020: deaths in custody"
TAG = "port-selden-2020"


def source_text(name: str) -> str:
    return (resources.files(__package__) / "sources" / f"{name}.txt").read_text(encoding="utf-8")


def load(session: Session) -> dict[str, str]:
    """Load the sample into an empty ledger; returns the claim ids by a short label."""
    entities = [
        ("Amber Front", "organization", ["AF", "The Amber Front"], "An opposition movement in Veloria."),
        ("Amber Voice", "media", [], "A news site run by the Amber Front."),
        ("Dana Okoro", "person", [], "Spokesperson of the Amber Front."),
        ("Government of Veloria", "government", ["Veloria"], None),
        ("Veloria Interior Ministry", "government", ["Ministry of the Interior of Veloria", "VIM"], None),
        ("Ilan Verhoef", "person", ["Minister Verhoef"], "Interior Minister of Veloria."),
        ("Veloria State Broadcaster", "media", ["VSB"], "The state broadcaster."),
        ("Harbor Wire", "media", [], "A news agency."),
        # Entered a second time under the British spelling; merged into "Harbor Wire" below.
        ("Harbour Wire", "media", [], None),
        ("Port Selden Daily", "media", [], "A local newspaper."),
        ("Coastal Rights Watch", "organization", ["CRW"], "A human-rights organisation."),
        ("Veloria Today", "media", [], "A national newspaper."),
    ]
    for name, kind, aliases, description in entities:
        add_entity(session, name, kind=kind, aliases=aliases, description=description)

    affiliate(session, "Amber Voice", "Amber Front", kind="part-of", since="2012")
    affiliate(session, "Dana Okoro", "Amber Front", kind="speaks-for", since="2017")
    affiliate(session, "Veloria Interior Ministry", "Government of Veloria", kind="part-of")
    affiliate(session, "Ilan Verhoef", "Veloria Interior Ministry", kind="leads", since="2018-03")
    affiliate(session, "Veloria State Broadcaster", "Government of Veloria", kind="state-media-of")
    affiliate(session, "Amber Front", "Government of Veloria", kind="adversary-of")
    grade(session, "Harbor Wire", "B", "A wire service that publishes corrections.")
    grade(session, "Amber Voice", "D", "Party outlet; figures rarely sourced.")
    grade(session, "Veloria State Broadcaster", "D", "State outlet; opposition views rarely carried.")

    documents = [
        (
            "av-2020-01-10",
            "amber-voice-2020-01-10",
            "Port Selden operation: Front counts thousands detained",
            "article",
            "Amber Voice",
            "2020-01-10",
        ),
        (
            "vsb-2020-01-09",
            "vsb-2020-01-09",
            "Evening bulletin, 9 January 2020",
            "transcript",
            "Veloria State Broadcaster",
            "2020-01-09",
        ),
        (
            "vim-2020-01-11",
            "interior-ministry-2020-01-11",
            "Press release on the Port Selden operation",
            "press-release",
            "Veloria Interior Ministry",
            "2020-01-11",
        ),
        (
            "hw-2020-01-12",
            "harbor-wire-2020-01-12",
            "Security operation in Port Selden",
            "article",
            "Harbor Wire",
            "2020-01-12",
        ),
        (
            "psd-2020-01-12",
            "port-selden-daily-2020-01-12",
            "Security operation in Port Selden",
            "article",
            "Port Selden Daily",
            "2020-01-12",
        ),
        (
            "crw-2020-02",
            "coastal-rights-watch-2020-02",
            "Detentions in Port Selden, January 2020",
            "report",
            "Coastal Rights Watch",
            "2020-02",
        ),
        (
            "vt-2020-01-13",
            "veloria-today-2020-01-13",
            "Harbour district still sealed off",
            "article",
            "Veloria Today",
            "2020-01-13",
        ),
    ]
    for key, file, title, kind, publisher, published in documents:
        add_source(
            session,
            key=key,
            title=title,
            kind=kind,
            publisher=publisher,
            published=published,
            language="en",
            text=source_text(file),
            url=f"https://example.org/sample/{file}",
        )
    from ..sources import link_sources

    link_sources(session, "psd-2020-01-12", "republishes", "hw-2020-01-12")

    ids: dict[str, str] = {}
    ids["quote"] = add_claim(
        session,
        "The Interior Minister said the security operation would continue until every cell is dismantled",
        by="Ilan Verhoef",
        quote="The security operation will continue until every cell is dismantled.",
        said_on="Wednesday, January 8",
        source="av-2020-01-10",
        stance="reports",
        about=["Amber Front"],
        tags=[TAG],
    ).claim.key
    cite(
        session,
        ids["quote"],
        "vsb-2020-01-09",
        stance="asserts",
        passage="The security operation will continue until every cell is dismantled.",
    )
    cite(
        session,
        ids["quote"],
        "hw-2020-01-12",
        stance="reports",
        passage='the operation would continue "until every cell is dismantled"',
    )

    ids["detained-af"] = add_claim(
        session,
        "About 3,000 Amber Front members and supporters were detained in the first two days",
        by="Amber Front",
        source="av-2020-01-10",
        passage="about 3,000 of its members and supporters were detained",
        value="3,000",
        qualifier="about",
        counted="people detained",
        measure=DETAINED,
        when="January 2020",
        tags=[TAG],
    ).claim.key
    cite(
        session,
        ids["detained-af"],
        "hw-2020-01-12",
        stance="reports",
        passage="said some 3,000 people had been detained",
    )
    # Veloria Today reprints the wire's story (no link logged: claimtrack finds the copy), so its 3,000 is the
    # wire's report again, not a new origin.
    cite(
        session,
        ids["detained-af"],
        "vt-2020-01-13",
        stance="reports",
        passage="said some 3,000 people had been detained",
    )
    ids["detained-vim"] = add_claim(
        session,
        "Fewer than 400 persons were taken into custody during the operation",
        by="Veloria Interior Ministry",
        source="vim-2020-01-11",
        passage="Fewer than 400 persons were taken into custody during the operation of 8 January",
        value="400",
        qualifier="fewer-than",
        counted="people detained",
        measure=DETAINED,
        when="January 2020",
        tags=[TAG],
    ).claim.key
    cite(
        session,
        ids["detained-vim"],
        "hw-2020-01-12",
        stance="reports",
        passage="The interior ministry put the number at fewer than 400.",
    )
    ids["detained-crw"] = add_claim(
        session,
        "Between 1,100 and 1,400 people were detained in Port Selden between 8 and 10 January 2020",
        by="Coastal Rights Watch",
        source="crw-2020-02",
        passage="between 1,100 and 1,400 people were detained in Port Selden between 8 and 10 January 2020",
        low="1,100",
        high="1,300",  # mistyped: corrected below, with the reason, in the history
        counted="people detained",
        measure=DETAINED,
        when="2020-01-08/2020-01-10",
        said_on="February 2020",
        tags=[TAG],
    ).claim.key
    relate(session, ids["detained-vim"], ids["detained-af"], "contradicts")

    ids["deaths-af"] = add_claim(
        session,
        "At least 40 detainees have died in custody",
        by="Amber Front",
        source="av-2020-01-10",
        passage="at least 40 detainees have died in custody",
        value="40",
        qualifier="at-least",
        counted="deaths in custody",
        measure=DEATHS,
        said_on="2020-01-10",
        tags=[TAG],
    ).claim.key
    # Veloria Today took the figure from the Front's own site: it stays the Front's own origin.
    cite(
        session,
        ids["deaths-af"],
        "vt-2020-01-13",
        stance="reports",
        passage="at least 40 detainees have died in custody",
        via="av-2020-01-10",
    )
    ids["deaths-vim"] = add_claim(
        session,
        "Two detainees died in custody, both of natural causes",
        by="Veloria Interior Ministry",
        source="vim-2020-01-11",
        passage="Two detainees died in custody, both of natural causes",
        value="2",
        counted="deaths in custody",
        measure=DEATHS,
        said_on="2020-01-11",
        tags=[TAG],
    ).claim.key
    relate(session, ids["deaths-vim"], ids["deaths-af"], "contradicts")

    ids["torture"] = add_claim(
        session,
        "Detainees were tortured during interrogation",
        by="Amber Front",
        source="av-2020-01-10",
        passage="detainees were tortured during interrogation",
        about=["Veloria Interior Ministry"],
        said_on="2020-01-10",
        tags=[TAG],
    ).claim.key
    ids["denial"] = counter(
        session,
        ids["torture"],
        "Allegations of torture are unfounded",
        by="Veloria Interior Ministry",
        kind="denies",
        source="vim-2020-01-11",
        passage="Allegations of torture are unfounded.",
        said_on="2020-01-11",
    ).claim.key

    ids["operation"] = add_claim(
        session,
        "Security forces began an operation in Port Selden's harbour district",
        by="Harbour Wire",
        when="January 8, 2020",
        source="hw-2020-01-12",
        stance="asserts",
        passage="Security forces began an operation in Port Selden's harbour district on January 8, 2020",
        tags=[TAG],
    ).claim.key
    cite(
        session,
        ids["operation"],
        "psd-2020-01-12",
        stance="reports",
        passage="Security forces began an operation in Port Selden's harbour district on January 8, 2020",
    )
    ids["barred"] = add_claim(
        session,
        "The Amber Front has been barred from every election since the 1980s",
        by="Dana Okoro",
        when="the 1980s",
        source="av-2020-01-10",
        passage="We have been barred from every election since the 1980s",
        about=["Amber Front", "Government of Veloria"],
        tags=[TAG],
    ).claim.key

    edit_claim(
        session,
        ids["detained-crw"],
        high="1,400",
        reason="The report gives 1,400 as the upper end; 1,300 was a typing error.",
    )
    merge_entities(
        session,
        "Harbour Wire",
        "Harbor Wire",
        reason="The same news agency, entered a second time under the British spelling.",
    )

    set_status(
        session,
        ids["detained-af"],
        "disputed",
        "The Interior Ministry gives fewer than 400; Coastal Rights Watch estimates 1,100-1,400.",
    )
    return ids


def main(argv: list[str] | None = None) -> int:
    import sys

    from ..cli import output
    from ..db import open_ledger
    from ..errors import ClaimtrackError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        output.error("usage: python -m claimtrack.sample FILE")
        return 2
    ledger = open_ledger(args[0])
    try:
        ledger.upgrade()
        with ledger.session(write=True) as session:
            from sqlalchemy import func, select

            from ..models import Entity

            if session.scalar(select(func.count()).select_from(Entity)):
                output.error(f"{ledger.describe()} already holds records; load the sample into a new file")
                return 1
            ids = load(session)
    except ClaimtrackError as exc:
        output.error(str(exc))
        return 1
    output.done(f"loaded the sample investigation ({len(ids)} claims) into {ledger.describe()}")
    return 0
