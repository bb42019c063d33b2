"""Findings in the decision: an open major refuses until its corrective action is verified, a
minor until its action plan is accepted; observations and opportunities never refuse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.audit import decide
from assay.engines.audit.findings import (
    ACTION_STATES,
    GRADES,
    FindingFacts,
    action_next,
    finding_reasons,
)

from ..strategies import FAST
from .standards import audits, everywhere, small_standard

STANDARD = small_standard()
SITES = ["perth", "sydney"]
SCORES = everywhere(STANDARD, SITES, 7)  # certifiable on its scores


def major(state: str) -> FindingFacts:
    return FindingFacts("F1", "major", "S1.1", "perth", "no complaints log", state)


def minor(state: str) -> FindingFacts:
    return FindingFacts("F2", "minor", "S1.2", "sydney", "queue times not kept", state)


def codes(findings: list[FindingFacts]) -> tuple[bool, list[str]]:
    d = decide(STANDARD, SCORES, SITES, site_names={"perth": "Perth"}, findings=findings)
    return d.certifiable, [r.code for r in d.blocking]


def test_major_refuses_until_verified() -> None:
    for state in ("open", "proposed", "accepted", "rejected"):
        assert codes([major(state)]) == (False, ["major_nonconformity_open"])
    d = decide(STANDARD, SCORES, SITES, site_names={"perth": "Perth"}, findings=[major("accepted")])
    assert d.blocking[0].text == (
        "Major nonconformity F1 (major nonconformity, S1.1 at Perth: no complaints log) is open: "
        "its corrective action is accepted, not verified"
    )
    assert (d.blocking[0].attribute, d.blocking[0].site) == ("S1.1", "perth")
    assert codes([major("verified")]) == (True, [])


def test_minor_needs_an_accepted_plan() -> None:
    for state in ("open", "proposed", "rejected"):
        assert codes([minor(state)]) == (False, ["minor_nonconformity_no_plan"])
    assert codes([minor("accepted")]) == (True, [])
    assert codes([minor("verified")]) == (True, [])


def test_observations_and_opportunities_are_listed_never_refusing() -> None:
    seen = [
        FindingFacts("F3", "observation", "S1.1", "perth", "signage faded"),
        FindingFacts("F4", "opportunity", "S1.2", "sydney", "online booking"),
    ]
    d = decide(STANDARD, SCORES, SITES, findings=seen)
    assert d.certifiable
    assert [r.code for r in d.reasons if r.code.startswith("finding_")] == [
        "finding_observation",
        "finding_opportunity",
    ]
    assert d.reasons[0].code == "ok" and "nonconformities" not in d.reasons[0].text


def test_ok_reason_mentions_nonconformities_in_hand_and_is_unchanged_without_findings() -> None:
    plain = decide(STANDARD, SCORES, SITES)
    assert "nonconformit" not in plain.reasons[0].text
    d = decide(STANDARD, SCORES, SITES, findings=[major("verified"), minor("accepted")])
    assert d.reasons[0].text.endswith(
        "each of the 2 nonconformities has its corrective action in hand"
    )


@pytest.mark.parametrize(
    ("facts", "error"),
    [
        (dict(grade="severe", action=None), "unknown finding grade"),
        (dict(grade="major", action=None), "has a corrective action"),
        (dict(grade="observation", action="open"), "has a corrective action"),
        (dict(grade="minor", action="done"), "unknown action state"),
    ],
)
def test_nonsense_findings_are_refused(facts: dict, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        FindingFacts("F9", attribute="S1.1", site="perth", summary="x", **facts)


def test_action_states_follow_the_cycle() -> None:
    assert action_next("open", "respond") == "proposed"
    assert action_next("proposed", "reject") == "rejected"
    assert action_next("rejected", "respond") == "proposed"
    assert action_next("proposed", "accept") == "accepted"
    assert action_next("accepted", "verify") == "verified"
    with pytest.raises(ValueError, match="open cannot be verified; it may be answered"):
        action_next("open", "verify")
    with pytest.raises(ValueError, match=r"verified cannot be answered$"):
        action_next("verified", "respond")


FINDINGS = st.lists(
    st.builds(
        lambda grade, state, i: FindingFacts(
            f"F{i}",
            grade,
            "S1.1",
            "perth",
            "x",
            state if grade in ("major", "minor") else None,
        ),
        st.sampled_from(sorted(GRADES)),
        st.sampled_from(ACTION_STATES),
        st.integers(1, 99),
    ),
    max_size=6,
)


@FAST
@given(audits(), FINDINGS)
def test_findings_refuse_exactly_as_the_rules_say(audit: tuple, findings: list) -> None:
    standard, sites, scores = audit
    base = decide(standard, scores, sites)
    d = decide(standard, scores, sites, findings=findings)
    ok = all(
        (f.grade != "major" or f.action == "verified")
        and (f.grade != "minor" or f.action in ("accepted", "verified"))
        for f in findings
    )
    assert d.certifiable == (base.certifiable and ok)
    blocking, info = finding_reasons(findings)
    assert len(blocking) + len(info) == len(findings)
    # every finding's reason is in the decision, in order, after the standard's own reasons
    assert [r.code for r in d.blocking][len(base.blocking) :] == [b[0] for b in blocking]
