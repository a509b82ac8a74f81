"""Proposing candidate claims from a document's stored text: quotes, figures and dated statements.

The engine behind ``claimtrack extract SOURCE``. It reads plain text with regular expressions, claimtrack's own
date parser (:func:`claimtrack.dates.parse_date`) and ``text2num`` for spelled-out numbers; it downloads no
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
    * Quoted words with no attribution beside them -- scare quotes (``the so-called "reform"``), titles
      (``the report "Silent Valleys"``), nicknames, partial quotes inside reported speech
      (``X said the plan was "a necessary step"``) -- are not proposed. A quote of one or two words must
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
    * A pronoun speaker (he, she, they, it) is replaced by the nearest named speaker before it in the text
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
      it and a noun after it (``some 1500 soldiers``): counts of that size are written with a separator in
      edited text.

Events (``kind="event"``)
    Date phrases of any precision, each read by :func:`~claimtrack.dates.parse_date` (``date`` is its EDTF,
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
import itertools
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, field

from claimtrack.dates import parse_date
from claimtrack.errors import ClaimtrackError
from claimtrack.quantities import parse_number
from claimtrack.vocab import Qualifier

__all__ = ["Candidate", "extract"]

Resolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Candidate:
    """A proposed claim, anchored in the text it was found in (``text[start:end] == passage``)."""

    kind: str  # "quote" | "figure" | "event" (event = a dated statement: the date candidate)
    text: str  # the proposed claim text: the sentence it comes from, whitespace-normalised
    passage: str  # the exact span of the source text the candidate rests on (text[start:end])
    start: int  # offsets into the original text (Python str indices, end exclusive)
    end: int
    speaker: str | None = None  # quotes: the speaker as written
    entity: str | None = None  # quotes: the known entity the speaker resolves to, via the resolver
    quote: str | None = None  # quotes: the verbatim words, without the quote marks
    value: float | None = None  # figures: a single value
    low: float | None = None  # figures: a range (value None)
    high: float | None = None
    qualifier: str | None = None  # figures: a claimtrack.vocab.Qualifier value, None when unhedged
    counted: str | None = None  # figures: the counted noun phrase
    date: str | None = None  # events: the EDTF string from parse_date
    note: str | None = None  # what the extractor or the date parser inferred


# ---------------------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------------------

_SPEECH_VERBS = (
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "declared", "declares",
    "wrote", "writes", "announced", "announces", "insisted", "insists", "claimed", "claims", "warned", "warns",
    "argued", "argues", "noted", "notes", "explained", "explains", "asked", "asks", "replied", "replies",
    "responded", "responds", "continued", "tweeted", "posted", "remarked", "recalled", "urged", "alleged",
    "acknowledged", "conceded", "admitted", "maintained", "emphasised", "emphasized", "stressed", "observed",
    "commented", "concluded", "asserted", "reiterated", "vowed", "promised", "pledged", "testified",
    "shouted", "chanted", "yelled", "cried", "exclaimed", "whispered", "read", "reads",
)  # fmt: skip
_VERB_RE = re.compile(r"\b(?:" + "|".join(_SPEECH_VERBS) + r")\b")
_VERB_SET = frozenset(_SPEECH_VERBS)

_PRONOUNS = frozenset({"he", "she", "they", "it"})
_OTHER_PRONOUNS = frozenset({"i", "we", "you"})
_DETERMINERS = frozenset(
    {"a", "an", "the", "its", "his", "her", "their", "our", "one", "another", "this", "that", "these", "those"}
)  # fmt: skip
# Words that make a phrase a clause rather than a noun phrase: a speaker never contains them.
_CLAUSE_WORDS = frozenset(
    {
        "was", "were", "is", "are", "be", "been", "being", "had", "has", "have", "would", "will", "could",
        "should", "can", "may", "might", "must", "did", "does", "do", "not", "which", "because", "if",
        "when", "while", "although", "though", "whether", "there", "than", "where",
    }
)  # fmt: skip
# Words that end an inverted speaker ("said a spokesperson for the Amber Front on Tuesday").
_SPEAKER_STOPS = frozenset(
    {
        "on", "in", "at", "during", "yesterday", "today", "tonight", "earlier", "later", "last", "this",
        "who", "whose", "adding", "according", "to", "after", "before", "as", "and", "but", "when", "while",
        "since", "by", "via", "through", "from", "with", "told", "late", "early", "shortly",
    }
)  # fmt: skip
_ADVERBS = frozenset(
    {
        "also", "later", "then", "again", "once", "previously", "earlier", "repeatedly", "recently",
        "quickly", "simply", "firmly", "flatly", "publicly", "privately", "openly", "reportedly",
        "allegedly", "initially", "subsequently", "immediately", "angrily", "calmly", "bluntly",
        "separately", "jointly", "further", "now", "yesterday", "today", "often", "always", "never",
        "still", "just", "meanwhile", "however", "finally", "afterwards", "afterward", "instead",
    }
)  # fmt: skip
_CONJUNCTIONS = frozenset({"and", "but", "then", "so", "also", "yet", "or"})
# What a statement is called; "X's statement" and "a statement from X" are attributed to X.
_STATEMENT_NOUNS = (
    "statement", "statements", "message", "reply", "response", "answer", "letter", "post", "tweet", "note",
    "communiqué", "communique", "release", "press release", "words", "remarks", "comment", "comments",
    "verdict", "conclusion", "warning", "position", "argument", "appeal", "plea", "demand", "speech",
    "testimony", "announcement", "declaration", "report", "transcript", "text", "sign", "banner", "placard",
    "headline", "caption", "leaflet", "notice", "document", "memo", "website", "account", "summary",
)  # fmt: skip
_STATEMENT_RE = "|".join(sorted((re.escape(n) for n in _STATEMENT_NOUNS), key=len, reverse=True))
_POSSESSIVE_RE = re.compile(rf"(?P<x>.+?)['’]s\s+(?:[a-z]+\s+)?(?:{_STATEMENT_RE})\b.*", re.DOTALL)
_STATEMENT_FROM_RE = re.compile(
    rf"(?:the|a|an|its|his|her|their|this)\s+(?:[\w-]+\s+)?(?:{_STATEMENT_RE})\s+"
    r"(?:from|by|of|issued\s+by|released\s+by|published\s+by|signed\s+by)\s+(?P<x>.+)",
    re.DOTALL | re.IGNORECASE,
)
_DOCUMENT_ONLY_RE = re.compile(
    rf"(?:the|a|an|its|this|one)\s+(?:[\w-]+\s+){{0,2}}?(?:{_STATEMENT_RE})", re.IGNORECASE
)
# "X's reply was short: ..." -- a colon after a judgement of what was said.
_COLON_SUBJECT_RE = re.compile(
    r"(?P<x>.+?)\s+(?:was|were|is|are)\s+(?:(?:very|quite|equally|more|less)\s+)?"
    r"(?:clear|blunt|brief|short|simple|direct|unequivocal|firm|defiant|emphatic|categorical|succinct|terse|"
    r"explicit|plain)\b.*",
    re.DOTALL,
)

_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm", "gov", "sen",
        "rep", "st", "jr", "sr", "no", "nos", "vol", "fig", "pp", "p", "para", "art", "sec", "dept", "est",
        "approx", "vs", "v", "e.g", "i.e", "etc", "cf", "al", "inc", "ltd", "co", "corp", "u.s", "u.n", "u.k",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m",
        "mt", "ft", "rev", "hon", "amb", "pres",
    }
)  # fmt: skip

_MONTH_WORDS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    }
)  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Paragraphs and sentences
# ---------------------------------------------------------------------------------------------------------

# A blank line, or a line break after the end of a sentence before a capital or a quote mark (text stored
# one paragraph per line). A line break in mid-sentence is a wrapped line, not a paragraph.
_PARAGRAPH_RE = re.compile(r"\n[^\S\n]*\n\s*|(?<=[.!?:\"”’)])[^\S\n]*\n[^\S\n]*(?=[A-Z\"“„«'‘(])")


def _paragraph_starts(text: str) -> list[int]:
    """The offset of the first character of every paragraph (the first one starts at 0)."""
    return [0] + [m.end() for m in _PARAGRAPH_RE.finditer(text)]


def _word_before(text: str, i: int) -> str:
    """The word (letters and inner dots) that ends at ``i``."""
    j = i
    while j > 0 and (text[j - 1].isalpha() or (text[j - 1] == "." and j - 1 < i - 1)):
        j -= 1
    return text[j:i]


def _ends_sentence(text: str, i: int) -> int | None:
    """If the punctuation at ``text[i]`` ends a sentence, the offset just after it (and closing marks)."""
    c = text[i]
    if c not in ".!?…":
        return None
    j = i + 1
    while j < len(text) and text[j] in ".!?…":
        j += 1
    while j < len(text) and text[j] in "\"”’')]»":
        j += 1
    if j < len(text) and not text[j].isspace():
        return None
    k = j
    while k < len(text) and text[k].isspace():
        k += 1
    if k < len(text) and not (text[k].isupper() or text[k].isdigit() or text[k] in "\"“„«'‘(["):
        return None  # "e.g. the", "p.m. on": the next word is lower case
    if c == "." and j == i + 1:
        word = _word_before(text, i)
        if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            return None  # "Gen. Ilan Verhoef", "J. Tessel"
    return j


_CONTEXT = 400


class _Sentences:
    """The sentences of a text as spans; a sentence never ends inside a quote or across a paragraph."""

    def __init__(self, text: str, paragraphs: list[int], protected: list[tuple[int, int]]) -> None:
        inside = sorted(protected)
        starts_inside = [s for s, _ in inside]
        boundaries = set(paragraphs[1:])
        for m in re.finditer(r"[.!?…]", text):
            end = _ends_sentence(text, m.start())
            if end is None:
                continue
            k = bisect_right(starts_inside, end - 1) - 1
            if k >= 0 and inside[k][0] < end - 1 < inside[k][1] and end <= inside[k][1]:
                continue  # inside a quote: "We stay. We never left," he said.
            boundaries.add(end)
        cuts = sorted(boundaries | {0, len(text)})
        spans = []
        for a, b in itertools.pairwise(cuts):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                spans.append((a, b))
        self.text = text
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def around(self, start: int, end: int) -> str:
        """The whitespace-normalised sentences that overlap ``text[start:end]``."""
        if not self.spans:
            return " ".join(self.text[start:end].split())
        first = max(0, bisect_right(self.starts, start) - 1)
        last = max(first, bisect_left(self.starts, end) - 1)
        # A run-on "sentence" (a list, a table, text without punctuation) is cut to _CONTEXT characters
        # either side of the passage, at spaces, so that a claim text stays readable.
        a = min(max(self.spans[first][0], start - _CONTEXT), start)
        b = max(min(self.spans[last][1], end + _CONTEXT), end)
        if self.spans[first][0] < a < start:
            a = self.text.find(" ", a, start) + 1 or a  # not in the middle of a word
        if end < b < self.spans[last][1]:
            space = self.text.rfind(" ", end, b)
            b = space if space > end else b
        return " ".join(self.text[a:b].split())

    def start_of(self, i: int) -> int:
        """Where the sentence holding offset ``i`` starts."""
        k = bisect_right(self.starts, i) - 1
        return self.spans[k][0] if k >= 0 else 0


# ---------------------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------------------

# How far before a quote or a speech verb an attribution is looked for, in characters.
_REACH = 300
_OPENERS = "“„«"
_CLOSERS = "”»"
_MARK_RE = re.compile('["“”„«»]')


@dataclass
class _Quote:
    open: int  # the opening mark
    close: int = -1  # the closing mark
    continuations: list[int] = field(default_factory=list)  # marks that open continued paragraphs

    def words(self, text: str) -> str:
        pieces, at = [], self.open + 1
        for mark in self.continuations:
            pieces.append(text[at:mark])
            at = mark + 1
        pieces.append(text[at : self.close])
        return " ".join(" ".join(pieces).split())


def _straight_role(text: str, i: int) -> str:
    """Whether a straight quote mark opens or closes, judged by the characters either side of it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in "([{—–-:/") and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-…'’" or i + 1 == len(text))
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _find_quotes(text: str, paragraphs: list[int]) -> list[_Quote]:
    """Pair the quote marks of ``text``; unclosed quotes are dropped.

    A quote may continue into the next paragraph when that paragraph opens with a quote mark (the English
    convention for a quotation of several paragraphs); otherwise a paragraph break abandons an open quote.
    """
    quotes: list[_Quote] = []
    current: _Quote | None = None
    last = -1
    for m in _MARK_RE.finditer(text):
        pos, mark = m.start(), m.group()
        role = "open" if mark in _OPENERS else "close" if mark in _CLOSERS else _straight_role(text, pos)
        if current is not None:
            paragraph = bisect_right(paragraphs, pos) - 1
            previous = bisect_right(paragraphs, last) - 1
            if paragraph != previous:
                if role != "close" and paragraph == previous + 1 and paragraphs[paragraph] == pos:
                    current.continuations.append(pos)
                    last = pos
                    continue
                current = None  # never closed: not a quote
            elif role in ("close", "either"):
                current.close = pos
                if pos > current.open + 1:
                    quotes.append(current)
                current = None
                continue
        if role in ("open", "either"):
            current, last = _Quote(pos), pos
    return quotes


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Where the clause that ends at ``pos`` starts: after a sentence end, a paragraph or ``floor``."""
    i = pos - 1
    while i >= floor:
        c = text[i]
        if c == "\n" and "\n" in text[max(floor, i - 3) : i]:
            return i + 1
        if c in ".!?…" and _ends_sentence(text, i) is not None:
            return _ends_sentence(text, i) or i + 1
        if c in ";":
            return i + 1
        i -= 1
    return floor


def _clause_end(text: str, pos: int, limit: int) -> int:
    """Where the clause that starts at ``pos`` ends: at a sentence end, quote mark, semicolon or ``limit``."""
    i = pos
    while i < min(limit, len(text)):
        c = text[i]
        if c in '"“”„«»;' or (c == "\n" and "\n" in text[i + 1 : i + 3]):
            return i
        if c in ".!?…":
            if _ends_sentence(text, i) is not None or i + 1 >= len(text):
                return i
            if c in "!?" and (i + 1 >= len(text) or text[i + 1].isspace()):
                return i
        i += 1
    return min(limit, len(text))


def _strip(text: str, start: int, end: int, chars: str = " \t\r\n\f\v,;:—–-") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in _DETERMINERS and word.lower() not in _CLAUSE_WORDS


def _proper_name(phrase: str) -> bool:
    """A run of capitalised words ("Ilan Verhoef", "Mara Tessel"), allowing "of", "de", "al-" links."""
    words = phrase.split()
    return bool(words) and all(
        _is_name_word(w) or w in ("of", "de", "van", "von", "al", "bin") for w in words
    )


def _looks_like_speaker(phrase: str) -> bool:
    """Whether ``phrase`` can be a speaker: a pronoun, a name, or a noun phrase led by an article."""
    words = phrase.split()
    if not 1 <= len(words) <= 12:
        return False
    first = words[0].lower()
    if len(words) == 1 and (first in _PRONOUNS or first in _OTHER_PRONOUNS):
        return True
    if not (words[0][:1].isupper() or first in _DETERMINERS):
        # A bare plural noun phrase ("officials", "local officials", "residents of Orsk") or a role before
        # a name ("ministry spokeswoman Dilan Roe").
        plural = len(words) <= 4 and any(_plural(w.lower()) for w in words[:2])
        titled = len(words) <= 6 and len(words) >= 2 and _proper_name(" ".join(words[-2:]))
        if not (plural or titled):
            return False
    if first in _MONTH_WORDS or first in _SPEAKER_STOPS - {"this"} or first in _PRONOUNS:
        return False
    if first in ("in", "on", "at", "speaking", "asked", "after", "before", "for", "from", "with", "as", "of"):
        return False
    if any(c in phrase for c in '"“”„«»;:!?()[]') or re.match(r"\d", phrase):
        return False
    for word in words:
        lowered = word.strip(",.").lower()
        if lowered in _CLAUSE_WORDS or lowered in _VERB_SET or lowered in ("that", "who"):
            return False
    return not all(w.lower() in _MONTH_WORDS or w.isdigit() for w in words)


@dataclass
class _Speaker:
    """A speaker found beside a quote: the span of its words (``document`` when they only name a document)."""

    start: int
    end: int
    document: bool = False  # "The statement read: ..." names no speaker


def _speaker_span(text: str, start: int, end: int) -> _Speaker | None:
    """The speaker in ``text[start:end]`` (a subject before a speech verb or after one), trimmed, or None."""
    start, end = _strip(text, start, end)
    # "and added", "Later he added": a leading conjunction or adverb is not part of the speaker.
    while True:
        m = re.match(r"(\w+),?\s+", text[start:end])
        if m and m.group(1).lower() in _CONJUNCTIONS | _ADVERBS and end - start > m.end():
            start += m.end()
        else:
            break
    # "Verhoef later said": adverbs between the speaker and the verb.
    while True:
        m = re.search(r"\s+(\w+)$", text[start:end])
        if m and m.group(1).lower() in _ADVERBS:
            end = start + m.start()
        else:
            break
    start, end = _strip(text, start, end)
    if start >= end:
        return None
    phrase = text[start:end]
    m = _POSSESSIVE_RE.fullmatch(phrase)
    if m and _looks_like_speaker(m.group("x")):
        return _Speaker(start, start + m.end("x"))
    m = _STATEMENT_FROM_RE.fullmatch(phrase)
    if m:
        inner = _speaker_span(text, start + m.start("x"), end)
        if inner is not None:
            return inner
    if _DOCUMENT_ONLY_RE.fullmatch(phrase):
        return _Speaker(start, end, document=True)
    if _looks_like_speaker(phrase):
        return _Speaker(start, end)
    return None


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated pieces of ``text[start:end]`` as spans."""
    pieces, at = [], start
    for i in range(start, end):
        if text[i] == ",":
            pieces.append((at, i))
            at = i + 1
    pieces.append((at, end))
    return pieces


