"""A fast generator of a large, realistic synthetic investigation in a claimtrack SQLite database.

    python bench/generate.py PATH [--scale F] [--seed N] [--force]

At ``--scale 1`` it writes exactly 1,000,000 claims, 200,000 sources, 50,000 entities, 20,000 affiliations and
2,500,000 appearances (each scaled linearly, at least 1), plus what a real ledger of that size holds around
them: entity aliases, source authors, ~20,000 source links, measures, ~50,000 claim relations, tags, claim
subjects and one status-change row per claim. The change log (``changes``) is left empty.

Why not the CLI or the ORM: logging a claim through :mod:`claimtrack.claims` costs milliseconds (lookups,
history, flushes), so a million would take hours. The schema is still claimtrack's own -- created by its
Alembic migrations -- and the rows are written with the stdlib ``sqlite3`` module, ``executemany`` over
generators in large chunks, inside explicit transactions, with foreign keys checked once at the end. The
migrations' explicit indexes are dropped for the load and re-created from their own stored SQL afterwards
(building an index from the finished table is far cheaper than a million random B-tree inserts); the schema
is compared before and after, so the result is exactly what the migrations made. Then ``ANALYZE``, and the
file is left in WAL mode.

What makes the data realistic enough to measure an independence check on:

* entity kinds are mixed; publishers are drawn Zipf-like (a few outlets carry a large share of the sources,
  media rank higher), and so are claimants (governments and organisations rank higher);
* ~20% of sources have one or two authors, often staff of the publisher (persons tied to it);
* affiliations are typed by plausible endpoint kinds (person employed-by media, media state-media-of
  government, ...), ~10% adversary-of, ~30% dated (since and/or until, some ended), and lean towards big
  publishers as their "other" end, as real ties do;
* ~30% of claims first appear in a source published by the claimant or by an entity tied to it (not by
  opposition), so self-sourcing is really there to find; later appearances sometimes "echo" through an outlet
  tied to the first one's publisher;
* source links mostly join sources that carry the same claim (a later source republishes / cites / is derived
  from / translates the first), with some 2- and 3-cycles of citations: circular reporting;
* ~10% of later appearances took their claim from the claim's first source (a via), and ~2% of sources are
  found copies of an earlier one (source_copies rows; picked by a hash of the id, not a random draw, so the
  rest of the ledger is as it was);
* dates are EDTF with their calendar bounds (mostly day precision, 2000-2025, ~10% missing), a claim's
  "said" date usually being its first source's date, and event claims always carrying an event date.
* the text (claims, quotes, passages, source titles) has a long-tailed vocabulary, as real text has: the
  fixed words above are its head, and ~56,000 word forms built from syllables (people's first names and
  surnames, places, organisations, other words) plus numbers are its tail, each list drawn Zipf-like, in
  clauses such as "near Broarnabad, Mebechaso Naigoaski said" or "at Checkpoint 13 in Tevouprevheim". At
  scale 1 the search index holds ~60,000 distinct words, most of them in fewer than 100 rows. The tail
  has random generators of its own, so every other row is what the generator wrote before it had a tail.

Every draw comes from a ``random.Random`` seeded by ``--seed``: the same seed and scale give the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import random
import sqlite3
import sys
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from claimtrack import search, vocab
from claimtrack.claims import KEY_ALPHABET, KEY_LENGTH
from claimtrack.text.names import normalise_name

# ---- sizes -----------------------------------------------------------------------------------------------

# The five counts the benchmark is defined by, at scale 1: written exactly (scaled, at least 1 each).
BASE_COUNTS = {
    "claims": 1_000_000,
    "sources": 200_000,
    "entities": 50_000,
    "affiliations": 20_000,
    "appearances": 2_500_000,
}
# The rest of a realistic ledger, also scaled (0 where the core tables are too small to hold them).
EXTRA_COUNTS = {"source_links": 20_000, "claim_relations": 50_000, "measures": 2_000}
MAX_APPEARANCES_PER_CLAIM = 5
SELF_SOURCED_SHARE = 0.30  # claims whose first appearance is in the claimant's own or a tied outlet
ECHO_SHARE = 0.10  # later appearances drawn from an outlet tied to the first source's publisher

CLAIMS_PER_CHUNK = 50_000  # ~125k appearances per executemany: large, and still a few MiB of tuples
ROWS_PER_CHUNK = 100_000
CACHE_MIB = 512  # SQLite page cache during the load: the unique claims.key index fills in random order


@dataclass(frozen=True)
class Counts:
    """How many rows of each kind to write."""

    claims: int
    sources: int
    entities: int
    affiliations: int
    appearances: int
    source_links: int
    claim_relations: int
    measures: int

    @classmethod
    def for_scale(cls, scale: float) -> Counts:
        if not scale > 0:
            raise ValueError(f"--scale must be above 0, not {scale}")
        core = {name: max(1, round(n * scale)) for name, n in BASE_COUNTS.items()}
        extra = {name: max(1, round(n * scale)) for name, n in EXTRA_COUNTS.items()}
        counts = cls(**core, **extra)
        if counts.entities < 2:
            raise ValueError(f"--scale {scale} is too small: affiliations need at least 2 entities")
        if counts.sources < 2:
            # A link joins two different sources.
            counts = cls(**{**core, **extra, "source_links": 0})
        if counts.claims < 2:
            counts = cls(**{**core, **extra, "source_links": counts.source_links, "claim_relations": 0})
        return counts


# ---- vocabulary for names and text -------------------------------------------------------------------------

FIRST_NAMES = (
    "Amira", "Dana", "Ilan", "Mateo", "Sofia", "Kofi", "Lena", "Ravi", "Yusuf", "Mei", "Olga", "Tomas",
    "Nadia", "Arjun", "Elif", "Jonas", "Zara", "Pavel", "Inès", "Kwame", "Leila", "Bruno", "Hana", "Farid",
)  # fmt: skip
LAST_NAMES = (
    "Okoro", "Verhoef", "Haddad", "Novak", "Costa", "Mensah", "Lindqvist", "Rahimi", "Tanaka", "Kowalski",
    "Silva", "Petrov", "Farah", "Moreau", "Nguyen", "Osei", "Larsen", "Demir", "Reyes", "Sato", "Al-Amin",
)  # fmt: skip
ADJECTIVES = (
    "Amber", "Coastal", "Northern", "Free", "United", "Civic", "Harbor", "Green", "National", "People's",
    "Independent", "Open", "Red", "Silver", "Eastern", "Western", "Southern", "Central",
)  # fmt: skip
ORG_NOUNS = (
    "Front",
    "Alliance",
    "Union",
    "Watch",
    "Council",
    "Institute",
    "Foundation",
    "Movement",
    "League",
)
MEDIA_NOUNS = ("Voice", "Wire", "Daily", "Herald", "Post", "Observer", "Monitor", "Tribune", "Broadcaster")
COUNTRIES = ("Veloria", "Marrenia", "Quellan", "Drovia", "Santerre", "Ulmark", "Kestova", "Aurelis")
GOV_BODIES = (
    "Interior Ministry", "Defence Ministry", "Foreign Ministry", "Office of the President", "Health Ministry",
    "Police Directorate", "Army Command", "Governorate", "Electoral Commission", "Parliament",
)  # fmt: skip
OTHER_NOUNS = ("Collective", "Network", "Account", "Channel", "Group")
PLACES = (
    "Port Selden", "Varn", "the northern districts", "the capital", "Kessel Bay", "Ostmark", "the border zone",
    "Lindel", "the eastern province", "Saint-Orne", "the harbour district", "Tamsa", "the old town", "Merrow",
)  # fmt: skip
ACTORS = (
    "security forces", "the army", "police", "protesters", "the opposition", "armed groups", "officials",
    "the ministry", "militia fighters", "aid workers", "election observers", "the government",
)  # fmt: skip
ACTIONS = (
    "detained", "attacked", "evacuated", "blocked roads to", "shelled", "occupied", "withdrew from",
    "opened fire in", "cut electricity to", "distributed aid in", "held a rally in", "raided offices in",
)  # fmt: skip
TOPICS = (
    "the operation", "the protests", "the ceasefire", "the election", "the curfew", "detentions",
    "the blackout", "the strike", "the evacuation", "casualty figures", "the investigation", "the talks",
)  # fmt: skip
COUNTED = (
    "people killed", "people detained", "protesters", "refugees", "troops", "civilians injured",
    "homes destroyed", "arrests", "displaced families", "votes cast",
)  # fmt: skip
TAGS = (
    "port-selden-2020", "ceasefire", "election-2019", "curfew", "detentions", "casualties", "disinformation",
    "aid", "border", "protests", "blackout", "media-freedom", "courts", "economy", "health", "migration",
    "energy", "corruption", "military", "police", "diplomacy", "sanctions", "strikes", "refugees",
    "human-rights", "state-media", "verification-needed", "viral", "translation", "leak",
)  # fmt: skip
QUOTE_WORDS = {
    "en": (
        "we",
        "will",
        "not",
        "accept",
        "these",
        "lies",
        "the",
        "people",
        "demand",
        "justice",
        "our",
        "forces",
        "acted",
        "lawfully",
        "no",
        "one",
        "was",
        "harmed",
        "they",
        "fired",
        "first",
        "this",
        "is",
        "a",
        "massacre",
        "the",
        "numbers",
        "are",
        "false",
        "we",
        "have",
        "evidence",
    ),
    "fr": ("nous", "n'accepterons", "pas", "ces", "mensonges", "le", "peuple", "exige", "la", "justice"),
    "es": ("no", "aceptaremos", "estas", "mentiras", "el", "pueblo", "exige", "justicia", "nuestras"),
    "ar": ("لن", "نقبل", "هذه", "الأكاذيب", "الشعب", "يطالب", "بالعدالة", "قواتنا", "تصرفت"),
    "fa": ("ما", "این", "دروغ‌ها", "را", "نمی‌پذیریم", "مردم", "خواستار", "عدالت", "هستند"),
    "ru": ("мы", "не", "примем", "эту", "ложь", "народ", "требует", "справедливости"),
}
QUOTE_LANGUAGES = (("en", 0.75), ("ar", 0.08), ("fr", 0.05), ("fa", 0.05), ("es", 0.04), ("ru", 0.03))
SOURCE_LANGUAGES = (("en", 0.70), (None, 0.12), ("ar", 0.06), ("fr", 0.05), ("es", 0.04), ("ru", 0.03))

# Source kinds by the publisher's entity kind (None: no publisher recorded).
SOURCE_KINDS: dict[str | None, tuple[tuple[str, float], ...]] = {
    "media": (
        ("article", 0.75),
        ("video", 0.08),
        ("interview", 0.07),
        ("transcript", 0.05),
        ("social-post", 0.05),
    ),
    "government": (("press-release", 0.45), ("statement", 0.30), ("report", 0.15), ("transcript", 0.10)),
    "organization": (("report", 0.35), ("press-release", 0.25), ("statement", 0.25), ("social-post", 0.15)),
    "person": (("social-post", 0.60), ("article", 0.20), ("interview", 0.15), ("book", 0.05)),
    "other": (("social-post", 0.70), ("video", 0.30)),
    None: (("social-post", 0.40), ("other", 0.30), ("dataset", 0.15), ("report", 0.15)),
}
ENTITY_KINDS = (
    ("person", 0.50),
    ("organization", 0.24),
    ("media", 0.12),
    ("government", 0.09),
    ("other", 0.05),
)
PERSON_KINDS = ("person",)
ORGS = ("organization", "government")
# Affiliation kinds: (share, kinds at the entity end, kinds at the other end, skew of the other end).
# Read "ENTITY <kind> OTHER". The other end is drawn Zipf-like (that exponent) over the publisher ranking:
# staff and spokespeople gather at big outlets and organisations, ties between organisations are spread more
# evenly. The skews are tuned so that the non-opposition ties form one sizeable bloc (~2,700 entities at
# scale 1, holding ~40 of the 200 biggest publishers) among many small groups. Much stronger skews knit
# nearly every big outlet into one connected web (a phase change: at 0.8 for both ends the largest group
# holds ~150 of the top 200), and a transitive independence rule would then find almost nothing independent.
PERSON_SKEW, ORG_SKEW = 0.6, 0.2
AFFILIATION_RULES: dict[str, tuple[float, tuple[str, ...], tuple[str, ...], float]] = {
    "member-of": (0.10, PERSON_KINDS, ORGS, PERSON_SKEW),
    "part-of": (0.10, ("organization", "media", "government"), ORGS, ORG_SKEW),
    "leads": (0.08, PERSON_KINDS, ("organization", "government", "media"), PERSON_SKEW),
    "speaks-for": (0.10, PERSON_KINDS, ORGS, PERSON_SKEW),
    "controlled-by": (0.08, ("media", "organization"), ("government", "organization", "person"), ORG_SKEW),
    "funded-by": (0.10, ("organization", "media"), ("government", "organization", "person"), ORG_SKEW),
    "employed-by": (0.16, PERSON_KINDS, ("media", "organization", "government"), PERSON_SKEW),
    "allied-with": (0.10, ORGS, ORGS, ORG_SKEW),
    "state-media-of": (0.08, ("media",), ("government",), ORG_SKEW),
    "adversary-of": (0.10, (), (), 0.0),  # any kind at either end, uniformly
}
# Ties through which a person writes for an outlet (its staff, for source authors).
STAFF_TIES = frozenset({"employed-by", "member-of", "leads", "speaks-for"})
CLAIM_KINDS = (("statement", 0.40), ("quote", 0.25), ("figure", 0.20), ("event", 0.15))
# Appearances per claim: mean exactly 2.5 (the totals are then nudged to the exact count).
APPEARANCE_COUNTS = ((1, 0.27), (2, 0.29), (3, 0.21), (4, 0.13), (5, 0.10))
FIRST_STANCES = (
    ("reports", 0.70),
    ("supports", 0.15),
    ("asserts", 0.05),
    ("disputes", 0.07),
    ("refutes", 0.03),
)
TIED_FIRST_STANCES = (("reports", 0.60), ("asserts", 0.30), ("supports", 0.10))
LATER_STANCES = (
    ("reports", 0.60),
    ("supports", 0.22),
    ("asserts", 0.06),
    ("disputes", 0.08),
    ("refutes", 0.04),
)
LINK_KINDS = (
    ("republishes", 0.40), ("cites", 0.30), ("derived-from", 0.20), ("translates", 0.10), ("distinct", 0.0),
)  # fmt: skip
VIA_SHARE = 10  # percent of later appearances that took their claim from the claim's first source
COPY_SHARE = 2  # percent of sources found to repeat an earlier source's text
RELATION_KINDS = (
    ("denies", 0.35), ("contradicts", 0.30), ("rebuts", 0.10), ("corrects", 0.08), ("supports", 0.10),
    ("same-as", 0.05), ("retracts", 0.02),
)  # fmt: skip
QUALIFIERS = (
    (None, 0.45), ("about", 0.20), ("at-least", 0.08), ("more-than", 0.08), ("nearly", 0.05), ("up-to", 0.05),
    ("fewer-than", 0.03), ("some", 0.03), ("thousands-of", 0.03),
)  # fmt: skip
UNITS = ((None, 0.75), ("USD", 0.10), ("%", 0.08), ("tonnes", 0.04), ("km", 0.03))
# What a figure in a unit counts (a count with no unit counts one of COUNTED).
UNIT_COUNTED = {
    "USD": ("in damages", "in aid pledged", "in frozen assets"),
    "%": ("turnout", "of homes without power", "of the vote"),
    "tonnes": ("of aid delivered", "of grain exported"),
    "km": ("of roads closed", "of border fenced"),
}

# The vocabularies above must stay within claimtrack's own: a renamed value would otherwise go unnoticed.
assert {kind for kind, _ in ENTITY_KINDS} <= set(vocab.EntityKind)
assert set(AFFILIATION_RULES) == set(vocab.AffiliationKind)
assert {kind for table in SOURCE_KINDS.values() for kind, _ in table} <= set(vocab.SourceKind)
assert {kind for kind, _ in CLAIM_KINDS} == set(vocab.ClaimKind)
assert {kind for kind, _ in LINK_KINDS} == set(vocab.SourceLinkKind)
assert {kind for kind, _ in RELATION_KINDS} == set(vocab.RelationKind)
assert {q for q, _ in QUALIFIERS if q} <= set(vocab.Qualifier)
assert {stance for table in (FIRST_STANCES, TIED_FIRST_STANCES, LATER_STANCES) for stance, _ in table} <= set(
    vocab.Stance
)
assert math.isclose(sum(n * p for n, p in APPEARANCE_COUNTS), 2.5)

# ---- the long tail of the text -----------------------------------------------------------------------------

# Real text has a long-tailed vocabulary: a few words are everywhere, most are rare, and many of the rare ones
# are names. The fixed vocabulary above is the head; the tail is made from syllables, deterministically from
# the seed (nothing downloaded), and drawn Zipf-like: the word at rank r of its list is drawn with weight
# 1 / (r + 1) ** TAIL_SKEW. At scale 1 the text then holds ~60,000 distinct words (the index's own count,
# fts5vocab, is in bench/README.md), most of them in fewer than 100 rows.
# These draws use random generators of their own (seeded from --seed), so every other row of the ledger is
# what it was before the tail was added.
GENERATOR_VERSION = 2  # PRAGMA user_version of a generated file: 2 = with the long-tailed vocabulary
TAIL_SKEW = 1.0
TAIL_SIZES = {
    "first_names": 3_000, "surnames": 22_000, "places": 14_000, "organisations": 5_000, "words": 12_000,
}  # fmt: skip
_ONSETS = (
    "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s",
    "sh", "st", "t", "tr", "v", "w", "z", "", "", "",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ie", "y")
_CODAS = ("", "", "", "", "n", "r", "l", "s", "m", "k", "t", "nd", "rn", "st", "sk", "v")
_ENDINGS = {
    "first_names": ("", "a", "o", "i", "an", "el", "ina", "ek", "is"),
    "surnames": ("", "ov", "ez", "son", "ski", "ani", "ek", "ian", "oglu", "sen", "elli", "enko", "ada"),
    "places": ("", "grad", "ton", "burg", "abad", "ova", "ville", "stan", "heim", "pur", "sk", "mouth"),
    "organisations": ("", "ex", "ica", "on", "or", "ia", "us"),
    "words": ("", "ation", "ing", "ed", "er", "ism", "ity", "al", "ment", "ous", "ive", "ness"),
}
TAIL_ORG_NOUNS = (
    "Institute", "Group", "Foundation", "Company", "Union", "Bank", "Party", "Agency", "Council",
)  # fmt: skip
TAIL_NUMBERED = (
    "Route", "Building", "Checkpoint", "Resolution", "Unit", "Sector", "Camp", "Block", "Highway",
)  # fmt: skip
TAIL_ROLES = (
    "a spokesperson for", "the head of", "a lawyer for", "a witness near", "a doctor in", "a resident of",
)  # fmt: skip


@dataclass(frozen=True)
class Lexicon:
    """The generated tail, each list in rank order (most frequent first); ``words`` starts with the head."""

    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    words: tuple[str, ...]

    def distinct(self) -> int:
        """How many distinct words the lists hold, as the search index folds them (lower case)."""
        return len(
            {
                w.lower()
                for table in (self.first_names, self.surnames, self.places, self.organisations, self.words)
                for w in table
            }
        )


def head_words() -> list[str]:
    """The fixed vocabulary's plain English words, in the order the text uses them most (a rough rank)."""
    seen: dict[str, None] = {}
    for phrase in (*QUOTE_WORDS["en"], *PLACES, *ACTORS, *ACTIONS, *TOPICS, *COUNTED):
        for word in phrase.lower().split():
            if word.isalpha():
                seen[word] = None
    return list(seen)


