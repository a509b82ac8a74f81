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
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import unnamed
from .claim_records import FIGURE_COLUMNS, appearances_of, claim_records, figure_text
from .filters import ClaimFilter
from .history import ledger_state
from .independence import check
from .models import Claim, Entity, Source
from .records import (
    AppearanceRecord,
    ClaimRecord,
    DateRecord,
    FigureRecord,
    LedgerState,
    OtherFigure,
    ReportData,
    SourcingRecord,
)
from .text.links import web_url

# A measure may carry thousands of figures: each claim lists this many of the others, lowest first, and says
# how many there are in all (`claimtrack figures MEASURE` shows every one).
OTHER_FIGURES = 20
CHUNK = 2500
# Graphviz lays a drawing out better, but at a few milliseconds each: unless asked, larger reports get
# claimtrack's own drawings.
GRAPHVIZ_MOST = 500


def build(
    session: Session,
    claim_filter: ClaimFilter | None = None,
    *,
    claim_ids: Sequence[int] | None = None,
    lacking_only: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ReportData:
    """The report's data for the selected claims (all when nothing selects). ``progress`` is told
    ("reporting", done, total) as the claims are gathered."""
    verdicts = check(session, claim_filter, claim_ids=claim_ids, include_all=not lacking_only)
    unnamed.mark_all(session, verdicts.claims)
    by_key = {record["key"]: record for record in verdicts.claims}
    ids = list(session.scalars(select(Claim.id).where(Claim.key.in_(list(by_key))).order_by(Claim.id)))
    figures: dict[int, list[tuple[int, OtherFigure]]] = {}
    records: list[ClaimRecord] = []
    # A chunk at a time, each claim's rows fetched together (not one query per appearance or relation).
    for start in range(0, len(ids), CHUNK):
        if progress is not None:
            progress("reporting", start, len(ids))
        chunk = ids[start : start + CHUNK]
        appearances = appearances_of(session, chunk)
        _add_urls(session, appearances)
        query = select(Claim.id, Claim.measure_id).where(Claim.id.in_(chunk))
        measures = {claim_id: measure_id for claim_id, measure_id in session.execute(query)}
        for claim_id, record in zip(chunk, claim_records(session, chunk, appearances), strict=True):
            sourcing = by_key[record["key"]]
            record["sourcing"] = cast(
                SourcingRecord,
                {k: v for k, v in sourcing.items() if k not in ("key", "kind", "claimant", "text")},
            )
            measure_id = measures[claim_id]
            if measure_id is not None:
                if measure_id not in figures:
                    figures[measure_id] = _figures_of(session, measure_id)
                others = [figure for other_id, figure in figures[measure_id] if other_id != claim_id]
                record["other_figures"] = others[:OTHER_FIGURES]
                record["other_figures_total"] = len(others)
            records.append(record)
    if progress is not None:
        progress("reporting", len(ids), len(ids))
    # Which publishers carry the weight: how many backing appearances of the selected claims each publishes.
    publishers: Counter[str] = Counter()
    for record in records:
        for appearance in record["appearances"]:
            backing = (
                appearance["stance"] in ("asserts", "reports", "supports") and not appearance["withdrawn"]
            )
            if backing and appearance["publisher"]:
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
            # The state of the ledger the report was made from: `claimtrack log verify` on the ledger later
            # shows whether its history still runs through this head.
            "ledger": ledger_state(session),
        },
        "claims": records,
    }


def _add_urls(session: Session, appearances: dict[int, list[AppearanceRecord]]) -> None:
    """Each appearance's source URL, as ``url``: a web address (http or https), else None."""
    keys = {appearance["source"] for found in appearances.values() for appearance in found}
    if not keys:
        return
    query = select(Source.key, Source.url).where(Source.key.in_(keys))
    # Once per source, not per appearance (a source carries many claims).
    urls = {key: web_url(url) for key, url in session.execute(query)}
    for found in appearances.values():
        for appearance in found:
            appearance["url"] = urls.get(appearance["source"])


