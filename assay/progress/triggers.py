"""Database triggers that keep the stored progress rows complete and their counts exact (issue
12, ADR 0014), for SQLite and PostgreSQL.

Why triggers: a list must never miss a registration, and the counts above it must never be off
by the rows a bulk insert, a queryset ``update()`` or a cascade wrote without Django's signals.
The database runs these in the writing statement's own transaction, whatever wrote the row:

* a new registration gets its ``RegistrationProgress`` row (dirty: the first read computes it),
  so a read never has to look for registrations without one;
* a registration's centre, status and dates, and a candidate's name, are copied to the row when
  they change (the lists filter and order on the copies);
* ``ProgressTally`` counts the rows per (centre, status, colour) and ``CaseloadTally`` per
  (assessor, centre, status, colour), an assessor counting a registration once however many of
  its plan units they hold.

SQLite runs row triggers as each row is written. PostgreSQL runs statement triggers over the
statement's transition tables (``old_rows``/``new_rows``): one count update per key per
statement, since a count row updated once per row of a 20,000-row statement keeps 20,000
versions of itself in the transaction for every later update to walk; and a pair (registration,
assessor) is counted from the whole statement's rows, so several units of one assessor written
together count once.

``rebuild_tallies`` recomputes both counts from the rows (the migration and ``assay progress
refresh`` call it); ``tallies_from_rows`` is the same count without writing, for checks.
A column added to ``RegistrationProgress`` without a database default must be added to
``_PLACEHOLDER`` too (the registration trigger writes every column).
"""

from __future__ import annotations

from typing import Any

PROGRESS = "progress_registrationprogress"
TALLY = "progress_progresstally"
CASELOAD = "progress_caseloadtally"
REGISTRATION = "registrations_registration"
CANDIDATE = "registrations_candidate"
PLAN_UNIT = "registrations_planunit"

# The dirty row a new registration gets: no figures yet, the copied columns from the
# registration and its candidate (placeholder() in materialise.py writes the same).
_PLACEHOLDER = {
    "criteria_met": "0",
    "criteria_planned": "0",
    "credits_signed_off": "0",
    "credits_planned": "0",
    "units_signed_off": "0",
    "units_planned": "0",
    "unit_targets": "{json}",
    "activity_targets": "{json}",
    "not_assessable": "{json}",
    "next_target": "NULL",
    "rag": "'amber'",
    "rag_rank": "1",
    "rag_from": "NULL",
    "rag_until": "NULL",
    "dirty": "{true}",
    "computed_at": "NULL",
}


def _placeholder_select(vendor: str, registration: str) -> str:
    """INSERT of a dirty row for each registration ``registration`` (an alias or NEW) names,
    with its candidate joined as ``c``; the caller appends FROM/WHERE."""
    json, true = ("'[]'::jsonb", "TRUE") if vendor == "postgresql" else ("'[]'", "1")
    columns = ", ".join(_PLACEHOLDER)
    values = ", ".join(v.format(json=json, true=true) for v in _PLACEHOLDER.values())
    r = registration
    return f"""
    INSERT INTO {PROGRESS} (registration_id, centre_id, status, registered_on, end_date,
        last_name, first_name, {columns})
    SELECT {r}.id, {r}.centre_id, {r}.status, {r}.registered_on, {r}.end_date,
        c.last_name, c.first_name, {values}"""


COPIED = ("centre_id", "status", "registered_on", "end_date")
COUNTED = ("centre_id", "status", "rag")
NAMES = ("last_name", "first_name")
TALLY_KEY = "centre_id, status, rag"
CASELOAD_KEY = "assessor_id, centre_id, status, rag"


def _upsert(table: str, key: str, select: str) -> str:
    """Add the counts ``select`` gives (key columns, then a signed count) to ``table``."""
    return f"""
    INSERT INTO {table} ({key}, n) {select}
    ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n;"""


# --- SQLite: row triggers, run as each row is written -------------------------------------------


