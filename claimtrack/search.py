"""Full-text search over claims, quotes, passages and sources' titles and text.

One index (``search_index``) holds a row per claim, per appearance (its passage) and per source, kept in step
by triggers that a migration creates — so rows written by any path, bulk imports included, are searchable.
On SQLite it is an FTS5 table ranked by bm25; on PostgreSQL a table with a generated tsvector and a GIN index,
ranked by ts_rank. The table is not part of the ORM models (its shape differs by database), and Alembic's
comparison is told to leave it alone.

A row's id says what it indexes: id = record id x 4 + the kind's number below.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from .errors import InvalidInput
from .filters import ClaimFilter
from .models import Appearance, Claim, Entity, Source
from .records import SearchHit

KINDS = {0: "claim", 1: "passage", 2: "source"}
# Ranking reads every match (FTS5's bm25 one to two microseconds each on the benchmark's machine, idle: a
# common word matches 150,000 rows of its million claims). Up to this many matches are ranked, in about 0.1 s
# on an idle core; when more match, the newest come first.
RANK_AT_MOST = 50_000
# PostgreSQL's ts_rank reads each match's stored tsvector, far slower per match than bm25: it ranks up to this many.
PG_RANK_AT_MOST = 1_000
# A filter that selects fewer claims than this is listed inside the search's queries (see _selected()).
FEW = 5_000
COUNT_FOR = 0.02  # seconds; see _fewer_than()
INDEX = "search_index"


def rank_at_most(dialect: str) -> int:
    """How many matches a search ranks before it lists the newest instead, on this database."""
    return RANK_AT_MOST if dialect == "sqlite" else PG_RANK_AT_MOST


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
    if dialect != "sqlite":
        # The GIN index is built once from the filled table, which is several times quicker than adding each
        # row's words to it as the rows go in.
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}_tsv")
    for statement in fill_statements(dialect):
        connection.exec_driver_sql(statement)
    if dialect != "sqlite":
        connection.exec_driver_sql(f"CREATE INDEX {INDEX}_tsv ON {INDEX} USING gin (tsv)")
        create_statistics(connection, analyze=False)


def create_statistics(connection: Connection, *, analyze: bool = True) -> None:
    """PostgreSQL: statistics on each row's kind (id % 4), which the planner otherwise takes for 1 in 200 rows
    (see migration 0011); ``analyze`` gathers them now rather than at autovacuum's next pass."""
    # Through text(), which writes the % as the driver wants it.
    connection.execute(text(f"CREATE STATISTICS IF NOT EXISTS {INDEX}_kind ON (id % 4) FROM {INDEX}"))
    if analyze:
        connection.exec_driver_sql(f"ANALYZE {INDEX}")


