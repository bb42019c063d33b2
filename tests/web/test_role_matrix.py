"""Every centre and registration page and form × every role: the exact status each one gets.

Rows are the roles of ``tests/world.py``; a forbidden object answers 404 exactly like a
missing one, an action the role may not take on a visible object answers 403, and a sign-in is
needed for everything (302 to the sign-in page). Each request runs in a savepoint that is rolled
back, so every role meets the same world.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.accounts.invitations import InviteInput, invitation_send
from assay.centres.models import Competence, Membership
from tests.appeals.routes import APPEAL_ROUTES
from tests.claims.routes import CLAIM_ROUTES
from tests.reviews.routes import REVIEW_ROUTES
from tests.web.role_matrix import SEES_DAN, Endpoint, expect, statuses
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(module_world: World, db: None) -> World:
    """The shared world, built once for this module: every request here runs in a rolled-back
    savepoint and every test in its own transaction, so each test sees it as built."""
    return module_world


# Who may open Northgate's centre pages: every staff role there, nobody else.
CENTRE_STAFF = {
    "assessor-assigned",
    "assessor-not-assigned",
    "iv-assigned",
    "iv-not-assigned",
    "lead-iqa",
    "centre-admin",
    "tutor",
    "ev-assigned",
}


def north(path: str = "") -> Callable[[World], str]:
    return lambda w: f"/centres/{w.north.pk}/{path}"


def png_of(w: World) -> int:
    """A PNG attached to Dan's item (proposed for 401), attached once per world."""
    from assay.portfolios.services import evidence_file_attach

    found = w.item.files.first()
    if found is None:
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(208)
        found = evidence_file_attach(
            by=w.user("dan"),
            item=w.item,
            upload=SimpleUploadedFile("p.png", png),
            original_name="p.png",
        )
    return found.pk


def dan(path: str = "") -> Callable[[World], str]:
    return lambda w: f"/registrations/{w.dan.pk}/{path}"


NEW_CANDIDATE = {
    "first_name": "Nia",
    "last_name": "Jones",
    "date_of_birth": "1985-02-02",
    "job_kind": "paid",
    "qualification": "4430-04",
    "registered_on": "2013-03-01",
}


BULK_CSV = (
    b"first_name,last_name,date_of_birth,job_kind,qualification\n"
    b"Nia,Jones,1985-02-02,paid,4430-04\n"
)


def alice(path: str) -> Callable[[World], str]:
    """Alice's part of Northgate's people page (an assessor with an A1 record and CPD)."""
    return lambda w: f"/centres/{w.north.pk}/people/{w.user('alice').pk}/{path}"


def alices_a1(w: World) -> int:
    return int(Competence.objects.get(user=w.user("alice"), av_unit="A1").pk)


def sign_as(capacity: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"document": "induction", "capacity": capacity}


def an_invitation(path: str) -> Callable[[World], str]:
    """A pending invitation made inside the request's savepoint (rolled back after)."""

    def url(w: World) -> str:
        sent = invitation_send(
            by=w.user("carol"),
            centre=w.north,
            data=InviteInput(email="zoe@example.org", role="assessor"),
        )
        return f"/centres/{w.north.pk}/accounts/invitations/{sent.invitation.pk}/{path}"

    return url


def arthur(path: str) -> Callable[[World], str]:
    return lambda w: f"/centres/{w.north.pk}/accounts/{w.user('arthur').pk}/{path}"


def arthurs_role(w: World) -> str:
    row = Membership.objects.get(user=w.user("arthur"), centre=w.north)
    return f"/centres/{w.north.pk}/accounts/roles/{row.pk}/revoke"


def a_pick(path: str = "") -> Callable[[World], str]:
    """Dan's unit 401 (Alice confirmed his evidence) sampled by Linda inside the request's
    savepoint and allocated to Ian."""

    def url(w: World) -> str:
        import datetime as dt

        from assay.portfolios.assessment import mapping_decide
        from assay.verification.services import sample_draw

        mapping_decide(by=w.user("alice"), mapping=w.mapping, confirm=True)
        row = sample_draw(
            by=w.user("linda"),
            centre=w.north,
            qualification="4430-04",
            period_start=dt.date(2012, 3, 2),
            period_end=dt.date(2013, 3, 1),
            seed=1,
        )
        pick = row.picks.get(unit_number="401")
        row.picks.filter(pk=pick.pk).update(verifier=w.user("ian"))
        return f"/iqa/picks/{pick.pk}/{path}"

    return url


