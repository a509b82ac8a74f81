"""Working as a team on PostgreSQL: what each database role may do with the ledger.

Three levels, granted to roles that already exist (a database administrator creates the login roles):

- reader: reads everything, writes nothing.
- editor: writes the records (claims, sources, entities, appearances, tags, ...) and adds to the history, but
  may not change or delete a history row (INSERT and SELECT on it, no UPDATE or DELETE: the database refuses
  before the append-only triggers even run), nor the project's settings.
- admin: everything the role that owns the tables may do (it is made a member of that role): settings,
  schema upgrades, imports into an empty database. An admin could also drop the append-only triggers; that is
  what the hash chain and a published head are for.

Each change's actor is the connection's role (``session_user``), so with one login role per person the
history says who really did what.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from .errors import ClaimtrackError, InvalidInput, NotFound

LEVELS = ("reader", "editor", "admin")
# Tables an editor reads but does not write (besides the history, which it may only add to).
_SETTINGS = ("settings", "alembic_version")
_HISTORY = ("changes", "imported_changes")


@dataclass
class Granted:
    role: str
    level: str
    database: str
    owner: str


def _postgresql(session: Session) -> Connection:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        raise ClaimtrackError(
            "roles are PostgreSQL's: a SQLite ledger is one file, and whoever can read the file can read it all "
            "(see the README, 'Working as a team')"
        )
    return connection


def _context(session: Session, role: str) -> tuple[Connection, str, str, str]:
    """The connection, the role quoted, the database's name quoted, and the tables' owner."""
    connection = _postgresql(session)
    role = role.strip()
    if not role:
        raise InvalidInput("name a database role")
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).first()
    if found is None:
        raise NotFound("PostgreSQL role", role)
    owner: str = connection.execute(
        text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'changes'")
    ).scalar_one()
    if role == owner:
        raise InvalidInput(f"{role!r} owns the ledger's tables: it may do everything already")
    if found[0]:
        raise InvalidInput(f"{role!r} is a superuser: no grant can limit it")
    quote = connection.dialect.identifier_preparer.quote
    database: str = connection.execute(text("SELECT current_database()")).scalar_one()
    return connection, quote(role), quote(database), str(owner)


def revoke(session: Session, role: str) -> str:
    """Take every claimtrack grant away from ``role``; its database name, for the message."""
    connection, quoted, database, owner = _context(session, role)
    _revoke(connection, quoted, database, owner)
    return database.strip('"')


def _revoke(connection: Connection, quoted: str, database: str, owner: str) -> None:
    quote = connection.dialect.identifier_preparer.quote
    connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}")
    connection.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {quoted}")
    connection.exec_driver_sql(f"REVOKE ALL ON DATABASE {database} FROM {quoted}")
    connection.exec_driver_sql(f"REVOKE {quote(owner)} FROM {quoted}")


def grant(session: Session, role: str, level: str) -> Granted:
    """Give ``role`` the rights of a reader, an editor or an admin of this ledger (replacing any it had).

    Grants are made on the tables that exist: after a schema upgrade that adds tables, grant again."""
    if level not in LEVELS:
        raise InvalidInput(f"unknown level {level!r}; use reader, editor or admin")
    connection, quoted, database, owner = _context(session, role)
    quote = connection.dialect.identifier_preparer.quote
    _revoke(connection, quoted, database, owner)
    connection.exec_driver_sql(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {quoted}")
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {quoted}")
    connection.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {quoted}")
    if level in ("editor", "admin"):
        listing = text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables: list[str] = list(connection.execute(listing).scalars())
        records = [name for name in tables if name not in (*_SETTINGS, *_HISTORY)]
        if records:
            listed = ", ".join(quote(name) for name in records)
            connection.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {listed} TO {quoted}")
        history = ", ".join(quote(name) for name in _HISTORY if name in tables)
        connection.exec_driver_sql(f"GRANT INSERT ON {history} TO {quoted}")
        connection.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
    if level == "admin":
        connection.exec_driver_sql(f"GRANT {quote(owner)} TO {quoted}")
    return Granted(role.strip(), level, database.strip('"'), owner)
