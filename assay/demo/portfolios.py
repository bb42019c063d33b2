"""Demo portfolios: the demo centre's candidates at every stage of the evidence journey.

Everything goes through the real services as the demo user who would do it (the candidate
adds, declares and proposes; the unit's assessor confirms, rejects, judges, records the period
and signs off; Linda, the lead IQA, reopens), with the clock pinned to the demo date, so files
are sniffed and stored under their SHA-256, every act lands in the registration's hash chain
and the coverage engine decides readiness. Evidence dates lie inside each registration's
period and before 01/03/2013. Idempotent: each stage is found by its first evidence item and a
second run reports it as "exists" and adds nothing.

The files in ``files/`` are written by ``scripts/make_demo_files.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from assay.demo.centre import CENTRE_NUMBER, DEMO_DATE
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_reopen,
    unit_sign_off,
)
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping, EvidenceItem
from assay.portfolios.services import (
    authenticity_declare,
    evidence_add,
    evidence_file_attach,
    is_candidate,
    mapping_propose,
)
from assay.portfolios.witnesses import witness_confirm, witness_request
from assay.registrations.models import Registration
from assay.users import User

FILES = Path(__file__).resolve().parent / "files"
TEXT = "reflective-account-complaints-review.txt"
PDF = "customer-feedback-form.pdf"
PNG = "complaint-volumes-2012.png"
WAV = "professional-discussion-extract.wav"
DECLARATION = "I confirm that this evidence is my own work and a true record of what I did."
REOPEN_REASON = (
    "IQA sample February 2013: the observation record for 2.4 (on time and within budget) "
    "has no budget figures; Alice to add the cost report and re-check before signing off again."
)

# The first evidence item of each stage: a second run finds the stage by it.
LIAM_FIRST = (
    "Reflective account: my first month working towards the qualification, "
    "and the complaints review I want to use as evidence."
)
PETER_FIRST = "Member feedback form collected after the gym closure complaint."
PRIYA_401_FIRST = (
    "Observation: Priya leading the weekly customer service team meeting and the "
    "monthly service review with the store manager (401 outcomes 1 and 2)."
)
PRIYA_402_FIRST = (
    "Observation: Priya resolving a refund complaint within the store's rules and "
    "consumer law, and briefing the team on the new returns policy (402 outcomes 1 and 2)."
)
PRIYA_410_FIRST = (
    "Reflective account: reviewing how we handle referred complaints about late "
    "home deliveries, October to December 2012."
)
PRIYA_WITNESS_FIRST = (
    "Witness testimony: the regional manager on Priya's proposal to let team leaders "
    "refund delivery charges, and how she agreed it within her authority."
)
PRIYA_405_FIRST = (
    "Observation: staged fire evacuation drill of the store, led by Priya to test "
    "the emergency procedure (simulation staged as unit 405's exception)."
)
PRIYA_411_FIRST = (
    "Observations: Priya planning, introducing and reviewing the new click-and-collect "
    "desk, with its budget, staff briefings and customer survey (411 outcomes 1 to 3)."
)

People = dict[str, User]
D = dt.date


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the journey in one portfolio. ``marker`` is the description of the stage's
    first evidence item, by which a second run finds it; empty for a stage with nothing to add
    (the empty portfolio)."""

    candidate: str
    account: str
    title: str
    marker: str
    build: Callable[[Registration, People], None] | None = None


def _add(
    registration: Registration,
    by: User,
    *,
    method: str,
    on: dt.date,
    until: dt.date | None = None,
    what: str,
    place: str = "",
    context: str = "real_job",
    files: Iterable[str] = (),
    exception: bool = False,
) -> EvidenceItem:
    """An evidence item with its files (streamed from ``files``); the candidate signs the
    authenticity declaration on their own items."""
    item = evidence_add(
        by=by,
        registration=registration,
        method=method,
        started_on=on,
        ended_on=until,
        place=place,
        description=what,
        context=context,
        simulation_exception=exception,
    )
    for name in files:
        path = FILES / name
        with path.open("rb") as upload:
            evidence_file_attach(
                by=by,
                item=item,
                upload=upload,
                original_name=name,
                expected_size=path.stat().st_size,
            )
    if is_candidate(by, registration):
        authenticity_declare(by=by, item=item, text=DECLARATION)
    return item


