"""The database as a reader sees it: plain-named SQL views, and the check results they show.

A ledger is often handed over as a file and opened in Datasette or any SQLite browser, where ids and joins
read poorly. Two views read well on their own:

- ``claim_overview``: one row per claim with its claimant, kind, status, dates, how many appearances and
  sources it has (withdrawn appearances count in neither: they count in no verdict; ``withdrawn`` counts
  them), and the independent-origin count as last computed by ``claimtrack check`` (NULL when no check has
  covered the claim yet);
- ``appearance_overview``: one row per appearance with its claim, source, publisher, stance and passage, and
  when and why it was withdrawn (NULL for one that stands).

The counts come from ``claim_checks`` (:class:`claimtrack.models.ClaimCheck`), which ``claimtrack check``
fills in bulk after computing, in a short write transaction of its own (:func:`store_checks`).

The views are plain SQL that SQLite and PostgreSQL both read, made by migrations with :func:`create`: 0004
made :data:`VIEWS_0004`, 0010 the views as they are now (:data:`VIEWS`). Each migration creates the views
from its own frozen copy of their SQL, so that a later edit here does not change what an old migration makes
(the views it made could read a column a later migration adds); changing :data:`VIEWS` takes a new migration
that freezes the new SQL (a test holds :data:`VIEWS` to the newest migration's copy). They are not ORM
models, and Alembic's comparison is told to leave them alone (migrations/env.py). A later migration that
rebuilds or alters a table they read (claims, entities, appearances, sources, claim_checks) must call
:func:`drop` first and :func:`create` after, with the SQL of the revision it is at: SQLite's batch mode
recreates a table by copy, drop and rename, and the rename fails while a view names the table ("error in
view claim_overview: no such table"); PostgreSQL refuses to drop a table, or change a column's type, that a
view depends on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import ClaimtrackError, DatabaseBusy, DatabaseDamaged, ReadOnlyDatabase

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from .db import Ledger

# Correlated subqueries, not a GROUP BY over all appearances: a browser shows a page of rows at a time, and
# each row's counts are then probes of ix_appearances_claim_id instead of aggregating the whole table. A
# withdrawn appearance (logged in error, kept with its reason) counts in no verdict, so in neither count here;
# ``withdrawn`` says how many there are.
CLAIM_OVERVIEW = """
SELECT
    claims.id AS id,
    claims.key AS key,
    claims.kind AS kind,
    claims.text AS text,
    claimant.name AS claimant,
    claims.status AS status,
    claims.said_edtf AS said_on,
    claims.event_edtf AS event_date,
    (SELECT COUNT(*) FROM appearances
        WHERE appearances.claim_id = claims.id AND appearances.withdrawn_at IS NULL) AS appearances,
    (SELECT COUNT(DISTINCT appearances.source_id) FROM appearances
        WHERE appearances.claim_id = claims.id AND appearances.withdrawn_at IS NULL) AS sources,
    (SELECT COUNT(*) FROM appearances
        WHERE appearances.claim_id = claims.id AND appearances.withdrawn_at IS NOT NULL) AS withdrawn,
    claim_checks.independent_origins AS independent_origins,
    claim_checks.lacking AS lacking,
    claim_checks.threshold AS threshold,
    claim_checks.checked_at AS checked_at
FROM claims
JOIN entities AS claimant ON claimant.id = claims.claimant_id
LEFT JOIN claim_checks ON claim_checks.claim_id = claims.id
"""

APPEARANCE_OVERVIEW = """
SELECT
    appearances.id AS id,
    claims.key AS claim_key,
    claims.text AS claim_text,
    claimant.name AS claimant,
    sources.key AS source_key,
    sources.title AS source_title,
    publisher.name AS publisher,
    sources.published_edtf AS published_on,
    appearances.stance AS stance,
    appearances.passage AS passage,
    appearances.locator AS locator,
    appearances.anchor_status AS anchor_status,
    appearances.withdrawn_at AS withdrawn_at,
    appearances.withdrawn_reason AS withdrawn_reason
