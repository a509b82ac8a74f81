"""Checking the record against the documents: passages still where they were anchored, quotes still matching
their sources' words, and stored texts and original files still what was stored.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .models import Appearance, Source
from .sources import find_source, sha256_text
from .text.passages import anchor_passage, matching_view, normalise_for_matching, relocate


def _comparable(word: str) -> str:
    """A word as compared: case, quote marks, dashes and surrounding punctuation do not make a difference."""
    return normalise_for_matching(word)[0].strip(".,;:!?\"'()[]")


def word_diff(logged: str, found: str) -> str:
    """The words that differ, marked inline: "will [-continue-] {+end+} until"."""
    old, new = logged.split(), found.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(
        a=[_comparable(w) for w in old], b=[_comparable(w) for w in new], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            words = old[a1:a2]
            # Long runs of agreement are shortened: the researcher needs the differences and their context.
            parts.append(
                " ".join(words) if len(words) <= 6 else f"{' '.join(words[:3])} … {' '.join(words[-3:])}"
            )
            continue
        if a1 != a2:
            parts.append("[-" + " ".join(old[a1:a2]) + "-]")
        if b1 != b2:
            parts.append("{+" + " ".join(new[b1:b2]) + "+}")
    return " ".join(parts)


@dataclass
class PassageCheck:
    """What `claimtrack verify` found for one appearance."""

    claim: str
    source: str
    stance: str
    status: str  # found | re-anchored | anchored | changed | text-changed | no-text | no-passage
    detail: str
    passage: str | None = None
    closest: str | None = None
    diff: str | None = None
    misquote: str | None = None  # quotes: the logged words against the source's, when they differ
    quote: str | None = None  # quotes: exact | cosmetic | elided | misquote (see QuoteFidelity)
    findings: list[str] | None = (
        None  # quotes: what the reader should know (elisions, a qualifying clause...)
    )
    flagged: bool = False  # quotes: a finding that misleads (a qualifying clause cut off, another page)

    def record(self) -> dict[str, Any]:
        return asdict(self)


# Words in quotation marks inside a passage: "…", “…”, „…“, «…».
_QUOTED = re.compile(
    r'"([^"]+)"|\u201c([^\u201d]+)\u201d|\u201e([^\u201c\u201d]+)[\u201c\u201d]|\u00ab\s*([^\u00bb]+?)\s*\u00bb'
)


def _quote_check(quote: str, passage_text: str) -> tuple[str | None, str | None]:
    """(misquote, note) for a logged quote against the passage that carries it.

    The words are fine when they are in the passage (ignoring spacing, quote marks, dashes and case). A
    passage that quotes only part of them ("would continue 'until every cell is dismantled'") is a partial
    quote, said so, not a misquote: every quoted fragment is in the logged words. Otherwise it is a misquote,
    shown as the words that differ from the closest span.
    """
    anchor = anchor_passage(passage_text, quote)
    if anchor.found:
        return None, None
    fragments = [next(group for group in match.groups() if group) for match in _QUOTED.finditer(passage_text)]
    if fragments and all(anchor_passage(quote, fragment).found for fragment in fragments):
        quoted = "; ".join(repr(fragment) for fragment in fragments)
        return None, f"the source quotes only part of the logged words: {quoted}"
    return word_diff(quote, anchor.closest or passage_text), None


def verify_appearance(appearance: Appearance) -> PassageCheck:
    """Check one appearance's passage against its source's stored text; re-anchor it where it moved."""
    source, claim = appearance.source, appearance.claim
    check = PassageCheck(claim.key, source.key, appearance.stance, "found", "", appearance.passage)
    if not appearance.passage:
        check.status, check.detail = "no-passage", "no passage was logged for this appearance"
        if claim.kind == vocab.ClaimKind.quote and claim.quote and source.text is not None:
            # No passage, but the quote can still be looked for in the whole of the source's text.
            _check_in_context(check, appearance, None, None)
        return check
    if source.text is None:
        check.status, check.detail = "no-text", "the source has no stored text to check against"
        return check
    # The text as it is now, not the hash recorded beside it: a text altered behind claimtrack's back counts.
    current = sha256_text(source.text)
    text_changed = appearance.anchor_sha256 is not None and appearance.anchor_sha256 != current
    if appearance.anchor_start is not None and appearance.anchor_status in ("exact", "normalised"):
        anchor = relocate(
            source.text,
            appearance.passage,
            appearance.anchor_start,
            appearance.anchor_end,
            appearance.anchor_prefix,
            appearance.anchor_suffix,
        )
    else:
        anchor = anchor_passage(source.text, appearance.passage)
    if anchor.found:
        moved = (anchor.start, anchor.end) != (appearance.anchor_start, appearance.anchor_end)
        was_anchored = appearance.anchor_status in ("exact", "normalised")
        appearance.anchor_start, appearance.anchor_end = anchor.start, anchor.end
        appearance.anchor_prefix, appearance.anchor_suffix = anchor.prefix, anchor.suffix
        appearance.anchor_status, appearance.anchor_sha256 = anchor.method.value, current
        if not was_anchored:
            check.status, check.detail = "anchored", f"found at {anchor.start}-{anchor.end} and anchored"
        elif moved:
            check.status = "re-anchored"
            check.detail = f"found elsewhere, at {anchor.start}-{anchor.end}; re-anchored"
        else:
            check.detail = f"found at its anchor ({anchor.start}-{anchor.end})"
        if text_changed:
            check.status = "text-changed"
            check.detail = (
                "the source's stored text changed since anchoring; the passage is still there, "
                + check.detail
            )
    else:
        check.status = "text-changed" if text_changed else "changed"
        check.detail = (
            "the source's stored text changed since anchoring and the passage is no longer in it"
            if text_changed
            else "the passage is not in the source's text"
        )
        check.closest = anchor.closest
        if anchor.closest:
            check.diff = word_diff(appearance.passage, anchor.closest)
            check.detail += f"; closest span is {anchor.score:.0f}% alike"
        appearance.anchor_status = "not-found"
    if claim.kind == vocab.ClaimKind.quote and claim.quote:
        against = anchor.exact if anchor.found and anchor.exact else appearance.passage
        _check_in_context(check, appearance, against, anchor.start if anchor.found else None)
    return check


def _check_in_context(
    check: PassageCheck, appearance: Appearance, against: str | None, near: int | None
) -> None:
    """A quote looked for in its source's text (near its passage), and in the passage itself."""
    claim, source = appearance.claim, appearance.source
    quote = claim.quote or ""
    pages = source.file.pages if source.file is not None else None
    fidelity = check_quote(quote, source.text, near=near, pages=pages, locator=appearance.locator)
    check.quote, check.findings = fidelity.status, fidelity.findings or []
    check.flagged = fidelity.qualifier is not None or any("as its locator says" in f for f in check.findings)
    if fidelity.status == "misquote":
        if against is not None:
            check.misquote, note = _quote_check(quote, against)
            if note:  # the passage quotes only part of the logged words: not a misquote
                check.detail += f"; {note}"
                check.quote = "partial"
        else:
            check.misquote = fidelity.diff or quote
    if check.findings and fidelity.status != "misquote":
        check.detail += "; " + "; ".join(check.findings)


