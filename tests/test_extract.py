"""claimtrack.text.extract: candidate quotes, figures and dated statements proposed from a source's text."""

from __future__ import annotations

import datetime
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.errors import Ambiguous
from claimtrack.text.extract import Candidate, extract

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = datetime.date(2020, 1, 15)  # a Wednesday


def only(text: str, kind: str, **kwargs: Any) -> Candidate:
    """The one candidate of ``kind`` proposed for ``text``."""
    found = [c for c in extract(text, **kwargs) if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


def kinds(text: str, kind: str, **kwargs: Any) -> list[Candidate]:
    return [c for c in extract(text, **kwargs) if c.kind == kind]


def assert_anchored(text: str, candidates: list[Candidate]) -> None:
    for c in candidates:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.passage


# --- quotes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "words"),
    [
        ('Verhoef said: "The border stays closed."', "Verhoef", "The border stays closed."),
        ('Verhoef said, "The border stays closed."', "Verhoef", "The border stays closed."),
        ('Verhoef said that "the border stays closed."', "Verhoef", "the border stays closed."),
        ('"The border stays closed," Verhoef said.', "Verhoef", "The border stays closed"),
        ('"The border stays closed," said Verhoef.', "Verhoef", "The border stays closed"),
        ('"Is the border closed?" Tessel asked.', "Tessel", "Is the border closed?"),
        ('"The border stays closed", the ministry said.', "the ministry", "The border stays closed"),
        ("Verhoef said: \u201cThe border stays closed.\u201d", "Verhoef", "The border stays closed."),
        ('According to the ministry, "the border stays closed."', "the ministry", "the border stays closed."),
        ('"The border stays closed," according to the ministry.', "the ministry", "The border stays closed"),
        (
            'On Wednesday, January 8, Interior Minister Ilan Verhoef said: "We stay."',
            "Interior Minister Ilan Verhoef",
            "We stay.",
        ),
        (
            '"We were never armed," said a spokesperson for the Amber Front on Tuesday.',
            "a spokesperson for the Amber Front",
            "We were never armed",
        ),
        ('Mara Tessel, a spokesperson, said: "We were never armed."', "Mara Tessel", "We were never armed."),
        ('The interior minister, Ilan Verhoef, said: "No comment."', "Ilan Verhoef", "No comment."),
        ('Verhoef\'s reply was short: "No comment."', "Verhoef", "No comment."),
        ('The statement from the Amber Front read: "We stay."', "the Amber Front", "We stay."),
        ('"We stay," said a statement issued by the Amber Front.', "the Amber Front", "We stay"),
        ('"The situation is calm," officials said.', "officials", "The situation is calm"),
        ('"We stay," ministry spokeswoman Dilan Roe said.', "ministry spokeswoman Dilan Roe", "We stay"),
    ],
)
def test_quote_patterns(text: str, speaker: str, words: str) -> None:
    quote = only(text, "quote")
    assert (quote.speaker, quote.quote) == (speaker, words)
    assert_anchored(text, [quote])
    assert quote.text == " ".join(text.split())


def test_a_quote_passage_covers_the_attribution() -> None:
    text = 'Intro. "We stay," Verhoef said in Orsk. Outro.'
    quote = only(text, "quote")
    assert quote.passage == '"We stay," Verhoef said'
    assert quote.text == '"We stay," Verhoef said in Orsk.'


def test_a_quote_over_paragraphs_opens_each_paragraph_and_closes_once() -> None:
    text = 'Brenner wrote: "The first convoy turned back.\n\n"The second got through."\n\nShe left.'
    quote = only(text, "quote")
    assert quote.speaker == "Brenner"
    assert quote.quote == "The first convoy turned back. The second got through."
    assert quote.passage.endswith('got through."')
    assert_anchored(text, [quote])


def test_an_unclosed_quote_is_not_a_quote() -> None:
    assert kinds('Verhoef said: "The border stays closed.\n\nThe ministry agreed.', "quote") == []


