"""The rule: a claim's backing appearances followed upstream to their roots, and the roots grouped into origins.

For a claim C made by claimant P (docs/DESIGN.md, "The independence rule"):

1. Its *backing appearances* are those whose stance is asserts, reports or supports and whose passage, when
   one was logged, was found in the source's stored text (an unfound passage backs nothing).
2. Each is followed *upstream* to its root: through its via (the source it took the claim from, as the
   researcher logged it), through whole-document copies (the source republishes or translates another),
   and through copies claimtrack found (a text repeating an earlier one, or a passage inside a run of 40+
   words identical to an earlier source's), unless the pair is marked distinct. At each step the via comes
   first, then the document links, then found copies. A cycle's root is its lowest source id.
3. A root is judged by its own interest set (publisher, authors and their ties), never by that of the outlet
   that passed it on. A root with neither publisher nor author has an unknown interest: not counted.
4. Roots whose interest sets meet are one origin; the origin holding P is the claimant's own; every other
   origin is independent.

:class:`Rule` holds the graphs and :meth:`Rule.group` is the grouping function of the one-claim explanation;
:meth:`Rule.count`, the full check's counting sweep, walks to the same roots and labels origins with the same
:meth:`Rule._labels`, without building what only an explanation reads.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocab
from ..errors import InvalidInput
from ..models import Setting, Source, SourceAuthor, SourceCopy, SourceLink
from .rows import as_date, stream_rows
from .ties import Interest, TieGraph

DEFAULT_THRESHOLD = 2
THRESHOLD_SETTING = "min-independent"
MAX_THRESHOLD = 1_000_000
BACKING = frozenset(stance.value for stance in vocab.BACKING_STANCES)
# Source links that make a whole document a copy of another. "cites" and "derived-from" say that a document
# uses another somewhere: on their own they do not say where a given claim came from.
WHOLE_COPY_LINKS = (vocab.SourceLinkKind.republishes.value, vocab.SourceLinkKind.translates.value)
UNFOUND = "not-found"


# ---- the threshold ---------------------------------------------------------------------------------------


def stored_threshold(session: Session) -> int:
    value = session.get(Setting, THRESHOLD_SETTING)
    return int(value.value) if value is not None else DEFAULT_THRESHOLD


def check_threshold(value: int | str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"the independent-source threshold must be a whole number, not {value!r}"
        ) from None
    if number < 1:
        raise InvalidInput("the independent-source threshold must be at least 1")
    if number > MAX_THRESHOLD:
        # Stored with each check's counts (claim_checks.threshold, a 32-bit integer on PostgreSQL).
        raise InvalidInput(f"the independent-source threshold must be at most {MAX_THRESHOLD:,}")
    return number


# ---- the provenance graph between sources ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FoundCopy:
    """A copy claimtrack found: this source repeats ``original``; ``runs`` are the shared runs' character
    spans in this source's text."""

    original: int
    overlap: float
    whole: bool
    runs: tuple[tuple[int, int], ...]


class SourceGraph:
    """Where whole documents come from: republishes / translates links, and copies found (less those marked
    distinct)."""

    def __init__(
        self,
        links: Iterable[tuple[int, int, str]],
        copies: Iterable[tuple[int, int, float, list[list[int]]]],
        distinct: set[tuple[int, int]],
        copy_at: float,
    ) -> None:
        self.parent: dict[int, tuple[int, str]] = {}
        for source, other, kind in sorted(links):
            if source != other and source not in self.parent:
                self.parent[source] = (other, kind)
        self.copies: dict[int, list[FoundCopy]] = defaultdict(list)
        for source, other, share, runs in sorted(copies, key=lambda row: (row[0], row[1])):
            if (source, other) in distinct:
                continue
            spans = tuple((run[0], run[1]) for run in runs)
            self.copies[source].append(FoundCopy(other, share, share >= copy_at, spans))
        self.copies = dict(self.copies)
        # Sources that a document link or a found copy may lead upstream from: every other source, cited
        # without a via, is its own root.
        self.walked = frozenset(self.parent) | frozenset(self.copies)


