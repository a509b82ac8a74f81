"""A drawing of one claim's sources grouped into origins, as SVG to inline in the HTML report.

Two ways to draw the same thing: Graphviz ``dot`` when it is installed (it lays out large groups better), and
a plain layout written here that needs nothing (the claim on the left, one box per origin on the right, a line
from the claim to each origin). Either way, the text in the drawing is the sources' own and is escaped as it
is written (``html.escape``); a ``dot`` drawing is parsed and checked before it is used, and any doubt falls
back to the plain layout.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from .records import ClaimRecord

SVG_NS = "http://www.w3.org/2000/svg"

# The plain layout, in pixels.
WIDTH = 720
CLAIM_W, CLAIM_H = 170, 56
GROUPS_X = 210
BOX_W, BOX_H, GAP = 236, 40, 10
PER_ROW = 2
HEADER_H = 22
PAD = 8


@dataclass
class Group:
    """One box of the drawing: an origin (the claimant's own or independent), or the opposing sources."""

    label: str
    kind: str  # "independent", "claimant" or "opposing": picks the box's style
    sources: list[tuple[str, str]] = field(default_factory=list)  # (source key, publisher)


def groups_of(record: ClaimRecord) -> list[Group]:
    """The boxes to draw for a report record: its origins in order, then the sources that dispute it."""
    groups = []
    independent = 0
    for origin in record["sourcing"]["origins"]:
        if origin["claimant"]:
            label, kind = "the claimant's own origin", "claimant"
        else:
            independent += 1
            label, kind = f"independent origin {independent}", "independent"
        sources = [(source["key"], source["publisher"] or "") for source in origin["sources"]]
        groups.append(Group(label, kind, sources))
    uncounted = [
        (source["key"], source["publisher"] or "") for source in record["sourcing"].get("not_counted", [])
    ]
    if uncounted:
        groups.append(
            Group("not counted (no known publisher or author, or passage not found)", "opposing", uncounted)
        )
    opposing = [
        (appearance["source"], appearance["publisher"] or "")
        for appearance in record["appearances"]
        if appearance["stance"] in ("disputes", "refutes")
    ]
    if opposing:
        groups.append(Group("disputing or refuting (not counted)", "opposing", opposing))
    return groups


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_svg(claim_key: str, claimant: str, groups: list[Group]) -> str:
    """The drawing laid out here, without Graphviz. Written as text (an XML library took most of a large
    report's time), with every value from the ledger escaped (``html.escape`` with quotes)."""
    heights = [HEADER_H + PAD + max(1, -(-len(g.sources) // PER_ROW)) * (BOX_H + GAP) for g in groups]
    total = max(CLAIM_H + 2 * PAD, sum(heights) + GAP * max(0, len(groups) - 1) + 2 * PAD)
    names = ", ".join(f"{g.label}: {len(g.sources)} source(s)" for g in groups) or "no sources"
    claim_y = int((total - CLAIM_H) / 2)
    # Each element written out as an f-string (a helper building attributes from keywords took a tenth of a
    # large report's time): numbers as they are, text through escape().
    parts = [
        f'<svg xmlns="{SVG_NS}" class="origins" width="{WIDTH}" height="{total}" viewBox="0 0 {WIDTH} {total}" '
        'role="img">',
        f"<title>{escape(f'Sources of claim {claim_key} grouped into origins — {names}')}</title>",
        '<g class="claim">',
        f"<title>{escape(f'claim {claim_key} by {claimant}')}</title>",
        f'<rect x="{PAD}" y="{claim_y}" width="{CLAIM_W}" height="{CLAIM_H}" rx="6" />',
        f'<text x="{PAD + 10}" y="{claim_y + 22}">{escape(f"claim {claim_key}")}</text>',
        f'<text x="{PAD + 10}" y="{claim_y + 42}" class="sub">{escape(_clip(claimant, 24))}</text>',
        "</g>",
    ]
    append = parts.append
    y = PAD
    for group, height in zip(groups, heights, strict=True):
        append(
            f'<line x1="{PAD + CLAIM_W}" y1="{claim_y + CLAIM_H // 2}" x2="{GROUPS_X}" y2="{y + HEADER_H // 2}" '
            'class="link" />'
        )
        append(f'<g class="origin {group.kind}">')
        append(f"<title>{escape(f'{group.label}: {len(group.sources)} source(s)')}</title>")
        append(f'<rect x="{GROUPS_X}" y="{y}" width="{WIDTH - GROUPS_X - PAD}" height="{height}" rx="8" />')
        append(f'<text x="{GROUPS_X + 10}" y="{y + 16}" class="label">{escape(group.label)}</text>')
        for index, (key, publisher) in enumerate(group.sources):
            row, column = divmod(index, PER_ROW)
            x = GROUPS_X + PAD + column * (BOX_W + GAP)
            top = y + HEADER_H + PAD // 2 + row * (BOX_H + GAP)
            append('<g class="source">')
            append(f"<title>{escape(f'{key} — {publisher}' if publisher else key)}</title>")
            append(f'<rect x="{x}" y="{top}" width="{BOX_W}" height="{BOX_H}" rx="4" />')
            append(f'<text x="{x + 8}" y="{top + 16}">{escape(_clip(key, 34))}</text>')
            if publisher:
                append(f'<text x="{x + 8}" y="{top + 32}" class="sub">{escape(_clip(publisher, 34))}</text>')
            append("</g>")
        append("</g>")
        y += height + GAP
    parts.append("</svg>")
    return "".join(parts)


def _dot_label(*lines: str) -> str:
    """A DOT quoted string of one or more lines: backslashes doubled (so ``\\N`` and friends stay literal),
    quotes escaped, and the lines joined by DOT's own line break."""
    escaped = (" ".join(line.split()).replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def dot_source(claim_key: str, claimant: str, groups: list[Group]) -> str:
    """The drawing as a Graphviz graph. Node names are generated; only labels carry the ledger's text."""
    fill = {"independent": "#e8f0fb", "claimant": "#eeeeee", "opposing": "#fbf1e6"}
    lines = [
        "digraph origins {",
        '  rankdir=LR; bgcolor="transparent"; fontname="Helvetica"; fontsize=11;',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
        '  edge [arrowhead=none, color="#888888"];',
        f'  claim [label={_dot_label(f"claim {claim_key}", claimant)}, fillcolor="#f7f7f7"];',
    ]
    for number, group in enumerate(groups):
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(
            f'    label={_dot_label(group.label)}; style="rounded,filled"; fillcolor="{fill[group.kind]}";'
        )
        for index, (key, publisher) in enumerate(group.sources):
            label = _dot_label(key, publisher) if publisher else _dot_label(key)
            lines.append(f"    s{number}_{index} [label={label}];")
        if not group.sources:
            lines.append(f'    s{number}_none [label="no sources", style="dashed"];')
        lines.append("  }")
        first = f"s{number}_0" if group.sources else f"s{number}_none"
        lines.append(f"  claim -> {first};")
    lines.append("}")
    return "\n".join(lines) + "\n"


_UNSAFE_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "use", "image", "animate", "set"}


def _safe(svg: str) -> bool:
    """Whether a drawing from ``dot`` is plain SVG: it parses, and has no scripts, handlers or links out."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return False
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] in _UNSAFE_TAGS:
            return False
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                return False
    return True


def graphviz_svgs(drawings: list[tuple[str, str, list[Group]]], dot: str) -> list[str | None]:
    """The drawings by Graphviz, in one ``dot`` run for many (a process per drawing would cost more than
    the drawing); None for each that failed or is not plain SVG, or for all when ``dot`` fails."""
    if not drawings:
        return []
    source = "".join(dot_source(key, claimant, groups) for key, claimant, groups in drawings)
    try:
        done = subprocess.run(
            [dot, "-Tsvg"],
            input=source,
            capture_output=True,
            text=True,
            timeout=60 + len(drawings),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return [None] * len(drawings)
    # One SVG document per graph, in order.
    svgs = [part[: part.rfind("</svg>") + 6] for part in done.stdout.split("<svg")[1:]]
    if done.returncode != 0 or len(svgs) != len(drawings):
        return [None] * len(drawings)
    return [svg if _safe(svg := _clusters_in_order("<svg" + part)) else None for part in svgs]


# One cluster of a ``dot`` drawing: its group, with its title, outline and label, and no group inside it.
_CLUSTER = re.compile(r'<g id="clust(\d+)" class="cluster">\n(?:(?!<g[ >])[^\n]*\n)*?</g>\n')


def _clusters_in_order(svg: str) -> str:
    """The drawing with its clusters written in the order the graph defines them.

    Graphviz 2.43 writes a graph's clusters in the order of its own subgraph identifiers, which are the
    memory addresses of their names: the same graph comes out with its clusters in a different order from
    one run of ``dot`` to the next, and the report would differ byte for byte. Clusters never overlap, so
    their order in the file changes nothing that is seen. Anything but one run of plain cluster groups is
    left as it is.
    """
    found = list(_CLUSTER.finditer(svg))
    if len(found) < 2 or any(a.end() != b.start() for a, b in pairwise(found)):
        return svg
    ordered = sorted(found, key=lambda match: int(match.group(1)))
    return svg[: found[0].start()] + "".join(m.group(0) for m in ordered) + svg[found[-1].end() :]


# Graphviz draws this many claims per process.
DOT_BATCH = 500


def origins_svgs(records: list[ClaimRecord], *, use_graphviz: bool | None = None) -> list[str]:
    """Report records' sources in origins as SVG markup, one drawing each. ``use_graphviz``: None uses
    ``dot`` when it is installed; False never does; True asks for it (any drawing it fails is drawn here)."""
    drawings = [(record["key"], record["claimant"], groups_of(record)) for record in records]
    dot = shutil.which("dot") if use_graphviz is not False else None
    drawn: list[str | None] = [None] * len(drawings)
    if dot:
        for start in range(0, len(drawings), DOT_BATCH):
            batch = [d if d[2] else None for d in drawings[start : start + DOT_BATCH]]
            wanted = [d for d in batch if d is not None]
            results = iter(graphviz_svgs(wanted, dot))
            for offset, drawing in enumerate(batch):
                if drawing is not None:
                    drawn[start + offset] = next(results)
    return [
        svg if svg is not None else plain_svg(*drawing) for svg, drawing in zip(drawn, drawings, strict=True)
    ]