def fill_statements(dialect: str) -> list[str]:
    """The SQL that empties the index and fills it again from every claim, appearance and source (a bulk
    load drops the triggers, loads, then runs these; bench/generate.py does so through its own driver)."""
    column = "rowid" if dialect == "sqlite" else "id"
    return [f"DELETE FROM {INDEX}"] + [
        f"INSERT INTO {INDEX}({column}, body) SELECT {table}.id * 4 + {kind}, {body.format(r=table)} FROM {table}"
        for table, (kind, body) in _BODIES.items()
    ]


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
    session: Session,
    query: str,
    claim_filter: ClaimFilter | None = None,
    *,
    limit: int = 20,
    rank_all: bool = False,
) -> list[SearchHit]:
    """The matches for a query, each with a snippet ([...] around the matched words) and a score.

    Matches are ranked, best first: by bm25 on SQLite, by ts_rank on PostgreSQL. Ranking reads every match,
    which on a large database takes far longer than finding them, so up to rank_at_most() matches are
    ranked (RANK_AT_MOST on SQLite, PG_RANK_AT_MOST on PostgreSQL); when more match, the newest come first
    instead, unranked (score None): the claims recorded last, then passages, then sources. With ``rank_all`` every match is ranked, however many.

    Query syntax: words (all must match), "a phrase", OR between alternatives. Bound as a parameter, never
    pasted into the SQL.
    """
    query = query.strip()
    if not query:
        raise InvalidInput("the search query is empty")
    if limit < 1:
        raise InvalidInput("--limit must be at least 1")
    dialect = session.get_bind().dialect.name
    filtering = claim_filter is not None and claim_filter != ClaimFilter()
    if dialect != "sqlite":
        return _search_postgresql(session, query, claim_filter if filtering else None, limit, rank_all)
    index = _index_name(session)
    # Qualified: the filters' subqueries below read other tables, which have a rowid of their own.
    row_id = literal_column(f"{index}.rowid", Integer)
    matches = (
        select(row_id).select_from(text(index)).where(literal_column(index).op("MATCH")(bindparam("query")))
    )
    score: ColumnElement[Any] = literal_column(f"bm25({index})")
    kind = row_id.op("%")(4)
    if filtering:
        assert claim_filter is not None
        matches = matches.where(_selected(session, claim_filter, kind, row_id.op("/")(4)))
    params = {"query": query}
    rows: list[tuple[int, float | None]] = []
    bounds: tuple[ColumnElement[bool], ...] = ()
    too_many = False
    most = _most_matches(session, query) if not rank_all and dialect == "sqlite" else None
    if most == 0:
        return []
    if most is not None and most > RANK_AT_MOST and not filtering and _ONE_WORD.fullmatch(query):
        too_many = True  # a single word's count is exact: no need to count its matches again
    elif not rank_all and dialect == "sqlite" and filtering and (most is None or most > RANK_AT_MOST):
        # With a filter, finding the matches costs more than ranking them (each match's claim is tested), so
        # the newest RANK_AT_MOST + 1 are read once, ranked as they are read: when there are no more, that is
        # the answer, the same as ranking every match gives.
        window = (
            matches.with_only_columns(row_id.label("hit"), score.label("score"))
            .order_by(row_id.desc())
            .limit(RANK_AT_MOST + 1)
            .subquery()
        )
        best = (
            select(window.c.hit, window.c.score, func.count().over())
            .order_by(window.c.score, window.c.hit.desc())
            .limit(limit)
        )
        best_rows = _run(session, query, best, params)
        if not best_rows:
            return []
        too_many = int(best_rows[0][2]) > RANK_AT_MOST
        rows = [] if too_many else [(int(row[0]), -float(row[1])) for row in best_rows]
    elif not rank_all and dialect == "sqlite" and (most is None or most > RANK_AT_MOST):
        # The newest RANK_AT_MOST + 1 matches tell whether there are more than can be ranked, without reading
        # them all (FTS5 reads its index backwards and stops). When there are not, ranking reads only their
        # span of the index.
        newest = (
            matches.with_only_columns(row_id.label("hit")).order_by(row_id.desc()).limit(RANK_AT_MOST + 1)
        )
        ids = newest.subquery().c.hit
        found, lowest, highest = _run(
            session, query, select(func.count(), func.min(ids), func.max(ids)), params
        )[0]
        if not found:
            return []
        too_many = found > RANK_AT_MOST
        if not too_many:
            bounds = (row_id >= lowest, row_id <= highest)
    if too_many:
        rows = _newest(session, query, matches, row_id, kind, params, limit, with_sources=not filtering)
    elif not rows:
        # Both engines are asked for "lower is better"; the score is shown as "higher is better".
        ranked = matches.add_columns(score.label("score")).where(*bounds)
        ranked = ranked.order_by(literal_column("score"), row_id.desc()).limit(limit)
        rows = [(int(row[0]), -float(row[1])) for row in _run(session, query, ranked, params)]
    records = _records(session, [hit for hit, _ in rows], with_sources=not filtering)
    snippets = _snippets(session, dialect, query, [hit for hit, _ in rows])
    return [
        {
            "kind": KINDS[hit % 4],
            "claim": records[hit].claim,
            "source": records[hit].source,
            "claimant": records[hit].claimant,
            "snippet": " ".join(snippets[hit].split()),
            "score": points,
        }
        for hit, points in rows
    ]


