"""Where each role lands after signing in, and which navigation links it can use.

Plain Python: the web side passes the role names a person holds and gets back the kinds of
home in a fixed order (the first is where a one-role person lands) and the nav link keys.
"""

from __future__ import annotations

from enum import StrEnum


class HomeKind(StrEnum):
    CENTRE = "centre"  # the centre dashboard
    CASELOAD = "caseload"
    PORTFOLIO = "portfolio"
    SIGNATURES = "signatures"  # what waits for an employer's signature
    AUDITS = "audits"
    CENTRES = "centres"  # the awarding body: every centre
    CLAIMS = "claims"  # the awarding body's officers: the claims to decide


# A centre role → its home. Tutors, IQAs and EVs work from the centre's dashboard.
ROLE_HOME: dict[str, HomeKind] = {
    "centre_admin": HomeKind.CENTRE,
    "tutor": HomeKind.CENTRE,
    "assessor": HomeKind.CASELOAD,
    "internal_verifier": HomeKind.CENTRE,
    "lead_iqa": HomeKind.CENTRE,
    "external_verifier": HomeKind.CENTRE,
    "employer_contact": HomeKind.SIGNATURES,
    "candidate": HomeKind.PORTFOLIO,
}

STAFF = frozenset(
    {"centre_admin", "tutor", "assessor", "internal_verifier", "lead_iqa", "external_verifier"}
)


def nav_links(
    centre_roles: frozenset[str],
    *,
    superuser: bool,
    audit_roles: bool,
    awarding_body: bool = False,
) -> frozenset[str]:
    """The nav link keys a person can use: ``centres``, ``caseload``, ``iqa``, ``signatures``,
    ``portfolio``, ``audits``, ``claims`` (the awarding body's officers; the public catalogue
    links show for everyone)."""
    links: set[str] = set()
    if superuser or centre_roles & STAFF:
        links.add("centres")
    if superuser or "assessor" in centre_roles or "internal_verifier" in centre_roles:
        links.add("caseload")
    if superuser or centre_roles & {"internal_verifier", "lead_iqa"}:
        links.add("iqa")
    if "employer_contact" in centre_roles:
        links.add("signatures")
    if "candidate" in centre_roles:
        links.add("portfolio")
    if audit_roles:
        links.add("audits")
    if awarding_body:
        links.add("claims")
    return frozenset(links)