@pytest.mark.parametrize(
    "text",
    [
        'The government calls the camps "vocational centres" and denies everything.',
        'The report, "Silent Valleys of Orsk", says 1,200 people disappeared.',
        'Verhoef, known as "the Gardener", took office.',
        "According to the ministry, 412 people were detained.",  # reported speech: no quote marks
        'The film "Orsk Burning" was banned.',
    ],
)
def test_quote_marks_that_are_not_quotes(text: str) -> None:
    assert kinds(text, "quote") == []


def test_pronoun_speaker_is_the_nearest_named_speaker_before() -> None:
    text = 'Ilan Verhoef spoke for an hour. "The curfew stays," he said. "It is final," Reyl said. "No," she said.'
    quotes = kinds(text, "quote")
    assert [q.speaker for q in quotes] == ["Ilan Verhoef", "Reyl", "Reyl"]
    assert quotes[0].note == "speaker 'he' taken to be 'Ilan Verhoef', the nearest named speaker before"


def test_pronoun_speaker_without_antecedent_stays_none() -> None:
    quote = only('"It was a difficult decision," she said.', "quote")
    assert quote.speaker is None
    assert quote.note is not None and "not resolved" in quote.note


def test_a_continued_quote_keeps_its_speaker() -> None:
    quotes = kinds('"The numbers are invented," Tessel said. "No observer has confirmed them."', "quote")
    assert [(q.speaker, q.quote) for q in quotes] == [
        ("Tessel", "The numbers are invented"),
        ("Tessel", "No observer has confirmed them."),
    ]


def test_a_quote_attributed_to_a_document_has_no_speaker() -> None:
    quote = only('The banner read: "Free them all."', "quote")
    assert quote.speaker is None and quote.quote == "Free them all."
    assert quote.note is not None and "document" in quote.note


def test_resolve_tries_the_speaker_then_its_parts() -> None:
    known = {"Ilan Verhoef": "Ilan Verhoef", "Amber Front": "Amber Front"}
    asked: list[str] = []

    def resolve(name: str) -> str | None:
        asked.append(name)
        return known.get(name)

    text = (
        'Interior Minister Ilan Verhoef said: "We stay." '
        '"We stay too," said a spokesperson for the Amber Front. "Who?" the council asked.'
    )
    quotes = kinds(text, "quote", resolve=resolve)
    assert [q.entity for q in quotes] == ["Ilan Verhoef", "Amber Front", None]
    assert asked[:3] == ["Interior Minister Ilan Verhoef", "Minister Ilan Verhoef", "Ilan Verhoef"]
    assert len(asked) == len(set(asked))  # each name is asked once


def test_a_resolver_that_finds_a_name_ambiguous_gives_no_entity() -> None:
    def resolve(name: str) -> str | None:
        raise Ambiguous("entity", name, ["A", "B"])

    assert only('"We stay," Verhoef said.', "quote", resolve=resolve).entity is None


