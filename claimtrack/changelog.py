"""The change log as a researcher reads it: ``claimtrack log`` lists changes newest first, naming records.

Kept apart from :mod:`claimtrack.history` (which records changes and needs only the models) because finding a
claim's changes resolves claim keys, which needs the domain (:mod:`claimtrack.claims`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .history import ROW_ACTIONS
from .models import Change
from .records import ChangeRow, FieldChange


def list_changes(
    session: Session,
    *,
    limit: int = 50,
    actor: str | None = None,
    table: str | None = None,
    claim_key: str | None = None,
) -> list[ChangeRow]:
    """The change log, newest first: who changed what, when, why, from what to what.

    Each item is one entry: a single change, or a correction made of several (``parts``), shown whole.
    Records are named by their keys and names, and references in the fields (``claimant_id``) by what they
    point to (``claimant``)."""
    from sqlalchemy import or_, select

    from .errors import InvalidInput
    from .models import Appearance, Claim, ClaimRelation, ClaimSubject, ClaimTag, StatusChange

    if limit < 1:
        raise InvalidInput("--limit must be at least 1")
    query = select(Change).order_by(Change.id.desc())
    if actor:
        query = query.where(or_(Change.actor == actor, Change.display_name == actor))
    if table:
        query = query.where(Change.table_name == table)
    if claim_key:
        from .claims import find_claim

        claim = find_claim(session, claim_key)
        # A claim's history spans its own row and the rows that hang off it.
        related = [
            (Claim.__tablename__, select(Claim.id).where(Claim.id == claim.id)),
            (Appearance.__tablename__, select(Appearance.id).where(Appearance.claim_id == claim.id)),
            (StatusChange.__tablename__, select(StatusChange.id).where(StatusChange.claim_id == claim.id)),
            (
                ClaimRelation.__tablename__,
                select(ClaimRelation.id).where(
                    or_(ClaimRelation.claim_id == claim.id, ClaimRelation.other_id == claim.id)
                ),
            ),
        ]
        query = query.where(
            or_(
                *(
                    (Change.table_name == name) & Change.record_id.in_([str(i) for i in session.scalars(ids)])
                    for name, ids in related
                ),
                # Tags and subjects are known by (claim, tag) and (claim, entity): "12/3".
                *(
                    (Change.table_name == model.__tablename__)
                    & Change.record_id.startswith(f"{claim.id}/", autoescape=True)
                    for model in (ClaimTag, ClaimSubject)
                ),
            )
        )
    # Walk back until ``limit`` entries are found; then read every row of the corrections among them.
    picked: list[Change] = []
    entries: list[str] = []
    below: int | None = None
    while len(picked) < limit:
        page = list(session.scalars((query if below is None else query.where(Change.id < below)).limit(500)))
        for change in page:
            if change.entry is None:
                picked.append(change)
            elif change.entry not in entries:
                entries.append(change.entry)
                picked.append(change)
            if len(picked) == limit:
                break
        if len(page) < 500:
            break
        below = page[-1].id
    members: dict[str, list[Change]] = {name: [] for name in entries}
    for start in range(0, len(entries), 500):
        chunk = entries[start : start + 500]
        for change in session.scalars(select(Change).where(Change.entry.in_(chunk)).order_by(Change.id)):
            members[change.entry or ""].append(change)
    names = RecordNames(session)
    items: list[ChangeRow] = []
    for change in picked:
        if change.entry is None:
            items.append(names.change(change))
            continue
        rows = members[change.entry]
        head = next((row for row in rows if row.action not in ROW_ACTIONS), None)
        parts = _coalesced([names.change(row) for row in rows if row is not head])
        if head is None:  # an entry whose own row is missing (cannot happen through claimtrack): its parts
            items.extend(reversed(parts))
            continue
        items.append(
            {
                "id": head.id,
                "at": head.at.isoformat(timespec="seconds"),
                "actor": head.actor,
                "display_name": head.display_name,
                "action": head.action,
                "record": head.label,
                "reason": head.reason,
                "before": None,
                "after": None,
                "fields": [],
                "parts": parts,
            }
        )
    return items[:limit]


def _coalesced(parts: list[ChangeRow]) -> list[ChangeRow]:
    """An entry's parts with the updates of one record (flushed in steps) made one: first before, last after."""
    shown: list[ChangeRow] = []
    updates: dict[str | None, ChangeRow] = {}
    for part in parts:
        same = updates.get(part["record"]) if part["action"] == "update" else None
        if same is None:
            shown.append(part)
            if part["action"] == "update":
                updates[part["record"]] = part
            continue
        before = {**(part["before"] or {}), **(same["before"] or {})}
        after = {**(same["after"] or {}), **(part["after"] or {})}
        fields = {f["field"]: f.copy() for f in same["fields"]}
        for field in part["fields"]:
            if field["field"] in fields:
                fields[field["field"]]["after"] = field["after"]
            else:
                fields[field["field"]] = field.copy()
        same.update({"before": before, "after": after, "fields": list(fields.values())})
    return shown


