"""Portfolio endpoints: coverage, evidence and files, mappings, assessment decisions, and
planning with the portfolio's evidence in mind.

Auth as the other registration endpoints: a token or a signed-in session; a registration (or
its evidence, file or mapping) the caller may not see answers 404 exactly like a missing one;
seeing it without the role to act answers 403. Assessment acts take ``expected_seq`` (the
``last_seq`` the caller saw); when someone else acted since, 422 and nothing changes.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Query, Router, Status, UploadedFile

from assay.api import portfolio_schemas as p
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.catalogue.planning import PlanCompletion, plan_complete
from assay.engines.coverage import UnitCoverage, UnitProgress
from assay.errors import NotFound
from assay.files.digest import text_sha256
from assay.keyset import paginate
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_reopen,
    unit_sign_off,
)
from assay.portfolios.bulk import criteria_judge_met, proposals_confirm_all
from assay.portfolios.export import portfolio_export_zip
from assay.portfolios.models import CriterionMapping, Decision, EvidenceFile, EvidenceItem
from assay.portfolios.selectors import (
    decisions_of,
    evidence_file_open,
    evidence_item_get,
    last_seq,
    mapping_get,
    portfolio_reuse,
    portfolio_summary,
)
from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from assay.portfolios.unit_screen import unit_declaration
from assay.registrations.selectors import registration_get

router = Router(tags=["portfolios"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
PAGED_ERRORS = {400: s.Error, **ERRORS}  # 400: a page cursor that is not valid (any more)


@router.post(
    "registrations/{registration_id}/plan/complete",
    response={200: PlanCompletion, **ERRORS},
)
def complete_plan(
    request: HttpRequest, registration_id: int, body: p.RegistrationPlanCompleteIn
) -> PlanCompletion:
    """The optimal units to add to this registration's qualification. With ``most-reuse``
    (the default) units whose criteria the portfolio already evidences are preferred."""
    user = who(request)
    registration = registration_get(user, registration_id)
    reuse = portfolio_reuse(user, registration_id) if body.objective == "most-reuse" else None
    return plan_complete(
        registration.qualification,
        have=body.have,
        exclude=body.exclude,
        objective=body.objective,
        reuse=reuse,
        allow_without_content=registration.allow_units_without_content
        if body.allow_without_content is None
        else body.allow_without_content,
    )


def _unit(cov: UnitCoverage, progress: UnitProgress | None) -> dict[str, Any]:
    span = cov.span
    return {
        "unit": cov.unit,
        "state": progress.state.value if progress else "not-started",
        "progress": cov.progress,
        "ready_to_sign_off": cov.ready_to_sign_off,
        "assessable": cov.assessable,
        "reasons": list(cov.reasons),
        "criteria": [
            {
                "number": c.number,
                "evidenced_by": list(c.evidenced_by),
                "proposed_by": list(c.proposed_by),
                "evidenced_count": c.evidenced,
                "proposed_count": c.proposed,
                "judged_met": c.judged_met,
                "done": c.done,
                "missing": c.missing,
            }
            for c in cov.criteria
        ],
        "ranges": [
            {
                "requirement": r.requirement,
                "select": r.select,
                "covered": list(r.covered),
                "missing_count": r.missing_count,
                "done": r.done,
                "explanation": r.explanation,
            }
            for r in cov.ranges
        ],
        "context_problems": list(cov.context_problems),
        "span": (
            {"start": span.start.isoformat(), "end": span.end.isoformat(), "days": span.days}
            if span
            else None
        ),
        "span_sufficient": cov.span_sufficient,
    }


@router.get(
    "registrations/{registration_id}/portfolio", response={200: p.PortfolioOut, **PAGED_ERRORS}
)
def portfolio(
    request: HttpRequest, registration_id: int, page: Query[s.PageQuery]
) -> dict[str, Any]:
    """Coverage of every planned unit (criteria and range states with counts and the earliest
    evidence ids, what is missing, progress), the qualification over the signed-off units,
    and a page of the portfolio's evidence ids, newest first (``?cursor=``, ``?size=``)."""
    user = who(request)
    coverage, progress = portfolio_summary(user, registration_id)
    states = {u.unit: u for u in progress.units}
    items = EvidenceItem.objects.filter(registration_id=registration_id)
    ids = paginate(items.only("pk", "started_on"), ("-started_on", "-pk"), page.cursor, page.size)
    return {
        "registration_id": registration_id,
        "evidence_count": items.count(),
        "evidence": ids.map(lambda item: item.pk),
        "last_seq": last_seq(user, registration_id),
        "credits_achieved": progress.credits_achieved,
        "signed_off": list(progress.signed_off),
        "credited": list(progress.credited),
        "rules_met": progress.decision.met,
        "summary": progress.decision.summary,
        "units": [_unit(cov, states.get(number)) for number, cov in coverage.items()],
    }


