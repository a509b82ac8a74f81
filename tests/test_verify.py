"""`claimtrack verify` and `claimtrack source verify`: the record checked against the documents."""

from __future__ import annotations

import json

from sqlalchemy import update

from claimtrack.db import Ledger
from claimtrack.models import Appearance, Source

TEXT = (
    "Port Selden, 9 January 2020.\n\n"
    "The minister told reporters: \u201cThe operation will continue until every cell is dismantled.\u201d\n\n"
    "Residents said some 3,000 people had been detained.\n"
)


def _seed(cli) -> tuple[str, str]:
    cli.ok("entity", "add", "Ilan Verhoef", "--kind", "person")
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("source", "add", "-", "--key", "hw-1", "--publisher", "Harbor Wire", input=TEXT)
    quote = cli.ok(
        "claim", "add", "The minister said the operation would go on", "--by", "Ilan Verhoef",
        "--quote", "The operation will end until every cell is dismantled.",
        "--source", "hw-1", "--passage", "The operation will continue until every cell is dismantled.",
    ).stdout.strip()  # fmt: skip
    figure = cli.ok(
        "claim", "add", "Some 3,000 people were detained", "--by", "Harbor Wire", "--value", "3000",
        "--qualifier", "about", "--source", "hw-1", "--passage", "some 3,000 people had been detained",
    ).stdout.strip()  # fmt: skip
    return quote, figure


def test_a_quote_that_differs_by_one_word_is_a_misquote(cli) -> None:
    quote, _figure = _seed(cli)
    result = cli("verify", "--json", "--fail")
    assert result.exit_code == 3
    checks = {c["claim"]: c for c in json.loads(result.stdout)}
    assert checks[quote]["status"] == "found"
    assert (
        checks[quote]["misquote"] == "The operation will [-end-] {+continue+} until every cell is dismantled."
    )
    assert result.stderr.strip() == "2 passages checked: 2 found; 1 misquote"
    table = cli.ok("verify").stdout
    assert "[-end-] {+continue+}" in table


def test_moved_changed_and_removed_passages(cli, ledger: Ledger) -> None:
    quote, figure = _seed(cli)
    with ledger.engine.begin() as conn:
        # The anchor points at the wrong place (as after an import from elsewhere): found elsewhere.
        conn.execute(
            update(Appearance)
            .where(Appearance.passage.like("some 3,000%"))
            .values(anchor_start=0, anchor_end=10)
        )
    checks = {c["claim"]: c for c in cli.json("verify")}
    assert checks[figure]["status"] == "re-anchored"
    start = TEXT.index("some 3,000")
    assert checks[figure]["detail"] == f"found elsewhere, at {start}-{start + 35}; re-anchored"
    assert cli.json("verify")[1]["status"] == "found"  # the re-anchoring was saved

    edited = TEXT.replace("some 3,000 people had been detained", "some 2,000 people had been detained")
    with ledger.engine.begin() as conn:
        conn.execute(update(Source).where(Source.key == "hw-1").values(text="Updated.\n\n" + edited))
    checks = {c["claim"]: c for c in cli.json("verify")}
    assert checks[quote]["status"] == "text-changed"
    assert "the passage is still there" in checks[quote]["detail"]
    assert checks[figure]["status"] == "text-changed"
    assert checks[figure]["closest"] == "some 2,000 people had been detained"
    assert checks[figure]["diff"] == "some [-3,000-] {+2,000+} people had been detained"


def test_source_verify_reports_a_changed_text(cli, ledger: Ledger) -> None:
    _seed(cli)
    assert cli.json("source", "verify") == [
        {"source": "hw-1", "text": "ok", "file": "ok", "detail": "", "extracted": "ok"}
    ]
    with ledger.engine.begin() as conn:
        conn.execute(update(Source).where(Source.key == "hw-1").values(text=TEXT + "Appended later.\n"))
    result = cli("source", "verify", "--fail")
    assert result.exit_code == 3
    assert "changed" in result.stdout
    assert result.stderr.strip() == "1 source verified, 1 changed"
