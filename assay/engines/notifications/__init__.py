"""Who is told about a portfolio event, and why — pure."""

from assay.engines.notifications.audience import Event, Plan, Recipient, audience

__all__ = ["Event", "Plan", "Recipient", "audience"]
