"""Sourcing reports: a summary, then every selected claim with its words, dates, status, credibility,
appearances, origins and reasons, relations both ways, and the other figures for the same measure.

:func:`build` gathers the data; the renderers (:func:`markdown`, :func:`csv_rows`) take that data, not a
session. Everything quoted from the ledger is the sources' text, not ours: the renderers escape it so it is
shown, never interpreted (Markdown and HTML markup, spreadsheet formulas).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .claims import claim_record, figure_text
from .filters import ClaimFilter
from .independence import check
from .models import Claim


def build(
    session: Session,
    claim_filter: ClaimFilter | None = None,
    *,
    claim_ids: Sequence[int] | None = None,
    lacking_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """The report's data for the selected claims (all when nothing selects). ``progress`` is told
    ("reporting", done, total) as the claims are gathered."""
    verdicts = check(session, claim_filter, claim_ids=claim_ids, include_all=not lacking_only)
    by_key = {record["key"]: record for record in verdicts.claims}
    claims = list(session.scalars(select(Claim).where(Claim.key.in_(list(by_key))).order_by(Claim.id)))
    records = []
    for done, claim in enumerate(claims):
        if progress is not None and done % 100 == 0:
            progress("reporting", done, len(claims))
        record = claim_record(session, claim, with_sourcing=False)
        sourcing = by_key[claim.key]
        record["sourcing"] = {
            k: v for k, v in sourcing.items() if k not in ("key", "kind", "claimant", "text")
        }
        if claim.measure_id is not None:
            others = session.scalars(
                select(Claim)
                .where(Claim.measure_id == claim.measure_id, Claim.id != claim.id)
                .order_by(Claim.figure_low)
            )
            record["other_figures"] = [
                {"key": other.key, "claimant": other.claimant.name, "figure": figure_text(other)}
                for other in others
            ]
        records.append(record)
    if progress is not None:
        progress("reporting", len(claims), len(claims))
    # Which publishers carry the weight: how many backing appearances of the selected claims each publishes.
    publishers: Counter[str] = Counter()
    for record in records:
        for appearance in record["appearances"]:
            if appearance["stance"] in ("asserts", "reports", "supports") and appearance["publisher"]:
                publishers[appearance["publisher"]] += 1
    return {
        "summary": {
            "claims": len(records),
            "checked": verdicts.checked,
            "lacking": verdicts.lacking,
            "threshold": verdicts.threshold,
            "by_kind": dict(sorted(Counter(r["kind"] for r in records).items())),
            "by_status": dict(sorted(Counter(r["status"] for r in records).items())),
            "publishers": [{"name": name, "backing": count} for name, count in publishers.most_common(10)],
        },
        "claims": records,
    }


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def md(value: Any) -> str:
    """Text from the ledger, made inert in Markdown: markup characters escaped, HTML tags shown as text."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split("\n"))


