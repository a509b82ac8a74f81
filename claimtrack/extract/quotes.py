"""Quoted words: pairing quote marks, and the quotes that have an attribution (or continue one)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field

from .attribution import _resolver
from .candidate import Candidate, Resolver
from .figures import _FUNCTION_WORDS, _plural
from .sentences import (
    _ABBREVIATIONS,
    _ADVERBS,
    _CLAUSE_WORDS,
    _COLON_SUBJECT_RE,
    _CONJUNCTIONS,
    _DETERMINERS,
    _DOCUMENT_ONLY_RE,
    _MONTH_WORDS,
    _OTHER_PRONOUNS,
    _POSSESSIVE_RE,
    _PRONOUNS,
    _SPEAKER_STOPS,
    _STATEMENT_FROM_RE,
    _VERB_RE,
    _VERB_SET,
    _ends_sentence,
    _Sentences,
)

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
