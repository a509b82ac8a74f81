"""Reasons in words: each verdict as sentences a researcher can check, naming sources, entities, ties, vias
and copies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from .. import vocab
from ..copies import RUN_WORDS
from ..models import Affiliation, Entity, Source
from ..records import (
    AttributionRecord,
    CredibilityRecord,
    NotCountedRecord,
    OriginRecord,
    PublisherGrade,
)
from .checker import Checker, Verdict
from .rule import SourceFacts, Step
from .ties import Components, Interest, Tie

# How each tie reads from either end, for reasons ("Amber Voice, part of Amber Front").
TIE_FORWARD = {
    "member-of": "member of",
    "part-of": "part of",
    "leads": "leader of",
    "speaks-for": "speaking for",
    "controlled-by": "controlled by",
    "funded-by": "funded by",
    "employed-by": "employed by",
    "allied-with": "allied with",
    "state-media-of": "state media of",
}
TIE_BACKWARD = {
    "member-of": "which has as member",
    "part-of": "which includes",
    "leads": "led by",
    "speaks-for": "with spokesperson",
    "controlled-by": "which controls",
    "funded-by": "which funds",
    "employed-by": "employer of",
    "allied-with": "allied with",
    "state-media-of": "with state media",
}
LINK_WORDS = {
    "republishes": "republishes",
    "cites": "cites",
    "derived-from": "is derived from",
    "translates": "translates",
}

CREDIBILITY = {
    1: "confirmed by independent sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "cannot be judged",
}


# Past this many claims to explain, load every name at once instead of asking per claim.
PRELOAD_AT = 200
PROGRESS_EVERY = 5_000
# An origin of hundreds of sources is explained by its first pairs; the rest is "and N more".
MAX_PAIRS = 25


class Explainer:
    """Turns verdicts into sentences a researcher can check, naming sources, entities, ties and links."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.session = checker.session
        self.names: dict[int, str] = {}
        self.grades: dict[int, str | None] = {}
        self.keys: dict[int, str] = {}
        self._adversaries: list[tuple[int, int]] | None = None
        self._undated_paths: dict[tuple[tuple[int, ...], int], list[tuple[int, Tie | None]] | None] = {}
        self._adversaries_by_component: defaultdict[int, list[int]] = defaultdict(list)
        self._component_of_bit: dict[int, int] = {}
        self._preloaded = False

    def preload(self) -> None:
        for eid, name, grade in self.session.execute(select(Entity.id, Entity.name, Entity.reliability)):
            self.names[eid], self.grades[eid] = name, grade
        for sid, key in self.session.execute(select(Source.id, Source.key)):
            self.keys[sid] = key
        self._preloaded = True

    def _load(self, entity_ids: Iterable[int], source_ids: Iterable[int]) -> None:
        if self._preloaded:
            return  # every name and key is here already
        wanted = [eid for eid in set(entity_ids) if eid not in self.names]
        for start in range(0, len(wanted), 500):
            query = select(Entity.id, Entity.name, Entity.reliability).where(
                Entity.id.in_(wanted[start : start + 500])
            )
            for eid, name, grade in self.session.execute(query):
                self.names[eid], self.grades[eid] = name, grade
        wanted = [sid for sid in set(source_ids) if sid not in self.keys]
        for start in range(0, len(wanted), 500):
            for sid, key in self.session.execute(
                select(Source.id, Source.key).where(Source.id.in_(wanted[start : start + 500]))
            ):
                self.keys[sid] = key

    def facts(self, source_id: int) -> SourceFacts:
        return self.checker.sources.get(source_id)

    def name(self, entity_id: int) -> str:
        if entity_id not in self.names:
            self._load([entity_id], [])
        return self.names[entity_id]

    def key(self, source_id: int) -> str:
        if source_id not in self.keys:
            self._load([], [source_id])
        return self.keys[source_id]

    def _chain(self, steps: list[tuple[int, Tie | None]]) -> str:
        """ "Amber Voice, part of Amber Youth League, part of Amber Front"."""
        words = [self.name(steps[0][0])]
        for entity, tie in steps[1:]:
            assert tie is not None
            phrase = TIE_FORWARD[tie.kind] if tie.other == entity else TIE_BACKWARD[tie.kind]
            words.append(f"{phrase} {self.name(entity)}")
        return ", ".join(words)

    @staticmethod
    def _role(fact: SourceFacts, entity_id: int) -> tuple[str, str]:
        """How a source relates to one of its entities: ("published by", "publishes") or the author's."""
        return ("published by", "publishes") if fact.publisher == entity_id else ("written by", "wrote")

    def _tie_words(self, fact: SourceFacts, targets: set[int]) -> tuple[str, int] | None:
        """ "'voice-1' is published by Amber Voice, part of Amber Front" and the entity reached."""
        path = self.checker.ties.path(fact.entities, targets, fact.earliest, fact.latest)
        if path is None:
            return None
        return f"'{self.key(fact.id)}' is {self._role(fact, path[0][0])[0]} {self._chain(path)}", path[-1][0]

    def _pair(self, a: SourceFacts, b: SourceFacts) -> str:
        """Why two roots of one origin go together: their interest sets meet."""
        for first, second in ((a, b), (b, a)):
            tie = self._tie_words(first, set(second.entities))
            if tie is not None:
                words, reached = tie
                return f"{words}, which also {self._role(second, reached)[1]} '{self.key(second.id)}': one origin"
        # The two interest sets meet only through ties in force at different dates.
        return f"'{self.key(a.id)}' and '{self.key(b.id)}' are tied through their publishers' and authors' affiliations: one origin"

    def _joins(self, roots: list[int]) -> list[str]:
        """A spanning set of pairwise reasons: enough to show that every root belongs to the origin."""
        facts = [self.facts(source_id) for source_id in roots]
        joined = Components()
        reasons: list[str] = []
        for j in range(1, len(facts)):
            for i in range(j):
                if joined.find(i) == joined.find(j):
                    break
                a, b = facts[i], facts[j]
                if a.interest.meets(b.interest):
                    joined.union(i, j)
                    if len(reasons) < MAX_PAIRS:
                        reasons.append(self._pair(b, a))
                    break
        if len(reasons) == MAX_PAIRS and len(roots) > MAX_PAIRS + 1:
            reasons.append(f"and {len(roots) - MAX_PAIRS - 1} more sources of the same origin")
        return reasons

    def step_words(self, step: Step) -> str:
        """One step upstream in words: "'daily-2' took this from 'wire-1'"."""
        source, other, how, share = step
        a, b = self.key(source), self.key(other)
        if how == "via":
            return f"'{a}' took this from '{b}'"
        if how == "copy":
            return f"'{a}' repeats {round(share * 100)}% of the text of '{b}'"
        if how == "run":
            return f"the passage in '{a}' sits in a run of {RUN_WORDS}+ words identical to '{b}'"
        return f"'{a}' {LINK_WORDS.get(how, how)} '{b}'"

    def path_words(self, verdict: Verdict, source_id: int) -> str | None:
        """How a backing source reached its root, or None when it is its own root."""
        steps = verdict.grouping.paths.get(source_id)
        if not steps:
            return None
        return "; ".join(self.step_words(step) for step in steps)

    def _claimant_reason(self, verdict: Verdict, roots: list[int]) -> str | None:
        for source_id in roots:
            tie = self._tie_words(self.facts(source_id), {verdict.claimant_id})
            if tie is not None:
                only = (
                    "only source "
                    if verdict.grouping.origins == [[source_id]] and len(verdict.grouping.root_of) == 1
                    else ""
                )
                return f"{only}{tie[0]}, the claimant"
        return None

    def _adversary_pairs(self) -> list[tuple[int, int]]:
        if self._adversaries is None:
            rows = self.session.execute(
                select(Affiliation.entity_id, Affiliation.other_id).where(
                    Affiliation.kind == vocab.AffiliationKind.adversary_of
                )
            )
            self._adversaries = [(row[0], row[1]) for row in rows]
            # Which pairs touch each component: a source's interest set names a few components, so the
            # pairs worth testing are found by lookup instead of by walking every recorded opposition.
            ties = self.checker.ties
            self._adversaries_by_component = defaultdict(list)
            for number, (a, b) in enumerate(self._adversaries):
                for comp in {ties.component(a), ties.component(b)}:
                    self._adversaries_by_component[comp].append(number)
            self._component_of_bit = {bit: comp for comp, bit in ties.bit.items()}
        return self._adversaries

    def _adversaries_touching(self, interest: Interest) -> list[int]:
        """The numbers (in recorded order) of the opposition pairs with a side in this interest set."""
        pairs = self._adversary_pairs()
        size = len(interest.plain) + interest.mask.bit_count()
        if size >= len(pairs):
            return list(range(len(pairs)))
        comps = set(interest.plain)
        mask = interest.mask
        while mask:
            low = mask & -mask
            comps.add(self._component_of_bit[low.bit_length() - 1])
            mask ^= low
        found = {number for comp in comps for number in self._adversaries_by_component.get(comp, ())}
        return sorted(found)

    def _independence_note(self, verdict: Verdict, source_id: int) -> str | None:
        """Why a source with some tie to the claimant still counts: a tie not in force, or opposition."""
        fact = self.facts(source_id)
        ties = self.checker.ties
        # Ignoring dates, the chain depends only on who: sources share publishers, so it is looked up once.
        asked = (fact.entities, verdict.claimant_id)
        if asked not in self._undated_paths:
            self._undated_paths[asked] = ties.chain(fact.entities, {verdict.claimant_id})
        undated = self._undated_paths[asked]
        if undated is not None and len(undated) > 1:
            for _entity, tie in undated[1:]:
                if tie is not None and not tie.in_force(fact.earliest, fact.latest):
                    span = f"{tie.since or '…'} to {tie.until or '…'}"
                    return (
                        f"'{self.key(source_id)}' counts: the tie {self.name(tie.entity)} {tie.kind} "
                        f"{self.name(tie.other)} ({span}) was not in force at its date ({_span(fact)})"
                    )
        touching = self._adversaries_touching(fact.interest)
        if not touching:
            return None  # no recorded opposition reaches this source's side
        claimant_side = ties.interest([verdict.claimant_id], fact.earliest, fact.latest)
        pairs = self._adversary_pairs()
        for number in touching:
            a, b = pairs[number]
            ca, cb = ties.component(a), ties.component(b)
            if (ties.holds(fact.interest, ca) and ties.holds(claimant_side, cb)) or (
                ties.holds(fact.interest, cb) and ties.holds(claimant_side, ca)
            ):
                return (
                    f"'{self.key(source_id)}' counts: {self.name(a)} is recorded as adversary of "
                    f"{self.name(b)}, and opposition does not make one origin"
                )
        return None

    def _not_counted(self, verdict: Verdict) -> list[tuple[int, int | None, str]]:
        """(source, root, why) for each backing source that counts for nothing."""
        grouping = verdict.grouping
        found: list[tuple[int, int | None, str]] = []
        for source_id in grouping.unfound:
            found.append(
                (
                    source_id,
                    None,
                    f"the passage logged for '{self.key(source_id)}' is not in its text: not counted",
                )
            )
        unknown = set(grouping.unknown)
        for source_id, root in grouping.root_of.items():
            if root in unknown:
                why = f"'{self.key(root)}' has no known publisher or author: not counted"
                path = self.path_words(verdict, source_id)
                found.append((source_id, root, f"{path}; {why}" if path else why))
        return found

    def reasons(self, verdict: Verdict) -> list[str]:
        """The verdict in sentences: the count first, then how each source reached its root, what joins the
        roots of each origin, what keeps others apart, and what is not counted."""
        grouping = verdict.grouping
        roots = [root for origin in grouping.origins for root in origin]
        self._load(
            [verdict.claimant_id, *(e for s in roots for e in self.facts(s).entities)],
            [
                *grouping.root_of,
                *grouping.unfound,
                *roots,
                *(s for path in grouping.paths.values() for step in path for s in step[:2]),
            ],
        )
        not_counted = self._not_counted(verdict)
        if not grouping.root_of and not grouping.unfound:
            return ["no source backs it: no appearance asserts, reports or supports it"]
        members = verdict.origins
        sources = sum(len(origin) for origin in members)
        total = len(grouping.origins)
        lines = [
            f"{sources} source{'s' if sources != 1 else ''} in {total} origin{'s' if total != 1 else ''}, "
            f"{verdict.independent} independent of the claimant (needs {verdict.threshold})"
        ]
        for index, origin in enumerate(grouping.origins):
            for source_id in members[index]:
                path = self.path_words(verdict, source_id)
                if path:
                    lines.append(f"{path}: one origin")
            if index == verdict.claimant_origin:
                claimant = self._claimant_reason(verdict, origin)
                if claimant:
                    lines.append(claimant)
            lines.extend(self._joins(origin))
            if index != verdict.claimant_origin:
                listed = ", ".join(f"'{self.key(source_id)}'" for source_id in origin[:5])
                more = f" and {len(origin) - 5} more" if len(origin) > 5 else ""
                lines.append(f"independent origin: {listed}{more}")
                for source_id in origin:
                    note = self._independence_note(verdict, source_id)
                    if note:
                        lines.append(note)
        lines.extend(why for _source, _root, why in not_counted)
        return lines

    def _source_reason(self, verdict: Verdict, source_id: int, claimant: bool) -> str:
        path = self.path_words(verdict, source_id)
        if path:
            return f"{path}: one origin"
        if claimant:
            return f"'{self.key(source_id)}' reports it: the claimant's own origin"
        return f"'{self.key(source_id)}' reports it on its own account: counted"

    def origins(self, verdict: Verdict) -> list[OriginRecord]:
        """The origins as data: their roots, their sources with publishers, roots and the reason for each,
        and which is the claimant's."""
        result: list[OriginRecord] = []
        members = verdict.origins
        root_of = verdict.grouping.root_of
        for index, origin in enumerate(verdict.grouping.origins):
            claimant = index == verdict.claimant_origin
            result.append(
                {
                    "claimant": claimant,
                    "roots": [self.key(root) for root in origin],
                    "sources": [
                        {
                            "key": self.key(source_id),
                            "publisher": self._publisher(source_id),
                            "root": self.key(root_of[source_id]),
                            "reason": self._source_reason(verdict, source_id, claimant),
                        }
                        for source_id in members[index]
                    ],
                }
            )
        return result

    def not_counted(self, verdict: Verdict) -> list[NotCountedRecord]:
        """The backing sources that count for nothing, with the reason for each."""
        return [
            {
                "key": self.key(source_id),
                "publisher": self._publisher(source_id),
                "root": self.key(root) if root is not None else None,
                "reason": why,
            }
            for source_id, root, why in self._not_counted(verdict)
        ]

    def _publisher(self, source_id: int) -> str | None:
        publisher = self.facts(source_id).publisher
        return self.name(publisher) if publisher is not None else None

    def publishers(self, verdict: Verdict) -> list[PublisherGrade]:
        """The backing sources' publishers with their reliability grades (A-F), for the Admiralty rating."""
        seen: dict[int, None] = {}
        for origin in verdict.grouping.origins:
            for source_id in origin:
                publisher = self.facts(source_id).publisher
                if publisher is not None:
                    seen.setdefault(publisher)
        self._load(seen, [])
        return [{"name": self.names[p], "reliability": self.grades.get(p)} for p in seen]

    def credibility(self, verdict: Verdict, countered_by: Sequence[str]) -> CredibilityRecord:
        """Information credibility on the Admiralty scale (1 confirmed ... 6 cannot be judged), from the claim's
        own independent origins and whether it is contested: a source disputes or refutes it, or a claim
        conflicts with it (``countered_by``: "denied by k3m9x2p", "denies k3m9x2p", ... in either direction)."""
        refuted = any(stance == vocab.Stance.refutes for _source, stance in verdict.opposing)
        contested = bool(verdict.opposing) or bool(countered_by)
        if not verdict.grouping.origins:
            rating = 6
            counted_none = verdict.grouping.root_of or verdict.grouping.unfound
            why = "no source that counts backs it" if counted_none else "no source backs it"
        elif verdict.independent >= verdict.threshold:
            rating = 2 if contested else 1
            why = f"{verdict.independent} independent origins" + ("; but contested" if contested else "")
        elif verdict.independent >= 1:
            rating = 3 if contested else 2
            why = f"{verdict.independent} independent origin, below the {verdict.threshold} required" + (
                "; and contested" if contested else ""
            )
        elif refuted:
            rating, why = 5, "only the claimant's own sources back it, and a source refutes it"
        else:
            rating = 4 if contested else 3
            why = "only the claimant's own sources back it" + ("; and contested" if contested else "")
        if contested:
            against = [f"'{self.key(s)}' {stance}" for s, stance in verdict.opposing] + list(countered_by)
            why += " (" + ", ".join(against) + ")"
        return {"rating": rating, "meaning": CREDIBILITY[rating], "why": why}

    def attribution(self, verdict: Verdict) -> AttributionRecord:
        """For quotes: was it said (a primary record from the claimant), and who independently reports it."""
        own = set(verdict.origins[verdict.claimant_origin]) if verdict.claimant_origin is not None else set()
        primary = [self.key(s) for s in verdict.asserting if s in own]
        return {
            "primary_record": bool(primary),
            "primary_sources": primary,
            "independent_origins": verdict.independent,
            "note": (
                "a primary record from the claimant shows the words were said, not that they are true"
                if primary
                else "no primary record from the claimant is logged"
            ),
        }


def _span(fact: SourceFacts) -> str:
    if fact.earliest == fact.latest:
        return str(fact.earliest)
    return f"{fact.earliest or '…'} to {fact.latest or '…'}"
