"""Portfolios of evidence: evidence files (storage.py) now; models and services come next."""