def _pick_appositive(text: str, head: tuple[int, int], appositive: tuple[int, int]) -> _Speaker | None:
    """Of "NAME, ROLE," or "ROLE, NAME," keep the proper name, which the resolver can look up."""
    first = _speaker_span(text, *head)
    second = _speaker_span(text, *appositive)
    if first is not None and _proper_name(text[first.start : first.end]):
        return first
    if second is not None and _proper_name(text[second.start : second.end]):
        return second
    return first or second


def _subject_before(text: str, start: int, end: int, depth: int = 0) -> _Speaker | None:
    """The speaker that ends ``text[start:end]`` (the words before a speech verb)."""
    s, e = _strip(text, start, end, " \t\r\n\f\v")
    if s >= e:
        return None
    appositive = text[e - 1] == ","
    if appositive:
        e -= 1
    pieces = [p for p in _segments(text, s, e) if text[p[0] : p[1]].strip()]
    if not pieces:
        return None
    if appositive and len(pieces) >= 2:
        found = _pick_appositive(text, pieces[-2], pieces[-1])
        if found is not None:
            return found
    found = _speaker_span(text, *pieces[-1])
    if found is not None:
        return found
    if depth < 2:
        # "Verhoef said the vote was rigged and added": the subject of the earlier verb.
        verb = _VERB_RE.search(text, pieces[-1][0], pieces[-1][1])
        if verb is not None:
            return _subject_before(text, pieces[-1][0], verb.start(), depth + 1)
    return None


