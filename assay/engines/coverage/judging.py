"""Rules an assessor's single act must satisfy before it is written to the decision record.

Pure functions: the Django side reads the rows (the confirmed evidence of one criterion, the
reason typed for a rejection) and asks here whether the act is allowed and, if not, why. A
refusal is a sentence the assessor reads next to the control they used.
"""

from __future__ import annotations

from collections.abc import Sequence

# Characters that render as nothing: a reason made only of these says nothing to the candidate.
INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
INVISIBLE += "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
INVISIBLE += "\u2069\u3164\ufeff\uffa0"

DECLARATION_POINTS = ("valid", "authentic", "current", "sufficient")


def visible_text(text: str) -> str:
    """``text`` without surrounding white space and without characters that show nothing."""
    return "".join(ch for ch in text if ch not in INVISIBLE).strip()


def met_refusal(unit: str, criterion: str, met: bool, confirmed: Sequence[str]) -> str | None:
    """Why judging ``criterion`` met is refused, or None when it may be recorded.

    "Met" is the assessor's statement that confirmed evidence shows the criterion; with no
    confirmed evidence there is nothing for the judgement (or an IQA sampling it) to rest on.
    "Not yet met" needs no evidence: it is how the assessor says what is still missing.
    """
    if not met or confirmed:
        return None
    return (
        f"criterion {unit} {criterion} cannot be judged met: no evidence is confirmed for it "
        "yet (confirm a mapping first)"
    )


def rejection_refusal(reason: str) -> str | None:
    """Why a rejection is refused: the candidate must be told what is wrong with the evidence."""
    if visible_text(reason):
        return None
    return "say why the evidence does not show this (the candidate sees the reason)"


def assessor_declaration(unit: str, candidate: str, assessor: str) -> str:
    """The declaration an assessor signs with a unit's sign-off (the text that is hashed)."""
    return (
        f"I, {assessor}, declare that I have assessed unit {unit} of {candidate} and that the "
        "evidence on which I have judged each criterion is valid (it shows the criteria), "
        "authentic (it is the candidate's own work), current (it shows what the candidate "
        "can do now) and sufficient (there is enough of it to show consistent competence)."
    )