# ts_headline's options: the snippet of a PostgreSQL match.
_HEADLINE = "StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…"


def _search_postgresql(
    session: Session, query: str, claim_filter: ClaimFilter | None, limit: int, rank_all: bool
) -> list[SearchHit]:
    """search() on PostgreSQL: one statement, which finds the matches, ranks them or lists the newest, and
    joins each hit's claim, claimant, source and snippet (a round trip to the server costs more than most of
    the work; each of the dozen a search took was 3 to 8 ms on a loaded machine).

    The statement, in its parts (CTEs):

    * ``matched``: the first PG_RANK_AT_MOST + 1 matches in any order (the GIN index's bitmap, which stops
      fetching rows there), with their stored tsvectors;
    * ``ranked``: when no more than PG_RANK_AT_MOST match, all of them ranked by ts_rank over those
      tsvectors (read once);
    * ``newest_0``, ``newest_1``, ``newest_2``: when more match, the newest claims, passages and sources,
      each read backwards along the index's key from its kind's highest id (a kind is only read while the
      ones before it have not filled the page: a one-time filter in the plan);
    * the hits joined to what they stand for, with ts_headline's snippet for those only.

    A filter is a join of each match to its claim (a passage's through its appearance), on both the key of
    the match and the claim's, so that PostgreSQL can go either way: from a narrow selection of claims to
    their rows of the index, or from the matches of a word to their claims.
    """
    selected = None if claim_filter is None else claim_filter.apply(session, select(Claim.id))
    if selected is None:
        statement = _pg_unfiltered_statement(rank_all, PG_RANK_AT_MOST)
    else:
        statement = _pg_statement(selected, rank_all, PG_RANK_AT_MOST)
    # Planned for the query's own words each time: psycopg prepares a statement run five times on a
    # connection, and PostgreSQL may then plan it once for any words, not knowing how many rows they match.
    driver = session.connection().connection.driver_connection
    threshold = getattr(driver, "prepare_threshold", None)
    if driver is not None and threshold is not None:
        driver.prepare_threshold = None
    try:
        rows = _run(session, query, statement, {"query": query, "limit": limit})
    finally:
        if driver is not None and threshold is not None:
            driver.prepare_threshold = threshold
    return [
        {
            "kind": KINDS[int(row[0]) % 4],
            "claim": row[2],
            "source": row[4] if int(row[0]) % 4 else None,
            "claimant": row[3],
            "snippet": " ".join(str(row[5]).split()),
            "score": None if row[1] is None else -float(row[1]),
        }
        for row in rows
    ]


@functools.cache
def _pg_unfiltered_statement(rank_all: bool, rank_at_most: int) -> Select[Any]:
    """The statement of an unfiltered search, built once: building it costs more than running it."""
    return _pg_statement(None, rank_all, rank_at_most)


