"""Proposing candidate claims from a document's stored text: quotes, figures and dated statements.

The engine behind ``claimtrack extract SOURCE``. It reads plain text with regular expressions, claimtrack's own
date parser (:func:`claimtrack.text.dates.parse_date`) and ``text2num`` for spelled-out numbers; it downloads no
model and never judges a claim. Every :class:`Candidate` is a *proposal* the researcher accepts, edits or
drops, and each one is anchored: ``text[candidate.start:candidate.end] == candidate.passage`` always holds,
so an accepted candidate becomes an appearance whose passage can be re-found and checked.

What is proposed, and the choices made (each one chosen for precision: a missed candidate costs the researcher
a copy and paste, a wrong one costs trust in the whole list):

Quotes (``kind="quote"``)
    Words between double quote marks -- straight ``"`` or curly ``“ ”`` (also ``„`` and ``« »``) -- that are
    attributed to a speaker next to them: ``X said: "..."``, ``X said, "..."``, ``X said that "..."``,
    ``"...," X said``, ``"...," said X``, ``"...?" X asked``, ``according to X, "..."``,
    ``"...," according to X``, a colon after a statement (``X's reply was short: "..."``,
    ``The statement from X read: "..."``), and a quote continued in the next sentence of the same
    paragraph (``"...," X said. "..."``), which keeps X. A quote may run over several paragraphs in the
    English convention: each continued paragraph opens with a quote mark and only the last one closes.

    * Reported speech without quote marks (``according to the ministry, 400 people were detained``) is *not*
      a quote candidate: there are no verbatim words to check. Its figures and dates are still proposed.
    * Quoted words of three or more inside reported speech are the reported speaker's quote: ``X said the
      plan was "a necessary step"``, ``X called the figures "an insult to the families"``, ``X's claim that
      "..."`` (see :mod:`claimtrack.text.extract.attribution`).
    * Quoted words with no attribution beside them -- scare quotes (``the so-called "reform"``), titles
      (``the report "Silent Valleys"``), nicknames -- are not proposed. A quote of one or two words must
      also end with punctuation inside its marks (``"Never," X said.``) to count.
    * Single quote marks are not read as quotes: ``’`` is also the apostrophe, and in English text single
      quotes mostly nest inside double ones.
    * ``speaker`` is the phrase as written: ``"Interior Minister Ilan Verhoef"``, ``"a spokesperson for the
      Amber Front"``, ``"the ministry"``, ``"officials"``, ``"ministry spokeswoman Dilan Roe"``. Of a name
      and its appositive (``Ilan Verhoef, the interior minister, said``) the proper name is kept.
      ``X's statement``, ``a statement from X`` and ``said a statement issued by X`` give X. A quote
      attributed only to a document (``The statement read: "..."``, ``read a banner``) has
      ``speaker=None`` and a note. The attribution is looked for within a clause of the quote (at most
      300 characters before it, 200 after).
    * A pronoun speaker (he, she, they, it), or a bare role (``the minister``) within its paragraph, is
      replaced by the nearest named speaker before it in the text
      -- of a quote, of reported speech (``Verhoef said the army would withdraw``), or a proper name that
      opens a sentence (``Tomas Reyl, the opposition leader, addressed the crowd``; a single capitalised
      word only when it does not look plural, since "Police" and "Critics" open sentences too) -- and the
      note says so. With no named speaker before, ``speaker`` is ``None`` and the note says that too.
      Gender and number are not checked. "I", "we" and "you" are kept as written.
    * ``quote`` is the quoted words, whitespace-normalised, without the marks, the marks that open continued
      paragraphs, or the comma that closes a quote before its attribution (``"We stay," he said`` gives
      ``We stay``); other final punctuation is kept.
    * ``entity`` comes from the ``resolve`` callback, tried on the speaker as written, then without a leading
      article, then on the organisation after "for/of/at/from" (``a spokesperson for the Amber Front`` ->
      ``the Amber Front``), then on the shorter tails of a capitalised name (``Interior Minister Ilan
      Verhoef`` -> ``Ilan Verhoef`` -> ``Verhoef``). The first answer that is not ``None`` wins; a
      :class:`~claimtrack.errors.ClaimtrackError` from the callback (an ambiguous name) counts as ``None``.

Who says it (``speaker``, ``entity``, ``attribution`` on every candidate)
    A figure or date is attributed from its sentence (:class:`claimtrack.text.extract.attribution.Attributor`):
    the quote it stands in; ``the 1,500 reported by X``; ``X's count of``, ``the government figure of``,
    ``claims by X that``; the nearest reporting verb before it whose complement holds it (``X said``,
    ``X told Y that``, ``X estimated``, ``X put the toll at``, ``a report by X said``, ``X, quoted by Y,
    said``, ``citing records, X said``) unless a relative clause or ``while`` comes between; ``according to
    X`` in its clause; a trailing ``..., X said`` or ``..., said X``. A semicolon ends a clause. Then
    ``attribution`` is ``"text"``. With none of these the figure is the document's own voice:
    ``attribution="publisher"`` and ``speaker`` the ``publisher`` given. When the reporting names nobody
    (``reportedly``, ``is said to``, ``a report said``, a pronoun with no name before it) ``speaker`` is
    ``None`` and ``attribution="unknown"``. ``entity`` is resolved as for quotes, and also through
    ``X's spokesman`` / ``a X spokesman`` (X), ``Name of Org`` (the person first), and a generic noun that
    the publisher's name holds (``the Association`` in the Association's own release).

Figures (``kind="figure"``)
    Digits with separators (``30,000``, ``30 000``), decimals and scales (``1.5 million``, ``2.3bn``,
    ``12k``), currency (``$4 million``: counted ``dollars``), spelled-out numbers read by ``text2num``
    (``three thousand``, ``twenty-five``, ``two hundred and fifty``) plus the forms it does not read
    (``a hundred``, ``a dozen``, ``half a million``, ``two and a half million``), ranges (``2,800 to 3,800``,
    ``between 2,800 and 3,800``, ``2,800-3,800``, ``two to three thousand``: a scale on the upper end is
    shared when that keeps the range in order), qualifiers (``about``, ``around``, ``some``, ``nearly``,
    ``more than``, ``over``, ``at least``, ``fewer than``, ``up to``, ...: :class:`~claimtrack.vocab.Qualifier`
    values; none written gives ``None``), and vague quantities (``hundreds of``, ``thousands of``, ``tens of
    thousands of``, ``hundreds of thousands of``, ``millions of``, ``dozens of``), which are given as the
    range of their order of magnitude (``hundreds of``: 100-999) with the qualifier and a note.
    ``two or three`` is read as a range too. ``counted`` is the noun phrase after the number, up to its
    first plural noun (``political prisoners``, ``members``, ``nations``), also after ``of our`` / ``of the``
    (``600 of our members``: ``members``) and inside quote marks (``112 "hooligans"``); ``None`` when no noun
    follows.

    * Percentages are figures with ``counted="percent"`` (``40%``, ``40 percent``, ``40 per cent``).
    * Not figures: years and dates (they are events), times (``10:30``, ``9 a.m.``), ages (``aged 25``,
      ``a 25-year-old``), durations (``12 years``, ``three days``), ordinals, identifiers (``Resolution 2231``,
      ``Article 5``, ``No. 12``, ``F-16``, ``COVID-19``), list numbers, ratios (``one in five``), scores and
      other dashes whose ends are out of order (``3-2``), compound adjectives (``a 12-nation coalition``; but
      ``a 2,000-strong crowd`` is a figure of ``crowd``), the word ``one`` spelled out, a small spelled-out
      number after a determiner (``the two countries``), a spelled-out number with no noun, a number
      below 100 in digits with neither a noun nor a qualifier (``at 10``), ``under 25`` / ``over 60``
      with no noun (ages), and codes (``555-0199``, a leading zero). Only a plain number can be an
      identifier: ``fined the Courier 250,000 tarsi`` is a figure. ``from 2,800 to 3,800`` after a verb of
      change (``rose``, ``fell``, ``was revised``) is two figures, not a range.
    * A plain four-digit number from 1000 to 2099 is read as a year, unless a figure qualifier comes before
      it and a noun after it (``some 1500 soldiers``), a count noun names it (``the death toll of 1500``,
      ``put the number at 1500``) or a casualty noun follows it (``1500 dead``, ``1500 people``).
    * Page furniture is not a figure (``728 x 90``, ``(12 photos)``), nor a small spelled-out count of the
      people who speak (``two cabinet ministers told``); ``half-a-million`` is read; ``of whom 38`` counts.

Events (``kind="event"``)
    Date phrases of any precision, each read by :func:`~claimtrack.text.dates.parse_date` (``date`` is its EDTF,
    ``note`` its note): ``Wednesday, January 8``, ``January 8, 2020``, ``6 July 2020``, ``the 6th of July``,
    ``June 2019``, ``spring 2001``, ``1988``, ``circa 1990``, ``the 1980s``, ``the mid-1990s``, ``the 20th
    century``, ``2020-07-06``, and ranges (``between December 2017 and January 2018``, ``from 1988 to
    1990``, ``from March to May 2018``, ``1988-1990``, ``1988-90``, ``6-8 July 2020``), and a month alone
    after ``in``, ``during``, ``since``, ``until``, ``by``, ``through`` or ``from`` (``in April``; "May" and
    "March" alone are also words). A year-less date is resolved against ``reference`` (the source's
    publication date) by the parser, whose note says how: the latest such day on or before the reference,
    so a future date in the text (``the curfew will be lifted on 20 January``) gets the year before.
    ``since X`` becomes the open interval ``X/..`` (``since the 1950s``: ``1950/..``, with a note, as EDTF
    leaves an end open only beside a plain date). The passage is the date phrase itself, without the
    ``on``/``in`` before it.

    A dateline (``PORT SELDEN, Jan 10 (Harbour Wire) -``) and a masthead line (``Amber Voice — 10 January
    2020``) say when the document was filed, not an event: neither is proposed, and their numbers are no
    figures. A year-less date in a clause about the future (``will``, ``would``, ``is due``...) takes the
    first such day after the reference instead. ``December 2017-January 2018`` is a range.

    Not handled: relative dates (``last year``, ``on Wednesday`` alone, ``yesterday``), all-numeric dates
    (``06/07/2020``, ambiguous: the parser refuses them), spelled-out years and ordinals (``the nineteenth
    century``), and ``before``/``after`` a date.

Every candidate's ``text`` is its sentence (or sentences, for a quote that spans several), whitespace
normalised; sentences are not split inside a quote, and a run-on "sentence" (a list, a table) is cut to the
400 characters either side of the passage. ``text_to_num`` is imported inside the function that
reads spelled-out numbers, and ``edtf`` only inside the date parser, so importing this module costs the
command line nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from .attribution import Attributor, name_resolver
from .candidate import Candidate, Resolver
from .dates import find_dates
from .figures import find_figures
from .quotes import find_quotes, quote_candidates
from .sentences import Sentences, paragraph_starts

__all__ = ["Candidate", "Resolver", "extract", "name_resolver"]


def extract(
    text: str,
    *,
    reference: datetime.date | None = None,
    resolve: Callable[[str], str | None] | None = None,
    publisher: str | None = None,
) -> list[Candidate]:
    """Propose the quotes, figures and dated statements of ``text``, in document order.

    ``reference`` is the source's publication date: a year-less date ("Wednesday, January 8") is resolved
    against it, and the candidate's note says so. ``resolve`` maps a speaker as written to the name of a known
    entity, or ``None``; the caller backs it with the entity table. See the module docstring for what is and
    is not proposed. Never raises on any text; ``text[c.start:c.end] == c.passage`` for every candidate.
    """
    if not text or not text.strip():
        return []
    paragraphs = paragraph_starts(text)
    quotes = find_quotes(text, paragraphs)
    sentences = Sentences(text, paragraphs, [(q.open, q.close) for q in quotes])
    who = Attributor(text, sentences, paragraphs, resolve, publisher)
    candidates = quote_candidates(text, quotes, sentences, paragraphs, who)

    dates, datelines = find_dates(text, reference)
    for d in dates:
        said = who.figure(d.start, d.end)
        candidates.append(
            Candidate(
                "event",
                sentences.around(d.start, d.end),
                text[d.start : d.end],
                d.start,
                d.end,
                speaker=said.speaker,
                entity=said.entity,
                attribution=said.attribution,
                date=d.edtf,
                note=_join(d.note, said.note),
            )
        )
    for f in find_figures(text, sorted([(d.start, d.end) for d in dates] + datelines)):
        said = who.figure(f.start, f.end)
        candidates.append(
            Candidate(
                "figure",
                sentences.around(f.start, f.end),
                text[f.start : f.end],
                f.start,
                f.end,
                value=f.value,
                low=f.low,
                high=f.high,
                qualifier=f.qualifier,
                counted=f.counted,
                speaker=said.speaker,
                entity=said.entity,
                attribution=said.attribution,
                note=_join(f.note, said.note),
            )
        )
    order = {"quote": 0, "event": 1, "figure": 2}
    return sorted(candidates, key=lambda c: (c.start, c.end, order[c.kind]))


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None
