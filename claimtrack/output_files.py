"""Files that commands write: reports, exports, WARC records, backups -- one way to put a file in place.

Every command that writes a file given on its command line (``report -o``, ``export -o``, ``source warc -o``,
``db backup``) goes through :func:`output_file` (or, for the backup, which SQLite writes itself, through
:func:`check_target` and :func:`move_into_place`), so that the same rules hold everywhere:

* the database is never the target: not the SQLite file, not its ``-wal``, ``-shm`` or ``-journal`` files,
  compared by inode when the target exists (a hard link is the same file) and by real path otherwise;
* an existing file is replaced only with ``--force``, and a file that appears while the output is written is
  kept (the new one is linked into place, which never replaces);
* a symbolic link at the target is refused, with or without ``--force``: writing through it would replace the
  file it points to, which the researcher did not name;
* a folder, a device or a FIFO as the target, or a folder that does not exist, is a one-line error;
* the content goes to a temporary file in the same folder, flushed and synced to disk, then renamed into
  place: an error half-way (a full disk, an interrupted command) leaves the old file as it was, and no
  partial file;
* ``-`` is standard output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, cast, overload

from .errors import Conflict, InvalidInput

STDOUT = "-"
# The files SQLite keeps beside a database while it is in use.
DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def refuse_database(target: Path, database: Path | None, what: str = "the output") -> None:
    """Raise InvalidInput if ``target`` is the SQLite ``database`` or one of the files SQLite keeps beside it."""
    if database is None:
        return
    for companion in DATABASE_COMPANIONS:
        if same_file(target, Path(f"{database}{companion}")):
            named = "the database" if not companion else f"the database's {companion[1:]} file"
            raise InvalidInput(f"{what} cannot be {named} ('{target}'); name another file")


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file: by inode when both exist, else by real path."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.realpath(one) == os.path.realpath(other)


def check_target(
    target: Path, *, force: bool, database: Path | None = None, what: str = "the output"
) -> None:
    """Refuse a target that must not be written: see the module docstring. Raises InvalidInput or Conflict."""
    refuse_database(target, database, what)
    try:
        found = target.lstat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise InvalidInput(f"cannot write '{target}': {exc.strerror}") from None
    if found is not None:
        if stat.S_ISLNK(found.st_mode):
            raise InvalidInput(
                f"cannot write '{target}': it is a symbolic link, and claimtrack does not write through links; "
                "name the file itself"
            )
        if stat.S_ISDIR(found.st_mode):
            raise InvalidInput(f"cannot write '{target}': it is a folder; name the file to write")
        if not stat.S_ISREG(found.st_mode):
            raise InvalidInput(
                f"cannot write '{target}': it is not a regular file (a device, FIFO or socket); use - for stdout"
            )
        if not force:
            raise Conflict(f"'{target}' exists; pass --force to replace it")
    folder = target.parent
    if not folder.is_dir():
        problem = "does not exist" if not folder.exists() else "is not a folder"
        raise InvalidInput(f"cannot write '{target}': folder '{folder}' {problem}")


def check_output(target: str, *, force: bool, database: Path | None) -> None:
    """Refuse an output path (``-`` is standard output) before any work is done for it; :func:`output_file`
    checks again when it writes."""
    if target != STDOUT:
        check_target(Path(target), force=force, database=database)


def partial_path(target: Path) -> Path:
    """A temporary name beside ``target``, hidden, that no other writer picks."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")


def move_into_place(partial: Path, target: Path, *, force: bool) -> None:
    """Rename a finished temporary file to ``target``; without ``force`` never replace a file found there."""
    if force:
        os.replace(partial, target)
    else:
        try:
            # A hard link never replaces: a file that appeared at target meanwhile is kept.
            os.link(partial, target)
        except FileExistsError:
            raise Conflict(f"'{target}' exists; pass --force to replace it") from None
        except OSError:  # a file system without hard links
            if os.path.lexists(target):
                raise Conflict(f"'{target}' exists; pass --force to replace it") from None
            os.replace(partial, target)
        else:
            partial.unlink()
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); where folders cannot be opened, the file system does it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@overload
def output_file(
    target: str, *, force: bool, database: Path | None, binary: Literal[False] = ...
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def output_file(
    target: str, *, force: bool, database: Path | None, binary: Literal[True]
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def output_file(
    target: str, *, force: bool, database: Path | None, binary: bool = False
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """A stream to write an output file to: standard output for ``-``, else a temporary file beside
    ``target`` that becomes ``target`` when the block ends without an error (and is removed otherwise).

    Text streams are UTF-8 with ``"\\n"`` line endings. ``database`` is the ledger's SQLite file (None for
    PostgreSQL), which is refused as a target, with its companions. Checks happen before the block runs, so
    a refused target costs no work; a write that fails (a full disk) raises InvalidInput and leaves whatever
    was at ``target`` before.
    """
    return cast(
        "contextlib.AbstractContextManager[IO[str]]",
        _output_file(target, force=force, database=database, binary=binary),
    )


@contextlib.contextmanager
def _output_file(
    target: str, *, force: bool, database: Path | None, binary: bool
) -> Iterator[IO[str] | IO[bytes]]:
    if target == STDOUT:
        stream: IO[str] | IO[bytes] = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    path = Path(target)
    check_target(path, force=force, database=database)
    partial = partial_path(path)
    try:
        # O_EXCL: a name no one else holds; 0o666 less the umask, as any new file (not mkstemp's 0o600).
        descriptor = os.open(
            partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666
        )
    except OSError as exc:
        raise InvalidInput(f"cannot write '{target}': {exc.strerror}") from None
    try:
        with contextlib.suppress(OSError):
            # A replaced file keeps its permissions (a report shared read-only stays read-only to others).
            os.chmod(partial, stat.S_IMODE(path.stat().st_mode))
        with (
            os.fdopen(descriptor, "wb")
            if binary
            else os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        move_into_place(partial, path, force=force)
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        kept = "the file there is unchanged" if path.exists() else "nothing was written"
        raise InvalidInput(f"cannot write '{target}': {reason}; {kept}") from None
    finally:
        partial.unlink(missing_ok=True)