def _sqlite_row_counts(row: str, sign: str) -> str:
    """Count the progress row ``row`` (NEW or OLD) in both tallies with ``sign``. A count
    only goes down where it exists (an UPDATE, never an insert): a flush that empties the
    tables in any order then leaves no stray negative rows behind."""
    r = row
    if sign == "-":
        return f"""
    UPDATE {TALLY} SET n = n - 1
    WHERE centre_id = {r}.centre_id AND status = {r}.status AND rag = {r}.rag;
    UPDATE {CASELOAD} SET n = n - 1
    WHERE centre_id = {r}.centre_id AND status = {r}.status AND rag = {r}.rag
    AND assessor_id IN (SELECT u.assessor_id FROM {PLAN_UNIT} u
                        WHERE u.registration_id = {r}.registration_id);"""
    return _upsert(
        TALLY, TALLY_KEY, f"SELECT {r}.centre_id, {r}.status, {r}.rag, 1 WHERE 1 = 1"
    ) + _upsert(
        CASELOAD,
        CASELOAD_KEY,
        f"SELECT DISTINCT u.assessor_id, {r}.centre_id, {r}.status, {r}.rag, 1 "
        f"FROM {PLAN_UNIT} u WHERE u.registration_id = {r}.registration_id "
        "AND u.assessor_id IS NOT NULL",
    )


def _sqlite_assessor_counts(row: str, sign: str) -> str:
    """Count the registration of plan unit ``row`` for its assessor with ``sign`` (down by
    an UPDATE only, as above)."""
    if sign == "-":
        return f"""
    UPDATE {CASELOAD} SET n = n - 1 WHERE assessor_id = {row}.assessor_id
    AND EXISTS (SELECT 1 FROM {PROGRESS} p WHERE p.registration_id = {row}.registration_id
                AND p.centre_id = {CASELOAD}.centre_id AND p.status = {CASELOAD}.status
                AND p.rag = {CASELOAD}.rag);"""
    return _upsert(
        CASELOAD,
        CASELOAD_KEY,
        f"SELECT {row}.assessor_id, p.centre_id, p.status, p.rag, 1 "
        f"FROM {PROGRESS} p WHERE p.registration_id = {row}.registration_id",
    )


def _sqlite_alone(row: str) -> str:
    """No other plan unit of ``row``'s registration has ``row``'s assessor."""
    return (
        f"{row}.assessor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {PLAN_UNIT} o "
        f"WHERE o.registration_id = {row}.registration_id "
        f"AND o.assessor_id = {row}.assessor_id AND o.id <> {row}.id)"
    )


