"""Portfolio export: one ZIP with an ``index.html`` (candidate, qualification, units with
coverage, the criterion-by-evidence matrix of each unit, the decision record) and every
evidence file under ``files/<sha256 prefix>_<name>``, for a candidate who leaves or for an
external verifier.

Files are copied into the archive chunk by chunk straight from storage, one at a time, so no
whole file is ever held in memory. Anyone who may see the portfolio may export it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from typing import BinaryIO

from django.utils.html import escape

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


def portfolio_export_zip(user: AnyUser, registration_pk: int, out: BinaryIO) -> list[str]:
    """Write the registration's portfolio to ``out`` as a ZIP; return the archived names."""
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
        for name, row in files.items():
            with open_evidence(row.storage_name) as src, archive.open(name, "w") as dest:
                for chunk in src.chunks(CHUNK):
                    dest.write(chunk)
            names.append(name)
    return names


def _rows(cells: Iterable[str]) -> str:
    return "".join(f"<td>{c}</td>" for c in cells)


def _index(
    registration: Registration,
    coverage: dict[str, UnitCoverage],
    units: Iterable[UnitProgress],
    items: list[EvidenceItem],
    files: dict[str, EvidenceFile],
    decisions: Iterable[Decision],
) -> str:
    candidate = registration.candidate
    qual = registration.qualification
    states = {u.unit: u.state.value for u in units}
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Portfolio of {escape(candidate.first_name)} {escape(candidate.last_name)}</title>",
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}"
        "</style></head><body>",
        f"<h1>Portfolio of {escape(candidate.first_name)} {escape(candidate.last_name)}</h1>",
        f"<p>Qualification: {escape(qual.code)} {escape(qual.title)}<br>"
        f"Registration {registration.pk}, centre {escape(registration.centre.name)}</p>",
        "<h2>Evidence</h2><table><tr><th>Item</th><th>Method</th><th>Dates</th><th>Context</th>"
        "<th>Description</th><th>Files</th></tr>",
    ]
    by_item: dict[int, list[str]] = {}
    for name, row in files.items():
        by_item.setdefault(row.item_id, []).append(
            f"<a href='{escape(name)}'>{escape(row.original_name)}</a> "
            f"<small>sha256 {escape(row.sha256)}</small>"
        )
    for item in items:
        parts.append(
            "<tr>"
            + _rows(
                [
                    f"E{item.pk}",
                    escape(item.get_method_display()),
                    f"{item.started_on} – {item.ended_on}",
                    escape(item.get_context_display()),
                    escape(item.description),
                    "<br>".join(by_item.get(item.pk, [])),
                ]
            )
            + "</tr>"
        )
    parts.append("</table>")
    for number, cov in coverage.items():
        spec = unit_spec(registration, number)
        state = states.get(number, "")
        parts.append(
            f"<h2>Unit {escape(number)}: {escape(str(spec.get('title', '')))}</h2>"
            f"<p>State: {escape(str(state))}; progress {round(cov.progress * 100)}%</p>"
        )
        if cov.reasons:
            parts.append("<ul>" + "".join(f"<li>{escape(r)}</li>" for r in cov.reasons) + "</ul>")
        marks: dict[tuple[str, int], str] = {}
        for item in items:
            for m in item.mappings.all():
                if m.unit_number == number:
                    marks[(m.target, item.pk)] = m.status
        used = [i for i in items if any(k[1] == i.pk for k in marks)]
        parts.append(
            "<table><tr><th>Criterion / range item</th>"
            + "".join(f"<th>E{i.pk}</th>" for i in used)
            + "</tr>"
        )
        for target in unit_targets(spec):
            cells = [escape(marks.get((target, i.pk), "")) for i in used]
            parts.append(f"<tr><th>{escape(target)}</th>{_rows(cells)}</tr>")
        parts.append("</table>")
    parts.append(
        "<h2>Decisions</h2><table><tr><th>#</th><th>When</th><th>Who</th><th>What</th>"
        "<th>Unit</th><th>Details</th><th>Hash</th></tr>"
    )
    for d in decisions:
        parts.append(
            "<tr>"
            + _rows(
                [
                    str(d.seq),
                    escape(d.at),
                    escape(d.actor_name),
                    escape(d.kind),
                    escape(d.unit_number),
                    escape(str(d.payload)),
                    f"<small>{escape(d.hash)}</small>",
                ]
            )
            + "</tr>"
        )
    parts.append("</table></body></html>")
    return "\n".join(parts)
