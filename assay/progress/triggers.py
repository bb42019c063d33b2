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

PostgreSQL fires the plan-unit triggers ``BEFORE`` each row, because only then does a trigger's
query see the rows the same statement already wrote (an ``AFTER`` row trigger runs when the whole
statement is done, so two units of one assessor inserted together would each see the other).
SQLite runs every row trigger as the row is written.

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


def _placeholder_insert(vendor: str) -> str:
    json, true = ("'[]'::jsonb", "TRUE") if vendor == "postgresql" else ("'[]'", "1")
    columns = ", ".join(_PLACEHOLDER)
    values = ", ".join(v.format(json=json, true=true) for v in _PLACEHOLDER.values())
    return f"""
    INSERT INTO {PROGRESS} (registration_id, centre_id, status, registered_on, end_date,
        last_name, first_name, {columns})
    SELECT NEW.id, NEW.centre_id, NEW.status, NEW.registered_on, NEW.end_date,
        c.last_name, c.first_name, {values}
    FROM {CANDIDATE} c WHERE c.id = NEW.candidate_id
    ON CONFLICT (registration_id) DO NOTHING;"""


def _add(table: str, key: str, source: str, sign: str, where: str) -> str:
    """Add ``sign`` 1 to the counts of ``table`` for the (key...) rows ``source`` selects."""
    return f"""
    INSERT INTO {table} ({key}, n) SELECT DISTINCT {source}, {sign}1 {where}
    ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n;"""


def _progress_counts(row: str, sign: str) -> str:
    """Count the progress row ``row`` (NEW or OLD) in both tallies with ``sign``."""
    return _add(
        TALLY,
        "centre_id, status, rag",
        f"{row}.centre_id, {row}.status, {row}.rag",
        sign,
        "WHERE 1 = 1",
    ) + _add(
        CASELOAD,
        "assessor_id, centre_id, status, rag",
        f"u.assessor_id, {row}.centre_id, {row}.status, {row}.rag",
        sign,
        f"FROM {PLAN_UNIT} u WHERE u.registration_id = {row}.registration_id "
        "AND u.assessor_id IS NOT NULL",
    )


def _assessor_counts(row: str, sign: str) -> str:
    """Count the registration of plan unit ``row`` for its assessor with ``sign``."""
    return _add(
        CASELOAD,
        "assessor_id, centre_id, status, rag",
        f"{row}.assessor_id, p.centre_id, p.status, p.rag",
        sign,
        f"FROM {PROGRESS} p WHERE p.registration_id = {row}.registration_id",
    )


def _alone(row: str) -> str:
    """No other plan unit of ``row``'s registration has ``row``'s assessor."""
    return (
        f"{row}.assessor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {PLAN_UNIT} o "
        f"WHERE o.registration_id = {row}.registration_id "
        f"AND o.assessor_id = {row}.assessor_id AND o.id <> {row}.id)"
    )


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


COPIED = ("centre_id", "status", "registered_on", "end_date")
COUNTED = ("centre_id", "status", "rag")
NAMES = ("last_name", "first_name")


def _bodies(vendor: str) -> list[tuple[str, str, str, str, str]]:
    """(name, timing, event, table, condition, body) of each trigger, minus the timing for
    plan units, which depends on the vendor."""
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    true = "TRUE" if vendor == "postgresql" else "1"
    copy = ", ".join(f"{c} = NEW.{c}" for c in COPIED)
    names = ", ".join(f"{c} = NEW.{c}" for c in NAMES)
    return [
        ("progress_registration_added", "INSERT", REGISTRATION, "", _placeholder_insert(vendor)),
        (
            "progress_registration_changed",
            "UPDATE",
            REGISTRATION,
            _changed(COPIED, distinct),
            f"UPDATE {PROGRESS} SET {copy}, dirty = {true} WHERE registration_id = NEW.id;",
        ),
        (
            "progress_candidate_renamed",
            "UPDATE",
            CANDIDATE,
            _changed(NAMES, distinct),
            f"UPDATE {PROGRESS} SET {names} WHERE registration_id IN "
            f"(SELECT id FROM {REGISTRATION} WHERE candidate_id = NEW.id);",
        ),
        ("progress_row_added", "INSERT", PROGRESS, "", _progress_counts("NEW", "+")),
        (
            "progress_row_changed",
            "UPDATE",
            PROGRESS,
            _changed(COUNTED, distinct),
            _progress_counts("OLD", "-") + _progress_counts("NEW", "+"),
        ),
        ("progress_row_removed", "DELETE", PROGRESS, "", _progress_counts("OLD", "-")),
    ]


