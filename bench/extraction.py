"""Precision, recall and speaker accuracy of ``claimtrack.text.extract`` on the hand-written test sets.

    python bench/extraction.py [--corpus PATH] [--split all|dev|held-out|held-out-2|both] [--verbose]
    python bench/extraction.py --pdf-pages 50

Runs :func:`claimtrack.text.extract.extract` over every item of a corpus (with the item's reference date, its
publisher and a resolver over the corpus's entities when it lists them) and compares the candidates with the
item's expected ones, kind by kind:

* quote: the same quoted words (case-insensitive, whitespace and straight/curly quote marks normalised,
  trailing ``, . ;`` ignored); in a corpus without ``entities`` (the older ``extraction_corpus.json``) the
  speaker as written must agree too;
* figure: the same value, low and high, and the same qualifier (``counted`` is reported separately, as the
  share of matched figures whose counted noun is also right);
* event: the same EDTF string.

Each expected candidate is matched at most once. Precision is matched / proposed, recall is matched /
expected. **Speaker accuracy** (corpora with ``entities``) is the share of matched quotes and figures whose
speaker is the annotated one: a ledger entity's name, a phrase as written for a speaker the ledger does not
know (equal, or one the other's first or last words: "Arvid Kolm" and "Shopkeeper Arvid Kolm"),
``@publisher`` for the document's own voice, ``null`` when nobody is named; ``@any`` is not scored.

The default corpus is ``tests/data/extraction_blind.json``, split into ``dev`` (tuned on) and ``held-out``
(never tuned on) halves before the extractor was changed; ``--split both`` (the default) prints each half.
``--verbose`` lists the misses, false positives and wrong speakers by item -- use it on ``dev`` only, or the
held-out half stops being held out. ``score`` is also used by ``tests/test_extract.py``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "extraction_corpus.json"
BLIND = ROOT / "tests" / "data" / "extraction_blind.json"
KINDS = ("quote", "figure", "event")
SPOKEN = ("quote", "figure")


def _words(value: str | None) -> str | None:
    if value is None:
        return None
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        value = value.replace(curly, straight)
    return " ".join(value.split()).rstrip(",.; ").lower()


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 6)


def key(kind: str, fields: dict[str, Any], with_speaker: bool = True) -> tuple[Any, ...]:
    """What must agree for a proposed candidate to match an expected one."""
    if kind == "quote":
        words = _words(fields.get("quote"))
        return (words, _words(fields.get("speaker"))) if with_speaker else (words,)
    if kind == "figure":
        return (
            _number(fields.get("value")),
            _number(fields.get("low")),
            _number(fields.get("high")),
            fields.get("qualifier"),
        )
    return (fields.get("date"),)


def _phrase(value: str) -> list[str]:
    value = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", _words(value) or "")
    return value.split()


def speaker_right(expected: str | None, candidate: Any, publisher: str | None) -> bool:
    """Whether a candidate's speaker is the annotated one (see the module docstring)."""
    got = candidate.entity or candidate.speaker
    own = getattr(candidate, "attribution", None) == "publisher"
    if expected == "@publisher":
        return own or (publisher is not None and got == publisher)
    if expected is None:
        return candidate.speaker is None
    if own:
        return expected == publisher
    if got is None:
        return False
    want, have = _phrase(expected), _phrase(got)
    if not want or not have:
        return False
    n = min(len(want), len(have))
    return want == have or ((want[:n] == have[:n] or want[-n:] == have[-n:]) and n >= 1)