_ACCORDING_LEAD_RE = re.compile(r"according\s+to\s+(?P<x>[^,:;\"“”]+?)\s*[,:]\s*$", re.IGNORECASE)
_ACCORDING_AFTER_RE = re.compile(r"\s*,?\s*according\s+to\s+", re.IGNORECASE)
_LEAD_END_RE = re.compile(r"(?:[:,]|\bthat)\s*$")
_INVERTED_RE = re.compile(r"\s*,?\s*(?:" + _VERB_RE.pattern + r")\s+")


def _lead_speaker(text: str, quote: _Quote, floor: int) -> tuple[_Speaker, int] | None:
    """A speaker introducing the quote (``X said: "..."``); with where the attribution starts."""
    begin = _clause_start(text, quote.open, max(floor, quote.open - _REACH))
    lead_end = quote.open
    lead = text[begin:lead_end]
    if not lead.strip():
        return None
    m = _ACCORDING_LEAD_RE.search(lead)
    if m:
        speaker = _speaker_span(text, begin + m.start("x"), begin + m.end("x"))
        if speaker is not None:
            return speaker, begin + m.start()
    stripped_end = begin + len(lead.rstrip())
    verbs = list(_VERB_RE.finditer(text, begin, lead_end))
    for verb in reversed(verbs):
        tail = text[verb.end() : stripped_end]
        # Between the verb and the quote: nothing, or a short phrase ending in ":", "," or "that"
        # ("told reporters:", "said on Wednesday, January 8,", "said that").
        if tail.strip() and (
            not _LEAD_END_RE.search(tail) or len(tail) > 80 or any(c in tail for c in ".!?")
        ):
            continue
        speaker = _subject_before(text, begin, verb.start())
        if speaker is not None:
            return speaker, speaker.start
        break
    if lead.rstrip().endswith(":"):
        # A colon after a statement with no speech verb: "Verhoef's reply was short:".
        colon = stripped_end - 1
        pieces = _segments(text, begin, colon)
        s, e = _strip(text, *pieces[-1])
        phrase = text[s:e]
        judged = _COLON_SUBJECT_RE.fullmatch(phrase)
        speaker = None
        if judged:
            speaker = _speaker_span(text, s, s + judged.end("x"))
        elif _POSSESSIVE_RE.fullmatch(phrase) or _STATEMENT_FROM_RE.fullmatch(phrase):
            speaker = _speaker_span(text, s, e)
        if speaker is not None:
            return speaker, speaker.start
    return None


def _after_speaker(text: str, quote: _Quote) -> tuple[_Speaker, int] | None:
    """A speaker after the quote (``"...," X said``); with where the attribution ends."""
    words = text[quote.open + 1 : quote.close].rstrip()
    after = quote.close + 1
    comma_after = text[after : after + 2].lstrip().startswith(",")
    if not (comma_after or (words and words[-1] in ",?!…—–-")):
        return None  # "the report "Silent Valleys" said ..." is a title, not an attributed quote
    end = _clause_end(text, after, after + 200)
    m = _ACCORDING_AFTER_RE.match(text, after, end)
    if m:
        stop = m.end()
        for w in re.finditer(r"\S+", text[m.end() : end]):
            if w.group().lower().strip(",") in _SPEAKER_STOPS:
                break
            stop = m.end() + w.end()
            if w.group().endswith(","):
                break
        speaker = _speaker_span(text, m.end(), stop)
        if speaker is not None:
            return speaker, speaker.end
        return None
    m = _INVERTED_RE.match(text, after, end)
    if m:
        return _inverted_speaker(text, m.end(), end)
    verb = _VERB_RE.search(text, after, end)
    if verb is None:
        return None
    s, e = _strip(text, after, verb.start(), " \t\r\n\f\v")
    if s < e and text[s] == ",":
        s += 1
    if s >= e:
        return None
    if text[e - 1] == ",":
        pieces = [p for p in _segments(text, s, e - 1) if text[p[0] : p[1]].strip()]
        if len(pieces) == 2:
            speaker = _pick_appositive(text, pieces[0], pieces[1])
            return (speaker, verb.end()) if speaker is not None else None
        return None
    speaker = _speaker_span(text, s, e)
    return (speaker, verb.end()) if speaker is not None else None


