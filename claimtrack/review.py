"""Reviewing extracted candidates: what `claimtrack extract` proposes, and logging those a researcher accepts.

Every decision (accepted or skipped) is stored as it is made, so a review can stop at any candidate and
resume later without proposing again what was already decided.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import vocab
from .claims import Logged, add_claim
from .corrections import cite
from .entities import find_entity
from .errors import ClaimtrackError, InvalidInput
from .history import current_actor
from .models import ExtractionDecision, Source
from .sources import find_source
from .text.extract import Candidate, extract
from .text.quantities import format_number


@dataclass
class Proposal:
    """One pending candidate of a source, with the claimant it would be logged under.

    ``claimant`` is the known entity the text names as the speaker (the publisher only for the document's own
    voice); ``None`` when the speaker is unknown -- nobody named, or a name the ledger does not hold -- and
    such a candidate is never logged without the researcher naming one. ``cites`` is the key of an existing
    claim the candidate repeats (same claimant and same words or figure): accepting it records a citation of
    that claim in this source instead of a new claim. ``measure`` is an existing measure whose name matches
    what the figure counts and the event around it.
    """

    number: int  # 1-based position among the source's candidates
    candidate: Candidate
    claimant: str | None  # entity name; None when the speaker is unknown to the ledger
    cites: str | None = None
    measure: str | None = None

    def record(self) -> dict[str, Any]:
        data = dataclasses.asdict(self.candidate)
        return {
            "number": self.number,
            **data,
            "claimant": self.claimant,
            "cites": self.cites,
            "measure": self.measure,
        }


def _resolver(session: Session) -> Any:
    """Speaker as written -> known entity name: by name or alias, else by a unique part of a known name
    ("Okoro said" -> "Dana Okoro", "the Institute" -> "Kestrel Institute")."""
    from .models import Entity
    from .text.extract import name_resolver

    index: list[Any] = []

    def resolve(name: str) -> str | None:
        try:
            return find_entity(session, name).name
        except ClaimtrackError:
            pass
        if not index:
            entities = session.scalars(select(Entity).options(selectinload(Entity.aliases))).all()
            index.append(name_resolver((e.name, [a.alias for a in e.aliases]) for e in entities))
        found: str | None = index[0](name)
        return found

    return resolve


# Words that say the same thing in a measure's name and around a figure: "killed" and "deaths" meet at "death".
_STEMS = {
    "killed": "death", "dead": "death", "deaths": "death", "died": "death", "die": "death", "dies": "death",
    "killing": "death", "killings": "death", "toll": "death", "fatalities": "death", "lives": "death",
    "detained": "detain", "detainees": "detain", "detainee": "detain", "detention": "detain",
    "arrested": "detain", "arrests": "detain", "arrest": "detain", "held": "detain", "prisoners": "detain",
    "displaced": "displace", "fled": "displace", "refugees": "displace", "injured": "injure",
    "wounded": "injure", "injuries": "injure",
}  # fmt: skip
_MEASURE_STOPS = frozenset(
    {"the", "of", "in", "a", "an", "and", "to", "on", "at", "by", "for", "from", "with"}
)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    found = set()
    for word in words:
        if word in _MEASURE_STOPS:
            continue
        stem = _STEMS.get(word, word)
        found.add(stem[:-1] if stem.endswith("s") and len(stem) > 3 else stem)
    return found


def _suggest_measure(measures: list[tuple[str, set[str]]], candidate: Candidate) -> str | None:
    """The existing measure whose name shares most words with what the figure counts and its sentence."""
    around = _stems(f"{candidate.counted or ''} {candidate.text}")
    scored = sorted(((len(stems & around), name) for name, stems in measures), reverse=True)
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None  # nothing shares two words, or two measures share as many: no suggestion
    return scored[0][1]


class _Ledger:
    """The claims of each claimant, read once per review, to find those a candidate repeats."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.claims: dict[str, list[Any]] = {}

    def of(self, claimant: str) -> list[Any]:
        from .models import Claim, Entity

        if claimant not in self.claims:
            query = select(Claim).join(Entity, Claim.claimant_id == Entity.id).where(Entity.name == claimant)
            self.claims[claimant] = list(self.session.scalars(query.order_by(Claim.id)))
        return self.claims[claimant]

    def same_claim(self, candidate: Candidate, claimant: str | None) -> str | None:
        """The key of an existing claim by the same claimant with the same words (quote) or the same figure."""
        from .text.passages import normalise_for_matching

        if claimant is None or candidate.kind not in ("quote", "figure"):
            return None
        claims = self.of(claimant)
        if candidate.kind == "quote":
            if not candidate.quote:
                return None
            wanted = normalise_for_matching(candidate.quote)[0].strip(" .,;:!?")
            for claim in claims:
                words = normalise_for_matching(claim.quote)[0].strip(" .,;:!?") if claim.quote else None
                if claim.kind == vocab.ClaimKind.quote and words == wanted:
                    return str(claim.key)
            return None
        low = candidate.value if candidate.value is not None else candidate.low
        high = candidate.value if candidate.value is not None else candidate.high
        for claim in claims:
            same = (claim.figure_low, claim.figure_high) == (low, high)
            if claim.kind == vocab.ClaimKind.figure and low is not None and same:
                return str(claim.key)
        return None


