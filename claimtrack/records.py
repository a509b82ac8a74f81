"""The records that cross modules: what the domain hands the command line, the reports and the exports.

Each is a ``TypedDict``: a plain dict at run time (so ``json.dumps`` writes it as before, keys in the order the
producer puts them), and to mypy a shape whose key names and value types are checked wherever one is built or
read. A key marked ``NotRequired`` is present only sometimes (``attribution`` for quotes, ``url`` once a
report adds it). This module imports nothing of claimtrack's: any layer may use it.

No ``from __future__ import annotations`` here: with it, Python 3.11 reads every key as required
(``__optional_keys__`` stays empty), and tests/test_records.py reads the keys to hold the outputs to them.
"""

from typing import Any, NotRequired, TypedDict

# ---- claims --------------------------------------------------------------------------------------------


class DateRecord(TypedDict):
    """A stored date as the researcher reads it, with its precision and bounds (ISO dates)."""

    edtf: str
    display: str
    precision: str
    earliest: str | None
    latest: str | None


class ClaimRow(TypedDict):
    """One claim in a listing (`claim list`)."""

    key: str
    kind: str
    claimant: str
    text: str
    figure: str | None
    date: str | None
    status: str
    sources: int


class QuoteRecord(TypedDict):
    words: str | None
    language: str | None
    translation: str | None


class FigureRecord(TypedDict):
    text: str | None
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    counted: str | None
    qualifier: str | None
    measure: str | None


class AnchorRecord(TypedDict):
    """Where a passage was found in its source's stored text."""

    status: str
    start: int | None
    end: int | None
    prefix: str | None
    suffix: str | None


class WithdrawnRecord(TypedDict):
    at: str
    reason: str | None


class AppearanceRecord(TypedDict):
    """A claim's appearance in a source, as a claim record shows it."""

    source: str
    title: str | None
    publisher: str | None
    published: str | None
    stance: str
    passage: str | None
    locator: str | None
    via: str | None
    anchor: AnchorRecord | None
    note: str | None
    withdrawn: WithdrawnRecord | None
    # Added by the report: the source's web address, or None.
    url: NotRequired[str | None]


class RelatedClaim(TypedDict):
    key: str
    claimant: str
    text: str


class RelationRecord(TypedDict):
    """A relation read from one claim's side: "outgoing" (this claim denies ...) or "incoming" (denied by)."""

    direction: str
    kind: str
    claim: RelatedClaim


# "from" is a Python keyword: this one is declared the functional way.
StatusChangeRecord = TypedDict(
    "StatusChangeRecord", {"from": str | None, "to": str, "reason": str, "by": str, "at": str}
)


class OtherFigure(TypedDict):
    """Another figure for the same measure, as the report lists it beside a figure."""

    key: str
    claimant: str
    figure: str | None


# ---- verdicts ------------------------------------------------------------------------------------------


class OriginSource(TypedDict):
    key: str
    publisher: str | None
    root: str
    reason: str


class OriginRecord(TypedDict):
    """One independent origin: its roots and the sources that go back to it."""

    claimant: bool
    roots: list[str]
    sources: list[OriginSource]


class NotCountedRecord(TypedDict):
    key: str
    publisher: str | None
    root: str | None
    reason: str


class PublisherGrade(TypedDict):
    name: str
    reliability: str | None


class CredibilityRecord(TypedDict):
    """Information credibility on the Admiralty scale (1 confirmed ... 6 cannot be judged)."""

    rating: int
    meaning: str
    why: str


class AttributionRecord(TypedDict):
    primary_record: bool
    primary_sources: list[str]
    independent_origins: int
    note: str


class SourcingRecord(TypedDict):
    """A claim's verdict, origins, reasons and credibility: what `claim show` adds to a claim."""

    independent_origins: int
    threshold: int
    lacking: bool
    origins: list[OriginRecord]
    not_counted: list[NotCountedRecord]
    reasons: list[str]
    credibility: CredibilityRecord
    publishers: list[PublisherGrade]
    # Quotes only.
    attribution: NotRequired[AttributionRecord]
    # Claims whose claimant is unnamed ("three officials"): how the claimant is described.
    claimant_unnamed: NotRequired[str]


