"""Sources as WARC records, to exchange documents with web-archiving tools (warcio)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import BinaryIO

from .errors import InvalidInput
from .models import Source


@dataclass(frozen=True)
class WarcDocument:
    """The document a WARC response or resource record carries."""

    content: bytes
    media_type: str | None
    url: str | None
    retrieved_at: dt.datetime | None
    name: str  # a file name for format detection: the URL's last part


def is_warc(data: bytes) -> bool:
    """A WARC file, plain or gzipped (each record is its own gzip member)."""
    if data.startswith(b"WARC/"):
        return True
    if data[:2] == b"\x1f\x8b":
        import gzip

        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data[:4096])) as stream:
                return stream.read(5) == b"WARC/"
        except (OSError, EOFError):
            return False
    return False


def read_warc(data: bytes, origin: str) -> WarcDocument:
    """The first response or resource record of a WARC file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and record.http_headers is not None:
                media_type = record.http_headers.get_header("Content-Type")
            else:
                media_type = record.rec_headers.get_header("Content-Type")
            content = record.content_stream().read()
            when = record.rec_headers.get_header("WARC-Date")
            retrieved = (
                dt.datetime.fromisoformat(when.replace("Z", "+00:00")).replace(tzinfo=None) if when else None
            )
            name = (url or "document").rstrip("/").rsplit("/", 1)[-1] or "document"
            return WarcDocument(content, media_type, url, retrieved, name)
    except (ArchiveLoadFailed, ValueError, OSError) as exc:
        raise InvalidInput(f"{origin}: not a readable WARC file ({str(exc).splitlines()[0]})") from None
    raise InvalidInput(f"{origin}: the WARC file holds no response or resource record")


def write_warc(source: Source, stream: BinaryIO) -> None:
    """Write the source's original file (else its stored text) as one gzipped WARC record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    if source.file is not None:
        content, media_type = source.file.content, source.file.media_type
        url = source.file.url or source.url
        when = source.file.retrieved_at
    elif source.text is not None:
        content, media_type = source.text.encode("utf-8"), "text/plain; charset=utf-8"
        url, when = source.url, None
    else:
        raise InvalidInput(f"source {source.key!r} has neither an original file nor a stored text to export")
    writer = WARCWriter(stream, gzip=True)
    headers = {"WARC-Date": (when or source.created_at).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if url:
        http = StatusAndHeaders("200 OK", [("Content-Type", media_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(content), http_headers=http, warc_headers_dict=headers
        )
    else:
        # No URL was recorded: a resource record named after the source, which archiving tools accept.
        headers["Content-Type"] = media_type
        record = writer.create_warc_record(
            f"urn:claimtrack:source:{source.key}",
            "resource",
            payload=io.BytesIO(content),
            warc_headers_dict=headers,
        )
    writer.write_record(record)
