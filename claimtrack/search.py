"""Full-text search over claims, quotes, passages and sources' titles and text.

One index (``search_index``) holds a row per claim, per appearance (its passage) and per source, kept in step
by triggers that a migration creates — so rows written by any path, bulk imports included, are searchable.
On SQLite it is an FTS5 table ranked by bm25; on PostgreSQL a table with a generated tsvector and a GIN index,
ranked by ts_rank. The table is not part of the ORM models (its shape differs by database), and Alembic's
comparison is told to leave it alone.

A row's id says what it indexes: id = record id x 4 + the kind's number below.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from .errors import InvalidInput
from .filters import ClaimFilter

KINDS = {0: "claim", 1: "passage", 2: "source"}
INDEX = "search_index"

# What each indexed table contributes, as SQL over the row (NEW in triggers, the table in back-fills).
_BODIES = {
    "claims": (0, "{r}.text || ' ' || coalesce({r}.quote, '') || ' ' || coalesce({r}.quote_translation, '')"),
    "appearances": (1, "coalesce({r}.passage, '')"),
    "sources": (2, "coalesce({r}.title, '') || ' ' || coalesce({r}.text, '')"),
}


def is_search_object(name: str | None) -> bool:
    """The index's own tables (FTS5 adds shadow tables) and indexes, which Alembic must not compare."""
    return bool(name) and str(name).startswith(INDEX)


def create(connection: Connection) -> None:
    """Create the index, its triggers, and fill it from the rows already there. Run by a migration, and again
    by any later migration that rebuilds claims, appearances or sources (SQLite batch mode drops triggers)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        connection.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {INDEX} (id BIGINT PRIMARY KEY, body TEXT NOT NULL, "
            "tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)"
        )
        connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {INDEX}_tsv ON {INDEX} USING gin (tsv)")
    drop_triggers(connection)
    for table, (kind, body) in _BODIES.items():
        new_body, key = body.format(r="NEW"), f"NEW.id * 4 + {kind}"
        if dialect == "sqlite":
            connection.exec_driver_sql(
                f"CREATE TRIGGER {INDEX}_{table}_insert AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {INDEX}(rowid, body) VALUES ({key}, {new_body}); END"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {INDEX}_{table}_update AFTER UPDATE ON {table} BEGIN "
                f"DELETE FROM {INDEX} WHERE rowid = OLD.id * 4 + {kind}; "
                f"INSERT INTO {INDEX}(rowid, body) VALUES ({key}, {new_body}); END"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {INDEX}_{table}_delete AFTER DELETE ON {table} BEGIN "
                f"DELETE FROM {INDEX} WHERE rowid = OLD.id * 4 + {kind}; END"
            )
        else:
            connection.exec_driver_sql(
                f"CREATE OR REPLACE FUNCTION {INDEX}_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF TG_OP IN ('UPDATE', 'DELETE') THEN DELETE FROM {INDEX} WHERE id = OLD.id * 4 + {kind}; END IF; "
                f"IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO {INDEX}(id, body) VALUES ({key}, {new_body}); END IF; "
                "RETURN NULL; END $$"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {INDEX}_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {INDEX}_{table}()"
            )
    connection.exec_driver_sql(f"DELETE FROM {INDEX}")
    column = "rowid" if dialect == "sqlite" else "id"
    for table, (kind, body) in _BODIES.items():
        connection.exec_driver_sql(
            f"INSERT INTO {INDEX}({column}, body) SELECT {table}.id * 4 + {kind}, {body.format(r=table)} FROM {table}"
        )


def drop_triggers(connection: Connection) -> None:
    for table in _BODIES:
        if connection.dialect.name == "sqlite":
            for event in ("insert", "update", "delete"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INDEX}_{table}_{event}")
        else:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INDEX}_{table} ON {table}")


def drop(connection: Connection) -> None:
    drop_triggers(connection)
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {INDEX}")
    if connection.dialect.name != "sqlite":
        for table in _BODIES:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {INDEX}_{table}()")


def search(
    session: Session, query: str, claim_filter: ClaimFilter | None = None, *, limit: int = 20
) -> list[dict[str, Any]]:
    """The best matches for a query, best first, each with a snippet ([...] around the matched words).

    Query syntax: words (all must match), "a phrase", OR between alternatives. Bound as a parameter, never
    pasted into the SQL.
    """
    from sqlalchemy import select

    from .models import Appearance, Claim, Source

    query = query.strip()
    if not query:
        raise InvalidInput("the search query is empty")
    if limit < 1:
        raise InvalidInput("--limit must be at least 1")
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        sql = text(
            f"SELECT rowid, snippet({INDEX}, 0, '[', ']', '…', 16), bm25({INDEX}) AS score FROM {INDEX} "
            f"WHERE {INDEX} MATCH :query ORDER BY score LIMIT :window"
        )
    else:
        sql = text(
            "SELECT id, ts_headline('simple', body, q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8, "
            f"MaxFragments=1, FragmentDelimiter=…'), -ts_rank(tsv, q) AS score FROM {INDEX}, "
            "websearch_to_tsquery('simple', :query) AS q WHERE tsv @@ q ORDER BY score LIMIT :window"
        )
    filtering = claim_filter is not None and claim_filter != ClaimFilter()
    window = limit * 20 if filtering else limit
    try:
        with session.begin_nested():
            hits = session.execute(sql, {"query": query, "window": window}).all()
    except DatabaseError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise InvalidInput(f"cannot read the search query {query!r}: {reason}") from None
    claim_ids = {row[0] // 4 for row in hits if row[0] % 4 == 0}
    appearance_ids = {row[0] // 4 for row in hits if row[0] % 4 == 1}
    source_ids = {row[0] // 4 for row in hits if row[0] % 4 == 2}
    appearances = {
        a.id: a for a in session.scalars(select(Appearance).where(Appearance.id.in_(appearance_ids)))
    }
    claims = {
        c.id: c
        for c in session.scalars(
            select(Claim).where(Claim.id.in_(claim_ids | {a.claim_id for a in appearances.values()}))
        )
    }
    sources = {
        s.id: s
        for s in session.scalars(
            select(Source).where(Source.id.in_(source_ids | {a.source_id for a in appearances.values()}))
        )
    }
    allowed: set[int] | None = None
    if filtering:
        assert claim_filter is not None
        candidates = set(claims)
        allowed = set(
            session.scalars(claim_filter.apply(session, select(Claim.id)).where(Claim.id.in_(candidates)))
        )
    results = []
    for hit in hits:
        row_id: int = hit[0]
        snippet = " ".join(str(hit[1]).split())
        score = -float(hit[2])  # both engines are asked for "lower is better"; shown as "higher is better"
        kind, record = KINDS[row_id % 4], row_id // 4
        if kind == "source":
            if filtering:
                continue  # filters select claims; a source matches none of them by itself
            source = sources[record]
            results.append(
                {
                    "kind": kind,
                    "claim": None,
                    "source": source.key,
                    "claimant": None,
                    "snippet": snippet,
                    "score": score,
                }
            )
            continue
        appearance = appearances.get(record) if kind == "passage" else None
        claim = claims[appearance.claim_id if appearance is not None else record]
        if allowed is not None and claim.id not in allowed:
            continue
        results.append(
            {
                "kind": kind,
                "claim": claim.key,
                "source": sources[appearance.source_id].key if appearance is not None else None,
                "claimant": claim.claimant.name,
                "snippet": snippet,
                "score": score,
            }
        )
        if len(results) >= limit:
            break
    return results[:limit]