def _propose(
    by: User, item: EvidenceItem, unit: str, targets: Iterable[str]
) -> list[CriterionMapping]:
    return [mapping_propose(by=by, item=item, unit=unit, target=t) for t in targets]


def _decide(by: User, mappings: Iterable[CriterionMapping], reject_because: str = "") -> None:
    """Confirm the mappings, or reject them with the reason the candidate reads."""
    for mapping in mappings:
        mapping_decide(by=by, mapping=mapping, confirm=not reject_because, reason=reject_because)


def _met(by: User, registration: Registration, unit: str, criteria: Iterable[str]) -> None:
    for criterion in criteria:
        criterion_judge(by=by, registration=registration, unit=unit, criterion=criterion, met=True)


def _whole_unit(
    registration: Registration,
    candidate: User,
    assessor: User,
    unit: str,
    split: dict[str, EvidenceItem],
    sufficient_days: int,
) -> None:
    """Every criterion and range item of ``unit`` proposed (a criterion to the item of its
    outcome number in ``split``, a range item to ``split["range"]``), confirmed, criteria
    judged met, and the evidence period recorded: the coverage engine then finds it ready."""
    targets = unit_targets(unit_spec(registration, unit))
    for target in targets:
        item = split[target.split(".")[0] if "." in target else "range"]
        _decide(assessor, _propose(candidate, item, unit, [target]))
    _met(assessor, registration, unit, [t for t in targets if "." in t])
    span_record(by=assessor, registration=registration, unit=unit, sufficient_days=sufficient_days)


# Priya Shah (cand1), assessor Alice: 4430-04, registered 16/01/2012.


def _priya_unit_401_signed_off(reg: Registration, who: People) -> None:
    priya, alice = who["cand1"], who["alice"]
    observed = _add(
        reg,
        alice,
        method="observation",
        on=D(2012, 3, 14),
        what=PRIYA_401_FIRST,
        place="Harbour Retail, Northgate store",
    )
    discussed = _add(
        reg,
        alice,
        method="professional_discussion",
        on=D(2012, 6, 20),
        what="Professional discussion: the customer service management role, systems, culture "
        "and continuous improvement at Harbour Retail (401 outcome 3).",
        place="Harbour Retail, Northgate store",
    )
    _whole_unit(reg, priya, alice, "401", {"1": observed, "2": observed, "3": discussed}, 60)
    unit_sign_off(by=alice, registration=reg, unit="401")


def _priya_unit_402_ready(reg: Registration, who: People) -> None:
    priya, alice = who["cand1"], who["alice"]
    observed = _add(
        reg,
        alice,
        method="observation",
        on=D(2012, 9, 12),
        what=PRIYA_402_FIRST,
        place="Harbour Retail, Northgate store",
    )
    written = _add(
        reg,
        priya,
        method="questioning_written",
        on=D(2012, 12, 5),
        what="Written answers on the structure of authority, legislation and regulation "
        "affecting customer service at Harbour Retail (402 outcome 3).",
    )
    _whole_unit(reg, priya, alice, "402", {"1": observed, "2": observed, "3": written}, 60)


