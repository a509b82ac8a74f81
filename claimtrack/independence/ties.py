"""The tie graph: affiliations that break independence, and interest sets over them.

A source's *interest set* is its publisher and authors plus every entity reachable from them through
affiliations (both directions, every kind except opposition, only ties in force at the source's date where
dates are known). Ties that are always in force are folded once into connected components; an interest set
is then a small set of component ids, grown only across dated ties, so "do two interest sets meet" is a set
intersection or one AND of two integers.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import vocab
from ..models import Affiliation
from .rows import as_date, stream_rows

# ---- union-find ------------------------------------------------------------------------------------------


class Components:
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
        components = Components()
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
        Tie(tie_id, entity, other, kind, as_date(since), as_date(until))
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