def _plan_unit_sql(vendor: str) -> list[str]:
    """The plan-unit triggers: an assessor's first unit on a registration counts it, their last
    one leaving uncounts it."""
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    moved = _changed(("registration_id", "assessor_id"), distinct)
    if vendor == "postgresql":
        return [
            f"""CREATE FUNCTION progress_plan_unit() RETURNS trigger AS $$
            BEGIN
              IF TG_OP IN ('DELETE', 'UPDATE') AND {_alone("OLD")} THEN
                {_assessor_counts("OLD", "-")}
              END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') AND {_alone("NEW")} THEN
                {_assessor_counts("NEW", "+")}
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;""",
            f"""CREATE TRIGGER progress_plan_unit_written BEFORE INSERT OR DELETE ON {PLAN_UNIT}
            FOR EACH ROW EXECUTE FUNCTION progress_plan_unit();""",
            f"""CREATE TRIGGER progress_plan_unit_moved BEFORE UPDATE ON {PLAN_UNIT}
            FOR EACH ROW WHEN ({moved}) EXECUTE FUNCTION progress_plan_unit();""",
        ]
    # SQLite: the row is already written when an AFTER trigger runs; "alone" excludes it by id.
    return [
        f"""CREATE TRIGGER progress_plan_unit_added AFTER INSERT ON {PLAN_UNIT}
        FOR EACH ROW WHEN {_alone("NEW")} BEGIN {_assessor_counts("NEW", "+")} END;""",
        f"""CREATE TRIGGER progress_plan_unit_removed AFTER DELETE ON {PLAN_UNIT}
        FOR EACH ROW WHEN {_alone("OLD")} BEGIN {_assessor_counts("OLD", "-")} END;""",
        f"""CREATE TRIGGER progress_plan_unit_moved_out AFTER UPDATE ON {PLAN_UNIT}
        FOR EACH ROW WHEN ({moved}) AND {_alone("OLD")} BEGIN {_assessor_counts("OLD", "-")} END;
        """,
        f"""CREATE TRIGGER progress_plan_unit_moved_in AFTER UPDATE ON {PLAN_UNIT}
        FOR EACH ROW WHEN ({moved}) AND {_alone("NEW")} BEGIN {_assessor_counts("NEW", "+")} END;
        """,
    ]


def create_sql(vendor: str) -> list[str]:
    """Every statement that creates the triggers on ``vendor`` (``sqlite`` or ``postgresql``)."""
    statements = []
    for name, event, table, condition, body in _bodies(vendor):
        when = f"WHEN ({condition})" if condition else ""
        if vendor == "postgresql":
            statements.append(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; "
                "END $$ LANGUAGE plpgsql;"
            )
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                f"EXECUTE FUNCTION {name}();"
            )
        else:
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
                f"BEGIN {body} END;"
            )
    return statements + _plan_unit_sql(vendor)


def drop_sql(vendor: str) -> list[str]:
    """The statements that remove them (the migration's reverse)."""
    names = [name for name, *_ in _bodies(vendor)]
    if vendor == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {n}() CASCADE;" for n in names] + [
            "DROP FUNCTION IF EXISTS progress_plan_unit() CASCADE;"
        ]
    units = ("added", "removed", "moved_out", "moved_in")
    return [f"DROP TRIGGER IF EXISTS {n};" for n in names] + [
        f"DROP TRIGGER IF EXISTS progress_plan_unit_{u};" for u in units
    ]


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
    body = _placeholder_insert(vendor).replace("NEW.", "r.")
    body = body.replace(
        f"FROM {CANDIDATE} c WHERE c.id = r.candidate_id",
        f"FROM {REGISTRATION} r JOIN {CANDIDATE} c ON c.id = r.candidate_id "
        f"WHERE NOT EXISTS (SELECT 1 FROM {PROGRESS} x WHERE x.registration_id = r.id)",
    )
    cursor.execute(body)