def load_graph(session: Session) -> SourceGraph:
    from ..copies import COPY_AT, distinct_pairs

    links = stream_rows(
        session,
        select(SourceLink.source_id, SourceLink.other_id, SourceLink.kind).where(
            SourceLink.kind.in_(WHOLE_COPY_LINKS)
        ),
    )
    copies = session.execute(
        select(SourceCopy.source_id, SourceCopy.other_id, SourceCopy.overlap, SourceCopy.runs)
    )
    return SourceGraph(
        ((a, b, kind) for a, b, kind in links),
        ((a, b, share, runs) for a, b, share, runs in copies),
        distinct_pairs(session),
        COPY_AT,
    )


def _copied(start: int, end: int, runs: tuple[tuple[int, int], ...]) -> bool:
    """Does at least half of the span [start, end) lie inside the runs?"""
    covered = sum(max(0, min(end, b) - max(start, a)) for a, b in runs)
    return end > start and covered * 2 >= end - start


# ---- per-source facts ------------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceFacts:
    id: int
    publisher: int | None
    entities: tuple[int, ...]  # publisher first, then authors
    earliest: dt.date | None
    latest: dt.date | None
    interest: Interest

    @property
    def known(self) -> bool:
        """Has a publisher or an author: an interest that can be judged."""
        return bool(self.entities)


class Sources:
    """The facts the rule needs about sources, loaded in bulk (all of them, or chosen ones)."""

    def __init__(self, session: Session, ties: TieGraph) -> None:
        self.session, self.ties = session, ties
        self.facts: dict[int, SourceFacts] = {}
        self.complete = False  # every source loaded

    def get(self, source_id: int) -> SourceFacts:
        if source_id not in self.facts:
            self.load([source_id])
        return self.facts[source_id]

    def load(self, only: Iterable[int] | None = None) -> None:
        query = select(Source.id, Source.publisher_id, Source.published_earliest, Source.published_latest)
        authors_query = select(SourceAuthor.source_id, SourceAuthor.entity_id).order_by(
            SourceAuthor.source_id, SourceAuthor.position
        )
        if self.complete:
            return
        if only is not None:
            wanted = [sid for sid in set(only) if sid not in self.facts]
            if not wanted:
                return
            rows: list[Any] = []
            author_rows: list[Any] = []
            for start in range(0, len(wanted), 500):  # stay under every driver's parameter limit
                chunk = wanted[start : start + 500]
                rows.extend(self.session.execute(query.where(Source.id.in_(chunk))))
                author_rows.extend(
                    self.session.execute(authors_query.where(SourceAuthor.source_id.in_(chunk)))
                )
        else:
            rows = list(stream_rows(self.session, query))
            author_rows = list(stream_rows(self.session, authors_query))
            self.complete = True
        authors: dict[int, list[int]] = defaultdict(list)
        for source_id, entity_id in author_rows:
            authors[source_id].append(entity_id)
        loaded = []
        # Straight from the driver, SQLite gives dates as ISO strings; converted once per distinct value.
        to_date = functools.lru_cache(maxsize=None)(as_date)
        for source_id, publisher_id, earliest_value, latest_value in rows:
            earliest, latest = to_date(earliest_value), to_date(latest_value)
            written_by = authors.get(source_id)
            if written_by is None:  # most sources: no author, so no duplicate to drop
                entities: tuple[int, ...] = () if publisher_id is None else (publisher_id,)
            else:
                entities = tuple(
                    dict.fromkeys(([publisher_id] if publisher_id is not None else []) + written_by)
                )
            loaded.append((source_id, publisher_id, entities, earliest, latest))
        # Sources with the same publisher, authors and date share one interest set (and one object).
        keys = {(entities, earliest, latest) for _id, _publisher, entities, earliest, latest in loaded}
        interests = self.ties.interests((key, *key) for key in keys)
        for source_id, publisher_id, entities, earliest, latest in loaded:
            self.facts[source_id] = SourceFacts(
                source_id, publisher_id, entities, earliest, latest, interests[(entities, earliest, latest)]
            )


# ---- one claim's grouping --------------------------------------------------------------------------------

Entry = tuple[int, str, "int | None", "str | None", "int | None", "int | None"]
"""One appearance as the rule reads it: (source, stance, via source, anchor status, anchor start, end)."""

