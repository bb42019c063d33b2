"""Drawing a sample from the database: reasons stored, reproducible, allocated apart from
the unit's assessor, and refused for anyone but a lead IQA or centre administrator."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.errors import InvalidInput, NotAllowed
from assay.verification.models import SampleDraw, SamplePick
from assay.verification.services import sample_draw
from tests.verification.helpers import END, START, drawn, keys, pick_403, sign_off_403
from tests.world import World

pytestmark = pytest.mark.django_db


def test_draw_stores_reasons_and_is_reproducible(world: World) -> None:
    sign_off_403(world)
    first = drawn(world)
    pick = pick_403(first)
    assert pick.stage == "summative"
    # Alice has no A unit yet (started 15/10/2011): a trainee, every sign-off sampled.
    assert "trainee assessor" in pick.reasons[0] and "100% of sign-offs" in pick.reasons[0]
    assert pick.assessor_id == world.user("alice").pk
    assert pick.verifier_id in {world.user("ian").pk, world.user("iris").pk}
    assert pick.methods and pick.site == world.north.name
    again = drawn(world)
    assert keys(again) == keys(first) and first.seed == again.seed == 42
    assert SampleDraw.objects.count() == 2


def test_work_in_progress_is_sampled_interim(world: World) -> None:
    """Dan's 401 has a confirmed mapping (Alice's act) but no sign-off: interim."""
    sign_off_403(world)
    picks = {p.unit_number: p for p in drawn(world).picks.all()}
    assert picks["401"].stage == "interim"
    assert "interim" in picks["401"].reasons[0]


@pytest.mark.parametrize("who", ["ian", "alice", "tom", "eve", "dan", "sue"])
def test_only_a_lead_or_admin_draws(world: World, who: str) -> None:
    sign_off_403(world)
    with pytest.raises(NotAllowed):
        sample_draw(
            by=world.user(who),
            centre=world.north,
            qualification="4430-04",
            period_start=START,
            period_end=END,
        )
    assert not SampleDraw.objects.exists() and not SamplePick.objects.exists()
    assert (
        sample_draw(
            by=world.user("carol"),
            centre=world.north,
            qualification="4430-04",
            period_start=START,
            period_end=END,
        ).seed
        >= 0
    )


@pytest.mark.parametrize(
    ("start", "end", "qualification", "field"),
    [
        (END, START, "4430-04", "period_end"),
        (dt.date(2014, 1, 1), dt.date(2014, 2, 1), "4430-04", "period_start"),
        (START, END, "9999", "qualification"),
        (dt.date(1, 1, 1), dt.date(1, 1, 1), "4430-04", "period_start"),
        (dt.date(2009, 1, 1), END, "4430-04", "period_end"),
    ],
)
def test_bad_input_changes_nothing(
    world: World, start: dt.date, end: dt.date, qualification: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        sample_draw(
            by=world.user("linda"),
            centre=world.north,
            qualification=qualification,
            period_start=start,
            period_end=end,
        )
    assert field in refused.value.errors
    assert not SampleDraw.objects.exists()


def test_picks_nobody_may_take_are_stored_unallocated(world: World) -> None:
    from assay.centres.models import Membership

    sign_off_403(world)
    Membership.objects.filter(
        centre=world.north, role__in=["internal_verifier", "lead_iqa"]
    ).update(active=False)
    row = sample_draw(
        by=world.user("carol"),
        centre=world.north,
        qualification="4430-04",
        period_start=START,
        period_end=END,
    )
    pick = pick_403(row)
    assert pick.verifier_id is None
    assert pick.refusals == ["no internal verifier at the centre"]


def test_an_iv_past_the_v_unit_deadline_gets_no_new_samples(world: World) -> None:
    """Iris started verifying in 2010 and has no V unit (deadline 01/07/2011): every pick
    goes to Ian."""
    from assay.centres.people import competence_record

    sign_off_403(world)
    competence_record(
        by=world.user("carol"),
        centre=world.north,
        user=world.user("iris"),
        role="internal_verifier",
        av_unit="V1",
        started_on=dt.date(2010, 1, 1),
    )
    row = drawn(world)
    assert set(row.picks.values_list("verifier_id", flat=True)) == {world.user("ian").pk}
    competence_record(
        by=world.user("carol"),
        centre=world.north,
        user=world.user("ian"),
        role="internal_verifier",
        av_unit="V1",
        started_on=dt.date(2010, 1, 1),
    )
    pick = pick_403(drawn(world))
    assert pick.verifier_id is None
    assert any("past the V-unit deadline" in r for r in pick.refusals), pick.refusals
