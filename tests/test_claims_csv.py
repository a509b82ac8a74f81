"""`claimtrack claim import`: claims from a spreadsheet's CSV, all rows or none."""

from __future__ import annotations

from pathlib import Path

CSV = (
    "\ufefftext,by,kind,source,passage,value,qualifier,counted,measure,said on,tags,about\n"
    '"About 3,000 people were detained",AF,figure,av-1,"about 3,000 people",3000,about,people detained,'
    "Detentions,2020-01-10,port-selden;figures,Government of Veloria\n"
    '"The operation will go on, the minister said",Government of Veloria,statement,,,,,,,January 2020,,\n'
)


def _seed(cli) -> None:  # type: ignore[no-untyped-def]
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Government of Veloria", "--kind", "government")
    cli.ok("source", "add", "-", "--key", "av-1", input="Witnesses say about 3,000 people were held.")


def test_rows_become_claims(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    sheet = tmp_path / "claims.csv"
    sheet.write_text(CSV, encoding="utf-8")
    result = cli.ok("claim", "import", str(sheet))
    first, second = result.stdout.split()
    assert "logged 2 claims" in result.stderr
    figure = cli.json("claim", "show", first)
    assert figure["figure"]["text"] == "about 3,000 people detained"
    assert figure["tags"] == ["figures", "port-selden"]
    assert figure["about"] == ["Government of Veloria"]
    assert figure["appearances"][0]["anchor"]["status"] == "exact"
    statement = cli.json("claim", "show", second)
    assert statement["text"] == "The operation will go on, the minister said"
    assert statement["said_on"]["edtf"] == "2020-01"


def test_a_bad_row_names_itself_and_nothing_is_logged(cli, snapshot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(cli)
    sheet = tmp_path / "claims.csv"
    sheet.write_text(CSV + "A range,AF,figure,,,,,,,,,\n", encoding="utf-8")
    before = snapshot()
    result = cli("claim", "import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: row 4: a figure needs --value N or --low N --high N"
    assert snapshot() == before


def test_unknown_columns_are_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "claims.csv"
    sheet.write_text("text,by,colour\nx,y,red\n", encoding="utf-8")
    result = cli("claim", "import", str(sheet))
    assert result.exit_code == 1
    assert "unknown column(s) 'colour'" in result.stderr