@dataclass
class Tally:
    """Counts for one kind, with the misses, false positives and wrong speakers for --verbose."""

    expected: int = 0
    proposed: int = 0
    matched: int = 0
    counted_right: int = 0
    spoken: int = 0  # matched candidates whose speaker is scored
    speaker_right: int = 0
    misses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    false_positives: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    wrong_speakers: list[tuple[str, dict[str, Any], Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.spoken if self.spoken else 1.0


def _fields(candidate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(candidate).items() if v is not None and k not in ("text",)}


def resolver_for(entities: Iterable[dict[str, Any]]) -> Callable[[str], str | None]:
    """The ledger a corpus describes, as the resolver ``extract`` asks about speakers."""
    from claimtrack.text.extract import name_resolver

    return name_resolver((e["name"], e.get("aliases", [])) for e in entities)


def score(
    items: Iterable[dict[str, Any]],
    extract: Callable[..., list[Any]],
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Tally]:
    """Run ``extract`` over the corpus items and tally the matches per kind."""
    tallies = {kind: Tally() for kind in KINDS}
    options: dict[str, Any] = {}
    if entities is not None:
        options["resolve"] = resolver_for(entities)
    for item in items:
        reference = datetime.date.fromisoformat(item["reference"]) if item.get("reference") else None
        publisher = item.get("publisher")
        if entities is not None:
            options["publisher"] = publisher
        found = extract(item["text"], reference=reference, **options)
        for kind in KINDS:
            tally = tallies[kind]
            expected = [e for e in item["expected"] if e["kind"] == kind]
            proposed = [c for c in found if c.kind == kind]
            tally.expected += len(expected)
            tally.proposed += len(proposed)
            unmatched = list(expected)
            with_speaker = entities is None
            for candidate in proposed:
                fields = _fields(candidate)
                wanted = key(kind, fields, with_speaker)
                match = next((e for e in unmatched if key(kind, e, with_speaker) == wanted), None)
                if match is None:
                    tally.false_positives.append((item["id"], fields))
                    continue
                unmatched.remove(match)
                tally.matched += 1
                if kind == "figure" and _words(match.get("counted")) == _words(fields.get("counted")):
                    tally.counted_right += 1
                if entities is not None and kind in SPOKEN and match.get("speaker") != "@any":
                    tally.spoken += 1
                    if speaker_right(match.get("speaker"), candidate, publisher):
                        tally.speaker_right += 1
                    else:
                        tally.wrong_speakers.append(
                            (item["id"], match, candidate.entity or candidate.speaker)
                        )
            tally.misses += [(item["id"], e) for e in unmatched]
    return tallies


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def entities_of(path: Path) -> list[dict[str, Any]] | None:
    entities: list[dict[str, Any]] | None = json.loads(path.read_text(encoding="utf-8")).get("entities")
    return entities


def report(tallies: dict[str, Tally], verbose: bool = False) -> str:
    spoken = any(t.spoken for t in tallies.values())
    header = f"{'kind':<8}{'expected':>9}{'proposed':>9}{'matched':>8}{'precision':>10}{'recall':>8}"
    lines = [header + (f"{'speaker':>9}" if spoken else "")]
    for kind, t in tallies.items():
        line = f"{kind:<8}{t.expected:>9}{t.proposed:>9}{t.matched:>8}{t.precision:>10.3f}{t.recall:>8.3f}"
        if spoken and kind in SPOKEN:
            line += f"{t.speaker_accuracy:>9.3f}"
        lines.append(line)
    figures = tallies["figure"]
    if figures.matched:
        lines.append(f"counted noun right on {figures.counted_right}/{figures.matched} matched figures")
    if spoken:
        lines.append(
            "speaker right on "
            + ", ".join(f"{tallies[k].speaker_right}/{tallies[k].spoken} {k}s" for k in SPOKEN)
            + " (matched, with a speaker annotated)"
        )
    if verbose:
        for kind, t in tallies.items():
            for title, rows in (("misses", t.misses), ("false positives", t.false_positives)):
                if rows:
                    lines.append(f"\n{kind} {title}:")
                    lines += [f"  {item_id}: {fields}" for item_id, fields in rows]
            if t.wrong_speakers:
                lines.append(f"\n{kind} wrong speakers:")
                lines += [f"  {i}: expected {m.get('speaker')!r}, got {g!r}" for i, m, g in t.wrong_speakers]
    return "\n".join(lines)


def time_pdf(pages: int) -> str:
    """Read a generated PDF of ``pages`` pages of the corpus's text and extract from it; the seconds each took.

    The PDF is written by tests/data/documents/make_fixtures.py's PDF writer (Helvetica, 45 lines a page),
    filled with the blind set's passages in turn, so that every page holds quotes, figures and dates.
    """
    import importlib.util
    import textwrap
    import time

    from claimtrack.text.documents import read_document
    from claimtrack.text.extract import extract

    spec = importlib.util.spec_from_file_location(
        "make_fixtures", ROOT / "tests/data/documents/make_fixtures.py"
    )
    assert spec is not None and spec.loader is not None
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    items = load(BLIND)
    lines: list[str] = []
    k = 0
    while len(lines) < pages * 45:
        paragraph = items[k % len(items)]["text"].encode("cp1252", "replace").decode("cp1252")
        lines += [*textwrap.wrap(paragraph, 90), ""]
        k += 1
    streams = [fixtures._content_stream(lines[p * 45 : (p + 1) * 45]) for p in range(pages)]
    pdf = fixtures.build_pdf(streams, {"Title": "Generated report"}, "en")
    entities = entities_of(BLIND) or []
    started = time.perf_counter()
    document = read_document(pdf, "generated.pdf")
    read = time.perf_counter() - started
    started = time.perf_counter()
    found = extract(
        document.text,
        reference=datetime.date(2020, 1, 20),
        resolve=resolver_for(entities),
        publisher="Harbour Wire",
    )
    extracted = time.perf_counter() - started
    return (
        f"{pages}-page PDF ({len(pdf):,} bytes, {len(document.text):,} characters of text): "
        f"read in {read:.2f} s, {len(found)} candidates extracted in {extracted:.2f} s, "
        f"{read + extracted:.2f} s in all"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=BLIND)
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and false positives")
    parser.add_argument(
        "--split",
        choices=("both", "all", "dev", "held-out", "held-out-2"),
        default="both",
        help="score the items tuned on (dev), those never tuned on (held-out), each in turn (both) or all",
    )
    parser.add_argument("--pdf-pages", type=int, help="time reading and extracting a generated PDF instead")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from claimtrack.text.extract import extract

    if args.pdf_pages:
        print(time_pdf(args.pdf_pages))
        return 0

    items = load(args.corpus)
    entities = entities_of(args.corpus)
    splits = ["dev", "held-out"] if args.split == "both" else [args.split]
    for n, split in enumerate(splits):
        chosen = items if split == "all" else [item for item in items if item.get("split", "dev") == split]
        if n:
            print()
        print(f"{len(chosen)} items from {args.corpus.name} (split: {split})")
        print(report(score(chosen, extract, entities), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