FROM appearances
JOIN claims ON claims.id = appearances.claim_id
JOIN entities AS claimant ON claimant.id = claims.claimant_id
JOIN sources ON sources.id = appearances.source_id
LEFT JOIN entities AS publisher ON publisher.id = sources.publisher_id
"""

VIEWS = {"claim_overview": CLAIM_OVERVIEW, "appearance_overview": APPEARANCE_OVERVIEW}

# The views as migration 0004 made them, and 0006 and 0007 made them again after rebuilding the tables they
# read (withdrawn appearances counted): frozen, as those migrations must go on making what they made.
_CLAIM_OVERVIEW_0004 = """
SELECT
    claims.id AS id,
    claims.key AS key,
    claims.kind AS kind,
    claims.text AS text,
    claimant.name AS claimant,
    claims.status AS status,
    claims.said_edtf AS said_on,
    claims.event_edtf AS event_date,
    (SELECT COUNT(*) FROM appearances WHERE appearances.claim_id = claims.id) AS appearances,
    (SELECT COUNT(DISTINCT appearances.source_id) FROM appearances WHERE appearances.claim_id = claims.id)
        AS sources,
    claim_checks.independent_origins AS independent_origins,
    claim_checks.lacking AS lacking,
    claim_checks.threshold AS threshold,
    claim_checks.checked_at AS checked_at
FROM claims
JOIN entities AS claimant ON claimant.id = claims.claimant_id
LEFT JOIN claim_checks ON claim_checks.claim_id = claims.id
"""

_APPEARANCE_OVERVIEW_0004 = """
SELECT
    appearances.id AS id,
    claims.key AS claim_key,
    claims.text AS claim_text,
    claimant.name AS claimant,
    sources.key AS source_key,
    sources.title AS source_title,
    publisher.name AS publisher,
    sources.published_edtf AS published_on,
    appearances.stance AS stance,
    appearances.passage AS passage,
    appearances.locator AS locator,
    appearances.anchor_status AS anchor_status
