"""Copies: sources whose stored text repeats an earlier source's, found by claimtrack.

Copy-paste journalism makes one report look like several. When a source's text is stored, claimtrack looks for
earlier sources whose text it largely repeats, and for shorter runs of identical words (a wire paragraph
pasted into a longer article). The independence check treats the pairs as one origin unless the researcher
marks them distinct (`source link A --distinct B`).

How. A text is cut into word shingles (every run of :data:`SHINGLE` consecutive words, case-folded). The
*overlap* of two texts is the share of the shorter text's shingles that the other holds (containment of the
shorter text, so a wire story pasted whole into a longer article scores 1.0 where a Jaccard similarity would
score its length ratio). At :data:`COPY_AT` or more the pair is a copy of the whole text; below that, the runs
of :data:`RUN_WORDS` or more identical words are kept, and an appearance whose passage lies inside one came
from the other source. The threshold was chosen from a measured set of copies, partial copies and distinct
texts on one event (tests/data/copies/, measured by bench/copies.py; README section 8 gives the figures).

Finding candidates among hundreds of thousands of sources. Each source keeps a *fingerprint*: the hashes of
the shingles whose first word's hash is 0 modulo :data:`SAMPLE` (content-defined sampling, so two texts that
share a run sample the same shingles in it). The fingerprints sit in an indexed table: the sources a new text may repeat
are those sharing at least :data:`CANDIDATE_AT` sampled hashes with it, one indexed lookup, then each
candidate is compared exactly. Why not MinHash/LSH (datasketch)? It estimates Jaccard similarity, which falls
with the length ratio: a report pasted whole into an article three times its length has a Jaccard of about a
quarter (0.22-0.28 on the test set) while its containment stays 1.0, and the longer the article, the closer it
comes to a pasted paragraph's 0.10-0.14 (bench/copies.py prints the figures). And its index lives in memory
(or in Redis or Cassandra): a command that adds one source would have to load 200,000 sketches first, where
the fingerprint table answers one indexed query.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from .models import Source, SourceCopy, SourceFingerprint, SourceLink
from .records import SimilarPair

SHINGLE = 6
"""Words in a shingle."""
COPY_AT = 0.34
"""Overlap at or above which a text counts as a copy of the other. Chosen on the tuning half of
tests/data/copies (distinct reports 0.0, pasted paragraphs at most 0.26, edited copies at least 0.42: the
middle of that gap), and checked on the blind half (pasted paragraphs at most 0.29, copies at least 0.38)."""
RUN_WORDS = 40
"""A shared run of at least this many identical words makes the passages inside it one origin."""
SAMPLE = 8
"""One shingle in SAMPLE (by hash) goes into a source's fingerprint."""
CANDIDATE_AT = 2
"""Sampled hashes two sources must share to be compared exactly."""
COMMON_AT = 200
"""A sampled hash held by more sources than this is boilerplate ("all rights reserved"): not a lead."""

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Words:
    """A text's words (case-folded) and where each starts and ends in it."""

    words: list[str]
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> Words:
        words, starts, ends = [], [], []
        for match in _WORD.finditer(text):
            words.append(match.group().casefold())
            starts.append(match.start())
            ends.append(match.end())
        return cls(words, starts, ends)

    def shingles(self) -> list[int]:
        """The hash of every shingle, in order (31 bits: stored in a 32-bit signed column)."""
        words = self.words
        if len(words) < SHINGLE:
            return [zlib.crc32(" ".join(words).encode()) & 0x7FFFFFFF] if words else []
        return [
            zlib.crc32(" ".join(words[i : i + SHINGLE]).encode()) & 0x7FFFFFFF
            for i in range(len(words) - SHINGLE + 1)
        ]


def fingerprint(text: str) -> set[int]:
    """The sampled shingle hashes of a text (what the index holds): those of the shingles whose first word's
    hash is 0 modulo SAMPLE. The choice depends on the words alone, so two texts that share a run sample the
    same shingles in it; deciding by the first word spares hashing every shingle (half the time)."""
    words = _WORD.findall(text.casefold())
    crc = zlib.crc32
    if len(words) < SHINGLE:
        return {crc(" ".join(words).encode()) & 0x7FFFFFFF} if words else set()
    return {
        crc(" ".join(words[i : i + SHINGLE]).encode()) & 0x7FFFFFFF
        for i in range(len(words) - SHINGLE + 1)
        if crc(words[i].encode()) % SAMPLE == 0
    }


