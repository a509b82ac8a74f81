"""Sources: stored text kept exactly, keys, links, and the source commands."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from claimtrack.db import Ledger
from claimtrack.entities import add_entity
from claimtrack.errors import Conflict, InvalidInput
from claimtrack.sources import add_source, find_source, link_sources, list_sources, source_record

TEXT = "Line one.\r\n  Indented “quoted” line — with a dash.\n\nLast line without newline"


def test_text_is_stored_byte_exact_with_its_hash(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Harbor Wire", kind="media")
        source = add_source(session, text=TEXT, publisher="Harbor Wire", published="January 12, 2020")
        assert source.key == "harbor-wire-2020"
    with ledger.session() as session:
        stored = find_source(session, "harbor-wire-2020")
        assert stored.text == TEXT
        assert stored.sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
        assert stored.published_edtf == "2020-01-12"


def test_derived_keys_do_not_collide(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_entity(session, "Harbor Wire", kind="media")
        keys = [add_source(session, publisher="Harbor Wire", published="2020").key for _ in range(3)]
        keys.append(add_source(session, title="A Report on Port Selden Detentions").key)
    assert keys == ["harbor-wire-2020", "harbor-wire-2020-2", "harbor-wire-2020-3", "a-report-on-port"]


def test_keys_are_unique_and_well_formed(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_source(session, key="hw-1")
    with pytest.raises(Conflict), ledger.session(write=True) as session:
        add_source(session, key="HW-1")
    with (
        pytest.raises(InvalidInput, match="must start with a letter or digit"),
        ledger.session(write=True) as session,
    ):
        add_source(session, key="-bad key")


def test_links_reject_self_and_duplicates(ledger: Ledger) -> None:
    with ledger.session(write=True) as session:
        add_source(session, key="a")
        add_source(session, key="b")
        link_sources(session, "b", "republishes", "a")
    with pytest.raises(Conflict), ledger.session(write=True) as session:
        link_sources(session, "b", "republishes", "a")
    with pytest.raises(InvalidInput, match="itself"), ledger.session(write=True) as session:
        link_sources(session, "a", "cites", "a")


def test_source_commands(cli, ledger: Ledger, tmp_path: Path) -> None:
    document = tmp_path / "statement.txt"
    document.write_bytes(TEXT.encode())
    cli.ok("entity", "add", "Amber Front")
    added = cli.ok(
        "source", "add", str(document), "--key", "af-1", "--title", "Statement", "--kind", "statement",
        "--publisher", "Amber Front", "--published", "2020-01-10", "--language", "en",
    )  # fmt: skip
    assert added.stdout.strip() == "af-1"
    piped = cli.ok("source", "add", "-", "--key", "wire-1", "--published", "2020-01-12", input=TEXT.encode())
    assert piped.stdout.strip() == "wire-1"
    cli.ok("source", "link", "wire-1", "af-1", "--republishes")

    # Bytes: the runner's text view would fold the CRLF.
    assert cli.ok("source", "text", "af-1").stdout_bytes == TEXT.encode()
    assert cli.ok("source", "text", "wire-1").stdout_bytes == TEXT.encode()
    with ledger.session() as session:
        assert cli.json("source", "show", "af-1") == source_record(session, find_source(session, "af-1"))
        assert cli.json("source", "list") == list_sources(session)
    shown = cli.json("source", "show", "wire-1")
    assert shown["links"] == [{"source": "wire-1", "kind": "republishes", "other": "af-1", "note": None}]
    assert shown["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "is empty"),
        (b"\x00\x01\x02binary", "junk.txt", "looks like a binary file"),
        (b"caf\xe9 latin-1", "latin.txt", "is not UTF-8 text"),
        (b"<html></html>", "page.html", "no readable text found in this HTML"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_stored(
    cli, snapshot, tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    result = cli("source", "add", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before


def test_source_link_needs_exactly_one_kind(cli) -> None:
    cli.ok("source", "add", "--key", "a")
    cli.ok("source", "add", "--key", "b")
    result = cli("source", "link", "a", "b")
    assert result.exit_code == 1
    assert "exactly one of --republishes" in result.stderr
