"""Claims from a spreadsheet: a CSV file with a header row, one claim per row, logged in one transaction.

The header names the columns (any order; only ``text`` and ``by`` are required); each maps to an option of
``claimtrack claim add``. Several tags or "about" entities go in one cell, separated by semicolons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from .claims import add_claim
from .errors import ClaimtrackError, InvalidInput

COLUMNS = (
    "text", "by", "kind", "source", "passage", "locator", "stance", "quote", "language", "translation",
    "said_on", "when", "about", "value", "low", "high", "unit", "counted", "qualifier", "measure", "tags", "note",
)  # fmt: skip
LISTS = {"about", "tags"}
# Column names as spreadsheets tend to write them.
ALIASES = {"said on": "said_on", "said-on": "said_on", "tag": "tags", "notes": "note", "claimant": "by"}


def import_claims(
    session: Session, data: str, *, progress: Callable[[str, int, int], None] | None = None
) -> list[str]:
    """Log every row as a claim; any bad row stops the import with its row number, and nothing is kept.
    ``progress`` is told ("logging claims", lines read, lines in the file) as the rows go in."""
    # newline="": the csv module reads the line endings itself, so a bare "\r" (old Mac files, or a stray one
    # in a cell) does not stop it with "new-line character seen in unquoted field".
    reader = csv.DictReader(io.StringIO(data.removeprefix("\ufeff"), newline=""))
    try:
        return _import_rows(session, reader, data, progress)
    except csv.Error as exc:  # a cell over the csv module's size limit, a malformed quote
        raise InvalidInput(f"line {reader.line_num}: cannot read the CSV file ({exc})") from None


def _import_rows(
    session: Session,
    reader: csv.DictReader[str],
    data: str,
    progress: Callable[[str, int, int], None] | None,
) -> list[str]:
    if not reader.fieldnames:
        raise InvalidInput("the CSV file is empty")
    header = _read_header(reader.fieldnames)
    unknown = sorted(set(header.values()) - set(COLUMNS))
    if unknown:
        raise InvalidInput(f"unknown column(s) {', '.join(map(repr, unknown))}; known: {', '.join(COLUMNS)}")
    if not {"text", "by"} <= set(header.values()):
        raise InvalidInput("the CSV header needs at least the columns 'text' and 'by'")
    keys = []
    lines = data.count("\n") or 1
    for number, row in enumerate(reader, start=2):
        if progress is not None and number % 100 == 0:
            progress("logging claims", min(reader.line_num, lines), lines)
        beyond = [cell for cell in row.get(None) or () if cell.strip()]
        if beyond:
            raise InvalidInput(
                f"row {number}: {len(beyond)} cell(s) beyond the header's {len(header)} columns "
                f"({', '.join(repr(_short(cell)) for cell in beyond[:3])}); name their column in the header, "
                "or remove them"
            )
        values: dict[str, Any] = {}
        for column, value in row.items():
            if column is None or value is None or not value.strip():
                continue
            name = header[column]
            values[name] = (
                [part.strip() for part in value.split(";") if part.strip()]
                if name in LISTS
                else value.strip()
            )
        if not values:
            continue
        text, by = values.pop("text", ""), values.pop("by", "")
        if "note" in values:
            values["notes"] = values.pop("note")
        if "language" in values:
            values["quote_language"] = values.pop("language")
        try:
            keys.append(add_claim(session, text, by=by, **values).claim.key)
        except ClaimtrackError as exc:
            raise InvalidInput(f"row {number}: {exc}") from None
    if progress is not None:
        progress("logging claims", lines, lines)
    return keys


def _read_header(names: Sequence[str]) -> dict[str, str]:
    """Each header cell and the column it names; a column named twice, under the same name or two of its
    names ("tag" and "tags"), is refused: one of the two would be dropped without a word."""
    header: dict[str, str] = {}
    seen: dict[str, tuple[int, str]] = {}
    for position, name in enumerate(names, start=1):
        column = ALIASES.get(name.strip().lower(), name.strip().lower())
        if column in seen:
            first, first_name = seen[column]
            same = first_name.strip().lower() == name.strip().lower()
            raise InvalidInput(
                f"the CSV header names the column {column!r} twice"
                + (f" ({first_name!r} in column {first}, {name!r} in column {position})" if not same
                   else f" (columns {first} and {position})")
                + "; keep one"
            )  # fmt: skip
        seen[column] = (position, name)
        header[name] = column
    return header


def _short(cell: str, width: int = 30) -> str:
    cell = cell.strip()
    return cell if len(cell) <= width else cell[: width - 1] + "…"
