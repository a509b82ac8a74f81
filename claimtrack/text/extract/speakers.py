"""Speaker phrases: the subject of a speech verb, an inverted speaker, and the names a pronoun can stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import FUNCTION_WORDS, is_plural
from .sentences import (
    ABBREVIATIONS,
    ADVERBS,
    CLAUSE_WORDS,
    CONJUNCTIONS,
    DETERMINERS,
    DOCUMENT_ONLY_RE,
    MONTH_WORDS,
    OTHER_PRONOUNS,
    POSSESSIVE_RE,
    PRONOUNS,
    SPEAKER_STOPS,
    STATEMENT_FROM_RE,
    VERB_RE,
    VERB_SET,
    Sentences,
)

# "while the government says": the conjunction opens the clause, the speaker follows it.
_SUBORDINATORS = frozenset({"while", "whereas", "although", "though", "whilst"})

# How far before a quote or a speech verb an attribution is looked for, in characters.

# How far before a quote or a speech verb an attribution is looked for, in characters.
REACH = 300


def strip_span(text: str, start: int, end: int, chars: str = " \t\r\n\f\v,;:—–-") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in DETERMINERS and word.lower() not in CLAUSE_WORDS


def proper_name(phrase: str) -> bool:
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
    if len(words) == 1 and (first in PRONOUNS or first in OTHER_PRONOUNS):
        return True
    if not (words[0][:1].isupper() or first in DETERMINERS):
        # A bare plural noun phrase ("officials", "local officials", "residents of Orsk") or a role before
        # a name ("ministry spokeswoman Dilan Roe").
        plural = len(words) <= 4 and any(is_plural(w.lower()) for w in words[:2])
        titled = len(words) <= 6 and len(words) >= 2 and proper_name(" ".join(words[-2:]))
        if not (plural or titled):
            return False
    if first in MONTH_WORDS or first in SPEAKER_STOPS - {"this"} or first in PRONOUNS:
        return False
    if first in ("in", "on", "at", "speaking", "asked", "after", "before", "for", "from", "with", "as", "of"):
        return False
    if any(c in phrase for c in '"“”„«»;:!?()[]') or re.match(r"\d", phrase):
        return False
    for word in words:
        lowered = word.strip(",.").lower()
        if lowered in CLAUSE_WORDS or lowered in VERB_SET or lowered in ("that", "who"):
            return False
    return not all(w.lower() in MONTH_WORDS or w.isdigit() for w in words)


@dataclass
class Speaker:
    """A speaker found beside a quote: the span of its words (``document`` when they only name a document)."""

    start: int
    end: int
    document: bool = False  # "The statement read: ..." names no speaker


def speaker_span(text: str, start: int, end: int) -> Speaker | None:
    """The speaker in ``text[start:end]`` (a subject before a speech verb or after one), trimmed, or None."""
    start, end = strip_span(text, start, end)
    # "and added", "Later he added": a leading conjunction or adverb is not part of the speaker.
    while True:
        m = re.match(r"(\w+),?\s+", text[start:end])
        if m and m.group(1).lower() in CONJUNCTIONS | ADVERBS | _SUBORDINATORS and end - start > m.end():
            start += m.end()
        else:
            break
    # "Verhoef later said": adverbs between the speaker and the verb.
    while True:
        m = re.search(r"\s+(\w+)$", text[start:end])
        if m and m.group(1).lower() in ADVERBS:
            end = start + m.start()
        else:
            break
    start, end = strip_span(text, start, end)
    if start >= end:
        return None
    phrase = text[start:end]
    m = POSSESSIVE_RE.fullmatch(phrase)
    if m and _looks_like_speaker(m.group("x")):
        return Speaker(start, start + m.end("x"))
    m = STATEMENT_FROM_RE.fullmatch(phrase)
    if m:
        inner = speaker_span(text, start + m.start("x"), end)
        if inner is not None:
            return inner
    if DOCUMENT_ONLY_RE.fullmatch(phrase):
        return Speaker(start, end, document=True)
    if _looks_like_speaker(phrase):
        return Speaker(start, end)
    return None


def segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated pieces of ``text[start:end]`` as spans."""
    pieces, at = [], start
    for i in range(start, end):
        if text[i] == ",":
            pieces.append((at, i))
            at = i + 1
    pieces.append((at, end))
    return pieces


