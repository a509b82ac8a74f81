"""Unnamed claimants: "three interior ministry officials", "a senior commander", "sources close to the talks".

An entity of kind ``unnamed`` stands for people a source does not name: with how many, when the source says,
and its tie to the body it belongs to. Their words may be all a claim rests on, and a reader must be told:
verdicts, reasons and reports say "unnamed", and credibility says when the claimant is unnamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import vocab
from .models import Affiliation, Entity
from .records import SourcingRecord, VerdictRecord


def describe(session: Session, names: Iterable[str]) -> dict[str, str]:
    """For each of these entity names that is unnamed, how reports name it: "unnamed: 3, member-of
    Veloria Interior Ministry"."""
    wanted = sorted(set(names))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        entities = session.scalars(
            select(Entity).where(
                Entity.name.in_(wanted[start : start + 500]), Entity.kind == vocab.EntityKind.unnamed
            )
        )
        for entity in entities:
            found[entity.name] = _phrase(session, entity)
    return found


def _phrase(session: Session, entity: Entity) -> str:
    parts = []
    if entity.headcount is not None:
        parts.append(f"{entity.headcount}")
    ties = session.scalars(
        select(Affiliation).where(
            Affiliation.entity_id == entity.id, Affiliation.kind != vocab.AffiliationKind.adversary_of
        )
    )
    parts.extend(f"{tie.kind} {tie.other.name}" for tie in ties)
    return "unnamed" + (": " + ", ".join(parts) if parts else "")


def mark(sourcing: SourcingRecord, claimant: str, phrase: str) -> None:
    """Say in a claim's verdict (credibility and reasons) that it rests on an unnamed claimant."""
    detail = phrase.removeprefix("unnamed").lstrip(": ")
    note = f"it rests only on unnamed claimants ({claimant!r}" + (f": {detail})" if detail else ")")
    credibility = sourcing.get("credibility")
    if isinstance(credibility, dict) and note not in credibility.get("why", ""):
        credibility["why"] = f"{credibility['why']}; {note}"
    reasons = sourcing.get("reasons")
    line = f"the claimant {claimant!r} is {phrase}: the source does not name who said it"
    if isinstance(reasons, list) and line not in reasons:
        reasons.append(line)
    sourcing["claimant_unnamed"] = phrase


def mark_all(session: Session, records: Sequence[VerdictRecord]) -> None:
    """:func:`mark` every claim record (with its ``claimant`` name) whose claimant is unnamed."""
    phrases = describe(session, (record["claimant"] for record in records if record.get("claimant")))
    for record in records:
        phrase = phrases.get(record.get("claimant") or "")
        if phrase is not None:
            mark(record, record["claimant"], phrase)
