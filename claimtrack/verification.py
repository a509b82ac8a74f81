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
from .passages import anchor_passage, normalise_for_matching, relocate
from .sources import find_source, sha256_text


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
        check.misquote, note = _quote_check(claim.quote, against)
        if note:
            check.detail += f"; {note}"
    return check


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
    from .documents import read_document
    from .errors import ClaimtrackError

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
