"""Issue 12, the files half: no command can overwrite the ledger or a file it was not told to replace, no input
can exhaust the machine, and no page keeps a command busy for minutes.

Every hostile file is made here, in the test. Each refusal is checked as a user sees it: exit code 1, one line
on stderr, no traceback, and the database unchanged (every row of every table compared before and after).
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from claimtrack.db import Ledger

Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def refused(result: Any, *words: str) -> str:
    """The one line a refused command printed, after checking it is one line, exit 1 and no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def database_file(ledger: Ledger) -> Path | None:
    return ledger.sqlite_path()


def written(data: bytes) -> Any:
    """What an output holds: its bytes, or for a WARC file its records' payloads (a record has a random id)."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    from warcio.archiveiterator import ArchiveIterator

    return [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(data))]


# Every command that writes a file, with what it writes.
WRITERS = {
    "report md": ["report"],
    "report html": ["report", "--format", "html", "--drawings", "own"],
    "report csv": ["report", "--format", "csv"],
    "report json": ["report", "--format", "json"],
    "export jsonl": ["export"],
    "export claimreview": ["export", "--format", "claimreview"],
    "export csl-json": ["export", "--format", "csl-json"],
    "export bibtex": ["export", "--format", "bibtex"],
    "source warc": ["source", "warc", "av-2020-01-10"],
}


@pytest.fixture
def publishing_sample(cli: Any, sample: dict[str, str]) -> dict[str, str]:
    """The sample, with the publisher that ClaimReview needs set, so that every writer has something to write."""
    cli.ok("config", "set", "publisher-name", "Coastal Fact Desk")
    cli.ok("config", "set", "publisher-url", "https://factdesk.example.org")
    cli.ok("config", "set", "review-url", "https://factdesk.example.org/checks/{key}")
    return sample


# -- 1. one way to write a file --------------------------------------------------------------------------


@pytest.mark.sqlite_only
@pytest.mark.parametrize("writer", WRITERS)
def test_no_command_writes_over_the_database(
    cli: Any, ledger: Ledger, publishing_sample: Any, snapshot: Snapshot, tmp_path: Path, writer: str
) -> None:
    database = database_file(ledger)
    assert database is not None
    cli.ok("claim", "list")  # a reader: the -wal and -shm files exist while the engine is open
    (database.parent / "sub").mkdir()
    alias = tmp_path / "alias.db"
    os.link(database, alias)
    targets = [
        database,
        Path(f"{database}-wal"),
        Path(f"{database}-shm"),
        alias,  # a hard link: the same file under another name
        database.parent / "sub" / ".." / database.name,  # the same name by another path
    ]
    before, size = snapshot(), database.read_bytes()
    for target in targets:
        for force in ([], ["--force"]):
            line = refused(cli(*WRITERS[writer], "-o", str(target), *force), "cannot be the database")
            assert str(target) in line
    assert database.read_bytes() == size
    assert snapshot() == before
    assert cli.ok("claim", "list").stdout  # still a working ledger


def test_the_backup_is_refused_onto_the_database_s_files_too(cli: Any, ledger: Ledger, sample: Any) -> None:
    database = database_file(ledger)
    if database is None:
        pytest.skip("db backup copies SQLite files")
    cli.ok("claim", "list")
    for companion in ("", "-wal", "-shm"):
        refused(cli("db", "backup", f"{database}{companion}", "--force"), "the backup cannot be the database")


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_is_replaced_only_with_force(
    cli: Any, publishing_sample: Any, tmp_path: Path, writer: str
) -> None:
    target = tmp_path / "out"
    target.write_text("an earlier version\n")
    target.chmod(0o640)
    refused(cli(*WRITERS[writer], "-o", str(target)), f"'{target}' exists; pass --force to replace it")
    assert target.read_text() == "an earlier version\n"
    cli.ok(*WRITERS[writer], "-o", str(target), "--force")
    # The same bytes as -o - gives on stdout; the replaced file keeps its permissions; no temporary file left.
    assert written(target.read_bytes()) == written(cli.ok(*WRITERS[writer], "-o", "-").stdout_bytes)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_symbolic_link_at_the_output_is_never_followed(
    cli: Any, publishing_sample: Any, tmp_path: Path, writer: str
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("someone else's file\n")
    link = tmp_path / "out.md"
    link.symlink_to(precious)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    for target in (link, dangling):
        for force in ([], ["--force"]):
            refused(cli(*WRITERS[writer], "-o", str(target), *force), "symbolic link")
    assert precious.read_text() == "someone else's file\n"
    assert link.is_symlink() and dangling.is_symlink() and not (tmp_path / "nowhere.md").exists()


@pytest.mark.parametrize("writer", WRITERS)
def test_a_folder_or_a_missing_folder_is_one_line(
    cli: Any, publishing_sample: Any, snapshot: Snapshot, tmp_path: Path, writer: str
) -> None:
    before = snapshot()
    (tmp_path / "folder").mkdir()
    refused(cli(*WRITERS[writer], "-o", str(tmp_path / "folder")), "is a folder")
    refused(cli(*WRITERS[writer], "-o", str(tmp_path / "folder"), "--force"), "is a folder")
    missing = tmp_path / "no" / "such" / "out.txt"
    refused(cli(*WRITERS[writer], "-o", str(missing)), f"cannot write '{missing}'", "does not exist")
    refused(cli(*WRITERS[writer], "-o", "/dev/null", "--force"), "not a regular file", "use - for stdout")
    assert snapshot() == before
    assert not (tmp_path / "no").exists()


class _FullDisk(io.RawIOBase):
    """A file that takes a few kilobytes and then fails as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if len(data) > self.room:
            self.real.write(bytes(data[: self.room]))
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.real.write(data))

    def fileno(self) -> int:
        return int(self.real.fileno())

    def close(self) -> None:
        self.real.close()
        super().close()