IQA_STAFF = {"iv-assigned", "iv-not-assigned", "lead-iqa"}
SEES_PICK = {"iv-assigned", "lead-iqa", "centre-admin"}
LEAD = {"lead-iqa", "centre-admin"}
DRAW = {
    "qualification": "4430-04",
    "period_start": "2012-03-02",
    "period_end": "2013-03-01",
    "seed": "7",
    "confirmed": "on",
}


# Standardisation: the centre's lead IQA, administrator, IVs and assessors see the page.
STANDARDISED = {
    "assessor-assigned",
    "assessor-not-assigned",
    "iv-assigned",
    "iv-not-assigned",
    "lead-iqa",
    "centre-admin",
}
ACTIVITY = {
    "held_on": "2013-02-20",
    "kind": "meeting",
    "summary": "Compared witness statements for 401",
    "attendees": ["alice", "ian"],
}


def an_action(w: World) -> str:
    """An action owned by Alice from a meeting she and Ian attended (in the savepoint)."""
    import datetime as dt

    from assay.verification.standardisation import ActionInput, ActivityInput, activity_record

    row = activity_record(
        by=w.user("linda"),
        centre=w.north,
        data=ActivityInput(
            held_on=dt.date(2013, 2, 20),
            kind="meeting",
            summary="Compared witness statements",
            attendees=["alice", "ian"],
            actions=[ActionInput("Re-read the guidance", "alice", dt.date(2013, 3, 20))],
        ),
    )
    return f"/centres/{w.north.pk}/iqa/standardisation/actions/{row.actions.get().pk}/done"


ADMIN_ONLY = {"centre-admin"}
REASON = {"reason": "Left the centre"}

# Northgate's external verification records: its administrator, lead IQA and allocated EV.
EQA_READERS = {"centre-admin", "lead-iqa", "ev-assigned"}
EV_ONLY = {"ev-assigned"}
SANCTION = {
    "level": "registrations_suspended",
    "qualification_code": "",
    "applied_on": "2013-02-01",
    "reason": "Records missing",
}


def an_action_point(w: World) -> str:
    """An action point of a visit recorded inside the request's savepoint (rolled back)."""
    from tests.eqa.helpers import visit

    (point,) = visit(w).action_points.all()
    return f"/centres/{w.north.pk}/eqa/action-points/{point.pk}/done"


def a_planned_visit(w: World) -> str:
    from tests.eqa.helpers import planned

    return f"/centres/{w.north.pk}/eqa/visits/{planned(w).pk}/findings"


def findings_data(w: World) -> dict[str, Any]:
    """The findings form of the newest visit (made by ``a_planned_visit`` in the savepoint)."""
    from assay.eqa.models import Visit

    newest = Visit.objects.order_by("-pk").first()
    p = f"findings-{newest.pk if newest else 0}-"
    return {p + "findings": "Sound", p + "risk": "low", p + "risk_reasons": "Consistent"}


def a_sanction(w: World) -> str:
    from tests.eqa.helpers import apply

    return f"/centres/{w.north.pk}/eqa/sanctions/{apply(w).pk}/lift"


def lift_data(confirm: bool) -> Callable[[World], dict[str, Any]]:
    """The lift form of the newest sanction (made by ``a_sanction`` in the same savepoint)."""

    def data(w: World) -> dict[str, Any]:
        from assay.eqa.models import Sanction

        newest = Sanction.objects.order_by("-pk").first()
        p = f"lift-{newest.pk if newest else 0}-"
        extra = {p + "confirm": "on"} if confirm else {}
        return {p + "lifted_on": "2013-02-20", p + "reason": "Records found", **extra}

    return data


def dans_credential(w: World) -> str:
    """A credential held by Dan's account, issued inside the request's savepoint."""
    from assay.credentials.services import CertificateInput, credentials_issue_for
    from tests.credentials.factory import facts

    rows = credentials_issue_for(certificate=CertificateInput(w.dan.pk, facts(), w.user("dan").pk))
    return f"/me/credentials/{rows[0].pk}.json"