def pick_appositive(text: str, head: tuple[int, int], appositive: tuple[int, int]) -> Speaker | None:
    """Of "NAME, ROLE," or "ROLE, NAME," keep the proper name, which the resolver can look up."""
    first = speaker_span(text, *head)
    second = speaker_span(text, *appositive)
    if first is not None and proper_name(text[first.start : first.end]):
        return first
    if second is not None and proper_name(text[second.start : second.end]):
        return second
    return first or second


def subject_before(text: str, start: int, end: int, depth: int = 0) -> Speaker | None:
    """The speaker that ends ``text[start:end]`` (the words before a speech verb)."""
    s, e = strip_span(text, start, end, " \t\r\n\f\v")
    if s >= e:
        return None
    appositive = text[e - 1] == ","
    if appositive:
        e -= 1
    pieces = [p for p in segments(text, s, e) if text[p[0] : p[1]].strip()]
    if not pieces:
        return None
    if appositive and len(pieces) >= 2:
        found = pick_appositive(text, pieces[-2], pieces[-1])
        if found is not None:
            return found
    found = speaker_span(text, *pieces[-1])
    if found is not None:
        return found
    if depth < 2:
        # "Verhoef said the vote was rigged and added": the subject of the earlier verb.
        verb = VERB_RE.search(text, pieces[-1][0], pieces[-1][1])
        if verb is not None:
            return subject_before(text, pieces[-1][0], verb.start(), depth + 1)
    return None


def inverted_speaker(text: str, start: int, end: int) -> tuple[Speaker, int] | None:
    """The speaker after the verb in ``"...," said X``: words up to punctuation or a time or place phrase."""
    stop = start
    authored = False
    for n, w in enumerate(re.finditer(r"\S+", text[start:end])):
        word = w.group()
        bare = word.rstrip(",.").lower()
        if bare == "by" and authored:
            authored = False  # "a statement issued by the ministry": the author follows
            continue
        if bare in SPEAKER_STOPS:
            break
        if n and bare.endswith("ed") and word.islower():
            # "read a banner carried by students": a participle ends the speaker, unless it names an author.
            if bare in _AUTHORED and re.match(r"\s+by\b", text[start + w.end() : end]):
                authored = True
                continue
            break
        if bare in CLAUSE_WORDS or bare in VERB_SET:
            return None  # "said the group had ...": a clause, not a speaker
        stop = start + w.end()
        if word.endswith(",") or (word.endswith(".") and bare not in ABBREVIATIONS and len(bare) > 1):
            stop -= 1
            break
    speaker = speaker_span(text, start, stop)
    if speaker is None or text[speaker.start : speaker.end].lower() in PRONOUNS | OTHER_PRONOUNS:
        return None  # English inverts "said" only with a noun: "said he" is not read
    return speaker, speaker.end


_AUTHORED = frozenset(
    {"issued", "released", "published", "signed", "posted", "sent", "circulated", "written"}
)
_NAME_RUN_RE = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Prof|Sen|Gov|Capt)\.\s+)?[A-Z][\w'’-]+"
    r"(?:\s+(?:(?:of|for|the|de|van|von|al)\s+)*[A-Z][\w'’-]+)*"
)


def named_mentions(text: str, sentences: Sentences) -> list[tuple[int, str]]:
    """Speakers a later pronoun ("he said") can stand for, with their offsets.

    The subjects of reported speech ("Verhoef said the army would withdraw") and proper names of two words or
    more that open a sentence ("Tomas Reyl, the opposition leader, addressed the crowd").
    """
    found = []
    for verb in VERB_RE.finditer(text):
        # A subject is a few words long: looking further back than REACH only costs time on run-on text.
        begin = max(sentences.start_of(verb.start()), verb.start() - REACH)
        speaker = subject_before(text, begin, verb.start())
        if speaker is not None and not speaker.document:
            name = text[speaker.start : speaker.end]
            if name.lower() not in PRONOUNS | OTHER_PRONOUNS:
                found.append((speaker.start, name))
    for start, end in sentences.spans:
        if text.startswith("The ", start):  # "The Kestrel Institute published ...": the name after "The"
            start += 4
        m = _NAME_RUN_RE.match(text, start, end)
        if m is None or not proper_name(m.group()):
            continue
        # One capitalised word opening a sentence may be a common noun ("Police", "Critics"): only a word
        # that does not look plural is taken for a name ("Anberg rejected that.").
        if len(m.group().split()) == 1 and is_plural(m.group().lower()):
            continue
        if m.group().split()[0].lower() in FUNCTION_WORDS | MONTH_WORDS | ADVERBS:
            continue
        if re.match(r",|\s+[a-z]", text[m.end() : m.end() + 2]):
            found.append((m.start(), m.group()))
    return sorted(set(found))
