"""Listings on a real terminal (a pseudo-terminal of 80 columns) and piped into another program.

On a narrow terminal the claim's text keeps the width and wraps at words; the other columns are cut with "…"
(ids never). Piped, a row is one line, however long: nothing is wrapped for the program that reads it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from claimtrack.db import Ledger

pytestmark = pytest.mark.sqlite_only  # a command run as its own process on the test's SQLite file

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def sample_db(ledger: Ledger, sample: dict[str, str]) -> tuple[str, dict[str, str]]:
    path = ledger.sqlite_path()
    assert path is not None
    return str(path), sample


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env.update(NO_COLOR="1", TERM="xterm", CLAIMTRACK_USER="tester")
    return env


def _on_terminal(columns: int, *args: str) -> str:
    """What the command shows on a terminal of ``columns`` columns (escape sequences removed)."""
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "claimtrack", *args],
        stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.DEVNULL, env=_environment(),
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=60) == 0
    return ANSI.sub("", b"".join(chunks).decode("utf-8")).replace("\r\n", "\n")


def _rows(table: str, column: int) -> dict[str, str]:
    """Each row's id and the text of one column, its wrapped lines joined again."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in table.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            current = cells[0]
            rows[current] = []
        assert current is not None
        if cells[column]:
            rows[current].append(cells[column])
    return {key: " ".join(parts) for key, parts in rows.items()}


def test_at_80_columns_the_claim_keeps_the_width_and_the_rest_is_cut(
    sample_db: tuple[str, dict[str, str]],
) -> None:
    path, ids = sample_db
    shown = _on_terminal(80, "--db", path, "claim", "list")
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    listed = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", path, "claim", "list", "--json"],
        capture_output=True, text=True, check=True, env=_environment(),
    )  # fmt: skip
    import json

    claims = {row["key"]: row for row in json.loads(listed.stdout)}
    texts = _rows(shown, 3)
    # Every id whole; every claim's text whole, wrapped at spaces only (no word split).
    assert set(texts) == set(claims) == set(ids.values())
    for key, row in claims.items():
        expected = f"{row['text']} [{row['figure']}]" if row.get("figure") else row["text"]
        assert texts[key] == " ".join(expected.split()), key
    # The other columns are cut with an ellipsis, not folded over lines.
    assert "…" in shown
    assert "Veloria Interior Ministry" not in shown
    # The claim's column is the widest: at least 45% of what the borders leave (80 - 22 columns).
    header = next(line for line in lines if "claim" in line and line.startswith("┃"))
    widths = [len(cell) for cell in header.strip("┃").split("┃")]
    assert widths[3] - 2 >= 26 and widths[3] == max(widths)
    # Ten claims in a screenful or two, not 115 lines.
    assert len(lines) < 60, len(lines)


def test_piped_output_is_not_wrapped(sample_db: tuple[str, dict[str, str]]) -> None:
    path, ids = sample_db
    piped = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", path, "claim", "list"],
        capture_output=True, text=True, check=True, env=_environment(),
    )  # fmt: skip
    rows = [line for line in piped.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == len(ids)  # one line per claim
    assert any(
        "About 3,000 Amber Front members and supporters were detained in the first two days" in row
        for row in rows
    )
    assert "…" not in piped.stdout
    # A `show` view too: its long values are not folded.
    shown = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", path, "source", "show", "hw-2020-01-12"],
        capture_output=True, text=True, check=True, env=_environment(),
    )  # fmt: skip
    assert "https://example.org/sample/harbor-wire-2020-01-12" in shown.stdout


def test_columns_asks_for_a_width_when_piped(sample_db: tuple[str, dict[str, str]]) -> None:
    path, _ids = sample_db
    env = {**_environment(), "COLUMNS": "100"}
    piped = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", path, "claim", "list"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    assert all(len(line) <= 100 for line in piped.stdout.splitlines())
