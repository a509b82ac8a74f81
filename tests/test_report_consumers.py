"""The reports read by the tools that consume them: pandoc reads the Markdown, html5lib the HTML, pandas the CSV.

Each source's URL is a link (Markdown, HTML) or a field (CSV, JSON) when it is a web address, and never when
it is anything else (a ``javascript:`` URL stays in the ledger, but no report makes it a link).
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from claimtrack.db import Ledger
from claimtrack.sample import load
from claimtrack.sources import add_source

SCRIPT_URL = "javascript:alert(document.cookie)"
SAMPLE_URL = "https://example.org/sample/amber-voice-2020-01-10"


@pytest.fixture
def consumer_sample(cli: Any, ledger: Ledger) -> dict[str, str]:
    """The consumer_sample, a source whose URL is a script, and figures a spreadsheet must read as numbers."""
    with ledger.session(write=True) as db:
        ids = load(db)
        add_source(db, key="scripted", title="A page with a scripted link", kind="article", url=SCRIPT_URL,
                   text="Officials said 12 people were released.")  # fmt: skip
    ids["scripted"] = cli.ok(
        "claim", "add", "12 people were released", "--by", "VIM", "--source", "scripted", "--value", "12"
    ).stdout.strip()
    ids["negative"] = cli.ok(
        "claim", "add", "Arrests fell by 5 percent", "--by", "VIM", "--value", "-5", "--unit", "%",
        "--when", "circa 2019",
    ).stdout.strip()  # fmt: skip
    ids["minus-text"] = cli.ok("claim", "add", "--by", "AF", "--", "-1 is the answer\x1b[2J").stdout.strip()
    return ids


def _pandoc() -> str:
    import pypandoc

    path: str = pypandoc.get_pandoc_path()
    return path


def _links(node: Any) -> list[tuple[str, str]]:
    """Every Link in a pandoc JSON AST, as (target, text)."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if node.get("t") == "Link":
            _attr, inlines, (target, _title) = node["c"]
            found.append((target, _plain(inlines)))
        for value in node.values():
            found += _links(value)
    elif isinstance(node, list):
        for value in node:
            found += _links(value)
    return found


def _plain(inlines: list[Any]) -> str:
    return "".join(
        item["c"] if item["t"] == "Str" else " " if item["t"] == "Space" else _plain(item.get("c", []))
        for item in inlines
        if item["t"] in ("Str", "Space", "Emph", "Strong", "Span")
    )


def test_markdown_links_each_source_to_its_web_address_in_pandoc(cli: Any, consumer_sample: dict[str, str]) -> None:
    text = cli.ok("report").stdout
    ast = json.loads(
        subprocess.run(
            [_pandoc(), "-f", "markdown", "-t", "json"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    links = _links(ast["blocks"])
    assert (SAMPLE_URL, "av-2020-01-10") in links
    targets = {target for target, _ in links}
    assert all(target.startswith(("https://", "#")) for target in targets), targets
    assert not any("javascript" in target.lower() for target in targets)
    # The scripted source is still listed, as plain text.
    assert "scripted" in text and SCRIPT_URL.split(":")[0] not in text


def test_html_links_each_source_to_its_web_address_in_html5lib(cli: Any, consumer_sample: dict[str, str]) -> None:
    import html5lib

    page = cli.ok("report", "--format", "html").stdout
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(page)  # strict: a parse error raises
    hrefs = {a.get("href"): "".join(a.itertext()) for a in tree.iter("a")}
    assert hrefs[SAMPLE_URL] == "av-2020-01-10"
    external = [href for href in hrefs if not href.startswith("#")]
    assert external and all(href.startswith("https://") for href in external)
    assert not any("javascript" in (href or "").lower() for href in hrefs)


def test_json_report_carries_each_url(cli: Any, consumer_sample: dict[str, str]) -> None:
    report = json.loads(cli.ok("report", "--format", "json").stdout)
    appearances = {a["source"]: a for record in report["claims"] for a in record["appearances"]}
    assert appearances["av-2020-01-10"]["url"] == SAMPLE_URL
    assert appearances["scripted"]["url"] is None


def test_csv_reads_in_pandas_with_its_accents_types_and_urls(
    cli: Any, consumer_sample: dict[str, str], tmp_path: Path
) -> None:
    """pandas, a reader people use for spreadsheets' CSV: it honours the byte-order mark and infers types."""
    import pandas as pd

    cli.ok("entity", "add", "Ayşe Yılmaz", "--kind", "person")
    accented = cli.ok("claim", "add", "Çok sayıda gözaltı", "--by", "Ayşe Yılmaz").stdout.strip()
    raw = cli.ok("report", "--format", "csv").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # the mark by which Excel knows the file is UTF-8
    path = tmp_path / "report.csv"
    path.write_bytes(raw)
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    assert list(frame.columns)[:4] == ["claim", "kind", "claimant", "text"]
    rows = frame.set_index(["claim", "source"], drop=False)
    assert frame.loc[frame["claim"] == accented, "claimant"].item() == "Ayşe Yılmaz"
    # Figures are numbers, not text: the column is numeric, and a negative figure is a negative number.
    for column in ("value", "low", "high", "independent_origins", "credibility"):
        assert pd.api.types.is_numeric_dtype(frame[column]), (column, frame[column].dtype)
    negative = frame.loc[frame["claim"] == consumer_sample["negative"]].iloc[0]
    assert negative["value"] == -5
    detained = frame.loc[frame["claim"] == consumer_sample["detained-crw"]].iloc[0]
    assert (detained["low"], detained["high"]) == (1100, 1400)
    assert frame["lacking"].dtype == bool
    # Dates: the EDTF, and the days it lies between, which pandas reads as dates.
    assert (negative["when"], negative["when_earliest"], negative["when_latest"]) == (
        "2019~", "2019-01-01", "2019-12-31",
    )  # fmt: skip
    assert pd.to_datetime(frame["when_earliest"], format="ISO8601").notna().any()
    # A text cell that a spreadsheet would take for a formula is guarded; control characters show as text.
    minus = frame.loc[frame["claim"] == consumer_sample["minus-text"], "text"].item()
    assert minus == "'-1 is the answer\\x1b[2J"
    assert "\x1b" not in raw.decode("utf-8")
    # URLs: web addresses only.
    assert rows.loc[(consumer_sample["detained-af"], "av-2020-01-10"), "url"] == SAMPLE_URL
    assert pd.isna(rows.loc[(consumer_sample["scripted"], "scripted"), "url"])

    # --no-bom for programs: the same rows without the mark.
    plain = cli.ok("report", "--format", "csv", "--no-bom").stdout_bytes
    assert not plain.startswith(b"\xef\xbb\xbf") and raw == b"\xef\xbb\xbf" + plain
    assert pd.read_csv(io.BytesIO(plain)).shape == frame.shape