def verify_passages(session: Session, source_key: str | None = None) -> list[PassageCheck]:
    """Check every appearance's passage (of one source, or all), re-anchoring those that moved."""
    query = (
        select(Appearance)
        .options(selectinload(Appearance.claim), selectinload(Appearance.source))
        .order_by(Appearance.source_id, Appearance.id)
    )
    if source_key is not None:
        query = query.where(Appearance.source_id == find_source(session, source_key).id)
    checks = [verify_appearance(appearance) for appearance in session.scalars(query)]
    session.flush()
    return checks


@dataclass
class SourceIntegrity:
    source: str
    text: str  # ok | changed | none
    file: str  # ok | changed | none
    detail: str
    # The text read again from the original file, against the stored text: ok | differs | unreadable | none.
    extracted: str = "none"

    def record(self) -> dict[str, Any]:
        return asdict(self)


def verify_sources(session: Session, source_key: str | None = None) -> list[SourceIntegrity]:
    """Re-hash each source's stored text and original file and compare with the hashes recorded; and read
    each original file again and compare its text with the stored text.

    The hashes only show a change made without recomputing them. Reading the file again shows a stored text
    replaced (hash and all) under its file, or a file swapped for another (hash and all) under its text."""
    from .errors import ClaimtrackError
    from .text.documents import read_document

    query = select(Source).options(selectinload(Source.file)).order_by(Source.key)
    if source_key is not None:
        query = query.where(Source.id == find_source(session, source_key).id)
    results = []
    for source in session.scalars(query):
        details = []
        text_state = "none"
        if source.text is not None:
            text_state = "ok" if sha256_text(source.text) == source.sha256 else "changed"
            if text_state == "changed":
                details.append(
                    f"stored text hashes to {sha256_text(source.text)[:12]}…, recorded {str(source.sha256)[:12]}…"
                )
        file_state = "none"
        if source.file is not None:
            digest = hashlib.sha256(source.file.content).hexdigest()
            file_state = (
                "ok"
                if digest == source.file.sha256 and len(source.file.content) == source.file.size
                else "changed"
            )
            if file_state == "changed":
                details.append(f"original file hashes to {digest[:12]}…, recorded {source.file.sha256[:12]}…")
        extracted = "none"
        if source.file is not None and source.text is not None:
            try:
                again = read_document(source.file.content, source.file.filename or "original").text
            except ClaimtrackError as exc:
                extracted = "unreadable"
                details.append(f"the original file cannot be read again ({exc})")
            else:
                extracted = "ok" if again == source.text else "differs"
                if extracted == "differs":
                    details.append(
                        "the text read again from the original file differs from the stored text: "
                        + _first_difference(source.text, again)
                    )
        results.append(SourceIntegrity(source.key, text_state, file_state, "; ".join(details), extracted))
    return results