def _sqlite_changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _sqlite_sql() -> list[str]:
    copy = ", ".join(f"{c} = NEW.{c}" for c in COPIED)
    names = ", ".join(f"{c} = NEW.{c}" for c in NAMES)
    moved = _sqlite_changed(("registration_id", "assessor_id"))
    triggers = [
        (
            "progress_registration_added",
            f"INSERT ON {REGISTRATION}",
            "",
            _placeholder_select("sqlite", "NEW")
            + f" FROM {CANDIDATE} c WHERE c.id = NEW.candidate_id"
            " ON CONFLICT (registration_id) DO NOTHING;",
        ),
        (
            "progress_registration_changed",
            f"UPDATE ON {REGISTRATION}",
            _sqlite_changed(COPIED),
            f"UPDATE {PROGRESS} SET {copy}, dirty = 1 WHERE registration_id = NEW.id;",
        ),
        (
            "progress_candidate_renamed",
            f"UPDATE ON {CANDIDATE}",
            _sqlite_changed(NAMES),
            f"UPDATE {PROGRESS} SET {names} WHERE registration_id IN "
            f"(SELECT id FROM {REGISTRATION} WHERE candidate_id = NEW.id);",
        ),
        ("progress_row_added", f"INSERT ON {PROGRESS}", "", _sqlite_row_counts("NEW", "+")),
        (
            "progress_row_changed",
            f"UPDATE ON {PROGRESS}",
            _sqlite_changed(COUNTED),
            _sqlite_row_counts("OLD", "-") + _sqlite_row_counts("NEW", "+"),
        ),
        ("progress_row_removed", f"DELETE ON {PROGRESS}", "", _sqlite_row_counts("OLD", "-")),
        # An assessor's first unit on a registration counts it, their last one uncounts it; the
        # row is already written when an AFTER trigger runs, so "alone" excludes it by id.
        (
            "progress_plan_unit_added",
            f"INSERT ON {PLAN_UNIT}",
            _sqlite_alone("NEW"),
            _sqlite_assessor_counts("NEW", "+"),
        ),
        (
            "progress_plan_unit_removed",
            f"DELETE ON {PLAN_UNIT}",
            _sqlite_alone("OLD"),
            _sqlite_assessor_counts("OLD", "-"),
        ),
        (
            "progress_plan_unit_moved_out",
            f"UPDATE ON {PLAN_UNIT}",
            f"({moved}) AND {_sqlite_alone('OLD')}",
            _sqlite_assessor_counts("OLD", "-"),
        ),
        (
            "progress_plan_unit_moved_in",
            f"UPDATE ON {PLAN_UNIT}",
            f"({moved}) AND {_sqlite_alone('NEW')}",
            _sqlite_assessor_counts("NEW", "+"),
        ),
    ]
    return [
        f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW "
        f"{f'WHEN {when}' if when else ''} BEGIN {body} END;"
        for name, event, when, body in triggers
    ]


# --- PostgreSQL: statement triggers over the statement's transition tables ----------------------
# One count update per (key) per statement: a count row updated once per row of a 20,000-row
# statement would leave 20,000 versions of itself for every later update to walk.


def _pg_distinct(old: str, new: str, columns: tuple[str, ...]) -> str:
    before = ", ".join(f"{old}.{c}" for c in columns)
    after = ", ".join(f"{new}.{c}" for c in columns)
    return f"({before}) IS DISTINCT FROM ({after})"


def _pg_counts(delta: str) -> str:
    """Add ``delta`` (rows of centre_id, status, rag, registration_id, d) to both tallies."""
    return _upsert(
        TALLY,
        TALLY_KEY,
        f"SELECT centre_id, status, rag, SUM(d) FROM ({delta}) x "
        "GROUP BY centre_id, status, rag HAVING SUM(d) <> 0",
    ) + _upsert(
        CASELOAD,
        CASELOAD_KEY,
        f"SELECT a.assessor_id, x.centre_id, x.status, x.rag, SUM(x.d) FROM ({delta}) x "
        f"JOIN LATERAL (SELECT DISTINCT u.assessor_id FROM {PLAN_UNIT} u "
        "WHERE u.registration_id = x.registration_id AND u.assessor_id IS NOT NULL) a ON TRUE "
        "GROUP BY a.assessor_id, x.centre_id, x.status, x.rag HAVING SUM(x.d) <> 0",
    )


def _pg_pairs(pairs: str) -> str:
    """Add ``pairs`` (rows of registration_id, assessor_id, d) to the caseload counts, with the
    registration's row's centre, status and colour."""
    return _upsert(
        CASELOAD,
        CASELOAD_KEY,
        f"SELECT x.assessor_id, p.centre_id, p.status, p.rag, SUM(x.d) FROM ({pairs}) x "
        f"JOIN {PROGRESS} p ON p.registration_id = x.registration_id "
        "GROUP BY x.assessor_id, p.centre_id, p.status, p.rag HAVING SUM(x.d) <> 0",
    )


def _pg_has_pair(table: str, row: str, extra: str = "") -> str:
    return (
        f"EXISTS (SELECT 1 FROM {table} o WHERE o.registration_id = {row}.registration_id "
        f"AND o.assessor_id = {row}.assessor_id{extra})"
    )


