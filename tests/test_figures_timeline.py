"""`claimtrack figures` and `claimtrack timeline` on the sample investigation."""

from __future__ import annotations

from claimtrack.db import Ledger
from claimtrack.figures import figures_for, measures
from claimtrack.sample import DEATHS, DETAINED
from claimtrack.timeline import timeline


def test_measures_with_several_claimants_and_their_spread(cli, ledger: Ledger, sample) -> None:
    with ledger.session() as db:
        expected = measures(db)
    assert cli.json("figures") == expected
    by_name = {row["measure"]: row for row in expected}
    assert by_name[DETAINED]["claimants"] == 3
    assert by_name[DETAINED]["spread"] == 7.5  # 3,000 over 400
    assert by_name[DEATHS]["wide"] is True


def test_every_figure_of_a_measure_side_by_side(cli, ledger: Ledger, sample) -> None:
    with ledger.session() as db:
        expected = figures_for(db, DETAINED)
    assert cli.json("figures", DETAINED.upper()) == expected
    figures = expected["figures"]
    assert [f["figure"] for f in figures] == [
        "fewer than 400 people detained",
        "1,100-1,400 people detained",
        "about 3,000 people detained",
    ]
    assert [f["claimant"] for f in figures] == [
        "Veloria Interior Ministry",
        "Coastal Rights Watch",
        "Amber Front",
    ]
    assert [f["independent_origins"] for f in figures] == [1, 0, 1]
    table = cli.ok("figures", DETAINED).stdout
    assert "spread 7.5x (wide: at least 2x)" in table


def test_an_unknown_measure_names_the_closest(cli, sample) -> None:
    result = cli("figures", "Port Selden people detained")
    assert result.exit_code == 1
    assert f"closest: '{DETAINED}'" in result.stderr


def test_the_timeline_orders_dates_and_shows_their_precision(cli, ledger: Ledger, sample) -> None:
    cli.ok("claim", "add", "A rally was held on January 8", "--by", "Amber Front", "--when", "January 8")
    with ledger.session() as db:
        rows = timeline(db)
    assert cli.json("timeline") == rows
    assert rows[0]["date"] == "the 1980s" and rows[0]["precision"] == "decade"
    assert rows[-1]["date"] == "8 January, year unknown"  # cannot be placed: last
    days = [row["edtf"] for row in rows if row["precision"] == "day"]
    assert days == sorted(days)
    assert {"month", "range", "day"} <= {row["precision"] for row in rows}
    import datetime as dt

    from claimtrack.text.dates import from_edtf

    later = cli.json("timeline", "--from", "2020-01-10")
    # Kept: every claim whose date can fall on or after the 10th ("January 2020" can).
    assert later and all(from_edtf(row["edtf"]).latest >= dt.date(2020, 1, 10) for row in later)
    assert len(later) < len(rows) - 1