def markdown(report: dict[str, Any]) -> str:
    summary = report["summary"]
    lines = [
        "# Sourcing report",
        "",
        f"{summary['claims']} claims; {summary['lacking']} of {summary['checked']} checked lack independent "
        f"sources (at least {summary['threshold']} independent origins required).",
        "",
        "| kind | claims |",
        "|---|---|",
        *(f"| {md(kind)} | {count} |" for kind, count in summary["by_kind"].items()),
        "",
        "| status | claims |",
        "|---|---|",
        *(f"| {md(status)} | {count} |" for status, count in summary["by_status"].items()),
        "",
    ]
    if summary["publishers"]:
        lines += ["Publishers carrying most of the weight (backing appearances):", ""]
        lines += [f"- {md(p['name'])}: {p['backing']}" for p in summary["publishers"]]
        lines.append("")
    for record in report["claims"]:
        sourcing = record["sourcing"]
        credibility = sourcing["credibility"]
        lines += [f"## {md(record['key'])}: {md(record['text'])}", ""]
        lines.append(f"- **By:** {md(record['claimant'])} ({md(record['kind'])})")
        for label, key in (("Said on", "said_on"), ("When", "when")):
            if record[key]:
                lines.append(f"- **{label}:** {md(record[key]['display'])} ({md(record[key]['precision'])})")
        if record["quote"]:
            lines.append(f"- **Words:** “{md(record['quote']['words'])}”")
        if record["figure"]:
            lines.append(
                f"- **Figure:** {md(record['figure']['text'])}; measure: {md(record['figure']['measure'])}"
            )
        last = record["status_history"][-1]
        lines.append(f"- **Status:** {md(record['status'])} — {md(last['reason'])}")
        verdict = "lacks independent sources" if sourcing["lacking"] else "has enough independent sources"
        lines.append(
            f"- **Sourcing:** {sourcing['independent_origins']} independent origin(s) of {len(sourcing['origins'])}; "
            f"{verdict}; credibility {credibility['rating']} ({md(credibility['meaning'])})"
        )
        lines += ["", "| source | publisher | stance | passage | where |", "|---|---|---|---|---|"]
        for appearance in record["appearances"]:
            lines.append(
                f"| {md(appearance['source'])} | {md(appearance['publisher'])} | {md(appearance['stance'])} | "
                f"{md(appearance['passage'])} | {md(appearance['locator'])} |"
            )
        lines += ["", "Reasons:", "", *(f"- {md(reason)}" for reason in sourcing["reasons"]), ""]
        if record["relations"]:
            lines += ["Relations:", ""]
            lines += [
                f"- {md(r['kind'])} {md(r['claim']['key'])} ({md(r['claim']['claimant'])}): {md(r['claim']['text'])}"
                for r in record["relations"]
            ]
            lines.append("")
        if record.get("other_figures"):
            lines += ["Other figures for the same measure:", ""]
            lines += [
                f"- {md(o['figure'])} — {md(o['claimant'])} ({md(o['key'])})" for o in record["other_figures"]
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ (or a tab/return) is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_COLUMNS = [
    "claim", "kind", "claimant", "text", "said_on", "when", "status", "figure", "independent_origins", "lacking",
    "credibility", "source", "publisher", "stance", "passage", "locator",
]  # fmt: skip


def csv_text(report: dict[str, Any]) -> str:
    """One row per claim and appearance (a claim without appearances gets one row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in report["claims"]:
        sourcing = record["sourcing"]
        base = [
            record["key"], record["kind"], record["claimant"], record["text"],
            (record["said_on"] or {}).get("edtf"), (record["when"] or {}).get("edtf"), record["status"],
            (record["figure"] or {}).get("text"), sourcing["independent_origins"], sourcing["lacking"],
            sourcing["credibility"]["rating"],
        ]  # fmt: skip
        appearances = record["appearances"] or [{}]
        for appearance in appearances:
            extra = [appearance.get(k) for k in ("source", "publisher", "stance", "passage", "locator")]
            writer.writerow([_cell(value) for value in base + extra])
    return buffer.getvalue()


def html(report: dict[str, Any], *, use_graphviz: bool | None = None, title: str = "Sourcing report") -> str:
    """The report as one self-contained HTML page: inline CSS, no scripts, nothing loaded from elsewhere, an
    SVG drawing of each claim's origins. Jinja2 escapes every value from the ledger (autoescape), and the
    page's content security policy forbids scripts besides."""
    from importlib.resources import files

    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    from . import __version__
    from .drawing import origins_svg

    environment = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    template = environment.from_string(
        files("claimtrack").joinpath("templates/report.html").read_text("utf-8")
    )
    claims = report["claims"]
    # The drawings are SVG built by an XML serialiser (or Graphviz, checked), so they go in as markup.
    drawings = [Markup(origins_svg(record, use_graphviz=use_graphviz)) for record in claims]
    return template.render(
        title=title,
        version=__version__,
        summary=report["summary"],
        claims=claims,
        drawings=drawings,
        keys={record["key"] for record in claims},
    )