FROM appearances
JOIN claims ON claims.id = appearances.claim_id
JOIN entities AS claimant ON claimant.id = claims.claimant_id
JOIN sources ON sources.id = appearances.source_id
LEFT JOIN entities AS publisher ON publisher.id = sources.publisher_id
"""

VIEWS_0004 = {"claim_overview": _CLAIM_OVERVIEW_0004, "appearance_overview": _APPEARANCE_OVERVIEW_0004}

# Rows per executemany when storing check results: bounded memory for a million claims, few round trips.
CHUNK = 10_000
# claim_checks' columns, in the order record_checks builds its rows.
_CHECK_COLUMNS = ("claim_id", "independent_origins", "threshold", "lacking", "checked_at")


def is_view(name: str | None) -> bool:
    """One of the views made here, which Alembic must not mistake for a table to drop."""
    return name in VIEWS


def create(connection: Connection, views: Mapping[str, str]) -> None:
    """Create (or replace) the views, from the SQL of the migration that makes them (:data:`VIEWS_0004`, or a
    later migration's frozen copy). Run by migration 0004, again by any later migration that rebuilds a table
    they read, after :func:`drop`, and by one that changes them."""
    for name, sql in views.items():
        # SQLite has no CREATE OR REPLACE VIEW; PostgreSQL's would refuse a changed column list anyway.
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
        connection.exec_driver_sql(f"CREATE VIEW {name} AS {sql.strip()}")


def drop(connection: Connection) -> None:
    for name in VIEWS:
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


# ---- the stored check results ----------------------------------------------------------------------------


class ChecksNotStored(ClaimtrackError):
    """The check ran, but its results could not be written (a read-only database, or a busy one)."""


def record_checks(
    session: Session, counts: Iterable[tuple[int, int]], *, threshold: int, checked_at: dt.datetime
) -> int:
    """Store (claim id, independent origins) pairs as the claims' last check, replacing earlier results;
    returns how many were stored.

    An upsert (ON CONFLICT DO UPDATE) run with executemany in chunks, never ORM objects: these rows are
    derived data that the change log must not record. A full check stores a row per claim, and SQLAlchemy's
    per-row parameter handling would cost more than the check's own counting pass; so the statement is
    compiled once by SQLAlchemy for the connection's dialect, and the rows are handed to the driver ready-made
    (the values every row shares, and the two of ``lacking``, converted by the column types once).
    """
    import importlib
    from operator import itemgetter

    from .models import ClaimCheck

    table = ClaimCheck.__table__
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("sqlite", "postgresql"):
        raise ClaimtrackError(f"storing check results is not supported on {dialect.name}")
    # Only the dialect in use is imported: PostgreSQL's would cost a check on SQLite some 30 ms of start-up.
    dialect_module: Any = importlib.import_module(f"sqlalchemy.dialects.{dialect.name}")
    insert = dialect_module.insert(table)
    upsert = insert.on_conflict_do_update(
        index_elements=[table.c.claim_id], set_={name: insert.excluded[name] for name in _CHECK_COLUMNS[1:]}
    )
    compiled = upsert.compile(dialect=dialect, column_keys=list(_CHECK_COLUMNS))

    def driver_value(name: str, value: Any) -> Any:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        return process(value) if process is not None else value

    when = driver_value("checked_at", checked_at)
    short, enough = driver_value("lacking", True), driver_value("lacking", False)
    if compiled.positional:
        # "?" placeholders (SQLite): a tuple in the statement's order.
        make: Any = itemgetter(*(_CHECK_COLUMNS.index(name) for name in compiled.positiontup or ()))
    else:
        # Named placeholders (psycopg): a dict.
        def make(values: tuple[Any, ...]) -> dict[str, Any]:
            return dict(zip(_CHECK_COLUMNS, values, strict=True))

    sql = str(compiled)
    stored = 0
    rows: list[Any] = []
    for claim_id, independent in counts:
        rows.append(
            make((claim_id, independent, threshold, short if independent < threshold else enough, when))
        )
        if len(rows) == CHUNK:
            connection.exec_driver_sql(sql, rows)
            stored += len(rows)
            rows = []
    if rows:
        connection.exec_driver_sql(sql, rows)
        stored += len(rows)
    return stored


def store_checks(
    ledger: Ledger, counts: Iterable[tuple[int, int]], *, threshold: int, checked_at: dt.datetime
) -> int:
    """:func:`record_checks` in a short write transaction of its own, taken after the check has computed (so
    the check never holds the write lock while it reads). Raises :class:`ChecksNotStored` when the database
    cannot be written now — read-only, or busy past the timeout — so the caller can still show its verdicts.
    """
    from sqlalchemy.exc import DBAPIError

    try:
        with ledger.session(write=True) as session:
            return record_checks(session, counts, threshold=threshold, checked_at=checked_at)
    except DatabaseBusy as exc:
        raise ChecksNotStored(str(exc)) from exc
    except ReadOnlyDatabase as exc:
        raise ChecksNotStored(f"{ledger.describe()} is read-only") from exc
    except DatabaseDamaged as exc:  # the verdicts, read before, are shown all the same
        raise ChecksNotStored(str(exc)) from exc
    except DBAPIError as exc:
        if _is_read_only(exc):
            raise ChecksNotStored(f"{ledger.describe()} is read-only") from exc
        # A damaged page that only the write reaches (an index whose entries no longer match their rows
        # fails the write with a constraint error): named as damage, as the command line names it.
        from .db import damage_found, damage_message

        path = ledger.sqlite_path()
        found = damage_found(path) if path is not None else None
        if path is None or found is None:
            raise
        raise ChecksNotStored(damage_message(path, found)) from exc


def _is_read_only(exc: DBAPIError) -> bool:
    original = getattr(exc, "orig", None)
    # PostgreSQL: read_only_sql_transaction (a standby, or default_transaction_read_only), or a user without
    # the right to write.
    if getattr(original, "sqlstate", None) in ("25006", "42501"):
        return True
    # SQLite: "attempt to write a readonly database" (a file the user may not write, or opened read-only).
    name = getattr(original, "sqlite_errorname", None) or ""
    return name.startswith("SQLITE_READONLY") or "readonly database" in str(original)
