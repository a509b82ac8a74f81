"""Evidence integrity: each way of rewriting a ledger behind claimtrack's back is now seen.

A history that cannot be edited in place (the database refuses it) and that shows any rewriting (its hash
chain, recomputed by `claimtrack log verify`); imported history kept as another ledger's; the actor as the
system knows it; texts and files checked against the history and against each other.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Run
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from claimtrack.db import Ledger
from claimtrack.models import Appearance, Change, Source, SourceFile

TEXT = (
    "Port Selden, 9 January 2020.\n\n"
    "The minister told reporters the operation would go on.\n\n"
    "Residents said some 3,000 people had been detained.\n"
)


def _seed(cli: Run) -> str:
    """A source stored with its original file, and a claim anchored in it; the claim's key."""
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("source", "add", "-", "--key", "hw-1", "--publisher", "Harbor Wire", input=TEXT)
    return str(
        cli.ok(
            "claim", "add", "Some 3,000 people were detained", "--by", "Harbor Wire",
            "--source", "hw-1", "--passage", "some 3,000 people had been detained",
        ).stdout.strip()
    )  # fmt: skip


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _expected_hash(row: dict[str, Any]) -> str:
    """A change row's hash, computed here from its columns (not with claimtrack's own code): the SHA-256 of
    its content as compact JSON with sorted keys, its id left out."""
    content = {
        name: row[name]
        for name in (
            "at", "actor", "display_name", "action", "table_name", "record_id", "label", "before", "after",
            "entry", "reason", "previous",
        )
    }  # fmt: skip
    content["at"] = content["at"].isoformat()
    return _sha(json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def _history(ledger: Ledger) -> list[dict[str, Any]]:
    with ledger.engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(Change.__table__).order_by(Change.id)).mappings()]


def _verify(cli: Run, *options: str) -> tuple[int, dict[str, Any]]:
    result = cli("log", "verify", "--json", *options)
    return result.exit_code, json.loads(result.stdout)


def test_every_change_links_to_the_one_before_and_log_verify_names_the_head(cli: Run, ledger: Ledger) -> None:
    _seed(cli)
    rows = _history(ledger)
    previous = "0" * 64
    for row in rows:
        assert row["previous"] == previous
        assert row["hash"] == _expected_hash(row)
        previous = row["hash"]
    code, found = _verify(cli)
    assert code == 0
    assert found["holds"] and found["first_break"] is None
    assert (found["changes"], found["head"]) == (len(rows), rows[-1]["hash"])
    assert found["sources_checked"] == 1 and found["sources"] == []
    shown = cli.ok("log", "verify")
    assert f"head {rows[-1]['hash']}" in shown.stdout
    assert "the history holds" in shown.stderr


def test_the_database_refuses_to_update_or_delete_history_rows(cli: Run, ledger: Ledger) -> None:
    _seed(cli)
    before = _history(ledger)
    attempts = [
        "UPDATE changes SET actor = 'chief-editor'",
        "UPDATE changes SET at = '2020-01-15 00:00:00' WHERE id = 1",
        "DELETE FROM changes WHERE id = 1",
        "DELETE FROM changes",
        "UPDATE imported_changes SET actor = 'chief-editor'",
        "DELETE FROM imported_changes",
    ]
    if not ledger.is_sqlite:
        attempts += ["TRUNCATE changes CASCADE", "TRUNCATE imported_changes"]
    for statement in attempts:
        if "imported_changes" in statement and "TRUNCATE" not in statement:
            # An empty table refuses nothing: give it a row to refuse changing.
            with ledger.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO imported_changes (imported_by, origin, position, at, actor, action, "
                        "table_name, record_id, previous, hash) SELECT id, 'o', 1, at, actor, action, table_name, "
                        "record_id, previous, hash FROM changes WHERE id = 1 AND NOT EXISTS "
                        "(SELECT 1 FROM imported_changes)"
                    )
                )
        with pytest.raises(DBAPIError, match="append-only"), ledger.engine.begin() as conn:
            conn.execute(text(statement))
    assert _history(ledger) == before
    assert _verify(cli)[1]["first_break"] is None


