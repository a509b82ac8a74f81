"""The invariants of the independence rule (docs/DESIGN.md), on generated ledgers.

- an outlet tied to the claimant that passes on (via) or cites a report never lowers that claim's count;
- a via or a source-level cites logged for one claim never changes another claim's verdict;
- storing a text that repeats another's never raises a count;
- credibility is symmetric: which of two conflicting claims was logged as the counter changes neither rating;
- the bulk sweep (one process and two) and the one-claim explanation agree on every generated ledger.

The first three run the rule itself (:meth:`claimtrack.independence.Rule.group`, the function both the sweep and
the explanation call) on ledgers held in memory, so that hypothesis can try many; the last two go through a
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claimtrack.independence import Rule, SourceGraph, Tie, TieGraph
from claimtrack.independence.rule import SourceFacts, Sources

ENTITIES = 8
KINDS = ("member-of", "allied-with", "funded-by", "adversary-of")
STANCES = ("asserts", "reports", "supports", "disputes")


@dataclass
class Ledger:
    ties: list[tuple[int, int, str]]
    publishers: list[int | None]  # per source
    authors: list[tuple[int, ...]]
    republishes: list[tuple[int, int]]
    copies: list[tuple[int, int]]  # (copy, original), whole-text copies
    claims: list[tuple[int, list[tuple[int, str, int | None, str | None]]]]  # claimant, appearances
    extra: dict[str, Any] = field(default_factory=dict)

    def rule(self) -> Rule:
        graph = TieGraph(Tie(i, a, b, kind, None, None) for i, (a, b, kind) in enumerate(self.ties))
        sources = Sources(None, graph)  # type: ignore[arg-type]  # filled here: it never reads the database
        for sid, publisher in enumerate(self.publishers):
            entities = tuple(
                dict.fromkeys(([publisher] if publisher is not None else []) + list(self.authors[sid]))
            )
            sources.facts[sid] = SourceFacts(
                sid, publisher, entities, None, None, graph.interest(entities, None, None)
            )
        sources.complete = True
        links = [(a, b, "republishes") for a, b in self.republishes]
        found = [(a, b, 1.0, []) for a, b in self.copies]
        return Rule(graph, SourceGraph(links, found, set(), 0.5), sources)

    def counts(self) -> list[int]:
        rule = self.rule()
        return [rule.group(claimant, [(s, st_, via, status, None, None) for s, st_, via, status in apps]).independent
                for claimant, apps in self.claims]  # fmt: skip


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    n_sources = draw(st.integers(2, 9))
    entity = st.integers(0, ENTITIES - 1)
    ties = draw(
        st.lists(st.tuples(entity, entity, st.sampled_from(KINDS)).filter(lambda t: t[0] != t[1]), max_size=8)
    )
    publishers = draw(st.lists(st.one_of(st.none(), entity), min_size=n_sources, max_size=n_sources))
    authors = draw(st.lists(st.lists(entity, max_size=2).map(tuple), min_size=n_sources, max_size=n_sources))
    source = st.integers(0, n_sources - 1)
    pair = st.tuples(source, source).filter(lambda p: p[0] != p[1])
    republishes = draw(st.lists(pair, max_size=2))
    copies = draw(st.lists(pair, max_size=2))
    appearance = st.tuples(
        source,
        st.sampled_from(STANCES),
        st.one_of(st.none(), source),
        st.sampled_from([None, "exact", "not-found"]),
    )
    claims = draw(st.lists(st.tuples(entity, st.lists(appearance, max_size=5)), min_size=1, max_size=4))
    return Ledger(ties, publishers, authors, republishes, copies, claims)


def _with_source(ledger: Ledger, publisher: int | None) -> tuple[Ledger, int]:
    new = len(ledger.publishers)
    return (
        Ledger(ledger.ties, [*ledger.publishers, publisher], [*ledger.authors, ()], ledger.republishes,
               ledger.copies, [(c, list(apps)) for c, apps in ledger.claims]),
        new,
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(ledgers(), st.data())
def test_a_tied_outlet_passing_a_report_on_never_lowers_the_count(
    ledger: Ledger, data: st.DataObject
) -> None:
    before = ledger.counts()
    index = data.draw(st.integers(0, len(ledger.claims) - 1))
    claimant, apps = ledger.claims[index]
    # The reports that back the claim: an outlet of the claimant's own takes it from one of them.
    backing = sorted(
        {s for s, stance, _via, status in apps if stance != "disputes" and status != "not-found"}
    )
    assume(backing)
    extended, outlet = _with_source(ledger, claimant)
    upstream = data.draw(st.sampled_from(backing))
    extended.claims[index][1].append(
        (outlet, data.draw(st.sampled_from(["reports", "supports"])), upstream, None)
    )
    assert extended.counts()[index] >= before[index]


@settings(max_examples=300, deadline=None)
@given(ledgers(), st.data())
def test_a_via_logged_for_one_claim_never_changes_another(ledger: Ledger, data: st.DataObject) -> None:
    before = ledger.counts()
    index = data.draw(st.integers(0, len(ledger.claims) - 1))
    _claimant, apps = ledger.claims[index]
    if apps:
        at = data.draw(st.integers(0, len(apps) - 1))
        via = data.draw(st.integers(0, len(ledger.publishers) - 1))
        source, stance, _via, status = apps[at]
        apps[at] = (source, stance, via, status)
    else:
        apps.append((0, "reports", data.draw(st.integers(0, len(ledger.publishers) - 1)), None))
    after = ledger.counts()
    assert [n for i, n in enumerate(after) if i != index] == [n for i, n in enumerate(before) if i != index]


@settings(max_examples=300, deadline=None)
@given(ledgers(), st.data())
def test_storing_a_text_again_never_raises_a_count(ledger: Ledger, data: st.DataObject) -> None:
    before = ledger.counts()
    original = data.draw(st.integers(0, len(ledger.publishers) - 1))
    publisher = data.draw(st.one_of(st.none(), st.integers(0, ENTITIES + 2)))
    extended, copy = _with_source(ledger, publisher)
    extended.copies = [*ledger.copies, (copy, original)]
    # The copy carries every claim the original carries, as the same kind of appearance.
    for _claimant, apps in extended.claims:
        for source, stance, _via, status in list(apps):
            if source == original:
                apps.append((copy, stance, None, status))
    after = extended.counts()
    assert all(a <= b for a, b in zip(after, before, strict=True))


@settings(max_examples=300, deadline=None)
@given(ledgers(), st.data())
def test_the_full_check_counts_what_the_grouping_counts(ledger: Ledger, data: st.DataObject) -> None:
    """Rule.counts, the full check's counting sweep, reads the rows the check's query gives (backing
    appearances with a found passage only, a via naming the source itself left out, one row with no source
    for a claim nothing backs) and gives each claim the count of Rule.group, here with copies whole or
    partial and passages inside or outside the runs they share with their originals."""
    from claimtrack.independence.rule import BACKING, UNFOUND, SweepRow

    span = st.tuples(st.integers(0, 80), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1]))
    rule = ledger.rule()
    # Copies found of the cited sources (most claims would cite none otherwise), whole or not.
    cited = sorted({source for _claimant, apps in ledger.claims for source, *_ in apps}) or [0]
    found = st.tuples(
        st.sampled_from(cited),
        st.integers(0, len(ledger.publishers) - 1),
        st.sampled_from([0.2, 1.0]),
        st.lists(span.map(list), max_size=2),
    )
    copies = data.draw(st.lists(found.filter(lambda c: c[0] != c[1]), max_size=3))
    links = [(a, b, "republishes") for a, b in ledger.republishes]
    rule.graph = SourceGraph(links, [*((a, b, 1.0, []) for a, b in ledger.copies), *copies], set(), 0.5)
    if data.draw(st.booleans()):
        rule.interest_table()  # as the full check has it
    rows: list[SweepRow] = []
    expected: list[tuple[int, int]] = []
    for claim, (claimant, apps) in enumerate(ledger.claims):
        entries = [
            (source, stance, via, status, *data.draw(st.one_of(st.just((None, None)), span)))
            for source, stance, via, status in apps
        ]
        backing: list[SweepRow] = [
            (claim, claimant, source, None if via == source else via, start, end)
            for source, stance, via, status, start, end in entries
            if stance in BACKING and status != UNFOUND
        ]
        rows.extend(backing or [(claim, claimant, None, None, None, None)])
        expected.append((claim, rule.group(claimant, entries).independent))
    assert list(rule.counts(rows)) == expected


# ---- through the database ------------------------------------------------------------------------------------


def _write(db: Any, ledger: Ledger) -> list[str]:
    """The generated ledger as claimtrack records; returns the claim keys in order."""
    from sqlalchemy import update

    from claimtrack.claims import add_claim
    from claimtrack.corrections import cite
    from claimtrack.entities import add_entity, affiliate
    from claimtrack.models import Appearance, SourceCopy
    from claimtrack.sources import add_source, link_sources

    for number in range(ENTITIES):
        add_entity(db, f"Entity {number}")
    for a, b, kind in dict.fromkeys(ledger.ties):
        affiliate(db, f"Entity {a}", f"Entity {b}", kind=kind)
    ids = []
    for sid, publisher in enumerate(ledger.publishers):
        source = add_source(
            db,
            key=f"s-{sid}",
            publisher=f"Entity {publisher}" if publisher is not None else None,
            authors=[f"Entity {a}" for a in ledger.authors[sid]],
            text=f"Report number {sid} says the count rose.",
        )
        ids.append(source.id)
    for a, b in dict.fromkeys(ledger.republishes):
        link_sources(db, f"s-{a}", "republishes", f"s-{b}")
    # Source-level cites decide nothing: one for every found copy, the other way round, changes no count.
    for a, b in dict.fromkeys(ledger.copies):
        if (b, a) not in ledger.republishes:
            link_sources(db, f"s-{b}", "cites", f"s-{a}")
    for a, b in dict.fromkeys(ledger.copies):
        db.add(SourceCopy(source_id=ids[a], other_id=ids[b], overlap=1.0, runs=[]))
    keys = []
    for number, (claimant, apps) in enumerate(ledger.claims):
        logged = add_claim(db, f"Claim {number}", by=f"Entity {claimant}")
        cited: set[int] = set()
        for source, stance, via, status in apps:
            upstream = ids[via] if via is not None and via != source else None
            if source in cited:
                # A second appearance in the same source (another passage): `claim cite` would correct the
                # first, so it is added as the record it is.
                appearance = Appearance(
                    claim_id=logged.claim.id, source_id=ids[source], stance=stance, via_source_id=upstream
                )
                db.add(appearance)
                db.flush()
            else:
                appearance = cite(db, logged.claim.key, f"s-{source}", stance=stance,
                                  via=f"s-{via}" if upstream is not None else None).appearance  # fmt: skip
                cited.add(source)
            assert appearance is not None
            if status is not None:
                db.execute(
                    update(Appearance).where(Appearance.id == appearance.id).values(anchor_status=status)
                )
        keys.append(logged.claim.key)
    db.flush()
    return keys


@pytest.mark.sqlite_only
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger=ledgers())
def test_the_bulk_sweep_and_the_explanation_agree(
    tmp_path_factory: pytest.TempPathFactory, ledger: Ledger
) -> None:
    import claimtrack.independence.sweep as sweep
    from claimtrack.db import Ledger as Database
    from claimtrack.independence import Checker, check, check_all, counts

    path = tmp_path_factory.mktemp("generated") / "ledger.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    with database.session(write=True) as db:
        keys = _write(db, ledger)
    expected = ledger.counts()
    with database.session() as db:
        explained = {
            record["key"]: record["independent_origins"] for record in check(db, include_all=True).claims
        }
        assert [explained[key] for key in keys] == expected
        bulk = dict(check_all(db).counts)
        serial = dict(counts(Checker(db), workers=1))
        previous = sweep.PARALLEL_FROM
        sweep.PARALLEL_FROM = 1
        try:
            forked = dict(counts(Checker(db), workers=2))
        finally:
            sweep.PARALLEL_FROM = previous
        from claimtrack.claims import find_claim

        by_key = {key: find_claim(db, key).id for key in keys}
    assert [bulk[by_key[key]] for key in keys] == expected
    assert serial == bulk == forked


@pytest.mark.parametrize("kind", ["denies", "rebuts", "contradicts"])
@pytest.mark.parametrize(("first_sources", "second_sources"), [(0, 0), (1, 0), (2, 1), (0, 2)])
def test_which_side_was_logged_as_the_counter_changes_neither_rating(
    db_url: str, kind: str, first_sources: int, second_sources: int
) -> None:
    from claimtrack.claims import add_claim, relate
    from claimtrack.corrections import cite
    from claimtrack.db import Ledger as Database
    from claimtrack.entities import add_entity
    from claimtrack.independence import check
    from claimtrack.sources import add_source

    ratings = []
    for countered_first in (True, False):
        database = Database(db_url)
        with database.session(write=True) as db:
            for name in ("Side One", "Side Two", "Outlet A", "Outlet B"):
                add_entity(db, f"{name} {countered_first}")
            keys = []
            for side, independent in (("Side One", first_sources), ("Side Two", second_sources)):
                own = add_source(
                    db, key=f"{side[-3:]}-own-{countered_first}", publisher=f"{side} {countered_first}"
                )
                key = add_claim(
                    db, f"What {side} says", by=f"{side} {countered_first}", source=own.key
                ).claim.key
                for outlet in ("Outlet A", "Outlet B")[:independent]:
                    other = add_source(db, key=f"{side[-3:]}-{outlet[-1]}-{countered_first}",
                                       publisher=f"{outlet} {countered_first}")  # fmt: skip
                    cite(db, key, other.key, stance="reports")
                keys.append(key)
            first, second = keys
            if countered_first:
                relate(db, second, first, kind)
            else:
                relate(db, first, second, kind)
            found = {r["key"]: r for r in check(db, include_all=True).claims}
            ratings.append((found[first]["credibility"]["rating"], found[second]["credibility"]["rating"]))
            assert "contested" in found[first]["credibility"]["why"]
            assert "contested" in found[second]["credibility"]["why"]
    assert ratings[0] == ratings[1]
