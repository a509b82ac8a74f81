"""Sources as WARC records, to exchange documents with web-archiving tools (warcio)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

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

    A record that claimtrack wrote (named ``urn:claimtrack:source:KEY``) has no URL of its own: the source's
    URL, if any, is the one its ``warcinfo`` record names, and its date is when it was logged, not retrieved.
    Its content (with any HTTP content encoding removed) is refused past ``limit``, like any file; the
    records are decompressed only as far as that first document, and never past ``limit.expanded``.
    """
    import zlib

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from .input_files import Limit

    limit = limit or Limit()
    source_url = None
    try:
        for record in ArchiveIterator(io.BufferedReader(_Inflated(data, origin, limit))):
            if record.rec_type == "warcinfo":
                source_url = _warcinfo_url(record.content_stream().read()) or source_url
                continue
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
            if url and url.startswith(_OWN_NAME):
                url, retrieved = source_url, None
            name = (url or "document").rstrip("/").rsplit("/", 1)[-1] or "document"
            return WarcDocument(content, media_type, url, retrieved, name)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidInput(f"{origin}: not a readable WARC file ({reason})") from None
    raise InvalidInput(f"{origin}: the WARC file holds no response or resource record")


_OWN_NAME = "urn:claimtrack:source:"
_SOURCE_URL_FIELD = "claimtrack-source-url"


def _warcinfo_url(fields: bytes) -> str | None:
    from .text.links import web_url

    for line in fields.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == _SOURCE_URL_FIELD:
            return web_url(value.strip())
    return None


def write_warc(source: Source, stream: IO[bytes]) -> None:
    """Write the source as a gzipped WARC file of what claimtrack holds, never presented as a web capture.

    * a ``warcinfo`` record: what wrote the file, and which source it holds;
    * the original file, when there is one, as a ``resource`` record with its own media type, named by the URL
      it was retrieved from (else ``urn:claimtrack:source:KEY``) and dated when it was retrieved (else when it
      was logged);
    * the text claimtrack extracted from it as a ``conversion`` record that refers to the original
      (``WARC-Refers-To``); a source with no original file gets its text as the ``resource`` itself, named by
      the ``urn:`` of the source, not by the publisher's URL: claimtrack did not capture that page.

    claimtrack makes no HTTP ``response`` record: it does not capture HTTP exchanges, and a fabricated one
    would be replayed as a real capture of the page.
    """
    from warcio.warcwriter import WARCWriter

    from . import __version__
    from .text.links import web_url

    if source.file is None and source.text is None:
        raise InvalidInput(f"source {source.key!r} has neither an original file nor a stored text to export")
    name = _OWN_NAME + quote(source.key, safe="")
    writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")
    info = {
        "software": f"claimtrack/{__version__}",
        "format": "WARC File Format 1.1",
        "description": (
            f"claimtrack source {source.key!r}: "
            + ("its original file and the text extracted from it" if source.file else "its stored text")
            + "; not a web capture"
        ),
    }
    url = web_url(source.url)
    if url:
        info[_SOURCE_URL_FIELD] = url  # where the document was published: a field, not a capture
    warcinfo = writer.create_warcinfo_record(f"{source.key}.warc.gz", info)
    writer.write_record(warcinfo)
    info_id = warcinfo.rec_headers.get_header("WARC-Record-ID")

    def headers(when: dt.datetime) -> dict[str, str]:
        return {"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "WARC-Warcinfo-ID": info_id}

    text_type = "text/plain; charset=utf-8"
    if source.file is None:
        assert source.text is not None
        record = writer.create_warc_record(
            name,
            "resource",
            payload=io.BytesIO(source.text.encode("utf-8")),
            warc_content_type=text_type,
            warc_headers_dict=headers(source.created_at),
        )
        writer.write_record(record)
        return
    uri = source.file.url or name
    original = writer.create_warc_record(
        uri,
        "resource",
        payload=io.BytesIO(source.file.content),
        warc_content_type=source.file.media_type,
        warc_headers_dict=headers(source.file.retrieved_at or source.created_at),
    )
    writer.write_record(original)
    if source.text is not None:
        conversion = writer.create_warc_record(
            uri,
            "conversion",
            payload=io.BytesIO(source.text.encode("utf-8")),
            warc_content_type=text_type,
            warc_headers_dict={
                **headers(source.created_at),
                "WARC-Refers-To": original.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(conversion)
