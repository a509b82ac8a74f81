"""Files and streams that commands read: documents, exports, spreadsheets -- one way to take input.

Every command that reads a path or ``-`` from its command line (``source add``, ``import``, ``claim import``)
goes through this module, so that no input can hang a command or exhaust the machine's memory:

* a path must be a regular file (a symbolic link to one is fine); a FIFO, a device (``/dev/zero``) or a socket
  is refused before it is opened, and it is opened without blocking in case it was swapped meanwhile: a
  FIFO without a writer would otherwise wait for ever. ``-`` reads standard input, where a pipe belongs.
* bytes are counted as they are read, not taken from the file's size (which is 0 for pipes and devices), and
  reading stops one byte past the limit;
* what a file expands to is bounded the same way: a WARC record's content and the gzip streams around it,
  a Word file's parts together, a PDF's extracted text (see :func:`expanded_limit` and
  :func:`claimtrack.text.documents.read_document`).

The limit is :data:`DEFAULT_LIMIT_MIB` MiB, settable for everyone using a database with ``claimtrack config
set max-input-mib N`` and for one command with the environment variable ``CLAIMTRACK_MAX_INPUT_MIB``
(which wins). Every refusal names the limit and both ways to raise it.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from .errors import InvalidInput

STDIN = "-"
DEFAULT_LIMIT_MIB = 20
LIMIT_ENV = "CLAIMTRACK_MAX_INPUT_MIB"
SETTING = "max-input-mib"
LARGEST_LIMIT_MIB = 1024  # PostgreSQL's bytea holds at most 1 GB
# A Word file's parts (XML, images) together may be this many times the limit: XML compresses tenfold, and
# a long report's markup is many times its text.
EXPANSION = 5
_CHUNK = 1 << 20


def check_limit_mib(value: str) -> str:
    """A limit in MiB as the setting stores it; InvalidInput for anything but a whole number in range."""
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if not 1 <= number <= LARGEST_LIMIT_MIB:
        raise InvalidInput(
            f"the input limit is a whole number of MiB from 1 to {LARGEST_LIMIT_MIB}, not {value.strip()!r}"
        )
    return str(number)


@dataclass(frozen=True)
class Limit:
    """How much input a command reads: ``bytes`` at most from a file or stdin, and what it may expand to."""

    bytes: int = DEFAULT_LIMIT_MIB << 20

    @classmethod
    def from_setting(cls, setting: str | None = None) -> Limit:
        """The limit from ``CLAIMTRACK_MAX_INPUT_MIB``, else the database's setting, else the default."""
        value = os.environ.get(LIMIT_ENV, "").strip()
        if value:
            try:
                return cls(int(check_limit_mib(value)) << 20)
            except InvalidInput as exc:
                raise InvalidInput(f"{LIMIT_ENV}: {exc}") from None
        return cls(int(check_limit_mib(setting)) << 20 if setting else DEFAULT_LIMIT_MIB << 20)

    @property
    def mib(self) -> int:
        return self.bytes >> 20

    @property
    def expanded(self) -> int:
        """What a compressed file (a Word file's parts together) may expand to."""
        return self.bytes * EXPANSION

    def refusal(self, problem: str) -> InvalidInput:
        """The one line that refuses an input for ``problem`` ("'x' is larger than the 20 MiB input limit"),
        saying how to raise the limit."""
        return InvalidInput(
            f"{problem}; to read it, raise the limit for this database (claimtrack config set {SETTING} N) "
            f"or for one command ({LIMIT_ENV}=N)"
        )

    def too_large(self, origin: str) -> InvalidInput:
        return self.refusal(f"{origin} is larger than the {self.mib} MiB input limit")

    def expands_too_far(self, origin: str, what: str) -> InvalidInput:
        """Refuses a compressed file whose ``what`` ("its parts") would pass :attr:`expanded`."""
        return self.refusal(
            f"{origin}: {what} expand to more than {self.expanded >> 20} MiB ({EXPANSION} times the "
            f"{self.mib} MiB input limit)"
        )


def describe(path: str) -> str:
    """How messages name an input: "stdin" or the path quoted."""
    return "stdin" if path == STDIN else repr(path)


def open_input(path: str) -> IO[bytes]:
    """A regular file opened for reading, or standard input for ``-``; InvalidInput for anything else."""
    if path == STDIN:
        return sys.stdin.buffer
    try:
        found = os.stat(path)
        _require_regular(path, found.st_mode)
        # O_NONBLOCK: if the path became a FIFO since the stat, opening it must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InvalidInput(f"no file {path!r}") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path!r}: {exc.strerror}") from None
    try:
        _require_regular(path, os.fstat(descriptor).st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _require_regular(path: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InvalidInput(f"{path!r} is a folder, not a file")
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    raise InvalidInput(f"{path!r} is {kind}, not a file; to read from a pipe, give - and pipe it to stdin")


def read_input(path: str, limit: Limit) -> bytes:
    """All of a file's bytes (or stdin's for ``-``), refused one byte past the limit."""
    stream = open_input(path)
    try:
        return read_bounded(stream, limit, describe(path))
    except OSError as exc:
        raise InvalidInput(f"cannot read {describe(path)}: {exc.strerror or exc}") from None
    finally:
        if path != STDIN:
            stream.close()


def read_bounded(stream: IO[bytes], limit: Limit, origin: str) -> bytes:
    """A stream's bytes up to ``limit``; reading stops at the first byte past it, which is refused."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit.bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit.bytes:
            raise limit.too_large(origin)


def bounded_lines(stream: IO[bytes], limit: Limit, origin: str) -> Iterator[bytes]:
    """A stream's lines (with their line ends), each refused past :attr:`Limit.expanded` bytes (a line of an
    export holds a whole original file in base64): a stream without line breaks (``/dev/zero`` piped in) is
    stopped there instead of filling the memory. The stream as a whole is not bounded: its lines are not kept."""
    longest = limit.expanded
    number = 0
    while True:
        line = stream.readline(longest + 1)
        number += 1
        if not line:
            return
        if len(line) > longest:
            raise limit.refusal(
                f"{origin}: line {number:,} is longer than {longest >> 20} MiB ({EXPANSION} times the "
                f"{limit.mib} MiB input limit)"
            )
        yield line


def text_lines(stream: IO[bytes], limit: Limit, origin: str) -> Iterator[str]:
    """A stream's lines as UTF-8 text (a byte-order mark at the start dropped), bounded as
    :func:`bounded_lines`; InvalidInput names the first line that is not UTF-8."""
    for number, line in enumerate(bounded_lines(stream, limit, origin), start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{origin}: line {number:,} is not UTF-8 text (byte {exc.start + 1})"
            ) from None