def _figures_of(session: Session, measure_id: int) -> list[tuple[int, OtherFigure]]:
    """Every figure for a measure, lowest first, as (claim id, what the report shows). Plain rows, not
    objects: a measure can hold thousands of figures."""
    columns = [Claim.id, Claim.key, Claim.kind, Entity.name.label("claimant")] + [
        getattr(Claim, name) for name in FIGURE_COLUMNS
    ]
    query = (
        select(*columns)
        .join(Entity, Entity.id == Claim.claimant_id)
        .where(Claim.measure_id == measure_id)
        .order_by(Claim.figure_low, Claim.id)
    )
    return [
        (row.id, {"key": row.key, "claimant": row.claimant, "figure": figure_text(row)})  # type: ignore[arg-type]
        for row in session.execute(query)
    ]


# Control characters (terminal escape sequences, NUL, BEL) and the bidirectional embedding, override and isolate
# controls (which reorder the text after them) are shown as visible escapes, "\\x1b" or "\\u202e", in the
# reports people read, as on the terminal; the JSON and CSV reports keep them exactly.
_CONTROLS = [
    *range(0x00, 0x09),
    *range(0x0E, 0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_VISIBLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _CONTROLS}
# HTML reads "\r\n" and a lone "\r" as "\n" anyway; a vertical tab or form feed (a PDF's page break) is a line
# break too. Written as "\n" so that no carriage return reaches a terminal the page is printed on.
_HTML_VISIBLE = {**_VISIBLE, ord("\r"): "\n", 0x0B: "\n", 0x0C: "\n"}
# Whether a text holds anything _HTML_VISIBLE changes: a regular-expression scan is far cheaper than
# str.translate with this table, and almost no text needs it.
_HTML_INVISIBLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _HTML_VISIBLE) + "]")


def _html_visible(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_HTML_VISIBLE) if _HTML_INVISIBLE.search(text) else text


# One pass over the text: HTML's three characters become entities, Markdown's markup characters get a
# backslash, and a line break becomes a space (a table row, heading or list item stays one line: CommonMark
# ends a line at "\r" as well as "\n"; vertical tab and form feed are white space there too).
_MARKDOWN_INERT = str.maketrans(
    {
        **_VISIBLE,
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\n": " ",
        "\r": " ",
        "\x0b": " ",
        "\x0c": " ",
        **{c: "\\" + c for c in "\\`*_{}[]()#+-.!|~"},
    }
)


def md(value: Any) -> str:
    """Text from the ledger, made inert in Markdown: markup characters escaped, HTML tags shown as text."""
    return "" if value is None else str(value).translate(_MARKDOWN_INERT)


def _md_source(appearance: AppearanceRecord) -> str:
    """The source's key, linked to its URL when it has a web address (already percent-encoded by web_url, so
    it cannot close the link's angle brackets)."""
    key = md(appearance["source"])
    url = appearance.get("url")
    return f"[{key}](<{url}>)" if url else key


def ledger_words(state: LedgerState) -> str:
    """ "Made from the ledger at change 4,512, head 3f9c…": the history's head, whole, so that it pins the
    ledger (`claimtrack log verify` prints the head of the ledger as it is)."""
    return f"Made from the ledger at change {state['change']:,}, head {state['head']}."