def _evidence(item: EvidenceItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "registration_id": item.registration_id,
        "method": item.method,
        "started_on": item.started_on,
        "ended_on": item.ended_on,
        "place": item.place,
        "description": item.description,
        "context": item.context,
        "simulation_exception": item.simulation_exception,
    }


def _file(row: EvidenceFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "item_id": row.item_id,
        "sha256": row.sha256,
        "size": row.size,
        "media_type": row.media_type,
        "original_name": row.original_name,
    }


def _mapping(row: CriterionMapping) -> dict[str, Any]:
    return {
        "id": row.pk,
        "item_id": row.item_id,
        "unit": row.unit_number,
        "target": row.target,
        "status": row.status,
    }


def _decision(row: Decision) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "kind": row.kind,
        "unit": row.unit_number,
        "payload": row.payload,
        "actor": row.actor_name,
        "at": row.at,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


@router.post("registrations/{registration_id}/evidence", response={201: p.EvidenceOut, **ERRORS})
def add_evidence(request: HttpRequest, registration_id: int, body: p.EvidenceIn) -> Status[Any]:
    """A new evidence item (metadata only; upload its files next). The candidate or one of
    their assessors."""
    user = who(request)
    item = evidence_add(
        by=user, registration=registration_get(user, registration_id), **body.model_dump()
    )
    return Status(201, _evidence(item))


@router.post("evidence/{item_id}/files", response={201: p.FileOut, **ERRORS})
def upload_file(request: HttpRequest, item_id: int, file: File[UploadedFile]) -> Status[Any]:
    """Attach a file (multipart field ``file``): streamed to storage by its SHA-256, type
    checked from the content, size limited."""
    user = who(request)
    row = evidence_file_attach(
        by=user,
        item=evidence_item_get(user, item_id),
        upload=file,
        original_name=file.name or "upload",
        expected_size=file.size,
    )
    return Status(201, _file(row))


