"""Working as a team on PostgreSQL: `claimtrack db grant ROLE reader|editor|admin` with real roles.

Each test makes its own login roles (the test role needs CREATEROLE: .ci/run gives it) and connects as them,
the way each member of a team would. The roles are dropped after the test's database is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import PG_URL, Run
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="roles and grants are PostgreSQL's (CLAIMTRACK_TEST_PG_URL)"
)


def _may_create_roles() -> bool:
    from claimtrack.db import resolve_url

    engine = create_engine(resolve_url(PG_URL))
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
                ).scalar()
            )
    finally:
        engine.dispose()


@pytest.fixture
def make_role() -> Iterator[Callable[[], str]]:
    """Makes login roles (password: the role's name); they are dropped at the end. Requested before the
    database fixtures, so that it is torn down after them: a role with rights in a database cannot be dropped."""
    if not _may_create_roles():
        pytest.skip("the test role lacks CREATEROLE (.ci/run gives it: ALTER ROLE claimtrack CREATEROLE)")
    from claimtrack.db import resolve_url

    admin = create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"ct_member_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD '{name}'")
        made.append(name)
        return name

    yield make
    from claimtrack.db import dispose_engines

    dispose_engines()
    with admin.connect() as conn:
        for name in made:
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {name}")
    admin.dispose()


def _as(db_url: str, role: str) -> Run:
    return Run(make_url(db_url).set(username=role, password=role).render_as_string(hide_password=False))


def _refused(result: Any) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    [line] = result.stderr.strip().splitlines()
    return str(line)


def _sql(db_url: str, role: str, statement: str) -> None:
    engine = create_engine(
        make_url(db_url).set(username=role, password=role, drivername="postgresql+psycopg")
    )
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def test_a_reader_reads_and_writes_nothing(make_role: Callable[[], str], cli: Run, db_url: str) -> None:
    cli.ok("entity", "add", "Harbor Wire", "--kind", "media")
    cli.ok("claim", "add", "Some 3,000 were held", "--by", "Harbor Wire")
    reader = make_role()
    granted = cli.ok("db", "grant", reader, "reader")
    assert f"{reader} is now reader of" in granted.stderr
    as_reader = _as(db_url, reader)
    assert [e["name"] for e in as_reader.json("entity", "list")] == ["Harbor Wire"]
    assert as_reader.ok("log", "verify").exit_code == 0
    # A check still shows its verdicts; it cannot store the counts.
    assert "the counts were not stored" in as_reader.ok("check").stderr
    line = _refused(as_reader("entity", "add", "Amber Front"))
    assert "error: the database refused: permission denied for table" in line and "db grant" in line
    assert [e["name"] for e in cli.json("entity", "list")] == ["Harbor Wire"]


def test_an_editor_writes_records_and_adds_to_the_history_under_their_own_role(
    make_role: Callable[[], str], cli: Run, db_url: str
) -> None:
    editor = make_role()
    cli.ok("db", "grant", editor, "editor")
    as_editor = _as(db_url, editor)
    as_editor.ok("entity", "add", "Harbor Wire", "--kind", "media")
    as_editor.ok(
        "source", "add", "-", "--key", "hw-1", "--publisher", "Harbor Wire", input="Some 3,000 were held.\n"
    )
    as_editor.ok("claim", "add", "Some 3,000 were held", "--by", "Harbor Wire", "--source", "hw-1")
    newest = cli.json("log", "-n", "1")[0]
    assert (newest["actor"], newest["display_name"]) == (editor, "tester")
    assert cli.ok("log", "verify").exit_code == 0
    # Not the settings, and never a history row: refused by the rights, before the triggers.
    assert "permission denied for table settings" in _refused(
        as_editor("config", "set", "min-independent", "3")
    )
    for statement in ("UPDATE changes SET actor = 'chief-editor'", "DELETE FROM changes"):
        with pytest.raises(DBAPIError, match="permission denied for table changes"):
            _sql(db_url, editor, statement)
    with pytest.raises(DBAPIError, match="must be owner"):
        _sql(db_url, editor, "ALTER TABLE changes DISABLE TRIGGER changes_append_only")


def test_an_admin_may_change_settings_and_the_schema(
    make_role: Callable[[], str], cli: Run, db_url: str
) -> None:
    admin = make_role()
    cli.ok("db", "grant", admin, "admin")
    as_admin = _as(db_url, admin)
    as_admin.ok("config", "set", "min-independent", "3")
    assert as_admin.ok("config", "get", "min-independent").stdout.strip() == "3"
    assert "up to date" in as_admin.ok("db", "upgrade").stderr
    _sql(db_url, admin, "ALTER TABLE settings ADD COLUMN probe integer")  # what an upgrade does
    _sql(db_url, admin, "ALTER TABLE settings DROP COLUMN probe")


def test_revoke_takes_every_right_away(make_role: Callable[[], str], cli: Run, db_url: str) -> None:
    member = make_role()
    cli.ok("db", "grant", member, "admin")
    cli.ok("db", "grant", member, "reader")  # a grant replaces the level before it
    as_member = _as(db_url, member)
    assert "permission denied for table settings" in _refused(
        as_member("config", "set", "min-independent", "3")
    )
    assert "has no rights on" in cli.ok("db", "revoke", member).stderr
    assert "permission denied" in _refused(as_member("entity", "list"))


def test_grants_name_an_existing_role_and_a_known_level(make_role: Callable[[], str], cli: Run) -> None:
    member = make_role()
    assert _refused(cli("db", "grant", member, "owner")) == (
        "error: unknown level 'owner'; use reader, editor or admin"
    )
    assert (
        _refused(cli("db", "grant", "nobody_here", "reader"))
        == "error: no PostgreSQL role named 'nobody_here'"
    )
    owner = make_url(cli.url).username
    assert "owns the ledger's tables" in _refused(cli("db", "grant", str(owner), "reader"))