SweepRow = tuple[int, int, "int | None", "int | None", "int | None", "int | None"]
"""One backing appearance as the full check reads it: (claim, claimant, source, via, anchor start, anchor end),
the via None when it names the source itself; only appearances whose passage, when one was logged, was found
(an unfound passage backs nothing). A claim that nothing backs is one row whose source is None."""

Step = tuple[int, int, str, float]
"""One step upstream: (from source, to source, how, overlap): how is via, republishes, translates, copy or run."""


@dataclass(slots=True)
class Grouping:
    """One claim's backing sources followed to their roots, and the roots grouped into origins."""

    origins: list[list[int]]  # roots (source ids) with a known interest, grouped
    claimant_origin: int | None  # index into origins
    unknown: list[int]  # roots with no publisher and no author: not counted
    found: list[int]  # backing sources with a found (or no) passage, in order
    unfound: list[int]  # backing sources whose every logged passage is missing from their text
    roots: dict[int, int] | None = None  # source -> root where some source is not its own root
    paths: dict[int, list[Step]] = field(default_factory=dict)  # with explain=True: the steps to the root

    @property
    def root_of(self) -> dict[int, int]:
        """Each backing source with a found passage -> its root."""
        if self.roots is None:
            return {source: source for source in self.found}
        return self.roots

    @property
    def independent(self) -> int:
        return len(self.origins) - (1 if self.claimant_origin is not None else 0)