@dataclass(frozen=True)
class Comparison:
    overlap: float  # share of the shorter text's shingles found in the other
    # [start, end, other start, other end, words]: the shared runs of identical words, as character spans in
    # each text: every run of SHINGLE+ words in a copy of the whole text (so that a passage can be found in
    # the part copied), those of RUN_WORDS+ words otherwise.
    runs: list[list[int]]
    run_words: int  # words in the longest run

    @property
    def whole(self) -> bool:
        return self.overlap >= COPY_AT

    @property
    def found(self) -> bool:
        return self.whole or any(run[4] >= RUN_WORDS for run in self.runs)


def overlap(a: Sequence[int], b: Sequence[int]) -> float:
    """Containment of the shorter shingle set in the other."""
    first, second = set(a), set(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def compare(text: str, other: str) -> Comparison:
    """How much ``text`` and ``other`` share: their overlap and their shared runs of identical words."""
    mine, theirs = Words.of(text), Words.of(other)
    share = overlap(mine.shingles(), theirs.shingles())
    runs: list[list[int]] = []
    longest = 0
    if share > 0:
        from difflib import SequenceMatcher

        shortest = SHINGLE if share >= COPY_AT else RUN_WORDS
        matcher = SequenceMatcher(None, mine.words, theirs.words, autojunk=False)
        for i, j, size in matcher.get_matching_blocks():
            longest = max(longest, size)
            if size >= shortest:
                runs.append(
                    [
                        mine.starts[i],
                        mine.ends[i + size - 1],
                        theirs.starts[j],
                        theirs.ends[j + size - 1],
                        size,
                    ]
                )
    return Comparison(round(share, 4), runs, longest)


def _earlier(a: Any, b: Any) -> bool:
    """Is source ``a`` the original of the two? The one stored first is, whatever the publication dates say:
    so storing a text again, under any key, publisher or date, can never make a new origin of the old one."""
    return bool(a.id < b.id)


def _record(session: Session, a: Source, b: Source, found: Comparison) -> SourceCopy:
    """Store the pair, the later source as the copy; replaces an earlier finding for the same two sources."""
    copy, original = (b, a) if _earlier(a, b) else (a, b)
    runs = found.runs
    if copy is b:  # the runs were measured from a's side
        runs = [[c, d, e, f, words] for e, f, c, d, words in runs]
    session.execute(
        delete(SourceCopy).where(
            or_(
                (SourceCopy.source_id == a.id) & (SourceCopy.other_id == b.id),
                (SourceCopy.source_id == b.id) & (SourceCopy.other_id == a.id),
            )
        )
    )
    pair = SourceCopy(source_id=copy.id, other_id=original.id, overlap=found.overlap, runs=runs)
    session.add(pair)
    return pair


def store_fingerprint(session: Session, source: Source) -> set[int]:
    """Replace a source's fingerprint with that of its stored text."""
    session.execute(delete(SourceFingerprint).where(SourceFingerprint.source_id == source.id))
    hashes = fingerprint(source.text) if source.text else set()
    if hashes:
        session.execute(
            insert(SourceFingerprint),
            [{"hash": value, "source_id": source.id} for value in sorted(hashes)],
        )
    return hashes


def _candidates(session: Session, source_id: int, hashes: Iterable[int]) -> list[int]:
    """Sources sharing at least CANDIDATE_AT sampled hashes with these (boilerplate hashes left out)."""
    shared: Counter[int] = Counter()
    per_hash: dict[int, list[int]] = defaultdict(list)
    wanted = sorted(hashes)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(SourceFingerprint.hash, SourceFingerprint.source_id).where(
                SourceFingerprint.hash.in_(wanted[start : start + 500]),
                SourceFingerprint.source_id != source_id,
            )
        )
        for value, other in rows:
            per_hash[value].append(other)
    for others in per_hash.values():
        if len(others) <= COMMON_AT:
            shared.update(others)
    return sorted(other for other, count in shared.items() if count >= CANDIDATE_AT)


def find_copies_of(session: Session, source: Source) -> list[SourceCopy]:
    """Fingerprint a newly stored text and record every other source it shares a copy or a run with."""
    if not source.text:
        return []
    hashes = store_fingerprint(session, source)
    found = []
    for other in _load(session, _candidates(session, source.id, hashes)):
        if other.text:
            comparison = compare(source.text, other.text)
            if comparison.found:
                found.append(_record(session, source, other, comparison))
    session.flush()
    return found


def _load(session: Session, ids: Sequence[int]) -> list[Source]:
    found: list[Source] = []
    for start in range(0, len(ids), 500):
        found.extend(session.scalars(select(Source).where(Source.id.in_(ids[start : start + 500]))))
    return sorted(found, key=lambda source: source.id)


