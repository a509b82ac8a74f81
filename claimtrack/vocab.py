"""The controlled vocabularies of the ledger.

Kept free of SQLAlchemy so that the command line can build its help from them without loading the database
layer. Values are what is stored in the database and typed on the command line; they never change once
released (add new ones instead).
"""

from __future__ import annotations

from enum import StrEnum


class EntityKind(StrEnum):
    person = "person"
    organization = "organization"
    government = "government"
    media = "media"
    # A claimant the source does not name: "three interior ministry officials", "a senior commander".
    unnamed = "unnamed"
    other = "other"


class AffiliationKind(StrEnum):
    """How one entity is tied to another; read as "ENTITY <kind> OTHER"."""

    member_of = "member-of"
    part_of = "part-of"
    leads = "leads"
    speaks_for = "speaks-for"
    controlled_by = "controlled-by"
    funded_by = "funded-by"
    employed_by = "employed-by"
    allied_with = "allied-with"
    state_media_of = "state-media-of"
    # Recorded because researchers need it, but opposition never makes two parties one origin.
    adversary_of = "adversary-of"


class SourceKind(StrEnum):
    article = "article"
    press_release = "press-release"
    statement = "statement"
    transcript = "transcript"
    report = "report"
    social_post = "social-post"
    video = "video"
    dataset = "dataset"
    book = "book"
    interview = "interview"
    other = "other"


class SourceLinkKind(StrEnum):
    """How one source depends on another; read as "SOURCE <kind> OTHER"."""

    republishes = "republishes"
    cites = "cites"
    derived_from = "derived-from"
    translates = "translates"
    # Not a dependency: the researcher says two sources whose texts overlap are independent reports.
    distinct = "distinct"


class ClaimKind(StrEnum):
    quote = "quote"
    figure = "figure"
    event = "event"
    statement = "statement"


class Stance(StrEnum):
    """What a source does with a claim."""

    asserts = "asserts"  # the claimant's own statement
    reports = "reports"  # relays that the claimant said it
    supports = "supports"  # corroborates it on its own account
    disputes = "disputes"
    refutes = "refutes"


BACKING_STANCES = frozenset({Stance.asserts, Stance.reports, Stance.supports})


class RelationKind(StrEnum):
    """How one claim bears on another; read as "CLAIM <kind> OTHER"."""

    denies = "denies"
    rebuts = "rebuts"
    contradicts = "contradicts"
    corrects = "corrects"
    retracts = "retracts"
    supports = "supports"
    same_as = "same-as"


# How a relation reads from the other end, for "relations both ways".
RELATION_INVERSE = {
    RelationKind.denies: "denied by",
    RelationKind.rebuts: "rebutted by",
    RelationKind.contradicts: "contradicted by",
    RelationKind.corrects: "corrected by",
    RelationKind.retracts: "retracted by",
    RelationKind.supports: "supported by",
    RelationKind.same_as: "same as",
}

# The relations a counter-statement can have to the claim it answers.
COUNTER_KINDS = frozenset(
    {
        RelationKind.denies,
        RelationKind.rebuts,
        RelationKind.contradicts,
        RelationKind.corrects,
        RelationKind.retracts,
    }
)


class Status(StrEnum):
    unverified = "unverified"
    corroborated = "corroborated"
    disputed = "disputed"
    refuted = "refuted"
    retracted = "retracted"
    superseded = "superseded"


class Qualifier(StrEnum):
    """How a figure was hedged in the source ("about 3,000", "more than 30,000")."""

    exact = "exact"
    about = "about"
    at_least = "at-least"
    more_than = "more-than"
    fewer_than = "fewer-than"
    at_most = "at-most"
    up_to = "up-to"
    some = "some"
    nearly = "nearly"
    as_few_as = "as-few-as"
    could_be = "could-be"
    reportedly = "reportedly"
    dozens_of = "dozens-of"
    scores_of = "scores-of"
    hundreds_of = "hundreds-of"
    thousands_of = "thousands-of"
    tens_of_thousands_of = "tens-of-thousands-of"
    hundreds_of_thousands_of = "hundreds-of-thousands-of"
    millions_of = "millions-of"


# What each qualifier says about the number N it hedges, in the words of the help and the README.
QUALIFIER_MEANING = {
    Qualifier.exact: "exactly N",
    Qualifier.about: "approximately N, either side",
    Qualifier.at_least: "N or more",
    Qualifier.more_than: "more than N",
    Qualifier.fewer_than: "fewer than N",
    Qualifier.at_most: "N or fewer",
    Qualifier.up_to: "N or fewer, N the highest said",
    Qualifier.some: "approximately N",
    Qualifier.nearly: "a little under N",
    Qualifier.as_few_as: "N or more, N the lowest said",
    Qualifier.could_be: "possibly N: a possibility raised, not a count",
    Qualifier.reportedly: "N as reported, not confirmed by whoever gives it",
    Qualifier.dozens_of: "several dozen: a range such as 24-99",
    Qualifier.scores_of: "several score: a range such as 40-199",
    Qualifier.hundreds_of: "hundreds: a range such as 100-999",
    Qualifier.thousands_of: "thousands: a range such as 1,000-9,999",
    Qualifier.tens_of_thousands_of: "tens of thousands: a range such as 10,000-99,999",
    Qualifier.hundreds_of_thousands_of: "hundreds of thousands: a range such as 100,000-999,999",
    Qualifier.millions_of: "millions: a range from 1,000,000",
}

# Hedges as journalists write them, each read as the qualifier that means the same; accepted by --qualifier
# beside the qualifiers' own names ("as many as 300" is stored as up-to 300).
HEDGES = {
    "could be": Qualifier.could_be,
    "as many as": Qualifier.up_to,
    "as few as": Qualifier.as_few_as,
    "an estimated": Qualifier.about,
    "estimated": Qualifier.about,
    "reportedly": Qualifier.reportedly,
    "over": Qualifier.more_than,
    "almost": Qualifier.nearly,
    "roughly": Qualifier.about,
    "approximately": Qualifier.about,
    "around": Qualifier.about,
    "no fewer than": Qualifier.at_least,
    "no more than": Qualifier.at_most,
    "dozens of": Qualifier.dozens_of,
    "scores of": Qualifier.scores_of,
}


class Grade(StrEnum):
    """Admiralty source reliability: A completely reliable ... E unreliable, F cannot be judged."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


GRADE_MEANING = {
    Grade.A: "completely reliable",
    Grade.B: "usually reliable",
    Grade.C: "fairly reliable",
    Grade.D: "not usually reliable",
    Grade.E: "unreliable",
    Grade.F: "reliability cannot be judged",
}
