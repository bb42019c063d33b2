"""Our credentials: built from certificate facts, signed, verified; altered, revoked, expired
and foreign credentials fail with the reason."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assay.engines.credentials import (
    CertificateFacts,
    CredentialKind,
    CredentialSpec,
    Outcome,
    StatusAnswer,
    StatusRef,
    TooComplex,
    UndefinedTerm,
    UnknownContext,
    build_credential,
    build_status_list_credential,
    canonicalize,
    issue_credential,
    plan,
    status_from_list_credential,
    verify,
)

from .factory import ISSUER, KEY, OTHER_KEY, SIGNED_AT, TRUSTED, UNIT_401, facts

LIST_URL = "https://assay.test/credentials/status/1"
QUAL = CredentialSpec(CredentialKind.QUALIFICATION)
UNIT = CredentialSpec(CredentialKind.UNIT, "4430-401")


def _issue(spec: CredentialSpec = QUAL, index: int = 5, **changes: object) -> dict:
    return issue_credential(
        facts(**changes), ISSUER, spec, StatusRef(LIST_URL, index), KEY, created=SIGNED_AT
    )


def _not_revoked(url: str, index: int) -> StatusAnswer | None:
    return StatusAnswer(revoked=False) if url == LIST_URL else None


def _check(credential: object, today: date = date(2013, 3, 2), lookup=_not_revoked):
    return verify(credential, trusted_keys=TRUSTED, status_lookup=lookup, today=today)


def test_plan_full_certificate_has_the_qualification_and_each_unit() -> None:
    assert plan(facts()) == (QUAL, UNIT, CredentialSpec(CredentialKind.UNIT, "4430-402"))
    assert plan(facts(kind=CredentialKind.UNIT)) == (
        UNIT,
        CredentialSpec(CredentialKind.UNIT, "4430-402"),
    )


def test_qualification_credential_carries_the_certificate_facts() -> None:
    credential = _issue()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == "https://assay.test/verify/AS0000017K#qualification"
    assert credential["validFrom"] == "2013-03-01T00:00:00Z"
    assert "validUntil" not in credential
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Level 4 NVQ Diploma in Customer Service"
    assert achievement["humanCode"] == "4430-04"
    assert achievement["otherIdentifier"][0]["identifier"] == "500/8817/8"
    assert achievement["creditsAvailable"] == 20
    assert "4430-401 Demonstrate understanding" in achievement["criteria"]["narrative"]
    targets = [a["targetUrl"] for a in achievement["alignment"]]
    assert targets[1] == UNIT_401.case.uri  # type: ignore[union-attr]
    assert all(t.startswith("urn:assay:case:") for t in targets)
    names = [i["identityHash"] for i in credential["credentialSubject"]["identifier"]]
    assert names == ["Zoë Ærøskøbing-Ñúñez", "registration-17"]
    assert credential["credentialStatus"]["statusListIndex"] == "5"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["created"] == "2013-03-01T10:30:00Z"


def test_unit_credential_aligns_to_the_unit_and_its_criteria() -> None:
    credential = _issue(UNIT)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Competency"
    assert [a["targetCode"] for a in achievement["alignment"]] == ["4430-401", "401 1.1"]
    assert credential["credentialSubject"]["creditsEarned"] == 10
    assert credential["id"].endswith("#unit-4430-401")


def test_unit_certificate_has_no_qualification_credential() -> None:
    with pytest.raises(ValueError, match="no qualification credential"):
        build_credential(facts(kind=CredentialKind.UNIT), ISSUER, QUAL, StatusRef(LIST_URL, 1))
    with pytest.raises(ValueError, match="not on certificate"):
        build_credential(
            facts(), ISSUER, CredentialSpec(CredentialKind.UNIT, "9"), StatusRef(LIST_URL)
        )


def test_signing_with_a_key_that_is_not_the_issuers_is_refused() -> None:
    with pytest.raises(ValueError, match="not the issuer's"):
        issue_credential(facts(), ISSUER, QUAL, StatusRef(LIST_URL), OTHER_KEY, created=SIGNED_AT)


def test_every_credential_of_a_certificate_canonicalises_with_the_bundled_contexts() -> None:
    for spec in plan(facts()):
        quads = canonicalize(build_credential(facts(), ISSUER, spec, StatusRef(LIST_URL, 2)))
        assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment" in quads


def test_sign_and_verify_roundtrip_says_what_was_checked() -> None:
    result = _check(_issue())
    assert result.ok and result.outcome is Outcome.VALID
    assert [c.name for c in result.checks] == [
        "credential type",
        "issuer key",
        "proof",
        "status",
        "validity",
    ]
    assert all(c.passed for c in result.checks)
    # and through JSON text, as a holder would hand it over
    assert _check(json.loads(json.dumps(_issue(UNIT)))).ok


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("500/8817/8", "500/8817/9"),
        ("Zoë", "Zoe"),
        ('"creditsEarned": 20', '"creditsEarned": 21'),
        ("2013-03-01T00:00:00Z", "2013-03-02T00:00:00Z"),
    ],
)
def test_one_byte_changed_fails_with_the_reason(old: str, new: str) -> None:
    text = json.dumps(_issue(), ensure_ascii=False)
    assert text.count(old) >= 1
    result = _check(json.loads(text.replace(old, new, 1)))
    assert not result.ok
    assert result.outcome is Outcome.ALTERED
    proof = next(c for c in result.checks if c.name == "proof")
    assert proof.passed is False and "altered" in proof.detail


def test_changed_proof_value_fails() -> None:
    credential = _issue()
    value = credential["proof"]["proofValue"]
    credential["proof"]["proofValue"] = value[:-1] + ("A" if value[-1] != "A" else "B")
    assert _check(credential).outcome is Outcome.ALTERED


def test_added_property_no_context_defines_is_refused_not_ignored() -> None:
    credential = _issue()
    credential["grade"] = "distinction"
    result = _check(credential)
    assert result.outcome is Outcome.ALTERED
    assert "'grade'" in next(c for c in result.checks if c.name == "proof").detail
    with pytest.raises(UndefinedTerm):
        canonicalize({**build_credential(facts(), ISSUER, QUAL, StatusRef(LIST_URL)), "x": 1})


def test_unknown_context_is_refused_and_never_fetched() -> None:
    document = {"@context": ["https://example.org/evil-context.json"], "name": "x"}
    with pytest.raises(UnknownContext, match="evil-context"):
        canonicalize(document)
    credential = _issue()
    credential["@context"] = [*credential["@context"], "https://example.org/extra.json"]
    result = _check(credential)
    assert result.outcome is Outcome.ALTERED
    assert "unknown JSON-LD context" in result.checks[-1].detail


def test_revoked_credential_fails_with_the_reason() -> None:
    def revoked(url: str, index: int) -> StatusAnswer:
        return StatusAnswer(revoked=index == 5, reason="issued in error")

    result = _check(_issue(), lookup=revoked)
    assert not result.ok and result.outcome is Outcome.REVOKED
    assert "issued in error" in result.summary
    assert _check(_issue(index=6), lookup=revoked).ok


def test_expired_and_not_yet_valid() -> None:
    credential = _issue(valid_until=date(2014, 7, 31))
    assert credential["validUntil"] == "2014-07-31T23:59:59Z"
    assert _check(credential, today=date(2014, 7, 31)).ok
    expired = _check(credential, today=date(2014, 8, 1))
    assert expired.outcome is Outcome.EXPIRED and "31/07/2014" in expired.checks[-1].detail
    assert _check(credential, today=date(2013, 2, 28)).outcome is Outcome.NOT_YET_VALID


def test_unknown_issuer_key_and_foreign_issuer() -> None:
    credential = _issue()
    result = verify(credential, trusted_keys={}, status_lookup=None, today=date(2013, 3, 2))
    assert result.outcome is Outcome.UNKNOWN
    other = {ISSUER.id: {OTHER_KEY.public_multibase}}
    assert (
        verify(credential, trusted_keys=other, status_lookup=None, today=date(2013, 3, 2)).outcome
        is Outcome.UNKNOWN
    )


def test_status_not_available_is_said_plainly() -> None:
    result = _check(_issue(), lookup=lambda url, index: None)
    assert result.ok
    status = next(c for c in result.checks if c.name == "status")
    assert status.passed is None and "not checked" in status.detail
    assert "not checked: status" in result.summary


@pytest.mark.parametrize("value", [[], "x", 3, None, {"@context": "x"}, {}])
def test_not_a_credential(value: object) -> None:
    result = _check(value)
    assert not result.ok and result.outcome is Outcome.MALFORMED


def test_status_list_credential_file_lookup() -> None:
    status_list = build_status_list_credential(
        list_url=LIST_URL, issuer=ISSUER, revoked={5}, key=KEY, created=SIGNED_AT
    )
    lookup = status_from_list_credential(status_list, trusted_keys=TRUSTED)
    assert _check(_issue(), lookup=lookup).outcome is Outcome.REVOKED
    assert _check(_issue(index=4), lookup=lookup).ok
    tampered = copy.deepcopy(dict(status_list))
    tampered["credentialSubject"]["encodedList"] = build_status_list_credential(
        list_url=LIST_URL, issuer=ISSUER, revoked=set(), key=KEY, created=SIGNED_AT
    )["credentialSubject"]["encodedList"]
    with pytest.raises(ValueError, match="signature"):
        status_from_list_credential(tampered, trusted_keys=TRUSTED)


def test_facts_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        facts(units=())
    with pytest.raises(ValueError):
        facts(valid_until=date(2013, 2, 1))
    assert isinstance(facts(), CertificateFacts)


_SIGNED_TEXT = json.dumps(_issue(), ensure_ascii=False, indent=1)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(_SIGNED_TEXT) - 1),
    st.characters(min_codepoint=32, max_codepoint=126),
)
def test_any_one_character_change_that_changes_the_content_fails(position: int, char: str) -> None:
    changed = _SIGNED_TEXT[:position] + char + _SIGNED_TEXT[position + 1 :]
    try:
        parsed = json.loads(changed)
    except ValueError:
        return
    assume(parsed != json.loads(_SIGNED_TEXT))
    assert not _check(parsed).ok


def test_a_poison_graph_is_refused_quickly_not_canonicalised_for_ever() -> None:
    """Blank nodes that all look alike make RDFC-1.0 try every permutation of them; anyone may
    paste a credential, so the work is bounded and such a document refused."""
    import time

    nodes = [f"_:n{i}" for i in range(12)]
    poison = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "@graph": [
            {"id": n, "https://example.org/knows": [{"id": m} for m in nodes if m != n]}
            for n in nodes
        ],
    }
    start = time.perf_counter()
    with pytest.raises(TooComplex):
        canonicalize(poison)
    assert time.perf_counter() - start < 5
    credential = _issue()
    credential["credentialSubject"]["https://example.org/knows"] = poison["@graph"]
    result = _check(credential)
    assert result.outcome is Outcome.ALTERED
    assert "look alike" in next(c for c in result.checks if c.name == "proof").detail


def test_a_deeply_nested_document_is_refused() -> None:
    deep: dict = {"name": "x"}
    for _ in range(3000):
        deep = {"https://example.org/in": deep}
    credential = {**_issue(), "https://example.org/deep": deep}
    assert _check(credential).outcome is Outcome.ALTERED