def markdown(report: ReportData) -> str:
    summary = report["summary"]
    lines = [
        "# Sourcing report",
        "",
        f"{summary['claims']} claims; {summary['lacking']} of {summary['checked']} checked lack independent "
        f"sources (at least {summary['threshold']} independent origins required).",
        "",
        ledger_words(summary["ledger"]),
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
        for label, date in (("Said on", record["said_on"]), ("When", record["when"])):
            if date:
                lines.append(f"- **{label}:** {md(date['display'])} ({md(date['precision'])})")
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
            passage = md(appearance["passage"])
            anchor = appearance["anchor"]
            if anchor is not None and anchor["status"] == "not-found":
                passage += " **(not found in the source's text: not counted)**"
            via = f" (via {md(appearance['via'])})" if appearance.get("via") else ""
            lines.append(
                f"| {_md_source(appearance)}{via} | {md(appearance['publisher'])} | {md(_stance(appearance))} | "
                f"{passage} | {md(appearance['locator'])} |"
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
            more = record["other_figures_total"] - len(record["other_figures"])
            if more > 0:
                lines.append(f"- … and {more} more (`claimtrack figures` lists them all)")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# Control characters are shown as visible escapes ("\\x1b") in CSV too, as on the terminal: a spreadsheet
# or a `cat` of the file must not meet a raw escape sequence. Tab and line feed are kept (a cell may hold
# several lines); a carriage return is escaped, so no cell can end a row in a reader that splits on it.
_CSV_INERT = str.maketrans({**_VISIBLE, 0x0B: "\\x0b", 0x0C: "\\x0c", 0x0D: "\\x0d"})
_FORMULA_START = ("=", "+", "-", "@", "\t")


def _cell(value: Any) -> str | int | float:
    """A CSV cell that a spreadsheet shows and never runs.

    Numbers stay numbers (a negative figure is -5, not '-5). Text has its control characters made visible,
    and text starting with = + - @ or a tab, which a spreadsheet would take for a formula, gets a leading '.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    text = "" if value is None else str(value).translate(_CSV_INERT)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(value: float) -> int | float:
    """A plain number: 3000, not 3000.0 or "3,000"."""
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


CSV_COLUMNS = [
    "claim", "kind", "claimant", "text",
    "said_on", "said_on_earliest", "said_on_latest", "when", "when_earliest", "when_latest",
    "status", "figure", "value", "low", "high", "unit", "independent_origins", "lacking", "credibility",
    "source", "url", "publisher", "stance", "passage", "locator",
]  # fmt: skip

BOM = "\ufeff"


def _dates(date: DateRecord | None) -> list[str | None]:
    """A date as its EDTF and the ISO days it lies between (what a spreadsheet can sort and filter)."""
    if not date:
        return [None, None, None]
    return [date["edtf"], date["earliest"], date["latest"]]


def csv_text(report: ReportData, *, bom: bool = True) -> str:
    """One row per claim and appearance (a claim without appearances gets one row), for spreadsheets.

    UTF-8 with a byte-order mark by default, which is how Excel knows the file is UTF-8 (``bom=False`` for
    programs). Dates as EDTF plus their earliest and latest ISO days; figures as plain numbers.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    # Lines end with "\r\n" (RFC 4180), as spreadsheets write them.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in report["claims"]:
        sourcing = record["sourcing"]
        figure: FigureRecord | dict[str, None] = record["figure"] or {}
        base = [
            record["key"], record["kind"], record["claimant"], record["text"],
            *_dates(record["said_on"]), *_dates(record["when"]), record["status"],
            figure.get("text"), figure.get("value"), figure.get("low"), figure.get("high"), figure.get("unit"),
            sourcing["independent_origins"], sourcing["lacking"], sourcing["credibility"]["rating"],
        ]  # fmt: skip
        appearances: Sequence[AppearanceRecord | dict[str, None]] = record["appearances"] or [{}]
        for appearance in appearances:
            extra = [
                appearance.get(k) for k in ("source", "url", "publisher", "stance", "passage", "locator")
            ]
            writer.writerow([_cell(value) for value in base + extra])
    return buffer.getvalue()


def html(report: ReportData, *, use_graphviz: bool | None = None, title: str = "Sourcing report") -> str:
    """The report as one self-contained HTML page: inline CSS, no scripts, nothing loaded from elsewhere, an
    SVG drawing of each claim's origins (``use_graphviz``: None draws with Graphviz when it is installed and
    the report has at most :data:`GRAPHVIZ_MOST` claims; True or False decide). Jinja2 escapes every value from the ledger (autoescape), and the
    page's content security policy forbids scripts besides."""
    from importlib.resources import files

    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    from . import __version__
    from .drawing import origins_svgs

    def shown(value: Any) -> Any:
        # Every value goes through here before it is escaped: control and bidirectional control characters
        # become visible escapes, as in the Markdown report (the drawings are markup, done below). Those are
        # all unprintable, so a printable text (most of them: this runs 500,000 times for 10,000 claims) is
        # let through with one C-level test.
        if type(value) is str and value.isprintable():
            return value
        if isinstance(value, str) and not isinstance(value, Markup):
            return _html_visible(value)
        return value

    class Records(Environment):
        # The template reads dicts (record.key): look the key up first, not an attribute (Jinja's default
        # order), which at ten thousand claims is most of the rendering time.
        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    environment = Records(
        autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True, finalize=shown
    )
    template = environment.from_string(
        files("claimtrack").joinpath("templates/report.html").read_text("utf-8")
    )
    claims = report["claims"]
    if use_graphviz is None and len(claims) > GRAPHVIZ_MOST:
        use_graphviz = False  # its layouts cost more than they add at this size
    # The drawings are SVG with every value escaped (or from Graphviz, checked), so they go in as markup.
    # Their labels are the ledger's text, already escaped; only its control characters are left to show.
    drawings = [Markup(_html_visible(svg)) for svg in origins_svgs(claims, use_graphviz=use_graphviz)]
    keys = {record["key"] for record in claims}
    return template.render(
        title=title,
        version=__version__,
        summary=report["summary"],
        claims=claims,
        # One piece of markup per claim, not the whole part joined: a page of 10,000 claims is 50 MiB of text,
        # and each copy of it would stay in memory until the page is written.
        claim_list=[Markup(_html_list_item(record)) for record in claims],
        claim_sections=[
            Markup(_html_section(record, drawing, keys))
            for record, drawing in zip(claims, drawings, strict=True)
        ],
    )


# The claims' part of the page (its list and a section per claim) is written here, not in the template: Jinja's
# per-value escaping and lookups took most of a large report's time. Every value from the ledger goes through
# _h, which does what the template does to a value: control characters made visible, then MarkupSafe's five
# escapes; the markup around them is the template's, byte for byte.
def _h(value: Any) -> str:
    """A value as the page shows it (what ``{{ value }}`` gives in the template)."""
    text = value if type(value) is str else str(value)
    if not text.isprintable():
        text = _html_visible(text)
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _truncated(text: str, length: int = 90, end: str = "...") -> str:
    """Jinja's ``truncate(90)``: whole words, with its leeway of 5 characters."""
    if len(text) <= length + 5:
        return text
    return text[: length - len(end)].rsplit(" ", 1)[0] + end


def _key_link(key: str, keys: set[str]) -> str:
    """A claim's key, linked to its section when the claim is in the report."""
    if key in keys:
        return f'<a href="#claim-{_h(key)}"><span class="key">{_h(key)}</span></a>'
    return f'<span class="key">{_h(key)}</span>'


def _html_list_item(record: ClaimRecord) -> str:
    key = _h(record["key"])
    return (
        f'<li><a href="#claim-{key}"><span class="key">{key}</span></a> {_h(record["claimant"])}: '
        f"{_h(_truncated(record['text']))}</li>"
    )


def _html_section(record: ClaimRecord, drawing: str, keys: set[str]) -> str:
    """One claim's section of the page."""
    sourcing = record["sourcing"]
    key = _h(record["key"])
    parts = [
        f'\n\n<section class="claim" id="claim-{key}">\n'
        f'  <h2><span class="key">{key}</span> · <span class="text">{_h(record["text"])}</span></h2>\n'
        '  <dl class="facts">\n'
        f'    <dt>By</dt><dd>{_h(record["claimant"])} <span class="muted">({_h(record["kind"])})</span></dd>\n    '
    ]
    for label, date in (("Said on", record["said_on"]), ("When", record["when"])):
        if date:
            parts.append(
                f'<dt>{label}</dt><dd>{_h(date["display"])} <span class="muted">({_h(date["precision"])})</span></dd>'
            )
        parts.append("\n    ")
    quote = record["quote"]
    if quote:
        parts.append(f'<dt>Words</dt><dd class="text">“{_h(quote["words"])}”')
        if quote["translation"]:
            parts.append(f' <span class="muted">(translation: {_h(quote["translation"])})</span>')
        parts.append("</dd>")
    parts.append("\n    ")
    figure = record["figure"]
    if figure:
        parts.append(f"<dt>Figure</dt><dd>{_h(figure['text'])}; measure: {_h(figure['measure'])}</dd>")
    parts.append("\n    ")
    if record["about"]:
        parts.append(f"<dt>About</dt><dd>{_h(', '.join(record['about']))}</dd>")
    parts.append("\n    ")
    if record["tags"]:
        parts.append(f"<dt>Tags</dt><dd>{_h(', '.join(record['tags']))}</dd>")
    verdict = "lacks independent sources" if sourcing["lacking"] else "has enough independent sources"
    independent = sourcing["independent_origins"]
    credibility = sourcing["credibility"]
    parts.append(
        f"\n    <dt>Status</dt><dd>{_h(record['status'])} — {_h(record['status_history'][-1]['reason'])}</dd>\n"
        f'    <dt>Sourcing</dt><dd><span class="verdict">{verdict}</span>\n'
        f"      {_h(independent)} independent origin{'' if independent == 1 else 's'} of "
        f"{len(sourcing['origins'])}</dd>\n"
        f"    <dt>Credibility</dt><dd>{_h(credibility['rating'])} — {_h(credibility['meaning'])} "
        f'<span class="muted">({_h(credibility["why"])})</span></dd>\n    '
    )
    attribution = sourcing.get("attribution")
    if attribution:
        parts.append(f"<dt>Attribution</dt><dd>{_h(attribution['note'])}</dd>")
    parts.append(
        "\n  </dl>\n\n  <figure>\n"
        f"    {drawing}\n"
        "    <figcaption>Sources grouped into origins: sources tied to one another, or repeating one another, form "
        "one origin.</figcaption>\n  </figure>\n\n  <h3>Appearances</h3>\n  "
    )
    if record["appearances"]:
        parts.append(
            "\n  <table>\n    <thead><tr><th>source</th><th>publisher</th><th>published</th><th>stance</th>"
            "<th>passage</th><th>where</th></tr></thead>\n    <tbody>\n    "
        )
        for a in record["appearances"]:
            source = f'<span class="key">{_h(a["source"])}</span>'
            if a.get("url"):
                source = f'<a href="{_h(a["url"])}" rel="noopener noreferrer">{source}</a>'
            if a["title"]:
                source += f'<br><span class="muted">{_h(a["title"])}</span>'
            stance = _h(a["stance"])
            if a["withdrawn"]:
                stance += f" (withdrawn: {_h(a['withdrawn']['reason'])})"
            passage = _h(a["passage"] or "")
            anchor = a["anchor"]
            if anchor and anchor["status"] not in ("exact", None):
                passage += f' <span class="muted">(passage {_h(anchor["status"])})</span>'
            parts.append(
                f"\n      <tr><td>{source}</td>\n"
                f"          <td>{_h(a['publisher'] or '')}</td><td>{_h(a['published'] or '')}</td><td>{stance}</td>\n"
                f'          <td class="passage">{passage}</td>\n'
                f"          <td>{_h(a['locator'] or '')}</td></tr>\n    "
            )
        parts.append("\n    </tbody>\n  </table>\n  ")
    else:
        parts.append('\n  <p class="muted">No appearances logged.</p>\n  ')
    parts.append("\n\n  <h3>Reasons</h3>\n  <ul>")
    parts.extend(f'<li class="text">{_h(reason)}</li>' for reason in sourcing["reasons"])
    parts.append("</ul>\n\n  ")
    if record["relations"]:
        parts.append("\n  <h3>Relations</h3>\n  <ul>")
        parts.extend(
            f"<li>{_h(r['kind'])} {_key_link(r['claim']['key'], keys)} ({_h(r['claim']['claimant'])}): "
            f'<span class="text">{_h(r["claim"]["text"])}</span></li>'
            for r in record["relations"]
        )
        parts.append("</ul>\n  ")
    parts.append("\n\n  ")
    others = record.get("other_figures")
    if others:
        parts.append("\n  <h3>Other figures for the same measure</h3>\n  <ul>")
        parts.extend(
            f"<li>{_h(o['figure'])} — {_h(o['claimant'])} ({_key_link(o['key'], keys)})</li>" for o in others
        )
        parts.append("\n  ")
        more = record["other_figures_total"] - len(others)
        if more > 0:
            parts.append(
                f'<li class="muted">… and {more} more (<code>claimtrack figures</code> lists them all)</li>'
            )
        parts.append("</ul>\n  ")
    parts.append("\n</section>\n")
    return "".join(parts)


def _stance(appearance: AppearanceRecord) -> str:
    """An appearance's stance, or that it was withdrawn (logged in error; it counts in no verdict)."""
    withdrawn = appearance.get("withdrawn")
    if withdrawn:
        return f"{appearance['stance']} (withdrawn: {withdrawn['reason']})"
    return str(appearance["stance"])
