"""`claimtrack claim import`: claims from a spreadsheet's CSV, all rows or none."""

from __future__ import annotations

from pathlib import Path

import pytest

CSV = (
    "\ufefftext,by,kind,source,passage,value,qualifier,counted,measure,said on,tags,about\n"
    '"About 3,000 people were detained",AF,figure,av-1,"about 3,000 people",3000,about,people detained,'
    "Detentions,2020-01-10,port-selden;figures,Government of Veloria\n"
    '"The operation will go on, the minister said",Government of Veloria,statement,,,,,,,January 2020,,\n'
)


def _seed(cli) -> None:
    cli.ok("entity", "add", "Amber Front", "--alias", "AF")
    cli.ok("entity", "add", "Government of Veloria", "--kind", "government")
    cli.ok("source", "add", "-", "--key", "av-1", input="Witnesses say about 3,000 people were held.")


def test_rows_become_claims(cli, tmp_path: Path) -> None:
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


def test_a_bad_row_names_itself_and_nothing_is_logged(cli, snapshot, tmp_path: Path) -> None:
    _seed(cli)
    sheet = tmp_path / "claims.csv"
    sheet.write_text(CSV + "A range,AF,figure,,,,,,,,,\n", encoding="utf-8")
    before = snapshot()
    result = cli("claim", "import", str(sheet))
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: row 4: a figure needs --value N or --low N --high N"
    assert snapshot() == before


def test_unknown_columns_are_refused(cli, tmp_path: Path) -> None:
    sheet = tmp_path / "claims.csv"
    sheet.write_text("text,by,colour\nx,y,red\n", encoding="utf-8")
    result = cli("claim", "import", str(sheet))
    assert result.exit_code == 1
    assert "unknown column(s) 'colour'" in result.stderr


REFUSED_SHEETS = {
    "a column twice": (
        "text,by,text\nFirst,AF,Second\n",
        "error: the CSV header names the column 'text' twice (columns 1 and 3); keep one",
    ),
    "tag and tags": (
        "text,by,tag,tags\nA claim,AF,one,two\n",
        "error: the CSV header names the column 'tags' twice ('tag' in column 3, 'tags' in column 4); keep one",
    ),
    "by and claimant": (
        "claimant,text,by\nAF,A claim,Government of Veloria\n",
        "error: the CSV header names the column 'by' twice ('claimant' in column 1, 'by' in column 3); keep one",
    ),
    "said on and said_on": (
        "text,by,Said On,said_on\nA claim,AF,2020,2021\n",
        "error: the CSV header names the column 'said_on' twice ('Said On' in column 3, 'said_on' in column 4); "
        "keep one",
    ),
    "a cell beyond the header": (
        "text,by\nA claim,AF\nAnother claim,AF,2020-01-10\n",
        "error: row 3: 1 cell(s) beyond the header's 2 columns ('2020-01-10'); name their column in the header, "
        "or remove them",
    ),
    "a number with a decimal comma": (
        'text,by,kind,value\nA figure,AF,figure,"1,5"\n',
        "error: row 2: '1,5' is not a number claimtrack reads: a comma separates thousands, in groups of three "
        "(1,500); for a decimal write a point: 1.5",
    ),
}


@pytest.mark.parametrize("case", REFUSED_SHEETS)
def test_a_sheet_that_would_lose_a_cell_is_refused_whole(cli, snapshot, tmp_path: Path, case: str) -> None:
    """Before, the second 'text', the 'tags' beside 'tag' and cells past the header were dropped silently."""
    _seed(cli)
    sheet, message = REFUSED_SHEETS[case]
    path = tmp_path / "claims.csv"
    path.write_text(sheet, encoding="utf-8")
    before = snapshot()
    result = cli("claim", "import", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.strip() == message
    assert "Traceback" not in result.stderr
    assert snapshot() == before


def test_empty_cells_past_the_header_lose_nothing_and_are_read(cli, tmp_path: Path) -> None:
    """A trailing comma (as some spreadsheets write) holds nothing: the row is read."""
    _seed(cli)
    path = tmp_path / "claims.csv"
    path.write_text("text,by\nA claim,AF,,  \n", encoding="utf-8")
    key = cli.ok("claim", "import", str(path)).stdout.strip()
    assert cli.json("claim", "show", key)["text"] == "A claim"
