"""Figures: counts with their qualifier, range and counted noun, and the numbers that are not counts."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass

from ...vocab import Qualifier
from .numbers import Number, digit_numbers, spelled_numbers
from .sentences import CONJUNCTIONS, DETERMINERS

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


def qualifier_before(text: str, start: int) -> tuple[str | None, int]:
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
TIME_UNITS = frozenset(
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


def is_plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))


def counted_noun(text: str, pos: int) -> tuple[str | None, int]:
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
        if is_plural(lowered) or text[i : i + 1] in ('"', "”"):
            break  # the head noun, or the end of a quoted noun ('112 "hooligans"')
    # A trailing participle or adverb is not part of the noun: "300 died", "2,000 armed" (with no noun after).
    while words and words[-1][0].lower().endswith(("ed", "ly", "ing")) and not is_plural(words[-1][0].lower()):
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
FUNCTION_WORDS = (
    DETERMINERS
    | CONJUNCTIONS
    | {w.split()[-1] for w in _QUALIFIER_WORDS}
    | {
        "in", "on", "at", "by", "with", "of", "for", "from", "to", "between", "all", "only", "just", "another",
        "every", "each", "those", "these", "nearly", "almost", "exactly", "than", "least", "most", "since", "after", "before", "during", "when", "while", "if", "among", "across", "although", "though",
        "because", "as", "once", "until", "whereas", "including", "some", "its", "their",
        "estimated", "approximately", "roughly", "around", "about", "over", "under", "below", "above",
        "killing", "kills", "killed", "total", "totalled", "totaled", "reached", "numbered",
    }
)  # fmt: skip


def is_identifier(text: str, start: int) -> bool:
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
    return word[:1].isupper() and lowered not in FUNCTION_WORDS


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
            counted, end = counted_noun(text, m.end())
            if counted is None and m.group("of"):
                end = m.end() - len(m.group("of"))
        if counted and counted.split()[0].lower() in TIME_UNITS:
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


_DIMENSION_AFTER_RE = re.compile(r"\s*[x×]\s*\d")
_DIMENSION_BEFORE_RE = re.compile(r"\d\s*[x×]\s*$")
_FURNITURE_RE = re.compile(
    r"\s+(?:photos?|pictures?|images?|videos?|comments?|shares?|slides?|replies|likes|views)\s*[)\]]",
    re.IGNORECASE,
)
# "of whom 38 were children": a small number with no noun still counts after these.
_PART_OF_RE = re.compile(r"\b(?:of\s+whom|of\s+which|among\s+them|including|among\s+whom)\s+$", re.IGNORECASE)
# "two cabinet ministers told the Courier": a small count of the people who speak is not a claim.
_SPEAKING_RE = re.compile(
    r"\s*(?:[,]\s*)?(?:also\s+)?(?:said|say|says|told|tell|added|confirmed|spoke|speaking|described|recalled)\b"
)


# Nouns that make a four-digit number before them a count, not a year: "1500 dead" (but "1998 protests").
COUNT_AFTER = frozenset(
    {
        "people", "dead", "deaths", "persons", "protesters", "soldiers", "civilians", "prisoners", "detainees",
        "victims", "casualties", "fighters", "refugees", "families", "members", "children", "women", "men",
        "students", "workers", "troops", "police", "officers", "demonstrators", "bodies", "wounded", "killed",
        "injured", "arrested", "missing", "displaced", "martyrs", "graves", "homes", "houses",
    }
)  # fmt: skip
# A count is named before it: "the death toll of 1500", "put the number at 1500", "the toll rose to 1500".
COUNT_BEFORE_RE = re.compile(
    r"\b(?:toll|tolls|figure|figures|count|total|number|tally|estimate|estimates|sum)\s+"
    r"(?:\w+\s+){0,3}?(?:of|at|to|was|is|stands\s+at|reached)\s+$",
    re.IGNORECASE,
)


# A small bare number that a toll or count names: "The toll, compiled by the Mission, stood at 58".
_TOLL_AT_RE = re.compile(
    r"\b(?:toll|tally|count)\b[^.;!?]{0,100}?\b(?:stood|stands|rose|reached|climbed|jumped|is|was)\s+(?:at|to)?\s*$",
    re.IGNORECASE,
)


def _named_count(text: str, start: int, end: int) -> bool:
    """A four-digit number the words around make a count: "the death toll of 1500", "1500 dead"."""
    if COUNT_BEFORE_RE.search(text[max(0, start - 60) : start]):
        return True
    after = re.match(r"\s+([a-z]+)", text[end : end + 20])
    return after is not None and after.group(1) in COUNT_AFTER


def _excluded(text: str, n: Number) -> bool:
    """Numbers that are not counts: identifiers, times, ages, compound adjectives, list numbers."""
    # Only a plain number can be a label ("Camp 4", "Resolution 1325"): "the Courier 250,000" is a count.
    if (n.plain or n.spelled) and is_identifier(text, n.start):
        return True
    after = text[n.end : n.end + 14]
    if _TIME_AFTER_RE.match(after) or _AGE_AFTER_RE.match(after):
        return True
    if _DIMENSION_AFTER_RE.match(after) or _DIMENSION_BEFORE_RE.search(text[max(0, n.start - 6) : n.start]):
        return True  # page furniture: "728 x 90", "1280 x 720"
    if _FURNITURE_RE.match(text, n.end) and text[max(0, n.start - 1) : n.start] in ("(", "["):
        return True  # "(12 photos)", "[3 comments]"
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
    qualifier, q_start = qualifier_before(text, qualifier_start if qualifier_start is not None else start)
    counted: str | None = None
    percent = _PERCENT_RE.match(text, end)
    if percent:
        counted, end = "percent", percent.end()
    else:
        strong = _STRONG_RE.match(text, end)
        counted, counted_end = counted_noun(text, strong.end() if strong else end)
        partitive = None if counted or strong else _PARTITIVE_RE.match(text, end)
        if partitive:  # "600 of our members", "11 of the 14 villages"
            counted, counted_end = counted_noun(text, partitive.end())
        end = max(end, counted_end)
    if currency:
        counted = currency
    return _Figure(min(q_start, start), end, value, low, high, qualifier, counted)


_ANAPHORIC = DETERMINERS | {"both", "all", "other", "every", "each", "first", "last", "next", "my", "your"}


def _keep_single(text: str, n: Number, figure: _Figure) -> bool:
    """Whether a single number makes a figure worth proposing (see the module docstring)."""
    if figure.counted and figure.counted.split()[0].lower() in TIME_UNITS:
        return False  # a duration: "12 years", "three days"
    if n.spelled and n.value <= 12 and _SPEAKING_RE.match(text, figure.end):
        return False  # "two security sources said": who speaks, not what is claimed
    if n.dash_end or n.code:
        return False
    if n.plain and 1000 <= n.value <= 2099:  # "some 1500 soldiers", "the death toll of 1500"
        return (figure.qualifier is not None and figure.counted is not None) or _named_count(
            text, n.start, n.end
        )
    if n.spelled:
        if n.value <= 1 or figure.counted is None:
            return False  # "one of them", "no one", "two or three"
        previous = re.search(r"(\w+)\s+$", text[max(0, n.start - 20) : n.start])
        # "the two countries", "both three-judge panels": a small number after a determiner names a known
        # set instead of counting it.
        return not (n.value < 100 and previous and previous.group(1).lower() in _ANAPHORIC)
    if _PART_OF_RE.search(text[max(0, figure.start - 20) : figure.start]):
        return True  # "of whom 38 were children"
    if _TOLL_AT_RE.search(text[max(0, figure.start - 140) : figure.start]):
        return True  # "the toll ... stood at 58"
    if figure.counted is None and n.currency is None and n.value < 130:
        if figure.qualifier is None and n.value < 100:
            return False  # "at 10", "scored 3": a small bare number says too little
        hedge = text[figure.start : n.start].strip().lower()
        if hedge in ("under", "over", "above", "below"):
            return False  # "under 25", "over 60": an age
    return True


def find_figures(text: str, dates: list[tuple[int, int]]) -> list[_Figure]:
    """The figures of ``text``, leaving alone the numbers inside the ``dates`` spans."""
    vague = _vague_figures(text, dates)
    taken = sorted(dates + [(f.start, f.end) for f in vague])
    numbers = sorted(digit_numbers(text), key=lambda n: n.start)
    digit_spans = [(n.start, n.end) for n in numbers]
    numbers += [n for n in spelled_numbers(text) if not _overlaps(digit_spans, n.start, n.end)]
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
        b: Number | None = numbers[i + 1] if i + 1 < len(numbers) else None
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
                    if not (figure.counted and figure.counted.split()[0].lower() in TIME_UNITS):
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