# --- figures -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "counted"),
    [
        ("The army has 30,000 soldiers.", 30000, None, "soldiers"),
        ("The army has 30 000 soldiers.", 30000, None, "soldiers"),
        ("The army has 30\u202f000 soldiers.", 30000, None, "soldiers"),
        ("The fund holds 1.5 million dollars.", 1.5e6, None, "dollars"),
        ("Pledges reached $2.3bn.", 2.3e9, None, "dollars"),
        ("The budget is \u20ac40 million.", 4e7, None, "euros"),
        ("The channel has 120k subscribers.", 120000, None, "subscribers"),
        ("Three thousand members attended.", 3000, None, "members"),
        ("Twenty-five nations signed.", 25, None, "nations"),
        ("Two hundred and fifty delegates voted.", 250, None, "delegates"),
        ("Half a million people live there.", 500000, None, "people"),
        ("Two and a half million people need aid.", 2.5e6, None, "people"),
        ("A dozen journalists were held.", 12, None, "journalists"),
        ("More than a hundred journalists signed.", 100, "more-than", "journalists"),
        ("About 3,000 members remain.", 3000, "about", "members"),
        ("Around 3,000 members remain.", 3000, "about", "members"),
        ("Some 3,000 members remain.", 3000, "some", "members"),
        ("An estimated 3,000 members remain.", 3000, "about", "members"),
        ("Nearly 3,000 members remain.", 3000, "nearly", "members"),
        ("More than 30,000 political prisoners died.", 30000, "more-than", "political prisoners"),
        ("Over 400 students signed.", 400, "more-than", "students"),
        ("At least 5,000 people were killed.", 5000, "at-least", "people"),
        ("Fewer than 200 observers came.", 200, "fewer-than", "observers"),
        ("Less than 200 observers came.", 200, "fewer-than", "observers"),
        ("Up to 40,000 troops are there.", 40000, "up-to", "troops"),
        ("No more than 300 followers remain.", 300, "at-most", "followers"),
        ("Turnout was 41% in the north.", 41, None, "percent"),
        ("Around 75 per cent of voters agreed.", 75, "about", "percent"),
        ("A 2,000-strong crowd gathered.", 2000, None, "crowd"),
        ("More than 600 of our members are in prison.", 600, "more-than", "members"),
        ("Some 1500 soldiers crossed the river.", 1500, "some", "soldiers"),
    ],
)
def test_figure_values(text: str, value: float, qualifier: str | None, counted: str) -> None:
    figure = only(text, "figure")
    assert (figure.value, figure.qualifier, figure.counted) == (value, qualifier, counted)
    assert figure.low is None and figure.high is None
    assert_anchored(text, [figure])


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier", "counted"),
    [
        ("Between 2,800 and 3,800 people are missing.", 2800, 3800, None, "people"),
        ("Estimates range from 2,800 to 3,800 civilians.", 2800, 3800, None, "civilians"),
        ("The alliance counted 2,800-3,800 displaced families.", 2800, 3800, None, "displaced families"),
        ("The alliance counted 2,800 \u2013 3,800 families.", 2800, 3800, None, "families"),
        ("Roughly 2.5 to 3 million people were affected.", 2.5e6, 3e6, "about", "people"),
        ("The opposition reports between two and three thousand arrests.", 2000, 3000, None, "arrests"),
        ("Two or three people saw it.", 2, 3, None, "people"),
        ("Hundreds of political prisoners remain.", 100, 999, "hundreds-of", "political prisoners"),
        ("Thousands of families fled.", 1000, 9999, "thousands-of", "families"),
        ("Tens of thousands of people marched.", 10000, 99999, "tens-of-thousands-of", "people"),
        (
            "It displaced hundreds of thousands of refugees.",
            1e5,
            999999,
            "hundreds-of-thousands-of",
            "refugees",
        ),
        ("Millions of dollars went missing.", 1e6, 999999999, "millions-of", "dollars"),
        ("A few thousand supporters gathered.", 1000, 9999, "thousands-of", "supporters"),
    ],
)
def test_figure_ranges(text: str, low: float, high: float, qualifier: str | None, counted: str) -> None:
    figure = only(text, "figure")
    assert (figure.value, figure.low, figure.high) == (None, low, high)
    assert (figure.qualifier, figure.counted) == (qualifier, counted)
    assert_anchored(text, [figure])


def test_a_vague_quantity_says_how_it_was_read() -> None:
    figure = only("Dozens of villages were burned.", "figure")
    assert (figure.low, figure.high, figure.qualifier) == (24, 99, None)
    assert figure.note == "'dozens' read as the range 24-99; the qualifier keeps the wording"


def test_a_change_is_two_figures_not_a_range() -> None:
    figures = kinds("The toll rose from 2,800 to 3,400 on Friday.", "figure")
    assert [(f.value, f.low) for f in figures] == [(2800, None), (3400, None)]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting started at 10:30 and ended at 3 p.m.",
        "A 25-year-old student was arrested.",
        "She was aged 34 at the time.",
        "Most detainees are under 25.",
        "Article 5 of the charter was suspended for 90 days.",
        "Resolution 1325 was adopted.",
        "He served 12 years in prison.",
        "The team won 3-2 in the final.",
        "One of the leaders was released; no one else was.",
        "Call 555-0199 for information.",
        "The ban on F-16 sales and COVID-19 rules were lifted.",
        "Chapter 7 lists the names on page 112.",
        "1. Release the detainees.\n2. Open the camps.",
        "The two countries and both other parties stayed silent.",
        "One in five voters stayed home.",
        "The 14th congress met in the 21st year of the republic.",
        "The regime fell in 1989.",
        "It was signed on 6 July 2020.",
    ],
)
def test_numbers_that_are_not_figures(text: str) -> None:
    assert kinds(text, "figure") == []