def lexicon(seed: int = 0) -> Lexicon:
    """The tail's words for ``seed``: the same seed gives the same lists. ~56,000 distinct forms, none of them
    in the fixed vocabulary (nor any two lists sharing a form), all plain ASCII letters."""
    rng = random.Random(f"lexicon-{seed}")
    taken = {w.lower() for w in head_words()}
    taken |= {
        w.lower()
        for phrase in (
            *FIRST_NAMES,
            *LAST_NAMES,
            *ADJECTIVES,
            *COUNTRIES,
            *MEDIA_NOUNS,
            *ORG_NOUNS,
            *TAIL_ORG_NOUNS,
            *TAIL_NUMBERED,
        )
        for w in phrase.split()
    }
    taken |= {"and", "or", "not", "near"}  # FTS5's operators, in any case, to keep queries plain

    def make(kind: str, count: int) -> tuple[str, ...]:
        endings = _ENDINGS[kind]
        made: list[str] = []
        while len(made) < count:
            syllables = 1 + (rng.random() < 0.85) + (rng.random() < 0.35)
            word = "".join(
                rng.choice(_ONSETS) + rng.choice(_VOWELS) + (rng.choice(_CODAS) if i == syllables - 1 else "")
                for i in range(syllables)
            ) + rng.choice(endings)
            if len(word) < 4 or word in taken:
                continue
            taken.add(word)
            made.append(word if kind == "words" else word.capitalize())
        return tuple(made)

    made = {kind: make(kind, count) for kind, count in TAIL_SIZES.items()}
    return Lexicon(
        made["first_names"], made["surnames"], made["places"], made["organisations"],
        tuple(head_words()) + made["words"],
    )  # fmt: skip