def _first_difference(stored: str, again: str) -> str:
    """Where two texts part: "from character 1,204: stored 'held 300', file 'held 3,000'"."""
    at = next(
        (i for i, (a, b) in enumerate(zip(stored, again, strict=False)) if a != b),
        min(len(stored), len(again)),
    )
    return f"from character {at:,}: stored {stored[at : at + 30]!r}, file {again[at : at + 30]!r}"


# --- Quotes in context -------------------------------------------------------------------------------------

# An ellipsis marks words the quoting writer left out: "…", "...", ". . .", or either inside brackets.
_ELLIPSIS = r"\[\s*(?:…|\.\s?\.\s?\.)\s*\]|…|\.\s?\.\s?\."
# A gap in a quote: an ellipsis, or words in square brackets that the quoting writer put in.
_GAP_RE = re.compile(rf"\s*(?:(?P<ellipsis>{_ELLIPSIS})|\[(?P<bracket>[^\]]*)\])\s*")
# A clause that limits what comes before it; a quote that stops just before one says more than its speaker.
_QUALIFYING_RE = re.compile(
    r"[\s,;:\"'”’)—–-]*(?:[.]\s+(?=[Bb]ut\b))?(?P<clause>(?:but|unless|except|provided\s+that|providing\s+that|"
    r"only\s+if|only\s+when|although|though|as\s+long\s+as|so\s+long\s+as)\b[^.!?;\n]{0,200})",
    re.IGNORECASE,
)
_PAGE_RE = re.compile(r"\bp(?:p|age|ages)?\.?\s*(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?", re.IGNORECASE)
# How far apart the pieces of an elided quote may stand, and how many words square brackets may replace.
_ELISION_REACH = 3000
_BRACKET_REACH = 80