# --- dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "passage", "edtf"),
    [
        ("The offensive began on 6 July 2020.", "6 July 2020", "2020-07-06"),
        ("It was signed on January 8, 2020.", "January 8, 2020", "2020-01-08"),
        ("It was signed on Jan. 8, 2020.", "Jan. 8, 2020", "2020-01-08"),
        ("The raid was on the 8th of January 2020.", "the 8th of January 2020", "2020-01-08"),
        ("The law passed in June 2019.", "June 2019", "2019-06"),
        ("It was founded in 1988.", "1988", "1988"),
        ("It was founded in the 1980s.", "the 1980s", "198X"),
        ("It was founded in the mid-1990s.", "the mid-1990s", "199X"),
        ("The archive dates from circa 1990.", "circa 1990", "1990~"),
        ("The fort was built in the 19th century.", "the 19th century", "18XX"),
        ("The offensive was planned for spring 2001.", "spring 2001", "2001-21"),
        ("The dataset was updated 2019-11-30.", "2019-11-30", "2019-11-30"),
        (
            "Talks ran between December 2017 and January 2018.",
            "between December 2017 and January 2018",
            "2017-12/2018-01",
        ),
        ("The strike lasted from March to May 2018.", "from March to May 2018", "2018-03/2018-05"),
        ("The war of 1988\u20131990 was long.", "1988\u20131990", "1988/1990"),
        ("During the 1998-99 crisis, nothing moved.", "1998-99", "1998/1999"),
        ("The summit was held on 6-8 July 2020.", "6-8 July 2020", "2020-07-06/2020-07-08"),
        ("She has hidden since March 2018.", "since March 2018", "2018-03/.."),
        ("It is the worst since the 1950s.", "since the 1950s", "1950/.."),
    ],
)
def test_dates(text: str, passage: str, edtf: str) -> None:
    event = only(text, "event", reference=REFERENCE)
    assert (event.passage, event.date) == (passage, edtf)
    assert event.text == text
    assert_anchored(text, [event])


def test_a_year_less_date_takes_its_year_from_the_reference_and_says_so() -> None:
    event = only("On Wednesday, January 8, the minister spoke.", "event", reference=REFERENCE)
    assert (event.passage, event.date) == ("Wednesday, January 8", "2020-01-08")
    assert event.note == (
        "year 2020 taken from the reference date 2020-01-15; 8 January 2020 was a Wednesday, as the text says"
    )
    unknown = only("On Wednesday, January 8, the minister spoke.", "event")
    assert unknown.date == "XXXX-01-08"
    in_april = only("Protests resumed in April.", "event", reference=datetime.date(2021, 6, 30))
    assert (in_april.passage, in_april.date) == ("April", "2021-04")


@pytest.mark.parametrize(
    "text",
    [
        "Last year the ministry promised reforms; on Wednesday it changed course.",
        "The decree is dated 06/07/2020.",
        "The Valdoria 2030 plan was published.",
        "May we all remember them.",
        "February 30, 2020 never happened.",  # the parser refuses it; its numbers are not figures either
    ],
)
def test_text_that_is_not_a_date(text: str) -> None:
    assert [c for c in extract(text, reference=REFERENCE) if c.kind != "quote"] == []


# --- the whole -----------------------------------------------------------------------------------------------


def test_candidates_come_in_document_order_with_their_sentence() -> None:
    text = (
        "The group says more than 30,000 political prisoners were massacred in 1988. "
        '"This is the largest purge in our history," said Mara Tessel.'
    )
    found = extract(text, reference=REFERENCE)
    assert [c.kind for c in found] == ["figure", "event", "quote"]
    assert found[0].text == found[1].text == text.split(' "')[0]
    assert_anchored(text, found)


