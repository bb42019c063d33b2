"""The entry rules read the centre's sanctions: a suspension of registrations or a withdrawal
in force on the registration date refuses it with the sanction's reason."""

from __future__ import annotations

from datetime import date

from assay.engines.entry.rules import Check, entry_decision
from assay.engines.sanctions.levels import Level
from assay.engines.sanctions.rules import Sanction
from tests.engines.test_entry import ADULT, APPROVED, CG


def decide(sanctions: list[Sanction], on: date = date(2013, 3, 1)) -> list[tuple[str, str]]:
    decision = entry_decision(
        candidate=ADULT, qualification=CG, approval=APPROVED, registered_on=on, sanctions=sanctions
    )
    return [(r.code, r.message) for r in decision.reasons]


def test_suspension_refuses_with_its_reason_and_code() -> None:
    s = Sanction(Level.REGISTRATIONS_SUSPENDED, date(2013, 2, 1), "Records missing")
    assert decide([s]) == [
        (
            Check.CENTRE_SANCTIONED,
            "Registrations and claims suspended at this centre since 01/02/2013 by the "
            "external verifier: Records missing.",
        )
    ]
    assert decide([s], on=date(2013, 1, 31)) == []


def test_milder_levels_and_other_qualifications_do_not_refuse() -> None:
    day = date(2013, 2, 1)
    assert decide([Sanction(Level.ACTION_PLAN, day, "Plan")]) == []
    assert decide([Sanction(Level.CLAIMS_SUSPENDED, day, "Claims")]) == []
    other = Sanction(Level.APPROVAL_WITHDRAWN, day, "Gone", qualification="EDEXCEL-L3-NVQ-CS")
    assert decide([other]) == []
    assert decide([Sanction(Level.APPROVAL_WITHDRAWN, day, "Gone", qualification="4430-04")])