class Tail:
    """Draws the tail's words and the clauses that carry them into the text, from its own random generator."""

    def __init__(self, seed: int) -> None:
        self.lexicon = words = lexicon(seed)
        rng = self.rng = random.Random(f"tail-{seed}")
        self.random = rng.random
        self.first = zipf(words.first_names, TAIL_SKEW, rng)
        self.surname = zipf(words.surnames, TAIL_SKEW, rng)
        self.place = zipf(words.places, TAIL_SKEW, rng)
        self.organisation = zipf(words.organisations, TAIL_SKEW, rng)
        self.word = zipf(words.words, TAIL_SKEW, rng)
        self.number = zipf(range(1, 10_000), TAIL_SKEW, rng)

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def person(self) -> str:
        return f"{self.first()} {self.surname()}"

    def organisation_name(self) -> str:
        return f"the {self.organisation()} {self.pick(TAIL_ORG_NOUNS)}"

    def clause(self) -> str:
        """What a claim says besides its template: where, who said so, a named thing; 2-5 tail words."""
        r = self.random()
        if r < 0.22:
            return f" near {self.place()}, {self.person()} said"
        if r < 0.40:
            return f", {self.person()}, {self.pick(TAIL_ROLES)} {self.organisation_name()}, said"
        if r < 0.55:
            return f" at {self.pick(TAIL_NUMBERED)} {self.number()} in {self.place()}"
        if r < 0.70:
            return f", citing {self.word()} {self.word()} {self.word()}"
        if r < 0.85:
            return f" in {self.place()} and {self.place()}, after {self.word()} {self.word()}"
        return f"; {self.organisation_name()} {self.word()} {self.word()} {self.person()}"

    def title(self) -> str:
        """A source title's tail: a place, a person or an organisation, sometimes with a word."""
        r = self.random()
        if r < 0.35:
            return f": {self.place()}"
        if r < 0.60:
            return f", says {self.person()}"
        if r < 0.80:
            return f" ({self.organisation_name()})"
        return f": {self.word()} {self.word()} in {self.place()}"

    def mixed(self, word: str) -> str:
        """A word of an English quote: the fixed word given mostly, a tail word one time in four."""
        return self.word() if self.random() < 0.25 else word


# Column lists of the wide tables, in the order the generator's tuples fill them.
SOURCE_COLUMNS = (
    "id", "key", "title", "kind", "url", "publisher_id", "published_edtf", "published_earliest",
    "published_latest", "accessed_edtf", "accessed_earliest", "accessed_latest", "language", "notes",
    "created_at",
)  # fmt: skip
AFFILIATION_COLUMNS = (
    "entity_id", "other_id", "kind", "since_edtf", "since_earliest", "since_latest", "until_edtf",
    "until_earliest", "until_latest", "source_id", "note", "created_at",
)  # fmt: skip
CLAIM_COLUMNS = (
    "id", "key", "kind", "text", "claimant_id", "said_edtf", "said_earliest", "said_latest", "event_edtf",
    "event_earliest", "event_latest", "quote", "quote_language", "quote_translation", "figure_value",
    "figure_low", "figure_high", "figure_unit", "figure_counted", "figure_qualifier", "measure_id", "status",
    "notes", "created_at", "updated_at",
)  # fmt: skip
APPEARANCE_COLUMNS = (
    "id", "claim_id", "source_id", "stance", "passage", "locator", "created_at", "via_source_id",
)  # fmt: skip
STATUS_CHANGE_COLUMNS = ("claim_id", "old_status", "new_status", "reason", "changed_by", "changed_at")