def _priya_unit_410_in_assessment(reg: Registration, who: People) -> None:
    """Holistic evidence (410 and 403), proposals awaiting Alice, confirmed and rejected
    mappings, and feedback on a criterion not yet met."""
    priya, alice = who["cand1"], who["alice"]
    account = _add(
        reg,
        priya,
        method="reflective_account",
        on=D(2012, 10, 1),
        until=D(2012, 12, 31),
        what=PRIYA_410_FIRST,
        files=[TEXT],
    )
    holistic = _propose(priya, account, "410", ["1.1", "1.2", "3.1", "3.2", "3.6", "4a", "4b"])
    holistic += _propose(priya, account, "403", ["1.2", "1.3", "4b"])
    form = _add(
        reg,
        priya,
        method="product",
        on=D(2012, 11, 14),
        what="Customer feedback form from Mrs Khan after her delivery complaint was resolved.",
        files=[PDF],
    )
    from_form = _propose(priya, form, "410", ["1.3", "2.4", "5a"])
    chart = _add(
        reg,
        priya,
        method="product",
        on=D(2013, 1, 7),
        what="Chart of monthly complaint volumes for 2012, prepared for the regional review.",
        files=[PNG],
    )
    from_chart = _propose(priya, chart, "410", ["3.1", "4b", "6b"])
    discussion = _add(
        reg,
        alice,
        method="professional_discussion",
        on=D(2013, 2, 12),
        what="Professional discussion (audio extract): why minimising complaints matters and "
        "the limits of Priya's authority in the complaints procedure.",
        place="Harbour Retail, Northgate store",
        files=[WAV],
    )
    _propose(priya, discussion, "410", ["4.1", "4.2", "4.5"])  # awaiting Alice
    by_target = {(m.unit_number, m.target): m for m in holistic + from_form}
    _decide(alice, [m for key, m in by_target.items() if key != ("410", "3.6")])
    _decide(
        alice,
        [by_target[("410", "3.6")]],
        reject_because="The account names the option you chose but not how you took it "
        "through the organisation's procedure.",
    )
    _decide(
        alice,
        [m for m in from_chart if m.target == "6b"],
        reject_because="A chart of volumes is not a complaint record: it shows no complaint "
        "received in writing.",
    )
    _met(alice, reg, "410", ["1.1", "1.2", "1.3", "3.1", "3.2"])
    criterion_judge(
        by=alice,
        registration=reg,
        unit="410",
        criterion="3.6",
        met=False,
        feedback="The account says you chose the refund-limit option but not how you took it "
        "through the organisation's procedure. Add your proposal to the regional manager and "
        "the reply approving it.",
    )
    criterion_judge(
        by=alice,
        registration=reg,
        unit="410",
        criterion="2.4",
        met=False,
        feedback="The feedback form shows the customer was satisfied; also show how you "
        "implemented the solution (the voucher record and your follow-up call).",
    )
    _met(alice, reg, "403", ["1.2", "1.3"])


def _priya_witnesses(reg: Registration, who: People) -> None:
    """Two witness statements: one confirmed through its link, one link still pending."""
    priya, alice = who["cand1"], who["alice"]
    manager = _add(
        reg,
        priya,
        method="witness_testimony",
        on=D(2012, 11, 30),
        what=PRIYA_WITNESS_FIRST,
    )
    _, token = witness_request(
        by=priya,
        item=manager,
        name="Sandra Booth",
        role="Regional manager, Harbour Retail Ltd",
        relationship="Priya's line manager",
        contact="sandra.booth@example.org",
        statement="Priya brought me a costed proposal in November 2012 to let team leaders "
        "refund delivery charges up to 25 pounds. I approved it; she briefed her team the "
        "same week and delivery complaints fell sharply in December.",
    )
    witness_confirm(token=token)
    _decide(alice, _propose(priya, manager, "410", ["2.3", "3.4"]))
    leader = _add(
        reg,
        priya,
        method="witness_testimony",
        on=D(2013, 2, 20),
        what="Witness testimony: a team leader on Priya's briefing about keeping customers "
        "informed while a complaint is open.",
    )
    witness_request(
        by=priya,
        item=leader,
        name="Owen Price",
        role="Team leader, Harbour Retail Ltd",
        relationship="Works in Priya's team",
        contact="owen.price@example.org",
        statement="Priya briefed the team leaders in November on calling or emailing every "
        "customer with an open delivery complaint at least every three working days.",
    )  # the link is not used: the statement waits for Owen's confirmation
    _propose(priya, leader, "410", ["1.3"])


def _priya_unit_405_staged_drill(reg: Registration, who: People) -> None:
    """405 accepts simulation only as its stated exception: an emergency drill staged to test
    the procedure."""
    priya, alice = who["cand1"], who["alice"]
    drill = _add(
        reg,
        alice,
        method="observation",
        on=D(2012, 11, 8),
        what=PRIYA_405_FIRST,
        place="Harbour Retail, Northgate store",
        context="simulation",
        exception=True,
    )
    _decide(alice, _propose(priya, drill, "405", ["2.7", "2.3"]))
    _met(alice, reg, "405", ["2.7", "2.3"])


def _unmapped(reg: Registration, who: People, account: str, on: dt.date) -> None:
    _add(
        reg,
        who[account],
        method="reflective_account",
        on=on,
        what=LIAM_FIRST,
        files=[TEXT],
    )