@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_disk_leaves_the_old_file_and_no_partial_one(
    cli: Any, publishing_sample: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    from claimtrack import output_files

    real_fdopen = os.fdopen

    def full_disk(descriptor: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raw = _FullDisk(real_fdopen(descriptor, "wb", buffering=0), room=100)
        buffered = io.BufferedWriter(raw, buffer_size=64)
        return buffered if "b" in mode else io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")

    old = tmp_path / "out"
    old.write_text("the good export of yesterday\n")
    new = tmp_path / "new"
    files = sorted(tmp_path.iterdir())
    monkeypatch.setattr(output_files.os, "fdopen", full_disk)
    refused(cli(*WRITERS[writer], "-o", str(old), "--force"), "cannot write", "the disk is full", "unchanged")
    refused(cli(*WRITERS[writer], "-o", str(new)), "the disk is full", "nothing was written")
    monkeypatch.undo()
    assert old.read_text() == "the good export of yesterday\n"
    assert sorted(tmp_path.iterdir()) == files  # no partial file, and no "new"


def test_dash_writes_to_stdout_and_nothing_else(cli: Any, publishing_sample: Any, tmp_path: Path) -> None:
    files = sorted(tmp_path.iterdir())
    for args in WRITERS.values():
        assert cli.ok(*args, "-o", "-").stdout_bytes
    assert sorted(tmp_path.iterdir()) == files


# -- 2. one way to read input -----------------------------------------------------------------------------

AS_LIMIT = 1536 << 20  # 1.5 GiB of address space: the whole command, imports and all, must fit
READERS = {
    "source add": ["source", "add"],
    "import": ["import"],
    "claim import": ["claim", "import"],
}


def limited(db_url: str, *args: str, stdin: Any = None, timeout: float = 60) -> Any:
    """Run claimtrack in a subprocess with 1.5 GiB of address space, the way a user would from a shell."""
    import resource
    import subprocess
    import sys

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))

    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", db_url, *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        preexec_fn=cap,
    )
    # The shape of a CliRunner result, for refused().
    return SimpleNamespace(exit_code=done.returncode, stderr=done.stderr.decode("utf-8", "replace"))


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(
    db_url: str, sample: Any, snapshot: Snapshot, reader: str, device: str
) -> None:
    before = snapshot()
    refused(limited(db_url, *READERS[reader], device, timeout=30), f"'{device}' is a device, not a file")
    assert snapshot() == before


