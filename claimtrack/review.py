"""Reviewing extracted candidates: what `claimtrack extract` proposes, and logging those a researcher accepts.

Every decision (accepted or skipped) is stored as it is made, so a review can stop at any candidate and
resume later without proposing again what was already decided.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import vocab
from .claims import Logged, add_claim
from .entities import find_entity
from .errors import ClaimtrackError, InvalidInput
from .extract import Candidate, extract
from .history import current_actor
from .models import ExtractionDecision, Source
from .quantities import format_number
from .sources import find_source


@dataclass
class Proposal:
    """One pending candidate of a source, with the claimant it would be logged under."""

    number: int  # 1-based position among the source's candidates
    candidate: Candidate
    claimant: str | None  # entity name; None when the speaker is unknown to the ledger

    def record(self) -> dict[str, Any]:
        data = dataclasses.asdict(self.candidate)
        return {"number": self.number, **data, "claimant": self.claimant}


def _resolver(session: Session) -> Any:
    """Speaker as written -> known entity name: by name or alias, else by a surname that names exactly one
    known person or organisation ("Okoro said" -> "Dana Okoro")."""
    from .models import EntityAlias
    from .names import normalise_name

    def resolve(name: str) -> str | None:
        try:
            return find_entity(session, name).name
        except ClaimtrackError:
            pass
        normalized = normalise_name(name)
        if not normalized:
            return None
        matches = session.scalars(
            select(EntityAlias).where(EntityAlias.normalized.endswith(" " + normalized)).limit(3)
        ).all()
        entities = {alias.entity_id: alias.entity.name for alias in matches}
        return next(iter(entities.values())) if len(entities) == 1 else None

    return resolve


def proposals(
    session: Session, source_key: str, *, include_decided: bool = False
) -> tuple[Source, list[Proposal]]:
    """The candidates found in a source's stored text that have not been decided yet (or all of them)."""
    source = find_source(session, source_key)
    if source.text is None:
        raise InvalidInput(f"source {source.key!r} has no stored text to extract from")
    found = extract(source.text, reference=source.published_latest, resolve=_resolver(session))
    decided = {
        (row.kind, row.start, row.end)
        for row in session.scalars(
            select(ExtractionDecision).where(ExtractionDecision.source_id == source.id)
        )
    }
    publisher = source.publisher.name if source.publisher is not None else None
    result = []
    for number, candidate in enumerate(found, start=1):
        if not include_decided and (candidate.kind, candidate.start, candidate.end) in decided:
            continue
        # A quote belongs to its speaker; a figure or date the document states on its own account belongs to
        # the document's publisher.
        claimant = (
            candidate.entity if candidate.kind == vocab.ClaimKind.quote else (candidate.entity or publisher)
        )
        result.append(Proposal(number, candidate, claimant))
    return source, result


def decide(
    session: Session, source: Source, candidate: Candidate, decision: str, claim_id: int | None = None
) -> None:
    session.add(
        ExtractionDecision(
            source_id=source.id,
            kind=candidate.kind,
            start=candidate.start,
            end=candidate.end,
            decision=decision,
            claim_id=claim_id,
            decided_by=current_actor(),
        )
    )
    session.flush()


def accept(session: Session, source: Source, proposal: Proposal, **changes: Any) -> Logged:
    """Log a candidate as a claim in its source (with the researcher's edits in ``changes``: kind, by,
    value, low, high, qualifier, counted, text), and remember the decision."""
    candidate = proposal.candidate
    by = changes.pop("by", None) or proposal.claimant
    if by is None:
        raise InvalidInput(
            f"candidate {proposal.number} has no known claimant ({candidate.speaker or 'no speaker found'}); "
            "give one"
        )
    kind = changes.pop("kind", None) or ("event" if candidate.kind == "event" else candidate.kind)
    fields: dict[str, Any] = {"kind": kind, "source": source.key, "passage": candidate.passage}
    claimant = find_entity(session, by)
    own = source.publisher_id == claimant.id or any(author.id == claimant.id for author in source.authors)
    fields["stance"] = vocab.Stance.asserts if own else vocab.Stance.reports
    if kind == vocab.ClaimKind.quote:
        fields["quote"] = candidate.quote or candidate.passage
    if kind == vocab.ClaimKind.figure:
        value, low, high = (changes.pop(k, getattr(candidate, k)) for k in ("value", "low", "high"))
        if value is not None:
            fields["value"] = format_number(value).replace(",", "")
        elif low is not None and high is not None:
            fields["low"], fields["high"] = (
                format_number(low).replace(",", ""),
                format_number(high).replace(",", ""),
            )
        fields["qualifier"] = changes.pop("qualifier", candidate.qualifier)
        fields["counted"] = changes.pop("counted", candidate.counted)
    if kind == vocab.ClaimKind.event or (candidate.date and kind != vocab.ClaimKind.figure):
        fields["when"] = candidate.date
    text = changes.pop("text", None) or candidate.text
    logged = add_claim(session, text, by=claimant.name, **fields)
    decide(session, source, candidate, "accepted", logged.claim.id)
    return logged


def skip(session: Session, source: Source, proposal: Proposal) -> None:
    decide(session, source, proposal.candidate, "skipped")
