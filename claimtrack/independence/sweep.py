"""The full check: every claim's independent-origin count, on two processes when the ledger is large."""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Claim
from .checker import Checker

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
    for part in _counts(checker, workers, total):
        if isinstance(part, tuple):
            yield from zip(*part, strict=True)
        else:
            yield from part


def _counts(
    checker: Checker, workers: int | None = None, total: int | None = None
) -> Iterator[Iterator[tuple[int, int]] | tuple[array[int], array[int]]]:
    """:func:`counts` in parts: this process's counts as an iterator, the child's as its two arrays (claim
    ids, counts), which a caller that stores arrays takes whole."""
    import multiprocessing
    import os

    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    session = checker.session
    if total is None:  # the caller may know it already
        total = session.scalar(select(func.count()).select_from(Claim)) or 0
    if workers < 2 or total < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield checker.independent_counts()
        return
    middle = session.scalar(select(Claim.id).order_by(Claim.id).offset(total // 2).limit(1))
    first = session.scalar(select(func.min(Claim.id)))
    last = session.scalar(select(func.max(Claim.id)))
    assert middle is not None and first is not None and last is not None
    checker.sources.load()  # before the fork, so that the child inherits it
    checker.rule.interest_table()
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    url = session.connection().engine.url.render_as_string(hide_password=False)
    child = context.Process(target=_count_in_child, args=(checker, url, (middle, last), writer), daemon=True)
    child.start()
    writer.close()
    try:
        yield checker.independent_counts((first, middle - 1))
        outcome = reader.recv()
    finally:
        child.join()
    if isinstance(outcome, BaseException):
        raise outcome
    yield outcome


def _count_in_child(checker: Checker, url: str, claim_range: tuple[int, int], writer: Any) -> None:
    from .. import db

    try:
        # A forked process must not touch its parent's database connections: forget them without closing
        # them (closing would end the parent's), and open its own.
        db.forget_engines_after_fork()
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
    lacking_ids: list[int] = []
    for part in _counts(checker, workers):
        if isinstance(part, tuple):  # the child's arrays, taken whole
            ids, independents = part
            found.claim_ids.extend(ids)
            found.independent.extend(independents)
            lacking_ids.extend(itertools.compress(ids, [independent < limit for independent in independents]))
            continue
        for claim_id, independent in part:
            add_id(claim_id)
            add_independent(independent)
            if independent < limit:
                lacking_ids.append(claim_id)
    return CheckSummary(len(found), len(lacking_ids), checker.threshold, lacking_ids, found)
