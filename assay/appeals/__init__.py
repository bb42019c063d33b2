"""Candidates' appeals against assessment decisions, and complaints about a centre."""
