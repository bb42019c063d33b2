"""Assay: proving customer-service competence."""