def test_empty_text_proposes_nothing() -> None:
    assert extract("") == []
    assert extract(" \n\n\t") == []


def test_importing_the_module_loads_neither_text2num_nor_edtf() -> None:
    code = (
        "import sys, claimtrack.text.extract\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('text_to_num', 'edtf', 'sqlalchemy', "
        "'typer', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# Text made of the pieces the extractor reacts to, so that random draws exercise its branches.
_PIECES = st.sampled_from(
    [
        " ", "  ", "\n", "\n\n", ",", ".", ":", ";", "?", "!", '"', "\u201c", "\u201d", "'", "\u2019", "-",
        "\u2013", "(", ")", "$", "%", "0", "7", "12", "1988", "30,000", "2.5", "30 000", "1.5 million", "a",
        "the", "said", "says", "told", "according to", "he", "she", "Verhoef", "Ilan Verhoef", "Amber Front",
        "about", "more than", "at least", "between", "and", "to", "from", "since", "in", "on", "of", "dozen",
        "half", "three", "thousand", "twenty-five", "hundreds", "thousands", "people", "members", "years",
        "January", "May", "Wednesday", "the 1980s", "spring", "circa", "aged", "Article", "\u00e9", "\u200b",
    ]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, max_size=60).map(" ".join) | st.lists(_PIECES, max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _TEXTS | st.text(max_size=80), st.none() | st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1))
)
def test_extract_never_raises_and_every_candidate_is_anchored(
    text: str, reference: datetime.date | None
) -> None:
    found = extract(text, reference=reference, resolve=lambda name: name if len(name) % 2 else None)
    assert_anchored(text, found)
    assert [c.start for c in found] == sorted(c.start for c in found)
    for c in found:
        assert c.kind in ("quote", "figure", "event")
        assert c.text and c.text == " ".join(c.text.split())
        if c.kind == "figure":
            assert (c.value is None) != (c.low is None)
            assert c.low is None or (c.high is not None and c.low < c.high)


# --- the corpus --------------------------------------------------------------------------------------------


def _bench() -> ModuleType:
    path = ROOT / "bench" / "extraction.py"
    if not path.exists():  # an sdist ships tests/ but not bench/
        pytest.skip("bench/extraction.py is not in this tree")
    spec = importlib.util.spec_from_file_location("bench_extraction", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_corpus_offsets_hold() -> None:
    bench = _bench()
    for item in bench.load():
        reference = datetime.date.fromisoformat(item["reference"]) if item.get("reference") else None
        assert_anchored(item["text"], extract(item["text"], reference=reference))


def test_corpus_precision_and_recall_meet_the_targets() -> None:
    bench = _bench()
    items = bench.load()
    assert len(items) >= 80
    tallies = bench.score(items, extract)
    targets = {"quote": 0.8, "figure": 0.9, "event": 0.9}
    report = bench.report(tallies, verbose=True)
    for kind, target in targets.items():
        assert tallies[kind].precision >= target, report
        assert tallies[kind].recall >= target, report


def test_the_blind_set_meets_the_targets_on_each_half() -> None:
    """The issue-15 targets, on the blind set's dev half and on its held-out half (which was never used to
    tune the extractor: a regression here is fixed on what the dev half teaches, not on the held-out items)."""
    bench = _bench()
    entities = bench.entities_of(bench.BLIND)
    items = bench.load(bench.BLIND)
    assert len(items) >= 150
    for split in ("dev", "held-out"):
        tallies = bench.score([i for i in items if i["split"] == split], extract, entities)
        report = bench.report(tallies, verbose=split == "dev")
        for kind, (precision, recall) in {
            "quote": (0.85, 0.85),
            "figure": (0.9, 0.9),
            "event": (0.9, 0.9),
        }.items():
            assert tallies[kind].precision >= precision, report
            assert tallies[kind].recall >= recall, report
        for kind in ("quote", "figure"):
            assert tallies[kind].speaker_accuracy >= 0.85, report
