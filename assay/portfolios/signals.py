"""Signals other apps listen to without the portfolios importing them (the house points one
way): ``unit_signed_off`` is sent inside the sign-off's transaction, so a receiver's writes
(a notification) commit or roll back with it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``assessment.unit_sign_off`` with ``registration``, ``unit`` and ``by``.
unit_signed_off = Signal()
