"""Errors that domain services raise; front doors turn them into one response shape."""

from __future__ import annotations

from collections.abc import Sequence


class RegistrationRefused(Exception):
    """The entry rules refused the registration; nothing was saved. ``reasons`` lists them all."""

    def __init__(self, reasons: Sequence[tuple[str, str]]) -> None:
        self.reasons = list(reasons)
        super().__init__(" ".join(message for _, message in self.reasons))


class NotFound(LookupError):
    """An object that does not exist or that the user may not see: both answer the same."""


class NotAllowed(Exception):
    """The user may see the object but their role does not allow this action."""


class InvalidInput(ValueError):
    """Bad input: ``errors`` maps a field name to its message; nothing was changed."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class StorageUnavailable(Exception):
    """The evidence store (an object store's endpoint, credentials or bucket) did not answer;
    nothing was stored or read. The message may name hosts: log it, show a plain sentence."""


# What a person is told when the evidence store is down (the reason goes to the log only).
STORAGE_DOWN = (
    "The evidence store cannot be reached just now, so the file cannot be opened. Nothing was "
    "changed; try again in a few minutes."
)
