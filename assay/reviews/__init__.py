"""Assessment plans and progress reviews agreed by candidate, assessor and employer."""
