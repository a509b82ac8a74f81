"""Who said it: the speaker of a quote or figure is the one the sentence names, resolved to known entities.

Each pattern of issue 15 is a case here. The ledger is a small list of invented entities; the publisher is the
speaker only for the document's own voice, and nobody is the speaker when nobody is named.
"""

from __future__ import annotations

import datetime

import pytest

from claimtrack.text.extract import Candidate, extract, name_resolver

ENTITIES = [
    ("Kestrel Institute", []),
    ("Mara Tessel", []),
    ("Ilan Verhoef", []),
    ("Ministry of the Interior", ["interior ministry"]),
    ("Amber Front", ["the Front"]),
    ("Amber Voice", []),
    ("Joint Monitoring Mission", ["JMM"]),
    ("Civic Alliance", []),
    ("Tomas Reyl", []),
    ("Orsk Medical Association", []),
    ("Harbour Wire", []),
]
RESOLVE = name_resolver(ENTITIES)
REFERENCE = datetime.date(2020, 1, 20)


def candidates(text: str, publisher: str | None = "Harbour Wire") -> list[Candidate]:
    return extract(text, reference=REFERENCE, resolve=RESOLVE, publisher=publisher)


def figure(text: str, value: float, publisher: str | None = "Harbour Wire") -> Candidate:
    found = [c for c in candidates(text, publisher) if c.kind == "figure" and value in (c.value, c.low)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("Mara Tessel said 304 people were killed.", 304, "Mara Tessel"),  # X said
        ("At least 304 people were killed, said Mara Tessel.", 304, "Mara Tessel"),  # said X
        ("According to the Kestrel Institute, 304 people were killed.", 304, "Kestrel Institute"),
        ("304 people were killed, according to the Kestrel Institute.", 304, "Kestrel Institute"),
        ("Verhoef told reporters that 212 people had died.", 212, "Ilan Verhoef"),  # X told Y; a unique part
        (
            "The Kestrel Institute estimated that 304 protesters died.",
            304,
            "Kestrel Institute",
        ),  # X estimated
        (
            "A Dec. 16 report by Kestrel Institute said at least 304 protesters died.",
            304,
            "Kestrel Institute",
        ),
        (
            "The Institute's count stands at 304.",
            304,
            "Kestrel Institute",
        ),  # X's count; "Institute" is unique
        (
            "In a statement, the Joint Monitoring Mission said 46 cases were documented.",
            46,
            "Joint Monitoring Mission",
        ),
        ("Tessel, quoted by Amber Voice, said 304 people had died.", 304, "Mara Tessel"),  # X, quoted by Y
        (
            "Citing hospital records, the Orsk Medical Association said 97 people died.",
            97,
            "Orsk Medical Association",
        ),
        ("Interior Minister Ilan Verhoef put the toll at 212.", 212, "Ilan Verhoef"),  # X put the toll at
        # citing X: the figure is X's, not the relaying outlet's
        ("Amber Voice, citing the Kestrel Institute, said 304 people had died.", 304, "Kestrel Institute"),
        (
            "Amber Voice said, citing the Joint Monitoring Mission, that 58 people died.",
            58,
            "Joint Monitoring Mission",
        ),
        (
            "More than 500 people were arrested, the interior ministry said.",
            500,
            "Ministry of the Interior",
        ),  # alias
        ("The ministry's figure of 212 is far below the 1,500 reported by Amber Voice.", 1500, "Amber Voice"),
        ("The government says 212 died; the Front says more than 7,000.", 7000, "Amber Front"),  # by clause
        ("JMM said 58 people had died since Friday.", 58, "Joint Monitoring Mission"),  # alias
        ("The Kestrel Institute has put the death toll at more than 300.", 300, "Kestrel Institute"),
        ("Verhoef was quoted as saying that 212 people had died.", 212, "Ilan Verhoef"),
        ("Tessel would not say how many of the 304 victims were children.", 304, "Mara Tessel"),
        ("According to a tally by the Kestrel Institute, 304 people died.", 304, "Kestrel Institute"),
        (
            "The toll, compiled by the Joint Monitoring Mission from hospital records, stood at 58.",
            58,
            "Joint Monitoring Mission",
        ),
    ],
)
def test_the_speaker_is_the_one_the_sentence_names(text: str, value: float, entity: str) -> None:
    found = figure(text, value)
    assert (found.entity, found.attribution) == (entity, "text"), found


def test_a_pronoun_and_the_minister_go_back_to_the_last_named_speaker() -> None:
    text = (
        "Ilan Verhoef rejected the report. He said 212 people had died. "
        "The minister said 38 police officers had been killed."
    )
    assert figure(text, 212).entity == "Ilan Verhoef"
    minister = figure(text, 38)
    assert minister.entity == "Ilan Verhoef"
    assert minister.note and "'The minister' taken to be 'Ilan Verhoef'" in minister.note


def test_the_publisher_speaks_only_in_the_documents_own_voice() -> None:
    own = figure("Some 2,000 riot police were deployed on Wednesday.", 2000)
    assert (own.speaker, own.entity, own.attribution) == ("Harbour Wire", "Harbour Wire", "publisher")
    named = figure("The Amber Front says about 3,000 of its members were detained.", 3000, "Amber Voice")
    assert (named.entity, named.attribution) == ("Amber Front", "text")  # not the outlet that printed it
    # "the Association" is the publisher in its own press release, although two entities hold the word.
    release = figure("Doctors treated 230 patients, the Association said.", 230, "Orsk Medical Association")
    assert release.entity == "Orsk Medical Association"