def _unprotected(ledger: Ledger) -> None:
    """What someone holding the file (or owning the tables) can still do: drop the triggers."""
    from claimtrack.history import unprotect

    with ledger.engine.begin() as conn:
        unprotect(conn)


def test_a_history_row_edited_behind_claimtrack_is_named_by_log_verify(cli: Run, ledger: Ledger) -> None:
    _seed(cli)
    rows = _history(ledger)
    _unprotected(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(update(Change).where(Change.id == rows[2]["id"]).values(actor="chief-editor"))
    code, found = _verify(cli)
    assert code == 3 and not found["holds"]
    assert found["first_break"]["position"] == 3 and "edited" in found["first_break"]["problem"]
    result = cli("log", "verify")
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines() == [
        f"error: the ledger does not verify: the history breaks at change 3 (id {rows[2]['id']}): its content "
        "does not match its hash (it was edited)"
    ]


def test_a_history_row_removed_behind_claimtrack_is_named_by_log_verify(cli: Run, ledger: Ledger) -> None:
    _seed(cli)
    rows = _history(ledger)
    _unprotected(ledger)
    with ledger.engine.begin() as conn:
        conn.execute(Change.__table__.delete().where(Change.id == rows[1]["id"]))
    code, found = _verify(cli)
    assert code == 3
    assert found["first_break"]["position"] == 2 and found["first_break"]["id"] == rows[2]["id"]
    assert "link" in found["first_break"]["problem"]


def test_a_text_replaced_with_its_hashes_recomputed_is_named_by_log_verify(cli: Run, ledger: Ledger) -> None:
    key = _seed(cli)
    forged = TEXT.replace("3,000", "300")
    with ledger.engine.begin() as conn:
        conn.execute(update(Source).where(Source.key == "hw-1").values(text=forged, sha256=_sha(forged)))
        conn.execute(update(Appearance).values(anchor_sha256=_sha(forged)))
    code, found = _verify(cli)
    assert code == 3
    assert found["first_break"] is None  # the history itself was not touched: what it recorded was
    assert [(p["source"], p["what"]) for p in found["sources"]] == [("hw-1", "text")]
    assert "is not the one the history recorded" in found["sources"][0]["problem"]
    assert "source hw-1 (text)" in cli("log", "verify").stderr
    # And the stored text no longer is what its original file says.
    checked = cli("source", "verify", "--fail", "--json")
    assert checked.exit_code == 3
    [row] = json.loads(checked.stdout)
    assert (row["text"], row["file"], row["extracted"]) == ("ok", "ok", "differs")
    assert "the text read again from the original file differs from the stored text" in row["detail"]
    assert key


def test_an_original_file_swapped_with_its_hash_recomputed_is_caught(cli: Run, ledger: Ledger) -> None:
    _seed(cli)
    other = TEXT.replace("3,000", "30").encode()
    with ledger.engine.begin() as conn:
        conn.execute(update(SourceFile).values(content=other, sha256=_sha(other), size=len(other)))
    checked = cli("source", "verify", "--fail", "--json")
    assert checked.exit_code == 3
    [row] = json.loads(checked.stdout)
    assert (row["text"], row["file"], row["extracted"]) == ("ok", "ok", "differs")
    assert "differs from the stored text" in row["detail"]
    code, found = _verify(cli)
    assert code == 3 and [(p["source"], p["what"]) for p in found["sources"]] == [("hw-1", "original file")]


def _export(cli: Run, path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    cli.ok("export", "-o", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def _write(path: Path, header: dict[str, Any], items: list[dict[str, Any]]) -> None:
    lines = [json.dumps(header, sort_keys=True)]
    lines += [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _forged_delete(items: list[dict[str, Any]], claim: str, *, rechain: bool) -> dict[str, Any]:
    """A change row saying "2020-01-15 alice delete claims CLAIM", put at the end of the export's history;
    with ``rechain`` its hash is computed as claimtrack would (a forger who knows the format)."""
    history = [item["row"] for item in items if item["table"] == "changes"]
    claim_id = next(
        item["row"]["id"] for item in items if item["table"] == "claims" and item["row"]["key"] == claim
    )
    last = history[-1]
    row = {
        **last, "id": last["id"] + 1, "at": "2020-01-15T09:00:00", "actor": "alice", "display_name": "alice",
        "action": "delete", "table_name": "claims", "record_id": str(claim_id), "label": f"claims {claim}",
        "before": {"key": claim}, "after": None, "entry": None, "reason": None, "previous": last["hash"],
    }  # fmt: skip
    if rechain:
        import datetime as dt

        row["hash"] = _expected_hash({**row, "at": dt.datetime.fromisoformat(row["at"])})
    position = max(i for i, item in enumerate(items) if item["table"] == "changes")
    items.insert(position + 1, {"table": "changes", "row": row})
    return row


def test_a_forged_backdated_change_in_an_export_never_shows_as_a_local_change(
    cli: Run, tmp_path: Path
) -> None:
    claim = _seed(cli)
    before = cli.json("log", "--claim", claim)
    header, items = _export(cli, tmp_path / "ours.jsonl")
    forged = _forged_delete(items, claim, rechain=True)
    header["chain"]["head"] = forged["hash"]  # the forger rebuilt the chain's end: it verifies
    _write(tmp_path / "forged.jsonl", header, items)
    cli.ok("import", str(tmp_path / "forged.jsonl"))

    assert cli.json("log", "--claim", claim) == before
    assert not any(
        row["actor"] == "alice" or row["action"] == "delete" for row in cli.json("log", "-n", "1000")
    )
    # The forged row is kept, as the other ledger's history, labelled with where it came from.
    [imported] = cli.json("log", "--imported")
    assert (imported["at"], imported["actor"], imported["action"], imported["record"]) == (
        "2020-01-15T09:00:00", "alice", "delete", f"claims {claim}",
    )  # fmt: skip
    assert imported["origin"] == header["chain"]["origin"]
    # The merge is one local change, naming the export's ledger and head.
    newest = cli.json("log", "-n", "1")[0]
    assert newest["action"] == "import"
    assert (
        newest["after"]["head"] == forged["hash"] and newest["after"]["origin"] == header["chain"]["origin"]
    )
    assert _verify(cli)[0] == 0


@pytest.mark.parametrize("forgery", ["unchained", "edited", "head"])
def test_an_export_whose_history_does_not_verify_is_refused_with_one_line(
    cli: Run, tmp_path: Path, snapshot: Any, forgery: str
) -> None:
    claim = _seed(cli)
    header, items = _export(cli, tmp_path / "ours.jsonl")
    cli.ok("claim", "add", "A claim only the database holds", "--by", "Harbor Wire")
    if forgery == "unchained":
        _forged_delete(items, claim, rechain=False)
    elif forgery == "edited":
        first = next(item for item in items if item["table"] == "changes")
        first["row"]["actor"] = "chief-editor"
    else:  # rows dropped from the history's end
        last = max(i for i, item in enumerate(items) if item["table"] == "changes")
        del items[last]
    _write(tmp_path / "forged.jsonl", header, items)
    state = snapshot()
    result = cli("import", str(tmp_path / "forged.jsonl"))
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: the export's history does not")
    assert line.endswith("nothing was imported")
    assert snapshot() == state


def test_an_export_refused_into_an_empty_database_leaves_it_empty(
    cli: Run, blank_url: str, tmp_path: Path
) -> None:
    claim = _seed(cli)
    header, items = _export(cli, tmp_path / "ours.jsonl")
    _forged_delete(items, claim, rechain=False)
    _write(tmp_path / "forged.jsonl", header, items)
    empty = Run(blank_url)
    empty.ok("init")
    result = empty("import", str(tmp_path / "forged.jsonl"))
    assert result.exit_code == 1 and "the export's history does not verify" in result.stderr
    assert empty.json("log") == []


@pytest.mark.parametrize(
    "name",
    ["", "   ", "x" * 5000, "chief\x1b[2Jeditor", "chief\u202eeditor", "two\nlines", "a" * 101],
    ids=["empty", "blank", "5000-characters", "escape", "bidi-override", "newline", "101-characters"],
)
def test_a_bad_claimtrack_user_is_one_line_and_changes_nothing(
    cli: Run, snapshot: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _seed(cli)
    state = snapshot()
    monkeypatch.setenv("CLAIMTRACK_USER", name)
    result = cli("entity", "add", "Amber Front")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: CLAIMTRACK_USER ")
    assert snapshot() == state


def test_the_actor_is_the_account_with_the_name_given_beside_it(
    cli: Run, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pwd

    # $USER and $LOGNAME are anyone's to set: the account comes from the system.
    monkeypatch.setenv("USER", "chief-editor")
    monkeypatch.setenv("LOGNAME", "chief-editor")
    monkeypatch.setenv("CLAIMTRACK_USER", "  Chief Editor  ")
    cli.ok("entity", "add", "Amber Front")
    account = pwd.getpwuid(os.getuid()).pw_name if ledger.is_sqlite else ledger.engine.url.username
    newest = cli.json("log", "-n", "1")[0]
    assert (newest["actor"], newest["display_name"]) == (account, "Chief Editor")
    assert f"Chief Editor ({account})" in cli.ok("log", "-n", "1").stdout
    assert {row["record"] for row in cli.json("log", "--actor", "Chief Editor")} == {
        "entity Amber Front",
        "alias 'Amber Front' of Amber Front",
    }
    assert len(cli.json("log", "--actor", account)) == len(cli.json("log", "-n", "1000"))


def test_two_writers_at_once_both_land_on_one_chain(cli: Run) -> None:
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    script = (
        "import sys\nfrom claimtrack.cli import app\n"
        "for i in range(15):\n"
        "    try:\n"
        "        app(['--db', sys.argv[1], 'claim', 'add', f'{sys.argv[2]} claim {i}', '--by', 'Harbor Wire'])\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, cli.url, name], stderr=subprocess.PIPE)
        for name in ("first", "second")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    code, found = _verify(cli)
    assert code == 0, found
    assert len(cli.json("claim", "list", "--limit", "100")) == 30


def test_exports_and_reports_state_the_head_they_were_made_from(cli: Run, tmp_path: Path) -> None:
    _seed(cli)
    _, found = _verify(cli)
    header, _items = _export(cli, tmp_path / "ours.jsonl")
    assert header["chain"]["head"] == found["head"] and header["chain"]["change"] > 0
    report = cli.ok("report").stdout
    assert f"Made from the ledger at change {header['chain']['change']:,}, head {found['head']}." in report
    # Later, the ledger is checked against the head the report gave.
    cli.ok("entity", "add", "Amber Front")
    code, later = _verify(cli, "--head", found["head"])
    assert code == 0 and later["pinned"] == {"head": found["head"], "change": header["chain"]["change"]}
    code, later = _verify(cli, "--head", "3f9c" * 16)
    assert code == 3 and later["pinned"]["change"] is None
    assert "no change of the history has the head" in cli("log", "verify", "--head", "3f9c" * 16).stderr
    assert cli("log", "verify", "--head", "3f9c").exit_code == 1


@pytest.mark.sqlite_only
def test_grants_on_sqlite_are_one_line(cli: Run) -> None:
    result = cli("db", "grant", "alice", "reader")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: roles are PostgreSQL's")


def test_a_database_made_before_the_chain_gets_it_in_the_migration(blank_url: str) -> None:
    import re

    from claimtrack.integrity import verify_ledger
    from claimtrack.migrate import upgrade

    dump = (Path(__file__).parent / "data" / "schema-0005.sql").read_text(encoding="utf-8")
    ledger = Ledger(blank_url)
    upgrade(ledger.engine, "0005")
    with ledger.engine.begin() as conn:
        for statement in re.split(r"\n(?=INSERT INTO )", dump):
            statement = statement.strip().rstrip(";")
            if statement.startswith("INSERT INTO"):
                if not ledger.is_sqlite:
                    statement = re.sub(r"X'([0-9A-F]*)'", r"decode('\1', 'hex')", statement)
                conn.exec_driver_sql(statement)
        old = conn.execute(text("SELECT count(*) FROM changes")).scalar_one()
    ledger.upgrade()
    rows = _history(ledger)
    assert len(rows) == old > 0
    assert all(row["hash"] == _expected_hash(row) for row in rows)
    with ledger.session() as session:
        found = verify_ledger(session)
    assert found.first_break is None and found.changes == old
    # And the history of the upgraded database is append-only like any other.
    with pytest.raises(DBAPIError, match="append-only"), ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM changes"))
