"""Sources from real files: saved web pages, PDFs, Word files and WARC records, through `source add`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"


@pytest.fixture
def known(cli):
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("entity", "add", "Dana Okoro", "--kind", "person")
    cli.ok("entity", "add", "Port Selden Harbour Authority", "--kind", "government")
    return cli


def test_a_saved_web_page_with_byline_and_date(known) -> None:
    page = DOCUMENTS / "article.html"
    result = known("source", "add", str(page), "--json")
    assert result.exit_code == 0, result.stderr
    import json

    record = json.loads(result.stdout)
    assert record["title"] == "Port Selden detentions: families wait for answers"
    assert record["publisher"] == "Harbor Wire"
    assert record["authors"] == ["Dana Okoro"]
    assert record["published"] == "2020-01-12"
    assert record["url"] == "https://harborwire.example/2020/01/port-selden-families"
    # A byline that names no known entity is not guessed at.
    assert "'Harbor Wire staff', which is not a known entity" in result.stderr
    text = known.ok("source", "text", record["key"]).stdout
    assert "Relatives of the eleven men detained at Port Selden" in text
    assert "cookie" not in text.lower()  # the page's boilerplate stays out
    assert known.json("source", "verify") == [
        {"source": record["key"], "text": "ok", "file": "ok", "detail": "", "extracted": "ok"}
    ]


def test_flags_override_what_the_file_says(known) -> None:
    record = known.json(
        "source", "add", str(DOCUMENTS / "article.html"), "--key", "hw-families", "--title", "Families wait",
        "--publisher", "Dana Okoro", "--published", "January 13, 2020",
    )  # fmt: skip
    assert (record["key"], record["title"], record["publisher"], record["published"]) == (
        "hw-families", "Families wait", "Dana Okoro", "2020-01-13",
    )  # fmt: skip


def test_a_pdf_of_several_pages_gives_page_locators(known, ledger) -> None:
    key = known.ok("source", "add", str(DOCUMENTS / "report.pdf"), "--key", "hpa-report").stdout.strip()
    shown = known.json("source", "show", key)
    assert shown["title"] == "Inspection of the third berth"
    assert shown["publisher"] is None  # "Port Selden Harbour Authority" is the author in the PDF's metadata
    assert shown["authors"] == ["Port Selden Harbour Authority"]
    assert shown["published"] == "2020-01-10"
    claim = known.ok(
        "claim", "add", "Eleven night-shift workers were referred to the police",
        "--by", "Port Selden Harbour Authority", "--source", key,
        "--passage", "Eleven workers of the night shift were referred to the regional police.",
    ).stdout.strip()  # fmt: skip
    (appearance,) = known.json("claim", "show", claim)["appearances"]
    assert appearance["locator"] == "p. 3"
    with ledger.session() as session:
        from claimtrack.sources import find_source

        stored = find_source(session, key).file
        data = (DOCUMENTS / "report.pdf").read_bytes()
        assert stored.content == data
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        assert stored.media_type == "application/pdf"


def test_a_word_file(known) -> None:
    record = known.json("source", "add", str(DOCUMENTS / "minutes.docx"))
    assert record["title"] == "Minutes of the dockworkers' union meeting"
    assert record["published"] == "2020-01-13"
    assert "Present: 42 members." in known.ok("source", "text", record["key"]).stdout


def test_a_warc_record_round_trip(known, tmp_path: Path) -> None:
    key = known.ok(
        "source", "add", str(DOCUMENTS / "article.html"), "--accessed", "2020-01-15"
    ).stdout.strip()
    archive = tmp_path / "page.warc.gz"
    known.ok("source", "warc", key, "-o", str(archive))
    again = known.json("source", "add", str(archive), "--key", "from-warc")
    first = known.json("source", "show", key)
    assert again["sha256"] == first["sha256"]
    assert again["url"] == first["url"]
    assert again["accessed"] == "2020-01-15"
    assert known.ok("source", "text", "from-warc").stdout == known.ok("source", "text", key).stdout


BROKEN = {
    "truncated pdf": ("report-truncated.pdf", "not a readable PDF"),
    "binary junk named .html": ("junk.html", "no readable text"),
    "empty file": ("empty.pdf", "is empty"),
    "corrupt docx": ("minutes-corrupt.docx", "minutes-corrupt.docx"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_files_are_one_line_errors_and_change_nothing(known, snapshot, case: str) -> None:
    name, message = BROKEN[case]
    before = snapshot()
    result = known("source", "add", str(DOCUMENTS / name))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr
    assert snapshot() == before


def test_a_50_mb_file_is_refused(known, snapshot, tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    big.write_bytes(b"word " * (10 * 1024 * 1024))
    before = snapshot()
    result = known("source", "add", str(big))
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"error: {str(big)!r} is larger than the 20 MiB input limit; to read it, raise the limit for this "
        "database (claimtrack config set max-input-mib N) or for one command (CLAIMTRACK_MAX_INPUT_MIB=N)"
    )
    assert snapshot() == before