def _inverted_speaker(text: str, start: int, end: int) -> tuple[_Speaker, int] | None:
    """The speaker after the verb in ``"...," said X``: words up to punctuation or a time or place phrase."""
    stop = start
    authored = False
    for n, w in enumerate(re.finditer(r"\S+", text[start:end])):
        word = w.group()
        bare = word.rstrip(",.").lower()
        if bare == "by" and authored:
            authored = False  # "a statement issued by the ministry": the author follows
            continue
        if bare in _SPEAKER_STOPS:
            break
        if n and bare.endswith("ed") and word.islower():
            # "read a banner carried by students": a participle ends the speaker, unless it names an author.
            if bare in _AUTHORED and re.match(r"\s+by\b", text[start + w.end() : end]):
                authored = True
                continue
            break
        if bare in _CLAUSE_WORDS or bare in _VERB_SET:
            return None  # "said the group had ...": a clause, not a speaker
        stop = start + w.end()
        if word.endswith(",") or (word.endswith(".") and bare not in _ABBREVIATIONS and len(bare) > 1):
            stop -= 1
            break
    speaker = _speaker_span(text, start, stop)
    if speaker is None or text[speaker.start : speaker.end].lower() in _PRONOUNS | _OTHER_PRONOUNS:
        return None  # English inverts "said" only with a noun: "said he" is not read
    return speaker, speaker.end


_AUTHORED = frozenset(
    {"issued", "released", "published", "signed", "posted", "sent", "circulated", "written"}
)
_NAME_RUN_RE = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Prof|Sen|Gov|Capt)\.\s+)?[A-Z][\w'’-]+"
    r"(?:\s+(?:(?:of|for|the|de|van|von|al)\s+)*[A-Z][\w'’-]+)*"
)


def _named_mentions(text: str, sentences: _Sentences) -> list[tuple[int, str]]:
    """Speakers a later pronoun ("he said") can stand for, with their offsets.

    The subjects of reported speech ("Verhoef said the army would withdraw") and proper names of two words or
    more that open a sentence ("Tomas Reyl, the opposition leader, addressed the crowd").
    """
    found = []
    for verb in _VERB_RE.finditer(text):
        # A subject is a few words long: looking further back than _REACH only costs time on run-on text.
        begin = max(sentences.start_of(verb.start()), verb.start() - _REACH)
        speaker = _subject_before(text, begin, verb.start())
        if speaker is not None and not speaker.document:
            name = text[speaker.start : speaker.end]
            if name.lower() not in _PRONOUNS | _OTHER_PRONOUNS:
                found.append((speaker.start, name))
    for start, end in sentences.spans:
        m = _NAME_RUN_RE.match(text, start, end)
        if m is None or not _proper_name(m.group()):
            continue
        # One capitalised word opening a sentence may be a common noun ("Police", "Critics"): only a word
        # that does not look plural is taken for a name ("Anberg rejected that.").
        if len(m.group().split()) == 1 and _plural(m.group().lower()):
            continue
        if m.group().split()[0].lower() in _FUNCTION_WORDS | _MONTH_WORDS | _ADVERBS:
            continue
        if re.match(r",|\s+[a-z]", text[m.end() : m.end() + 2]):
            found.append((m.start(), m.group()))
    return sorted(set(found))


# ---------------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------------

_DIGITS_RE = re.compile(
    r"(?<![\w.,/:#])(?<![A-Za-z]-)(?<![A-Za-z]\u2011)"
    r"(?P<cur>US\$|\$|€|£)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,.]\d)|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:thousand|million|billion|bn|mn)|m|k)?"
    r"(?!\w|[.,]\d)"
)
_CURRENCY = {"$": "dollars", "US$": "US dollars", "€": "euros", "£": "pounds"}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_SCALE_WORDS = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD_RE = re.compile(r"[A-Za-z]+(?:[-‐‑][A-Za-z]+)*")


def _small_number_word(word: str) -> bool:
    """one..nineteen, twenty..ninety, and "twenty-five" written with a hyphen."""
    parts = re.split(r"[-‐‑]", word)
    if len(parts) == 1:
        return word in _UNITS or word in _TENS
    return len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS and 1 <= _UNITS[parts[1]] <= 9


@dataclass
class _Number:
    start: int
    end: int
    value: float
    scale: float | None = None  # the scale word or suffix written with it ("million", "bn")
    spelled: bool = False
    currency: str | None = None
    plain: bool = False  # digits only, no separator, decimal or scale: could be a year
    dash_end: bool = False  # written straight after "<digit>-": only the end of a range
    code: bool = False  # a leading zero ("0199"): part of a code, never a count


def _spelled_value(words: list[str]) -> float | None:
    """The value of a run of number words, through text2num for what it reads."""
    from text_to_num import text2num  # imported here: the command line must start fast

    if words[0] == "half" and len(words) == 3:  # "half a million"
        return 0.5 * _SCALE_WORDS[words[2]]
    if words[-1] == "dozen":  # "a dozen", "two dozen"; text2num reads neither
        if len(words) == 1 or words[:-1] == ["a"]:
            return 12.0
        base = _spelled_value(words[:-1])
        return None if base is None else base * 12
    if words[0] == "a":  # "a hundred", "a million": text2num wants "one"
        words = ["one", *words[1:]]
    if "half" in words:  # "two and a half million"
        i = words.index("half")
        if i >= 3 and words[i - 2 : i] == ["and", "a"] and i == len(words) - 2:
            base = _spelled_value(words[: i - 2])
            return None if base is None else (base + 0.5) * _SCALE_WORDS[words[-1]]
        return None
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:  # "twenty twenty", "one two": not one number
        return None


def _token(text: str, tokens: list[tuple[int, int, str]], i: int, k: int) -> str:
    """The (lower-cased) word k tokens after tokens[i], if only spaces lead to it; "" otherwise."""
    if i + k >= len(tokens) or not text[tokens[i + k - 1][1] : tokens[i + k][0]].isspace():
        return ""
    return tokens[i + k][2]


