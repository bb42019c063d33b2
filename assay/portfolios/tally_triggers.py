"""Triggers that keep the coverage tally (``CoverageTally``, ``CoverageExample``) equal to the
mappings and evidence items it counts (issue 12), for SQLite and PostgreSQL.

Why: coverage needs, per (registration, unit, target, status, context, exception), how many
mappings there are, the latest end and the earliest ``EXAMPLES`` items by (start, id). Asked
of the mappings, that is an aggregate over every mapping of the registration: on SQLite (no
ordered aggregate before 3.44) a windowed query that grew the portfolio pages 2.0–3.5× for 10×
the items, on PostgreSQL a GROUP BY with ordered arrays, about 0.1 s at 30,000 mappings. So the
database keeps the answer: a read is a few rows per target whatever the number of items.

The triggers run in the writing statement, whatever wrote the row (``save``, ``bulk_create``,
a queryset ``update``, raw SQL), one row at a time (SQLite as each row is written, PostgreSQL
``AFTER … FOR EACH ROW``, when the statement is done: each step below reads the tables as they
are then, so it holds either way):

* a mapping inserted: its group's count + 1 and latest end raised (an upsert), its item added
  to the group's examples and the examples cut back to the earliest five;
* a mapping deleted: count − 1, its item dropped from the examples; when fewer than
  min(5, count) remain, the group's examples are read again from the mappings (the earliest
  five along the item index ``evidence_item_page``); the latest end read again when it was this
  item's;
* a mapping's item, unit, target or status changed: taken out of the old group, counted into
  the new one;
* an item's registration, dates, context or exception changed: its mappings leave their old
  groups and enter the new ones the same way.

Groups are never deleted (an emptied one keeps count 0; a read skips it), so no trigger ever
inserts a row for a group that a flush has already removed, whatever the order of the flush
(PostgreSQL's flush truncates, which fires no row trigger). An item is deleted only after its
mappings (``PROTECT``).
"""

from __future__ import annotations

from typing import Any

from assay.engines.coverage import EXAMPLES

TALLY = "portfolios_coveragetally"
EXAMPLE = "portfolios_coverageexample"
MAPPING = "portfolios_criterionmapping"
ITEM = "portfolios_evidenceitem"
KEY = "registration_id, unit_number, target, status, context, simulation_exception"

TRIGGERS = (
    "coverage_mapping_insert",
    "coverage_mapping_delete",
    "coverage_mapping_update",
    "coverage_item_update",
)


def _group(row: str) -> str:
    """The id of the tally row of mapping ``row`` (NEW or OLD), its item read now."""
    return f"""(SELECT t.id FROM {ITEM} i JOIN {TALLY} t
        ON t.registration_id = i.registration_id AND t.context = i.context
        AND t.simulation_exception = i.simulation_exception
        AND t.unit_number = {row}.unit_number AND t.target = {row}.target
        AND t.status = {row}.status
        WHERE i.id = {row}.item_id)"""


def _members(t: str) -> str:
    """FROM and WHERE of the items and mappings of tally row alias ``t``."""
    return f"""FROM {ITEM} i JOIN {MAPPING} m ON m.item_id = i.id
        WHERE i.registration_id = {t}.registration_id AND i.context = {t}.context
        AND i.simulation_exception = {t}.simulation_exception
        AND m.unit_number = {t}.unit_number AND m.target = {t}.target
        AND m.status = {t}.status"""


# An upsert's update: one more, the latest end raised (a group emptied has none).
_COUNTED = f"""n = {TALLY}.n + 1,
    last_end = GREATEST(coalesce({TALLY}.last_end, excluded.last_end), excluded.last_end)"""


def _add(row: str) -> list[str]:
    """Mapping ``row`` counted into its group."""
    group = _group(row)
    return [
        f"""INSERT INTO {TALLY} ({KEY}, n, last_end)
        SELECT i.registration_id, {row}.unit_number, {row}.target, {row}.status, i.context,
            i.simulation_exception, 1, i.ended_on
        FROM {ITEM} i WHERE i.id = {row}.item_id
        ON CONFLICT ({KEY}) DO UPDATE SET {_COUNTED}""",
        f"""INSERT INTO {EXAMPLE} (tally_id, started_on, item_id)
        SELECT {group}, i.started_on, i.id FROM {ITEM} i WHERE i.id = {row}.item_id
        AND NOT EXISTS (SELECT 1 FROM {EXAMPLE} WHERE tally_id = {group} AND item_id = i.id)""",
        _cut(f"tally_id = {group}"),
    ]


