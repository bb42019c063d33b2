"""Tamper-evident records beyond the portfolio: a generic hash chain per subject (audit acts,
registration administration) and the anchors (head log, checkpoints) that cover every chain."""
