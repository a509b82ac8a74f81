"""What the extractor proposes: a candidate claim anchored in its text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Resolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Candidate:
    """A proposed claim, anchored in the text it was found in (``text[start:end] == passage``)."""

    kind: str  # "quote" | "figure" | "event" (event = a dated statement: the date candidate)
    text: str  # the proposed claim text: the sentence it comes from, whitespace-normalised
    passage: str  # the exact span of the source text the candidate rests on (text[start:end])
    start: int  # offsets into the original text (Python str indices, end exclusive)
    end: int
    speaker: str | None = None  # who says it, as written (the publisher's name for the document's own voice)
    entity: str | None = None  # the known entity the speaker resolves to, via the resolver
    attribution: str | None = None  # how the speaker was found: "text", "publisher" or "unknown"
    quote: str | None = None  # quotes: the verbatim words, without the quote marks
    value: float | None = None  # figures: a single value
    low: float | None = None  # figures: a range (value None)
    high: float | None = None
    qualifier: str | None = None  # figures: a claimtrack.vocab.Qualifier value, None when unhedged
    counted: str | None = None  # figures: the counted noun phrase
    date: str | None = None  # events: the EDTF string from parse_date
    note: str | None = None  # what the extractor or the date parser inferred
