"""A certifying body's sampling rule: a documented, versioned choice (administrators only), used
for samples drawn from then on, stored with each sample, named with its source in the sample
answer and the report, re-drawn by ``sample_verify`` and reconciled by the audit chain."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assay.audits import services as svc
from assay.audits.answers import sample_answer
from assay.audits.models import SamplingPolicy
from assay.audits.records import SAMPLE, Implied, audit_problems
from assay.audits.reports.build import report_for
from assay.audits.reports.report_json import report_json
from assay.audits.selectors import sample_verify
from assay.errors import InvalidInput, NotAllowed
from tests.audits.world import AuditWorld, to_fieldwork

WHOLE = "whole-organisation-sqrt"


def test_default_rule_is_named_as_assays_reading_not_iaf_md_1(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    out = sample_answer(audit.sample)
    assert out.rule.key == "per-state-sqrt" and out.rule.policy_version == 0
    assert "Assay's reading" in out.rule.name and "IAF MD 1" not in out.rule.name
    assert audit.sample.random_percent == 25
    report = report_json(report_for(aw["body_admin"], audit.pk))
    assert report["sample"]["rule"] == "per-state-sqrt"
    assert "IAF MD 1 does not itself say" in report["sample"]["rule_source"]


def test_whole_organisation_rule_is_versioned_and_used_for_the_next_sample(
    aw: AuditWorld,
) -> None:
    admin = aw["body_admin"]
    first = svc.sampling_policy_set(
        by=admin, body=aw.body, rule=WHOLE, random_percent=50, note="Our scheme follows IAF MD 1"
    )
    second = svc.sampling_policy_set(
        by=admin, body=aw.body, rule=WHOLE, random_percent=25, note="25 % at random is enough"
    )
    assert (first.version, second.version) == (1, 2)
    assert list(SamplingPolicy.objects.values_list("random_percent", flat=True)) == [50, 25]
    audit = to_fieldwork(aw)
    draw = audit.sample
    assert (draw.rule, draw.random_percent, draw.policy_version) == (WHOLE, 25, 2)
    picks = list(draw.picks.select_related("office"))
    # Acme: 3 main offices (NSW, VIC, WA) and x = 4 others (3 in NSW, 1 in VIC): ⌈√4⌉ = 2.
    assert sorted(p.office.name for p in picks if p.how == "main") == [
        "Melbourne",
        "Perth",
        "Sydney",
    ]
    assert len(picks) == 3 + 2
    assert sum(1 for p in picks if p.how == "random") == 1  # ⌈2 · 25 / 100⌉
    out = sample_answer(draw)
    assert out.rule.name.endswith("(IAF MD 1)") and out.rule.policy_version == 2
    check = sample_verify(admin, audit.pk)
    assert check.same, check.message
    assert audit_problems(audit.pk) == []
    report = report_json(report_for(admin, audit.pk))
    assert report["sample"]["rule_name"].endswith("(IAF MD 1)")


def test_a_rewritten_rule_does_not_verify(aw: AuditWorld) -> None:
    svc.sampling_policy_set(
        by=aw["body_admin"], body=aw.body, rule=WHOLE, random_percent=25, note="IAF MD 1"
    )
    audit = to_fieldwork(aw)
    audit.sample.__class__.objects.filter(pk=audit.sample.pk).update(rule="per-state-sqrt")
    check = sample_verify(aw["body_admin"], audit.pk)
    assert not check.same
    assert any("rule is 'per-state-sqrt'" in p for p in check.problems)


@pytest.mark.parametrize("role", ["auditor", "decision_maker", "contact", "nobody"])
def test_only_the_bodys_administrators_choose_the_rule(aw: AuditWorld, role: str) -> None:
    with pytest.raises(NotAllowed, match="administrators"):
        svc.sampling_policy_set(
            by=aw[role], body=aw.body, rule=WHOLE, random_percent=25, note="because"
        )
    assert not SamplingPolicy.objects.exists()


@pytest.mark.parametrize(
    ("rule", "percent", "note", "field"),
    [
        ("a-third-of-them", 25, "why", "rule"),
        (WHOLE, 10, "why", "random_percent"),
        (WHOLE, 101, "why", "random_percent"),
        (WHOLE, 25, " \u200b ", "note"),
        (WHOLE, 25, "why\x00", "note"),
    ],
)
def test_nonsense_choices_are_refused(
    aw: AuditWorld, rule: str, percent: int, note: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        svc.sampling_policy_set(
            by=aw["body_admin"], body=aw.body, rule=rule, random_percent=percent, note=note
        )
    assert field in caught.value.errors
    assert not SamplingPolicy.objects.exists()


def test_sample_records_written_before_rules_imply_the_default_rule() -> None:
    implied = Implied()
    legacy = {"id": 1, "seed": 5, "recertification": False}
    implied.add(SimpleNamespace(kind=SAMPLE, payload={"sample": legacy, "picks": []}))  # type: ignore[arg-type]
    row = implied.rows["sample"][1]
    assert (row["rule"], row["rule_version"], row["random_percent"], row["policy_version"]) == (
        "per-state-sqrt",
        1,
        25,
        0,
    )


def test_api_and_cli_choose_and_print_the_rule(aw: AuditWorld) -> None:
    import json

    from click.testing import CliRunner
    from django.test import Client

    from assay.accounts.services import token_create
    from assay.cli.main import main

    token = token_create(user=aw["body_admin"])[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/bodies/{aw.body.pk}/sampling-rule"
    bad = client.post(
        url, json.dumps({"rule": WHOLE, "random_percent": 5, "note": "x"}), "application/json"
    )
    assert bad.status_code == 422 and "random_percent" in json.dumps(bad.json())
    done = client.post(
        url,
        json.dumps({"rule": WHOLE, "random_percent": 40, "note": "IAF MD 1"}),
        "application/json",
    )
    assert done.status_code == 201
    answer = done.json()
    assert answer["current"]["key"] == WHOLE and answer["current"]["policy_version"] == 1
    assert answer["history"][0]["note"] == "IAF MD 1"
    runner = CliRunner()
    result = runner.invoke(main, ["audits", "sampling-rule", "--body", "CSI"])
    assert result.exit_code == 0, result.output
    assert "(IAF MD 1)" in result.output and "40 %" in result.output
    result = runner.invoke(
        main,
        [
            "audits",
            "sampling-rule",
            "--body",
            "CSI",
            "--rule",
            "per-state-sqrt",
            "--note",
            "back",
            "--as",
            "auditor",
        ],
    )
    assert result.exit_code == 2 and "administrators" in result.stderr
    result = runner.invoke(
        main,
        [
            "audits",
            "sampling-rule",
            "--body",
            "CSI",
            "--rule",
            "per-state-sqrt",
            "--note",
            "back",
            "--as",
            "body_admin",
        ],
    )
    assert result.exit_code == 0 and "Assay's reading" in result.output
    assert SamplingPolicy.objects.count() == 2