# ---- dates -------------------------------------------------------------------------------------------------

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
N_DAYS = LAST_DAY.toordinal() - FIRST_DAY.toordinal() + 1
# An EDTF date with its calendar bounds, as claimtrack stores it: (edtf, earliest, latest), ISO strings.
DateTriple = tuple[str, str, str]
NO_DATE: tuple[None, None, None] = (None, None, None)


def _date_tables() -> tuple[list[DateTriple], list[DateTriple], list[DateTriple]]:
    """Day, month and year precision triples for every day of the range, precomputed once.

    Formatting dates is the hot path of a generator that writes a few million of them; a list lookup by day
    index is ~20x cheaper than ``date.fromordinal(...).isoformat()`` and month arithmetic per row.
    """
    days, months, years = [], [], []
    first_ordinal = FIRST_DAY.toordinal()
    for index in range(N_DAYS):
        day = dt.date.fromordinal(first_ordinal + index)
        iso = day.isoformat()
        days.append((iso, iso, iso))
        last_of_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        months.append((iso[:7], iso[:8] + "01", last_of_month.isoformat()))
        years.append((iso[:4], iso[:4] + "-01-01", iso[:4] + "-12-31"))
    return days, months, years


DAY, MONTH, YEAR = _date_tables()


def timestamps(count: int, start: dt.datetime, end: dt.datetime) -> Iterator[str]:
    """``count`` creation times spread evenly from ``start`` to ``end``, in SQLAlchemy's SQLite format.

    SQLAlchemy stores DateTime on SQLite as "YYYY-MM-DD HH:MM:SS.ffffff"; writing the same form keeps the ORM
    reading them back unchanged (and sorting them as text correctly).
    """
    span = (end - start).total_seconds()
    step = span / max(count, 1)
    day0 = start.date().toordinal()
    base = start.hour * 3600 + start.minute * 60 + start.second
    day_names: dict[int, str] = {}
    for i in range(count):
        seconds = base + int(i * step)
        day, second = divmod(seconds, 86_400)
        name = day_names.get(day)
        if name is None:
            name = day_names[day] = dt.date.fromordinal(day0 + day).isoformat()
        hour, rest = divmod(second, 3600)
        yield f"{name} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}.000000"


# ---- drawing -----------------------------------------------------------------------------------------------


class Weighted:
    """Draws from a fixed table of (value, weight) pairs, at the cost of one bisect per draw."""

    def __init__(self, table: Iterable[tuple[Any, float]], rng: random.Random) -> None:
        pairs = list(table)
        self.values = [value for value, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]
        self.last = len(self.values) - 1
        self.random = rng.random

    def __call__(self) -> Any:
        return self.values[min(bisect_right(self.cum, self.random() * self.total), self.last)]


def zipf(items: Sequence[Any], exponent: float, rng: random.Random) -> Weighted:
    """Zipf-like draws: the item at rank r (its place in ``items``) has weight 1 / (r + 1) ** exponent."""
    return Weighted(((item, 1.0 / (rank + 1) ** exponent) for rank, item in enumerate(items)), rng)


def ranked(items: Iterable[int], boost: Callable[[int], float], rng: random.Random) -> list[int]:
    """``items`` in a random order where those with a smaller ``boost`` tend to come first."""
    return sorted(items, key=lambda item: rng.random() * boost(item))


def random_date(rng: random.Random, day: int | None = None) -> DateTriple:
    """A date at a realistic precision: mostly a day, sometimes a month, a year or "circa" a year."""
    if day is None:
        day = rng.randrange(N_DAYS)
    r = rng.random()
    if r < 0.85:
        return DAY[day]
    if r < 0.95:
        return MONTH[day]
    year = YEAR[day]
    return year if r < 0.99 else (year[0] + "~", year[1], year[2])


def recent_day(rng: random.Random) -> int:
    """A day index skewed to the later years: there is more on record about the recent past."""
    return N_DAYS - 1 - int(N_DAYS * rng.random() ** 1.5)


# ---- claim keys --------------------------------------------------------------------------------------------

KEY_SPACE = len(KEY_ALPHABET) ** KEY_LENGTH


def key_permutation(seed: int) -> Callable[[int], str]:
    """A bijection from row numbers to claim keys, so a million keys are unique without checking any.

    An affine map ``n -> (a*n + b) mod M`` with ``a`` coprime to ``M`` permutes ``[0, M)``; writing the result
    in base ``len(KEY_ALPHABET)`` with ``KEY_LENGTH`` digits gives a key exactly like
    :func:`claimtrack.claims.new_key` would (same alphabet and length), spread over the whole key space.
    """
    rng = random.Random(f"keys-{seed}")
    multiplier = rng.randrange(KEY_SPACE // 3, KEY_SPACE)
    while math.gcd(multiplier, KEY_SPACE) != 1:
        multiplier += 1
    offset = rng.randrange(KEY_SPACE)
    base = len(KEY_ALPHABET)
    # Several digits per divmod, from a table of every group of `width` digits (32 ** 3 = 32,768 strings).
    width = max(1, int(math.log(1 << 15, base)))
    groups = ["".join(digits) for digits in itertools.product(KEY_ALPHABET, repeat=width)]
    group_base = base**width
    n_groups = -(-KEY_LENGTH // width)

    def key(n: int) -> str:
        x = (multiplier * n + offset) % KEY_SPACE
        parts = []
        for _ in range(n_groups):
            x, r = divmod(x, group_base)
            parts.append(groups[r])
        # x < base ** KEY_LENGTH, so the digits past KEY_LENGTH are leading zeros: cut them off.
        return "".join(reversed(parts))[-KEY_LENGTH:]

    return key


# ---- the database ------------------------------------------------------------------------------------------


def create_schema(path: Path) -> None:
    """claimtrack's own schema, through its own migrations (never a copy of the DDL)."""
    from claimtrack.db import Ledger, dispose_engines

    Ledger("sqlite:///" + str(path)).upgrade()
    # The engine holds pooled connections (WAL, foreign keys on); close them before the raw sqlite3 load.
    dispose_engines()


def insert_sql(conn: sqlite3.Connection, table: str, names: Sequence[str]) -> str:
    """The INSERT for ``names`` of ``table``, after checking them against the live table.

    A schema change then fails here with a clear message instead of deep inside SQLite, and a NOT NULL column
    added by a later migration is named rather than reported as a constraint failure on row 1.
    """
    live = {row[1]: row for row in conn.execute(f"PRAGMA table_info({table})")}
    missing = set(names) - set(live)
    if missing:
        raise RuntimeError(
            f"{table} has no column(s) {sorted(missing)}: the schema changed, update the generator"
        )
    # (cid, name, type, notnull, default, pk): a required column we do not fill would fail every row.
    unfilled = [
        name for name, row in live.items() if row[3] and row[4] is None and not row[5] and name not in names
    ]
    if unfilled:
        raise RuntimeError(f"{table} requires {unfilled}, which the generator does not fill: update it")
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


def insert(
    conn: sqlite3.Connection, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]], chunk: int
) -> int:
    """``executemany`` over ``rows`` in chunks of ``chunk``, each in its own transaction; returns the count."""
    sql = insert_sql(conn, table, names)
    total = 0
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, chunk)):
        conn.execute("BEGIN")
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        total += len(batch)
    return total