def _cut(where: str) -> str:
    """DELETE of all but the earliest EXAMPLES examples of the groups ``where`` picks."""
    return f"""DELETE FROM {EXAMPLE} WHERE {where} AND id NOT IN (
        SELECT e.id FROM {EXAMPLE} e WHERE e.tally_id = {EXAMPLE}.tally_id
        ORDER BY e.started_on, e.item_id LIMIT {EXAMPLES})"""


def _remove(row: str) -> list[str]:
    """Mapping ``row`` taken out of its group (already gone from, or changed in, the table)."""
    group = _group(row)
    short = f"""(SELECT count(*) FROM {EXAMPLE} WHERE tally_id = {group})
        < (SELECT LEAST({EXAMPLES}, n) FROM {TALLY} WHERE id = {group})"""
    return [
        f"UPDATE {TALLY} SET n = n - 1 WHERE id = {group}",
        f"""UPDATE {TALLY} SET last_end = (SELECT max(i.ended_on) {_members(TALLY)})
        WHERE id = {group}
        AND last_end = (SELECT ended_on FROM {ITEM} WHERE id = {row}.item_id)""",
        f"DELETE FROM {EXAMPLE} WHERE tally_id = {group} AND item_id = {row}.item_id",
        f"DELETE FROM {EXAMPLE} WHERE tally_id = {group} AND {short}",
        f"""INSERT INTO {EXAMPLE} (tally_id, started_on, item_id)
        SELECT t.id, i.started_on, i.id
        {_members("t").replace("FROM ", f"FROM {TALLY} t, ", 1)} AND t.id = {group}
        AND NOT EXISTS (SELECT 1 FROM {EXAMPLE} WHERE tally_id = {group})
        ORDER BY i.started_on, i.id LIMIT {EXAMPLES}""",
    ]


def _examples_of(where: str) -> str:
    """INSERT of the earliest examples of every tally row ``t`` that ``where`` picks."""
    members = _members("t").replace("FROM ", f"FROM {TALLY} t, ", 1)
    return f"""INSERT INTO {EXAMPLE} (tally_id, started_on, item_id)
        SELECT tally_id, started_on, item_id FROM (
            SELECT t.id AS tally_id, i.started_on, i.id AS item_id, ROW_NUMBER() OVER (
                PARTITION BY t.id ORDER BY i.started_on, i.id) AS place
            {members} AND {where}
        ) AS ranked WHERE place <= {EXAMPLES}"""


def _item_update() -> list[str]:
    """An item's key columns changed: its mappings leave the OLD groups (as ``_remove``: the
    examples read again only where the item was one) and enter the NEW ones (as ``_add``). The
    same group on both sides (only the dates changed) ends up read again or adjusted, never
    counted twice."""
    mine = f"""EXISTS (SELECT 1 FROM {MAPPING} m WHERE m.item_id = NEW.id
        AND m.unit_number = {{t}}.unit_number AND m.target = {{t}}.target
        AND m.status = {{t}}.status)"""

    def side(t: str, row: str) -> str:
        return f"""{t}.registration_id = {row}.registration_id AND {t}.context = {row}.context
            AND {t}.simulation_exception = {row}.simulation_exception AND {mine.format(t=t)}"""

    def groups(row: str) -> str:
        return f"SELECT t.id FROM {TALLY} t WHERE {side('t', row)}"

    short = f"""(SELECT count(*) FROM {EXAMPLE} WHERE tally_id = t.id) < LEAST({EXAMPLES}, t.n)"""
    return [
        f"UPDATE {TALLY} SET n = n - 1 WHERE {side(TALLY, 'OLD')}",
        f"""UPDATE {TALLY} SET last_end = (SELECT max(i.ended_on) {_members(TALLY)})
        WHERE {side(TALLY, "OLD")} AND last_end = OLD.ended_on""",
        f"DELETE FROM {EXAMPLE} WHERE item_id = NEW.id AND tally_id IN ({groups('OLD')})",
        f"""DELETE FROM {EXAMPLE} WHERE tally_id IN (
            SELECT t.id FROM {TALLY} t WHERE {side("t", "OLD")} AND {short})""",
        _examples_of(
            f"""{side("t", "OLD")} AND t.n > 0
            AND NOT EXISTS (SELECT 1 FROM {EXAMPLE} WHERE tally_id = t.id)"""
        ),
        f"""INSERT INTO {TALLY} ({KEY}, n, last_end)
        SELECT NEW.registration_id, m.unit_number, m.target, m.status, NEW.context,
            NEW.simulation_exception, 1, NEW.ended_on
        FROM {MAPPING} m WHERE m.item_id = NEW.id
        ON CONFLICT ({KEY}) DO UPDATE SET {_COUNTED}""",
        f"""INSERT INTO {EXAMPLE} (tally_id, started_on, item_id)
        SELECT t.id, NEW.started_on, NEW.id FROM {TALLY} t WHERE {side("t", "NEW")}
        AND NOT EXISTS (SELECT 1 FROM {EXAMPLE} WHERE tally_id = t.id AND item_id = NEW.id)""",
        _cut(f"tally_id IN ({groups('NEW')})"),
    ]


