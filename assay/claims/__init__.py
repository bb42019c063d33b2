"""Certification claims: a centre claims units or the qualification for a candidate; the
awarding body approves, and a certificate is issued (docs/claims.md)."""