def _spelled_numbers(text: str) -> list[_Number]:
    """Runs of number words ("three thousand", "two hundred and fifty", "half a million")."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD_RE.finditer(text)]
    found: list[_Number] = []
    i = 0
    while i < len(tokens):
        w = tokens[i][2]

        def word(k: int, i: int = i) -> str:
            return _token(text, tokens, i, k)

        run: list[str]
        if w == "half" and word(1) == "a" and word(2) in _SCALE_WORDS:
            run = ["half", "a", word(2)]
        elif w == "a" and (word(1) in _SCALE_WORDS or word(1) == "dozen"):
            run = ["a", word(1)]
        elif _small_number_word(w):  # a bare "hundred" or "thousand" starts no number
            run = [w]
        else:
            i += 1
            continue
        k = len(run)
        while True:
            nxt = word(k)
            if nxt in _SCALE_WORDS or nxt == "dozen" or (_small_number_word(nxt) and run[-1] in _SCALE_WORDS):
                run.append(nxt)  # "three thousand", "two dozen", "one hundred twenty"
                k += 1
            elif nxt == "and" and run[-1] in _SCALE_WORDS and _small_number_word(word(k + 1)):
                run += ["and", word(k + 1)]  # "two hundred and fifty"
                k += 2
            elif (
                nxt == "and" and word(k + 1) == "a" and word(k + 2) == "half" and word(k + 3) in _SCALE_WORDS
            ):
                run += ["and", "a", "half", word(k + 3)]  # "two and a half million"
                k += 4
                break
            else:
                break
        value = _spelled_value(run)
        if value is not None:
            scales = [_SCALE_WORDS[x] for x in run if x in _SCALE_WORDS]
            found.append(
                _Number(
                    tokens[i][0], tokens[i + k - 1][1], value, scales[-1] if scales else None, spelled=True
                )
            )
        i += k
    return found


_SCALE_SUFFIXES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}


def _digit_numbers(text: str) -> list[_Number]:
    """Numbers written with digits: "30,000", "30 000", "1.5 million", "2.3bn", "$4m"."""
    found = []
    for m in _DIGITS_RE.finditer(text):
        scale_word = (m.group("scale") or "").strip().lower()
        try:
            value = parse_number(m.group("num") + scale_word)
        except ClaimtrackError:
            continue
        currency = _CURRENCY.get(m.group("cur") or "")
        plain = m.group("num").isdigit() and not scale_word and currency is None
        number = _Number(m.start(), m.end(), value, _SCALE_SUFFIXES.get(scale_word), currency=currency,
                         plain=plain)  # fmt: skip
        # The end of "2,800-3,800" only counts as the end of a range; alone it is part of a code
        # ("555-0199"), as is any number with a leading zero.
        number.dash_end = m.start() >= 2 and text[m.start() - 1] in "-–—" and text[m.start() - 2].isdigit()
        number.code = bool(re.match(r"0\d", m.group("num")))
        found.append(number)
    return found


# ---------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------

_QUALIFIER_WORDS = {
    "more than": Qualifier.more_than, "over": Qualifier.more_than, "upwards of": Qualifier.more_than,
    "in excess of": Qualifier.more_than, "just over": Qualifier.more_than, "well over": Qualifier.more_than,
    "above": Qualifier.more_than, "well above": Qualifier.more_than,
    "at least": Qualifier.at_least, "no fewer than": Qualifier.at_least, "no less than": Qualifier.at_least,
    "a minimum of": Qualifier.at_least,
    "fewer than": Qualifier.fewer_than, "less than": Qualifier.fewer_than, "under": Qualifier.fewer_than,
    "below": Qualifier.fewer_than,
    "at most": Qualifier.at_most, "no more than": Qualifier.at_most, "a maximum of": Qualifier.at_most,
    "up to": Qualifier.up_to, "as many as": Qualifier.up_to, "as much as": Qualifier.up_to,
    "nearly": Qualifier.nearly, "almost": Qualifier.nearly, "close to": Qualifier.nearly,
    "just under": Qualifier.nearly, "just shy of": Qualifier.nearly,
    "about": Qualifier.about, "around": Qualifier.about, "approximately": Qualifier.about,
    "roughly": Qualifier.about, "an estimated": Qualifier.about, "estimated": Qualifier.about,
    "circa": Qualifier.about, "approx.": Qualifier.about, "some": Qualifier.some,
    "exactly": Qualifier.exact, "precisely": Qualifier.exact,
}  # fmt: skip
_QUALIFIER_RE = re.compile(
    r"\b("
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_QUALIFIER_WORDS, key=len, reverse=True))
    + r")\s+$",
    re.IGNORECASE,
)


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    """The hedge written just before ``start`` ("about", "more than", ...) and where it starts."""
    window_start = max(0, start - 30)
    m = _QUALIFIER_RE.search(text, window_start, start)
    if m is None or m.end() != start:
        return None, start
    return _QUALIFIER_WORDS[" ".join(m.group(1).lower().split())].value, m.start()


_COUNT_STOP = frozenset(
    {
        "of", "in", "on", "at", "to", "from", "by", "for", "with", "and", "or", "but", "nor", "than", "as",
        "that", "which", "who", "whom", "whose", "since", "during", "across", "into", "onto", "over", "under",
        "between", "among", "per", "after", "before", "until", "through", "the", "a", "an", "this", "these",
        "those", "its", "their", "his", "her", "our", "my", "your", "it", "they", "he", "she", "we", "were",
        "was", "is", "are", "be", "been", "being", "have", "has", "had", "will", "would", "could", "should",
        "may", "might", "must", "can", "did", "do", "does", "not", "also", "still", "more", "less", "fewer",
        "each", "every", "all", "some", "any", "according", "including", "against", "around", "about",
        "within", "without", "while", "when", "where", "if", "so", "then", "there", "here", "ago", "out", "up", "down", "off", "away", "back", "only", "just", "now", "yet", "too", "say",
        "says", "said", "remain", "remains", "live", "lives", "face", "faces", "fled", "left", "died", "took",
        "came", "went", "fell", "ran", "lost", "held", "met", "rose", "won", "fought", "spent", "paid", "sent",
        "kept", "began", "became", "gave", "got", "made", "stood", "sat", "saw", "told", "knew", "hid",
        "attend", "attended", "gather", "gathered", "signed", "voted", "marched", "joined", "what", "how", "why", "both", "either", "neither", "most", "many", "much", "several",
    }
)  # fmt: skip
_TIME_UNITS = frozenset(
    {
        "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "weekend",
        "weekends", "month", "months", "year", "years", "decade", "decades", "century", "centuries", "night",
        "nights", "fortnight", "fortnights", "semester", "semesters",
    }
)  # fmt: skip
_IRREGULAR_PLURALS = frozenset(
    {
        "people", "men", "women", "children", "police", "personnel", "staff", "cattle", "sheep", "livestock",
        "militia", "crew", "youth", "clergy", "infantry", "feet", "teeth", "mice", "geese", "folk", "kin",
        "media", "data", "percent", "fish", "deer", "aircraft", "offspring", "public",
    }
)  # fmt: skip
_COUNT_WORD_RE = re.compile(r"[ \t\u00a0]+(?:\n[ \t]*)?[\"“]?([A-Za-z][A-Za-z'’-]*)")


def _plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))


def _counted(text: str, pos: int) -> tuple[str | None, int]:
    """The counted noun phrase after a number at ``pos``: words up to the first plural noun (or a stop)."""
    words: list[tuple[str, int]] = []
    i = pos
    while len(words) < 4:
        m = _COUNT_WORD_RE.match(text, i)
        if not m:
            break
        word = m.group(1)
        lowered = word.lower()
        if lowered in _COUNT_STOP or lowered.endswith(("'s", "’s")):
            break
        if words and (
            lowered.endswith(("ed", "ly")) or (lowered.endswith("ing") and not lowered.endswith("ings"))
        ):
            break  # "3,000 people living in camps", "400 soldiers executed": a verb after the noun
        words.append((word, m.end(1)))
        i = m.end()
        if _plural(lowered) or text[i : i + 1] in ('"', "”"):
            break  # the head noun, or the end of a quoted noun ('112 "hooligans"')
    # A trailing participle or adverb is not part of the noun: "300 died", "2,000 armed" (with no noun after).
    while words and words[-1][0].lower().endswith(("ed", "ly", "ing")) and not _plural(words[-1][0].lower()):
        words.pop()
    # "2,000 people Verhoef": a capitalised word after the noun belongs to what comes next.
    while len(words) > 1 and words[-1][0][:1].isupper() and any(w[:1].islower() for w, _ in words[:-1]):
        words.pop()
    if not words:
        return None, pos
    return " ".join(w for w, _ in words), words[-1][1]


_LABELS = frozenset(
    {
        "article", "articles", "section", "sections", "chapter", "page", "pages", "p", "pp", "paragraph",
        "para", "clause", "resolution", "no", "nos", "number", "room", "line", "item", "point", "verse",
        "grade", "level", "phase", "stage", "round", "version", "vol", "volume", "issue", "cell", "block",
        "building", "floor", "route", "highway", "flight", "platform", "gate", "annex", "appendix", "table",
        "figure", "fig", "case", "law", "decree", "act", "rule", "bill", "unit", "district", "ward", "zone",
        "sector", "division", "brigade", "battalion", "regiment", "squad", "episode", "part", "step", "tier",
        "category", "class", "code", "ref", "box", "file", "exhibit", "count", "motion", "amendment",
        "protocol", "convention", "camp", "station", "road", "street", "avenue", "bus", "train", "term",
    }
)  # fmt: skip
# Capitalised words that can stand before a count: "Over 300", "The 12 nations", "Some 40 villages".
_FUNCTION_WORDS = (
    _DETERMINERS
    | _CONJUNCTIONS
    | {w.split()[-1] for w in _QUALIFIER_WORDS}
    | {
        "in", "on", "at", "by", "with", "of", "for", "from", "to", "between", "all", "only", "just", "another",
        "every", "each", "those", "these", "nearly", "almost", "exactly", "than", "least", "most", "since", "after", "before", "during", "when", "while", "if", "among", "across", "although", "though",
        "because", "as", "once", "until", "whereas", "including", "some", "its", "their",
        "estimated", "approximately", "roughly", "around", "about", "over", "under", "below", "above",
        "killing", "kills", "killed", "total", "totalled", "totaled", "reached", "numbered",
    }
)  # fmt: skip


def _is_identifier(text: str, start: int) -> bool:
    """Whether the number at ``start`` labels something ("Article 5", "Resolution 2231", "No. 12")."""
    m = re.search(r"([A-Za-z][\w.’']*)[ \t\u00a0]*$", text[max(0, start - 30) : start])
    if m is None:
        return False
    word = m.group(1)
    lowered = word.lower().rstrip(".")
    if lowered in _LABELS:
        return True
    if lowered.endswith(("'s", "’s")):
        return False
    # A capitalised word right before a number names it ("Valdoria 2030", "Camp 4"), unless it is a word
    # that can start a sentence in front of a count ("Over 300", "The 12 nations").
    return word[:1].isupper() and lowered not in _FUNCTION_WORDS


_TIME_AFTER_RE = re.compile(r"\s*(?:[ap]\.?m\.?(?![A-Za-z])|o['’]clock|GMT|UTC|hrs\b|h\b)|:\d", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"\b(?:aged|age|ages|aged\s+between|aged\s+from)\s+$", re.IGNORECASE)
_AGE_AFTER_RE = re.compile(r"(?:[-\s]+(?:years?|months?)[-\s]+old)", re.IGNORECASE)
_PERCENT_RE = re.compile(r"\s?(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_STRONG_RE = re.compile(r"[-‐‑]strong\b")
_PARTITIVE_RE = re.compile(
    r"\s+of\s+(?:the|our|their|its|his|her|these|those|your|my)(?:\s+\d[\d,.]*(?=\s))?", re.IGNORECASE
)
_CHANGE_RE = re.compile(
    r"\b(?:rose|risen|rising|rises|fell|fallen|falling|falls|increased|increases|decreased|grew|grown|"
    r"dropped|climbed|jumped|declined|doubled|tripled|revised|raised|lowered|cut|reduced|went\s+up|"
    r"went\s+down|up|down|changed|corrected|updated|swelled|soared|shrank|surged)\b[^.;]{0,40}$",
    re.IGNORECASE,
)

_VAGUE_RE = re.compile(
    r"(?<![\w-])(?:(?:many|several)\s+)?"
    r"(?:(?P<tens>tens|hundreds)\s+of\s+(?P<big>thousands|millions)"
    r"|(?P<few>several|a\s+few)\s+(?P<fs>hundred|thousand|million)"
    r"|(?P<plain>dozens|hundreds|thousands|millions))(?![\w-])(?P<of>\s+of\b)?",
    re.IGNORECASE,
)
_VAGUE_READINGS = {
    "dozens": (None, 24.0, 99.0),
    "hundreds": (Qualifier.hundreds_of, 100.0, 999.0),
    "thousands": (Qualifier.thousands_of, 1e3, 9_999.0),
    "millions": (Qualifier.millions_of, 1e6, 999_999_999.0),
    "tens of thousands": (Qualifier.tens_of_thousands_of, 1e4, 99_999.0),
    "hundreds of thousands": (Qualifier.hundreds_of_thousands_of, 1e5, 999_999.0),
    "tens of millions": (Qualifier.millions_of, 1e7, 99_999_999.0),
    "hundreds of millions": (Qualifier.millions_of, 1e8, 999_999_999.0),
    "hundred": (Qualifier.hundreds_of, 100.0, 999.0),
    "thousand": (Qualifier.thousands_of, 1e3, 9_999.0),
    "million": (Qualifier.millions_of, 1e6, 9_999_999.0),
}


@dataclass
class _Figure:
    start: int
    end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    counted: str | None = None
    note: str | None = None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_right(spans, (end, end)) - 1
    while k >= 0 and spans[k][1] > start:
        if spans[k][0] < end:
            return True
        k -= 1
    return False


def _vague_figures(text: str, taken: list[tuple[int, int]]) -> list[_Figure]:
    """ "hundreds of", "tens of thousands of", "several thousand", "dozens of" as order-of-magnitude ranges."""
    figures = []
    for m in _VAGUE_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"\b(?:the|by|in|of)\s+$", before) and not m.group("of"):
            continue  # "by the thousands", "in their hundreds"
        if before.endswith(('"', "“", "'", "‘")) and not m.group("of"):
            continue  # the figure of "hundreds": a word quoted, not a count
        if m.group("tens"):
            key = f"{m.group('tens')} of {m.group('big')}".lower()
        elif m.group("few"):
            key = m.group("fs").lower()
        else:
            key = m.group("plain").lower()
        qualifier, low, high = _VAGUE_READINGS[key]
        end = m.end()
        counted = None
        if m.group("of") or m.group("few"):
            counted, end = _counted(text, m.end())
            if counted is None and m.group("of"):
                end = m.end() - len(m.group("of"))
        if counted and counted.split()[0].lower() in _TIME_UNITS:
            continue  # "hundreds of years"
        words = " ".join(m.group().split()).lower()
        if m.group("of"):
            words = words.removesuffix(" of")
        note = f"{words!r} read as the range {low:,.0f}-{high:,.0f}; the qualifier keeps the wording"
        figures.append(
            _Figure(
                m.start(),
                end,
                low=low,
                high=high,
                qualifier=qualifier.value if qualifier else None,
                counted=counted,
                note=note,
            )
        )
    return figures


def _excluded(text: str, n: _Number) -> bool:
    """Numbers that are not counts: identifiers, times, ages, compound adjectives, list numbers."""
    # Only a plain number can be a label ("Camp 4", "Resolution 1325"): "the Courier 250,000" is a count.
    if (n.plain or n.spelled) and _is_identifier(text, n.start):
        return True
    after = text[n.end : n.end + 14]
    if _TIME_AFTER_RE.match(after) or _AGE_AFTER_RE.match(after):
        return True
    if _AGE_BEFORE_RE.search(text[max(0, n.start - 20) : n.start]):
        return True
    if re.match(r"[-‐‑][A-Za-z]", after) and not _STRONG_RE.match(after):
        return True  # "a 25-year-old", "a 12-nation coalition", "three-day"
    line_start = text.rfind("\n", 0, n.start) + 1
    # "1. First item"
    return not text[line_start : n.start].strip() and re.match(r"[.)]\s", after) is not None


def _figure_from(text: str, start: int, end: int, *, value: float | None = None, low: float | None = None,
                 high: float | None = None, qualifier_start: int | None = None, currency: str | None = None,
                 ) -> _Figure:  # fmt: skip
    """A figure whose number(s) span ``text[start:end]``: its qualifier before and its counted noun after."""
    qualifier, q_start = _qualifier_before(text, qualifier_start if qualifier_start is not None else start)
    counted: str | None = None
    percent = _PERCENT_RE.match(text, end)
    if percent:
        counted, end = "percent", percent.end()
    else:
        strong = _STRONG_RE.match(text, end)
        counted, counted_end = _counted(text, strong.end() if strong else end)
        partitive = None if counted or strong else _PARTITIVE_RE.match(text, end)
        if partitive:  # "600 of our members", "11 of the 14 villages"
            counted, counted_end = _counted(text, partitive.end())
        end = max(end, counted_end)
    if currency:
        counted = currency
    return _Figure(min(q_start, start), end, value, low, high, qualifier, counted)


_ANAPHORIC = _DETERMINERS | {"both", "all", "other", "every", "each", "first", "last", "next", "my", "your"}


def _keep_single(text: str, n: _Number, figure: _Figure) -> bool:
    """Whether a single number makes a figure worth proposing (see the module docstring)."""
    if figure.counted and figure.counted.split()[0].lower() in _TIME_UNITS:
        return False  # a duration: "12 years", "three days"
    if n.dash_end or n.code:
        return False
    if n.plain and 1000 <= n.value <= 2099:
        return figure.qualifier is not None and figure.counted is not None  # "some 1500 soldiers"
    if n.spelled:
        if n.value <= 1 or figure.counted is None:
            return False  # "one of them", "no one", "two or three"
        previous = re.search(r"(\w+)\s+$", text[max(0, n.start - 20) : n.start])
        # "the two countries", "both three-judge panels": a small number after a determiner names a known
        # set instead of counting it.
        return not (n.value < 100 and previous and previous.group(1).lower() in _ANAPHORIC)
    if figure.counted is None and n.currency is None and n.value < 130:
        if figure.qualifier is None and n.value < 100:
            return False  # "at 10", "scored 3": a small bare number says too little
        hedge = text[figure.start : n.start].strip().lower()
        if hedge in ("under", "over", "above", "below"):
            return False  # "under 25", "over 60": an age
    return True


def _figures(text: str, dates: list[tuple[int, int]]) -> list[_Figure]:
    """The figures of ``text``, leaving alone the numbers inside the ``dates`` spans."""
    vague = _vague_figures(text, dates)
    taken = sorted(dates + [(f.start, f.end) for f in vague])
    numbers = sorted(_digit_numbers(text), key=lambda n: n.start)
    digit_spans = [(n.start, n.end) for n in numbers]
    numbers += [n for n in _spelled_numbers(text) if not _overlaps(digit_spans, n.start, n.end)]
    numbers = [n for n in sorted(numbers, key=lambda n: n.start) if not _overlaps(taken, n.start, n.end)]
    # Ratios ("one in five", "3 out of 10") are not counts.
    ratio = set()
    for first, second in itertools.pairwise(numbers):
        if re.fullmatch(r"\s+(?:in|out\s+of)\s+", text[first.end : second.start]):
            ratio |= {first.start, second.start}
    numbers = [n for n in numbers if n.start not in ratio and not _excluded(text, n)]

    figures = list(vague)
    i = 0
    while i < len(numbers):
        a = numbers[i]
        b: _Number | None = numbers[i + 1] if i + 1 < len(numbers) else None
        if b is not None:
            gap = text[a.end : b.start]
            lead = text[max(0, a.start - 60) : a.start]
            between = re.search(r"\bbetween\s+$", lead, re.IGNORECASE)
            starts_from = re.search(r"\bfrom\s+$", lead, re.IGNORECASE)
            dash = re.fullmatch(r"\s*[-–—]\s*", gap) is not None
            # "to" and "or" join a range ("2,800 to 3,800", "two or three"); "and" only after "between".
            to = re.fullmatch(r"\s+(?:to|and|or)\s+", gap) is not None and (
                "and" not in gap or between is not None
            )
            if starts_from and _CHANGE_RE.search(lead[: starts_from.start()]):
                to = False  # "rose from 2,800 to 3,800": two figures, not a range
            if dash or to:
                low, high = a.value, b.value
                if a.scale is None and b.scale and low * b.scale <= high:
                    low *= b.scale  # "two to three thousand", "2.5 to 3 million"
                if low < high:
                    opener = between or starts_from
                    start = a.start - (len(lead) - opener.start()) if opener else a.start
                    figure = _figure_from(text, start, b.end, low=low, high=high, currency=a.currency)
                    if not (figure.counted and figure.counted.split()[0].lower() in _TIME_UNITS):
                        figures.append(figure)
                    i += 2
                    continue
                if dash:  # "3-2", "555-0123": a score or a code, not a range
                    i += 2
                    continue
        figure = _figure_from(text, a.start, a.end, value=a.value, currency=a.currency)
        if _keep_single(text, a, figure):
            figures.append(figure)
        i += 1
    return figures


# ---------------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------------

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![0-9A-Za-z])"
_YEAR = r"(?:1[0-9]|20)[0-9]{2}(?![0-9A-Za-z]|[-‐‑][A-Za-z]|[.,][0-9])"
_VAGUE_DATE = r"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)(?:-|\s+))"
_SEASON = r"(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)"
_DECADE = r"(?:1[0-9]|20)[0-9]0(?:s|['’]s)(?![A-Za-z])"
_BARE_YEAR = rf"(?:(?:[Cc]irca|c\.|ca\.|around|about|approximately|roughly)\s+|{_VAGUE_DATE})?{_YEAR}"
_SINGLE = (
    rf"(?:{_WD},?\s+)?{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?"
    rf"|(?:{_WD},?\s+)?(?:[Tt]he\s+)?{_DAY}(?:\s+of)?\s+{_MON}(?:,?\s+{_YEAR})?"
    rf"|{_VAGUE_DATE}?{_MON},?\s+(?:of\s+)?{_YEAR}"
    rf"|{_VAGUE_DATE}?{_SEASON}\s+(?:of\s+)?{_YEAR}"
    rf"|(?:[Tt]he\s+)?{_VAGUE_DATE}?{_DECADE}"
    rf"|(?:[Tt]he\s+)?(?:2[01]|1[0-9]|[1-9])(?:st|nd|rd|th)\s+century"
    rf"|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?![0-9])"
    rf"|{_BARE_YEAR}"
)
# The start of a range may leave out what its end says: "from March to May 2018", "between 6 and 8 July".
_START = rf"(?:{_SINGLE}|{_MON}|{_DAY})"
_RANGE = (
    rf"[Bb]etween\s+{_START}\s+and\s+(?:{_SINGLE})"
    rf"|[Ff]rom\s+{_START}\s+(?:to|until|till|through|thru)\s+(?:{_SINGLE})"
    rf"|{_MON}\s+{_DAY}\s*[-–]\s*{_DAY}(?:,?\s+{_YEAR})?"
    rf"|{_DAY}\s*[-–]\s*{_DAY}\s+{_MON}(?:,?\s+{_YEAR})?"
    rf"|(?P<y4>{_YEAR})\s*[-–]\s*(?P<y2>[0-9]{{2}})(?![0-9A-Za-z]|-)"
    rf"|(?:{_SINGLE})\s*(?:[-–—]|\s(?:to|until|through)\s)\s*(?:{_SINGLE})"
)
# A month alone only after a preposition ("in April"): "May" and "March" alone are also words.
_LONE_MONTH = (
    rf"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hrough|[Ff]rom)\s+(?P<lone>{_MON})"
    rf"(?![\s,]+(?:{_DAY}|{_YEAR}|of\s))"
)
_LEFT = r"(?<![\w$€£/])(?<![0-9][,.])"
_DATE_RE = re.compile(rf"{_LEFT}(?:(?P<range>{_RANGE})|(?P<single>{_SINGLE}))|{_LONE_MONTH}")
_SINGLE_RE = re.compile(rf"{_LEFT}(?:{_SINGLE})")
_BARE_YEAR_RE = re.compile(_BARE_YEAR)
_SINCE_RE = re.compile(r"\b[Ss]ince\s+$")


@dataclass
class _Date:
    start: int
    end: int
    edtf: str
    note: str | None


def _parse(phrase: str, reference: datetime.date | None) -> tuple[str, str | None] | None:
    try:
        parsed = parse_date(phrase, reference)
    except ClaimtrackError:
        return None
    return parsed.edtf, parsed.note


def _bare_year_is_count(text: str, m: re.Match[str]) -> bool:
    """A bare year after a figure qualifier and before a noun is a count: "some 1500 soldiers"."""
    qualifier, _ = _qualifier_before(text, m.start())
    hedged = qualifier is not None or not m.group()[:1].isdigit()
    counted, _ = _counted(text, m.end())
    return hedged and counted is not None and counted.split()[0].lower() not in _TIME_UNITS


def _date_from(text: str, m: re.Match[str], reference: datetime.date | None) -> _Date | None:
    start, end = m.start(), m.end()
    if m.re is _DATE_RE and m.group("lone"):
        start = m.start("lone")  # the preposition only vouched for the month
    phrase = text[start:end]
    if _BARE_YEAR_RE.fullmatch(phrase) and (_is_identifier(text, start) or _bare_year_is_count(text, m)):
        return None  # "Resolution 1325", "some 1500 soldiers"
    if m.re is _DATE_RE and m.group("y2"):
        first = m.group("y4")
        second = first[:2] + m.group("y2")
        if second <= first:
            return None
        phrase = f"{first} to {second}"  # "1988-90": the parser reads two-digit ends as EDTF seasons
    parsed = _parse(phrase, reference)
    if parsed is None:
        return None
    edtf, note = parsed
    since = _SINCE_RE.search(text, max(0, start - 8), start)
    if since and "/" not in edtf:
        opened = _parse(f"{edtf}/..", None)
        if opened is None and re.fullmatch(r"[0-9]{2,3}X+", edtf):
            # EDTF leaves an end open only beside a plain date: "since the 1950s" becomes 1950 onwards.
            first = edtf.replace("X", "0")
            opened = _parse(f"{first}/..", None)
            if opened is not None:
                note = "; ".join(filter(None, [note, f"'since' a decade or century read as {first} onwards"]))
        if opened is not None:
            edtf, start = opened[0], since.start()
    return _Date(start, end, edtf, note)


def _dates(text: str, reference: datetime.date | None) -> list[_Date]:
    found = []
    for m in _DATE_RE.finditer(text):
        date = _date_from(text, m, reference)
        if date is not None:
            found.append(date)
        elif m.group("range"):
            # A range the parser refuses may still hold dates it reads ("June 2019 to 1,500 people").
            for inner in _SINGLE_RE.finditer(text, m.start(), m.end()):
                date = _date_from(text, inner, reference)
                if date is not None:
                    found.append(date)
    return found


# ---------------------------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------------------------


def _resolver(resolve: Resolver | None) -> Callable[[str | None], str | None]:
    """The ``resolve`` callback tried on the variants of a speaker (see the module docstring), cached."""
    cache: dict[str, str | None] = {}

    def ask(name: str) -> str | None:
        if name not in cache:
            try:
                cache[name] = resolve(name) if resolve is not None else None
            except ClaimtrackError:  # an ambiguous or unknown name: no entity, not an error
                cache[name] = None
        return cache[name]

    def variants(speaker: str) -> list[str]:
        found = [speaker, re.sub(r"^(?:the|a|an)\s+", "", speaker, flags=re.IGNORECASE)]
        m = re.search(r"\b(?:for|of|at|from|with)\s+((?:the\s+)?[A-Z].*)$", speaker)
        if m:
            found += [m.group(1), re.sub(r"^the\s+", "", m.group(1))]
        m = re.search(r"((?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*)$", speaker)
        if m:
            names = m.group(1).split()
            found += [" ".join(names[k:]) for k in range(len(names))]
        return list(dict.fromkeys(v for v in found if v))

    def entity(speaker: str | None) -> str | None:
        if speaker is None or resolve is None:
            return None
        for variant in variants(speaker):
            answer = ask(variant)
            if answer is not None:
                return answer
        return None

    return entity


def _quote_candidates(
    text: str, quotes: list[_Quote], sentences: _Sentences, paragraphs: list[int], resolve: Resolver | None
) -> list[Candidate]:
    """The quotes of ``text`` that have an attribution (or continue one), with their speakers resolved."""
    entity_of = _resolver(resolve)
    named = _named_mentions(text, sentences)  # sorted by offset: the antecedents of pronoun speakers
    candidates: list[Candidate] = []
    last: dict[int, tuple[int, str | None]] = {}  # paragraph -> (quote close, speaker) of its last quote
    floor = 0
    for quote in quotes:
        words = quote.words(text)
        if words.endswith(","):
            words = words[:-1].rstrip()
        if not words:
            floor = quote.close + 1
            continue
        short = len(words.split()) < 3
        # One or two words count as a quote only when punctuated as an utterance ("Never," he said.):
        # otherwise they are a term or a title.
        utterance = words[-1] in ".!?…" or text[quote.open + 1 : quote.close].rstrip().endswith(",")
        attribution: _Speaker | None = None
        start, end = quote.open, quote.close + 1
        note: str | None = None
        if utterance or not short:
            lead = _lead_speaker(text, quote, floor)
            if lead is not None:
                attribution, start = lead[0], min(lead[1], quote.open)
            else:
                after = _after_speaker(text, quote)
                if after is not None:
                    attribution, end = after[0], max(after[1], end)
        paragraph = bisect_right(paragraphs, quote.open) - 1
        speaker: str | None
        if attribution is None:
            previous = last.get(paragraph)
            opens_sentence = re.search(
                r"(?:[.!?…][\"”’)]?|^)\s*$", text[max(floor, quote.open - 3) : quote.open]
            )
            if previous is None or short or not opens_sentence or previous[1] is None:
                floor = quote.close + 1
                continue
            speaker = previous[1]
            note = f"no attribution of its own: taken to continue the quote of {speaker!r} before it"
        elif attribution.document:
            speaker = None
            note = f"attributed to a document ({text[attribution.start : attribution.end]!r}), not a speaker"
        else:
            speaker = text[attribution.start : attribution.end]
            if speaker.lower() in _PRONOUNS:
                k = bisect_left(named, (attribution.start, ""))
                if k > 0:
                    name = named[k - 1][1]
                    note = f"speaker {speaker!r} taken to be {name!r}, the nearest named speaker before"
                    speaker = name
                else:
                    note = f"speaker {speaker!r} not resolved: no named speaker before it"
                    speaker = None
            elif speaker.lower() not in _OTHER_PRONOUNS:
                insort(named, (attribution.start, speaker))
        last[paragraph] = (quote.close, speaker)
        floor = quote.close + 1
        candidates.append(
            Candidate(
                kind="quote",
                text=sentences.around(start, end),
                passage=text[start:end],
                start=start,
                end=end,
                speaker=speaker,
                entity=entity_of(speaker),
                quote=words,
                note=note,
            )
        )
    return candidates


def extract(
    text: str,
    *,
    reference: datetime.date | None = None,
    resolve: Callable[[str], str | None] | None = None,
) -> list[Candidate]:
    """Propose the quotes, figures and dated statements of ``text``, in document order.

    ``reference`` is the source's publication date: a year-less date ("Wednesday, January 8") is resolved
    against it, and the candidate's note says so. ``resolve`` maps a speaker as written to the name of a known
    entity, or ``None``; the caller backs it with the entity table. See the module docstring for what is and
    is not proposed. Never raises on any text; ``text[c.start:c.end] == c.passage`` for every candidate.
    """
    if not text or not text.strip():
        return []
    paragraphs = _paragraph_starts(text)
    quotes = _find_quotes(text, paragraphs)
    sentences = _Sentences(text, paragraphs, [(q.open, q.close) for q in quotes])
    candidates = _quote_candidates(text, quotes, sentences, paragraphs, resolve)

    dates = _dates(text, reference)
    for d in dates:
        candidates.append(
            Candidate(
                "event",
                sentences.around(d.start, d.end),
                text[d.start : d.end],
                d.start,
                d.end,
                date=d.edtf,
                note=d.note,
            )
        )
    for f in _figures(text, sorted((d.start, d.end) for d in dates)):
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
                note=f.note,
            )
        )
    order = {"quote": 0, "event": 1, "figure": 2}
    return sorted(candidates, key=lambda c: (c.start, c.end, order[c.kind]))
