"""Names are found whatever their accents and the letters that have none to strip (ı, ł, ø, đ, ʿ), by
anyascii's transliteration; databases made before are folded again by migration 0008."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from claimtrack.db import Ledger
from claimtrack.text.names import normalise_name

# (as written in a source, as typed on an ASCII keyboard)
NAMES = [
    ("Ayşe Yılmaz", "Ayse Yilmaz"),  # Turkish: dotless ı, ş
    ("İsmail Kılıç", "Ismail Kilic"),  # Turkish: dotted capital İ
    ("Lech Wałęsa", "Lech Walesa"),  # Polish: ł, ę
    ("Łódź Dockers' Union", "Lodz Dockers Union"),
    ("Søren Kierkegaard", "Soren Kierkegaard"),  # Danish/Norwegian ø
    ("Åse Kleveland", "Ase Kleveland"),  # Nordic å
    ("Nguyễn Thị Bình", "Nguyen Thi Binh"),  # Vietnamese: stacked diacritics
    ("Đorđe Đorđević", "Dorde Dordevic"),  # Serbo-Croatian đ, Đ
    ("Ḥasan Rūḥānī", "Hasan Ruhani"),  # Persian in Latin script: dots below, macrons
    ("ʿAlī ibn Abī Ṭālib", "Ali ibn Abi Talib"),  # Arabic in Latin script: the ʿayn
]


@pytest.mark.parametrize(("written", "typed"), NAMES, ids=[typed for _, typed in NAMES])
def test_a_name_is_found_as_typed_on_an_ascii_keyboard(cli: Any, written: str, typed: str) -> None:
    assert normalise_name(written) == normalise_name(typed)
    cli.ok("entity", "add", written, "--kind", "person")
    assert cli.json("entity", "show", typed)["name"] == written
    # And the same name typed again is the same entity, not a second one.
    again = cli("entity", "add", typed, "--kind", "person")
    assert again.exit_code == 1 and len(again.stderr.strip().splitlines()) == 1


def test_other_scripts_are_kept_and_do_not_collide_with_latin() -> None:
    assert normalise_name("خبرگزاری فارس") == "خبرگزاری فارس"
    assert normalise_name("Путин") == "путин" != normalise_name("Putin")
    assert normalise_name("PMOI/MEK") == normalise_name("pmoi-mek") == "pmoi mek"
    assert normalise_name("A.F.") == "af" and normalise_name("People’s Front") == "peoples front"


def test_a_measure_is_one_whatever_its_letters(cli: Any) -> None:
    measure = "Łódź port strike: workers dismissed"
    cli.ok("entity", "add", "Dockers' Union")
    cli.ok("entity", "add", "Port Authority")
    cli.ok("claim", "add", "120 workers were dismissed", "--by", "Dockers' Union", "--value", "120",
           "--measure", measure)  # fmt: skip
    cli.ok("claim", "add", "Some 90 workers lost their jobs", "--by", "Port Authority", "--value", "90",
           "--measure", "Lodz port strike: workers dismissed")  # fmt: skip
    (row,) = cli.json("figures")  # one measure, with figures from two claimants
    assert row["measure"] == measure and row["claimants"] == 2


def _database_at_0005(blank_url: str) -> Ledger:
    from claimtrack.migrate import upgrade

    ledger = Ledger(blank_url)
    upgrade(ledger.engine, "0005")
    return ledger


def _add(conn: Any, entity_id: int, name: str, folded: str) -> None:
    conn.execute(text("INSERT INTO entities (id, name, kind, created_at) VALUES (:i, :n, 'person', '2020-01-01')"),
                 {"i": entity_id, "n": name})  # fmt: skip
    conn.execute(text("INSERT INTO entity_aliases (entity_id, alias, normalized) VALUES (:i, :n, :f)"),
                 {"i": entity_id, "n": name, "f": folded})  # fmt: skip


def test_migration_0008_folds_the_stored_names_again(blank_url: str, capfd: Any) -> None:
    ledger = _database_at_0005(blank_url)
    with ledger.engine.begin() as conn:
        # The forms the accent-stripping fold stored before 0008.
        _add(conn, 1, "Ayşe Yılmaz", "ayse yılmaz")
        _add(conn, 2, "Søren Kierkegaard", "søren kierkegaard")
        _add(conn, 3, "Amber Front", "amber front")
        # Two people told apart before, whose names now fold to one form.
        _add(conn, 4, "Lech Wałęsa", "lech wałesa")
        _add(conn, 5, "Lech Walesa", "lech walesa")
        conn.execute(
            text("INSERT INTO measures (name, normalized) VALUES ('Łódź: detained', 'łodz detained')")
        )
    ledger.upgrade()
    with ledger.engine.connect() as conn:
        folded = dict(conn.execute(text("SELECT alias, normalized FROM entity_aliases")).all())
        measure = conn.execute(text("SELECT normalized FROM measures")).scalar_one()
    assert folded == {
        "Ayşe Yılmaz": "ayse yilmaz",
        "Søren Kierkegaard": "soren kierkegaard",
        "Amber Front": "amber front",
        "Lech Wałęsa": "lech wałesa",  # kept: the form is another person's
        "Lech Walesa": "lech walesa",
    }
    assert measure == "lodz detained"
    assert "'Lech Wałęsa' now reads the same as 'Lech Walesa'" in capfd.readouterr().err
    with ledger.session() as session:
        from claimtrack.entities import find_entity

        assert find_entity(session, "Ayse Yilmaz").name == "Ayşe Yılmaz"
        assert find_entity(session, "Soren Kierkegaard").name == "Søren Kierkegaard"
        assert find_entity(session, "Lech Walesa").name == "Lech Walesa"  # nothing merged
    # And back: the downgrade restores the forms the older claimtrack looks up.
    from alembic import command

    from claimtrack.migrate import alembic_config

    command.downgrade(alembic_config(ledger.engine), "0005")
    with ledger.engine.connect() as conn:
        back = dict(conn.execute(text("SELECT alias, normalized FROM entity_aliases")).all())
    assert back["Ayşe Yılmaz"] == "ayse yılmaz" and back["Søren Kierkegaard"] == "søren kierkegaard"


def test_migration_0008_folds_as_it_did_whatever_the_folding_becomes(blank_url: str, monkeypatch: Any) -> None:
    # The migration carries its own copy of the folding: changing claimtrack's changes nothing it does.
    from claimtrack.text import names

    ledger = _database_at_0005(blank_url)
    with ledger.engine.begin() as conn:
        _add(conn, 1, "Ayşe Yılmaz", "ayse yılmaz")
        _add(conn, 2, "ʿAlī Đorđević", "ʿali đorđevic")
    monkeypatch.setattr(names, "normalise_name", lambda name: "changed " + name)
    ledger.upgrade()
    with ledger.engine.connect() as conn:
        folded = dict(conn.execute(text("SELECT alias, normalized FROM entity_aliases")).all())
    assert folded == {"Ayşe Yılmaz": "ayse yilmaz", "ʿAlī Đorđević": "ali dordevic"}
