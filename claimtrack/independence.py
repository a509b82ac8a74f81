"""Independence: which claims lack independent sources, and why.

The rule (DESIGN.md). For a claim C made by claimant P, take the sources that back it (stance asserts, reports
or supports).

1. A source's *interest set* is its publisher and authors plus every entity reachable from them through
   affiliations — in both directions, every kind except opposition, and only ties in force at the source's
   date where both dates are known.
2. Two backing sources are one *origin* when their interest sets meet, or when one reaches the other through
   republishes / cites / derived-from / translates links (transitively, in either direction: two outlets
   that both republish the same story are one origin even when that story does not itself back the claim).
3. The origin whose sources' interest sets hold P is the claimant's own origin; every other origin is
   independent.
4. A claim lacks independent sources when its independent origins are fewer than the threshold (default 2).

How it scales. Ties that are always in force (undated) are folded once into connected components; an
interest set is then a small set of component ids, grown only across dated ties, so "do two interest sets
meet" is a set intersection of one or two integers. Source links are folded into components the same way.
Claims are then streamed from one query ordered by claim, so the whole check is a handful of queries and a
pass over the appearances, never a query per claim. Words are produced only for the claims that are shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from . import vocab
from .errors import InvalidInput
from .filters import ClaimFilter
from .models import (
    Affiliation,
    Appearance,
    Claim,
    ClaimRelation,
    Entity,
    Setting,
    Source,
    SourceAuthor,
    SourceLink,
)

DEFAULT_THRESHOLD = 2
THRESHOLD_SETTING = "min-independent"
BACKING = frozenset(stance.value for stance in vocab.BACKING_STANCES)
LINKS_THAT_COPY = tuple(kind.value for kind in vocab.SourceLinkKind)

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


# ---- the threshold ---------------------------------------------------------------------------------------


def stored_threshold(session: Session) -> int:
    value = session.get(Setting, THRESHOLD_SETTING)
    return int(value.value) if value is not None else DEFAULT_THRESHOLD


MAX_THRESHOLD = 1_000_000


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


# ---- bulk reads ----------------------------------------------------------------------------------------------


def stream_rows(session: Session, query: Any, batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """The rows of a whole-table scan, straight from the driver's cursor, in batches.

    A full check reads millions of rows; SQLAlchemy's row objects cost five times the driver's own tuples,
    so these whole-table scans go to the driver directly (the SQL is still SQLAlchemy's, compiled for the
    connection's dialect). PostgreSQL gets a server-side cursor so the rows never sit in memory at once.
    """
    connection = session.connection()
    # Only claimtrack's own constants (vocabulary values) are ever bound here, so rendering them inline is
    # safe; user input never reaches these scans.
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    raw: Any = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        cursor = raw.cursor(name=f"claimtrack_{id(query):x}")
    else:
        cursor = raw.cursor()
    try:
        cursor.execute(str(compiled))
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def _as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# ---- union-find ------------------------------------------------------------------------------------------


class _Components:
    """Union-find over integers; ``find`` of an unseen item is the item itself."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent.get(root, root) != root:
            root = parent[root]
        while item != root:  # path compression
            following = parent[item]
            parent[item] = root
            item = following
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# ---- the tie graph ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tie:
    id: int
    entity: int
    other: int
    kind: str
    since: dt.date | None  # earliest day it may have begun
    until: dt.date | None  # latest day it may have ended

    def in_force(self, earliest: dt.date | None, latest: dt.date | None) -> bool:
        """Could this tie have been in force at some time in [earliest, latest]? Unknown dates count."""
        if self.since is not None and latest is not None and self.since > latest:
            return False
        return not (self.until is not None and earliest is not None and self.until < earliest)


@dataclass(frozen=True, slots=True)
class Interest:
    """An interest set, as the components of always-in-force ties it covers: those no dated tie touches, and
    a bitmask of those that dated ties touch (bit numbers from :attr:`TieGraph.bit`)."""

    plain: frozenset[int]
    mask: int
    # Which distinct mask this is (0 for none): masks repeat across thousands of sources (a bloc of ties on
    # a given day), so a number stands for each, and tests on masks can be remembered by number.
    group: int = 0

    def meets(self, other: Interest) -> bool:
        if self.group and self.group == other.group:
            return True
        return bool(self.mask & other.mask) or not self.plain.isdisjoint(other.plain)


class TieGraph:
    """The affiliations that break independence (every kind except opposition)."""

    def __init__(self, ties: Iterable[Tie]) -> None:
        self.ties = [tie for tie in ties if tie.kind != vocab.AffiliationKind.adversary_of]
        components = _Components()
        for tie in self.ties:
            if tie.since is None and tie.until is None:
                components.union(tie.entity, tie.other)
        self._components = components
        # Dated ties join components only while in force. The components they touch get a bit each, so that
        # an interest set is a small frozenset of untouched components plus an integer bitmask of touched
        # ones, and "do two interest sets meet" is one AND of two integers.
        self.dated_ties: list[tuple[int, int, dt.date | None, dt.date | None]] = []
        self.dated: dict[int, list[tuple[int, dt.date | None, dt.date | None]]] = defaultdict(list)
        self.bit: dict[int, int] = {}
        for tie in self.ties:
            if tie.since is not None or tie.until is not None:
                a, b = components.find(tie.entity), components.find(tie.other)
                if a != b:
                    self.dated_ties.append((a, b, tie.since, tie.until))
                    self.dated[a].append((b, tie.since, tie.until))
                    self.dated[b].append((a, tie.since, tie.until))
        # Testing one bit of a Python integer costs time in proportion to the bit's position, and the bits
        # tested most are those of the best-connected components (the hubs that claims and sources cluster
        # around): they get the lowest numbers.
        for comp in sorted(self.dated, key=lambda comp: (-len(self.dated[comp]), comp)):
            self.bit[comp] = len(self.bit)
        self._bit_values: dict[int, int] = {}
        self._groups: dict[int, int] = {}
        self._by_entity: dict[int, list[Tie]] | None = None
        self._reach_root: dict[int, int] | None = None
        # Flattened once: looked up for every claim's claimant.
        self._roots = {entity: components.find(entity) for entity in list(components.parent)}

    def component(self, entity: int) -> int:
        return self._roots.get(entity, entity)

    def intern(self, plain: frozenset[int], mask: int) -> Interest:
        """An Interest whose mask is numbered (equal masks, equal numbers; the one object kept)."""
        if not mask:
            return Interest(plain, 0, 0)
        group = self._groups.get(mask)
        if group is None:
            group = self._groups[mask] = len(self._groups) + 1
        return Interest(plain, mask, group)

    def holds(self, interest: Interest, comp: int) -> bool:
        """Does the interest set include this component?"""
        value = self.bit_value(comp)
        return comp in interest.plain if value is None else bool(interest.mask & value)

    def bit_value(self, comp: int) -> int | None:
        """``1 << bit`` for a touched component (cached: an AND with it costs only up to that bit)."""
        value = self._bit_values.get(comp)
        if value is None:
            bit = self.bit.get(comp)
            if bit is None:
                return None
            value = self._bit_values[comp] = 1 << bit
        return value

    def _split(self, comps: Iterable[int]) -> Interest:
        plain, mask = [], 0
        for comp in comps:
            bit = self.bit.get(comp)
            if bit is None:
                plain.append(comp)
            else:
                mask |= 1 << bit
        return self.intern(frozenset(plain), mask)

    def interest(self, entities: Iterable[int], earliest: dt.date | None, latest: dt.date | None) -> Interest:
        """The interest set of a source with these entities, dated [earliest, latest] (a walk; for one source)."""
        start = {self._components.find(entity) for entity in entities}
        dated = self.dated
        if not any(comp in dated for comp in start):
            return self.intern(frozenset(start), 0)
        seen = set(start)
        queue = [comp for comp in start if comp in dated]
        while queue:
            for other, since, until in dated.get(queue.pop(), ()):
                if other in seen:
                    continue
                # Tie.in_force, inlined: unknown dates count as in force.
                if since is not None and latest is not None and since > latest:
                    continue
                if until is not None and earliest is not None and until < earliest:
                    continue
                seen.add(other)
                queue.append(other)
        return self._split(seen)

    def interests(
        self, sources: Iterable[tuple[Any, tuple[int, ...], dt.date | None, dt.date | None]]
    ) -> dict[Any, Interest]:
        """Interest sets of many sources at once, given as (key, entities, earliest, latest).

        Answered offline, by sweeps rather than one walk per source. A source's date is a span (a day, a
        month, a year; an unknown end is open). The distinct spans are dealt into families of disjoint spans;
        within a family, sorted by date, the spans a tie is in force during form one contiguous run. So a
        segment tree over the family's spans holds each dated tie on its run, and a union-find with rollback
        over the touched components (each root carrying the bitmask of its members) is walked once per family.
        That costs O(ties x log spans) unions per family however many sources there are, where a walk per
        source would cost O(sources x ties).
        """
        result: dict[Any, Interest] = {}
        by_span: dict[tuple[dt.date, dt.date], list[tuple[Any, tuple[int, ...], frozenset[int]]]] = (
            defaultdict(list)
        )
        starts: dict[tuple[int, ...], tuple[tuple[int, ...], frozenset[int]]] = {}
        for key, entities, earliest, latest in sources:
            start = starts.get(entities)
            if start is None:
                comps = {self._roots.get(entity, entity) for entity in entities}
                start = starts[entities] = (
                    tuple(self.bit[comp] for comp in comps if comp in self.bit),
                    frozenset(comp for comp in comps if comp not in self.bit),
                )
            touched, plain = start
            if not touched:
                result[key] = self.intern(plain, 0)
            else:
                span = (earliest or dt.date.min, latest or dt.date.max)
                by_span[span].append((key, touched, plain))
        for family in _disjoint_families(sorted(by_span)):
            self._sweep(family, by_span, result)
        return result

    def _sweep(
        self,
        spans: list[tuple[dt.date, dt.date]],
        queries: dict[tuple[dt.date, dt.date], list[tuple[Any, tuple[int, ...], frozenset[int]]]],
        result: dict[Any, Interest],
    ) -> None:
        """Answer the queries of one family of disjoint spans, sorted by date."""
        count = len(spans)
        firsts = [first for first, _last in spans]
        lasts = [last for _first, last in spans]
        tree: dict[int, list[tuple[int, int]]] = defaultdict(list)

        def place(node: int, low: int, high: int, first: int, last: int, edge: tuple[int, int]) -> None:
            if last < low or high < first:
                return
            if first <= low and high <= last:
                tree[node].append(edge)
                return
            middle = (low + high) // 2
            place(2 * node, low, middle, first, last, edge)
            place(2 * node + 1, middle + 1, high, first, last, edge)

        for a, b, since, until in self.dated_ties:
            # In force during span i when since <= last_i and until >= first_i (unknown ends count).
            first = 0 if since is None else bisect_left(lasts, since)
            last = count - 1 if until is None else bisect_right(firsts, until) - 1
            if first <= last:
                place(1, 0, count - 1, first, last, (self.bit[a], self.bit[b]))

        size = len(self.bit)
        parent = list(range(size))
        weight = [1] * size
        mask = [1 << bit for bit in range(size)]
        undo: list[tuple[int, int, int]] = []

        def find(x: int) -> int:
            while parent[x] != x:  # no path compression: unions must be undone exactly
                x = parent[x]
            return x

        def walk(node: int, low: int, high: int) -> None:
            mark = len(undo)
            for x, y in tree.get(node, ()):
                rx, ry = find(x), find(y)
                if rx != ry:
                    if weight[rx] < weight[ry]:
                        rx, ry = ry, rx
                    undo.append((ry, rx, mask[rx]))
                    parent[ry] = rx
                    weight[rx] += weight[ry]
                    mask[rx] |= mask[ry]
            if low == high:
                for key, touched, plain in queries[spans[low]]:
                    if len(touched) == 1:
                        bits = mask[find(touched[0])]
                    else:
                        bits = 0
                        for bit in touched:
                            bits |= mask[find(bit)]
                    result[key] = self.intern(plain, bits)
            else:
                middle = (low + high) // 2
                walk(2 * node, low, middle)
                walk(2 * node + 1, middle + 1, high)
            while len(undo) > mark:
                ry, rx, previous = undo.pop()
                parent[ry] = ry
                weight[rx] -= weight[ry]
                mask[rx] = previous

        walk(1, 0, count - 1)

    def _reach(self) -> dict[int, int]:
        """Each tied entity's group when every tie counts, whatever its dates (a union-find, made once)."""
        if self._reach_root is None:
            parent: dict[int, int] = {}

            def find(entity: int) -> int:
                root = parent.setdefault(entity, entity)
                while root != parent[root]:
                    parent[root] = parent[parent[root]]
                    root = parent[root]
                return root

            for tie in self.ties:
                a, b = find(tie.entity), find(tie.other)
                if a != b:
                    parent[a] = b
            self._reach_root = {entity: find(entity) for entity in parent}
        return self._reach_root

    def _adjacency(self) -> dict[int, list[Tie]]:
        """Each tied entity's ties, either direction (made once, on first use)."""
        if self._by_entity is None:
            self._by_entity = defaultdict(list)
            for tie in self.ties:
                self._by_entity[tie.entity].append(tie)
                self._by_entity[tie.other].append(tie)
        return self._by_entity

    def _may_link(self, starts: list[int], targets: set[int]) -> bool:
        """Whether any chain of ties, whatever its dates, could join a start to a target. Most asked pairs
        are not joined at all: a lookup says so without a search that would visit everything in reach."""
        reach = self._reach()
        return bool({reach.get(e, e) for e in starts} & {reach.get(e, e) for e in targets})

    def chain(self, starts: Iterable[int], targets: set[int]) -> list[tuple[int, Tie | None]] | None:
        """A shortest chain of ties from one of ``starts`` to one of ``targets`` whatever their dates, in
        the form :meth:`path` gives; None when there is none. It searches from both ends at once, a level at
        a time on the smaller side, so in a large web of ties it meets in the middle instead of visiting
        everything within reach of the start."""
        starts = list(starts)
        if not self._may_link(starts, targets):
            return None
        by_entity = self._adjacency()
        forward: dict[int, tuple[int, Tie] | None] = dict.fromkeys(starts)
        backward: dict[int, tuple[int, Tie] | None] = dict.fromkeys(targets)
        front, back = list(forward), list(backward)
        meet = next((e for e in front if e in backward), None)
        while meet is None and front and back:
            grow_forward = len(front) <= len(back)
            seen, other = (forward, backward) if grow_forward else (backward, forward)
            level = front if grow_forward else back
            following: list[int] = []
            for entity in level:
                for tie in by_entity.get(entity, ()):
                    neighbour = tie.other if tie.entity == entity else tie.entity
                    if neighbour not in seen:
                        seen[neighbour] = (entity, tie)
                        following.append(neighbour)
                        if meet is None and neighbour in other:
                            meet = neighbour
            if grow_forward:
                front = following
            else:
                back = following
        if meet is None:
            return None
        steps: list[tuple[int, Tie | None]] = []
        node = meet
        while True:  # back from the meeting point to a start
            previous = forward[node]
            steps.append((node, previous[1] if previous else None))
            if previous is None:
                break
            node = previous[0]
        steps.reverse()
        node = meet
        while backward[node] is not None:  # on from the meeting point to a target
            following_node, tie = backward[node]  # type: ignore[misc]
            steps.append((following_node, tie))
            node = following_node
        return steps

    def path(
        self,
        starts: Iterable[int],
        targets: set[int],
        earliest: dt.date | None,
        latest: dt.date | None,
    ) -> list[tuple[int, Tie | None]] | None:
        """The shortest chain of ties in force at some time in [earliest, latest] from one of ``starts`` to one
        of ``targets``, as (entity, tie that led there) steps; None when there is none."""
        starts = list(starts)
        if not self._may_link(starts, targets):
            return None
        by_entity = self._adjacency()
        came_from: dict[int, tuple[int, Tie] | None] = {}
        queue: deque[int] = deque()
        for start in starts:
            if start not in came_from:
                came_from[start] = None
                queue.append(start)
        while queue:
            entity = queue.popleft()
            if entity in targets:
                steps: list[tuple[int, Tie | None]] = []
                node: int = entity
                while True:
                    previous = came_from[node]
                    steps.append((node, previous[1] if previous else None))
                    if previous is None:
                        break
                    node = previous[0]
                return list(reversed(steps))
            for tie in by_entity.get(entity, ()):
                if not tie.in_force(earliest, latest):
                    continue
                other = tie.other if tie.entity == entity else tie.entity
                if other not in came_from:
                    came_from[other] = (entity, tie)
                    queue.append(other)
        return None


def load_ties(session: Session) -> TieGraph:
    query = select(
        Affiliation.id,
        Affiliation.entity_id,
        Affiliation.other_id,
        Affiliation.kind,
        Affiliation.since_earliest,
        Affiliation.until_latest,
    )
    return TieGraph(
        Tie(tie_id, entity, other, kind, _as_date(since), _as_date(until))
        for tie_id, entity, other, kind, since, until in stream_rows(session, query)
    )


def _disjoint_families(spans: list[tuple[dt.date, dt.date]]) -> list[list[tuple[dt.date, dt.date]]]:
    """Deal spans sorted by start into as few families of pairwise disjoint spans as greedily fits (days in
    one family, months in another, years in a third, in practice), each family sorted by date."""
    families: list[list[tuple[dt.date, dt.date]]] = []
    for span in spans:
        for family in families:
            if family[-1][1] < span[0]:
                family.append(span)
                break
        else:
            families.append([span])
    return families


# ---- the source-link graph --------------------------------------------------------------------------------


class LinkGraph:
    """Republishes / cites / derived-from / translates links, folded into components."""

    def __init__(self, links: Iterable[tuple[int, int, int, str]]) -> None:
        self.links = list(links)  # (link id, source, other, kind)
        components = _Components()
        for _id, source, other, _kind in self.links:
            components.union(source, other)
        self._roots = {source: components.find(source) for source in list(components.parent)}
        self._adjacent: dict[int, list[tuple[int, int, int, str]]] | None = None

    def root(self, source: int) -> int:
        return self._roots.get(source, source)

    def path(self, start: int, target: int) -> list[tuple[int, int, str]] | None:
        """The links from ``start`` to ``target`` as (from, to, kind) in their recorded direction."""
        if self._adjacent is None:
            self._adjacent = defaultdict(list)
            for link in self.links:
                self._adjacent[link[1]].append(link)
                self._adjacent[link[2]].append(link)
        came_from: dict[int, tuple[int, int, int, str] | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == target:
                steps = []
                step = came_from[node]
                while step is not None:
                    steps.append((step[1], step[2], step[3]))
                    node = step[1] if step[2] == node else step[2]
                    step = came_from[node]
                return list(reversed(steps))
            for link in self._adjacent.get(node, ()):
                other = link[2] if link[1] == node else link[1]
                if other not in came_from:
                    came_from[other] = link
                    queue.append(other)
        return None


def load_links(session: Session) -> LinkGraph:
    query = select(SourceLink.id, SourceLink.source_id, SourceLink.other_id, SourceLink.kind).where(
        SourceLink.kind.in_(LINKS_THAT_COPY)
    )
    return LinkGraph((row[0], row[1], row[2], row[3]) for row in stream_rows(session, query))


# ---- per-source facts ------------------------------------------------------------------------------------


@dataclass
class SourceFacts:
    id: int
    publisher: int | None
    entities: tuple[int, ...]  # publisher first, then authors
    earliest: dt.date | None
    latest: dt.date | None
    link_root: int
    interest: Interest


class Sources:
    """The facts the rule needs about sources, loaded in bulk (all of them, or those of chosen claims)."""

    def __init__(self, session: Session, ties: TieGraph, links: LinkGraph) -> None:
        self.session, self.ties, self.links = session, ties, links
        self.facts: dict[int, SourceFacts] = {}
        self.complete = False  # every source loaded

    def load(self, only: Sequence[int] | None = None) -> None:
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
        as_date = functools.lru_cache(maxsize=None)(_as_date)
        for source_id, publisher_id, earliest_value, latest_value in rows:
            earliest, latest = as_date(earliest_value), as_date(latest_value)
            entities = tuple(
                dict.fromkeys(
                    ([publisher_id] if publisher_id is not None else []) + authors.get(source_id, [])
                )
            )
            loaded.append((source_id, publisher_id, entities, earliest, latest))
        # Sources with the same publisher, authors and date share one interest set (and one object).
        keys = {(entities, earliest, latest) for _id, _publisher, entities, earliest, latest in loaded}
        interests = self.ties.interests((key, *key) for key in keys)
        for source_id, publisher_id, entities, earliest, latest in loaded:
            self.facts[source_id] = SourceFacts(
                source_id,
                publisher_id,
                entities,
                earliest,
                latest,
                self.links.root(source_id),
                interests[(entities, earliest, latest)],
            )


# ---- verdicts --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Verdict:
    """The sourcing facts of one claim. ``origins`` are lists of backing source ids."""

    claim_id: int
    claimant_id: int
    origins: list[list[int]]
    claimant_origin: int | None  # index into origins, or None when no source is the claimant's own
    threshold: int
    asserting: list[int] = field(default_factory=list)  # backing sources whose stance is "asserts"
    opposing: list[tuple[int, str]] = field(default_factory=list)  # (source, disputes | refutes)

    @property
    def independent(self) -> int:
        return len(self.origins) - (1 if self.claimant_origin is not None else 0)

    @property
    def lacking(self) -> bool:
        return self.independent < self.threshold


def _group(
    claimant_comp: int, source_ids: list[int], facts: dict[int, SourceFacts], ties: TieGraph
) -> tuple[list[list[int]], int | None]:
    """Split a claim's backing sources into origins and find the claimant's own.

    Sources are compared pair by pair: a claim has a handful of sources, and each comparison is one AND of
    two integers (or a C-level set test). This runs once per claim, so it is written for speed: labels
    instead of a union-find, and the claimant's bit looked up once.
    """
    value = ties.bit_value(claimant_comp)
    items = [facts[source_id].interest for source_id in source_ids]
    if value is None:
        own = [claimant_comp in interest.plain for interest in items]
    else:
        own = [bool(interest.mask & value) for interest in items]
    if len(items) == 1:
        return [source_ids], (0 if own[0] else None)
    roots = [facts[source_id].link_root for source_id in source_ids]
    labels = list(range(len(items)))
    for j in range(1, len(items)):
        later, later_root = items[j], roots[j]
        for i in range(j):
            if labels[i] == labels[j]:
                continue
            earlier = items[i]
            if roots[i] == later_root or earlier.meets(later):
                old, new = labels[j], labels[i]
                labels = [new if label == old else label for label in labels]
    groups: dict[int, list[int]] = {}
    for label, source_id in zip(labels, source_ids, strict=True):
        groups.setdefault(label, []).append(source_id)
    claimant_origin = None
    if True in own:
        claimant_origin = list(groups).index(labels[own.index(True)])
    return list(groups.values()), claimant_origin


# Withdrawn appearances (`claim uncite`, issue 14): an appearance logged in error is kept and shown as withdrawn,
# but backs and opposes nothing. Both queries of appearances that feed a verdict (Checker._appearance_rows and
# Checker.independent_counts) add this one condition.
COUNTED_APPEARANCE = Appearance.withdrawn_at.is_(None)


class Checker:
    """Computes verdicts; load once, then check all claims or a selection."""

    def __init__(self, session: Session, threshold: int | None = None) -> None:
        self.session = session
        self.threshold = check_threshold(threshold) if threshold is not None else stored_threshold(session)
        self.ties = load_ties(session)
        self.links = load_links(session)
        self.sources = Sources(session, self.ties, self.links)

    def _appearance_rows(self, claim_ids: Sequence[int] | None) -> Iterator[Any]:
        """(claim id, source id, stance) of appearances, ordered by claim."""
        query = select(Appearance.claim_id, Appearance.source_id, Appearance.stance).where(COUNTED_APPEARANCE)
        if claim_ids is None:
            yield from stream_rows(self.session, query.order_by(Appearance.claim_id))
            return
        for start in range(0, len(claim_ids), 500):
            chunk = claim_ids[start : start + 500]
            yield from self.session.execute(
                query.where(Appearance.claim_id.in_(chunk)).order_by(Appearance.claim_id)
            )

    def verdicts(self, claims: Sequence[tuple[int, int]] | None = None) -> Iterator[Verdict]:
        """Verdicts for ``claims`` as (claim id, claimant id) pairs, in that order; for every claim if None."""
        if claims is None:
            self.sources.load()
            claim_rows: Iterable[Any] = stream_rows(
                self.session, select(Claim.id, Claim.claimant_id).order_by(Claim.id)
            )
            appearance_rows = self._appearance_rows(None)
        else:
            claim_rows = sorted(claims)
            ids = [claim_id for claim_id, _ in claim_rows]
            appearance_rows = self._appearance_rows(ids)
        gathered: dict[int, list[tuple[int, str]]] = {}
        # Appearances arrive ordered by claim: gather one claim's at a time while walking the claims.
        pending = next(appearance_rows, None)
        for claim_id, claimant_id in claim_rows:
            rows: list[tuple[int, str]] = []
            while pending is not None and pending[0] < claim_id:
                pending = next(appearance_rows, None)
            while pending is not None and pending[0] == claim_id:
                rows.append((pending[1], pending[2]))
                pending = next(appearance_rows, None)
            if claims is None:
                yield self._verdict(claim_id, claimant_id, rows)
            else:
                gathered[claim_id] = rows
        if claims is not None:
            self.sources.load([source_id for rows in gathered.values() for source_id, _stance in rows])
            for claim_id, claimant_id in claims:
                yield self._verdict(claim_id, claimant_id, gathered[claim_id])

    def independent_counts(self, claim_range: tuple[int, int] | None = None) -> Iterator[tuple[int, int]]:
        """(claim id, independent origins) for every claim (or those with ids in ``claim_range``, inclusive):
        the full check's inner loop and nothing else.

        The same rule as :meth:`verdicts` (a test holds them to agreeing), without building origins, so that
        checking a million claims stays close to the cost of reading their appearances.
        """
        self.sources.load()
        interest_of = {source_id: fact.interest for source_id, fact in self.sources.facts.items()}
        link_root = {source_id: fact.link_root for source_id, fact in self.sources.facts.items()}
        claimants: dict[int, tuple[int, int | None]] = {}
        component, bit_value = self.ties.component, self.ties.bit_value
        # Answers about numbered masks, remembered: whether a mask holds a claimant's component, whether two
        # masks meet. Thousands of sources share a mask, so most tests are a dictionary look-up.
        holds: dict[tuple[int, int], bool] = {}
        meets: dict[tuple[int, int], bool] = {}
        backed = (
            select(Appearance.claim_id, Claim.claimant_id, Appearance.source_id)
            .join(Claim, and_(Appearance.claim_id == Claim.id, Appearance.stance.in_(sorted(BACKING))))
            .where(COUNTED_APPEARANCE)
            .order_by(Appearance.claim_id)
        )
        every = select(Claim.id)
        if claim_range is not None:
            backed = backed.where(Appearance.claim_id.between(*claim_range))
            every = every.where(Claim.id.between(*claim_range))
        seen: list[int] = []
        for claim_id, group in itertools.groupby(stream_rows(self.session, backed), itemgetter(0)):
            seen.append(claim_id)
            rows = list(group)
            claimant_id = rows[0][1]
            sources = []
            for row in rows:
                if row[2] not in sources:
                    sources.append(row[2])
            claimant = claimants.get(claimant_id)
            if claimant is None:
                comp = component(claimant_id)
                claimant = claimants[claimant_id] = (comp, bit_value(comp))
            comp, value = claimant
            interests = [interest_of[source] for source in sources]
            own = []
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
            if len(sources) == 1:
                yield claim_id, 0 if own[0] else 1
                continue
            roots = [link_root[source] for source in sources]
            labels = list(range(len(sources)))
            for j in range(1, len(sources)):
                later, later_root = interests[j], roots[j]
                for i in range(j):
                    if labels[i] == labels[j]:
                        continue
                    earlier = interests[i]
                    joined = roots[i] == later_root or not earlier.plain.isdisjoint(later.plain)
                    if not joined and earlier.group and later.group:
                        pair = (earlier.group, later.group)
                        known = meets.get(pair)
                        if known is None:
                            known = meets[pair] = earlier.group == later.group or bool(
                                earlier.mask & later.mask
                            )
                        joined = known
                    if joined:
                        old, new = labels[j], labels[i]
                        labels = [new if label == old else label for label in labels]
            origins = len(set(labels))
            yield claim_id, origins - 1 if True in own else origins
        # Claims that nothing backs: cheaper found as "not seen above" than by a NOT EXISTS per claim.
        backed_ids = set(seen)
        for (claim_id,) in stream_rows(self.session, every):
            if claim_id not in backed_ids:
                yield claim_id, 0

    def _verdict(self, claim_id: int, claimant_id: int, appearances: list[tuple[int, str]]) -> Verdict:
        backing: list[int] = []
        asserting: list[int] = []
        opposing: list[tuple[int, str]] = []
        for source, stance in appearances:
            if stance in BACKING:
                if source not in backing:
                    backing.append(source)
                if stance == "asserts":
                    asserting.append(source)
            else:
                opposing.append((source, stance))
        if backing:
            origins, claimant_origin = _group(
                self.ties.component(claimant_id), backing, self.sources.facts, self.ties
            )
        else:
            origins, claimant_origin = [], None
        return Verdict(claim_id, claimant_id, origins, claimant_origin, self.threshold, asserting, opposing)


# Below this many claims one process is quicker than starting a second.
PARALLEL_FROM = 200_000


def counts(
    checker: Checker, workers: int | None = None, total: int | None = None
) -> Iterator[tuple[int, int]]:
    """(claim id, independent origins) for every claim, on two processes when the ledger is large.

    The facts about sources are loaded once, then the process forks: the child counts the upper half of the
    claims on its own database connection while this process counts the lower half. Where fork is not
    available (or the ledger is small) it is one process.
    """
    import multiprocessing
    import os

    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    session = checker.session
    if total is None:  # the caller may know it already
        total = session.scalar(select(func.count()).select_from(Claim)) or 0
    if workers < 2 or total < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield from checker.independent_counts()
        return
    middle = session.scalar(select(Claim.id).order_by(Claim.id).offset(total // 2).limit(1))
    first = session.scalar(select(func.min(Claim.id)))
    last = session.scalar(select(func.max(Claim.id)))
    assert middle is not None and first is not None and last is not None
    checker.sources.load()  # before the fork, so that the child inherits it
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    url = session.connection().engine.url.render_as_string(hide_password=False)
    child = context.Process(target=_count_in_child, args=(checker, url, (middle, last), writer), daemon=True)
    child.start()
    writer.close()
    try:
        yield from checker.independent_counts((first, middle - 1))
        outcome = reader.recv()
    finally:
        child.join()
    if isinstance(outcome, BaseException):
        raise outcome
    ids, independents = outcome
    yield from zip(ids, independents, strict=True)


def _count_in_child(checker: Checker, url: str, claim_range: tuple[int, int], writer: Any) -> None:
    from array import array

    from . import db

    try:
        # A forked process must not touch its parent's database connections: forget them without closing
        # them (closing would end the parent's), and open its own.
        for engine in db._engines.values():
            engine.dispose(close=False)
        db._engines.clear()
        with db.Ledger(url).session(check_schema=False) as session:
            checker.session = session
            ids, independents = array("q"), array("q")
            for claim_id, independent in checker.independent_counts(claim_range):
                ids.append(claim_id)
                independents.append(independent)
        writer.send((ids, independents))
    except BaseException as exc:
        writer.send(exc)
    finally:
        writer.close()


class IndependentCounts:
    """(claim id, independent origins) of every checked claim, in check order, as two parallel arrays of 64-bit
    integers: 16 bytes a claim where a list of tuples costs about 90, and cheap to fill in the counting pass.
    What ``claimtrack check`` stores (:func:`claimtrack.views.record_checks`)."""

    __slots__ = ("claim_ids", "independent")

    def __init__(self) -> None:
        self.claim_ids: array[int] = array("q")
        self.independent: array[int] = array("q")

    def add(self, claim_id: int, independent: int) -> None:
        self.claim_ids.append(claim_id)
        self.independent.append(independent)

    def __len__(self) -> int:
        return len(self.claim_ids)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.claim_ids, self.independent, strict=True)


@dataclass
class CheckSummary:
    checked: int
    lacking: int
    threshold: int
    lacking_ids: list[int]
    counts: IndependentCounts = field(default_factory=IndependentCounts)


def check_all(session: Session, *, threshold: int | None = None, workers: int | None = None) -> CheckSummary:
    """The rule over every claim in the ledger: how many lack independent sources, which, and every claim's
    independent-origin count."""
    checker = Checker(session, threshold)
    limit = checker.threshold
    found = IndependentCounts()
    # Bound methods looked up once: this loop runs once per claim.
    add_id, add_independent = found.claim_ids.append, found.independent.append
    lacking_ids = []
    for claim_id, independent in counts(checker, workers):
        add_id(claim_id)
        add_independent(independent)
        if independent < limit:
            lacking_ids.append(claim_id)
    return CheckSummary(len(found), len(lacking_ids), checker.threshold, lacking_ids, found)


# ---- reasons in words ------------------------------------------------------------------------------------

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

    def preload(self) -> None:
        for eid, name, grade in self.session.execute(select(Entity.id, Entity.name, Entity.reliability)):
            self.names[eid], self.grades[eid] = name, grade
        for sid, key in self.session.execute(select(Source.id, Source.key)):
            self.keys[sid] = key

    def _load(self, entity_ids: Iterable[int], source_ids: Iterable[int]) -> None:
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
        if source_id not in self.checker.sources.facts:
            self.checker.sources.load([source_id])
        return self.checker.sources.facts[source_id]

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
        """Why two sources of one origin go together."""
        if a.link_root == b.link_root:
            steps = self.checker.links.path(a.id, b.id) or []
            links = "; ".join(f"'{self.key(x)}' {LINK_WORDS[kind]} '{self.key(y)}'" for x, y, kind in steps)
            return f"{links}: one origin"
        for first, second in ((a, b), (b, a)):
            tie = self._tie_words(first, set(second.entities))
            if tie is not None:
                words, reached = tie
                return f"{words}, which also {self._role(second, reached)[1]} '{self.key(second.id)}': one origin"
        # The two interest sets meet only through ties in force at different dates.
        return f"'{self.key(a.id)}' and '{self.key(b.id)}' are tied through their publishers' and authors' affiliations: one origin"

    def _joins(self, members: list[int]) -> list[str]:
        """A spanning set of pairwise reasons: enough to show that every member belongs to the origin."""
        facts = [self.facts(source_id) for source_id in members]
        joined = _Components()
        reasons: list[str] = []
        for j in range(1, len(facts)):
            for i in range(j):
                if joined.find(i) == joined.find(j):
                    break
                a, b = facts[i], facts[j]
                if a.link_root == b.link_root or a.interest.meets(b.interest):
                    joined.union(i, j)
                    if len(reasons) < MAX_PAIRS:
                        reasons.append(self._pair(b, a))
                    break
        if len(reasons) == MAX_PAIRS and len(members) > MAX_PAIRS + 1:
            reasons.append(f"and {len(members) - MAX_PAIRS - 1} more sources of the same origin")
        return reasons

    def _claimant_reason(self, verdict: Verdict, members: list[int]) -> str | None:
        for source_id in members:
            tie = self._tie_words(self.facts(source_id), {verdict.claimant_id})
            if tie is not None:
                only = "only source " if len(verdict.origins) == 1 and len(members) == 1 else ""
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
        claimant_side = ties.interest([verdict.claimant_id], fact.earliest, fact.latest)
        pairs = self._adversary_pairs()
        for number in self._adversaries_touching(fact.interest):
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

    def reasons(self, verdict: Verdict) -> list[str]:
        """The verdict in sentences: the count first, then what joins each origin, then what keeps others apart."""
        members = [s for origin in verdict.origins for s in origin]
        self._load(
            [verdict.claimant_id, *(e for s in members for e in self.facts(s).entities)],
            members,
        )
        if not verdict.origins:
            return ["no source backs it: no appearance asserts, reports or supports it"]
        sources = len(members)
        total = len(verdict.origins)
        lines = [
            f"{sources} source{'s' if sources != 1 else ''} in {total} origin{'s' if total != 1 else ''}, "
            f"{verdict.independent} independent of the claimant (needs {verdict.threshold})"
        ]
        for index, origin in enumerate(verdict.origins):
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
        return lines

    def origins(self, verdict: Verdict) -> list[dict[str, Any]]:
        """The origins as data: their sources with publishers, and which is the claimant's."""
        result = []
        for index, origin in enumerate(verdict.origins):
            result.append(
                {
                    "claimant": index == verdict.claimant_origin,
                    "sources": [
                        {
                            "key": self.key(source_id),
                            "publisher": self.name(p)
                            if (p := self.facts(source_id).publisher) is not None
                            else None,
                        }
                        for source_id in origin
                    ],
                }
            )
        return result

    def publishers(self, verdict: Verdict) -> list[dict[str, Any]]:
        """The backing sources' publishers with their reliability grades (A-F), for the Admiralty rating."""
        seen: dict[int, None] = {}
        for origin in verdict.origins:
            for source_id in origin:
                publisher = self.facts(source_id).publisher
                if publisher is not None:
                    seen.setdefault(publisher)
        self._load(seen, [])
        return [{"name": self.names[p], "reliability": self.grades.get(p)} for p in seen]

    def credibility(self, verdict: Verdict, countered_by: Sequence[str]) -> dict[str, Any]:
        """Information credibility on the Admiralty scale (1 confirmed ... 6 cannot be judged)."""
        refuted = any(stance == vocab.Stance.refutes for _source, stance in verdict.opposing)
        contested = bool(verdict.opposing) or bool(countered_by)
        if not verdict.origins:
            rating, why = 6, "no source backs it"
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

    def attribution(self, verdict: Verdict) -> dict[str, Any]:
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


# ---- the check, for the command line and reports ---------------------------------------------------------


@dataclass
class CheckReport:
    checked: int
    lacking: int
    threshold: int
    claims: list[dict[str, Any]]
    # Every checked claim's count, shown or not: what the check stores.
    counts: IndependentCounts = field(default_factory=IndependentCounts)


def _countered(session: Session, claim_ids: Sequence[int]) -> dict[int, list[str]]:
    """Counter-statements against each claim, as "denied by k3m9x2p"."""
    kinds = [kind.value for kind in vocab.COUNTER_KINDS]
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(claim_ids), 500):
        rows = session.execute(
            select(ClaimRelation.other_id, ClaimRelation.kind, Claim.key)
            .join(Claim, Claim.id == ClaimRelation.claim_id)
            .where(ClaimRelation.other_id.in_(claim_ids[start : start + 500]), ClaimRelation.kind.in_(kinds))
        )
        for other_id, kind, key in rows:
            found[other_id].append(f"{vocab.RELATION_INVERSE[vocab.RelationKind(kind)]} {key}")
    return found


def describe(
    explainer: Explainer, verdict: Verdict, claim: dict[str, Any], countered_by: Sequence[str]
) -> dict[str, Any]:
    """One claim's verdict as data: what `check --json` prints and `claim show` includes."""
    record = {
        **claim,
        "independent_origins": verdict.independent,
        "threshold": verdict.threshold,
        "lacking": verdict.lacking,
        "origins": explainer.origins(verdict),
        "reasons": explainer.reasons(verdict),
        "credibility": explainer.credibility(verdict, countered_by),
        "publishers": explainer.publishers(verdict),
    }
    if claim.get("kind") == vocab.ClaimKind.quote:
        record["attribution"] = explainer.attribution(verdict)
    return record


def sourcing(session: Session, claim_id: int, *, threshold: int | None = None) -> dict[str, Any]:
    """One claim's verdict, origins, reasons and credibility (what `claim show` adds to a claim)."""
    (record,) = check(session, claim_ids=[claim_id], threshold=threshold, include_all=True).claims
    return {key: value for key, value in record.items() if key not in ("key", "kind", "claimant", "text")}


def lacking_ids(session: Session, claim_filter: ClaimFilter | None = None) -> set[int]:
    """The ids of the claims (those a filter selects, or all) that lack independent sources."""
    if claim_filter is None or claim_filter == ClaimFilter():
        return set(check_all(session).lacking_ids)
    checker = Checker(session)
    query = claim_filter.apply(session, select(Claim.id, Claim.claimant_id))
    selected = [(row[0], row[1]) for row in session.execute(query)]
    return {verdict.claim_id for verdict in checker.verdicts(selected) if verdict.lacking}


Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) now and then during a long check, for a progress bar."""


def check(
    session: Session,
    claim_filter: ClaimFilter | None = None,
    *,
    claim_ids: Sequence[int] | None = None,
    threshold: int | None = None,
    include_all: bool = False,
    limit: int | None = None,
    progress: Progress | None = None,
) -> CheckReport:
    """Check the selected claims (all when nothing selects) and explain those that lack independent sources
    (every selected claim with ``include_all``; the first ``limit`` of them when given — the counts always
    cover every checked claim)."""
    if limit is not None and limit < 1:
        raise InvalidInput("--limit must be at least 1")
    checker = Checker(session, threshold)
    chosen: list[Verdict] = []
    checked = lacking = 0
    found = IndependentCounts()
    add_id, add_independent = found.claim_ids.append, found.independent.append
    if claim_filter is None and claim_ids is None:
        # Everything: count with the fast path, then build verdicts only for the claims to be shown.
        total = session.scalar(select(func.count()).select_from(Claim)) or 0
        shown: list[int] = []
        for claim_id, independent in counts(checker, total=total):
            checked += 1
            add_id(claim_id)
            add_independent(independent)
            short = independent < checker.threshold
            lacking += short
            if (short or include_all) and (limit is None or len(shown) < limit):
                shown.append(claim_id)
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress("checking", checked, total)
        pairs: list[tuple[int, int]] = []
        for start in range(0, len(shown), 500):
            chunk = select(Claim.id, Claim.claimant_id).where(Claim.id.in_(shown[start : start + 500]))
            pairs.extend((row[0], row[1]) for row in session.execute(chunk))
        chosen = list(checker.verdicts(pairs))
    else:
        query = select(Claim.id, Claim.claimant_id).order_by(Claim.id)
        if claim_filter is not None:
            query = claim_filter.apply(session, query)
        if claim_ids is not None:
            query = query.where(Claim.id.in_(claim_ids))
        selected = [(row[0], row[1]) for row in session.execute(query)]
        for verdict in checker.verdicts(selected):
            checked += 1
            found.add(verdict.claim_id, verdict.independent)
            lacking += verdict.lacking
            if (verdict.lacking or include_all) and (limit is None or len(chosen) < limit):
                chosen.append(verdict)
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress("checking", checked, len(selected))
    explainer = Explainer(checker)
    if len(chosen) > PRELOAD_AT:
        explainer.preload()
    ids = [verdict.claim_id for verdict in chosen]
    countered = _countered(session, ids)
    info: dict[int, Any] = {}
    for start in range(0, len(ids), 500):
        details = select(Claim.id, Claim.key, Claim.kind, Claim.text).where(
            Claim.id.in_(ids[start : start + 500])
        )
        for row in session.execute(details):
            info[row[0]] = row
    claims = []
    for done, verdict in enumerate(chosen, start=1):
        _id, key, kind, text = info[verdict.claim_id]
        claim = {"key": key, "kind": kind, "claimant": explainer.name(verdict.claimant_id), "text": text}
        claims.append(describe(explainer, verdict, claim, countered.get(verdict.claim_id, [])))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("explaining", done, len(chosen))
    return CheckReport(checked, lacking, checker.threshold, claims, found)
