"""A portfolio world: Northgate centre, 4430-04 approved, Carol (centre admin), Alice (assessor
of unit 403 for Dana), Bob (assessor, not Dana's), Lena (lead IQA), Dan (Dana's sign-in)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from assay.centres.models import Role
from assay.centres.services import membership_grant
from tests.factories import CG, assessor_qualified, enrol_dana, make_centre, make_user

TODAY = "2013-03-01"


def person(username: str, **extra: Any) -> User:
    """A user whose password is ``x-<username>`` (the browser tests sign in with it), known by
    the username alone (no first or last name: notifications quote it)."""
    names = {"first_name": "", "last_name": ""}
    return make_user(username, password="x-" + username, **{**names, **extra})


@pytest.fixture
def world(catalogue: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.ASSAY_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = None
    sam = person("sam", is_superuser=True, is_staff=True)
    centre = make_centre(sam, "0042", "Northgate", quals=(CG,), since=dt.date(2011, 9, 1))
    people = {name: person(name) for name in ("carol", "alice", "bob", "lena", "dan")}
    membership_grant(by=sam, centre=centre, user=people["carol"], role=Role.CENTRE_ADMIN)
    for name, role in [
        ("alice", Role.ASSESSOR),
        ("bob", Role.ASSESSOR),
        ("lena", Role.LEAD_IQA),
    ]:
        membership_grant(by=people["carol"], centre=centre, user=people[name], role=role)
    for name in ("alice", "bob"):
        assessor_qualified(people[name])
    reg = enrol_dana(
        people["carol"], centre, people["dan"], {"403": people["alice"], "401": people["bob"]}
    )
    reg.refresh_from_db()
    return {"sam": sam, "centre": centre, "reg": reg, **people}
