"""`claim cite ... --via OTHER` and `claim add ... --source S --via OTHER`: recorded, shown, and refused cleanly
when wrong (one line on stderr, exit 1, nothing written)."""

from __future__ import annotations

from typing import Any


def _ledger(cli: Any) -> str:
    for name in ("Harbor Wire", "Port Selden Daily", "Veloria Interior Ministry"):
        cli.ok("entity", "add", name)
    cli.ok("source", "add", "--key", "wire-1", "--publisher", "Harbor Wire")
    cli.ok("source", "add", "--key", "daily-2", "--publisher", "Port Selden Daily")
    cli.ok("source", "add", "--key", "daily-3", "--publisher", "Port Selden Daily")
    return str(
        cli.ok("claim", "add", "Eleven people died", "--by", "Veloria Interior Ministry", "--source", "wire-1",
               "--value", "11").stdout.strip()
    )  # fmt: skip


def test_a_via_is_recorded_and_shown(cli: Any) -> None:
    claim = _ledger(cli)
    cited = cli.json("claim", "cite", claim, "daily-2", "--stance", "reports", "--via", "wire-1")
    assert [(a["source"], a["via"]) for a in cited["appearances"]] == [
        ("wire-1", None),
        ("daily-2", "wire-1"),
    ]
    added = cli.json(
        "claim", "add", "Ten people died", "--by", "Veloria Interior Ministry", "--source", "daily-3",
        "--value", "10", "--via", "wire-1",
    )  # fmt: skip
    assert [(a["source"], a["via"]) for a in added["appearances"]] == [("daily-3", "wire-1")]
    shown = cli.ok("claim", "show", claim)
    assert "via" in shown.stdout
    verdict = cli.json("check", "--claim", claim, "--all")["claims"][0]
    assert verdict["independent_origins"] == 1
    assert "'daily-2' took this from 'wire-1': one origin" in verdict["reasons"]


def test_a_wrong_via_is_refused_and_nothing_is_written(cli: Any, snapshot: Any) -> None:
    claim = _ledger(cli)
    before = snapshot()
    for args, words in [
        (("claim", "cite", claim, "daily-2", "--stance", "reports", "--via", "nowhere-9"), "nowhere-9"),
        (("claim", "cite", claim, "daily-2", "--stance", "reports", "--via", "daily-2"), "itself"),
        (("claim", "add", "Twelve died", "--by", "Veloria Interior Ministry", "--via", "wire-1"), "--source"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1, result.stdout
        assert words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before
