"""Search on a ledger written by the benchmark generator, whose text has a long-tailed vocabulary: broad
queries are ranked, best first, as ranking every match ranks them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import bench_generator

from claimtrack.db import Ledger
from claimtrack.search import search

pytestmark = pytest.mark.sqlite_only  # the generator writes SQLite files


@pytest.fixture(scope="module")
def generated(small_investigation: Path) -> Path:
    return small_investigation


def _rows_per_word(path: Path) -> dict[str, int]:
    """How many index rows hold each word, as FTS5 counts them."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, search_index, row)")
        return dict(conn.execute("SELECT term, doc FROM temp.words"))
    finally:
        conn.close()


def test_the_generated_text_has_a_long_tail() -> None:
    generator = bench_generator()
    words = generator.lexicon(7)
    assert words.distinct() >= 50_000
    assert words == generator.lexicon(7) and words != generator.lexicon(8)
    assert not {w.lower() for w in words.surnames} & {w.lower() for w in words.places}


def test_most_words_are_rare_and_a_few_are_everywhere(generated: Path) -> None:
    rows = _rows_per_word(generated)
    counts = sorted(rows.values(), reverse=True)
    assert len(counts) > 5_000  # 4,000 claims
    assert sum(1 for n in counts if n <= 2) > len(counts) / 2
    assert counts[0] > 1_000 * counts[len(counts) // 2]


def test_a_broad_query_is_ranked_best_match_first(generated: Path) -> None:
    """A word in thousands of rows (more than the 1,000 an earlier version ranked at most): ranked, the best
    first, the same answer as ranking every match."""
    rows = _rows_per_word(generated)
    word = max(rows, key=lambda term: rows[term])  # "in", in most rows
    assert rows[word] > 1_000
    with Ledger(f"sqlite:///{generated}").session() as db:
        hits = search(db, word, limit=30)
        everything = search(db, word, limit=30, rank_all=True)
    scores = [hit["score"] for hit in hits]
    assert None not in scores and scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    assert hits == everything
    assert f"[{word}]" in hits[0]["snippet"].lower()


@pytest.mark.parametrize(
    "query",
    [
        "forces",
        "forces police",
        '"security forces"',
        "security forces OR police",
        "Forces",
        "zzzunusedword",
        "forces zzzunusedword",
        "détained",
    ],
)
def test_any_query_gets_the_answer_ranking_every_match_gives(generated: Path, query: str) -> None:
    """Plain words are bounded by their rarest word's count, read off the index (no match at all when a word
    is missing); other queries are counted. Either way the answer is what ranking every match gives."""
    with Ledger(f"sqlite:///{generated}").session() as db:
        assert search(db, query) == search(db, query, rank_all=True)


def test_past_the_threshold_the_newest_come_first(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the threshold below a word's count, the answer is the newest matches, unranked; a word in fewer
    rows than the threshold is still ranked."""
    import claimtrack.search

    rows = _rows_per_word(generated)
    rare = next(word for word, n in sorted(rows.items()) if 5 <= n <= 20 and word.isalpha())
    monkeypatch.setattr(claimtrack.search, "RANK_AT_MOST", 50)
    with Ledger(f"sqlite:///{generated}").session() as db:
        broad = search(db, "forces")
        narrow = search(db, rare)
    assert broad and all(hit["score"] is None for hit in broad)
    assert [hit["kind"] for hit in broad] == ["claim"] * len(broad)
    assert narrow and all(hit["score"] is not None for hit in narrow)


def test_a_filtered_query_is_ranked_when_its_own_matches_are_few(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a filter, what counts is how many matches pass it: a word in more rows than the threshold, by a
    claimant of a few of them, is ranked (read once, ranked as read), as ranking every match ranks it."""
    import claimtrack.search
    from claimtrack.filters import ClaimFilter

    rows = _rows_per_word(generated)
    word = max(rows, key=lambda term: rows[term])
    conn = sqlite3.connect(generated)
    try:
        claimant, _ = conn.execute(
            "SELECT e.name, count(*) AS n FROM claims AS c JOIN entities AS e ON e.id = c.claimant_id "
            "GROUP BY e.id HAVING n BETWEEN 5 AND 15 ORDER BY e.id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    monkeypatch.setattr(claimtrack.search, "RANK_AT_MOST", 60)
    monkeypatch.setattr(claimtrack.search, "FEW", 1)  # the filter taken as broad: each match tested
    selection = ClaimFilter(by=[claimant])
    with Ledger(f"sqlite:///{generated}").session() as db:
        mine = search(db, word, selection, limit=100)
        everything = search(db, word, selection, limit=100, rank_all=True)
        broad = search(db, word, ClaimFilter(kinds=["statement"]))
    assert rows[word] > 60 and mine == everything
    assert mine and all(hit["score"] is not None and hit["claimant"] == claimant for hit in mine)
    assert broad and all(hit["score"] is None for hit in broad)
