"""Plan builder: htmx partials and full pages show exactly what plan_check / plan_complete say."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils.html import escape

from assay.catalogue.models import Qualification
from assay.catalogue.planning import plan_check, plan_complete

pytestmark = pytest.mark.django_db

Text = Callable[..., str]
HTMX = {"HX-Request": "true"}
CHECK = "/plans/4430-04/check"
COMPLETE = "/plans/4430-04/complete"


def rule_states(body: str) -> dict[str, bool]:
    """The met/not-met state of every rule shown, from the panel's data attributes."""
    pairs = re.findall(r'data-rule="([^"]+)" data-met="(true|false)"', body)
    return {rule: met == "true" for rule, met in pairs}


def test_plan_index_links_every_qualification(client: Client, catalogue: None) -> None:
    body = client.get("/plans/").content.decode()
    assert 'href="/plans/4430-04/"' in body
    assert 'href="/plans/EDEXCEL-L3-NVQ-CS/"' in body


def test_builder_lists_units_as_labelled_checkboxes_wired_to_htmx(
    client: Client, cg4430: Qualification
) -> None:
    response = client.get("/plans/4430-04/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-post="/plans/4430-04/check"' in body
    assert 'hx-trigger="change, submit"' in body
    assert 'hx-target="#plan-result"' in body
    assert 'hx-post="/plans/4430-04/complete"' in body
    assert 'action="/plans/4430-04/check"' in body  # works without JavaScript
    assert 'formaction="/plans/4430-04/complete"' in body
    for number in ("401", "303", "417"):
        assert f'<input type="checkbox" id="unit-{number}" name="unit" value="{number}">' in body
        assert f'<label for="unit-{number}">' in body
    assert "Level 4 · 10 credits · 65 GLH" in body
    assert "Optional Units - Development and Improvement" in body
    # The empty plan is checked on arrival: every rule is listed, none met.
    assert rule_states(body) == {
        r["rule"]: r["met"] for r in plan_check(cg4430, []).model_dump()["rules"]
    }


def test_htmx_check_returns_only_the_panel_matching_plan_check(
    client: Client, cg4430: Qualification
) -> None:
    units = ["401", "402", "303", "403"]
    response = client.post(CHECK, {"unit": units}, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    decision = plan_check(cg4430, units).model_dump()
    assert rule_states(body) == {r["rule"]: r["met"] for r in decision["rules"]}
    assert escape(decision["summary"]) in body
    for rule in decision["rules"]:
        assert escape(rule["explanation"]) in body
    assert f"{decision['total_credits']} credits counted" in body


def test_progress_bars_take_have_and_need_from_the_rule_results(
    client: Client, cg4430: Qualification
) -> None:
    units = ["401", "402", "303"]
    body = client.post(CHECK, {"unit": units}, headers=HTMX).content.decode()
    rules = {r["rule"]: r for r in plan_check(cg4430, units).model_dump()["rules"]}
    for rule_id in ("minimum-credit", "level-4-credit"):
        have, need = rules[rule_id]["have"], rules[rule_id]["need"]
        assert f'<progress max="{need}" value="{have}"' in body
        assert f'aria-labelledby="rule-{rule_id}-text"' in body


def test_plain_post_check_returns_the_whole_page_with_ticks_kept(
    client: Client, cg4430: Qualification
) -> None:
    units = ["401", "402"]
    response = client.post(CHECK, {"unit": units})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and 'id="plan-form"' in body
    assert 'value="401" checked' in body and 'value="402" checked' in body
    assert 'value="303" checked' not in body
    assert rule_states(body) == {
        r["rule"]: r["met"] for r in plan_check(cg4430, units).model_dump()["rules"]
    }


def test_a_complete_plan_is_shown_as_achieved(client: Client, cg4430: Qualification) -> None:
    have = ["401", "402", "303"]
    added = plan_complete(cg4430, have=have).model_dump()["add"]
    units = have + added
    assert plan_check(cg4430, units).model_dump()["met"]
    body = client.post(CHECK, {"unit": units}, headers=HTMX).content.decode()
    assert 'class="decision" data-met="true"' in body
    assert "Qualification achieved" in body
    assert all(rule_states(body).values())


def test_builder_get_pre_ticks_units_from_the_address(
    client: Client, cg4430: Qualification
) -> None:
    body = client.get("/plans/4430-04/", {"unit": ["401", "310"]}).content.decode()
    assert 'value="401" checked' in body and 'value="310" checked' in body


def test_htmx_complete_shows_the_optimal_units_and_added_glh(
    client: Client, cg4430: Qualification, page_text: Text
) -> None:
    have = ["401", "402", "303"]
    expected = plan_complete(cg4430, have=have).model_dump()
    assert expected["feasible"] and expected["add"]
    response = client.post(COMPLETE, {"unit": have}, headers=HTMX)
    assert response.status_code == 200
    text = page_text(response)
    assert "<html" not in text
    assert re.findall(r'data-unit="([^"]+)"', text) == expected["add"]
    assert f"Adds <strong>{expected['added_glh']}</strong> guided learning hours" in text
    assert rule_states(text) == {r["rule"]: r["met"] for r in expected["decision"]["rules"]}
    apply = "/plans/4430-04/?" + "&".join(f"unit={n}" for n in have + expected["add"])
    assert f'href="{apply}"' in text


def test_complete_honours_excluded_units_and_the_objective(
    client: Client, cg4430: Qualification
) -> None:
    have = ["401", "402"]
    first = plan_complete(cg4430, have=have).model_dump()["add"]
    excluded = first[:1]
    expected = plan_complete(
        cg4430, have=have, exclude=excluded, objective="fewest_units"
    ).model_dump()
    body = client.post(
        COMPLETE, {"unit": have, "exclude": excluded, "objective": "fewest_units"}, headers=HTMX
    ).content.decode()
    shown = re.findall(r'data-unit="([^"]+)"', body)
    assert shown == expected["add"]
    assert excluded[0] not in shown


def test_complete_says_why_when_no_completion_exists(
    client: Client, cg4430: Qualification, page_text: Text
) -> None:
    handling_problems = ["310", "311", "312", "410"]
    expected = plan_complete(cg4430, have=["401"], exclude=handling_problems).model_dump()
    assert not expected["feasible"]
    response = client.post(COMPLETE, {"unit": ["401"], "exclude": handling_problems}, headers=HTMX)
    assert response.status_code == 200
    text = page_text(response)
    assert "This plan cannot be completed" in text
    assert expected["reason"] in text
    assert 'data-feasible="false"' in text


def test_plain_post_complete_returns_the_whole_page(client: Client, cg4430: Qualification) -> None:
    response = client.post(COMPLETE, {"unit": ["401", "402"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and 'id="plan-form"' in body
    assert 'data-feasible="true"' in body


@pytest.mark.parametrize("url", [CHECK, COMPLETE])
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_unknown_unit_is_a_400_that_says_which(
    client: Client, cg4430: Qualification, url: str, headers: dict[str, str]
) -> None:
    response = client.post(url, {"unit": ["401", "999"]}, headers=headers)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Unknown unit &#x27;999&#x27; in 4430-04" in body
    assert "data-rule" not in body and "data-feasible" not in body


def test_unknown_objective_is_a_400(client: Client, cg4430: Qualification) -> None:
    response = client.post(COMPLETE, {"unit": ["401"], "objective": "cheapest"}, headers=HTMX)
    assert response.status_code == 400
    assert "Unknown objective &#x27;cheapest&#x27;" in response.content.decode()


def test_plan_urls_take_the_right_methods(client: Client, cg4430: Qualification) -> None:
    assert client.get(CHECK).status_code == 405
    assert client.get(COMPLETE).status_code == 405
    assert client.post("/plans/4430-04/").status_code == 405
    assert client.post("/plans/nope/check", {"unit": ["401"]}).status_code == 404


def test_a_cap_is_drawn_as_a_limit_from_the_engines_rule(client: Client, catalogue: None) -> None:
    """The rule's kind comes with the engine's decision (AtMost), not from the spec JSON."""
    from assay.catalogue.selectors import qualification_get

    decision = plan_check(qualification_get("EDEXCEL-L3-NVQ-CS"), [])
    kinds = {r.rule: r.meter for r in decision.rules}
    assert kinds["level-2-cap"] == "cap"
    body = client.post("/plans/EDEXCEL-L3-NVQ-CS/check", headers=HTMX).content.decode()
    cap = re.search(r'data-rule="level-2-cap".*?</li>', body, re.S)
    assert cap is not None
    assert "0 counted, at most 3 allowed" in cap.group(0) and "<progress" not in cap.group(0)