SIGNED_IN = {role for role, username in ROLES.items() if username}


ENDPOINTS: dict[str, Endpoint] = {
    # Only the holder downloads a credential; anyone else, whatever the role, gets 404.
    "credential download": Endpoint(
        "get", dans_credential, expect({"candidate-self"}, {"candidate-self"}, 200)
    ),
    "my credentials": Endpoint(
        "get", lambda w: "/me/credentials/", expect(SIGNED_IN, SIGNED_IN, 200)
    ),
    "accounts": Endpoint("get", north("accounts/"), expect(CENTRE_STAFF, ADMIN_ONLY, 200)),
    "accounts invite": Endpoint(
        "post",
        north("accounts/invite"),
        expect(CENTRE_STAFF, ADMIN_ONLY, 302),
        lambda w: {"email": "zoe@example.org", "role": "assessor"},
    ),
    "invitation resend": Endpoint(
        "post", an_invitation("resend"), expect(CENTRE_STAFF, ADMIN_ONLY, 302)
    ),
    "invitation cancel (confirm)": Endpoint(
        "get", an_invitation("cancel"), expect(CENTRE_STAFF, ADMIN_ONLY, 200)
    ),
    "invitation cancel": Endpoint(
        "post", an_invitation("cancel"), expect(CENTRE_STAFF, ADMIN_ONLY, 302), lambda w: REASON
    ),
    "deactivate (confirm)": Endpoint(
        "get", arthur("deactivate"), expect(CENTRE_STAFF, ADMIN_ONLY, 200)
    ),
    "deactivate": Endpoint(
        "post", arthur("deactivate"), expect(CENTRE_STAFF, ADMIN_ONLY, 302), lambda w: REASON
    ),
    "reactivate (confirm)": Endpoint(
        "get", arthur("reactivate"), expect(CENTRE_STAFF, ADMIN_ONLY, 200)
    ),
    "revoke (confirm)": Endpoint("get", arthurs_role, expect(CENTRE_STAFF, ADMIN_ONLY, 200)),
    "revoke": Endpoint(
        "post", arthurs_role, expect(CENTRE_STAFF, ADMIN_ONLY, 302), lambda w: REASON
    ),
    "centre list": Endpoint(
        "get",
        lambda w: "/centres/",
        {
            # One centre: straight to its dashboard. No staff role anywhere: an empty list.
            **{role: 302 for role in ROLES},
            "candidate-self": 200,
            "other-candidate": 200,
            "employer-of-candidate": 200,
            "other-employer": 200,
        },
    ),
    "dashboard": Endpoint("get", north(), expect(CENTRE_STAFF, CENTRE_STAFF, 200)),
    "record anchors": Endpoint(
        "get",
        north("anchors.jsonl"),
        expect(CENTRE_STAFF, {"centre-admin", "lead-iqa", "ev-assigned"}, 200),
    ),
    "people": Endpoint("get", north("people/"), expect(CENTRE_STAFF, CENTRE_STAFF, 200)),
    "progress": Endpoint("get", north("progress/"), expect(CENTRE_STAFF, CENTRE_STAFF, 200)),
    "progress csv": Endpoint(
        "get", north("progress/?format=csv"), expect(CENTRE_STAFF, CENTRE_STAFF, 200)
    ),
    "grant role": Endpoint(
        "post",
        north("people/grant"),
        expect(CENTRE_STAFF, {"centre-admin"}, 302),
        lambda w: {"username": "iris", "role": "assessor", "qualification_code": ""},
    ),
    "record A/V unit": Endpoint(
        "post",
        alice("competence"),
        expect(CENTRE_STAFF, {"centre-admin"}, 302),
        lambda w: {
            f"competence-{w.user('alice').pk}-{name}": value
            for name, value in [
                ("role", "assessor"),
                ("av_unit", "D32"),
                ("started_on", "2012-01-09"),
            ]
        },
    ),
    "mark A/V unit achieved": Endpoint(
        "post",
        lambda w: (
            f"/centres/{w.north.pk}/people/{w.user('alice').pk}/competence/{alices_a1(w)}/achieved"
        ),
        expect(CENTRE_STAFF, {"centre-admin"}, 302),
        lambda w: {f"achieved-{alices_a1(w)}-achieved_on": "2013-02-20"},
    ),
    "log CPD": Endpoint(
        "post",
        alice("cpd"),
        expect(CENTRE_STAFF, {"centre-admin", "assessor-assigned"}, 302),
        lambda w: {
            f"cpd-{w.user('alice').pk}-{name}": value
            for name, value in [("on", "2013-02-25"), ("hours", "2.5"), ("activity", "Webinar")]
        },
    ),
    "add site": Endpoint(
        "post",
        north("sites"),
        expect(CENTRE_STAFF, {"centre-admin"}, 302),
        lambda w: {"name": "Harbour Retail training room", "address": "1 Quay Street"},
    ),
    "wizard": Endpoint("get", north("register/"), expect(CENTRE_STAFF, {"centre-admin"}, 200)),
    "register": Endpoint(
        "post",
        north("register/"),
        expect(CENTRE_STAFF, {"centre-admin"}, 302),
        lambda w: NEW_CANDIDATE,
    ),
    "bulk form": Endpoint(
        "get", north("register/bulk"), expect(CENTRE_STAFF, {"centre-admin"}, 200)
    ),
    "bulk import": Endpoint(
        "post",
        north("register/bulk"),
        expect(CENTRE_STAFF, {"centre-admin"}, 302),
        lambda w: {"action": "import", "file": SimpleUploadedFile("nia.csv", BULK_CSV)},
    ),
    "live check": Endpoint(
        "post",
        north("register/check"),
        expect(CENTRE_STAFF, {"centre-admin"}, 200),
        lambda w: NEW_CANDIDATE,
        HTMX,
    ),
    "registration page": Endpoint("get", dan(), expect(SEES_DAN, SEES_DAN, 200)),
    "change status": Endpoint(
        "post",
        dan("status"),
        expect(SEES_DAN, {"centre-admin", "lead-iqa"}, 302),
        lambda w: {"status": "in_progress", "reason": "Assessment started", "confirm": "on"},
    ),
    "extension form": Endpoint("get", dan("extend"), expect(SEES_DAN, {"centre-admin"}, 200)),
    "extend period": Endpoint(
        "post",
        dan("extend"),
        expect(SEES_DAN, {"centre-admin"}, 302),
        lambda w: {"new_end": "2014-12-31", "reason": "Long illness"},
    ),
    "plan editor": Endpoint("get", dan("plan/"), expect(SEES_DAN, {"centre-admin"}, 200)),
    "save plan": Endpoint(
        "post",
        dan("plan/"),
        expect(SEES_DAN, {"centre-admin"}, 302),
        lambda w: {
            "unit": ["401", "402"],
            "assessor-401": w.user("alice").pk,
            "assessor-402": w.user("alice").pk,
            "target-402": "2013-09-30",
            "internal_verifier": w.user("ian").pk,
        },
    ),
    "plan check": Endpoint(
        "post",
        dan("plan/check"),
        expect(SEES_DAN, {"centre-admin"}, 200),
        lambda w: {"unit": ["401", "402"]},
        HTMX,
    ),
    "plan suggest": Endpoint(
        "post",
        dan("plan/suggest"),
        expect(SEES_DAN, {"centre-admin"}, 200),
        lambda w: {"unit": ["401", "402"]},
        HTMX,
    ),
    "initial assessment": Endpoint(
        "post",
        dan("initial-assessment"),
        expect(SEES_DAN, {"centre-admin", "tutor"}, 302),
        lambda w: {"training_needs": "Report writing", "leads_team_or_department": "on"},
    ),
    "claim RPL": Endpoint(
        "post",
        dan("rpl"),
        expect(SEES_DAN, {"centre-admin", "candidate-self"}, 302),
        lambda w: {"unit": "413", "evidence": "Strategy paper written for the employer"},
    ),
    "credit transfer": Endpoint(
        "post",
        dan("credit-transfers"),
        expect(SEES_DAN, {"centre-admin", "assessor-assigned"}, 302),
        lambda w: {"unit": "310", "certificate_reference": "CG-4430-0042"},
    ),
    "decide RPL": Endpoint(
        "post",
        lambda w: f"/registrations/{w.dan.pk}/rpl/{w.claim.pk}/decide",
        expect(SEES_DAN, {"assessor-assigned"}, 302),
        lambda w: {"decision": "accept"},
    ),
    "sign as candidate": Endpoint(
        "post", dan("sign"), expect(SEES_DAN, {"candidate-self"}, 302), sign_as("candidate")
    ),
    "sign as assessor": Endpoint(
        "post", dan("sign"), expect(SEES_DAN, {"assessor-assigned"}, 302), sign_as("assessor")
    ),
    "sign as employer": Endpoint(
        "post",
        dan("sign"),
        expect(SEES_DAN, {"employer-of-candidate"}, 302),
        sign_as("employer"),
    ),
    "link sign-in": Endpoint(
        "post",
        dan("account"),
        expect(SEES_DAN, {"centre-admin"}, 302),
        lambda w: {"username": "nina"},
    ),
    "set employer contact": Endpoint(
        "post",
        dan("employer-contact"),
        expect(SEES_DAN, {"centre-admin"}, 302),
        lambda w: {"employer_contact": w.user("edna").pk},
    ),
    "portfolio page": Endpoint("get", dan("portfolio/"), expect(SEES_DAN, SEES_DAN, 200)),
    "portfolio export job": Endpoint(
        "post", dan("portfolio/export-job"), expect(SEES_DAN, SEES_DAN, 302)
    ),
    "rejected evidence": Endpoint(
        "get", dan("portfolio/rejections"), expect(SEES_DAN, SEES_DAN, 200)
    ),
    "ICS membership box": Endpoint(
        "get", dan("portfolio/membership"), expect(SEES_DAN, SEES_DAN, 200)
    ),
    "add evidence": Endpoint(
        "post",
        dan("portfolio/evidence"),
        expect(SEES_DAN, {"candidate-self", "assessor-assigned"}, 302),
        lambda w: {
            "method": "product",
            "started_on": "2013-02-11",
            "description": "Complaints log I keep",
            "context": "real_job",
        },
    ),
    # A wrong-type file: writers are told why (nothing is stored); others may not attach.
    "attach file": Endpoint(
        "post",
        lambda w: f"/registrations/{w.dan.pk}/portfolio/evidence/{w.item.pk}/files",
        expect(SEES_DAN, {"candidate-self", "assessor-assigned"}, 400),
        lambda w: {"file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + bytes(300))},
    ),
    "declare authenticity": Endpoint(
        "post",
        lambda w: f"/registrations/{w.dan.pk}/portfolio/evidence/{w.item.pk}/declare",
        expect(SEES_DAN, {"candidate-self"}, 302),
        lambda w: {"text": "This is my own work."},
    ),
    "propose mappings": Endpoint(
        "post",
        lambda w: f"/registrations/{w.dan.pk}/portfolio/evidence/{w.item.pk}/map",
        expect(SEES_DAN, {"candidate-self"}, 302),
        lambda w: {"unit": "401", "targets": ["1.2", "1.3"]},
    ),
    # The proposal form loaded on demand: the candidate's alone to open.
    "proposal form": Endpoint(
        "get",
        lambda w: f"/registrations/{w.dan.pk}/portfolio/evidence/{w.item.pk}/propose",
        expect(SEES_DAN, {"candidate-self"}, 200),
    ),
    "witness page": Endpoint(
        "get",
        lambda w: f"/registrations/{w.dan.pk}/portfolio/evidence/{w.item.pk}/witness",
        expect(SEES_DAN, {"candidate-self", "assessor-assigned"}, 200),
    ),
    # Dan's item is an observation: writers are told only testimony has a witness.
    "add witness": Endpoint(
        "post",
        lambda w: f"/registrations/{w.dan.pk}/portfolio/evidence/{w.item.pk}/witness",
        expect(SEES_DAN, {"candidate-self", "assessor-assigned"}, 400),
        lambda w: {
            "name": "Priya Shah",
            "role": "Operations manager",
            "relationship": "line manager",
            "contact": "priya@example.com",
            "statement": "I saw Dan brief the team.",
        },
    ),
    "decide mapping": Endpoint(
        "post",
        lambda w: f"/registrations/{w.dan.pk}/mappings/{w.mapping.pk}/decide",
        expect(SEES_DAN, {"assessor-assigned"}, 302),
        lambda w: {"decision": "confirm", "expected_seq": 0},
    ),
    "unit page": Endpoint("get", dan("units/401/"), expect(SEES_DAN, SEES_DAN, 200)),
    "judge criterion": Endpoint(
        "post",
        dan("units/401/judge"),
        expect(SEES_DAN, {"assessor-assigned"}, 302),
        lambda w: {
            "criterion": "1.1",
            "verdict": "not_met",
            "feedback": "Show it at work",
            "expected_seq": 0,
        },
    ),
    "record span": Endpoint(
        "post",
        dan("units/401/span"),
        expect(SEES_DAN, {"assessor-assigned"}, 302),
        lambda w: {"sufficient_days": 30, "expected_seq": 0},
    ),
    # Nothing is confirmed yet: the assessor's sign-off is refused with its reasons.
    "sign off unit": Endpoint(
        "post",
        dan("units/401/sign-off"),
        expect(SEES_DAN, {"assessor-assigned"}, 400),
        lambda w: {"expected_seq": 0, "declaration_sha256": "0" * 64},
    ),
    "confirm all proposals": Endpoint(
        "post",
        dan("units/401/confirm-all"),
        expect(SEES_DAN, {"assessor-assigned"}, 302),
        lambda w: {"item": w.item.pk, "expected_seq": 0},
    ),
    # Nothing is confirmed yet: the unit's assessor is told "met" needs confirmed evidence.
    "judge several met": Endpoint(
        "post",
        dan("units/401/judge-many"),
        expect(SEES_DAN, {"assessor-assigned"}, 400),
        lambda w: {"criteria": ["1.1"], "expected_seq": 0},
    ),
    "preview a file inline": Endpoint(
        "get",
        lambda w: f"/registrations/{w.dan.pk}/units/401/files/{png_of(w)}/inline",
        expect(SEES_DAN, {"assessor-assigned", "lead-iqa", "centre-admin"}, 200),
    ),
    "EQA page": Endpoint("get", north("eqa/"), expect(EQA_READERS, EQA_READERS, 200)),
    "EQA page (page size 1)": Endpoint(
        "get", north("eqa/?size=1"), expect(EQA_READERS, EQA_READERS, 200)
    ),
    "record EV visit": Endpoint(
        "post",
        north("eqa/visits"),
        expect(EQA_READERS, EV_ONLY, 302),
        lambda w: {"on": "2013-02-20", "mode": "remote", "status": "planned"},
    ),
    "record visit findings": Endpoint(
        "post", a_planned_visit, expect(EQA_READERS, EV_ONLY, 302), findings_data
    ),
    "mark action point done": Endpoint(
        "post", an_action_point, expect(EQA_READERS, {"centre-admin", "lead-iqa"}, 302)
    ),
    "apply sanction (confirm)": Endpoint(
        "post", north("eqa/sanctions"), expect(EQA_READERS, EV_ONLY, 200), lambda w: SANCTION
    ),
    "apply sanction": Endpoint(
        "post",
        north("eqa/sanctions"),
        expect(EQA_READERS, EV_ONLY, 302),
        lambda w: {**SANCTION, "confirm": "on"},
    ),
    "lift sanction (confirm)": Endpoint(
        "post", a_sanction, expect(EQA_READERS, EV_ONLY, 200), lift_data(False)
    ),
    "lift sanction": Endpoint(
        "post", a_sanction, expect(EQA_READERS, EV_ONLY, 302), lift_data(True)
    ),
    # Internal quality assurance (issue 13).
    "iqa queue": Endpoint(
        "get",
        lambda w: "/iqa/",
        {r: 302 if r == "anonymous" else 200 if r in IQA_STAFF else 403 for r in ROLES},
    ),
    "iqa pick": Endpoint("get", a_pick(), expect(SEES_PICK, SEES_PICK, 200)),
    "iqa verify": Endpoint(
        "post",
        a_pick("verify"),
        expect(SEES_PICK, {"iv-assigned", "lead-iqa"}, 302),
        lambda w: {"outcome": "agree", "feedback": "Sound judgements"},
    ),
    "centre iqa": Endpoint("get", north("iqa/"), expect(CENTRE_STAFF, LEAD, 200)),
    "centre iqa draw": Endpoint(
        "post", north("iqa/draw"), expect(CENTRE_STAFF, LEAD, 302), lambda w: DRAW
    ),
    "centre iqa strategy": Endpoint(
        "post",
        north("iqa/strategy"),
        expect(CENTRE_STAFF, LEAD, 302),
        lambda w: {"qualification": "4430-04", "base_rate": "20%", "trainee": "100%"},
    ),
    "centre iqa report pdf": Endpoint(
        "get", north("iqa/report.pdf"), expect(CENTRE_STAFF, LEAD, 200)
    ),
    "centre iqa report xlsx": Endpoint(
        "get", north("iqa/report.xlsx"), expect(CENTRE_STAFF, LEAD, 200)
    ),
    "centre iqa report job": Endpoint(
        "post", north("iqa/report-job"), expect(CENTRE_STAFF, LEAD, 302)
    ),
    "standardisation": Endpoint(
        "get", north("iqa/standardisation/"), expect(STANDARDISED, STANDARDISED, 200)
    ),
    "record standardisation": Endpoint(
        "post",
        north("iqa/standardisation/record"),
        expect(STANDARDISED, LEAD, 302),
        lambda w: ACTIVITY,
    ),
    # Arthur did not attend: the action is not his to see.
    "standardisation action done": Endpoint(
        "post",
        an_action,
        expect(
            STANDARDISED - {"assessor-not-assigned"},
            {"assessor-assigned", "lead-iqa", "centre-admin"},
            302,
        ),
    ),
    # 401 is not signed off: a lead IQA or administrator is told so.
    "reopen unit": Endpoint(
        "post",
        dan("units/401/reopen"),
        expect(SEES_DAN, {"lead-iqa", "centre-admin"}, 400),
        lambda w: {"reason": "Sampling found a gap", "expected_seq": 0},
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_role_matrix(world: World, name: str) -> None:
    endpoint = ENDPOINTS[name]
    assert statuses(world, endpoint) == endpoint.expected


def test_every_new_url_is_in_the_matrix() -> None:
    """A new page or form under /centres/ or /registrations/ must join the matrix."""
    from assay.web.urls import urlpatterns

    routes = {
        str(p.pattern)
        for p in urlpatterns
        if str(p.pattern).startswith(("centres", "registrations"))
    }
    assert routes == {
        "centres/",
        "centres/<int:pk>/",
        "centres/<int:pk>/people/",
        "centres/<int:pk>/progress/",
        "centres/<int:pk>/people/grant",
        "centres/<int:pk>/people/<int:user_pk>/competence",
        "centres/<int:pk>/people/<int:user_pk>/competence/<int:competence_pk>/achieved",
        "centres/<int:pk>/people/<int:user_pk>/cpd",
        "centres/<int:pk>/sites",
        "centres/<int:pk>/anchors.jsonl",
        "centres/<int:pk>/register/",
        "centres/<int:pk>/register/check",
        "centres/<int:pk>/accounts/",
        "centres/<int:pk>/accounts/invite",
        "centres/<int:pk>/accounts/invitations/<int:invitation_pk>/resend",
        "centres/<int:pk>/accounts/invitations/<int:invitation_pk>/cancel",
        "centres/<int:pk>/accounts/<int:user_pk>/deactivate",
        "centres/<int:pk>/accounts/<int:user_pk>/reactivate",
        "centres/<int:pk>/accounts/roles/<int:membership_pk>/revoke",
        "centres/<int:pk>/register/bulk",
        "centres/<int:pk>/eqa/",
        "centres/<int:pk>/eqa/visits",
        "centres/<int:pk>/eqa/visits/<int:visit_pk>/findings",
        "centres/<int:pk>/eqa/action-points/<int:point_pk>/done",
        "centres/<int:pk>/eqa/sanctions",
        "centres/<int:pk>/eqa/sanctions/<int:sanction_pk>/lift",
        "centres/<int:pk>/iqa/",
        "centres/<int:pk>/iqa/draw",
        "centres/<int:pk>/iqa/strategy",
        "centres/<int:pk>/iqa/report.<str:fmt>",
        "centres/<int:pk>/iqa/report-job",
        "centres/<int:pk>/iqa/standardisation/",
        "centres/<int:pk>/iqa/standardisation/record",
        "centres/<int:pk>/iqa/standardisation/actions/<int:action_pk>/done",
        "registrations/<int:pk>/",
        "registrations/<int:pk>/status",
        "registrations/<int:pk>/extend",
        "registrations/<int:pk>/plan/",
        "registrations/<int:pk>/plan/check",
        "registrations/<int:pk>/plan/suggest",
        "registrations/<int:pk>/initial-assessment",
        "registrations/<int:pk>/rpl",
        "registrations/<int:pk>/credit-transfers",
        "registrations/<int:pk>/rpl/<int:claim_pk>/decide",
        "registrations/<int:pk>/sign",
        "registrations/<int:pk>/account",
        "registrations/<int:pk>/employer-contact",
        "registrations/<int:pk>/portfolio/",
        "registrations/<int:pk>/portfolio/export-job",
        "registrations/<int:pk>/portfolio/evidence",
        "registrations/<int:pk>/portfolio/rejections",
        "registrations/<int:pk>/portfolio/membership",
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/files",
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/declare",
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/map",
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/propose",
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/witness",
        "registrations/<int:pk>/mappings/<int:mapping_pk>/decide",
        "registrations/<int:pk>/units/<str:unit>/",
        "registrations/<int:pk>/units/<str:unit>/judge",
        "registrations/<int:pk>/units/<str:unit>/judge-many",
        "registrations/<int:pk>/units/<str:unit>/confirm-all",
        "registrations/<int:pk>/units/<str:unit>/files/<int:file_pk>/inline",
        "registrations/<int:pk>/units/<str:unit>/span",
        "registrations/<int:pk>/units/<str:unit>/sign-off",
        "registrations/<int:pk>/units/<str:unit>/reopen",
        # Assessment plans and reviews: their matrix is in tests/reviews/test_pages.py.
        *REVIEW_ROUTES,
        # Appeals and complaints: their matrix is in tests/appeals/test_pages.py.
        *APPEAL_ROUTES,
        # Claims: their matrix is in tests/claims/test_role_matrix.py.
        *CLAIM_ROUTES,
    }


def test_a_denial_says_who_can(world: World) -> None:
    client = Client()
    client.force_login(world.user("eve"))
    response = client.post(f"/registrations/{world.dan.pk}/status", {"status": "in_progress"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only a centre administrator or lead IQA can change a registration" in body
    world.dan.refresh_from_db()
    assert world.dan.status == "registered"


def test_forbidden_and_missing_answer_alike(world: World) -> None:
    client = Client()
    client.force_login(world.user("arthur"))  # an assessor at Northgate, not Dan's
    forbidden = client.get(f"/registrations/{world.dan.pk}/")
    missing = client.get("/registrations/999999/")
    assert forbidden.status_code == missing.status_code == 404

    def page(response: Any, pk: object) -> str:
        body = response.content.decode().replace(f"/registrations/{pk}/", "/registrations/N/")
        # CSRF tokens are masked afresh for every response.
        body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert page(forbidden, world.dan.pk) == page(missing, 999999)
    client.force_login(world.user("sue"))  # Southgate's administrator
    assert client.get(f"/centres/{world.north.pk}/").status_code == 404
    assert client.get("/centres/999999/").status_code == 404


def test_single_centre_redirects_and_superuser_lists_all(world: World) -> None:
    client = Client()
    client.force_login(world.user("carol"))
    response = client.get("/centres/")
    assert response.status_code == 302 and response["Location"] == f"/centres/{world.north.pk}/"
    client.force_login(world.user("sam"))
    body = client.get("/centres/").content.decode()
    assert "Northgate Training Centre" in body and "Southgate College" in body
    client.force_login(world.user("dan"))
    assert "You hold no staff role" in client.get("/centres/").content.decode()