class ClaimHead(TypedDict):
    """Which claim a verdict is about."""

    key: str
    kind: str
    claimant: str
    text: str


class VerdictRecord(ClaimHead, SourcingRecord):
    """One claim's verdict as data: what `check --json` prints for each claim."""


class ClaimRecord(TypedDict):
    """Everything about one claim: what `claim show --json` prints and each claim of a report."""

    key: str
    kind: str
    text: str
    claimant: str
    said_on: DateRecord | None
    when: DateRecord | None
    about: list[str]
    tags: list[str]
    status: str
    notes: str | None
    quote: QuoteRecord | None
    figure: FigureRecord | None
    appearances: list[AppearanceRecord]
    relations: list[RelationRecord]
    status_history: list[StatusChangeRecord]
    # Unless the caller computes the verdicts in bulk (`claim show` has it; a report adds it).
    sourcing: NotRequired[SourcingRecord]
    # In a report, for a figure with a measure: the other figures for it (the first few) and how many.
    other_figures: NotRequired[list[OtherFigure]]
    other_figures_total: NotRequired[int]
    # Printed after logging (`claim add --json`, `claim counter --json`): what logging warned of.
    warnings: NotRequired[list[str]]


# ---- sources -------------------------------------------------------------------------------------------


class SourceSummary(TypedDict):
    key: str
    title: str | None
    kind: str
    publisher: str | None
    authors: list[str]
    published: str | None
    url: str | None
    has_text: bool


class SourceRow(SourceSummary):
    """One source in a listing (`source list`), with how many claims appear in it."""

    claims: int


class SourceLinkRecord(TypedDict):
    source: str
    kind: str
    other: str
    note: str | None


class SourceAppearance(TypedDict):
    """A claim's appearance, as a source record shows it."""

    claim: str
    stance: str
    passage: str | None
    locator: str | None
    withdrawn: str | None


class SimilarPair(TypedDict):
    """A pair of sources whose stored texts share passages (`source similar`), largest overlap first."""

    source: str
    repeats: str
    overlap: float
    percent: int
    copy: bool
    runs: int
    distinct: bool


class Party(TypedDict):
    """An author or publisher, as a citation names it."""

    name: str
    kind: str


class CitedSource(TypedDict):
    """What a citation needs of a source: what the CSL-JSON and BibTeX exports are made from."""

    key: str
    title: str | None
    kind: str
    publisher: Party | None
    authors: list[Party]
    published: str | None
    accessed: str | None
    url: str | None
    language: str | None


class SourceRecord(SourceSummary):
    """Everything about one source except its text: what `source show --json` prints."""

    accessed: str | None
    language: str | None
    sha256: str | None
    characters: int | None
    notes: str | None
    links: list[SourceLinkRecord]
    appearances: list[SourceAppearance]


# ---- entities ------------------------------------------------------------------------------------------


class EntityRow(TypedDict):
    """One entity in a listing (`entity list`)."""

    name: str
    kind: str
    aliases: list[str]
    reliability: str | None
    claims: int


class AffiliationRecord(TypedDict):
    entity: str
    kind: str
    other: str
    since: str | None
    until: str | None
    source: str | None
    note: str | None


class EntityRecord(TypedDict):
    """Everything about one entity: what `entity show --json` prints."""

    name: str
    kind: str
    aliases: list[str]
    count: int | None
    description: str | None
    reliability: str | None
    reliability_meaning: str | None
    reliability_note: str | None
    affiliations: list[AffiliationRecord]
    claims: int
    sources_published: list[str]


# ---- reports -------------------------------------------------------------------------------------------


class LedgerState(TypedDict):
    """Which state of the ledger an export or a report was made from: the history's head and its origin."""

    change: int
    head: str
    origin: str | None


class PublisherBacking(TypedDict):
    name: str
    backing: int


