"""The full check's fast counting path and the explained verdicts apply the same rule, on generated data.

The benchmark generator (bench/generate.py) makes a small investigation with everything the rule looks at:
dated and undated ties, opposition, authors, republish and citation cycles, self-sourced claims.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.db import Ledger
from claimtrack.independence import Checker, check, check_all

pytestmark = pytest.mark.sqlite_only  # the generator writes SQLite files


@pytest.fixture(scope="module")
def generated(small_investigation: Path) -> str:
    return f"sqlite:///{small_investigation}"


def test_counting_and_verdicts_agree_on_every_claim(generated: str) -> None:
    with Ledger(generated).session() as session:
        summary = check_all(session)
        verdicts = list(Checker(session).verdicts())
    assert summary.checked == len(verdicts) == 4000
    assert set(summary.lacking_ids) == {v.claim_id for v in verdicts if v.lacking}
    # The data is not degenerate: some claims lack independent sources and some have enough.
    assert 0 < summary.lacking < summary.checked


def test_a_selection_gets_the_same_verdicts_as_the_whole(generated: str) -> None:
    with Ledger(generated).session() as session:
        whole = {v.claim_id: v for v in Checker(session).verdicts()}
        chosen = sorted(whole)[::97]
        report = check(session, claim_ids=chosen, include_all=True)
        by_key = {record["key"]: record for record in report.claims}
        from sqlalchemy import select

        from claimtrack.models import Claim

        keys = dict(session.execute(select(Claim.id, Claim.key).where(Claim.id.in_(chosen))).all())
    assert report.checked == len(chosen)
    for claim_id in chosen:
        record = by_key[keys[claim_id]]
        assert record["independent_origins"] == whole[claim_id].independent
        assert len(record["origins"]) == len(whole[claim_id].origins)


def test_two_processes_count_the_same_as_one(generated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimtrack.independence as independence
    import claimtrack.independence.sweep as sweep

    with Ledger(generated).session() as session:
        serial = dict(independence.counts(Checker(session), workers=1))
        monkeypatch.setattr(sweep, "PARALLEL_FROM", 1)
        parallel = list(independence.counts(Checker(session), workers=2))
    assert len(parallel) == len(serial) == 4000
    assert dict(parallel) == serial
