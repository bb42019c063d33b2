"""The token endpoints for every role of the centre world: each sees and revokes only its own
tokens (anyone else's answers 404), and without a live token the answer is 401."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import pytest
from django.test import Client

from assay.accounts.models import ApiToken
from tests.api.calls import auth
from tests.fixtures_centre import ROLES, World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/auth/tokens"


def test_every_role_lists_only_its_own_and_revokes_no_one_elses(
    world: World, tokens: dict[str, str]
) -> None:
    mine = {role: ApiToken.objects.get(key_prefix=tokens[role][:8]) for role in ROLES}
    for role in ROLES:
        listed = Client().get(TOKENS, **auth(tokens[role]))
        assert listed.status_code == 200, role
        owners = {ApiToken.objects.get(pk=t["id"]).user_id for t in listed.json()["items"]}
        assert owners == {world[role].pk}, role
        other = next(r for r in ROLES if world[r].pk != world[role].pk)
        denied = Client().delete(f"{TOKENS}/{mine[other].pk}", **auth(tokens[role]))
        assert denied.status_code == 404, role
    assert (
        ApiToken.objects.filter(
            pk__in=[t.pk for t in mine.values()], revoked_at__isnull=False
        ).count()
        == 0
    )


@pytest.mark.parametrize("who", ["anonymous", "bad_token", "revoked_token"])
def test_without_a_live_token_the_answer_is_401(
    world: World, tokens: dict[str, str], who: str
) -> None:
    token = None if who == "anonymous" else tokens[who]
    some = ApiToken.objects.filter(revoked_at__isnull=True).first()
    assert some is not None
    assert Client().get(TOKENS, **auth(token)).status_code == 401
    assert Client().delete(f"{TOKENS}/{some.pk}", **auth(token)).status_code == 401
    assert ApiToken.objects.get(pk=some.pk).revoked_at is None
