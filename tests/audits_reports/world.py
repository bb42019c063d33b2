"""A small hand-made audit for the report tests: no database.

Standard T-1 (illustrative): two perspectives; Service has elements S1 (two mandatory
attributes, one desirable) and S2 (one mandatory); Learning has element L1 (one mandatory, one
desirable). Three offices in two states; the sample takes all of them. Perth's main office
scores S1.2 at 2 (Intention) and nobody scored L1.1 at the Zoë Ñandú office, so the audit is
refused for exactly two reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assay.audits.reports.report_data import AuditReport, Site, assemble
from assay.engines.audit.model import THREE_I, Attribute, Node, Standard
from assay.engines.audit.sampling import Office, draw_sample

TODAY = dt.date(2013, 3, 1)

STANDARD = Standard(
    code="T-1",
    version=1,
    title="Test standard — illustrative",
    scale=THREE_I,
    nodes=(
        Node("S", "Service", None, "perspective"),
        Node("S1", "Complaints", "S", "element"),
        Node("S2", "Courtesy", "S", "element"),
        Node("L", "Learning and Growth", None, "perspective"),
        Node("L1", "Training", "L", "element"),
    ),
    attributes=(
        Attribute("S1.1", "Complaints are logged", "S1", True),
        Attribute("S1.2", "Complaints are answered within five days", "S1", True),
        Attribute("S1.3", "Complaint trends reach the board", "S1", False),
        Attribute("S2.1", "Staff greet customers by name", "S2", True),
        Attribute("L1.1", "Every new starter is trained", "L1", True),
        Attribute("L1.2", "Training needs are reviewed yearly", "L1", False),
    ),
)

OFFICES = (
    Office("perth", "Perth main office", "WA", True, complaints=3),
    Office("fremantle", "Zoë Ñandú office", "WA", False, complaints=7),
    Office("sydney", "Sydney main office", "NSW", True),
)
SITES = tuple(Site(o.id, o.name, o.state, o.is_main) for o in OFFICES)

SCORES: dict[str, dict[str, int]] = {
    "perth": {"S1.1": 6, "S1.2": 2, "S1.3": 4, "S2.1": 7, "L1.1": 5, "L1.2": 1},
    "fremantle": {"S1.1": 8, "S1.2": 6, "S1.3": 9, "S2.1": 3},
    "sydney": {"S1.1": 7, "S1.2": 5, "S1.3": 6, "S2.1": 8, "L1.1": 9, "L1.2": 10},
}
PASSING: dict[str, dict[str, int]] = {
    site: {code: max(score, 3) for code, score in by.items()} | {"L1.1": 6}
    for site, by in SCORES.items()
}
SELF = {"S1.1": 9, "S1.2": 8, "S1.3": 5, "S2.1": 8, "L1.1": 7, "L1.2": 6}
NOTICE = "Illustrative attribute set written for the Assay demo — not the licensed ICSS texts."


def report(**changes: Any) -> AuditReport:
    """The refused audit's report; keyword arguments replace ``assemble``'s inputs."""
    args: dict[str, Any] = {
        "standard": STANDARD,
        "organisation": "Acme — Services Pty",
        "scope": "Whole organisation (NSW, WA)",
        "sites": SITES,
        "scores": SCORES,
        "self_assessment": SELF,
        "sample": draw_sample(OFFICES, seed=7, recertification=False, today=TODAY),
        "reference": "A-2013-001",
        "kind": "certification",
        "dates": (("Opened", dt.date(2013, 1, 14)), ("Decided", dt.date(2013, 2, 28))),
        "auditors": ("Zoë Ñandú", "Ann O’Neil"),
        "decision_maker": "Dee Maker",
        "illustrative": True,
        "notice": NOTICE,
        "generated_on": TODAY,
    }
    args.update(changes)
    return assemble(**args)
