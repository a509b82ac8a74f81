"""Words the extractor knows, and the paragraphs and sentences of a text as spans."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right

# ---------------------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------------------

SPEECH_VERBS = (
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "declared", "declares",
    "wrote", "writes", "announced", "announces", "insisted", "insists", "claimed", "claims", "warned", "warns",
    "argued", "argues", "noted", "notes", "explained", "explains", "asked", "asks", "replied", "replies",
    "responded", "responds", "continued", "tweeted", "posted", "remarked", "recalled", "urged", "alleged",
    "acknowledged", "conceded", "admitted", "maintained", "emphasised", "emphasized", "stressed", "observed",
    "commented", "concluded", "asserted", "reiterated", "vowed", "promised", "pledged", "testified",
    "shouted", "chanted", "yelled", "cried", "exclaimed", "whispered", "read", "reads",
)  # fmt: skip
VERB_RE = re.compile(r"\b(?:" + "|".join(SPEECH_VERBS) + r")\b")
VERB_SET = frozenset(SPEECH_VERBS)

PRONOUNS = frozenset({"he", "she", "they", "it"})
OTHER_PRONOUNS = frozenset({"i", "we", "you"})
DETERMINERS = frozenset(
    {"a", "an", "the", "its", "his", "her", "their", "our", "one", "another", "this", "that", "these", "those"}
)  # fmt: skip
# Words that make a phrase a clause rather than a noun phrase: a speaker never contains them.
CLAUSE_WORDS = frozenset(
    {
        "was", "were", "is", "are", "be", "been", "being", "had", "has", "have", "would", "will", "could",
        "should", "can", "may", "might", "must", "did", "does", "do", "not", "which", "because", "if",
        "when", "while", "although", "though", "whether", "there", "than", "where",
    }
)  # fmt: skip
# Words that end an inverted speaker ("said a spokesperson for the Amber Front on Tuesday").
SPEAKER_STOPS = frozenset(
    {
        "on", "in", "at", "during", "yesterday", "today", "tonight", "earlier", "later", "last", "this",
        "who", "whose", "adding", "according", "to", "after", "before", "as", "and", "but", "when", "while",
        "since", "by", "via", "through", "from", "with", "told", "late", "early", "shortly",
    }
)  # fmt: skip
ADVERBS = frozenset(
    {
        "also", "later", "then", "again", "once", "previously", "earlier", "repeatedly", "recently",
        "quickly", "simply", "firmly", "flatly", "publicly", "privately", "openly", "reportedly",
        "allegedly", "initially", "subsequently", "immediately", "angrily", "calmly", "bluntly",
        "separately", "jointly", "further", "now", "yesterday", "today", "often", "always", "never",
        "still", "just", "meanwhile", "however", "finally", "afterwards", "afterward", "instead",
    }
)  # fmt: skip
CONJUNCTIONS = frozenset({"and", "but", "then", "so", "also", "yet", "or"})
# What a statement is called; "X's statement" and "a statement from X" are attributed to X.
_STATEMENT_NOUNS = (
    "statement", "statements", "message", "reply", "response", "answer", "letter", "post", "tweet", "note",
    "communiqué", "communique", "release", "press release", "words", "remarks", "comment", "comments",
    "verdict", "conclusion", "warning", "position", "argument", "appeal", "plea", "demand", "speech",
    "testimony", "announcement", "declaration", "report", "transcript", "text", "sign", "banner", "placard",
    "headline", "caption", "leaflet", "notice", "document", "memo", "website", "account", "summary",
)  # fmt: skip
_STATEMENT_RE = "|".join(sorted((re.escape(n) for n in _STATEMENT_NOUNS), key=len, reverse=True))
POSSESSIVE_RE = re.compile(rf"(?P<x>.+?)['’]s\s+(?:[a-z]+\s+)?(?:{_STATEMENT_RE})\b.*", re.DOTALL)
STATEMENT_FROM_RE = re.compile(
    rf"(?:the|a|an|its|his|her|their|this)\s+(?:[\w-]+\s+)?(?:{_STATEMENT_RE})\s+"
    r"(?:from|by|of|issued\s+by|released\s+by|published\s+by|signed\s+by)\s+(?P<x>.+)",
    re.DOTALL | re.IGNORECASE,
)
DOCUMENT_ONLY_RE = re.compile(
    rf"(?:the|a|an|its|this|one)\s+(?:[\w-]+\s+){{0,2}}?(?:{_STATEMENT_RE})", re.IGNORECASE
)
# "X's reply was short: ..." -- a colon after a judgement of what was said.
COLON_SUBJECT_RE = re.compile(
    r"(?P<x>.+?)\s+(?:was|were|is|are)\s+(?:(?:very|quite|equally|more|less)\s+)?"
    r"(?:clear|blunt|brief|short|simple|direct|unequivocal|firm|defiant|emphatic|categorical|succinct|terse|"
    r"explicit|plain)\b.*",
    re.DOTALL,
)

ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm", "gov", "sen",
        "rep", "st", "jr", "sr", "no", "nos", "vol", "fig", "pp", "p", "para", "art", "sec", "dept", "est",
        "approx", "vs", "v", "e.g", "i.e", "etc", "cf", "al", "inc", "ltd", "co", "corp", "u.s", "u.n", "u.k",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m",
        "mt", "ft", "rev", "hon", "amb", "pres",
    }
)  # fmt: skip

MONTH_WORDS = frozenset(
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


def paragraph_starts(text: str) -> list[int]:
    """The offset of the first character of every paragraph (the first one starts at 0)."""
    return [0] + [m.end() for m in _PARAGRAPH_RE.finditer(text)]


def _word_before(text: str, i: int) -> str:
    """The word (letters and inner dots) that ends at ``i``."""
    j = i
    while j > 0 and (text[j - 1].isalpha() or (text[j - 1] == "." and j - 1 < i - 1)):
        j -= 1
    return text[j:i]


def ends_sentence(text: str, i: int) -> int | None:
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
        if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            return None  # "Gen. Ilan Verhoef", "J. Tessel"
    return j


_CONTEXT = 400


class Sentences:
    """The sentences of a text as spans; a sentence never ends inside a quote or across a paragraph."""

    def __init__(self, text: str, paragraphs: list[int], protected: list[tuple[int, int]]) -> None:
        inside = sorted(protected)
        starts_inside = [s for s, _ in inside]
        boundaries = set(paragraphs[1:])
        for m in re.finditer(r"[.!?…]", text):
            end = ends_sentence(text, m.start())
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
