"""The labelled pairs of the copy-detection test set, built from the reports in this folder.

    pairs() -> list of Pair(name, text, other, kind, half)

kind: "copy" (a report with light edits: new headline, a sentence dropped, a few words changed, a line added),
"embedded" (a report pasted whole into a longer article of the outlet's own), "partial" (one paragraph of a
report pasted into another report) or "distinct" (two reports written separately on the same event).
half: "tuning" (built from wire, daily, broadcaster, opposition) or "blind" (ngo, herald, blog, weekly, and
every distinct pair across the two groups): a threshold is chosen on the first and only checked on the second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
TUNING = ("wire", "daily", "broadcaster", "opposition")
BLIND = ("ngo", "herald", "blog", "weekly")
EDITS = {
    "said": "stated",
    "people": "persons",
    "city": "municipality",
    "bridge": "span",
    "on": "during",
    "the": "this",
}


@dataclass(frozen=True)
class Pair:
    name: str
    text: str
    other: str
    kind: str
    half: str


def report(name: str) -> str:
    return (HERE / f"{name}.txt").read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def edited(text: str, rng: random.Random, *, drops: int, changes: int) -> str:
    """A light rewrite: a new first line, sentences dropped, words changed, a closing line added."""
    parts = paragraphs(text)
    parts[0] = "Updated: " + " ".join(parts[0].split()[::-1][:8])  # a different headline
    sentences = [s for part in parts[1:] for s in part.split(". ")]
    for _ in range(drops):
        sentences.pop(rng.randrange(len(sentences)))
    words = " ".join(sentences).split(" ")
    candidates = [i for i, word in enumerate(words) if word in EDITS]
    for i in rng.sample(candidates, min(changes, len(candidates))):
        words[i] = EDITS[words[i]]
    return parts[0] + "\n\n" + " ".join(words) + "\n\nReporting by staff; editing by the news desk."


def pairs() -> list[Pair]:
    rng = random.Random(13)
    asides = paragraphs(report("asides"))
    found: list[Pair] = []
    for half, names in (("tuning", TUNING), ("blind", BLIND)):
        for name in names:
            text = report(name)
            found.append(
                Pair(f"{name} light copy", edited(text, rng, drops=1, changes=3), text, "copy", half)
            )
            found.append(
                Pair(f"{name} edited copy", edited(text, rng, drops=3, changes=8), text, "copy", half)
            )
            longer = "\n\n".join([asides[0], text, *asides[1:]])
            found.append(Pair(f"{name} inside a longer article", longer, text, "embedded", half))
        for name, other in zip(names, names[1:] + names[:1], strict=True):
            pasted = max(paragraphs(report(name)), key=lambda part: len(part.split()))
            host = paragraphs(report(other))
            host.insert(2, pasted)
            found.append(
                Pair(f"a paragraph of {name} in {other}", "\n\n".join(host), report(name), "partial", half)
            )
        for name, other in combinations(names, 2):
            found.append(Pair(f"{name} / {other}", report(name), report(other), "distinct", half))
    for name, other in ((a, b) for a in TUNING for b in BLIND):
        found.append(Pair(f"{name} / {other}", report(name), report(other), "distinct", "blind"))
    return found
