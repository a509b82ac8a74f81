"""Quoted words: pairing quote marks, and the quotes that have an attribution (or continue one)."""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass, field

from .attribution import Attributor, Said
from .candidate import Candidate
from .sentences import (
    COLON_SUBJECT_RE,
    OTHER_PRONOUNS,
    POSSESSIVE_RE,
    SPEAKER_STOPS,
    STATEMENT_FROM_RE,
    VERB_RE,
    Sentences,
    ends_sentence,
)
from .speakers import (
    REACH,
    Speaker,
    inverted_speaker,
    pick_appositive,
    segments,
    speaker_span,
    strip_span,
    subject_before,
)

# ---------------------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------------------

# How far before a quote or a speech verb an attribution is looked for, in characters.
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


def find_quotes(text: str, paragraphs: list[int]) -> list[_Quote]:
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
        if c in ".!?…" and ends_sentence(text, i) is not None:
            return ends_sentence(text, i) or i + 1
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
            if ends_sentence(text, i) is not None or i + 1 >= len(text):
                return i
            if c in "!?" and (i + 1 >= len(text) or text[i + 1].isspace()):
                return i
        i += 1
    return min(limit, len(text))


_ACCORDING_LEAD_RE = re.compile(r"according\s+to\s+(?P<x>[^,:;\"“”]+?)\s*[,:]\s*$", re.IGNORECASE)
_ACCORDING_AFTER_RE = re.compile(r"\s*,?\s*according\s+to\s+", re.IGNORECASE)
_LEAD_END_RE = re.compile(r"(?:[:,]|\bthat)\s*$")
_INVERTED_RE = re.compile(r"\s*,?\s*(?:" + VERB_RE.pattern + r")\s+")


def _lead_speaker(text: str, quote: _Quote, floor: int) -> tuple[Speaker, int] | None:
    """A speaker introducing the quote (``X said: "..."``); with where the attribution starts."""
    begin = _clause_start(text, quote.open, max(floor, quote.open - REACH))
    lead_end = quote.open
    lead = text[begin:lead_end]
    if not lead.strip():
        return None
    m = _ACCORDING_LEAD_RE.search(lead)
    if m:
        speaker = speaker_span(text, begin + m.start("x"), begin + m.end("x"))
        if speaker is not None:
            return speaker, begin + m.start()
    stripped_end = begin + len(lead.rstrip())
    verbs = list(VERB_RE.finditer(text, begin, lead_end))
    for verb in reversed(verbs):
        tail = text[verb.end() : stripped_end]
        # Between the verb and the quote: nothing, or a short phrase ending in ":", "," or "that"
        # ("told reporters:", "said on Wednesday, January 8,", "said that").
        if tail.strip() and (
            not _LEAD_END_RE.search(tail) or len(tail) > 80 or any(c in tail for c in ".!?")
        ):
            continue
        speaker = subject_before(text, begin, verb.start())
        if speaker is not None:
            return speaker, speaker.start
        break
    if lead.rstrip().endswith(":"):
        # A colon after a statement with no speech verb: "Verhoef's reply was short:".
        colon = stripped_end - 1
        pieces = segments(text, begin, colon)
        s, e = strip_span(text, *pieces[-1])
        phrase = text[s:e]
        judged = COLON_SUBJECT_RE.fullmatch(phrase)
        speaker = None
        if judged:
            speaker = speaker_span(text, s, s + judged.end("x"))
        elif POSSESSIVE_RE.fullmatch(phrase) or STATEMENT_FROM_RE.fullmatch(phrase):
            speaker = speaker_span(text, s, e)
        if speaker is not None:
            return speaker, speaker.start
    return None


def _after_speaker(text: str, quote: _Quote) -> tuple[Speaker, int] | None:
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
            if w.group().lower().strip(",") in SPEAKER_STOPS:
                break
            stop = m.end() + w.end()
            if w.group().endswith(","):
                break
        speaker = speaker_span(text, m.end(), stop)
        if speaker is not None:
            return speaker, speaker.end
        return None
    m = _INVERTED_RE.match(text, after, end)
    if m:
        return inverted_speaker(text, m.end(), end)
    verb = VERB_RE.search(text, after, end)
    if verb is None:
        return None
    s, e = strip_span(text, after, verb.start(), " \t\r\n\f\v")
    if s < e and text[s] == ",":
        s += 1
    if s >= e:
        return None
    if text[e - 1] == ",":
        pieces = [p for p in segments(text, s, e - 1) if text[p[0] : p[1]].strip()]
        if len(pieces) == 2:
            speaker = pick_appositive(text, pieces[0], pieces[1])
            return (speaker, verb.end()) if speaker is not None else None
        return None
    speaker = speaker_span(text, s, e)
    return (speaker, verb.end()) if speaker is not None else None


def quote_candidates(
    text: str, quotes: list[_Quote], sentences: Sentences, paragraphs: list[int], who: Attributor
) -> list[Candidate]:
    """The quotes of ``text`` that have an attribution (or continue one), with their speakers resolved."""
    named = who.named  # sorted by offset: the antecedents of pronoun speakers
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
        attribution: Speaker | None = None
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
        how = "text"
        governed = who.quote(quote.open) if attribution is None and not short else None
        if governed is not None and governed.attribution == "text":
            # Quoted words inside reported speech: 'Reyl said the vote was "a betrayal of everyone"'.
            speaker, note = governed.speaker, governed.note
        elif attribution is None:
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
            speaker, how = None, "unknown"
            note = f"attributed to a document ({text[attribution.start : attribution.end]!r}), not a speaker"
        else:
            written = text[attribution.start : attribution.end]
            said = who.said(written, attribution.start)
            speaker, note, how = said.speaker, said.note, said.attribution
            if speaker == written and written.lower() not in OTHER_PRONOUNS:
                insort(named, (attribution.start, speaker))
        last[paragraph] = (quote.close, speaker)
        who.quotes.append((quote.open, quote.close, Said(speaker, who.entity(speaker), how)))
        floor = quote.close + 1
        candidates.append(
            Candidate(
                kind="quote",
                text=sentences.around(start, end),
                passage=text[start:end],
                start=start,
                end=end,
                speaker=speaker,
                entity=who.entity(speaker),
                attribution=how if speaker is not None else "unknown",
                quote=words,
                note=note,
            )
        )
    return candidates
