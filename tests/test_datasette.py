"""Datasette reads a claimtrack database, and searches its claims through claimtrack's canned query.

Datasette is started for real (a test extra) on 127.0.0.1, on a free port, against a database of the sample
investigation; the test asks it over HTTP what a researcher's browser would, then stops it.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from claimtrack.db import Ledger
from claimtrack.sample import load

pytestmark = pytest.mark.sqlite_only  # Datasette reads SQLite files


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def datasette(ledger: Ledger, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Datasette serving the sample investigation, as `datasette claimtrack.db` would; yields its base URL for
    the database and the sample's claim ids."""
    with ledger.session(write=True) as db:
        ids = load(db)
    path = ledger.sqlite_path()
    assert path is not None
    port = _free_port()
    script = Path(sys.executable).parent / "datasette"
    server = subprocess.Popen(
        [str(script), "serve", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/{path.stem}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {server.stderr.read()!r}") from None  # type: ignore[union-attr]
                time.sleep(0.2)
        yield base, ids
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_claims_are_searched_in_datasette(datasette: tuple[str, dict[str, str]], ledger: Ledger) -> None:
    base, ids = datasette
    rows = _get(f"{base}/claim_search.json?" + urlencode({"q": "dismantled", "_shape": "array"}))
    assert [row["claim"] for row in rows] == [ids["quote"]]
    assert rows[0]["claimant"] == "Ilan Verhoef" and "[dismantled]" in rows[0]["snippet"]
    # Several claims, best first; every row a claim (not a passage or a source that matched).
    rows = _get(f"{base}/claim_search.json?" + urlencode({"q": "detained OR custody", "_shape": "array"}))
    found = {row["claim"] for row in rows}
    assert {ids["detained-af"], ids["detained-vim"], ids["detained-crw"]} <= found
    with ledger.session() as session:  # the claims claimtrack's own search finds, no more and no fewer
        from claimtrack.search import search

        hits = search(session, "detained OR custody", limit=1000)
    assert found == {hit["claim"] for hit in hits if hit["kind"] == "claim"}
    # A word in no claim finds nothing.
    assert _get(f"{base}/claim_search.json?" + urlencode({"q": "zeppelin", "_shape": "array"})) == []
    # The browsable views read as they are.
    overview = _get(f"{base}/claim_overview.json?_shape=array&_size=max")
    assert {row["key"] for row in overview} >= found
