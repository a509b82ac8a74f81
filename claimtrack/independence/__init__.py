"""Independence: which claims lack independent sources, and why (docs/DESIGN.md, "The independence rule").

The rule is per appearance and directed: each backing appearance is followed upstream (its via, whole-document
copies, copies claimtrack found) to its root; roots are judged by their own interest sets and grouped into
origins; the origin holding the claimant is its own. The package:

- :mod:`.rule` — the rule itself: the graphs between sources and :meth:`Rule.group`, the one grouping function;
- :mod:`.ties` — the tie graph and interest sets;
- :mod:`.checker` — verdicts read from the ledger, streamed by claim;
- :mod:`.sweep` — the full check's counts, on two processes for a large ledger;
- :mod:`.reasons` — the verdicts in words;
- :mod:`.report` — the check for the command line and reports, with credibility and conflicts.

It imports nothing from the command line.
"""

from __future__ import annotations

from .checker import Checker, Verdict
from .reasons import CREDIBILITY, Explainer
from .report import CheckReport, check, conflicts, describe, lacking_ids, sourcing
from .rows import stream_rows
from .rule import (
    BACKING,
    DEFAULT_THRESHOLD,
    MAX_THRESHOLD,
    THRESHOLD_SETTING,
    Grouping,
    Rule,
    SourceGraph,
    check_threshold,
    stored_threshold,
)
from .sweep import PARALLEL_FROM, CheckSummary, IndependentCounts, check_all, counts
from .ties import Interest, Tie, TieGraph, load_ties

__all__ = [
    "BACKING",
    "CREDIBILITY",
    "DEFAULT_THRESHOLD",
    "MAX_THRESHOLD",
    "PARALLEL_FROM",
    "THRESHOLD_SETTING",
    "CheckReport",
    "CheckSummary",
    "Checker",
    "Explainer",
    "Grouping",
    "IndependentCounts",
    "Interest",
    "Rule",
    "SourceGraph",
    "Tie",
    "TieGraph",
    "Verdict",
    "check",
    "check_all",
    "check_threshold",
    "conflicts",
    "counts",
    "describe",
    "lacking_ids",
    "load_ties",
    "sourcing",
    "stored_threshold",
    "stream_rows",
]