Progress = Callable[[str, int, int], None]


def sweep(session: Session, progress: Progress | None = None) -> int:
    """Fingerprint every stored text that has none yet, then find every pair of sources that share a copy or
    a run (comparing each candidate pair exactly); record them. Returns the number of pairs found."""
    from .independence.rows import stream_rows

    have = set(session.scalars(select(SourceFingerprint.source_id).distinct()))
    missing = [
        source_id
        for source_id in session.scalars(
            select(Source.id).where(Source.text.is_not(None)).order_by(Source.id)
        )
        if source_id not in have
    ]
    for done, source in enumerate(_load(session, missing), start=1):
        store_fingerprint(session, source)
        if progress is not None and done % 1000 == 0:
            progress("fingerprinting", done, len(missing))
    session.flush()
    # Pairs sharing sampled hashes, counted in one pass over the index in hash order.
    shared: Counter[tuple[int, int]] = Counter()
    group: list[int] = []
    current = None
    query = select(SourceFingerprint.hash, SourceFingerprint.source_id).order_by(
        SourceFingerprint.hash, SourceFingerprint.source_id
    )

    def count(members: list[int]) -> None:
        if 1 < len(members) <= COMMON_AT:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    shared[(a, b)] += 1

    for value, source_id in stream_rows(session, query):
        if value != current:
            count(group)
            group, current = [], value
        group.append(source_id)
    count(group)
    pairs = sorted(pair for pair, n in shared.items() if n >= CANDIDATE_AT)
    texts: dict[int, str] = {}
    found = 0
    for done, (a, b) in enumerate(pairs, start=1):
        for source_id in (a, b):
            if source_id not in texts:
                texts[source_id] = session.scalar(select(Source.text).where(Source.id == source_id)) or ""
        comparison = compare(texts[a], texts[b])
        if comparison.found:
            first, second = _load(session, [a, b])
            _record(session, first, second, comparison)
            found += 1
        if progress is not None and done % 1000 == 0:
            progress("comparing", done, len(pairs))
        if len(texts) > 20_000:
            texts.clear()
    session.flush()
    return found


def pairs_of(session: Session, source: Source) -> list[SourceCopy]:
    """The recorded pairs a source is part of, largest overlap first."""
    found = session.scalars(
        select(SourceCopy).where(or_(SourceCopy.source_id == source.id, SourceCopy.other_id == source.id))
    )
    return sorted(found, key=lambda pair: (-pair.overlap, pair.id))


def distinct_pairs(session: Session) -> set[tuple[int, int]]:
    """Source pairs the researcher marked as independent reports (both orders)."""
    rows = session.execute(
        select(SourceLink.source_id, SourceLink.other_id).where(SourceLink.kind == "distinct")
    )
    pairs = set()
    for a, b in rows:
        pairs.add((a, b))
        pairs.add((b, a))
    return pairs


def similar(session: Session, source: Source | None = None) -> list[SimilarPair]:
    """The recorded pairs (those of ``source`` when given), largest overlap first."""
    query = select(SourceCopy)
    if source is not None:
        query = query.where(or_(SourceCopy.source_id == source.id, SourceCopy.other_id == source.id))
    distinct = distinct_pairs(session)
    rows: list[SimilarPair] = []
    for pair in session.scalars(query):
        rows.append(
            {
                "source": pair.source.key,
                "repeats": pair.other.key,
                "overlap": pair.overlap,
                "percent": round(pair.overlap * 100),
                "copy": pair.overlap >= COPY_AT,
                "runs": sum(1 for run in pair.runs if run[4] >= RUN_WORDS),
                "distinct": (pair.source_id, pair.other_id) in distinct,
            }
        )
    rows.sort(key=lambda row: (-row["percent"], row["source"], row["repeats"]))
    return rows


def warning(pair: SourceCopy, new_key: str) -> str:
    """What `source add` says about a pair it found for the source it added."""
    if pair.source.key == new_key:
        mine, other = new_key, pair.other.key
    else:
        mine, other = new_key, pair.source.key
    percent = round(pair.overlap * 100)
    long_runs = sum(1 for run in pair.runs if run[4] >= RUN_WORDS)
    if pair.overlap >= COPY_AT:
        head = f"repeats {percent}% of '{other}': counted as one origin with it"
    else:
        head = (
            f"shares {long_runs} run{'s' if long_runs != 1 else ''} of {RUN_WORDS}+ identical words "
            f"with '{other}': passages inside them count as one origin"
        )
    return f"{head}; `claimtrack source link {mine} --distinct {other}` if they are independent"