def _pg_statement(selected: Select[Any] | None, rank_all: bool, rank_at_most: int) -> Select[Any]:
    """_search_postgresql()'s statement; ``selected``, the claims a filter selects (None: no filter)."""
    from sqlalchemy import BigInteger, column, literal, table, union_all

    si = table(INDEX, column("id", BigInteger), column("body"), column("tsv")).alias("si")
    tsquery = func.websearch_to_tsquery(literal_column("'simple'"), bindparam("query"))
    matching = si.c.tsv.op("@@")(tsquery)

    row_kind, record = si.c.id.op("%")(4), si.c.id.op("/")(4)

    def part(kind: int | None, matching: ColumnElement[bool] = matching) -> Select[Any]:
        """The matches of one kind (with the filter, if any): their ids and tsvectors."""
        rows = select(si.c.id, si.c.tsv).where(
            matching, row_kind == kind if kind is not None else row_kind < 2
        )
        if selected is None:
            return rows
        claim_of = case(
            (row_kind == 0, record),
            else_=select(Appearance.claim_id).where(Appearance.id == record).correlate(si).scalar_subquery(),
        )
        return rows.where(selected.where(Claim.id == claim_of).correlate(si).exists())

    kinds = (0, 1) if selected is not None else (0, 1, 2)
    if selected is None:
        matches: Any = select(si.c.id, si.c.tsv).where(matching)
    else:
        matches = part(None)
    score = (-func.ts_rank(literal_column("tsv"), tsquery)).label("score")
    hits: Any
    if rank_all:
        every = matches.subquery("matched")
        hits = (
            select(every.c.id, score).select_from(every).order_by(literal_column("score"), every.c.id.desc())
        )
        hits = hits.limit(bindparam("limit")).cte("hits")
    else:
        every = matches.subquery("m")
        matched = select(every.c.id, every.c.tsv).limit(rank_at_most + 1)
        first = matched.cte("matched").prefix_with("MATERIALIZED", dialect="postgresql")
        found = select(func.count()).select_from(first).scalar_subquery()
        ranked = (
            select(first.c.id, score)
            .where(found <= rank_at_most)
            .order_by(literal_column("score"), first.c.id.desc())
            .limit(bindparam("limit"))
        )
        models: dict[int, Any] = {0: Claim, 1: Appearance, 2: Source}
        newest: list[Any] = []
        for kind in kinds:
            highest = select(func.max(models[kind].id)).scalar_subquery() * 4 + kind
            newer = [select(func.count()).select_from(earlier).scalar_subquery() for earlier in newest]
            # The query as a value the planner does not see (an InitPlan), for which it assumes the
            # default share of the index's rows: many, as there are (more than PG_RANK_AT_MOST). Seen, a
            # phrase's matches are estimated from its words' together, far too few (136 for 10,659), and
            # PostgreSQL fetched and sorted every one of them rather than read the newest rows backwards.
            unseen = si.c.tsv.op("@@")(select(tsquery).scalar_subquery())
            page = part(kind, unseen).with_only_columns(si.c.id)
            page = page.where(found > rank_at_most, si.c.id <= highest)
            if newer:
                page = page.where(sum(newer[1:], newer[0]) < bindparam("limit"))
            newest.append(page.order_by(si.c.id.desc()).limit(bindparam("limit")).cte(f"newest_{kind}"))
        listed = union_all(
            *(select(cte.c.id, literal_column("NULL::real").label("score")) for cte in newest)
        ).subquery("listed")
        hits = union_all(
            ranked,
            select(listed.c.id, listed.c.score)
            .order_by(listed.c.id.op("%")(4), listed.c.id.desc())
            .limit(bindparam("limit")),
        ).cte("hits")
    found_row = si.alias("found")
    passage = Appearance.__table__.alias("passage")
    kind = hits.c.id.op("%")(4)
    record = hits.c.id.op("/")(4)
    claim_id = case((kind == 0, record), else_=passage.c.claim_id)
    source_id = case((kind == 2, record), else_=passage.c.source_id)
    headline = func.ts_headline(literal_column("'simple'"), found_row.c.body, tsquery, literal(_HEADLINE))
    return (
        select(hits.c.id, hits.c.score, Claim.key, Entity.name, Source.key, headline)
        .select_from(hits)
        .join(found_row, found_row.c.id == hits.c.id)
        .outerjoin(passage, and_(kind == 1, passage.c.id == record))
        .outerjoin(Claim, Claim.id == claim_id)
        .outerjoin(Entity, Entity.id == Claim.claimant_id)
        .outerjoin(Source, Source.id == source_id)
        .order_by(hits.c.score, case((hits.c.score.is_(None), kind)), hits.c.id.desc())
    )


# A query of one plain word (quoted or not); of plain words and "phrases" of plain words.
_ONE_WORD = re.compile(r'("?)([A-Za-z0-9]+)\1')
_PLAIN_QUERY = re.compile(r'[A-Za-z0-9" ]+')
# A word in at most this many rows is "rare": counting them reads little.
RARE = 1_000


