"""Time the HTML text extraction of `source add` on flat pages of N paragraphs (issue 12).

    .venv/bin/python bench/flat_page.py 75000 300000

Each page is "<p>Paragraph i at Port Selden.</p>" N times in one <body>; the time is read_document's alone
(parsing, metadata, extraction), the page made beforehand.
"""

from __future__ import annotations

import sys
import time

from claimtrack.text.documents import read_document


def page(paragraphs: int) -> bytes:
    return (
        "<html><head><title>Port Selden</title></head><body>"
        + "".join(f"<p>Paragraph {i} at Port Selden.</p>" for i in range(paragraphs))
        + "</body></html>"
    ).encode()


def main(counts: list[int]) -> None:
    read_document(page(10), "warm-up.html")  # the extraction libraries' imports are not the page's time
    for count in counts:
        data = page(count)
        started = time.perf_counter()
        document = read_document(data, "flat.html")
        took = time.perf_counter() - started
        how = "plain text" if document.notes else "trafilatura"
        print(f"{count:,} paragraphs ({len(data) / 2**20:.1f} MiB): {took:.1f} s, {how}, "
              f"{len(document.text):,} characters")  # fmt: skip


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [75_000, 300_000])