@pytest.mark.parametrize("reader", READERS)
def test_a_fifo_without_a_writer_is_refused_not_waited_on(
    db_url: str, sample: Any, snapshot: Snapshot, tmp_path: Path, reader: str
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = snapshot()
    refused(limited(db_url, *READERS[reader], str(fifo), timeout=30), "is a FIFO (named pipe)", "give -")
    (tmp_path / "folder").mkdir()
    refused(limited(db_url, *READERS[reader], str(tmp_path / "folder"), timeout=30), "is a folder")
    assert snapshot() == before


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("endless", [["yes"], ["cat", "/dev/zero"]])
def test_an_endless_stdin_stops_at_the_limit(
    db_url: str, sample: Any, snapshot: Snapshot, reader: str, endless: list[str]
) -> None:
    import subprocess

    before = snapshot()
    with subprocess.Popen(endless, stdout=subprocess.PIPE) as writer:
        result = limited(db_url, *READERS[reader], "-", stdin=writer.stdout, timeout=60)
        writer.kill()
    if reader == "import" and endless == ["yes"]:
        # Lines of "y": the first is not an export's header, and nothing more is read.
        refused(result, "line 1 is not JSON")
    elif reader == "import":
        refused(
            result, "stdin: line 1 is longer than 100 MiB (5 times the 20 MiB input limit)", "max-input-mib N"
        )
    else:
        refused(result, "stdin is larger than the 20 MiB input limit", "config set max-input-mib N",
                "CLAIMTRACK_MAX_INPUT_MIB=N")  # fmt: skip
    assert snapshot() == before


def test_the_limit_is_a_setting_and_an_environment_variable(
    cli: Any, sample: Any, snapshot: Snapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "long.txt"
    text.write_bytes(b"The harbour at Port Selden. " * (50_000))  # 1.3 MiB
    assert cli.ok("config", "get", "max-input-mib").stdout == "20\n"
    cli.ok("config", "set", "max-input-mib", "1")
    before = snapshot()
    refused(cli("source", "add", str(text)), f"{str(text)!r} is larger than the 1 MiB input limit")
    assert snapshot() == before
    monkeypatch.setenv("CLAIMTRACK_MAX_INPUT_MIB", "2")  # the environment wins, for one command
    assert cli.ok("source", "add", str(text), "--key", "long").stdout == "long\n"
    for bad in ("0", "1.5", "lots", "5000"):
        refused(cli("config", "set", "max-input-mib", bad), "whole number of MiB from 1 to 1024")
        monkeypatch.setenv("CLAIMTRACK_MAX_INPUT_MIB", bad)
        refused(
            cli("source", "add", str(text)), "CLAIMTRACK_MAX_INPUT_MIB: the input limit is a whole number"
        )
    monkeypatch.delenv("CLAIMTRACK_MAX_INPUT_MIB")
    cli.ok("config", "set", "max-input-mib", "2")
    assert cli.ok("source", "add", str(text), "--key", "long-2").stdout == "long-2\n"


def _gzip_zeros(size: int, before: bytes = b"", after: bytes = b"") -> bytes:
    """A gzip member of ``before``, ``size`` zero bytes (a multiple of 1 MiB) and ``after``, valid to its CRC
    and length, made without deflating all the zeros: after a full flush, each MiB of zeros deflates to the
    same bytes."""
    import struct
    import zlib

    mib = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(before) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(before)
    for _ in range(size >> 20):
        crc = zlib.crc32(mib, crc)
    deflated = start + block * (size >> 20) + packer.compress(after) + packer.flush(zlib.Z_FINISH)
    length = (len(before) + size + len(after)) & 0xFFFFFFFF
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + deflated
        + struct.pack("<II", zlib.crc32(after, crc), length)
    )


def _warc_headers(record_type: str, length: int) -> bytes:
    kind = "application/http; msgtype=response" if record_type == "response" else "text/plain"
    return (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Record-ID: <urn:uuid:3a1c0f52-0b6e-4a53-9d8e-5b0f4c8c1e2d>\r\n"
        f"WARC-Date: 2020-01-12T09:30:00Z\r\nWARC-Target-URI: https://harbor-wire.example/port-selden\r\n"
        f"Content-Type: {kind}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def _warc_response(payload: bytes, *, encoding: str) -> bytes:
    block = (
        f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {encoding}\r\n\r\n".encode()
        + payload
    )
    return _warc_headers("response", len(block)) + block + b"\r\n\r\n"


def test_a_gzip_in_gzip_warc_is_refused_within_the_memory_it_has(
    db_url: str, sample: Any, snapshot: Snapshot, tmp_path: Path
) -> None:
    import gzip

    # A page of 1 GiB behind HTTP gzip, inside the WARC record's own gzip member: a few kilobytes on disk.
    bomb = tmp_path / "page.warc.gz"
    bomb.write_bytes(gzip.compress(_warc_response(_gzip_zeros(1 << 30), encoding="gzip"), 9))
    assert bomb.stat().st_size < 20_000
    # A record before the page whose gzip member inflates to 1 GiB by itself.
    preamble = tmp_path / "preamble.warc.gz"
    info = _gzip_zeros(1 << 30, before=_warc_headers("warcinfo", 1 << 30), after=b"\r\n\r\n")
    page = gzip.compress(_warc_response(gzip.compress(b"<p>The statement.</p>"), encoding="gzip"))
    preamble.write_bytes(info + page)
    assert preamble.stat().st_size < 2 << 20
    before = snapshot()
    refused(
        limited(db_url, "source", "add", str(bomb)),
        "'page.warc.gz': the document in this WARC file is larger than the 20 MiB input limit",
    )
    refused(
        limited(db_url, "source", "add", str(preamble)),
        "'preamble.warc.gz': its records expand to more than 100 MiB (5 times the 20 MiB input limit)",
    )
    assert snapshot() == before


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _replace_part(data: bytes, name: str, content: bytes | Callable[[Any], None]) -> bytes:
    """A copy of a Word file with one part replaced by ``content``, or written anew by ``content(stream)``."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            if entry.filename == name:
                part = zipfile.ZipInfo(name)
                part.compress_type = zipfile.ZIP_DEFLATED
                with target.open(part, "w", force_zip64=True) as stream:
                    content(stream) if callable(content) else stream.write(content)
            else:
                target.writestr(entry, source.read(entry))
    return out.getvalue()


def test_a_zip_bomb_word_file_is_refused_before_it_is_inflated(
    db_url: str, sample: Any, snapshot: Snapshot, tmp_path: Path
) -> None:
    import zipfile

    good = _docx(["Statement on Port Selden."])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        xml = archive.read("word/document.xml")
    head, tail = xml.split(b"<w:body>", 1)
    paragraph = b"<w:p><w:r><w:t>Port Selden harbour cranes</w:t></w:r></w:p>"
    chunk = paragraph * ((1 << 20) // len(paragraph))

    def huge(stream: Any) -> None:  # 160 MiB of paragraphs: 70 million characters of text
        stream.write(head + b"<w:body>")
        for _ in range(160):
            stream.write(chunk)
        stream.write(tail)

    bomb = tmp_path / "statement.docx"
    bomb.write_bytes(_replace_part(good, "word/document.xml", huge))
    assert bomb.stat().st_size < 1 << 20
    before = snapshot()
    refused(
        limited(db_url, "source", "add", str(bomb)),
        "'statement.docx': its parts expand to more than 100 MiB (5 times the 20 MiB input limit)",
    )
    assert snapshot() == before


def test_a_word_file_whose_text_passes_the_limit_is_refused(
    cli: Any, sample: Any, snapshot: Snapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMTRACK_MAX_INPUT_MIB", "1")
    long = tmp_path / "long.docx"
    long.write_bytes(
        _docx(["The harbour at Port Selden, its cranes and its quays. " * 40] * 600)
    )  # 1.3 MB of text
    assert long.stat().st_size < 1 << 20
    before = snapshot()
    refused(cli("source", "add", str(long)), "'long.docx': its text is larger than the 1 MiB input limit")
    assert snapshot() == before


def _pdf(pages: list[str]) -> bytes:
    """A PDF whose pages show the given texts in Helvetica, compressed."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })  # fmt: skip
    for text in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        lines = "".join(f"({line}) Tj T* " for line in text.splitlines())
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 10 Tf 12 TL 40 760 Td {lines}ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_whose_text_passes_the_limit_is_refused(
    cli: Any, sample: Any, snapshot: Snapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = "\n".join(["The harbour at Port Selden and its cranes."] * 4000)  # 172 kB of text a page
    report = tmp_path / "report.pdf"
    report.write_bytes(_pdf([page] * 8))
    assert report.stat().st_size < 1 << 20
    monkeypatch.setenv("CLAIMTRACK_MAX_INPUT_MIB", "1")
    before = snapshot()
    refused(cli("source", "add", str(report)), "'report.pdf': its text is larger than the 1 MiB input limit")
    assert snapshot() == before
    monkeypatch.setenv("CLAIMTRACK_MAX_INPUT_MIB", "2")
    cli.ok("source", "add", str(report), "--key", "report")
    assert cli.ok("source", "text", "report").stdout.count("Port Selden") == 8 * 4000


# -- 3. bounded work ----------------------------------------------------------------------------------------


def _flat_page(paragraphs: int) -> bytes:
    return (
        "<html><head><title>Port Selden</title></head><body><nav>Home | Archive</nav>"
        + "".join(f"<p>Paragraph {i} at <b>Port</b> Selden.</p>" for i in range(paragraphs))
        + "</body></html>"
    ).encode()


def test_a_flat_page_of_300k_paragraphs_is_read_in_seconds_as_plain_text() -> None:
    import time

    from claimtrack.text.documents import MAX_HTML_ELEMENTS, read_document

    page = _flat_page(300_000)  # 12 MB: under the limit; trafilatura took minutes over it
    started = time.monotonic()
    document = read_document(page, "flat.html")
    took = time.monotonic() - started
    assert took < 30, took
    paragraphs = document.text.split("\n\n")
    assert paragraphs[:2] == ["Home | Archive", "Paragraph 0 at Port Selden."]
    assert paragraphs[1:] == [f"Paragraph {i} at Port Selden." for i in range(300_000)]
    assert document.title == "Port Selden"
    assert document.notes == (
        f"'flat.html' has 600,005 HTML elements, more than the {MAX_HTML_ELEMENTS:,} that claimtrack extracts "
        "an article from; its whole text was kept as plain text, navigation and all",
    )


def test_a_page_read_as_plain_text_says_so_on_stderr(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "flat.html"
    page.write_bytes(_flat_page(12_000))
    result = cli.ok("source", "add", str(page), "--key", "flat")
    assert result.stdout == "flat\n"
    assert "'flat.html' has 24,005 HTML elements" in result.stderr and "plain text" in result.stderr
    assert cli.ok("source", "text", "flat").stdout.endswith("Paragraph 11999 at Port Selden.")


def test_a_page_under_the_bound_is_still_an_article(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_bytes(_flat_page(200))
    result = cli.ok("source", "add", str(page), "--key", "article")
    assert "plain text" not in result.stderr
    assert "Home | Archive" not in cli.ok("source", "text", "article").stdout  # trafilatura left the menu out


# -- 4. text files ------------------------------------------------------------------------------------------

STATEMENT = "The Front said 3,000 were detained in Port Selden — «détenus».\nSecond line.\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_files_with_a_byte_order_mark_are_read(cli: Any, tmp_path: Path, encoding: str) -> None:
    data = STATEMENT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data  # the explicit-order codecs write no mark themselves
    statement = tmp_path / "statement.txt"
    statement.write_bytes(data)
    assert cli.ok("source", "add", str(statement), "--key", "st").stdout == "st\n"
    assert cli.ok("source", "text", "st").stdout == STATEMENT
    # The original bytes are kept as they were: the WARC file's resource record (beside its warcinfo and the
    # text extracted from it).
    records = written(cli.ok("source", "warc", "st").stdout_bytes)
    assert [payload for kind, payload in records if kind == "resource"] == [data]
    # A spreadsheet saved as "Unicode text" with its mark, too.
    sheet = tmp_path / "claims.csv"
    sheet.write_bytes(("\ufeff" if "le" in encoding or "be" in encoding else "").encode(encoding)
                      + "text,by\n\"3,000 detained\",Amber Front\n".encode(encoding))  # fmt: skip
    cli.ok("entity", "add", "Amber Front")
    cli.ok("claim", "import", str(sheet))
    assert [claim["text"] for claim in cli.json("claim", "list")] == ["3,000 detained"]


def test_a_word_file_with_an_unresolved_entity_is_refused_not_cut_short(
    cli: Any, sample: Any, snapshot: Snapshot, tmp_path: Path
) -> None:
    import zipfile

    good = _docx(["First paragraph at Port Selden.", "Second MARK paragraph.", "Third paragraph."])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        xml = archive.read("word/document.xml")
    declaration, rest = xml.split(b"?>", 1)
    for entity in (b'<!ENTITY veloria "Veloria">', b'<!ENTITY veloria SYSTEM "file:///etc/hostname">'):
        damaged = (
            declaration + b"?><!DOCTYPE w:document [" + entity + b"]>" + rest.replace(b"MARK", b"&veloria;")
        )
        memo = tmp_path / "memo.docx"
        memo.write_bytes(_replace_part(good, "word/document.xml", damaged))
        before = snapshot()
        refused(cli("source", "add", str(memo)), "'memo.docx': its text holds an XML entity (&veloria;)")
        assert snapshot() == before
    # Without the entity, the same file is read whole.
    plain = tmp_path / "plain.docx"
    plain.write_bytes(good)
    cli.ok("source", "add", str(plain), "--key", "memo")
    assert cli.ok("source", "text", "memo").stdout == (
        "First paragraph at Port Selden.\n\nSecond MARK paragraph.\n\nThird paragraph."
    )


def test_long_word_and_pdf_files_report_their_progress() -> None:
    from claimtrack.text.documents import read_document

    told: list[tuple[str, int, int]] = []
    document = read_document(_docx([f"Paragraph {i} at Port Selden." for i in range(2500)]), "long.docx",
                             progress=lambda *step: told.append(step))  # fmt: skip
    assert document.text.count("Port Selden") == 2500
    assert [step[:2] for step in told] == [("reading paragraphs", 1000), ("reading paragraphs", 2000)]
    assert all(total >= 2500 for _stage, _done, total in told)
    told.clear()
    read_document(_pdf(["Port Selden"] * 3), "pages.pdf", progress=lambda *step: told.append(step))
    assert told == [("reading pages", 1, 3), ("reading pages", 2, 3), ("reading pages", 3, 3)]