def _most_matches(session: Session, query: str) -> int | None:
    """At most how many index rows match a query of plain ASCII words and phrases (exactly how many, for one
    word), when that is cheap to tell; None when it is not, or for any other query.

    One word: FTS5's fts5vocab gives the count of rows that hold it, reading the word's list of rows, which is
    what counting its matches reads too, without their positions. Several: a query's matches hold each of its
    words, so they are no more than the rarest word's rows; each word's rows are counted up to RARE + 1 (a
    common word's whole list costs more to read than finding the few rows that hold them all), and a word in
    at most RARE rows bounds the matches. Such a word is indexed in lower case as it is (the tokenizer splits
    on anything but letters and digits, and folds only accents and case); a word the index lacks means no
    match.
    """
    if not _PLAIN_QUERY.fullmatch(query) or query.count('"') % 2:
        return None
    bare = _QUERY_WORD.findall(query.replace('"', " "))
    words = sorted({word.lower() for word in bare})
    if not words or any(word in _OPERATORS for word in bare):
        return None
    connection = session.connection()
    single = _ONE_WORD.fullmatch(query)
    if single is not None:
        # A temporary table (of the connection, not the file), made once per connection: reading a ledger
        # opened read-only makes it all the same.
        vocabulary = f"temp.{INDEX}_vocabulary"
        if not connection.info.get(vocabulary):
            connection.exec_driver_sql(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocabulary} USING fts5vocab(main, {INDEX}, row)"
            )
            connection.info[vocabulary] = True
        found = connection.exec_driver_sql(
            f"SELECT doc FROM {vocabulary} WHERE term = ?", (single.group(2).lower(),)
        ).scalar()
        return int(found or 0)
    least: int | None = None
    for word in words:
        rows = connection.exec_driver_sql(
            f"SELECT count(*) FROM (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT {RARE + 1})",
            (f'"{word}"',),
        ).scalar()
        if not rows:
            return 0
        if rows <= RARE:
            least = min(int(rows), least if least is not None else int(rows))
    return least


def _selected(
    session: Session, claim_filter: ClaimFilter, kind: ColumnElement[Any], record: ColumnElement[Any]
) -> ColumnElement[bool]:
    """The index rows of the claims a filter selects and of their passages. Sources match no filter by
    themselves: only claims' own rows and their passages are kept."""
    selected = claim_filter.apply(session, select(Claim.id))
    # A narrow selection (fewer than FEW claims) is listed once, and each match looked up in the list; a broad
    # one would cost more to list (0.4 s for every figure's id) than to look each match's claim up by its key,
    # which stops as soon as enough matches have passed.
    if _fewer_than(session, selected, FEW):
        return or_(
            and_(kind == 0, record.in_(selected)),
            and_(kind == 1, record.in_(select(Appearance.id).where(Appearance.claim_id.in_(selected)))),
        )
    return or_(
        and_(kind == 0, selected.where(Claim.id == record).exists()),
        and_(
            kind == 1,
            select(Appearance.id)
            .where(Appearance.id == record, selected.where(Claim.id == Appearance.claim_id).exists())
            .exists(),
        ),
    )


def _fewer_than(session: Session, selected: Select[int], few: int) -> bool:
    """Whether a filter selects fewer than ``few`` claims, when that is quick to tell; else False.

    Counting reads claims until ``few`` have passed. With an index to go by (a claimant, a tag, a status) that is
    quick; a date range has none, and a narrow one read every claim of the benchmark's million (1.1 s) to find
    its first few thousand. On SQLite the count is given COUNT_FOR seconds and then treated as broad: either
    answer gives the same matches, only the way to them differs.
    """
    counting = select(func.count()).select_from(selected.limit(few).subquery())
    if session.get_bind().dialect.name != "sqlite":
        return (session.scalar(counting) or 0) < few
    driver = session.connection().connection.driver_connection
    assert driver is not None
    deadline = time.perf_counter() + COUNT_FOR
    # Called every 100 virtual-machine steps (a few microseconds); a true answer interrupts the statement.
    driver.set_progress_handler(lambda: time.perf_counter() > deadline, 100)
    try:
        with session.begin_nested():
            return (session.scalar(counting) or 0) < few
    except OperationalError:
        if time.perf_counter() <= deadline:
            raise
        return False
    finally:
        driver.set_progress_handler(None, 0)


