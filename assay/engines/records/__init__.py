"""Tamper-evident, append-only decision records: each record carries the hash of the one before."""

from assay.engines.records.chain import (
    GENESIS,
    InvalidRecord,
    Record,
    Verification,
    append,
    canonical,
    record_hash,
    verify,
)

__all__ = [
    "GENESIS",
    "InvalidRecord",
    "Record",
    "Verification",
    "append",
    "canonical",
    "record_hash",
    "verify",
]