@router.get(
    "evidence/files/{file_id}",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file's content, in the media type it was stored with",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_file(request: HttpRequest, file_id: int) -> FileResponse:
    """The file's content, streamed, as an attachment (anyone who may see the portfolio)."""
    row, handle = evidence_file_open(who(request), file_id)
    return FileResponse(
        handle, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )


@router.post("evidence/{item_id}/mappings", response={201: p.MappingOut, **ERRORS})
def propose_mapping(request: HttpRequest, item_id: int, body: p.MappingIn) -> Status[Any]:
    """Propose that the item covers a criterion or range item of a unit."""
    user = who(request)
    row = mapping_propose(
        by=user, item=evidence_item_get(user, item_id), unit=body.unit, target=body.target
    )
    return Status(201, _mapping(row))


@router.post("mappings/{mapping_id}/decision", response={200: p.DecisionOut, **ERRORS})
def decide_mapping(
    request: HttpRequest, mapping_id: int, body: p.MappingDecisionIn
) -> dict[str, Any]:
    """Confirm or reject a proposed mapping (the unit's assessor)."""
    user = who(request)
    row = mapping_decide(
        by=user,
        mapping=mapping_get(user, mapping_id),
        confirm=body.confirm,
        expected_seq=body.expected_seq,
        reason=body.reason,
    )
    return _decision(row)


UNIT = "registrations/{registration_id}/units/{unit}"


@router.post(f"{UNIT}/judgements", response={201: p.DecisionOut, **ERRORS})
def judge(
    request: HttpRequest, registration_id: int, unit: str, body: p.JudgementIn
) -> Status[Any]:
    """Judge a criterion met or not yet met, with feedback (the unit's assessor)."""
    user = who(request)
    row = criterion_judge(
        by=user,
        registration=registration_get(user, registration_id),
        unit=unit,
        criterion=body.criterion,
        met=body.met,
        feedback=body.feedback,
        expected_seq=body.expected_seq,
    )
    return Status(201, _decision(row))


@router.post(f"{UNIT}/span", response={201: p.DecisionOut, **ERRORS})
def record_span(
    request: HttpRequest, registration_id: int, unit: str, body: p.SpanIn
) -> Status[Any]:
    """Record the period the evidence must span to be sufficient (the unit's assessor)."""
    user = who(request)
    row = span_record(
        by=user,
        registration=registration_get(user, registration_id),
        unit=unit,
        sufficient_days=body.sufficient_days,
        expected_seq=body.expected_seq,
    )
    return Status(201, _decision(row))


@router.post(f"{UNIT}/sign-off", response={201: p.DecisionOut, **ERRORS})
def sign_off(
    request: HttpRequest, registration_id: int, unit: str, body: p.SignOffIn
) -> Status[Any]:
    """Sign the unit off (the unit's assessor); 422 with every reason when it is not ready."""
    user = who(request)
    row = unit_sign_off(
        by=user,
        registration=registration_get(user, registration_id),
        unit=unit,
        expected_seq=body.expected_seq,
        declaration_sha256=body.declaration_sha256,
    )
    return Status(201, _decision(row))


@router.get(f"{UNIT}/declaration", response={200: p.DeclarationOut, **ERRORS})
def declaration(request: HttpRequest, registration_id: int, unit: str) -> dict[str, Any]:
    """The assessor's declaration the caller would sign with the unit's sign-off, and its
    SHA-256 to send back as ``declaration_sha256``."""
    text = unit_declaration(who(request), registration_id, unit)
    return {"text": text, "sha256": text_sha256(text)}


@router.post(f"{UNIT}/judgements/met", response={201: list[p.DecisionOut], **ERRORS})
def judge_many(
    request: HttpRequest, registration_id: int, unit: str, body: p.JudgeManyIn
) -> Status[Any]:
    """Judge several criteria met at once (one chained decision each; all or none)."""
    user = who(request)
    rows = criteria_judge_met(
        by=user,
        registration=registration_get(user, registration_id),
        unit=unit,
        criteria=body.criteria,
        feedback=body.feedback,
        expected_seq=body.expected_seq,
    )
    return Status(201, [_decision(row) for row in rows])


@router.post(f"{UNIT}/confirm-all", response={201: list[p.DecisionOut], **ERRORS})
def confirm_all(
    request: HttpRequest, registration_id: int, unit: str, body: p.ConfirmAllIn
) -> Status[Any]:
    """Confirm every proposal of one evidence item for the unit (one decision each)."""
    user = who(request)
    item = evidence_item_get(user, body.item)
    if item.registration_id != registration_id:
        raise NotFound(f"no evidence item {body.item} in registration {registration_id}")
    rows = proposals_confirm_all(by=user, item=item, unit=unit, expected_seq=body.expected_seq)
    return Status(201, [_decision(row) for row in rows])


@router.post(f"{UNIT}/reopen", response={201: p.DecisionOut, **ERRORS})
def reopen(request: HttpRequest, registration_id: int, unit: str, body: p.ReopenIn) -> Status[Any]:
    """Reopen a signed-off unit, with a reason (a lead IQA or centre administrator)."""
    user = who(request)
    row = unit_reopen(
        by=user,
        registration=registration_get(user, registration_id),
        unit=unit,
        reason=body.reason,
        expected_seq=body.expected_seq,
    )
    return Status(201, _decision(row))


@router.get(
    "registrations/{registration_id}/decisions",
    response={200: s.PageOut[p.DecisionOut], **PAGED_ERRORS},
)
def decisions(request: HttpRequest, registration_id: int, page: Query[s.PageQuery]) -> Any:
    """The registration's append-only, hash-chained decision record, oldest first, a page at a
    time (``?cursor=`` from ``next`` or ``previous``, ``?size=`` 1–200)."""
    rows = decisions_of(who(request), registration_id)
    return paginate(rows, ("seq", "pk"), page.cursor, page.size).map(_decision)


@router.get(
    "registrations/{registration_id}/portfolio/export",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The portfolio as a ZIP archive",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_portfolio(request: HttpRequest, registration_id: int) -> FileResponse:
    """The whole portfolio as a ZIP: index.html (units, coverage, the criterion-by-evidence
    matrix, decisions) and every evidence file under files/. Built in a temporary file, file
    by file, then streamed."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    try:
        portfolio_export_zip(who(request), registration_id, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"portfolio-{registration_id}.zip",
        content_type="application/zip",
    )
