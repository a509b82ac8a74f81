"""Precision and recall of ``claimtrack.extract`` on the hand-written corpus.

    python bench/extraction.py [--corpus PATH] [--split all|dev|held-out|held-out-2] [--verbose]

Runs :func:`claimtrack.extract.extract` over every item of ``tests/data/extraction_corpus.json`` (with the
item's reference date) and compares the candidates with the item's expected ones, kind by kind:

* quote: the same quoted words and the same speaker (both compared case-insensitively, whitespace and
  straight/curly quote marks normalised, trailing ``, . ;`` ignored on the words; a ``None`` speaker matches
  only ``None``);
* figure: the same value, low and high, and the same qualifier (``counted`` is reported separately, as the
  share of matched figures whose counted noun is also right);
* event: the same EDTF string.

Each expected candidate is matched at most once. Precision is matched / proposed, recall is matched /
expected. Items carry a ``split``: ``dev`` items were written first and the extractor was tuned on them;
``held-out`` items were written afterwards and scored once before any further change (see the corpus
description), so their first score was the honest estimate. ``--verbose`` lists the misses and the false positives by item. ``score`` is also used by
``tests/test_extract.py``, which asserts the targets.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "extraction_corpus.json"
KINDS = ("quote", "figure", "event")


def _words(value: str | None) -> str | None:
    if value is None:
        return None
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        value = value.replace(curly, straight)
    return " ".join(value.split()).rstrip(",.; ").lower()


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 6)


def key(kind: str, fields: dict[str, Any]) -> tuple[Any, ...]:
    """What must agree for a proposed candidate to match an expected one."""
    if kind == "quote":
        return (_words(fields.get("quote")), _words(fields.get("speaker")))
    if kind == "figure":
        return (
            _number(fields.get("value")),
            _number(fields.get("low")),
            _number(fields.get("high")),
            fields.get("qualifier"),
        )
    return (fields.get("date"),)


@dataclass
class Tally:
    """Counts for one kind, with the misses and false positives for --verbose."""

    expected: int = 0
    proposed: int = 0
    matched: int = 0
    counted_right: int = 0
    misses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    false_positives: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _fields(candidate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(candidate).items() if v is not None and k not in ("text",)}


def score(items: Iterable[dict[str, Any]], extract: Callable[..., list[Any]]) -> dict[str, Tally]:
    """Run ``extract`` over the corpus items and tally the matches per kind."""
    tallies = {kind: Tally() for kind in KINDS}
    for item in items:
        reference = datetime.date.fromisoformat(item["reference"]) if item.get("reference") else None
        found = extract(item["text"], reference=reference)
        for kind in KINDS:
            tally = tallies[kind]
            expected = [e for e in item["expected"] if e["kind"] == kind]
            proposed = [c for c in found if c.kind == kind]
            tally.expected += len(expected)
            tally.proposed += len(proposed)
            unmatched = list(expected)
            for candidate in proposed:
                fields = _fields(candidate)
                wanted = key(kind, fields)
                match = next((e for e in unmatched if key(kind, e) == wanted), None)
                if match is None:
                    tally.false_positives.append((item["id"], fields))
                    continue
                unmatched.remove(match)
                tally.matched += 1
                if kind == "figure" and _words(match.get("counted")) == _words(fields.get("counted")):
                    tally.counted_right += 1
            tally.misses += [(item["id"], e) for e in unmatched]
    return tallies


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def report(tallies: dict[str, Tally], verbose: bool = False) -> str:
    lines = [f"{'kind':<8}{'expected':>9}{'proposed':>9}{'matched':>8}{'precision':>10}{'recall':>8}"]
    for kind, t in tallies.items():
        lines.append(
            f"{kind:<8}{t.expected:>9}{t.proposed:>9}{t.matched:>8}{t.precision:>10.3f}{t.recall:>8.3f}"
        )
    figures = tallies["figure"]
    if figures.matched:
        lines.append(f"counted noun right on {figures.counted_right}/{figures.matched} matched figures")
    if verbose:
        for kind, t in tallies.items():
            for title, rows in (("misses", t.misses), ("false positives", t.false_positives)):
                if rows:
                    lines.append(f"\n{kind} {title}:")
                    lines += [f"  {item_id}: {fields}" for item_id, fields in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and false positives")
    parser.add_argument(
        "--split",
        choices=("all", "dev", "held-out", "held-out-2"),
        default="all",
        help="score only the items the extractor was tuned on (dev) or those written afterwards (held-out)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from claimtrack.extract import extract

    items = load(args.corpus)
    if args.split != "all":
        items = [item for item in items if item.get("split", "dev") == args.split]
    print(f"{len(items)} items from {args.corpus} (split: {args.split})")
    print(report(score(items, extract), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
