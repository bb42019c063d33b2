"""Signals the registrations layer (and the layers above it) send to read models above them.

``progress_inputs_changed`` is sent with ``registration_ids`` by every write that changes what a
registration's progress figures are computed from (its plan, evidence, mappings, judgements,
sign-offs, credits, activity targets, status or dates) *without* a model signal: bulk_create
and queryset.update. ``assay.progress`` receives it and marks those registrations' materialised
rows for recomputation in the same transaction (ADR 0014). It is defined down here because the
senders may not import ``assay.progress``, which sits above them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

progress_inputs_changed = Signal()


def progress_changed(registration_ids: Iterable[int]) -> None:
    """Tell the read models that these registrations' progress inputs changed."""
    ids = list(registration_ids)
    if ids:
        progress_inputs_changed.send(sender=None, registration_ids=ids)


__all__ = ["progress_changed", "progress_inputs_changed"]