def schema_snapshot(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    """Every table, index, view and trigger as SQLite records it (root pages aside): the schema to keep."""
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the migrations' explicit indexes for the load; returns their CREATE statements.

    Inserting a million rows in random key order into half a dozen B-trees costs far more than building each
    index once from sorted data afterwards. Only explicit indexes (those with SQL) are dropped: the implicit
    ones behind UNIQUE and PRIMARY KEY constraints stay, and so does everything they enforce. The very same
    statements are run again by :func:`restore_indexes`, and the caller compares the schema before and after.
    """
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def drop_triggers(conn: sqlite3.Connection) -> list[str]:
    """Drop the triggers (the search index's) for the load; returns their CREATE statements."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in rows:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in rows]


def restore_indexes(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    conn.execute("BEGIN")
    for sql in statements:
        conn.execute(sql)
    conn.execute("COMMIT")


# ---- the generator ----------------------------------------------------------------------------------------


@dataclass
class Report:
    """What was written, and how long it took."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    self_sourced: int = 0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())

    def describe(self) -> str:
        lines = [f"generated {self.path} ({self.path.stat().st_size / 2**20:,.0f} MiB):"]
        lines += [f"  {table:<16} {count:>12,}" for table, count in self.counts.items()]
        claims = self.counts.get("claims", 0)
        if claims:
            lines.append(
                f"  self-sourced first appearances: {self.self_sourced:,} ({self.self_sourced / claims:.1%} of claims)"
            )
        lines.append("  " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items()))
        load = self.phases.get("load", 0.0)
        lines.append(
            f"  {self.rows:,} rows in {self.seconds:.1f} s "
            f"({self.rows / self.seconds:,.0f} rows/s overall, {self.rows / load:,.0f} rows/s while loading)"
            if load
            else f"  {self.rows:,} rows in {self.seconds:.1f} s"
        )
        return "\n".join(lines)


class Generator:
    """Builds the investigation table by table; every draw comes from one seeded ``random.Random``."""

    def __init__(self, conn: sqlite3.Connection, counts: Counts, seed: int, log: TextIO | None) -> None:
        self.conn = conn
        self.n = counts
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = log
        self.written: dict[str, int] = {}
        self.self_sourced = 0
        # Filled as the tables are built, for the tables that depend on them.
        self.entity_kind: list[str] = [""]  # by id; index 0 unused
        self.entity_name: list[str] = [""]
        self.by_kind: dict[str, list[int]] = defaultdict(list)
        self.ties: dict[int, list[int]] = defaultdict(list)  # non-opposition ties, both directions
        self.staff: dict[int, list[int]] = defaultdict(list)  # outlet -> persons who write for it
        self.publisher_rank: list[int] = []
        self.source_publisher: list[int | None] = [None]  # by source id
        self.source_day: list[int] = [-1]  # day index of a source's publication, -1 when undated
        self.source_date: list[DateTriple | tuple[None, None, None]] = [NO_DATE]
        self.sources_by_publisher: dict[int, list[int]] = defaultdict(list)
        self.measures: list[tuple[int, str, str | None]] = []  # (id, counted, unit)
        self.link_candidates: dict[tuple[int, int, str], None] = {}  # ordered set
        self.tail = Tail(seed)
        # The ledger was filled over 2025: creation times run through the year, table by table.
        self.clock_start = dt.datetime(2025, 1, 6, 9, 0, 0)
        self.clock_end = dt.datetime(2025, 12, 19, 18, 0, 0)

    def _note(self, table: str, count: int, started: float) -> None:
        self.written[table] = self.written.get(table, 0) + count
        if self.log is not None:
            seconds = time.perf_counter() - started
            rate = count / seconds if seconds else 0.0
            print(f"  {table:<16} {count:>12,} rows in {seconds:5.1f} s ({rate:,.0f} rows/s)", file=self.log)

    def _insert(
        self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]], chunk: int = ROWS_PER_CHUNK
    ) -> None:
        started = time.perf_counter()
        self._note(table, insert(self.conn, table, names, rows, chunk), started)

    def _stamps(self, count: int) -> Iterator[str]:
        return timestamps(count, self.clock_start, self.clock_end)

    # ---- entities --------------------------------------------------------------------------------------

    def _entity_name(self, kind: str, number: int) -> str:
        """A readable, unique name: the zero-padded id keeps normalised names (and aliases) distinct."""
        rng = self.rng
        if kind == "person":
            stem = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        elif kind == "media":
            stem = f"{rng.choice(ADJECTIVES)} {rng.choice(MEDIA_NOUNS)}"
        elif kind == "government":
            stem = f"{rng.choice(COUNTRIES)} {rng.choice(GOV_BODIES)}"
        elif kind == "organization":
            stem = f"{rng.choice(ADJECTIVES)} {rng.choice(ORG_NOUNS)}"
        else:
            stem = f"{rng.choice(ADJECTIVES)} {rng.choice(OTHER_NOUNS)}"
        return f"{stem} {number:06d}"

    def entities(self) -> None:
        rng = self.rng
        kind_of = Weighted(ENTITY_KINDS, rng)
        grades = Weighted((("A", 1), ("B", 3), ("C", 3), ("D", 2), ("E", 1), ("F", 1)), rng)
        stamps = self._stamps(self.n.entities)
        entity_rows, alias_rows = [], []
        seen: set[str] = set()
        for entity_id in range(1, self.n.entities + 1):
            kind = kind_of()
            name = self._entity_name(kind, entity_id)
            self.entity_kind.append(kind)
            self.entity_name.append(name)
            self.by_kind[kind].append(entity_id)
            graded = kind != "person" and rng.random() < 0.3
            entity_rows.append(
                (
                    entity_id,
                    name,
                    kind,
                    f"A {kind} in the synthetic investigation." if rng.random() < 0.2 else None,
                    grades() if graded else None,
                    "Graded for the benchmark." if graded else None,
                    next(stamps),
                )
            )
            # The entity's own name is an alias too (one lookup finds both), plus an acronym for some.
            names = [name]
            if kind != "person" and rng.random() < 0.2:
                names.append("".join(word[0] for word in name.split()[:-1]).upper() + f"-{entity_id:06d}")
            for alias in names:
                normalized = normalise_name(alias)
                if normalized in seen:
                    raise RuntimeError(f"alias {alias!r} is not unique once normalised ({normalized!r})")
                seen.add(normalized)
                alias_rows.append((entity_id, alias, normalized))
        self._insert(
            "entities",
            ("id", "name", "kind", "description", "reliability", "reliability_note", "created_at"),
            entity_rows,
        )
        self._insert("entity_aliases", ("entity_id", "alias", "normalized"), alias_rows)

        # Publishers: outlets, organisations, governments and a few persons (bloggers). Media tend to rank
        # higher, so the biggest publishers are mostly news outlets, as in any real corpus.
        bloggers = self.by_kind["person"][::10]
        pool = self.by_kind["media"] + self.by_kind["organization"] + self.by_kind["government"] + bloggers
        pool += self.by_kind["other"]
        boost = {"media": 0.3, "government": 0.6, "organization": 0.8}
        self.publisher_rank = ranked(pool, lambda e: boost.get(self.entity_kind[e], 1.0), rng) or [1]

    # ---- affiliations ----------------------------------------------------------------------------------

    def _dated(self) -> tuple[DateTriple | tuple[None, None, None], DateTriple | tuple[None, None, None]]:
        """(since, until) of a tie: ~30% are dated, by since and/or until; those with an until have ended."""
        rng = self.rng
        if rng.random() >= 0.30:
            return NO_DATE, NO_DATE

        def at(day: int) -> DateTriple:
            r = rng.random()
            return DAY[day] if r < 0.2 else MONTH[day] if r < 0.5 else YEAR[day]

        r = rng.random()
        start = rng.randrange(N_DAYS - 400) if N_DAYS > 400 else 0
        end = min(N_DAYS - 1, start + rng.randint(400, 4000))  # a year or more apart: bounds cannot cross
        if r < 0.45:
            return at(start), NO_DATE
        if r < 0.85:
            return at(start), at(end)
        return NO_DATE, at(end)

    def affiliations(self) -> None:
        rng = self.rng
        n_entities = self.n.entities
        rule_of = Weighted(((kind, rule[0]) for kind, rule in AFFILIATION_RULES.items()), rng)
        # The "other" end leans towards big publishers (see AFFILIATION_RULES for how much, and why).
        rank = {entity: r for r, entity in enumerate(self.publisher_rank)}
        targets: dict[tuple[tuple[str, ...], float], Weighted] = {}
        sources_pool: dict[tuple[str, ...], list[int]] = {}
        for _, from_kinds, to_kinds, skew in AFFILIATION_RULES.values():
            if to_kinds and (to_kinds, skew) not in targets:
                members = [e for kind in to_kinds for e in self.by_kind[kind]]
                members.sort(key=lambda e: rank.get(e, n_entities + e))
                if members:
                    targets[to_kinds, skew] = zipf(members, skew, rng)
            if from_kinds and from_kinds not in sources_pool:
                sources_pool[from_kinds] = [e for kind in from_kinds for e in self.by_kind[kind]]

        def pair(kind: str) -> tuple[int, int]:
            _, from_kinds, to_kinds, skew = AFFILIATION_RULES[kind]
            starts = sources_pool.get(from_kinds)
            target = targets.get((to_kinds, skew))
            if not starts or target is None:  # adversary-of, or a kind pool empty at a tiny scale
                return rng.randint(1, n_entities), rng.randint(1, n_entities)
            return rng.choice(starts), target()

        seen: set[tuple[int, int, str]] = set()
        stamps = self._stamps(self.n.affiliations)
        rows: list[tuple[Any, ...]] = []
        attempts = 0
        while len(rows) < self.n.affiliations:
            attempts += 1
            kind = rule_of()
            if attempts > 1000 * self.n.affiliations:
                raise RuntimeError(
                    "cannot place the affiliations: too few entities for this many distinct ties"
                )
            # Kind-appropriate ends first; should those pools run dry (tiny scales), any two entities.
            if attempts < 50 * self.n.affiliations:
                entity, other = pair(kind)
            else:
                entity, other = rng.randint(1, n_entities), rng.randint(1, n_entities)
            if entity == other or (entity, other, kind) in seen:
                continue
            seen.add((entity, other, kind))
            since, until = self._dated()
            source_id = rng.randint(1, self.n.sources) if rng.random() < 0.2 else None
            rows.append((entity, other, kind, *since, *until, source_id, None, next(stamps)))
            if kind != "adversary-of":
                self.ties[entity].append(other)
                self.ties[other].append(entity)
                if kind in STAFF_TIES and self.entity_kind[entity] == "person":
                    self.staff[other].append(entity)
        self._insert(
            "affiliations",
            AFFILIATION_COLUMNS,
            rows,
        )

    # ---- sources ---------------------------------------------------------------------------------------

    def sources(self) -> None:
        rng = self.rng
        publisher_of = zipf(self.publisher_rank, 1.0, rng)
        kinds = {key: Weighted(table, rng) for key, table in SOURCE_KINDS.items()}
        language_of = Weighted(SOURCE_LANGUAGES, rng)
        persons = self.by_kind["person"]
        # Prolific writers: a Zipf draw over persons (in a random order), for authors who are not staff.
        writer = zipf(rng.sample(persons, len(persons)), 0.8, rng) if persons else None
        slugs: dict[int, str] = {}
        counters: dict[str, int] = {}
        taken: set[str] = set()
        author_rows: list[tuple[int, int, int]] = []
        stamps = self._stamps(self.n.sources)
        tail_title = self.tail.title

        def rows() -> Iterator[tuple[Any, ...]]:
            for source_id in range(1, self.n.sources + 1):
                publisher = publisher_of() if rng.random() >= 0.05 else None
                day = recent_day(rng) if rng.random() >= 0.10 else -1
                published = random_date(rng, day) if day >= 0 else NO_DATE
                self.source_publisher.append(publisher)
                self.source_day.append(day)
                self.source_date.append(published)
                if publisher is not None:
                    self.sources_by_publisher[publisher].append(source_id)
                    slug = slugs.get(publisher)
                    if slug is None:
                        slug = slugs[publisher] = "-".join(
                            normalise_name(self.entity_name[publisher]).split()[:3]
                        )
                else:
                    slug = "source"
                # Keys as claimtrack derives them: publisher slug and year, then -2, -3... on collisions.
                year = published[0][:4] if published[0] else None
                base = f"{slug}-{year}" if year else slug
                number = counters.get(base, 1)
                key = base if number == 1 else f"{base}-{number}"
                while key in taken:
                    number += 1
                    key = f"{base}-{number}"
                counters[base] = number + 1
                taken.add(key)
                kind = kinds[self.entity_kind[publisher] if publisher else None]()
                if rng.random() < 0.7:
                    url = f"https://{slug}.example/{year or 'undated'}/{source_id}"
                else:
                    url = None
                accessed = (
                    DAY[min(N_DAYS - 1, day + rng.randint(0, 90))]
                    if url and day >= 0 and rng.random() < 0.5
                    else NO_DATE
                )
                title = f"{rng.choice(TOPICS).capitalize()} in {rng.choice(PLACES)}{tail_title()}"
                yield (
                    source_id, key, title, kind, url, publisher, *published, *accessed, language_of(),
                    None, next(stamps),
                )  # fmt: skip
                # ~20% have authors: staff of the publisher when it has any, else a prolific writer.
                if writer is not None and rng.random() < 0.20:
                    staff = self.staff.get(publisher, ()) if publisher else ()
                    authors: list[int] = []
                    for _ in range(1 if rng.random() < 0.75 else 2):
                        author = rng.choice(staff) if staff and rng.random() < 0.5 else writer()
                        if author not in authors:
                            authors.append(author)
                    author_rows.extend(
                        (source_id, author, position) for position, author in enumerate(authors)
                    )

        self._insert(
            "sources",
            SOURCE_COLUMNS,
            rows(),
        )
        self._insert("source_authors", ("source_id", "entity_id", "position"), author_rows)

    # ---- measures and tags -----------------------------------------------------------------------------

    def measures_and_tags(self) -> None:
        rng = self.rng
        unit_of = Weighted(UNITS, rng)
        rows = []
        for measure_id in range(1, self.n.measures + 1):
            unit = unit_of()
            counted = rng.choice(UNIT_COUNTED[unit] if unit else COUNTED)
            year = 2000 + rng.randrange(26)
            name = f"{counted.capitalize()} in {rng.choice(PLACES)}, {year} (M{measure_id:05d})"
            self.measures.append((measure_id, counted, unit))
            rows.append((measure_id, name, normalise_name(name), None))
        self._insert("measures", ("id", "name", "normalized", "description"), rows)
        self._insert("tags", ("id", "name"), enumerate(TAGS, start=1))

    # ---- claims and their appearances ------------------------------------------------------------------

    def appearance_counts(self) -> bytearray:
        """How many appearances each claim gets: 1-5, summing to exactly the appearances asked for."""
        rng = self.rng
        n_claims, total = self.n.claims, self.n.appearances
        cap = MAX_APPEARANCES_PER_CLAIM
        if not n_claims <= total <= cap * n_claims:
            raise ValueError(f"{total:,} appearances cannot be spread 1-{cap} over {n_claims:,} claims")
        draw = Weighted(APPEARANCE_COUNTS, rng)
        counts = bytearray(draw() for _ in range(n_claims))
        # Nudge random claims up or down until the sum is exact; about sqrt(n) steps, so cheap.
        gap = total - sum(counts)
        while gap:
            i = rng.randrange(n_claims)
            if gap > 0 and counts[i] < cap:
                counts[i] += 1
                gap -= 1
            elif gap < 0 and counts[i] > 1:
                counts[i] -= 1
                gap += 1
        return counts

    def claims(self) -> None:
        """Claims with their appearances, status rows, tags and subjects, in one pass of chunks.

        One long loop on purpose: the per-row work (a few million iterations) stays in local variables.
        """
        rng = self.rng
        random_ = rng.random

        # rng.choice and rng.randrange cost ~1 us each (rejection sampling); scaling one random() is ~5x
        # cheaper, and this loop makes ~15 such draws per claim.
        def pick(seq: Sequence[Any]) -> Any:
            return seq[int(random_() * len(seq))]

        def below(n: int) -> int:
            return int(random_() * n)

        n = self.n
        counts = self.appearance_counts()
        clause, mixed, tail_random = self.tail.clause, self.tail.mixed, self.tail.random
        key_of = key_permutation(self.seed)

        # Claimants: one "prominence" ranking for everybody (governments and organisations rank higher).
        boost = {"government": 0.3, "organization": 0.5, "media": 0.8}
        prominence = ranked(range(1, n.entities + 1), lambda e: boost.get(self.entity_kind[e], 1.0), rng)
        weight = {e: 1.0 / (r + 1) ** 0.9 for r, e in enumerate(prominence)}
        claimant_any = Weighted(((e, weight[e]) for e in prominence), rng)
        # Self-sourcing: per entity, the publishers that are itself or tied to it (not by opposition).
        own_outlets: dict[int, list[int]] = {}
        for entity in prominence:
            outlets = [entity] if entity in self.sources_by_publisher else []
            outlets += [o for o in dict.fromkeys(self.ties.get(entity, ())) if o in self.sources_by_publisher]
            if outlets:
                own_outlets[entity] = outlets
        claimant_self = (
            Weighted(((e, weight[e]) for e in prominence if e in own_outlets), rng) if own_outlets else None
        )
        echo_outlets = {
            p: [o for o in dict.fromkeys(self.ties.get(p, ())) if o in self.sources_by_publisher]
            for p in self.sources_by_publisher
        }

        kind_of = Weighted(CLAIM_KINDS, rng)
        first_stance = Weighted(FIRST_STANCES, rng)
        tied_stance = Weighted(TIED_FIRST_STANCES, rng)
        later_stance = Weighted(LATER_STANCES, rng)
        link_kind = Weighted(LINK_KINDS, rng)
        quote_language = Weighted(QUOTE_LANGUAGES, rng)
        qualifier_of = Weighted(QUALIFIERS, rng)
        unit_of = Weighted(UNITS, rng)
        measure_of = zipf(range(len(self.measures)), 0.7, rng) if self.measures else None
        tag_of = zipf(range(1, len(TAGS) + 1), 0.8, rng)
        subject_of = zipf(prominence, 0.8, rng)

        # Source links: ~70% join a later source of a claim to its first one, ~10% make citation cycles among
        # a claim's sources; the rest (random pairs) are added in source_links().
        with_two = sum(1 for c in counts if c >= 2) or 1
        with_three = sum(1 for c in counts if c >= 3) or 1
        p_pair = min(1.0, 0.7 * n.source_links / with_two)
        p_cycle = min(1.0, 0.1 * n.source_links / 2.5 / with_three)  # a cycle is 2 or 3 links
        links = self.link_candidates

        source_publisher, source_day, source_date = self.source_publisher, self.source_day, self.source_date
        sources_by_publisher, n_sources = self.sources_by_publisher, n.sources
        actor = "bench"
        claim_stamps = self._stamps(n.claims)
        tables = (
            ("claims", CLAIM_COLUMNS),
            ("appearances", APPEARANCE_COLUMNS),
            ("status_changes", STATUS_CHANGE_COLUMNS),
            ("claim_tags", ("claim_id", "tag_id")),
            ("claim_subjects", ("claim_id", "entity_id")),
        )
        statements = {table: insert_sql(self.conn, table, cols) for table, cols in tables}
        started = time.perf_counter()
        appearance_id = 0
        totals = dict.fromkeys(statements, 0)
        sqlite_seconds = 0.0

        for chunk_start in range(1, n.claims + 1, CLAIMS_PER_CHUNK):
            claim_rows: list[tuple[Any, ...]] = []
            appearance_rows: list[tuple[Any, ...]] = []
            change_rows: list[tuple[Any, ...]] = []
            tag_rows: list[tuple[int, int]] = []
            subject_rows: list[tuple[int, int]] = []
            for claim_id in range(chunk_start, min(n.claims + 1, chunk_start + CLAIMS_PER_CHUNK)):
                k = counts[claim_id - 1]
                # ---- who, and the first source
                if claimant_self is not None and random_() < SELF_SOURCED_SHARE:
                    claimant = claimant_self()
                    outlets = own_outlets[claimant]
                    outlet = (
                        claimant
                        if outlets[0] == claimant and (len(outlets) == 1 or random_() < 0.6)
                        else pick(outlets)
                    )
                    group = sources_by_publisher[outlet]
                    first = group[below(len(group))]
                    stance = "asserts" if outlet == claimant else tied_stance()
                    self.self_sourced += 1
                else:
                    claimant = claimant_any()
                    first = below(n_sources) + 1
                    stance = first_stance()
                sources = [first]
                stances = [stance]
                # ---- later appearances: other sources, sometimes an outlet tied to the first one's publisher
                first_publisher = source_publisher[first]
                echoes = echo_outlets.get(first_publisher, ()) if first_publisher is not None else ()
                for _ in range(k - 1):
                    for _attempt in range(10):  # distinct sources per claim, as far as there are enough
                        if echoes and random_() < ECHO_SHARE:
                            group = sources_by_publisher[pick(echoes)]
                            candidate = group[below(len(group))]
                        else:
                            candidate = below(n_sources) + 1
                        if candidate not in sources:
                            break
                    sources.append(candidate)
                    stances.append(later_stance())
                # ---- dates: said on the first source's date mostly; events before that
                first_day = source_day[first]
                r = random_()
                if r < 0.15:
                    said: Any = NO_DATE
                    said_day = -1
                elif r < 0.80 and first_day >= 0:
                    said, said_day = source_date[first], first_day
                else:
                    said_day = recent_day(rng)
                    said = random_date(rng, said_day)
                kind = kind_of()
                if kind == "event" or random_() < 0.10:
                    anchor_day = said_day if said_day >= 0 else recent_day(rng)
                    event_day = max(0, anchor_day - int(365 * random_() ** 2))
                    r = random_()
                    if r < 0.60:
                        event: Any = DAY[event_day]
                    elif r < 0.80:
                        event = MONTH[event_day]
                    elif r < 0.95:
                        event = YEAR[event_day]
                    else:  # a span of months: "2019-06/2019-08"
                        end_day = min(N_DAYS - 1, event_day + 31 + below(120))
                        event = (
                            f"{MONTH[event_day][0]}/{MONTH[end_day][0]}",
                            MONTH[event_day][1],
                            MONTH[end_day][2],
                        )
                else:
                    event = NO_DATE
                # ---- what was claimed
                place = pick(PLACES)
                quote = quote_lang = translation = None
                value = low = high = unit = counted = qualifier = measure_id = None
                if kind == "figure":
                    if measure_of is not None and random_() < 0.6:
                        measure_id, counted, unit = self.measures[measure_of()]
                    else:
                        unit = unit_of()
                        counted = pick(UNIT_COUNTED[unit] if unit else COUNTED)
                    number = float(round(math.exp(random_() * 13.5)))
                    if unit == "%":
                        number = round(random_() * 100, 1)
                    elif unit == "USD":
                        number *= 1000
                    if random_() < 0.7:
                        value = low = high = number
                    else:
                        low, high = number, float(round(number * (1.1 + 2 * random_())))
                    qualifier = qualifier_of()
                    shown = f"{value:,.0f}" if value is not None else f"{low:,.0f}-{high:,.0f}"
                    text = f"{shown}{'' if unit in (None, '%') else ' '}{unit or ''} {counted} in {place}"
                    if tail_random() < 0.5:
                        text += clause()
                elif kind == "quote":
                    quote_lang = quote_language()
                    words = QUOTE_WORDS[quote_lang]
                    if quote_lang == "en":
                        quote = " ".join(mixed(pick(words)) for _ in range(6 + below(14))).capitalize() + "."
                    else:
                        quote = " ".join(pick(words) for _ in range(6 + below(14))).capitalize() + "."
                        translation = (
                            " ".join(mixed(pick(QUOTE_WORDS["en"])) for _ in range(8)).capitalize() + "."
                        )
                    text = f"On {pick(TOPICS)}: {translation or quote}"
                elif kind == "event":
                    text = f"{pick(ACTORS).capitalize()} {pick(ACTIONS)} {place}{clause()}"
                else:
                    text = f"{pick(ACTORS).capitalize()} {pick(ACTIONS)} {place} during {pick(TOPICS)}"
                    if tail_random() < 0.8:
                        text += clause()
                stamp = next(claim_stamps)
                row = (
                    claim_id, key_of(claim_id), kind, text, claimant, *said, *event, quote, quote_lang,
                    translation, value, low, high, unit, counted, qualifier, measure_id, "unverified", None,
                    stamp, stamp,
                )  # fmt: skip
                claim_rows.append(row)
                change_rows.append((claim_id, None, "unverified", "logged", actor, stamp))
                for index, (source_id, stance) in enumerate(zip(sources, stances, strict=True)):
                    appearance_id += 1
                    # A later appearance that took the claim from the first source (no random draw: the
                    # rest of the ledger stays as it was).
                    via = sources[0] if index and (appearance_id * 2654435761) % 100 < VIA_SHARE else None
                    r = random_()
                    passage = (quote or text) if r < 0.15 else None
                    locator = f"p. {1 + below(40)}" if r > 0.80 else None
                    appearance_rows.append(
                        (
                            appearance_id,
                            claim_id,
                            source_id,
                            stance,
                            passage,
                            locator,
                            stamp,
                            via,
                        )
                    )
                # ---- links between this claim's sources: copies of the first, and circular reporting
                if k >= 2 and random_() < p_pair:
                    links[(sources[1], sources[0], link_kind())] = None
                if k >= 3 and random_() < p_cycle:
                    a, b, c = sources[0], sources[1], sources[2]
                    if random_() < 0.5:  # two outlets each citing the other as their source
                        links[(b, c, "cites")] = None
                        links[(c, b, "cites")] = None
                    else:
                        links[(a, b, "cites")] = None
                        links[(b, c, "cites")] = None
                        links[(c, a, "cites")] = None
                # ---- tags and subjects, for some
                if random_() < 0.15:
                    tag_rows.extend((claim_id, t) for t in {tag_of() for _ in range(1 + (random_() < 0.3))})
                if random_() < 0.35:
                    subject_rows.extend(
                        (claim_id, s)
                        for s in {subject_of() for _ in range(1 + (random_() < 0.3))}
                        if s != claimant
                    )
            # One transaction per chunk of claims with everything that hangs off them. (Writing on a second
            # thread while this one draws the next chunk was tried: sqlite3 holds the GIL while it binds
            # parameters, and nothing was gained.)
            writing = time.perf_counter()
            self.conn.execute("BEGIN")
            for table, rows in (
                ("claims", claim_rows),
                ("appearances", appearance_rows),
                ("status_changes", change_rows),
                ("claim_tags", tag_rows),
                ("claim_subjects", subject_rows),
            ):
                self.conn.executemany(statements[table], rows)
                totals[table] += len(rows)
            self.conn.execute("COMMIT")
            sqlite_seconds += time.perf_counter() - writing
        for table, count in totals.items():
            self.written[table] = count
        if self.log is not None:
            seconds = time.perf_counter() - started
            total = sum(totals.values())
            print(
                f"  claims & co      {total:>12,} rows in {seconds:5.1f} s ({total / seconds:,.0f} rows/s; "
                f"{sqlite_seconds:.1f} s of it in SQLite): "
                + ", ".join(f"{table} {count:,}" for table, count in totals.items()),
                file=self.log,
            )

    # ---- source links and claim relations --------------------------------------------------------------

    def source_links(self) -> None:
        rng = self.rng
        target = self.n.source_links
        link_kind = Weighted(LINK_KINDS, rng)
        links = list(self.link_candidates)[:target]
        seen = set(links)
        while len(links) < target:  # random pairs make up the rest
            source, other = rng.randint(1, self.n.sources), rng.randint(1, self.n.sources)
            link = (source, other, link_kind())
            if source != other and link not in seen:
                seen.add(link)
                links.append(link)
        stamps = self._stamps(len(links))
        self._insert(
            "source_links",
            ("id", "source_id", "other_id", "kind", "note", "created_at"),
            ((i, s, o, kind, None, next(stamps)) for i, (s, o, kind) in enumerate(links, start=1)),
        )

    def claim_relations(self) -> None:
        rng = self.rng
        kind_of = Weighted(RELATION_KINDS, rng)
        seen: set[tuple[int, int, str]] = set()
        rows: list[tuple[Any, ...]] = []
        stamps = self._stamps(self.n.claim_relations)
        while len(rows) < self.n.claim_relations:
            claim, other = rng.randint(1, self.n.claims), rng.randint(1, self.n.claims)
            relation = (claim, other, kind_of())
            if claim == other or relation in seen:
                continue
            seen.add(relation)
            rows.append((len(rows) + 1, *relation, None, next(stamps)))
        self._insert("claim_relations", ("id", "claim_id", "other_id", "kind", "note", "created_at"), rows)

    def run(self) -> None:
        self.entities()
        self.affiliations()
        self.sources()
        self.measures_and_tags()
        self.claims()
        self.source_links()
        self.claim_relations()
        self.provenance()

    def provenance(self) -> None:
        """Vias on ~VIA_SHARE% of later appearances (from the claim's first source) and found copies for
        ~COPY_SHARE% of sources (of an earlier source), picked by a hash of the id so that the random draws
        of everything else stay as they were."""
        started = time.perf_counter()
        self.conn.execute(
            "INSERT INTO source_copies (source_id, other_id, overlap, runs, found_at) "
            "SELECT id, 1 + (id * 7919) % (id - 1), 0.95, '[]', '2024-01-01 00:00:00' FROM sources "
            f"WHERE id > 1 AND (id * 40503) % 100 < {COPY_SHARE}"
        )
        copies = self.conn.execute("SELECT count(*) FROM source_copies").fetchone()[0]
        self._note("source_copies", copies, started)


def generate(
    path: str | Path,
    scale: float = 1.0,
    seed: int = 0,
    *,
    force: bool = False,
    log: TextIO | None = sys.stderr,
) -> Report:
    """Create the database at ``path`` and fill it; returns what was written and how long each phase took.

    Refuses to overwrite an existing file unless ``force``. On any failure the half-made file is removed.
    """
    path = Path(path)
    counts = Counts.for_scale(scale)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    report = Report(path)
    if log is not None:
        print(f"generating {path} at scale {scale} (seed {seed}) ...", file=log)
    try:
        started = time.perf_counter()
        create_schema(path)
        report.phases["schema"] = time.perf_counter() - started

        started = time.perf_counter()
        # Autocommit mode: every transaction below is an explicit BEGIN ... COMMIT.
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            # Bulk-load settings, for this connection only. Foreign keys are checked once, at the end, rather
            # than per row; the rollback journal is kept in memory (a crash leaves a file we delete anyway).
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA cache_size = -{CACHE_MIB * 1024}")
            conn.execute("PRAGMA temp_store = MEMORY")
            schema = schema_snapshot(conn)
            indexes = drop_indexes(conn)
            # The search index's triggers too: the index is filled once at the end, from all the rows.
            triggers = drop_triggers(conn)
            generator = Generator(conn, counts, seed, log)
            generator.run()
            report.counts = dict(generator.written)
            report.self_sourced = generator.self_sourced
            report.phases["load"] = time.perf_counter() - started

            started = time.perf_counter()
            restore_indexes(conn, indexes)
            restore_indexes(conn, triggers)
            conn.execute("BEGIN")
            for statement in search.fill_statements("sqlite"):
                conn.execute(statement)
            conn.execute("COMMIT")
            if schema_snapshot(conn) != schema:
                raise RuntimeError("the schema differs from what the migrations made")
            report.phases["indexes"] = time.perf_counter() - started

            started = time.perf_counter()
            # Leave the file as claimtrack expects it: WAL, durable writes, every reference valid.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            problems = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
            if problems:
                raise RuntimeError(f"dangling references after the load, e.g. {problems}")
            report.phases["foreign key check"] = time.perf_counter() - started

            started = time.perf_counter()
            conn.execute("ANALYZE")
            conn.execute(f"PRAGMA user_version = {GENERATOR_VERSION}")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            report.phases["analyze"] = time.perf_counter() - started
        finally:
            conn.close()
    except BaseException:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    if log is not None:
        print(report.describe(), file=log)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="the SQLite file to create")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 1M claims, 2.5M appearances (default)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="replace PATH if it exists")
    args = parser.parse_args(argv)
    try:
        generate(args.path, args.scale, args.seed, force=args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
