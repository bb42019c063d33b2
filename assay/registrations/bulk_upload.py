"""Bulk registration from the browser: one call reads the uploaded file, checks every row and,
when asked and nothing is wrong, imports them all (``bulk.bulk_import``: all or nothing).

The page shows every row with its errors, so the centre fixes the whole file at once; the file
itself is handed back base64-encoded for the "import these rows" step, so nothing is kept on the
server between the check and the import (the import checks every row again, once:
``bulk.bulk_check_and_import``).

A file of more than ``ASSAY_IMPORT_BACKGROUND_ROWS`` rows is checked here all the same, but
registered by ``assay worker`` (``tasks.bulk_import_job``): that file is then kept under its
content address for the worker, which checks every row again as it registers them.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass, field

from django.conf import settings

from assay.centres.models import Centre
from assay.errors import InvalidInput
from assay.jobs.models import Job
from assay.registrations import bulk
from assay.registrations.tasks import bulk_import_job
from assay.users import User

# The browser's upload limit for a candidate list (a few thousand rows is well under this).
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BulkRow:
    number: int
    name: str
    qualification: str
    errors: list[str]


@dataclass(slots=True)
class BulkOutcome:
    """Every row with its errors, the file for the import step, and what was registered."""

    name: str
    rows: list[BulkRow] = field(default_factory=list)
    content_b64: str = ""
    imported: list[int] = field(default_factory=list)  # the new registrations' ids
    job: Job | None = None  # a large file's import, queued for the worker

    @property
    def bad(self) -> list[BulkRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad


def decode_upload(content_b64: str) -> bytes:
    """The file a check handed back; bad base64 is a file error, not a crash."""
    try:
        return base64.b64decode(content_b64.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise InvalidInput({"file": "upload the file again"}) from exc


def bulk_upload(
    *, by: User, centre: Centre, content: bytes, name: str, commit: bool
) -> BulkOutcome:
    """Check every row of the file; with ``commit`` and no errors, register them all."""
    if len(content) > MAX_BYTES:
        raise InvalidInput({"file": f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB"})
    rows = bulk.read_rows(io.BytesIO(content), name=name)
    if not rows:
        raise InvalidInput({"file": "there are no candidates in the file"})
    # A large file is checked here (every row's errors on the page at once) and registered by
    # the worker, so the request does not wait for thousands of inserts.
    later = commit and len(rows) > int(settings.ASSAY_IMPORT_BACKGROUND_ROWS)
    checked, imported = bulk.bulk_check_and_import(
        by=by, centre=centre, rows=rows, commit=commit and not later
    )
    job = None
    if later and checked and not any(r.errors for r in checked):
        job = bulk_import_job(by=by, centre=centre, content=content, name=name)
    results = {r.row_number: r.errors for r in checked}
    outcome = BulkOutcome(
        name=name,
        rows=[
            BulkRow(
                row.number,
                f"{row.values.get('first_name', '')} {row.values.get('last_name', '')}".strip(),
                row.values.get("qualification", ""),
                results.get(row.number, []),
            )
            for row in rows
        ],
        content_b64=base64.b64encode(content).decode("ascii"),
        imported=imported,
        job=job,
    )
    return outcome
