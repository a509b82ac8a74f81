"""Search in Datasette: a canned query over claimtrack's search index, for any claimtrack database.

Datasette's own ``?_search=`` needs a full-text table whose rowid is the row's id; claimtrack's one index
(``search_index``) holds claims, passages and sources together, its rowid being id x 4 + kind (see
claimtrack.search), which Datasette cannot map. So claimtrack registers, through Datasette's plugin hook, a
query that maps it: ``/DATABASE/claim_search?q=WORDS`` lists the matching claims, best match first, with a
snippet. It is registered for every database that has claimtrack's ``claims`` and ``search_index`` tables,
whatever the file is called, when Datasette runs in the Python environment claimtrack is installed in
(``pip install datasette`` there). The query reads; it writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl

CLAIM_SEARCH = """
SELECT
    claims.key AS claim,
    claims.kind,
    claims.text,
    entities.name AS claimant,
    claims.status,
    snippet(search_index, 0, '[', ']', '…', 16) AS snippet
FROM search_index
JOIN claims ON claims.id = search_index.rowid / 4
JOIN entities ON entities.id = claims.claimant_id
WHERE search_index MATCH :q AND search_index.rowid % 4 = 0
ORDER BY search_index.rank
LIMIT 1000
"""


@hookimpl
def canned_queries(datasette: Any, database: str) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def queries() -> dict[str, Any]:
        tables = set(await datasette.get_database(database).table_names())
        if not {"claims", "entities", "search_index"} <= tables:
            return {}
        return {
            "claim_search": {
                "sql": CLAIM_SEARCH,
                "title": "Search claims",
                "description": 'Claims whose text or quote holds the words (FTS5 syntax: "a phrase", '
                "OR, NOT, prefix*), best match first.",
            }
        }

    return queries
