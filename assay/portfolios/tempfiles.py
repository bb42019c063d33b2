"""Sweeping the upload temporary folder (``FILE_UPLOAD_TEMP_DIR``).

Django spools an upload's file parts there (hashed as they are written, then hard-linked to
their content address), and ``storage.store_upload`` its ``.part`` copy of any other stream.
Both are deleted when the request ends, however it ends, except when the process itself dies
(``kill -9``, out of memory, power loss): then the partial files stay.
``upload_temp_sweep`` removes regular files there older than a number of minutes. A file still
being written has a fresh modification time, so a live upload is never swept unless it has
stalled for that long. Only the app's own folder is swept: with no ``FILE_UPLOAD_TEMP_DIR``
(the system's temporary folder, shared with other programs) nothing is removed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What a sweep did; ``directory`` is None when there is no app-owned folder to sweep."""

    directory: str | None
    removed: int
    removed_bytes: int
    kept: int
    max_age_minutes: float


def upload_temp_dir() -> Path | None:
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    return Path(folder) if folder else None


def upload_temp_sweep(max_age_minutes: float | None = None) -> SweepResult:
    """Remove files in the upload temporary folder last modified more than ``max_age_minutes``
    ago (default ``ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES``). Ages are measured with the real clock,
    as the file system stamps them, not ``assay.clock`` (which a demo pins to another date)."""
    age = float(
        settings.ASSAY_UPLOAD_TEMP_MAX_AGE_MINUTES if max_age_minutes is None else max_age_minutes
    )
    if age < 0:
        raise ValueError("the age must not be negative")
    folder = upload_temp_dir()
    if folder is None or not folder.is_dir():
        return SweepResult(None if folder is None else str(folder), 0, 0, 0, age)
    cutoff = time.time() - age * 60
    removed = removed_bytes = kept = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # finished and deleted while we looked
            if not stat.S_ISREG(info.st_mode):
                continue
            if info.st_mtime > cutoff:
                kept += 1
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
                removed_bytes += info.st_size
    return SweepResult(str(folder), removed, removed_bytes, kept, age)
