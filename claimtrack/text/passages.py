"""Anchoring a passage — the exact words a researcher copied — into a document's stored text.

An anchor records where the passage stands the way W3C Web Annotation does: a TextPositionSelector (start/end
offsets into the stored text) plus a TextQuoteSelector (the exact words with a little prefix and suffix), so
that the passage can be re-found after the text changes and checked against it later.

Matching is tried in three steps: verbatim, then *normalised* (ignoring the differences copying from a web page
or PDF introduces: whitespace runs, curly vs straight quotes, dashes, ellipses, invisible format characters,
letter case, Persian vs Arabic letter and digit forms), then, if both fail, the most similar span of the text
is reported so the researcher can see what the document says instead.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from claimtrack.errors import InvalidInput

__all__ = ["Anchor", "AnchorMethod", "anchor_passage", "matching_view", "normalise_for_matching", "relocate"]


class AnchorMethod(StrEnum):
    """How a passage was found in the text."""

    exact = "exact"
    """Found verbatim."""
    normalised = "normalised"
    """Found once whitespace, quote marks, dashes, ellipses, invisible characters and case are ignored."""
    not_found = "not-found"
    """Not found; the anchor's ``closest`` holds the most similar span of the text."""


@dataclass(frozen=True)
class Anchor:
    """Where a passage stands in a text (offsets are Python ``str`` indices into the original, end exclusive).

    When the passage is found, ``exact`` is ``text[start:end]`` — the words as they stand in the document,
    which differ from the passage when ``method`` is ``normalised`` — and ``prefix``/``suffix`` are up to
    ``context`` characters either side. When it is not found, those are ``None`` and ``closest`` (with its
    offsets and a similarity ``score`` from 0 to 100) is the most similar span of the text, if there is one.
    ``occurrences`` counts the non-overlapping places the passage matches with the same method; the anchor
    is on the first of them (or, from :func:`relocate`, on the one whose surroundings match best).
    """

    method: AnchorMethod
    start: int | None
    end: int | None
    exact: str | None
    prefix: str | None
    suffix: str | None
    closest: str | None = None
    closest_start: int | None = None
    closest_end: int | None = None
    score: float = 100.0
    occurrences: int = 1

    @property
    def found(self) -> bool:
        """Whether the passage was found (verbatim or normalised)."""
        return self.method is not AnchorMethod.not_found


# --- Normalisation -----------------------------------------------------------------------------------------

# Replacements that turn one character into exactly one character, so offsets stay aligned. Applied with
# str.replace, one call per character: on a 1 MB text that is ~10x faster than str.translate with a dict.
_ONE_FOR_ONE: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a", "'"),  # ‘ ’ ‚ ‛ ‹ ›
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'),  # “ ” „ ‟ « »
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # ‐ ‑ ‒ – — ― −
    # str.lower() picks σ or ς for Σ depending on what follows, so a passage cut after a sigma would lower
    # differently from the same letters inside the document.
    "\u03c2": "\u03c3",
    # The same Persian text arrives with Arabic or Persian forms of yeh and kaf depending on the keyboard.
    "\u064a": "\u06cc",
    "\u0643": "\u06a9",
    # Arabic-Indic and Persian digits stand for the same numbers as ASCII digits.
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}

# Every whitespace character (as str.isspace and str.strip see it — the last one is U+3000) becomes a plain
# space before runs are collapsed; this includes non-breaking spaces.
_WHITESPACE: tuple[str, ...] = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")