class ReportSummary(TypedDict):
    claims: int
    checked: int
    lacking: int
    threshold: int
    by_kind: dict[str, int]
    by_status: dict[str, int]
    publishers: list[PublisherBacking]
    ledger: LedgerState


class ReportData(TypedDict):
    """A sourcing report's data (`report --format json`), which the Markdown, HTML and CSV renderers read."""

    summary: ReportSummary
    claims: list[ClaimRecord]


# ---- figures, timeline, search -------------------------------------------------------------------------


class MeasureRow(TypedDict):
    """One measure in `figures` (no measure named): how many figures, from how many claimants, how far apart."""

    measure: str
    figures: int
    claimants: int
    lowest: float | None
    highest: float | None
    spread: float | None
    wide: bool


class RevisionStep(TypedDict):
    """One figure in a claimant's series for a measure, in the order said."""

    key: str
    figure: str
    said_on: str | None


class Revision(TypedDict):
    """A figure's place among the figures its claimant gave for the same measure."""

    revision: int
    revisions: list[RevisionStep]
    revisions_text: str | None


class FigureRow(Revision):
    """One figure for a measure, as `figures MEASURE` lists it."""

    key: str
    figure: str | None
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    counted: str | None
    claimant: str
    date: str | None
    said_on: str | None
    when: str | None
    status: str
    sources: int
    independent_origins: int


class FiguresRecord(TypedDict):
    """Every figure for one measure, lowest first: what `figures MEASURE --json` prints."""

    measure: str
    spread: float | None
    wide: bool
    figures: list[FigureRow]


class TimelineRow(TypedDict):
    """One dated claim in `timeline`."""

    date: str
    edtf: str
    precision: str
    dated: str
    key: str
    kind: str
    claimant: str
    text: str
    figure: str | None
    status: str


class SearchHit(TypedDict):
    """One match of `search`: a claim, a passage (an appearance) or a source, with a snippet and a score."""

    kind: str
    claim: str | None
    source: str | None
    claimant: str | None
    snippet: str
    score: float | None


# ---- the history ---------------------------------------------------------------------------------------


class FieldChange(TypedDict):
    """One field of a change, references named ("claimant", not "claimant_id"); its values are a column's."""

    field: str
    before: Any
    after: Any


class ChangeRow(TypedDict):
    """One entry of `log`: a change, or a correction made of several (``parts``)."""

    id: int
    at: str
    actor: str
    display_name: str | None
    action: str
    record: str | None
    reason: str | None
    # The row's values before and after, as the history stored them: the columns of whichever table, so an
    # open shape.
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: list[FieldChange]
    parts: "list[ChangeRow]"
    # `log` without --json: the change in words, for the table.
    change: NotRequired[str]


class ImportedChangeRow(TypedDict):
    """One change of an imported history (`log --imported`), named as the other ledger named it."""

    at: str
    actor: str
    display_name: str | None
    action: str
    record: str | None
    reason: str | None
    origin: str
    position: int
    imported_by: int
    # `log --imported` without --json: who, and which ledger, for the table.
    who: NotRequired[str]
    ledger: NotRequired[str]


class ChainBreak(TypedDict):
    """Where a hash chain stops holding: the change's position in the chain, its id, and what is wrong."""

    position: int
    id: int
    problem: str


class ImportedHistory(TypedDict):
    origin: str
    changes: int
    holds: bool
    problem: str | None


class SourceProblem(TypedDict):
    """A source whose stored text or original file is not what was stored or recorded."""

    source: str
    what: str
    problem: str


class PinnedHead(TypedDict):
    """A head published earlier, and the change that has it (None when none has)."""

    head: str
    change: int | None


class LedgerCheckRecord(TypedDict):
    """What `log verify --json` prints."""

    holds: bool
    changes: int
    head: str
    first_break: ChainBreak | None
    imported: list[ImportedHistory]
    sources_checked: int
    sources: list[SourceProblem]
    pinned: PinnedHead | None
