"""Audit reports: one plain ``AuditReport`` rendered as PDF (with the radar chart), XLSX and JSON.

The report is gathered from engine objects and plain strings (``report_data``), so every
renderer is testable without a database; ``build`` fills it from stored data.
"""