def _pg_sql() -> list[str]:
    copy = ", ".join(f"{c} = n.{c}" for c in COPIED)
    names = ", ".join(f"{c} = n.{c}" for c in NAMES)
    counted = ", ".join(COUNTED)
    not_new = " AND NOT EXISTS (SELECT 1 FROM new_rows x WHERE x.id = o.id)"
    # (name, event, transition tables, body)
    triggers = [
        (
            "progress_registration_added",
            f"INSERT ON {REGISTRATION}",
            "NEW TABLE AS new_rows",
            _placeholder_select("postgresql", "r")
            + f" FROM new_rows r JOIN {CANDIDATE} c ON c.id = r.candidate_id"
            " ON CONFLICT (registration_id) DO NOTHING;",
        ),
        (
            "progress_registration_changed",
            f"UPDATE ON {REGISTRATION}",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            f"UPDATE {PROGRESS} p SET {copy}, dirty = TRUE "
            "FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE p.registration_id = n.id AND {_pg_distinct('o', 'n', COPIED)};",
        ),
        (
            "progress_candidate_renamed",
            f"UPDATE ON {CANDIDATE}",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            f"UPDATE {PROGRESS} p SET {names} "
            f"FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN {REGISTRATION} r "
            "ON r.candidate_id = n.id "
            f"WHERE p.registration_id = r.id AND {_pg_distinct('o', 'n', NAMES)};",
        ),
        (
            "progress_row_added",
            f"INSERT ON {PROGRESS}",
            "NEW TABLE AS new_rows",
            _pg_counts(f"SELECT {counted}, registration_id, 1 AS d FROM new_rows"),
        ),
        (
            "progress_row_changed",
            f"UPDATE ON {PROGRESS}",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            _pg_counts(
                f"SELECT o.centre_id, o.status, o.rag, o.registration_id, -1 AS d "
                "FROM old_rows o JOIN new_rows n USING (registration_id) "
                f"WHERE {_pg_distinct('o', 'n', COUNTED)} "
                f"UNION ALL SELECT n.centre_id, n.status, n.rag, n.registration_id, 1 "
                "FROM old_rows o JOIN new_rows n USING (registration_id) "
                f"WHERE {_pg_distinct('o', 'n', COUNTED)}"
            ),
        ),
        (
            "progress_row_removed",
            f"DELETE ON {PROGRESS}",
            "OLD TABLE AS old_rows",
            _pg_counts(f"SELECT {counted}, registration_id, -1 AS d FROM old_rows"),
        ),
        # An (registration, assessor) pair counts once: added when the statement gave it its
        # first unit, removed when it took its last.
        (
            "progress_plan_unit_added",
            f"INSERT ON {PLAN_UNIT}",
            "NEW TABLE AS new_rows",
            _pg_pairs(
                "SELECT DISTINCT n.registration_id, n.assessor_id, 1 AS d FROM new_rows n "
                f"WHERE n.assessor_id IS NOT NULL AND NOT {_pg_has_pair(PLAN_UNIT, 'n', not_new)}"
            ),
        ),
        (
            "progress_plan_unit_removed",
            f"DELETE ON {PLAN_UNIT}",
            "OLD TABLE AS old_rows",
            _pg_pairs(
                "SELECT DISTINCT d.registration_id, d.assessor_id, -1 AS d FROM old_rows d "
                f"WHERE d.assessor_id IS NOT NULL AND NOT {_pg_has_pair(PLAN_UNIT, 'd')}"
            ),
        ),
        (
            "progress_plan_unit_moved",
            f"UPDATE ON {PLAN_UNIT}",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            _pg_pairs(
                "SELECT * FROM (SELECT DISTINCT d.registration_id, d.assessor_id, -1 AS d "
                f"FROM old_rows d WHERE d.assessor_id IS NOT NULL "
                f"AND NOT {_pg_has_pair(PLAN_UNIT, 'd')}) gone UNION ALL "
                "SELECT * FROM (SELECT DISTINCT n.registration_id, n.assessor_id, 1 AS d "
                "FROM new_rows n WHERE n.assessor_id IS NOT NULL "
                f"AND NOT {_pg_has_pair(PLAN_UNIT, 'n', not_new)} "
                f"AND NOT {_pg_has_pair('old_rows', 'n')}) came"
            ),
        ),
    ]
    statements = []
    for name, event, tables, body in triggers:
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; "
            "END $$ LANGUAGE plpgsql;"
        )
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
        )
    return statements


