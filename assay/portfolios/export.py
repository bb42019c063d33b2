"""Portfolio export: one ZIP with an ``index.html`` (candidate, qualification, units with
coverage, the criterion-by-evidence matrix of each unit, the decision record) and every
evidence file under ``files/<sha256 prefix>_<name>``, for a candidate who leaves or for an
external verifier.

Files are copied into the archive chunk by chunk straight from storage, one at a time, so no
whole file is ever held in memory. Anyone who may see the portfolio may export it. The index
is the template ``portfolios/export_index.html``, so every name and text in it is autoescaped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.template.loader import render_to_string

from assay.engines.coverage import UnitCoverage, UnitProgress
from assay.files.storage import CHUNK, open_evidence, sanitise_name
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import Decision, EvidenceFile, EvidenceItem
from assay.portfolios.selectors import (
    decisions_of,
    evidence_of,
    portfolio_summary,
)
from assay.registrations.models import Registration
from assay.registrations.selectors import registration_get
from assay.users import AnyUser

PREFIX = 12  # hex digits of the SHA-256 in each archived file name


def archive_name(row: EvidenceFile) -> str:
    """``files/<first 12 hex of sha256>_<sanitised original name>``."""
    return f"files/{row.sha256[:PREFIX]}_{sanitise_name(row.original_name)}"


def portfolio_export_zip(
    user: AnyUser,
    registration_pk: int,
    out: BinaryIO,
    step: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Write the registration's portfolio to ``out`` as a ZIP; return the archived names.
    ``step`` is told (files written, files in all) after the index and each file."""
    registration = registration_get(user, registration_pk)
    coverage, progress = portfolio_summary(user, registration_pk)
    items = list(evidence_of(user, registration_pk).order_by("started_on", "pk"))
    decisions = list(decisions_of(user, registration_pk))
    files: dict[str, EvidenceFile] = {}
    for item in items:
        for row in item.files.all():
            files.setdefault(archive_name(row), row)
    names = ["index.html"]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        html = _index(registration, coverage, progress.units, items, files, decisions)
        archive.writestr("index.html", html)
        total = len(files) + 1
        if step is not None:
            step(1, total)
        for name, row in files.items():
            with open_evidence(row.storage_name) as src, archive.open(name, "w") as dest:
                for chunk in src.chunks(CHUNK):
                    dest.write(chunk)
            names.append(name)
            if step is not None:
                step(len(names), total)
    return names


@dataclass(frozen=True)
class _EvidenceRow:
    item: EvidenceItem
    files: list[tuple[str, EvidenceFile]]  # (archived name, row)


@dataclass(frozen=True)
class _UnitSection:
    number: str
    title: str
    state: str
    percent: int
    reasons: tuple[str, ...]
    columns: list[int]  # evidence items mapped to the unit, as matrix columns
    rows: list[tuple[str, list[str]]]  # (criterion or range item, mapping status per column)


def _index(
    registration: Registration,
    coverage: dict[str, UnitCoverage],
    units: Iterable[UnitProgress],
    items: list[EvidenceItem],
    files: dict[str, EvidenceFile],
    decisions: Iterable[Decision],
) -> str:
    """Render ``index.html``; the template autoescapes every text a user or spec supplied."""
    states = {u.unit: u.state.value for u in units}
    by_item: dict[int, list[tuple[str, EvidenceFile]]] = {}
    for name, row in files.items():
        by_item.setdefault(row.item_id, []).append((name, row))
    sections = []
    for number, cov in coverage.items():
        spec = unit_spec(registration, number)
        marks: dict[tuple[str, int], str] = {}
        for item in items:
            for m in item.mappings.all():
                if m.unit_number == number:
                    marks[(m.target, item.pk)] = m.status
        used = [i.pk for i in items if any(k[1] == i.pk for k in marks)]
        sections.append(
            _UnitSection(
                number=number,
                title=str(spec.get("title", "")),
                state=str(states.get(number, "")),
                percent=round(cov.progress * 100),
                reasons=tuple(cov.reasons),
                columns=used,
                rows=[(t, [marks.get((t, pk), "") for pk in used]) for t in unit_targets(spec)],
            )
        )
    return render_to_string(
        "portfolios/export_index.html",
        {
            "registration": registration,
            "candidate": registration.candidate,
            "qualification": registration.qualification,
            "evidence": [_EvidenceRow(item, by_item.get(item.pk, [])) for item in items],
            "units": sections,
            "decisions": decisions,
        },
    )