@pytest.mark.parametrize(
    "text",
    [
        "Some 300 people were reportedly detained.",
        "She added that 37 police officers had been killed.",  # a pronoun with nobody named before it
        "A report said 412 people had been killed.",  # a document that names nobody
    ],
)
def test_when_nobody_is_named_the_speaker_is_unknown(text: str) -> None:
    found = next(c for c in candidates(text) if c.kind == "figure")
    assert (found.speaker, found.entity, found.attribution) == (None, None, "unknown"), found


def test_a_table_that_shows_a_figure_is_the_document_speaking() -> None:
    found = figure("Table 4 shows 18.2 percent unemployment.", 18.2, "Kestrel Institute")
    assert (found.entity, found.attribution) == ("Kestrel Institute", "publisher")


def test_a_name_the_ledger_does_not_hold_is_kept_as_written() -> None:
    found = figure("Police fired tear gas at about 400 students, witnesses said.", 400)
    assert (found.speaker, found.entity, found.attribution) == ("witnesses", None, "text")


def test_quotes_are_attributed_the_same_way() -> None:
    text = (
        'Tomas Reyl said the vote was "a betrayal of everyone who marched." '
        '"We have counted 212 bodies, not 1,500," ministry spokeswoman Dilan Roe said.'
    )
    found = candidates(text)
    quotes = [c for c in found if c.kind == "quote"]
    assert [(q.quote, q.entity or q.speaker) for q in quotes] == [
        ("a betrayal of everyone who marched.", "Tomas Reyl"),
        ("We have counted 212 bodies, not 1,500", "ministry spokeswoman Dilan Roe"),
    ]
    inside = [c for c in found if c.kind == "figure"]
    assert {c.value: c.speaker for c in inside} == {
        212: "ministry spokeswoman Dilan Roe",
        1500: "ministry spokeswoman Dilan Roe",
    }


def test_name_resolver_by_name_alias_and_unique_part() -> None:
    assert RESOLVE("Mara Tessel") == "Mara Tessel"
    assert RESOLVE("the interior ministry") == "Ministry of the Interior"
    assert RESOLVE("Tessel") == "Mara Tessel"
    assert RESOLVE("Kestrel") == "Kestrel Institute"
    assert RESOLVE("the Association") == "Orsk Medical Association"  # only one entity holds the word here
    two = name_resolver([("Orsk Medical Association", []), ("Veloria Bar Association", [])])
    assert two("the Association") is None  # a part two names share names nobody
    assert RESOLVE("of") is None


# --- numbers and dates ---------------------------------------------------------------------------------


def test_the_noun_decides_a_four_digit_count() -> None:
    toll = figure("The death toll of 1500 cited by the Civic Alliance could not be confirmed.", 1500)
    assert toll.entity == "Civic Alliance"
    assert [c.kind for c in candidates("In 1500 the city was founded.")] == ["event"]


def test_half_a_million_with_hyphens() -> None:
    assert figure("Reyl said half-a-million people had signed the petition.", 500000).entity == "Tomas Reyl"


def test_a_month_range_across_years() -> None:
    events = [
        c
        for c in candidates("The unrest of December 2017-January 2018 left 25 people dead.")
        if c.kind == "event"
    ]
    assert [(e.passage, e.date) for e in events] == [("December 2017-January 2018", "2017-12/2018-01")]


@pytest.mark.parametrize(
    "text", ["Advertisement 728 x 90", "Watch live - 1280 x 720 HD", "Orsk in pictures (12 photos)"]
)
def test_page_furniture_is_not_a_figure(text: str) -> None:
    assert candidates(text) == []


def test_a_dateline_and_a_masthead_are_not_events() -> None:
    text = (
        "Amber Voice — 10 January 2020\n\n"
        "PORT SELDEN, Jan 10 (Harbour Wire) - At least 40 people were killed on 8 January, a hospital official said."
    )
    found = candidates(text)
    assert [(c.kind, c.passage) for c in found] == [("figure", "At least 40 people"), ("event", "8 January")]
    assert found[0].speaker == "a hospital official"


def test_a_future_year_less_date_takes_the_next_year() -> None:
    event = next(c for c in candidates("Parliament will debate the law on February 3.") if c.kind == "event")
    assert event.date == "2020-02-03"  # the reference is 20 January 2020
    assert event.note and "speaks of the future" in event.note


def test_a_count_of_who_speaks_is_not_a_figure() -> None:
    text = "Two security sources said as many as 300 fighters had crossed the border."
    found = [c for c in candidates(text) if c.kind == "figure"]
    assert [(c.value, c.speaker) for c in found] == [(300, "Two security sources")]


def test_the_group_is_the_organisation_named_before() -> None:
    text = (
        "The Kestrel Institute published its report on Monday. The group said 304 people had been killed.\n\n"
        "The rest of the day was calm.\n\n"
        "Mara Tessel spoke for an hour. The organisation estimated that 412 people died."
    )
    assert figure(text, 304).entity == "Kestrel Institute"
    # A person is not an organisation, and the Institute is two paragraphs back: nobody known.
    later = figure(text, 412)
    assert later.entity is None and later.speaker == "The organisation"