_NAMES = (
    "progress_registration_added",
    "progress_registration_changed",
    "progress_candidate_renamed",
    "progress_row_added",
    "progress_row_changed",
    "progress_row_removed",
    "progress_plan_unit_added",
    "progress_plan_unit_removed",
)


def create_sql(vendor: str) -> list[str]:
    """Every statement that creates the triggers on ``vendor`` (``sqlite`` or ``postgresql``)."""
    return _pg_sql() if vendor == "postgresql" else _sqlite_sql()


def drop_sql(vendor: str) -> list[str]:
    """The statements that remove them (the migration's reverse)."""
    if vendor == "postgresql":
        return [
            f"DROP FUNCTION IF EXISTS {n}() CASCADE;" for n in (*_NAMES, "progress_plan_unit_moved")
        ]
    names = (*_NAMES, "progress_plan_unit_moved_out", "progress_plan_unit_moved_in")
    return [f"DROP TRIGGER IF EXISTS {n};" for n in names]


TALLY_ROWS = f"""SELECT centre_id, status, rag, COUNT(*) FROM {PROGRESS}
    GROUP BY centre_id, status, rag"""
CASELOAD_ROWS = f"""SELECT a.assessor_id, p.centre_id, p.status, p.rag, COUNT(*)
    FROM (SELECT DISTINCT registration_id, assessor_id FROM {PLAN_UNIT}
          WHERE assessor_id IS NOT NULL) a
    JOIN {PROGRESS} p ON p.registration_id = a.registration_id
    GROUP BY a.assessor_id, p.centre_id, p.status, p.rag"""


def tallies_from_rows(cursor: Any) -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    """Both counts recomputed from the rows (keys without their zero counts)."""
    cursor.execute(TALLY_ROWS)
    tally = {tuple(r[:-1]): r[-1] for r in cursor.fetchall()}
    cursor.execute(CASELOAD_ROWS)
    caseload = {tuple(r[:-1]): r[-1] for r in cursor.fetchall()}
    return tally, caseload


def stored_tallies(cursor: Any) -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    """Both counts as the triggers keep them (keys without their zero counts)."""
    cursor.execute(f"SELECT centre_id, status, rag, n FROM {TALLY} WHERE n <> 0")
    tally = {tuple(r[:-1]): r[-1] for r in cursor.fetchall()}
    cursor.execute(f"SELECT assessor_id, centre_id, status, rag, n FROM {CASELOAD} WHERE n <> 0")
    caseload = {tuple(r[:-1]): r[-1] for r in cursor.fetchall()}
    return tally, caseload


def rebuild_tallies(cursor: Any) -> None:
    """Replace both counts with a count of the rows (in the caller's transaction)."""
    cursor.execute(f"DELETE FROM {TALLY}")
    cursor.execute(f"INSERT INTO {TALLY} (centre_id, status, rag, n) {TALLY_ROWS}")
    cursor.execute(f"DELETE FROM {CASELOAD}")
    cursor.execute(
        f"INSERT INTO {CASELOAD} (assessor_id, centre_id, status, rag, n) {CASELOAD_ROWS}"
    )


def add_missing_rows(cursor: Any, vendor: str) -> None:
    """A dirty row for every registration without one (registrations made before the trigger)."""
    cursor.execute(
        _placeholder_select(vendor, "r")
        + f" FROM {REGISTRATION} r JOIN {CANDIDATE} c ON c.id = r.candidate_id"
        f" WHERE NOT EXISTS (SELECT 1 FROM {PROGRESS} x WHERE x.registration_id = r.id)"
    )
