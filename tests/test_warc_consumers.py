"""`source warc` read by warcio's own checker and indexer (`warcio check`, `warcio index`), and read back.

claimtrack holds documents, not web captures: the file is a warcinfo record, the original bytes as a
`resource` with their own media type, and the extracted text as a `conversion` that refers to the original; a
source with no original file is a `resource` of its text, never a record of its publisher's URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claimtrack.db import Ledger

DOCUMENTS = Path(__file__).parent / "data" / "documents"


def _warcio(*args: str) -> subprocess.CompletedProcess[str]:
    """warcio's command line, the one installed beside this Python."""
    script = Path(sys.executable).parent / "warcio"
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=60)


def _records(archive: Path) -> list[dict[str, str]]:
    checked = _warcio("check", "-v", str(archive))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    fields = (
        "warc-type,warc-target-uri,content-type,warc-refers-to,warc-record-id,warc-warcinfo-id,http:status"
    )
    indexed = _warcio("index", "-f", fields, str(archive))
    assert indexed.returncode == 0, indexed.stderr
    records = [json.loads(line) for line in indexed.stdout.splitlines()]
    # Every record's digest checked and passed.
    assert checked.stdout.count("digest pass") == len(records), checked.stdout
    assert "fail" not in checked.stdout
    return records


@pytest.fixture
def known(cli: Any) -> Any:
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("entity", "add", "Dana Okoro", "--kind", "person")
    return cli


def test_an_original_file_is_a_resource_and_its_text_a_conversion(known: Any, tmp_path: Path) -> None:
    key = known.ok(
        "source", "add", str(DOCUMENTS / "article.html"), "--accessed", "2020-01-15"
    ).stdout.strip()
    first = known.json("source", "show", key)
    archive = tmp_path / "page.warc.gz"
    known.ok("source", "warc", key, "-o", str(archive))
    info, original, conversion = _records(archive)
    assert info["warc-type"] == "warcinfo"
    assert original["warc-type"] == "resource"
    assert original["content-type"].startswith("text/html")  # the file's own type, no HTTP headers around it
    assert original["warc-target-uri"] == first["url"]
    assert conversion["warc-type"] == "conversion"
    assert conversion["content-type"] == "text/plain; charset=utf-8"
    assert conversion["warc-refers-to"] == original["warc-record-id"]
    assert original["warc-warcinfo-id"] == conversion["warc-warcinfo-id"] == info["warc-record-id"]
    assert not any(record["warc-type"] in ("response", "request") or "http:status" in record for record in
                   (info, original, conversion))  # fmt: skip

    # Read back: the same bytes, URL, retrieval date and text.
    again = known.json("source", "add", str(archive), "--key", "from-warc")
    assert again["sha256"] == first["sha256"]
    assert again["url"] == first["url"]
    assert again["accessed"] == "2020-01-15"
    assert known.ok("source", "text", "from-warc").stdout == known.ok("source", "text", key).stdout


def test_a_text_only_source_is_a_resource_of_its_text_not_a_capture_of_its_url(
    known: Any, ledger: Ledger, tmp_path: Path
) -> None:
    """A source logged with its text alone (as the sample's are, and imports from other ledgers)."""
    from claimtrack.sources import add_source

    url = "https://example.org/harbor-wire/operation"
    with ledger.session(write=True) as db:
        add_source(db, key="hw-text", publisher="Harbor Wire", url=url, published="2020-01-12",
                   text="Security forces began an operation in Port Selden.\n")  # fmt: skip
    archive = tmp_path / "text.warc.gz"
    known.ok("source", "warc", "hw-text", "-o", str(archive))
    info, text = _records(archive)
    assert info["warc-type"] == "warcinfo"
    assert text["warc-type"] == "resource"
    assert text["warc-target-uri"] == "urn:claimtrack:source:hw-text"  # not the publisher's page
    assert text["content-type"] == "text/plain; charset=utf-8"
    assert url not in {record.get("warc-target-uri") for record in (info, text)}

    again = known.json("source", "add", str(archive), "--key", "hw-again")
    assert known.ok("source", "text", "hw-again").stdout == known.ok("source", "text", "hw-text").stdout
    assert again["url"] == url  # from the warcinfo record, where it is a field
    assert again["accessed"] is None  # claimtrack did not retrieve it then