def _newest(
    session: Session,
    query: str,
    matches: Select[Any],
    row_id: ColumnElement[Any],
    kind: ColumnElement[Any],
    params: dict[str, Any],
    limit: int,
    *,
    with_sources: bool,
) -> list[tuple[int, float | None]]:
    """The newest matches, unranked: claims first, then passages, then sources, each the last recorded first.
    A row's id is its record's id x 4 + its kind, so each kind's rows lie at or below its highest id x 4 + kind:
    reading backwards from there passes over few rows of other kinds."""
    rows: list[tuple[int, float | None]] = []
    for number, model in ((0, Claim), (1, Appearance), (2, Source)):
        if number == 2 and not with_sources:
            break
        highest = session.scalar(select(func.max(model.id)))
        if highest is None:
            continue
        newest = matches.where(kind == number, row_id <= highest * 4 + number)
        newest = newest.order_by(row_id.desc()).limit(limit - len(rows))
        rows += [(int(row[0]), None) for row in _run(session, query, newest, params)]
        if len(rows) >= limit:
            break
    return rows


def _run(
    session: Session, query: str, statement: Select[*tuple[Any, ...]], params: dict[str, Any]
) -> Sequence[Any]:
    """Run a statement over the index; a query the engine cannot read is the user's error, in one line."""
    try:
        with session.begin_nested():
            return session.execute(statement, params).all()
    except DatabaseError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise InvalidInput(f"cannot read the search query {query!r}: {reason}") from None


def _index_name(session: Session) -> str:
    """The index table's name as the SQL of the queries above writes it: a constant, quoted by the dialect's
    identifier preparer all the same, so no name reaches the SQL unquoted. Everything the user types is bound."""
    return str(session.get_bind().dialect.identifier_preparer.quote(INDEX))


class _Record(NamedTuple):
    """What an index row stands for: its claim (none for a source) and its source (none for a claim)."""

    claim_id: int | None
    claim: str | None
    source: str | None
    claimant: str | None


