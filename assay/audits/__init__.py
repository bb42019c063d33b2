"""Organisational certification audits against a customer service standard (ICSS)."""