class Rule:
    """The graphs the rule reads, loaded once, and :meth:`group`, the one grouping function."""

    def __init__(self, ties: TieGraph, graph: SourceGraph, sources: Sources) -> None:
        self.ties, self.graph, self.sources = ties, graph, sources
        # Answers about numbered masks, remembered: whether a mask holds a claimant's component, whether two
        # masks meet. Thousands of sources share a mask, so most tests are a dictionary look-up.
        self._holds: dict[tuple[int, int], bool] = {}
        self._meets: dict[tuple[int, int], bool] = {}
        self._claimants: dict[int, tuple[int, int | None]] = {}
        self._interest: dict[int, Interest | None] | None = None
        self._fixed_roots: dict[int, int] = {}  # see _fixed_root
        self._rooted: dict[int, Interest | None] = {}  # see _rooted_interest

    def interest_table(self) -> dict[int, Interest | None]:
        """Every loaded source's interest set, None where it is unknown (for the counting sweep)."""
        if self._interest is None or len(self._interest) != len(self.sources.facts):
            self._interest = {
                sid: (fact.interest if fact.entities else None) for sid, fact in self.sources.facts.items()
            }
        return self._interest

    def _interest_of(self, source_id: int) -> Interest | None:
        table = self._interest
        if table is not None and source_id in table:
            return table[source_id]
        fact = self.sources.get(source_id)
        return fact.interest if fact.entities else None

    def _holds_claimant(self, interest: Interest, comp: int, value: int | None) -> bool:
        if value is None:
            return comp in interest.plain
        if not interest.group:
            return False
        held = self._holds.get((interest.group, comp))
        if held is None:
            held = self._holds[(interest.group, comp)] = bool(interest.mask & value)
        return held

    def _meet(self, a: Interest, b: Interest) -> bool:
        if not a.plain.isdisjoint(b.plain):
            return True
        if not (a.group and b.group):
            return False
        pair = (a.group, b.group)
        known = self._meets.get(pair)
        if known is None:
            known = self._meets[pair] = a.group == b.group or bool(a.mask & b.mask)
        return known

    def group(self, claimant_id: int, entries: Sequence[Entry], *, explain: bool = False) -> Grouping:
        """Group a claim's appearances (any stances; only backing ones count) into origins.

        Written for speed: it runs once per claim in the full check. Most claims have no via, no copied
        source and no document link, and their sources are their own roots.
        """
        graph = self.graph
        parent, copies = graph.parent, graph.copies
        if len(entries) == 1 and not explain:
            # One appearance (a third of claims): no lists to build when it is its own root.
            source, stance, via, status, _start, _end = entries[0]
            if (
                stance in BACKING
                and status != UNFOUND
                and (via is None or via == source)
                and source not in parent
                and source not in copies
            ):
                table = self._interest
                interest = (
                    table[source] if table is not None and source in table else self._interest_of(source)
                )
                if interest is None:
                    return Grouping([], None, [source], [source], [])
                claimant = self._claimants.get(claimant_id) or self._claimant(claimant_id)
                is_own = self._holds_claimant(interest, claimant[0], claimant[1])
                return Grouping([[source]], 0 if is_own else None, [], [source], [])
        found: list[int] = []
        missing: list[int] = []
        vias: dict[int, int] = {}
        anchors: dict[int, list[tuple[int, int]]] = {}
        plain = True  # no via, no document link, no copy: every source is its own root
        for source, stance, via, status, start, end in entries:
            if stance not in BACKING:
                continue
            if status == UNFOUND:
                missing.append(source)
                continue
            if source not in found:
                found.append(source)
                if plain and (source in parent or source in copies):
                    plain = False
            if via is not None and via != source:
                if source not in vias or via < vias[source]:
                    vias[source] = via
                plain = False
            if start is not None and end is not None and source in copies:
                anchors.setdefault(source, []).append((start, end))
        unfound = [source for source in dict.fromkeys(missing) if source not in found] if missing else missing
        paths: dict[int, list[Step]] = {}
        roots_by_source: dict[int, int] | None = None
        if plain:
            roots = found
        else:
            roots_by_source, roots = self._walk(found, vias, anchors, paths if explain else None)
        table = self._interest
        claimant = self._claimants.get(claimant_id) or self._claimant(claimant_id)
        comp, value = claimant
        if len(roots) == 1:
            root = roots[0]
            interest = table[root] if table is not None and root in table else self._interest_of(root)
            if interest is None:
                return Grouping([], None, [root], found, unfound, roots_by_source, paths)
            is_own = self._holds_claimant(interest, comp, value)
            return Grouping([[root]], 0 if is_own else None, [], found, unfound, roots_by_source, paths)
        known: list[int] = []
        interests: list[Interest] = []
        unknown: list[int] = []
        for root in roots:
            interest = table[root] if table is not None and root in table else self._interest_of(root)
            if interest is None:
                unknown.append(root)
            else:
                known.append(root)
                interests.append(interest)
        # _holds_claimant, inlined.
        holds = self._holds
        own: list[bool] = []
        for interest in interests:
            if value is None:
                own.append(comp in interest.plain)
            elif not interest.group:
                own.append(False)
            else:
                held = holds.get((interest.group, comp))
                if held is None:
                    held = holds[(interest.group, comp)] = bool(interest.mask & value)
                own.append(held)
        if len(known) <= 1:
            origins = [known] if known else []
            claimant_origin = 0 if known and own[0] else None
            return Grouping(origins, claimant_origin, unknown, found, unfound, roots_by_source, paths)
        labels = self._labels(interests)
        groups: dict[int, list[int]] = {}
        for label, root in zip(labels, known, strict=True):
            groups.setdefault(label, []).append(root)
        claimant_origin = None
        if True in own:
            claimant_origin = list(groups).index(labels[own.index(True)])
        return Grouping(
            list(groups.values()), claimant_origin, unknown, found, unfound, roots_by_source, paths
        )

    def _labels(self, interests: list[Interest]) -> list[int]:
        """Which origin each interest set falls in: equal labels for sets joined by a chain of sets that meet
        (:meth:`_meet`, inlined: this runs for every claim with more than one root)."""
        meets = self._meets
        labels = list(range(len(interests)))
        for j in range(1, len(interests)):
            later = interests[j]
            for i in range(j):
                if labels[i] == labels[j]:
                    continue
                earlier = interests[i]
                joined = not earlier.plain.isdisjoint(later.plain)
                if not joined and earlier.group and later.group:
                    pair = (earlier.group, later.group)
                    answer = meets.get(pair)
                    if answer is None:
                        answer = meets[pair] = earlier.group == later.group or bool(earlier.mask & later.mask)
                    joined = answer
                if joined:
                    old, new = labels[j], labels[i]
                    labels = [new if label == old else label for label in labels]
        return labels

    def counts(self, rows: Iterable[SweepRow]) -> Iterator[tuple[int, int]]:
        """(claim, independent origins) for each claim of ``rows`` (ordered by claim, every claim's rows
        together): the full check's counting sweep. Each count is ``group(...).independent`` for the same
        appearances, by the same steps, without the lists and paths of a :class:`Grouping`, which only an
        explanation reads. A claim with one backing row is counted here without building a list (a third of
        claims); the others go through :meth:`count`."""
        copies = self.graph.copies
        rooted: dict[int, Interest | None] = {}
        self._rooted = rooted  # for this sweep's graph and sources
        count = self.count
        single = self._count_single
        claim: int | None = None
        first: SweepRow | None = None
        group: list[SweepRow] | None = None  # the current claim's rows, from its second row on
        for row in rows:
            if row[0] == claim:
                if group is None:
                    group = [first, row]  # type: ignore[list-item]
                else:
                    group.append(row)
                continue
            if first is not None:
                if group is not None:
                    yield claim, count(group)  # type: ignore[misc]
                    group = None
                else:
                    yield claim, single(first, copies, rooted)  # type: ignore[misc]
            claim, first = row[0], row
        if first is not None:
            if group is not None:
                yield claim, count(group)  # type: ignore[misc]
            else:
                yield claim, single(first, copies, rooted)  # type: ignore[misc]

    def _rooted_interest(self, source: int) -> Interest | None:
        """The interest set of the root a source reaches through document links and whole copies alone
        (:meth:`_fixed_root`), None where it is unknown; remembered for the sweep."""
        root = source
        if source in self.graph.walked:
            root = self._fixed_roots[source] if source in self._fixed_roots else self._fixed_root(source)
        interest = self._rooted[source] = self._interest_of(root)
        return interest

    def _count_single(
        self, row: SweepRow, copies: dict[int, list[FoundCopy]], rooted: dict[int, Interest | None]
    ) -> int:
        """:meth:`count` of a claim with one row."""
        _claim, claimant_id, source, via, start, end = row
        if source is None:
            return 0  # nothing backs the claim
        if via is not None or (start is not None and end is not None and source in copies):
            return self.count([row])
        interest = rooted[source] if source in rooted else self._rooted_interest(source)
        if interest is None:
            return 0
        claimant = self._claimants.get(claimant_id) or self._claimant(claimant_id)
        comp, value = claimant
        if value is None:
            return 0 if comp in interest.plain else 1
        if not interest.group:
            return 1
        held = self._holds.get((interest.group, comp))
        if held is None:
            held = self._holds[(interest.group, comp)] = bool(interest.mask & value)
        return 0 if held else 1

    def _claimant(self, claimant_id: int) -> tuple[int, int | None]:
        """The claimant's tie component and its bit (None when no dated tie touches it), remembered: the
        sweep asks for the same claimants again and again."""
        comp = self.ties.component(claimant_id)
        found = self._claimants[claimant_id] = (comp, self.ties.bit_value(comp))
        return found

    def count(self, rows: Sequence[SweepRow]) -> int:
        """One claim's independent origins from its backing appearances as the full check reads them (all of
        one claim's rows, at least one): ``group(...).independent`` for the same appearances, by the same
        steps, without the lists and paths of a :class:`Grouping`, which only an explanation reads.

        Roots are told apart by their interest sets (one object for equal sets): two roots with the same
        set meet, so they are one origin, as :meth:`group` finds them."""
        copies = self.graph.copies
        rooted = self._rooted
        claimant_id = rows[0][1]
        interests: list[Interest] = []
        seen: list[int] = []  # their ids: a test of identity, where `in` on the sets would compare fields
        for _claim, _claimant, source, via, start, end in rows:
            if source is None:
                return 0  # nothing backs the claim
            if via is not None or (start is not None and end is not None and source in copies):
                # The way upstream depends on this claim's own vias and passages.
                interests, seen = [], []
                for root in self._count_roots(rows):
                    interest = self._interest_of(root)
                    if interest is not None and id(interest) not in seen:
                        seen.append(id(interest))
                        interests.append(interest)
                break
            interest = rooted[source] if source in rooted else self._rooted_interest(source)
            if interest is not None and id(interest) not in seen:
                seen.append(id(interest))
                interests.append(interest)
        if not interests:
            return 0
        claimant = self._claimants.get(claimant_id) or self._claimant(claimant_id)
        comp, value = claimant
        # _holds_claimant, inlined: is any root's interest set the claimant's?
        own = False
        if value is None:
            for interest in interests:
                if comp in interest.plain:
                    own = True
                    break
        else:
            holds = self._holds
            for interest in interests:
                if interest.group:
                    held = holds.get((interest.group, comp))
                    if held is None:
                        held = holds[(interest.group, comp)] = bool(interest.mask & value)
                    if held:
                        own = True
                        break
        if len(interests) == 1:
            return 0 if own else 1
        if len(interests) == 2:  # the commonest: one test of _meet, inlined
            a, b = interests
            if not a.plain.isdisjoint(b.plain):
                return 1 - own
            if not (a.group and b.group):
                return 2 - own
            pair = (a.group, b.group)
            answer = self._meets.get(pair)
            if answer is None:
                answer = self._meets[pair] = a.group == b.group or bool(a.mask & b.mask)
            return (1 if answer else 2) - own
        return len(set(self._labels(interests))) - own

    def _fixed_root(self, source: int) -> int:
        """The root a source reaches through document links and whole copies alone, as :meth:`_walk` finds it
        for a claim with no via and no passage in a source with found copies (remembered: it depends on
        nothing else)."""
        root = self._fixed_roots[source] = self._walk([source], {}, {}, None)[0][source]
        return root

    def _count_roots(self, rows: Sequence[SweepRow]) -> list[int]:
        """The roots of a claim's rows, through its vias and passages: as :meth:`group` finds them."""
        copies = self.graph.copies
        found: list[int] = []
        vias: dict[int, int] = {}
        anchors: dict[int, list[tuple[int, int]]] = {}
        for _claim, _claimant, source, via, start, end in rows:
            if source is None:  # no backing row (alone in its claim's rows)
                continue
            if source not in found:
                found.append(source)
            if via is not None and (source not in vias or via < vias[source]):
                vias[source] = via
            if start is not None and end is not None and source in copies:
                anchors.setdefault(source, []).append((start, end))
        return self._walk(found, vias, anchors, None)[1]

    def _walk(
        self,
        found: list[int],
        vias: dict[int, int],
        anchors: dict[int, list[tuple[int, int]]],
        paths: dict[int, list[Step]] | None,
    ) -> tuple[dict[int, int], list[int]]:
        """Follow each source upstream to its root: (source -> root, the roots in order)."""
        parent, copies = self.graph.parent, self.graph.copies

        def up(source: int) -> Step | None:
            via = vias.get(source)
            if via is not None:
                return (source, via, "via", 0.0)
            link = parent.get(source)
            if link is not None:
                return (source, link[0], link[1], 0.0)
            spans = anchors.get(source)
            for copy in copies.get(source, ()):
                if spans:
                    # The passage was copied when most of it lies in the runs shared with the original (an
                    # outlet that pastes a wire story whole and adds its own paragraph reports that paragraph
                    # itself).
                    if all(_copied(s, e, copy.runs) for s, e in spans):
                        return (source, copy.original, "copy" if copy.whole else "run", copy.overlap)
                elif copy.whole:
                    return (source, copy.original, "copy", copy.overlap)
            return None

        root_of: dict[int, int] = {}
        roots: list[int] = []
        for source in found:
            path = [source]
            at = {source: 0}
            steps: list[Step] = []
            while True:
                step = up(path[-1])
                if step is None:
                    root = path[-1]
                    break
                following = step[1]
                if following in at:  # a cycle: its lowest source is the root
                    root = min(path[at[following] :])
                    steps.append(step)
                    break
                at[following] = len(path)
                path.append(following)
                steps.append(step)
            if paths is not None and root != source:
                kept = []
                for step in steps:  # only the steps up to the root itself
                    kept.append(step)
                    if step[1] == root:
                        break
                paths[source] = kept
            root_of[source] = root
            if root not in roots:
                roots.append(root)
        return root_of, roots