@functools.cache
def _record_queries() -> tuple[Select[int, str, str], Select[int, int, str, str, str], Select[int, str]]:
    """The three queries of _records(), built once: building them cost more than running them."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    claims = (
        select(Claim.id, Claim.key, Entity.name)
        .join(Entity, Entity.id == Claim.claimant_id)
        .where(Claim.id.in_(ids))
    )
    appearances = (
        select(Appearance.id, Claim.id, Claim.key, Entity.name, Source.key)
        .join(Claim, Claim.id == Appearance.claim_id)
        .join(Entity, Entity.id == Claim.claimant_id)
        .join(Source, Source.id == Appearance.source_id)
        .where(Appearance.id.in_(ids))
    )
    sources = select(Source.id, Source.key).where(Source.id.in_(ids))
    return claims, appearances, sources


def _records(session: Session, row_ids: list[int], *, with_sources: bool) -> dict[int, _Record]:
    """What each of these index rows stands for, by row id: one query of plain columns per kind, rather than
    ORM objects and a query per claimant."""
    claim_ids = [row_id // 4 for row_id in row_ids if row_id % 4 == 0]
    appearance_ids = [row_id // 4 for row_id in row_ids if row_id % 4 == 1]
    source_ids = [row_id // 4 for row_id in row_ids if row_id % 4 == 2]
    records: dict[int, _Record] = {}
    # Plain rows through the session's connection: no ORM loading to pay for.
    connection = session.connection()
    claims, appearances, sources = _record_queries()
    if claim_ids:
        for claim_id, key, claimant in connection.execute(claims, {"ids": claim_ids}):
            records[claim_id * 4] = _Record(claim_id, key, None, claimant)
    if appearance_ids:
        for appearance_id, claim_id, key, claimant, source in connection.execute(
            appearances, {"ids": appearance_ids}
        ):
            records[appearance_id * 4 + 1] = _Record(claim_id, key, source, claimant)
    if source_ids and with_sources:
        for source_id, key in connection.execute(sources, {"ids": source_ids}):
            records[source_id * 4 + 2] = _Record(None, None, key, None)
    return records


# FTS5's snippet() scores every match in a row against every other: on a document of a few megabytes where the
# query's word occurs tens of thousands of times it takes minutes. Rows longer than this (in bytes) get a plain
# snippet.
SNIPPET_LONGEST = 100_000


def _snippets(session: Session, dialect: str, query: str, row_ids: list[int]) -> dict[int, str]:
    """The snippet of each of these index rows (all of them match the query), by row id."""
    if not row_ids:
        return {}
    index = _index_name(session)
    plain: dict[int, str] = {}
    if dialect == "sqlite":
        # In bytes (a NUL would end length() of the text early).
        lengths = text(f"SELECT rowid, length(CAST(body AS BLOB)) FROM {index} WHERE rowid IN :ids")
        long_ids = [
            int(row[0])
            for row in session.execute(lengths.bindparams(bindparam("ids", expanding=True)), {"ids": row_ids})
            if int(row[1]) > SNIPPET_LONGEST
        ]
        if long_ids:
            bodies = text(f"SELECT rowid, body FROM {index} WHERE rowid IN :ids")
            for row in session.execute(
                bodies.bindparams(bindparam("ids", expanding=True)), {"ids": long_ids}
            ):
                plain[int(row[0])] = _plain_snippet(str(row[1]), query)
            row_ids = [row_id for row_id in row_ids if row_id not in plain]
            if not row_ids:
                return plain
        # The rows' span of the index is read once, and each row tested against the list ("+" keeps FTS5 from
        # being handed the list, which it would answer by running the whole query again for every id).
        sql = text(
            f"SELECT rowid, snippet({index}, 0, '[', ']', '…', 16) FROM {index} "
            f"WHERE {index} MATCH :query AND rowid BETWEEN :lowest AND :highest AND +rowid IN :ids"
        )
    else:
        sql = text(
            "SELECT id, ts_headline('simple', body, q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8, "
            f"MaxFragments=1, FragmentDelimiter=…') FROM {index}, websearch_to_tsquery('simple', :query) AS q "
            "WHERE id IN :ids"
        )
    rows = session.execute(
        sql.bindparams(bindparam("ids", expanding=True)),
        {"query": query, "ids": row_ids, "lowest": min(row_ids), "highest": max(row_ids)},
    )
    return {**plain, **{int(row[0]): str(row[1]) for row in rows}}


_QUERY_WORD = re.compile(r"\w+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def _plain_snippet(body: str, query: str, around: int = 80) -> str:
    """A snippet of a long row made without FTS5: the earliest word that starts like one of the query's words,
    in [brackets], with the text around it (the start of the row when none does, as can happen when the match
    was made through accents or other forms that this simple reading does not follow)."""
    first: re.Match[str] | None = None
    for word in dict.fromkeys(_QUERY_WORD.findall(query)):
        if word in _OPERATORS:
            continue
        found = re.search(rf"\b{re.escape(word)}\w*", body, re.IGNORECASE)
        if found is not None and (first is None or found.start() < first.start()):
            first = found
    if first is None:
        return body[: 2 * around] + "…"
    start, end = max(0, first.start() - around), first.end() + around
    return (
        ("…" if start else "")
        + body[start : first.start()]
        + f"[{first.group()}]"
        + body[first.end() : end]
        + ("…" if end < len(body) else "")
    )
