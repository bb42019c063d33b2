"""The pure identity rules: who must give a second factor, and which account a sign-on is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.accounts.identity import (
    STAFF_CENTRE_ROLES,
    Match,
    Step,
    needs_two_factor,
    provider_asserted_mfa,
    sso_match,
    two_factor_step,
)

CENTRE_ROLES = sorted(STAFF_CENTRE_ROLES | {"candidate", "tutor", "assessor", "employer_contact"})


@given(
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from(CENTRE_ROLES)),
    st.lists(st.sampled_from(["administrator", "auditor", "decision_maker"])),
)
def test_only_staff_and_only_when_required(
    installation: bool, superuser: bool, centre: list[str], body: list[str]
) -> None:
    needed = needs_two_factor(
        installation_requires=installation,
        superuser=superuser,
        centre_roles=centre,
        body_roles=body,
    )
    staff = superuser or bool(body) or any(role in STAFF_CENTRE_ROLES for role in centre)
    assert needed == (installation and staff)


def test_the_step_left() -> None:
    assert two_factor_step(required=False, has_device=False, verified=False).step == Step.NONE
    assert two_factor_step(required=True, has_device=False, verified=False).step == Step.ENROL
    assert two_factor_step(required=True, has_device=True, verified=False).step == Step.VERIFY
    assert two_factor_step(required=True, has_device=True, verified=True).step == Step.NONE


def test_amr_counts_only_when_trusted() -> None:
    assert provider_asserted_mfa(amr=["pwd", "mfa"], trusted=True)
    assert not provider_asserted_mfa(amr=["pwd", "mfa"], trusted=False)
    assert not provider_asserted_mfa(amr=["pwd"], trusted=True)
    assert not provider_asserted_mfa(amr="mfa", trusted=True)  # a string is not a list


def _match(claims: dict[str, object], found: list[tuple[int, bool]], linked: int | None = None):  # type: ignore[no-untyped-def]
    return sso_match(
        claims=claims,
        linked_user_id=linked,
        linked_user_active=True,
        email_user_ids=found,
        provider="IdP",
    )


def test_matching_rules() -> None:
    verified = {"email": "a@x.example", "email_verified": True}
    assert _match(verified, [(7, True)]).match == Match.EMAIL
    assert _match({}, [], linked=3).user_id == 3
    assert _match(verified, []).code == "unknown"
    assert _match(verified, [(1, True), (2, True)]).code == "ambiguous"
    assert _match(verified, [(1, False)]).code == "inactive"
    assert _match({"email": "a@x.example"}, [(7, True)]).code == "email_unverified"
    assert _match({"email": "a@x.example", "email_verified": "true"}, [(7, True)]).code == (
        "email_unverified"
    )
    assert _match({"email_verified": True}, [(7, True)]).code == "no_email"


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "email": st.one_of(st.none(), st.text(max_size=5), st.just("a@x.example")),
            "email_verified": st.one_of(st.booleans(), st.none(), st.just("true")),
        },
    ),
    st.lists(st.tuples(st.integers(1, 9), st.booleans()), max_size=3),
    st.one_of(st.none(), st.integers(1, 9)),
    st.booleans(),
)
def test_a_match_is_a_link_or_one_active_verified_email(
    claims: dict[str, object], found: list[tuple[int, bool]], linked: int | None, active: bool
) -> None:
    result = sso_match(
        claims=claims,
        linked_user_id=linked,
        linked_user_active=active,
        email_user_ids=found,
        provider="IdP",
    )
    if result.match == Match.LINKED:
        assert result.user_id == linked and active
    elif result.match == Match.EMAIL:
        assert linked is None and claims.get("email_verified") is True
        assert found == [(result.user_id, True)]
    else:
        assert result.user_id is None and result.code and result.reason
