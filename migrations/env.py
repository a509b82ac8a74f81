"""Alembic environment for claimtrack, run from code (claimtrack.migrate) or the alembic command."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.exc import SAWarning

from claimtrack.models import Base
from claimtrack.search import is_search_object
from claimtrack.views import is_view

config = context.config
target_metadata = Base.metadata

# Indexes on expressions, which SQLite's reflection cannot read back (it warns and skips them): Alembic's
# comparison leaves them out, and tests/test_migrations.py checks each exists and serves its query instead.
EXPRESSION_INDEXES = {"ix_claims_date_order"}


def _compared(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///claimtrack.db")
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys enforced the drop would
            # fail or cascade. The pragma only takes effect outside a transaction, hence the raw connection.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things: rebuild tables in batch mode there.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            # The search index and the browsable views are made by hand (see claimtrack.search and
            # claimtrack.views): not the models' business, and never to be dropped as unknown tables.
            # A migration that rebuilds or alters a table the views read (SQLite batch mode, or a column type
            # on PostgreSQL) must call claimtrack.views.drop() before and claimtrack.views.create() after.
            include_name=lambda name, type_, parent_names: not (is_search_object(name) or is_view(name)),
            include_object=_compared,
        )
        with context.begin_transaction(), warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
            )
            warnings.filterwarnings(
                "ignore", "autogenerate skipping metadata-specified expression-based index"
            )
            context.run_migrations()
        if sqlite:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                connection.rollback()
                raise RuntimeError(f"migration left dangling references: {problems[:5]}")
        # SQLAlchemy 2 connections do not autocommit: make the migration stick.
        connection.commit()
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


if context.is_offline_mode():
    raise SystemExit("claimtrack migrations run online only: use `claimtrack db upgrade`")
run_migrations()
