"""The separation of duties, held by the database as well as the service (issue 13).

``unit_verify`` refuses, through the engine's rule (``engines.verification.duties``), anyone
who judged, confirmed, rejected or signed off in the unit, or who is the candidate's assessor
for it. A trigger on the decision chain refuses the same ``unit_verified`` row whatever wrote
it (a script, a shell, a future code path that forgot the check): the service's refusal gives
the reasons, the trigger is the floor under it.

What the trigger can see is the chain and the learning plan, so it holds the two facts that
live there: an earlier assessment act by the same actor in the same registration and unit, and
the plan naming the actor as the unit's assessor. (The IV's V-unit deadline stops new samples,
not a verification, and stays in the service.)
"""

from __future__ import annotations

from assay.portfolios.records import SEPARATION

NAME = "verification_separation_of_duties"
MESSAGE = (
    f"{SEPARATION}: the verifier judged, confirmed or signed off in this unit, "
    "or is named its assessor on the learning plan"
)
ACTS = ("criterion_judged", "mapping_confirmed", "mapping_rejected", "unit_signed_off")
_ACTS_SQL = ", ".join(f"'{kind}'" for kind in ACTS)
_CONDITION = f"""NEW.kind = 'unit_verified' AND (
    EXISTS (SELECT 1 FROM portfolios_decision d
            WHERE d.registration_id = NEW.registration_id
              AND d.unit_number = NEW.unit_number
              AND d.actor_id = NEW.actor_id
              AND d.kind IN ({_ACTS_SQL}))
    OR EXISTS (SELECT 1 FROM registrations_planunit p
               WHERE p.registration_id = NEW.registration_id
                 AND p.unit_number = NEW.unit_number
                 AND p.assessor_id = NEW.actor_id))"""


def create_sql(vendor: str) -> list[str]:
    """The statements that create the trigger on ``vendor`` (``sqlite`` or ``postgresql``)."""
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {_CONDITION} THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;""",
            f"""CREATE TRIGGER {NAME} BEFORE INSERT ON portfolios_decision
FOR EACH ROW EXECUTE FUNCTION {NAME}();""",
        ]
    return [
        f"""CREATE TRIGGER {NAME} BEFORE INSERT ON portfolios_decision
WHEN {_CONDITION}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    ]


def drop_sql(vendor: str) -> list[str]:
    """The statements that remove it (the migration's reverse)."""
    if vendor == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {NAME}() CASCADE;"]
    return [f"DROP TRIGGER IF EXISTS {NAME};"]