@dataclass
class QuoteFidelity:
    """Where a logged quote stands in its source's text, and what a reader should know about it.

    ``status`` is ``exact`` (the words verbatim), ``cosmetic`` (differences only of case, spacing, quote
    marks or dashes), ``elided`` (found piece by piece around ellipses or square brackets, in order),
    ``misquote`` (not found; ``diff`` shows the words that differ from the closest span) or ``no-text``.
    ``findings`` are the sentences the researcher reads: words each ellipsis elides, what each bracket
    stands for, a qualifying clause the quote stops before, a page that disagrees with the locator.
    """

    status: str
    start: int | None = None
    end: int | None = None
    elided: list[int] | None = None  # words left out at each ellipsis, in order
    brackets: list[tuple[str, str]] | None = None  # (the writer's words, the source words they stand for)
    qualifier: str | None = None  # the clause the quote stops before
    page: int | None = None  # the PDF page the quote starts on
    diff: str | None = None
    findings: list[str] | None = None


@dataclass
class _Piece:
    words: str  # normalised
    raw: str
    gap_before: str | None = None  # "ellipsis" or "bracket"
    bracket: str | None = None  # the bracket's words, for a bracket gap


def _pieces(quote: str) -> tuple[list[_Piece], str | None]:
    """The quote cut at its gaps (normalised for matching), and a bracket that ends it, if any."""
    pieces: list[_Piece] = []
    gap: tuple[str, str | None] | None = None
    at = 0
    for m in _GAP_RE.finditer(quote):
        raw = quote[at : m.start()]
        words = normalise_for_matching(raw)[0].strip(" .,;:!?")
        if words:
            pieces.append(_Piece(words, raw, *(gap or (None, None))))
            gap = None
        kind = "ellipsis" if m.group("ellipsis") else "bracket"
        if gap is not None and gap[0] == "bracket" and kind == "bracket":
            gap = ("bracket", f"{gap[1]}] [{m.group('bracket')}")
        else:
            gap = (kind, m.group("bracket"))
        if not pieces and kind == "bracket":
            gap = ("bracket", m.group("bracket"))
        at = m.end()
    raw = quote[at:]
    words = normalise_for_matching(raw)[0].strip(" .,;:!?")
    if words:
        pieces.append(_Piece(words, raw, *(gap or (None, None))))
        gap = None
    return pieces, (gap[1] if gap and gap[0] == "bracket" else None)


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", text))


def _bounded(normalised: str, i: int, j: int) -> bool:
    """Whether normalised[i:j] starts and ends at word boundaries."""
    before = normalised[i - 1] if i > 0 else " "
    after = normalised[j] if j < len(normalised) else " "
    return not (before.isalnum() and normalised[i].isalnum()) and not (
        after.isalnum() and normalised[j - 1].isalnum()
    )


def _place(normalised: str, pieces: list[_Piece], near: int | None) -> list[tuple[int, int]] | None:
    """Normalised spans for the pieces, in order and within reach of each other; nearest ``near`` first."""
    first = pieces[0].words
    starts = []
    k = normalised.find(first)
    while k >= 0:
        if _bounded(normalised, k, k + len(first)):
            starts.append(k)
        k = normalised.find(first, k + 1)
    if near is not None:
        starts.sort(key=lambda s: abs(s - near))
    for start in starts:
        spans = [(start, start + len(first))]
        for piece in pieces[1:]:
            reach = _BRACKET_REACH if piece.gap_before == "bracket" else _ELISION_REACH
            at = spans[-1][1]
            k = normalised.find(piece.words, at, at + reach + len(piece.words))
            while k >= 0 and not _bounded(normalised, k, k + len(piece.words)):
                k = normalised.find(piece.words, k + 1, at + reach + len(piece.words))
            if k < 0:
                break
            spans.append((k, k + len(piece.words)))
        else:
            return spans
    return None


