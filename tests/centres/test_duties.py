"""Separation of duties on every path: a candidate is nobody's staff at their centre, staff
are no candidate there, and nobody assesses or verifies their own registration. Each refusal
says why and changes nothing (services, web forms, API, CLI, invitations)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from assay.accounts.invitations import InviteInput, invitation_accept, invitation_send
from assay.centres.models import Membership, Role
from assay.centres.services import membership_grant
from assay.cli.main import main
from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.assessment import criterion_judge, mapping_decide, unit_sign_off
from assay.portfolios.models import CriterionMapping, Decision
from assay.portfolios.services import evidence_add, is_assessor_of, mapping_propose
from assay.registrations.induction import signature_record
from assay.registrations.links import candidate_account_link
from assay.registrations.models import Candidate, PlanUnit, Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import credit_transfer_record, rpl_decide
from tests.factories import register
from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db

STAFF = sorted(
    [
        Role.CENTRE_ADMIN,
        Role.TUTOR,
        Role.ASSESSOR,
        Role.INTERNAL_VERIFIER,
        Role.LEAD_IQA,
        Role.EXTERNAL_VERIFIER,
        Role.EMPLOYER_CONTACT,
    ]
)
GRANT_REFUSAL = (
    "candidate_self is a candidate at North Training: a candidate cannot hold a staff role "
    "at their own centre"
)
OWN_ASSESSOR = (
    "candidate_self is the candidate on this registration and cannot be their own assessor"
)
OWN_IV = (
    "candidate_self is the candidate on this registration and cannot be their own internal verifier"
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = None


def memberships() -> list[tuple[int, int, str, str, bool]]:
    rows = Membership.objects.values_list("user", "centre", "role", "qualification_code", "active")
    return sorted(rows)


def plan_of(registration: Registration) -> list[tuple[str, int | None]]:
    rows = PlanUnit.objects.filter(registration=registration)
    return sorted(rows.values_list("unit_number", "assessor"))


def legacy_self_assessor(world: World) -> Any:
    """The state the old code allowed: Alice's own account holds the assessor and IV roles
    and is the assessor of unit 401 on her own plan (written straight to the tables)."""
    cand = world["candidate_self"]
    for role in (Role.ASSESSOR, Role.INTERNAL_VERIFIER):
        Membership.objects.create(user=cand, centre=world.north, role=role)
    PlanUnit.objects.filter(registration=world.registration, unit_number="401").update(
        assessor=cand
    )
    return cand


# --- Role grants ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_a_candidate_is_granted_no_staff_role_at_their_centre(world: World, role: str) -> None:
    before = memberships()
    with pytest.raises(InvalidInput) as refused:
        membership_grant(
            by=world["centre_admin"], centre=world.north, user=world["candidate_self"], role=role
        )
    assert refused.value.errors == {"username": GRANT_REFUSAL}
    assert memberships() == before


def test_a_linked_candidate_without_the_candidate_role_is_still_a_candidate(world: World) -> None:
    """The link to a candidate record is enough, whatever memberships say."""
    Membership.objects.filter(user=world["candidate_self"]).delete()
    with pytest.raises(InvalidInput, match="is a candidate at North Training"):
        membership_grant(
            by=world["awarding_body"],
            centre=world.north,
            user=world["candidate_self"],
            role=Role.TUTOR,
        )


def test_a_candidate_may_work_at_another_centre(world: World) -> None:
    granted = membership_grant(
        by=world["awarding_body"],
        centre=world.south,
        user=world["candidate_self"],
        role=Role.ASSESSOR,
    )
    assert granted.active and granted.centre == world.south


@pytest.mark.parametrize("who", ["tutor", "assessor_assigned", "employer_contact", "centre_admin"])
def test_staff_are_not_granted_the_candidate_role_there(world: World, who: str) -> None:
    before = memberships()
    with pytest.raises(InvalidInput) as refused:
        membership_grant(
            by=world["awarding_body"], centre=world.north, user=world[who], role=Role.CANDIDATE
        )
    assert refused.value.errors == {
        "username": f"{who} holds a staff role at North Training; a candidate needs a sign-in "
        "of their own"
    }
    assert memberships() == before


def test_the_cli_grant_is_refused(world: World) -> None:
    before = memberships()
    result = CliRunner().invoke(
        main,
        ["centre", "grant", "N1001", "candidate_self", "assessor", "--as", "centre_admin"],
    )
    assert result.exit_code != 0
    assert GRANT_REFUSAL in result.output + (result.stderr if result.stderr_bytes else "")
    assert memberships() == before


def test_the_web_grant_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world["centre_admin"])
    before = memberships()
    response = client.post(
        f"/centres/{world.north.pk}/people/grant",
        {"username": "candidate_self", "role": "assessor", "qualification_code": ""},
    )
    assert response.status_code == 400
    assert "a candidate cannot hold a staff role at their own centre" in response.content.decode()
    assert memberships() == before


# --- A candidate's sign-in (the reverse path) ------------------------------------------------


def test_an_employer_contact_is_not_made_a_candidates_sign_in(world: World) -> None:
    bob = world.other_registration.candidate
    before = list(Candidate.objects.values_list("pk", "user"))
    with pytest.raises(InvalidInput) as refused:
        candidate_account_link(
            by=world["centre_admin"], candidate=bob, user=world["employer_contact"]
        )
    assert "employer_contact holds a staff role at North Training" in refused.value.errors["user"]
    assert list(Candidate.objects.values_list("pk", "user")) == before


def test_the_api_link_refuses_staff(world: World, tokens: dict[str, str]) -> None:
    before = list(Candidate.objects.values_list("pk", "user"))
    response = Client().put(
        f"/api/v1/registrations/{world.other_registration.pk}/account",
        {"user_id": world["employer_contact"].pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['centre_admin']}",
    )
    assert response.status_code in (400, 422), response.content
    assert "holds a staff role at North Training" in response.content.decode()
    assert list(Candidate.objects.values_list("pk", "user")) == before


def test_a_candidate_invitation_to_a_staff_account_is_refused(world: World) -> None:
    staff = world["tutor"]
    staff.email = "tutor@example.org"
    staff.save()
    dan = register(world["centre_admin"], world.north, first_name="Dan", email="")
    with pytest.raises(InvalidInput, match="already has an account"):
        invitation_send(
            by=world["centre_admin"],
            centre=world.north,
            data=InviteInput(email="tutor@example.org", role="candidate", registration_id=dan.pk),
            link_for=lambda t: t,
        )


def test_accepting_an_invitation_goes_through_the_rule(world: World, monkeypatch: Any) -> None:
    """Acceptance grants through the same rule: if the new account were already a candidate
    there, the staff invitation would be refused and no account, role or link be left."""
    sent = invitation_send(
        by=world["centre_admin"],
        centre=world.north,
        data=InviteInput(email="new@example.org", role="assessor"),
        link_for=lambda t: t,
    )
    from assay.accounts import invitations
    from assay.engines.accounts import duties

    monkeypatch.setattr(invitations, "refuse_role", _always_candidate_refusal(duties), raising=True)
    before = memberships()
    with pytest.raises(InvalidInput) as refused:
        invitation_accept(token=sent.link, password="a long enough passphrase 42")
    assert "cannot hold a staff role" in refused.value.errors["token"]
    assert memberships() == before
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="new@example.org").exists()


def _always_candidate_refusal(duties: Any) -> Any:
    from assay.centres.duties import refuse_role

    def refuse(user: Any, centre: Any, role: str, field: str = "user") -> None:
        decision = duties.may_hold_role(
            role=role,
            standing=duties.Standing(candidate=True),
            name=user.get_username(),
            place=centre.name,
        )
        if not decision.allowed:
            raise InvalidInput({field: decision.reason})
        refuse_role(user, centre, role, field)

    return refuse


# --- Plans: nobody is their own assessor or internal verifier --------------------------------


def test_a_plan_naming_the_candidate_as_their_own_assessor_is_refused(world: World) -> None:
    cand = legacy_self_assessor(world)
    PlanUnit.objects.filter(registration=world.registration).update(assessor=None)
    before = plan_of(world.registration)
    with pytest.raises(InvalidInput) as refused:
        plan_set(
            by=world["centre_admin"],
            registration=world.registration,
            units=[PlanUnitInput("401", cand.pk)],
            internal_verifier_id=cand.pk,
        )
    assert refused.value.errors == {"assessor 401": OWN_ASSESSOR, "internal_verifier": OWN_IV}
    assert plan_of(world.registration) == before
    assert (
        Registration.objects.get(pk=world.registration.pk).internal_verifier == world["iv_assigned"]
    )


def test_the_api_plan_is_refused(world: World, tokens: dict[str, str]) -> None:
    cand = legacy_self_assessor(world)
    before = plan_of(world.registration)
    response = Client().put(
        f"/api/v1/registrations/{world.registration.pk}/plan",
        {"units": [{"unit": "401", "assessor_id": cand.pk}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['centre_admin']}",
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"field": "assessor 401", "message": OWN_ASSESSOR}
    ]
    assert plan_of(world.registration) == before


def test_the_web_plan_is_refused(world: World) -> None:
    cand = legacy_self_assessor(world)
    before = plan_of(world.registration)
    client = Client()
    client.force_login(world["centre_admin"])
    response = client.post(
        f"/registrations/{world.registration.pk}/plan/",
        {"unit": ["401"], "assessor-401": cand.pk},
    )
    assert response.status_code == 400
    assert "cannot be their own assessor" in response.content.decode()
    assert plan_of(world.registration) == before


# --- The last line: acting on one's own registration ----------------------------------------


def test_the_old_exploit_end_to_end(world: World) -> None:
    """Grant, plan, then act: each step is refused on its own and nothing is recorded."""
    admin, cand, reg = world["centre_admin"], world["candidate_self"], world.registration
    with pytest.raises(InvalidInput, match="a candidate cannot hold a staff role"):
        membership_grant(by=admin, centre=world.north, user=cand, role=Role.ASSESSOR)
    with pytest.raises(InvalidInput, match="cannot be their own assessor"):
        plan_set(by=admin, registration=reg, units=[PlanUnitInput("401", cand.pk)])
    # Data written before the rule: the grant and the plan are in the tables anyway.
    legacy_self_assessor(world)
    with pytest.raises(InvalidInput, match="cannot be their own assessor"):
        plan_set(by=admin, registration=reg, units=[PlanUnitInput("401", cand.pk)])
    item = evidence_add(
        by=cand,
        registration=reg,
        method="observation",
        started_on=dt.date(2013, 1, 7),
        description="Ran the weekly team briefing",
        context="real_job",
    )
    mapping = mapping_propose(by=cand, item=item, unit="401", target="1.1")
    decisions = Decision.objects.filter(registration=reg).count()
    refusal = "you are the candidate on this registration: you cannot assess it"
    with pytest.raises(NotAllowed, match=refusal):
        mapping_decide(by=cand, mapping=mapping, confirm=True)
    with pytest.raises(NotAllowed, match=refusal):
        criterion_judge(by=cand, registration=reg, unit="401", criterion="1.1", met=True)
    with pytest.raises(NotAllowed, match=refusal):
        unit_sign_off(by=cand, registration=reg, unit="401")
    assert not is_assessor_of(cand, reg) and not is_assessor_of(cand, reg, "401")
    assert Decision.objects.filter(registration=reg).count() == decisions
    assert CriterionMapping.objects.get(pk=mapping.pk).status == mapping.status


def test_rpl_credit_transfer_and_signatures_as_assessor_are_refused_too(world: World) -> None:
    cand, reg = legacy_self_assessor(world), world.registration
    refusal = "you are the candidate on this registration: you cannot assess it"
    with pytest.raises(NotAllowed, match=refusal):
        rpl_decide(by=cand, claim=world.claim, accept=True)
    with pytest.raises(NotAllowed, match=refusal):
        credit_transfer_record(by=cand, registration=reg, unit="403", certificate_reference="X1")
    with pytest.raises(NotAllowed, match="you cannot sign as the assessor of this registration"):
        signature_record(
            by=cand, registration=reg, document="learning_contract", capacity="assessor", text="ok"
        )
    assert type(world.claim).objects.get(pk=world.claim.pk).accepted is None
    assert not type(world.claim).objects.filter(registration=reg, unit_number="403").exists()
    assert not reg.signatures.exists()


@pytest.mark.parametrize("role", [Role.TUTOR, Role.LEAD_IQA, Role.CENTRE_ADMIN])
def test_a_legacy_centre_wide_role_of_a_candidate_reads_nothing_more(
    world: World, role: str
) -> None:
    """A staff role written to the table before the rule (or by hand) gives a candidate no
    read of other candidates: their own portfolio only, no centre pages, no API lists."""
    from assay.centres.permissions import centres_visible_to, roles_at
    from assay.registrations.selectors import registrations_visible_to

    cand = world["candidate_self"]
    Membership.objects.create(user=cand, centre=world.north, role=role)
    assert role not in roles_at(cand, world.north)
    assert world.north not in centres_visible_to(cand)
    assert list(registrations_visible_to(cand)) == [world.registration]
    client = Client()
    client.force_login(cand)
    assert client.get(f"/registrations/{world.other_registration.pk}/").status_code == 404
    assert client.get(f"/centres/{world.north.pk}/").status_code in (403, 404)
    # at another centre, where they are nobody's candidate, the same role works
    Membership.objects.create(user=cand, centre=world.south, role=role)
    assert role in roles_at(cand, world.south)
