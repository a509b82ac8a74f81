"""Errors a researcher can act on.

Every exception raised on purpose by claimtrack derives from :class:`ClaimtrackError`; the command line turns
it into one line on stderr and exit code 1. Anything else is a bug and says so.
"""

from __future__ import annotations

from collections.abc import Sequence


class ClaimtrackError(Exception):
    """A problem with the user's input or database, explained in one line."""


class InvalidInput(ClaimtrackError):
    """A value the user gave cannot be used (malformed date, inverted range, empty text, ...)."""


class DateError(InvalidInput):
    """A date that the date parser cannot read."""


class NotFound(ClaimtrackError):
    """A name, key or id that matches nothing; lists the closest candidates."""

    def __init__(self, what: str, name: str, candidates: Sequence[str] = ()) -> None:
        self.what, self.name, self.candidates = what, name, list(candidates)
        message = f"no {what} named {name!r}"
        if self.candidates:
            message += "; closest: " + ", ".join(repr(c) for c in self.candidates)
        super().__init__(message)


class Ambiguous(ClaimtrackError):
    """A name that matches several records; lists them."""

    def __init__(self, what: str, name: str, candidates: Sequence[str]) -> None:
        self.what, self.name, self.candidates = what, name, list(candidates)
        super().__init__(
            f"{name!r} names more than one {what}: " + ", ".join(repr(c) for c in self.candidates)
        )


class Conflict(ClaimtrackError):
    """The change would duplicate or contradict what is already recorded."""


class SchemaOutOfDate(ClaimtrackError):
    """The database was made by another version of claimtrack's schema."""


class DatabaseBusy(ClaimtrackError):
    """Another writer held the database for longer than the busy timeout."""


class DatabaseDamaged(ClaimtrackError):
    """SQLite cannot read the file: it is not a database, or some of its pages are damaged."""


class ReadOnlyDatabase(ClaimtrackError):
    """The database file, or its folder, cannot be written by this user."""
