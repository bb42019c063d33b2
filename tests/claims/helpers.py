"""The claims tests' world: ``tests/world.py`` with Dan's unit 403 (Alice's) signed off on
01/03/2013, sampled by Linda's draw and (``agreed``) agreed by its IV; Abby works for the
awarding body."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from assay.claims.models import AwardingBodyStaff, Certificate, Claim, ClaimBatch
from assay.claims.services import batch_submit, claim_approve, claim_create
from assay.verification.models import SamplePick
from assay.verification.services import unit_verify
from tests.verification.helpers import drawn, pick_403, sign_off_403
from tests.world import World


def awarding_body(world: World) -> Any:
    abby = get_user_model().objects.create_user("abby", first_name="Abby", last_name="Body")
    AwardingBodyStaff.objects.create(user=abby, granted_by=world.user("sam"))
    world.users["abby"] = abby
    return abby


def sampled(world: World) -> SamplePick:
    """403 signed off and picked by the draw (no verdict yet)."""
    sign_off_403(world)
    pick = pick_403(drawn(world))
    assert pick.verifier_id is not None
    return pick


def agreed(world: World) -> SamplePick:
    pick = sampled(world)
    iv = get_user_model().objects.get(pk=pick.verifier_id)
    unit_verify(by=iv, pick=pick, outcome="agree", feedback="Sound judgements")
    return pick


def claim_403(world: World) -> Claim:
    return claim_create(by=world.user("carol"), registration=world.dan, kind="unit", units=["403"])


def submitted(world: World) -> tuple[Claim, ClaimBatch]:
    claim = claim_403(world)
    batch = batch_submit(by=world.user("carol"), centre=world.north, claims=[claim])
    claim.refresh_from_db()
    return claim, batch


def approved(world: World) -> Certificate:
    claim, _ = submitted(world)
    return claim_approve(by=world.user("abby"), claim=claim, confirmed=True)
