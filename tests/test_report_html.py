"""`claimtrack report --format html`: one self-contained page, opened in a real headless Chromium.

The page must show every claim, and text from the ledger that looks like markup (a `<script>` element, an
image with an `onerror` handler) must be shown as text and run nothing — with the drawings by Graphviz and
by claimtrack's own layout alike.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from claimtrack.db import Ledger
from claimtrack.drawing import Group, _clusters_in_order, _safe, dot_source, graphviz_svgs, plain_svg
from claimtrack.report import build, html
from claimtrack.sample import load

SCRIPT = (
    '<script>document.title="pwned"; document.documentElement.setAttribute("data-pwned", "script")</script>'
)
IMAGE = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned', 'img')\">"
PUBLISHER = '<svg onload="document.title=1"> \\N "quoted" ]; evil [label=x'

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")
DOT = shutil.which("dot")


def words(text: str) -> str:
    """Text compared as a reader sees it, whatever the line breaks: without spacing (a line may break after a
    hyphen), and with typographic ligatures (the PDF's "ﬁ") undone."""
    return "".join(unicodedata.normalize("NFKC", text).split())


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the page's title."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.elements


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture
def hostile(cli, ledger: Ledger) -> dict[str, Any]:
    """The sample investigation, plus claims and a publisher whose names are markup."""
    with ledger.session(write=True) as db:
        load(db)
    cli.ok("entity", "add", PUBLISHER, "--kind", "media")
    source = cli.ok("source", "add", "--key", "hostile-1", "--title", IMAGE, "--publisher", PUBLISHER,
                    input="A page that repeats what was said.\n").stdout.strip()  # fmt: skip
    keys = {}
    for name, text in (("script", SCRIPT), ("image", IMAGE)):
        keys[name] = cli.ok("claim", "add", text, "--by", "Amber Front").stdout.strip()
        cli.ok("claim", "cite", keys[name], source, "--stance", "reports")
    with ledger.session() as db:
        report = build(db)
    return {"keys": keys, "report": report}


def test_the_page_is_self_contained_and_has_no_scripts(cli, hostile, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    cli.ok("report", "--format", "html", "-o", str(out))
    page = out.read_text("utf-8")
    found = elements(page)
    assert not [tag for tag, _ in found if tag in ("script", "link", "iframe", "object", "embed", "img")]
    assert not [(tag, a) for tag, attrs in found for a in attrs if a.startswith("on")]
    # Nothing is fetched: no src at all; the links are to anchors within the page, or a source's web address
    # on an <a> (followed only when the reader clicks it; the source's URL, http or https only).
    assert not [v for _, attrs in found for k, v in attrs.items() if k == "src"]
    references = [(tag, v) for tag, attrs in found for k, v in attrs.items() if k == "href" and v]
    assert references and all(
        v.startswith("#") or (tag == "a" and v.startswith(("https://", "http://"))) for tag, v in references
    )
    assert any(v.startswith("#") for _, v in references)
    policy = next(a["content"] for tag, a in found if tag == "meta" and a.get("http-equiv"))
    assert policy is not None and "default-src 'none'" in policy
    # One drawing per claim, and every claim has its section.
    assert page.count("<svg") == len(hostile["report"]["claims"])
    for record in hostile["report"]["claims"]:
        assert f'id="claim-{record["key"]}"' in page


@needs_chromium
@pytest.mark.parametrize("drawing", ["plain", "graphviz"])
def test_chromium_shows_every_claim_and_runs_nothing(hostile, drawing: str, tmp_path: Path) -> None:
    if drawing == "graphviz" and DOT is None:
        pytest.skip("Graphviz is not installed; the plain drawing is tested")
    page = tmp_path / "report.html"
    page.write_text(html(hostile["report"], use_graphviz=drawing == "graphviz"), "utf-8")
    assert ("<!-- Generated by graphviz" in page.read_text()) is False  # the XML prologue is dropped
    assert ('class="origins"' in page.read_text()) is (drawing == "plain")

    # The page as the browser left it, after any script could have run.
    dom = chromium("--dump-dom", page.as_uri()).stdout
    found = elements(dom)
    assert not [tag for tag, _ in found if tag in ("script", "img")]
    assert not [tag for tag, attrs in found if "data-pwned" in attrs]
    assert not [(tag, a) for tag, attrs in found for a in attrs if a.startswith("on")]
    assert "<title>Sourcing report</title>" in dom

    # What a reader sees: the page printed to PDF, its text extracted.
    pdf = tmp_path / "report.pdf"
    chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    visible = words("".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    for record in hostile["report"]["claims"]:
        assert words(record["text"]) in visible, record["key"]
    assert words(SCRIPT) in visible and words(IMAGE) in visible
    assert "pwned" not in words(dom.split("<body", 1)[0])  # the title was not rewritten


def test_the_plain_drawing_groups_sources_into_origins(hostile) -> None:
    record = next(r for r in hostile["report"]["claims"] if len(r["sourcing"]["origins"]) == 3)
    page = html({"summary": hostile["report"]["summary"], "claims": [record]}, use_graphviz=False)
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    assert svg.count('class="origin independent"') == record["sourcing"]["independent_origins"]
    assert svg.count('class="origin claimant"') == sum(o["claimant"] for o in record["sourcing"]["origins"])
    assert svg.count('class="source"') == sum(len(o["sources"]) for o in record["sourcing"]["origins"])


def test_markup_in_names_is_text_in_both_drawings() -> None:
    groups = [Group("independent origin 1", "independent", [("hostile-1", PUBLISHER)])]
    plain = plain_svg("abc1234", SCRIPT, groups)
    assert _safe(plain) and "<script>" not in plain and "&lt;script&gt;" in plain
    source = dot_source("abc1234", SCRIPT, groups)
    # The label is one DOT string: the quote and the backslash are escaped, so no new node or attribute.
    assert '\\"quoted\\" ]; evil [label=x' in source and "\\\\N" in source
    if DOT is None:
        pytest.skip("Graphviz is not installed")
    (drawn,) = graphviz_svgs([("abc1234", SCRIPT, groups)], DOT)
    assert drawn is not None and _safe(drawn)
    assert "&lt;svg onload=" in drawn and "\\N" in drawn


def test_a_drawing_with_a_script_or_handler_is_refused() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><g><text>ok</text></g></svg>'
    assert _safe(svg)
    assert not _safe(svg.replace("<g>", "<g onclick='x()'>"))
    assert not _safe(svg.replace("<g>", "<g><script>x()</script>"))
    assert not _safe(svg.replace("<g>", '<a href="https://example.org/"><g>').replace("</g>", "</g></a>"))
    assert not _safe("<svg><unclosed></svg>")


@pytest.mark.skipif(DOT is None, reason="Graphviz is not installed (Debian: graphviz)")
def test_the_sample_report_is_the_same_bytes_whatever_the_hash_seed(
    db_url: str, sample, tmp_path: Path
) -> None:
    """Rendered by separate processes with different hash seeds (and so, for Graphviz, different memory
    layouts), the sample's HTML report is the same file. It carries no timestamp to blank."""
    pages = []
    for seed in ("1", "2", "3", "4"):
        out = tmp_path / f"report-{seed}.html"
        command = ["report", "--format", "html", "-o", str(out)]
        subprocess.run(
            [sys.executable, "-m", "claimtrack", "--db", db_url, *command],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
            timeout=300,
        )
        pages.append(out.read_bytes())
    assert b'class="cluster"' in pages[0]  # drawn by Graphviz, whose cluster order used to vary
    assert re.search(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", pages[0]) is None  # nothing to blank
    assert all(page == pages[0] for page in pages[1:])


@pytest.mark.skipif(DOT is None, reason="Graphviz is not installed (Debian: graphviz)")
def test_a_drawing_s_clusters_come_in_the_order_the_graph_defines_them() -> None:
    groups = [
        Group("the claimant's own origin", "claimant", [("vsb-1", "Veloria State Broadcaster")]),
        Group("independent origin 1", "independent", [("wire-1", "Harbor Wire"), ("daily-1", "")]),
        Group("disputing or refuting (not counted)", "opposing", [("av-1", "Amber Voice")]),
    ]
    assert DOT is not None
    (drawn,) = graphviz_svgs([("abc1234", "Ilan Verhoef", groups)], DOT)
    assert drawn is not None
    clusters = re.findall(r'<g id="clust\d+" class="cluster">.*?</g>\n', drawn, re.S)
    assert [re.search(r"<title>(.*?)</title>", c).group(1) for c in clusters] == [  # type: ignore[union-attr]
        "cluster_0",
        "cluster_1",
        "cluster_2",
    ]
    # However dot wrote them, the same drawing comes back.
    shuffled = drawn.replace("".join(clusters), "".join(reversed(clusters)))
    assert shuffled != drawn and _clusters_in_order(shuffled) == drawn
