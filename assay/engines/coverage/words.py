"""The sentences the coverage engine shows candidates and assessors.

Kept apart from the arithmetic so that wording changes never touch the rules. In lists,
"and" joins what is all needed or all covered, commas list the options still open.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..combination.explain import join
from ..dates import ddmmyyyy
from .model import Context, RangeRequirement, Span, UnitRequirements

# What every page, export and API read says of a unit the catalogue has no outcomes or
# criteria for (ADR 0010): it cannot be assessed here, only credited or imported.
NO_CONTENT = (
    "content not in this catalogue: achieved by credit transfer or once its specification "
    "is imported"
)

CONTEXT_WORDS = {
    Context.REAL_JOB: "a real job",
    Context.REALISTIC_ENVIRONMENT: "a realistic working environment",
    Context.SIMULATION: "a simulation",
}


def letters(items: Sequence[str]) -> str:
    """'a–e' for consecutive letters, else 'a, c, f'."""
    codes = [ord(item) for item in items if len(item) == 1]
    consecutive = len(codes) == len(items) > 2 and codes == list(range(codes[0], codes[-1] + 1))
    return f"{items[0]}–{items[-1]}" if consecutive else ", ".join(items)


def range_explanation(req: RangeRequirement, covered: Sequence[str]) -> str:
    """'covers a and c of a–e; needs 1 more of b, d, e' or 'all of a, b: needs b'."""
    left = [item for item in req.items if item not in covered]
    if req.select is None:
        head = f"all of {', '.join(req.items)}"
        return f"{head}: covered" if not left else f"{head}: needs {join(left)}"
    short = req.select - len(covered)
    where = letters(req.items)
    if short <= 0:
        return f"covers {join(list(covered))} of {where}; {req.select} needed, done"
    if not covered:
        return f"covers none of {where}; needs {short} of {', '.join(left)}"
    return f"covers {join(list(covered))} of {where}; needs {short} more of {', '.join(left)}"


def some(examples: Sequence[str], count: int) -> str:
    """'3, 5 and 7', or '3, 5, 7, 9, 11 and 20 more' when ``count`` exceeds the examples."""
    if count > len(examples):
        return f"{', '.join(examples)} and {count - len(examples)} more"
    return join(list(examples))


def criterion_missing(
    judged: bool | None, evidenced: int, proposed: Sequence[str], proposed_count: int
) -> str | None:
    """What a criterion still needs, the next step first; None when done. ``evidenced`` and
    ``proposed_count`` are counts of items; ``proposed`` names the earliest few."""
    if judged is False:
        return "judged not yet met"
    if evidenced:
        return None if judged else "awaiting the assessor's judgement"
    pending = (
        f"{some(proposed, proposed_count)} proposed, awaiting confirmation" if proposed else ""
    )
    if judged:  # a judgement whose evidence was since rejected has nothing to stand on
        return "judged met, but no confirmed evidence supports it" + (
            f" ({pending})" if pending else ""
        )
    return f"evidence {pending}" if pending else "no evidence yet"


def context_problem(
    req: UnitRequirements, evidence_id: str, context: Context, targets: Sequence[str]
) -> str:
    """Why evidence relied on for ``targets`` cannot support the unit."""
    accepted = [CONTEXT_WORDS[c] for c in Context if c in req.allowed_contexts]
    if req.simulation_exception and Context.SIMULATION not in req.allowed_contexts:
        accepts = f"{join(accepted)} only, and a simulation only as its stated exception"
    else:
        accepts = f"{join(accepted)} only"
    unflagged = (
        ", not marked as the unit's exception"
        if context is Context.SIMULATION and req.simulation_exception
        else ""
    )
    return (
        f"evidence {evidence_id} is from {CONTEXT_WORDS[context]}{unflagged}; unit {req.number} "
        f"accepts {accepts} (relied on for {join(list(targets))})"
    )


def more_context_problems(req: UnitRequirements, more: int) -> str:
    """The count of further evidence relied on from contexts the unit does not accept."""
    if more == 1:
        return (
            f"1 more evidence item relied on for unit {req.number} is from a context it "
            "does not accept"
        )
    return (
        f"{more} more evidence items relied on for unit {req.number} are from contexts it "
        "does not accept"
    )


def span_problem(span: Span | None, sufficient_days: int | None) -> str | None:
    """Why the evidence period does not yet allow sign-off; None when it does."""
    if span is None:
        return "no confirmed evidence yet, so no period to judge"
    period = f"{span.days} days, {ddmmyyyy(span.start)} to {ddmmyyyy(span.end)}"
    if sufficient_days is None:
        return f"the assessor has not yet recorded the evidence period as sufficient ({period})"
    if span.days < sufficient_days:
        return f"evidence spans {period}; the assessor requires {sufficient_days} days"
    return None