def _dialect(sql: str, vendor: str) -> str:
    """SQLite spells the two-argument LEAST and GREATEST min and max."""
    if vendor == "sqlite":
        return sql.replace("LEAST(", "min(").replace("GREATEST(", "max(")
    return sql


def _trigger(vendor: str, name: str, when: str, table: str, body: list[str]) -> list[str]:
    """CREATE TRIGGER ``name`` AFTER ``when`` ON ``table`` FOR EACH ROW running ``body`` (on
    PostgreSQL through a function of the same name). ``when`` may end in a WHEN clause."""
    event, _, condition = when.partition(" WHEN ")
    statements = ";\n".join(_dialect(sql, vendor) for sql in body)
    if vendor == "sqlite":
        guard = f" WHEN {condition}" if condition else ""
        return [
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{guard}"
            f" BEGIN\n{statements};\nEND"
        ]
    guard = f" WHEN ({condition.replace(' IS NOT ', ' IS DISTINCT FROM ')})" if condition else ""
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
        {statements};
        RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{guard}"
        f" EXECUTE FUNCTION {name}()",
    ]


MAPPING_KEY = ("item_id", "unit_number", "target", "status")
ITEM_KEY = ("registration_id", "started_on", "ended_on", "context", "simulation_exception")


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def create_sql(vendor: str) -> list[str]:
    """The four triggers (on PostgreSQL with their functions)."""
    return [
        *_trigger(vendor, "coverage_mapping_insert", "INSERT", MAPPING, _add("NEW")),
        *_trigger(vendor, "coverage_mapping_delete", "DELETE", MAPPING, _remove("OLD")),
        *_trigger(
            vendor,
            "coverage_mapping_update",
            f"UPDATE OF {', '.join(MAPPING_KEY)} WHEN {_changed(MAPPING_KEY)}",
            MAPPING,
            _remove("OLD") + _add("NEW"),
        ),
        *_trigger(
            vendor,
            "coverage_item_update",
            f"UPDATE OF {', '.join(ITEM_KEY)} WHEN {_changed(ITEM_KEY)}",
            ITEM,
            _item_update(),
        ),
    ]


def drop_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]
    tables = (MAPPING, MAPPING, MAPPING, ITEM)
    return [
        *(f"DROP TRIGGER IF EXISTS {n} ON {t}" for n, t in zip(TRIGGERS, tables, strict=True)),
        *(f"DROP FUNCTION IF EXISTS {name}()" for name in TRIGGERS),
    ]


def rebuild(cursor: Any, vendor: str) -> None:
    """Both tables from scratch from the mappings (the migration and checks call it)."""
    del vendor  # the same SQL on both
    cursor.execute(f"DELETE FROM {EXAMPLE}")
    cursor.execute(f"DELETE FROM {TALLY}")
    cursor.execute(
        f"""INSERT INTO {TALLY} ({KEY}, n, last_end)
        SELECT i.registration_id, m.unit_number, m.target, m.status, i.context,
            i.simulation_exception, count(*), max(i.ended_on)
        FROM {MAPPING} m JOIN {ITEM} i ON i.id = m.item_id
        GROUP BY i.registration_id, m.unit_number, m.target, m.status, i.context,
            i.simulation_exception"""
    )
    cursor.execute(_examples_of("1 = 1"))