def _pages_of(locator: str | None) -> tuple[int, int] | None:
    m = _PAGE_RE.search(locator or "")
    if m is None:
        return None
    first = int(m.group("first"))
    return first, int(m.group("last") or first)


def check_quote(
    quote: str,
    text: str | None,
    *,
    near: int | None = None,
    pages: list[int] | None = None,
    locator: str | None = None,
) -> QuoteFidelity:
    """Locate a logged quote in its source's text and report what a reader of the source would see.

    ``near`` is where the appearance's passage stands (the occurrence closest to it is taken), ``pages`` the
    source's PDF page offsets and ``locator`` the appearance's locator ("p. 4"). See :class:`QuoteFidelity`.
    """
    if text is None:
        return QuoteFidelity("no-text", findings=[])
    pieces, trailing_bracket = _pieces(quote)
    if not pieces:
        return QuoteFidelity("misquote", diff=quote, findings=["the quote has no words to look for"])
    normalised = matching_view(text)
    spans = _place(normalised.text, pieces, None if near is None else normalised.position(near))
    if spans is None:
        bare = " ".join(p.raw.strip() for p in pieces)
        closest = anchor_passage(text, bare).closest
        diff = word_diff(bare, closest) if closest else None
        finding = f"not found in the source's text; closest: {closest!r}" if closest else "not found"
        return QuoteFidelity("misquote", diff=diff, findings=[finding])
    original = [normalised.span(a, b) for a, b in spans]
    start, end = original[0][0], original[-1][1]
    findings: list[str] = []
    elided: list[int] = []
    brackets: list[tuple[str, str]] = []
    verbatim = all(
        text[a:b] == piece.raw.strip().strip(".,;:!?").strip()
        for piece, (a, b) in zip(pieces, original, strict=True)
    )
    for n, piece in enumerate(pieces):
        if piece.gap_before is None:
            continue
        between = text[original[n - 1][1] : original[n][0]] if n else ""
        if piece.gap_before == "ellipsis":
            elided.append(_word_count(between))
            findings.append(f"an ellipsis elides {_word_count(between)} words: {' '.join(between.split())!r}")
        else:
            written = piece.bracket or ""
            stands_for = " ".join(between.split()).strip(" ,")
            brackets.append((written, stands_for))
            if n == 0:  # "[The Front's] fighters ...": what it replaces lies before the quote
                findings.append(f"[{written}] is the quoting writer's, not the speaker's")
            elif stands_for:
                findings.append(f"[{written}] is the quoting writer's, standing for {stands_for!r}")
            else:
                findings.append(f"[{written}] is the quoting writer's insertion")
    if trailing_bracket is not None:
        brackets.append((trailing_bracket, ""))
        findings.append(f"[{trailing_bracket}] is the quoting writer's, not the speaker's")
    if not verbatim:
        findings.append("differs from the source only in case, spacing, quote marks or dashes")
    qualifier = None
    m = _QUALIFYING_RE.match(text, end)
    if m is not None:  # "We will lay down arms" -- "only if the army leaves Orsk."
        qualifier = " ".join(m.group("clause").split()).rstrip(" ,")
        findings.append(f"stops before a qualifying clause: {qualifier!r}")
    page = None
    if pages:
        from .text.documents import page_of

        page = page_of(pages, start)
        cited = _pages_of(locator)
        if cited is not None and not cited[0] <= page <= cited[1]:
            said = f"p. {cited[0]}" if cited[0] == cited[1] else f"pp. {cited[0]}-{cited[1]}"
            findings.append(f"found on p. {page}, not on {said} as its locator says")
    status = "elided" if elided or brackets else "exact" if verbatim else "cosmetic"
    return QuoteFidelity(status, start, end, elided, brackets, qualifier, page, None, findings)