def _one_per_statement(found: list[Candidate]) -> list[Candidate]:
    """The same statement repeated in one document (same speaker, same words or figure) is one candidate."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for candidate in found:
        who = candidate.entity or candidate.speaker
        if candidate.kind == "quote":
            key: tuple[Any, ...] = ("quote", who, " ".join((candidate.quote or "").lower().split()))
        elif candidate.kind == "figure":
            key = ("figure", who, candidate.value, candidate.low, candidate.high, candidate.qualifier,
                   (candidate.counted or "").lower())  # fmt: skip
        else:
            key = ("event", candidate.start)
        if key in seen:
            continue
        seen.add(key)
        kept.append(candidate)
    return kept


def proposals(
    session: Session, source_key: str, *, include_decided: bool = False
) -> tuple[Source, list[Proposal]]:
    """The candidates found in a source's stored text that have not been decided yet (or all of them)."""
    from .models import Measure

    source = find_source(session, source_key)
    if source.text is None:
        raise InvalidInput(f"source {source.key!r} has no stored text to extract from")
    publisher = source.publisher.name if source.publisher is not None else None
    found = extract(
        source.text, reference=source.published_latest, resolve=_resolver(session), publisher=publisher
    )
    decided = {
        (row.kind, row.start, row.end)
        for row in session.scalars(
            select(ExtractionDecision).where(ExtractionDecision.source_id == source.id)
        )
    }
    measures = [(m.name, _stems(m.name)) for m in session.scalars(select(Measure))]
    ledger = _Ledger(session)
    result = []
    for number, candidate in enumerate(_one_per_statement(found), start=1):
        if not include_decided and (candidate.kind, candidate.start, candidate.end) in decided:
            continue
        # The speaker the text names, or the publisher for the document's own voice; never the publisher
        # for someone else's words.
        claimant = candidate.entity
        measure = _suggest_measure(measures, candidate) if candidate.kind == "figure" else None
        result.append(Proposal(number, candidate, claimant, ledger.same_claim(candidate, claimant), measure))
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
    if proposal.cites is not None and claimant.name == proposal.claimant and not changes.get("kind"):
        # The ledger already holds this claim: this source is one more place it appears.
        logged = cite(session, proposal.cites, source.key, stance=fields["stance"], passage=candidate.passage)
        decide(session, source, candidate, "accepted", logged.claim.id)
        return logged
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
        fields["measure"] = changes.pop("measure", proposal.measure)
    if kind == vocab.ClaimKind.event or (candidate.date and kind != vocab.ClaimKind.figure):
        fields["when"] = candidate.date
    text = changes.pop("text", None) or candidate.text
    logged = add_claim(session, text, by=claimant.name, **fields)
    decide(session, source, candidate, "accepted", logged.claim.id)
    return logged


def skip(session: Session, source: Source, proposal: Proposal) -> None:
    decide(session, source, proposal.candidate, "skipped")
