"""Rejected evidence: the portfolio shows the newest few with their reasons and links to the
paged list of the rest; every page reads a fixed number of queries however many stand
rejected, and a confirmed-again mapping drops off the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.portfolios.assessment import mapping_decide
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping
from assay.portfolios.services import evidence_add, mapping_propose
from tests.world import World

pytestmark = pytest.mark.django_db


def reject(world: World, count: int) -> list[CriterionMapping]:
    """``count`` mappings of Dan's evidence rejected by Alice, each with its own reason."""
    dan, alice, reg = world.user("dan"), world.user("alice"), world.dan
    targets = [t for t in unit_targets(unit_spec(reg, "401")) if "." in t]
    rejected: list[CriterionMapping] = []
    while len(rejected) < count:
        item = evidence_add(
            by=dan,
            registration=reg,
            method="reflective_account",
            started_on=dt.date(2013, 1, 7),
            description=f"Account {len(rejected)}",
            context="real_job",
        )
        for target in targets[: count - len(rejected)]:
            mapping = mapping_propose(by=dan, item=item, unit="401", target=target)
            mapping_decide(
                by=alice, mapping=mapping, confirm=False, reason=f"reason-{len(rejected):03d}"
            )
            rejected.append(mapping)
    return rejected


def as_user(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def reasons(body: str) -> list[str]:
    return re.findall(r"reason-\d{3}", body)


def test_portfolio_shows_the_newest_ten_and_links_to_all(world: World) -> None:
    reject(world, 12)
    body = as_user(world, "dan").get(f"/registrations/{world.dan.pk}/portfolio/").content
    text = body.decode()
    feedback = text[text.index('id="feedback-heading"') : text.index('id="evidence-heading"')]
    assert reasons(feedback) == [f"reason-{n:03d}" for n in range(11, 1, -1)]
    assert f"/registrations/{world.dan.pk}/portfolio/rejections" in feedback


def test_no_link_when_all_fit(world: World) -> None:
    reject(world, 3)
    text = as_user(world, "dan").get(f"/registrations/{world.dan.pk}/portfolio/").content.decode()
    assert "portfolio/rejections" not in text
    assert len(set(reasons(text))) == 3


def test_the_list_pages_through_every_rejection_once(world: World) -> None:
    reject(world, 7)
    client = as_user(world, "dan")
    url = f"/registrations/{world.dan.pk}/portfolio/rejections?size=3"
    seen: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        seen += reasons(text)
        found = re.search(r'href="(\?[^"]+)" rel="next"', text)
        base = f"/registrations/{world.dan.pk}/portfolio/rejections"
        url = base + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [f"reason-{n:03d}" for n in range(6, -1, -1)]


def test_a_mapping_confirmed_again_leaves_the_list(world: World) -> None:
    first, _second = reject(world, 2)
    mapping_decide(by=world.user("alice"), mapping=first, confirm=True)
    text = as_user(world, "dan").get(f"/registrations/{world.dan.pk}/portfolio/rejections")
    assert reasons(text.content.decode()) == ["reason-001"]


def test_queries_do_not_grow_with_the_rejections(world: World) -> None:
    client = as_user(world, "dan")
    urls = [
        f"/registrations/{world.dan.pk}/portfolio/",
        f"/registrations/{world.dan.pk}/portfolio/rejections",
        f"/registrations/{world.dan.pk}/units/401/",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    reject(world, 3)
    few = counts()
    reject(world, 27)
    assert counts() == few


def test_a_bad_page_link_is_refused_plainly(world: World) -> None:
    reject(world, 2)
    response = as_user(world, "dan").get(
        f"/registrations/{world.dan.pk}/portfolio/rejections?cursor=forged"
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "this page link is not valid any more" in text
    assert len(reasons(text)) == 2  # the first page, shown beside the error


@pytest.mark.parametrize("name", ["dora", "arthur", "sue", "edna"])
def test_others_do_not_see_the_rejections(world: World, name: str) -> None:
    reject(world, 2)
    response = as_user(world, name).get(f"/registrations/{world.dan.pk}/portfolio/rejections")
    assert response.status_code == 404
    assert not reasons(response.content.decode())


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(f"/registrations/{world.dan.pk}/portfolio/rejections")
    assert response.status_code == 302 and "login" in response["Location"]