# What a reference points to, and the column that names it.
_NAMED_BY = {"entities": "name", "sources": "key", "claims": "key", "measures": "name", "tags": "name"}
# Bookkeeping a researcher does not need to read in the log (the --json output keeps it all).
_UNSHOWN = {"id", "created_at", "updated_at", "normalized", "anchor_sha256", "anchor_prefix", "anchor_suffix"}


class RecordNames:
    """Names records and the references in their fields the way a researcher names them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[str, int], str] = {}

    def name(self, table: str, record_id: Any) -> str:
        if record_id is None:
            return "none"
        key = (table, int(record_id))
        if key not in self.cache:
            from sqlalchemy import select

            from .models import Base

            target = Base.metadata.tables[table]
            found: Any = self.session.execute(
                select(target.c[_NAMED_BY[table]]).where(target.c.id == key[1])
            ).scalar()
            if found is None:
                # Gone (an entity merged away): its name as the history last recorded it.
                column = _NAMED_BY[table]
                recorded = self.session.execute(
                    select(Change.before, Change.after)
                    .where(Change.table_name == table, Change.record_id == str(key[1]))
                    .order_by(Change.id.desc())
                )
                for row in recorded:
                    before: dict[str, Any] = row[0] or {}
                    after: dict[str, Any] = row[1] or {}
                    found = before.get(column) or after.get(column)
                    if found is not None:
                        break
            self.cache[key] = str(found) if found is not None else f"{table} row {record_id} (gone)"
        return self.cache[key]

    def _values(self, change: Change) -> dict[str, Any]:
        """The record's fields: as now, overlaid with the change's own (a deleted row has only those)."""
        from sqlalchemy import select

        from .models import Base

        values: dict[str, Any] = {}
        table = Base.metadata.tables.get(change.table_name)
        if table is not None:
            columns = list(table.primary_key.columns)
            parts = change.record_id.split("/")
            if len(parts) == len(columns) and all(part.isdigit() for part in parts):
                condition = [column == int(part) for column, part in zip(columns, parts, strict=True)]
                row = self.session.execute(select(table).where(*condition)).mappings().first()
                if row is not None:
                    values.update(row)
        values.update(change.before or {})
        values.update(change.after or {})
        return values

    def record(self, change: Change) -> str:
        """ "claim k3m9x2p", "tie Amber Voice part-of Amber Front", "tag detentions on claim k3m9x2p"."""
        v = self._values(change)
        entity, source, claim = (
            lambda column: self.name("entities", v.get(column)),
            lambda column: self.name("sources", v.get(column)),
            lambda column: self.name("claims", v.get(column)),
        )
        table = change.table_name
        try:
            match table:
                case "claims":
                    return f"claim {v['key']}"
                case "sources":
                    return f"source {v['key']}"
                case "entities":
                    return f"entity {v['name']}"
                case "measures":
                    return f"measure {v['name']}"
                case "tags":
                    return f"tag {v['name']}"
                case "settings":
                    return f"setting {v['key']}"
                case "entity_aliases":
                    return f"alias {v['alias']!r} of {entity('entity_id')}"
                case "affiliations":
                    return f"tie {entity('entity_id')} {v['kind']} {entity('other_id')}"
                case "appearances":
                    return f"appearance of claim {claim('claim_id')} in {source('source_id')}"
                case "claim_relations":
                    return f"relation {claim('claim_id')} {v['kind']} {claim('other_id')}"
                case "status_changes":
                    return f"status of claim {claim('claim_id')}"
                case "claim_tags":
                    return f"tag {self.name('tags', v['tag_id'])} on claim {claim('claim_id')}"
                case "claim_subjects":
                    return f"claim {claim('claim_id')} about {entity('entity_id')}"
                case "source_authors":
                    return f"author {entity('entity_id')} of {source('source_id')}"
                case "source_links":
                    return f"link {source('source_id')} {v['kind']} {source('other_id')}"
                case "source_files":
                    return f"original file of {source('source_id')}"
                case "extraction_decisions":
                    return f"extraction decision in {source('source_id')}"
        except (KeyError, ValueError):
            pass
        return change.label or f"{table} {change.record_id}"

    def fields(self, change: Change) -> list[FieldChange]:
        """What changed, field by field, references named: [{"field": "claimant", "before": .., "after": ..}]."""
        from .models import Base

        table = Base.metadata.tables.get(change.table_name)
        before, after = change.before or {}, change.after or {}
        shown: list[FieldChange] = []
        for column in dict.fromkeys([*before, *after]):
            if column in _UNSHOWN:
                continue
            field, old, new = column, before.get(column), after.get(column)
            targets = []
            if table is not None and column in table.c:
                targets = [fk.column.table.name for fk in table.c[column].foreign_keys]
            if targets and targets[0] in _NAMED_BY:
                field = column.removesuffix("_id")
                old = self.name(targets[0], old) if old is not None else None
                new = self.name(targets[0], new) if new is not None else None
            shown.append({"field": field, "before": old, "after": new})
        return shown

    def change(self, change: Change) -> ChangeRow:
        return {
            "id": change.id,
            "at": change.at.isoformat(timespec="seconds"),
            "actor": change.actor,
            "display_name": change.display_name,
            "action": change.action,
            "record": self.record(change),
            "reason": change.reason,
            "before": change.before,
            "after": change.after,
            "fields": self.fields(change),
            "parts": [],
        }
