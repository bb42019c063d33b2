"""Certification claims: may a centre claim a unit certificate or the full qualification for a
candidate (``decide.py``), and the certificate number with its check character
(``number.py``) — pure."""

from .decide import (
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    Code,
    Reason,
    UnitFact,
    claim_decision,
)
from .number import certificate_number, check_character, number_problem, valid_number

__all__ = [
    "ClaimDecision",
    "ClaimFacts",
    "ClaimKind",
    "Code",
    "Reason",
    "UnitFact",
    "certificate_number",
    "check_character",
    "claim_decision",
    "number_problem",
    "valid_number",
]