def _peter_uploaded(reg: Registration, who: People) -> None:
    """Files in, nothing mapped yet (Peter has no sign-in, so Anna adds them for him)."""
    anna = who["anna"]
    _add(
        reg,
        anna,
        method="product",
        on=D(2012, 12, 10),
        what=PETER_FIRST,
        files=[PDF],
    )
    _add(
        reg,
        anna,
        method="product",
        on=D(2013, 1, 21),
        what="Chart of complaint volumes used in the member services review.",
        files=[PNG],
    )


def _priya_unit_411_reopened(reg: Registration, who: People) -> None:
    priya, alice, linda = who["cand1"], who["alice"], who["linda"]
    observed = _add(
        reg,
        alice,
        method="observation",
        on=D(2012, 4, 2),
        until=D(2012, 7, 16),
        what=PRIYA_411_FIRST,
        place="Harbour Retail, Northgate store",
    )
    discussed = _add(
        reg,
        alice,
        method="professional_discussion",
        on=D(2012, 7, 30),
        what="Professional discussion: planning change, winning support and dealing with "
        "resistance (411 outcome 4).",
        place="Harbour Retail, Northgate store",
    )
    split = {"1": observed, "2": observed, "3": observed, "4": discussed, "range": observed}
    _whole_unit(reg, priya, alice, "411", split, 90)
    unit_sign_off(by=alice, registration=reg, unit="411")
    unit_reopen(by=linda, registration=reg, unit="411", reason=REOPEN_REASON)


STAGES = [
    Stage("Hannah Cole", "cand2", "empty portfolio", ""),
    Stage("Ravi Kumar", "", "empty portfolio", ""),
    Stage(
        "Liam Walsh",
        "cand3",
        "evidence uploaded, nothing mapped",
        LIAM_FIRST,
        lambda reg, who: _unmapped(reg, who, "cand3", D(2012, 5, 25)),
    ),
    Stage(
        "Peter Quinn",
        "",
        "evidence uploaded, nothing mapped",
        PETER_FIRST,
        _peter_uploaded,
    ),
    Stage(
        "Priya Shah",
        "cand1",
        "unit 401 signed off (locked)",
        PRIYA_401_FIRST,
        _priya_unit_401_signed_off,
    ),
    Stage(
        "Priya Shah",
        "cand1",
        "unit 402 ready for sign-off",
        PRIYA_402_FIRST,
        _priya_unit_402_ready,
    ),
    Stage(
        "Priya Shah",
        "cand1",
        "unit 410 proposals, decisions and feedback; holistic evidence for 410 and 403",
        PRIYA_410_FIRST,
        _priya_unit_410_in_assessment,
    ),
    Stage(
        "Priya Shah",
        "cand1",
        "witness testimony: one confirmed, one link pending",
        PRIYA_WITNESS_FIRST,
        _priya_witnesses,
    ),
    Stage(
        "Priya Shah",
        "cand1",
        "unit 405 staged emergency drill (simulation exception)",
        PRIYA_405_FIRST,
        _priya_unit_405_staged_drill,
    ),
    Stage(
        "Priya Shah",
        "cand1",
        "unit 411 signed off, then reopened by the lead IQA",
        PRIYA_411_FIRST,
        _priya_unit_411_reopened,
    ),
]


def _registration(name: str) -> Registration:
    first, last = name.split(" ", 1)
    return Registration.objects.select_related("candidate", "qualification__spec").get(
        centre__number=CENTRE_NUMBER, candidate__first_name=first, candidate__last_name=last
    )


def demo_portfolios_load() -> Iterator[str]:
    """Build each stage that is not there yet, each in one transaction; say which existed."""
    names = ["cand1", "cand2", "cand3", "alice", "anna", "linda"]
    who = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
        for stage in STAGES:
            registration = _registration(stage.candidate)
            label = f"portfolio {stage.candidate}" + (
                f" ({stage.account})" if stage.account else ""
            )
            if stage.build is None:
                count = EvidenceItem.objects.filter(registration=registration).count()
                state = "empty" if count == 0 else f"{count} evidence items"
                yield f"{label}, {stage.title}: {state}"
                continue
            if EvidenceItem.objects.filter(
                registration=registration, description=stage.marker
            ).exists():
                yield f"{label}, {stage.title}: exists"
                continue
            with transaction.atomic():
                stage.build(registration, who)
            yield f"{label}, {stage.title}: created"
