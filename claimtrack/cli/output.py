"""Rendering: data to stdout (a table for people, JSON for programs), messages to stderr.

Everything the ledger holds is the researchers' sources' text, not ours: it is always shown as plain text
(never parsed as Rich markup) and stripped of terminal control sequences, so a claim that contains
"[red]" or an escape sequence shows those characters instead of acting on the terminal.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

# Rich is imported where it is used: `--version`, `--help` and every command that prints nothing to a table
# start without it (issue 6: start-up within 1.3x of a bare Typer app).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

# A record a show command prints: as JSON, or through the command's renderer.
Record = TypeVar("Record", bound=Mapping[str, Any])

# C0/C1 control characters other than tab and newline, which could move the cursor or recolour the terminal,
# and the bidirectional embedding, override and isolate controls, which could reorder the rest of a table's line
# (a right-to-left override in one cell reverses the cells after it). The marks that right-to-left text needs
# (LRM, RLM, ALM) only affect the characters beside them and are left alone.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# A terminal table is for reading: a cell longer than this (a whole document pasted as a passage) is cut, saying
# how much is left out, rather than spending a minute laying out ten megabytes. --json has everything.
LONGEST_CELL = 10_000


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(value: Any) -> str:
    """A value as text that cannot drive the terminal: control characters (and bidirectional controls) become
    visible escapes, "\\x1b" or "\\u202e"."""
    if value is None:
        return ""
    return _CONTROL.sub(_visible, str(value))


def cell(value: Any) -> Text:
    from rich.text import Text

    if isinstance(value, list | tuple):
        value = ", ".join(inert(item) for item in value)
    shown = inert(value)
    if len(shown) > LONGEST_CELL:
        left_out = len(shown) - LONGEST_CELL
        shown = f"{shown[:LONGEST_CELL]}… [{left_out:,} more characters; --json shows all]"
    return Text(shown)


# Piped output goes to files, pagers and other programs: it is not wrapped at all (a row is one line, however
# long), unless COLUMNS asks for a width. Rich would otherwise fold every cell at its 80-column default.
PIPED_WIDTH = 1_000_000


def stdout() -> Console:
    from rich.console import Console

    # Made per call so that the test runner's captured stdout is the one written to.
    width = None
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
        width = PIPED_WIDTH
    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=width)


# The text column keeps at least this share of a narrow terminal; the other columns are cut with "…" to fit.
TEXT_SHARE = 0.45
NARROWEST = 4


def _fit(natural: list[int], text: int, room: int, keep: frozenset[int] = frozenset()) -> list[int] | None:
    """Column widths that fit ``room`` characters of content: the text column (``text``) gets what it needs, up
    to all but what the others need, and at least TEXT_SHARE of the room; the others shrink, widest first,
    down to NARROWEST (then to a single "…" on a very narrow terminal), except those in ``keep`` (the ids
    people copy). None when everything fits as it is."""
    if sum(natural) <= room:
        return None
    others = sum(width for index, width in enumerate(natural) if index != text)
    widths = list(natural)
    widths[text] = max(1, min(natural[text], max(int(room * TEXT_SHARE), room - others)))
    budget = room - widths[text]
    for floor in (NARROWEST, 1):
        shrinkable = [i for i in range(len(widths)) if i != text and i not in keep]
        while shrinkable and sum(w for i, w in enumerate(widths) if i != text) > budget:
            index = max(shrinkable, key=lambda i: widths[i])
            if widths[index] <= floor:
                break
            widths[index] -= 1
    # What the others leave (more than the share when they are narrow; less only when nothing else can give).
    widths[text] = max(1, min(natural[text], room - sum(w for i, w in enumerate(widths) if i != text)))
    return widths


def stderr() -> Console:
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr for long work, when stderr is a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr(),
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield advance


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# The columns that hold the text a listing is about, in the order they are looked for; and those never cut
# (ids, which people copy into the next command).
TEXT_COLUMNS = ("shown", "text", "snippet", "change", "title", "passage")
WHOLE_COLUMNS = ("key", "claim", "source", "id")


def table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
    width: int | None = None,
) -> Table:
    """A Rich table of ``rows``; ``columns`` are (key, heading) pairs.

    On a terminal too narrow for every cell, the text column (the claim, the snippet: see TEXT_COLUMNS, else the
    widest) keeps its width and wraps at words; the other columns are cut with "…". ``width``: the console's.
    """
    # The title is often the ledger's text (a measure's name): plain text too, never markup.
    from rich.table import Table

    grid = Table(title=cell(title) if title else None, show_lines=False, title_justify="left")
    cells = [[cell(row.get(key)) for key, _heading in columns] for row in rows]
    natural = [
        max([len(heading), *(line[index].cell_len for line in cells)])
        for index, (_key, heading) in enumerate(columns)
    ]
    keys = [key for key, _heading in columns]
    text = next(
        (keys.index(key) for key in TEXT_COLUMNS if key in keys), natural.index(max(natural, default=0))
    )
    # Each column takes its content plus a space either side, and the borders one between columns and two outside.
    keep = frozenset(index for index, key in enumerate(keys) if key in WHOLE_COLUMNS and index != text)
    fitted = _fit(natural, text, width - 3 * len(columns) - 1, keep) if width is not None else None
    for index, (_key, heading) in enumerate(columns):
        if fitted is None:
            # Short values (ids, kinds, statuses, counts) stay on one line; long text takes the wrapping.
            grid.add_column(heading, overflow="fold", no_wrap=natural[index] <= 16)
        elif index == text:
            grid.add_column(heading, overflow="fold", width=fitted[index])
        else:
            grid.add_column(heading, overflow="ellipsis", no_wrap=True, width=fitted[index])
    for line in cells:
        grid.add_row(*line)
    return grid


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    as_json: bool,
    empty: str,
    title: str | None = None,
) -> None:
    """A listing: JSON array, or a table (with a note on stderr when there is nothing to show)."""
    if as_json:
        emit_json(list(rows))
        return
    if not rows:
        note(empty)
        return
    console = stdout()
    console.print(table(rows, columns, title=title, width=console.width))


def with_figures(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Claim rows for a table: the claim's text with its figure, if any, in brackets (column "shown")."""
    return [
        {**row, "shown": f"{row['text']} [{row['figure']}]" if row.get("figure") else row["text"]}
        for row in rows
    ]


def fields(pairs: Iterable[tuple[str, Any]]) -> Table:
    """A two-column "label: value" block for show commands; empty values are left out."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in pairs:
        if value in (None, "", [], ()):
            continue
        grid.add_row(label, cell(value))
    return grid


def emit_record(data: Record, render: Callable[[Record], None], *, as_json: bool) -> None:
    """One record: JSON, or rendered for the terminal by ``render``."""
    if as_json:
        emit_json(data)
    else:
        render(data)


def note(message: str) -> None:
    """A message for the person at the terminal (stderr; never mixed into data)."""
    from rich.text import Text

    stderr().print(Text(inert(message)))


def warn(message: str) -> None:
    from rich.text import Text

    stderr().print(Text("warning: ", style="yellow") + Text(inert(message)))


def error(message: str) -> None:
    """The one line a failed command prints (the first line only: a message must not scroll away)."""
    from rich.text import Text

    lines = inert(message).splitlines() or [""]
    stderr().print(Text("error: ", style="red") + Text(lines[0]))


def done(message: str) -> None:
    from rich.text import Text

    stderr().print(Text(inert(message), style="green"))
