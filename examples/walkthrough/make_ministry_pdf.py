"""Write ministry.pdf, the walkthrough's press release (a two-page PDF), with the PDF writer of the test fixtures.

    .venv/bin/python examples/walkthrough/make_ministry_pdf.py

The output is byte-for-byte reproducible; the file is committed, so the walkthrough needs no PDF tool.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests" / "data" / "documents"))

from make_fixtures import _content_stream, build_pdf  # noqa: E402

PAGES = [
    [
        "Ministry of the Interior of Veloria",
        "Press release, 11 January 2020",
        "",
        "The Ministry of the Interior rejects the figures circulated by the Amber Front.",
        "Fewer than 400 persons were taken into custody during the operation of",
        "8 January, all of whom were brought before a magistrate within 48 hours.",
    ],
    [
        "Two detainees died in custody, both of natural causes; their families have been",
        "informed.",
        "",
        "Allegations of torture are unfounded.",
    ],
]
INFO = {
    "Title": "Press release on the Port Selden operation",
    "CreationDate": "D:20200111100000+01'00'",
    "Producer": "claimtrack make_ministry_pdf.py",
}

if __name__ == "__main__":
    data = build_pdf([_content_stream(lines) for lines in PAGES], INFO, "en")
    (HERE / "ministry.pdf").write_bytes(data)
    print(f"ministry.pdf: {len(data):,} bytes")