# Invisible characters that copying adds or loses: soft hyphen, zero-width space/joiners, word joiner, byte
# order mark, Arabic tatweel and the bidirectional marks that right-to-left text is full of.
_INVISIBLE = frozenset(
    "\u00ad\u0640\u061c\u2060\ufeff"
    + "".join(map(chr, [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
)

# The places where normalisation changes the length of the text: runs of spaces and invisible characters
# (collapsed to one space, or dropped when they hold no space), lone invisible characters (dropped) and the
# ellipsis character (expanded to "..."). Everything between them maps one for one.
_INVISIBLE_CLASS = "".join(sorted(_INVISIBLE))
_UNEVEN = re.compile(f"[ {_INVISIBLE_CLASS}]{{2,}}|[{_INVISIBLE_CLASS}]|\u2026")


def _fold(s: str) -> str:
    """Apply the one-for-one replacements and lower-case ``s``; the result has the same length as ``s``."""
    # İ is the one character whose lower case is two characters long; its dot does not matter for matching.
    lowered = s.replace("\u0130", "I").lower()
    if len(lowered) != len(s):
        # A later Unicode version has another such character: lower-case one character at a time instead.
        lowered = "".join(c.lower()[0] for c in s)
    s = lowered
    for old, new in _ONE_FOR_ONE.items():
        s = s.replace(old, new)
    for old in _WHITESPACE:
        s = s.replace(old, " ")
    return s


class _Normalised:
    """A normalised text and the way back from its offsets to the original's.

    The mapping is kept as segments rather than one integer per character: a 1 MB text has a few tens of
    thousands of segments, whereas a full list would cost ~36 MB and most of the time spent normalising.
    """

    __slots__ = ("_offsets", "_starts", "_steps", "text")

    def __init__(self, original: str) -> None:
        folded = _fold(original)
        pieces: list[str] = []
        # Segment k starts at normalised offset _starts[k], which came from original offset _offsets[k];
        # within it the original offset grows by _steps[k] per character (1, or 0 for collapsed runs and
        # the expanded ellipsis, whose characters all come from one place).
        starts: list[int] = []
        offsets: list[int] = []
        steps: list[int] = []
        length = 0
        done = 0

        def add(piece: str, origin: int, step: int) -> None:
            nonlocal length
            starts.append(length)
            offsets.append(origin)
            steps.append(step)
            pieces.append(piece)
            length += len(piece)

        for match in _UNEVEN.finditer(folded):
            a, b = match.span()
            if a > done:
                add(folded[done:a], done, 1)
            piece = match.group()
            if piece == "\u2026":
                replacement, origin = "...", a
            elif " " in piece:
                replacement, origin = " ", a + piece.index(" ")
            else:
                replacement, origin = "", a
            if replacement:
                add(replacement, origin, 0)
            done = b
        if done < len(folded) or not starts:
            add(folded[done:], done, 1)
        self.text = "".join(pieces)
        self._starts, self._offsets, self._steps = starts, offsets, steps

    def origin(self, i: int) -> int:
        """The offset in the original of the character at normalised offset ``i``."""
        k = bisect_right(self._starts, i) - 1
        return self._offsets[k] + (i - self._starts[k]) * self._steps[k]

    def position(self, offset: int) -> int:
        """The normalised offset of the original character at ``offset`` (or the nearest one before it)."""
        k = max(0, bisect_right(self._offsets, offset) - 1)
        return self._starts[k] + (offset - self._offsets[k]) * self._steps[k]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """The original span that normalised ``text[i:j]`` (non-empty) came from."""
        return self.origin(i), self.origin(j - 1) + 1

    def mapping(self) -> list[int]:
        """One original offset per normalised character."""
        out: list[int] = []
        ends = [*self._starts[1:], len(self.text)]
        for start, end, offset, step in zip(self._starts, ends, self._offsets, self._steps, strict=True):
            if step:
                out.extend(range(offset, offset + end - start))
            else:
                out.extend([offset] * (end - start))
        return out


# Checking every appearance in one source normalises the same document again and again; keep the last few.
_normalised_text = lru_cache(maxsize=4)(_Normalised)


def matching_view(text: str) -> _Normalised:
    """``text`` normalised for matching (see :func:`normalise_for_matching`), with the way back to its offsets;
    cached, as checking every quote of a source normalises the same text again and again."""
    return _normalised_text(text)


def normalise_for_matching(s: str) -> tuple[str, list[int]]:
    """Normalise ``s`` for matching and say where each character of the result came from.

    The result is lower-cased; curly quotes, guillemets and dashes become ``'``, ``"`` and ``-``; ``…`` becomes
    ``...``; every run of whitespace (including non-breaking spaces and newlines) becomes one space; invisible
    format characters (soft hyphens, zero-width and bidirectional marks) are dropped; Arabic yeh and kaf become
    their Persian forms and Arabic-Indic and Persian digits become ASCII digits. Leading and trailing spaces
    are kept (as one space each) so that offsets stay meaningful.

    Returns the normalised string and, for each of its characters, the index in ``s`` it came from, so that
    a match found in the normalised text maps back to exact offsets in the original.
    """
    normalised = _Normalised(s)
    return normalised.text, normalised.mapping()


# --- Anchoring ---------------------------------------------------------------------------------------------


def _passage_forms(passage: str) -> tuple[str, str]:
    """The passage stripped of surrounding whitespace, and its normalised form; reject an empty passage."""
    stripped = passage.strip()
    if not stripped:
        raise InvalidInput("the passage is empty: give the exact words as they appear in the source")
    normalised = _Normalised(stripped).text.strip(" ")
    if not normalised:
        raise InvalidInput("the passage holds only invisible characters: give the words as they appear")
    return stripped, normalised


def _check_context(context: int) -> None:
    if context < 0:
        raise InvalidInput(f"the context length must be zero or more, not {context}")


def _found(text: str, method: AnchorMethod, start: int, end: int, context: int, occurrences: int) -> Anchor:
    return Anchor(
        method=method,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        occurrences=occurrences,
    )


def _exact_spans(text: str, passage: str) -> list[tuple[int, int]]:
    """Non-overlapping verbatim occurrences, as str.count counts them."""
    spans = []
    i = text.find(passage)
    while i >= 0:
        spans.append((i, i + len(passage)))
        i = text.find(passage, i + len(passage))
    return spans


def _normalised_spans(text: str, normalised_passage: str) -> list[tuple[int, int]]:
    """Non-overlapping normalised occurrences, mapped back to spans of the original text."""
    normalised = _normalised_text(text)
    spans = []
    n = len(normalised_passage)
    i = normalised.text.find(normalised_passage)
    while i >= 0:
        spans.append(normalised.span(i, i + n))
        i = normalised.text.find(normalised_passage, i + n)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``text[start:end]`` to leave out whitespace and invisible characters at its ends."""
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return start, end


def _is_word_character(c: str) -> bool:
    # Combining marks (Arabic harakat, Indic vowel signs) belong to the letter before them.
    return c.isalnum() or c == "_" or unicodedata.category(c).startswith("M")


# The search for the closest span compares the passage with every window of the text: its cost grows with the
# passage's length times the text's (rapidfuzz does about two billion character pairs a second), and with the
# cube of the text's length once the passage is as long as the text. Past these limits -- a page-long
# passage in a ten-megabyte document, or a document pasted as a passage -- the passage is reported as not found
# without a closest span, rather than holding the command for minutes.
CLOSEST_SEARCH_BUDGET = 4_000_000_000
CLOSEST_SEARCH_LONGEST = 2_000
# Moving the window's ends to word boundaries compares the passage once per pair of candidate ends: the
# nearest few dozen either side are tried.
_REFINE_CANDIDATES = 48


def _best_window(normalised: str, passage: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of ``normalised[start:end]`` to nearby word boundaries where that makes it more similar.

    rapidfuzz aligns a window exactly as long as the passage, which cuts words in two and misses the end of a
    sentence whose changed word is longer. Trying the word boundaries within a quarter of the passage's length
    of each end (the nearest few dozen) costs a few thousand short comparisons at most.
    """
    from rapidfuzz import fuzz

    slack = max(8, len(passage) // 4)

    def boundary(i: int) -> bool:
        return (
            i <= 0
            or i >= len(normalised)
            or not (_is_word_character(normalised[i - 1]) and _is_word_character(normalised[i]))
        )

    starts = [
        i
        for i in range(max(0, start - slack), min(len(normalised), start + slack + 1))
        if normalised[i] != " " and boundary(i)
    ] or [start]
    ends = [
        j
        for j in range(max(1, end - slack), min(len(normalised), end + slack) + 1)
        if normalised[j - 1] != " " and boundary(j)
    ] or [end]
    starts = sorted(starts, key=lambda i: abs(i - start))[:_REFINE_CANDIDATES]
    ends = sorted(ends, key=lambda j: abs(j - end))[:_REFINE_CANDIDATES]
    best = (-1.0, 0, start, end)
    for i in starts:
        for j in ends:
            if j > i:
                # Ties go to the window nearest rapidfuzz's own alignment.
                candidate = (fuzz.ratio(passage, normalised[i:j]), -abs(i - start) - abs(j - end), i, j)
                best = max(best, candidate)
    return best[2], best[3]


def _not_found(text: str, normalised_passage: str) -> Anchor:
    """An anchor for a passage that is not in ``text``, pointing at the most similar span there is."""
    nothing = Anchor(AnchorMethod.not_found, None, None, None, None, None, score=0.0, occurrences=0)
    normalised = _normalised_text(text)
    if not normalised.text.strip(" "):
        return nothing
    if (
        len(normalised_passage) > CLOSEST_SEARCH_LONGEST
        or len(normalised_passage) * len(normalised.text) > CLOSEST_SEARCH_BUDGET
    ):
        return nothing
    # Imported here: loading rapidfuzz would slow every command down, and most never need it.
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(normalised_passage, normalised.text)
    if alignment is None or alignment.score == 0 or alignment.dest_end <= alignment.dest_start:
        return nothing
    i, j = _best_window(normalised.text, normalised_passage, alignment.dest_start, alignment.dest_end)
    start, end = _trim(text, *normalised.span(i, j))
    if start >= end:
        return nothing
    closest = text[start:end]
    score = fuzz.ratio(normalised_passage, _Normalised(closest).text.strip(" "))
    return Anchor(
        AnchorMethod.not_found,
        None,
        None,
        None,
        None,
        None,
        closest=closest,
        closest_start=start,
        closest_end=end,
        score=score,
        occurrences=0,
    )


def anchor_passage(text: str, passage: str, *, context: int = 32) -> Anchor:
    """Find ``passage`` in ``text`` and say where it stands.

    Whitespace around the passage is ignored. The passage is looked for verbatim first, then with the
    differences listed in :func:`normalise_for_matching` ignored; either way ``text[anchor.start:anchor.end]``
    is the whole matching span of the original text, from its first to its last visible character. Where
    the passage matches several times, the first is anchored and ``occurrences`` says how many there are.
    If it is not found, the anchor's ``closest`` is the most similar span of the text (extended to whole
    words) with its ``score``; an empty text gives no closest span and a score of 0, and so does a search too
    long to make (see :data:`CLOSEST_SEARCH_BUDGET` and :data:`CLOSEST_SEARCH_LONGEST`).

    Raises :class:`~claimtrack.errors.InvalidInput` for an empty passage or a negative ``context``.
    """
    _check_context(context)
    stripped, normalised_passage = _passage_forms(passage)
    count = text.count(stripped)
    if count:
        start = text.find(stripped)
        return _found(text, AnchorMethod.exact, start, start + len(stripped), context, count)
    normalised = _normalised_text(text)
    i = normalised.text.find(normalised_passage)
    if i >= 0:
        start, end = normalised.span(i, i + len(normalised_passage))
        count = normalised.text.count(normalised_passage)
        return _found(text, AnchorMethod.normalised, start, end, context, count)
    return _not_found(text, normalised_passage)


def _surroundings_score(text: str, start: int, end: int, prefix: str | None, suffix: str | None) -> float:
    """How well the text around ``text[start:end]`` matches a recorded prefix and suffix (0..200)."""
    from rapidfuzz import fuzz

    score = 0.0
    # An empty prefix beside a non-empty suffix means the passage used to open the document (and the other
    # way round); a prefix and suffix both empty carry no information (they were recorded with context 0).
    if prefix:
        score += fuzz.ratio(prefix, text[max(0, start - len(prefix)) : start])
    elif prefix == "" and suffix and start == 0:
        score += 100.0
    if suffix:
        score += fuzz.ratio(suffix, text[end : end + len(suffix)])
    elif suffix == "" and prefix and end == len(text):
        score += 100.0
    return score


def relocate(
    text: str,
    passage: str,
    start: int | None,
    end: int | None,
    prefix: str | None,
    suffix: str | None,
    *,
    context: int = 32,
) -> Anchor:
    """Re-find a previously anchored passage in a text that may have changed since.

    If ``text[start:end]`` still holds the passage (verbatim or normalised), the anchor stays there.
    Otherwise the passage is looked for again as :func:`anchor_passage` does; where it matches several times,
    the occurrence whose surroundings best match the recorded ``prefix`` and ``suffix`` is chosen (ties go to
    the one nearest the old ``start``). A passage no longer in the text gives a not-found anchor with the
    closest span, as :func:`anchor_passage` does. The returned prefix and suffix are taken afresh from
    ``text`` with the given ``context``.

    Raises :class:`~claimtrack.errors.InvalidInput` for an empty passage or a negative ``context``.
    """
    _check_context(context)
    stripped, normalised_passage = _passage_forms(passage)

    if start is not None and end is not None and 0 <= start < end <= len(text):
        if text[start:end] == stripped:
            return _found(text, AnchorMethod.exact, start, end, context, text.count(stripped))
        start_, end_ = _trim(text, start, end)
        if text[start_:end_] == stripped:
            return _found(text, AnchorMethod.exact, start_, end_, context, text.count(stripped))
        if start_ < end_ and _Normalised(text[start_:end_]).text.strip(" ") == normalised_passage:
            count = _normalised_text(text).text.count(normalised_passage)
            return _found(text, AnchorMethod.normalised, start_, end_, context, count)

    method = AnchorMethod.exact
    spans = _exact_spans(text, stripped)
    if not spans:
        method = AnchorMethod.normalised
        spans = _normalised_spans(text, normalised_passage)
    if not spans:
        return _not_found(text, normalised_passage)
    best = spans[0]
    if len(spans) > 1:
        old = start if start is not None else 0

        def preference(span: tuple[int, int]) -> tuple[float, int]:
            return (_surroundings_score(text, *span, prefix, suffix), -abs(span[0] - old))

        # max keeps the first of equals, so with nothing to go on the earliest occurrence wins.
        best = max(spans, key=preference)
    return _found(text, method, *best, context, len(spans))
