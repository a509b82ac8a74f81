"""Sources as WARC records, to exchange documents with web-archiving tools (warcio)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from .errors import InvalidInput
from .models import Source

if TYPE_CHECKING:
    from .input_files import Limit


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


class _Inflated(io.RawIOBase):
    """A WARC file's bytes, its gzip members decompressed as they are read, refused past ``limit.expanded``.

    warcio would decompress a member whole, however far it expands (a few kilobytes can hold gigabytes); here
    the stream stops at the bound, which the records before the first document must stay within.
    """

    def __init__(self, data: bytes, origin: str, limit: Limit) -> None:
        import gzip

        self.stream: io.BufferedIOBase = (
            gzip.GzipFile(fileobj=io.BytesIO(data)) if data[:2] == b"\x1f\x8b" else io.BytesIO(data)
        )
        self.origin, self.limit, self.total = origin, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        self.total += len(data)
        if self.total > self.limit.expanded:
            raise self.limit.expands_too_far(self.origin, "its records")
        buffer[: len(data)] = data
        return len(data)


def read_warc(data: bytes, origin: str, limit: Limit | None = None) -> WarcDocument:
    """The first response or resource record of a WARC file.

    Its content (with any HTTP content encoding removed) is refused past ``limit``, like any file; the
    records are decompressed only as far as that first document, and never past ``limit.expanded``.
    """
    import zlib

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from .input_files import Limit

    limit = limit or Limit()
    try:
        for record in ArchiveIterator(io.BufferedReader(_Inflated(data, origin, limit))):
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and record.http_headers is not None:
                media_type = record.http_headers.get_header("Content-Type")
            else:
                media_type = record.rec_headers.get_header("Content-Type")
            content = record.content_stream().read(limit.bytes + 1)
            if len(content) > limit.bytes:
                raise limit.too_large(f"{origin}: the document in this WARC file")
            when = record.rec_headers.get_header("WARC-Date")
            retrieved = (
                dt.datetime.fromisoformat(when.replace("Z", "+00:00")).replace(tzinfo=None) if when else None
            )
            name = (url or "document").rstrip("/").rsplit("/", 1)[-1] or "document"
            return WarcDocument(content, media_type, url, retrieved, name)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidInput(f"{origin}: not a readable WARC file ({reason})") from None
    raise InvalidInput(f"{origin}: the WARC file holds no response or resource record")


def write_warc(source: Source, stream: IO[bytes]) -> None:
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
