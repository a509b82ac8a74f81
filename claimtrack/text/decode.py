"""Bytes to text: how a document's bytes are read as text, the same for every command that takes text.

Pure (no database, no I/O): :mod:`claimtrack.text.documents` and ``claim import`` use it as much as ``source add``.
"""

from __future__ import annotations

import codecs

from ..errors import InvalidInput


def read_text(data: bytes, origin: str) -> str:
    """Decode a document's bytes as UTF-8 text, kept exactly (no newline or whitespace changes); a
    byte-order mark says UTF-8 or UTF-16 (as Windows editors save "Unicode" text), and is dropped."""
    if not data:
        raise InvalidInput(f"{origin} is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{origin} is not UTF-16 text (byte {exc.start} is invalid)") from exc
        if "\x00" in text:
            raise InvalidInput(f"{origin} holds a NUL character: it looks like a binary file, not text")
        return text.removeprefix("\ufeff")
    # A NUL byte anywhere, not only near the start: text does not hold one (a file that does is binary, or
    # UTF-16), and PostgreSQL cannot store one, so a document must not be kept on one backend and refused on
    # the other. The whole file is searched: a byte search over 20 MiB takes milliseconds.
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InvalidInput(
            f"{origin} holds a NUL byte at byte {nul:,}: it looks like a binary file, not text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{origin} is not UTF-8 text (byte {exc.start} is invalid)") from exc
    return text.removeprefix("\ufeff")
