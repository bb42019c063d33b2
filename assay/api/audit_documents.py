"""Document review over the API (issue 15): upload a document before fieldwork and attach it
to the attributes it supports, list, download, attach to more, detach with a reason.

Upload and attach/detach: the organisation's contact or an assigned auditor, until the lead
auditor closes fieldwork (then 422 with the reason). Reads: whoever sees the audit. An audit
or document the caller may not see answers 404 like a missing one; a read-only token writing
answers 403 (the token scope check in ``assay.api.auth``).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Schema, Status, UploadedFile
from pydantic import ConfigDict, Field

from assay.api import audits as audit_routes
from assay.api import schemas as s
from assay.api.auth import who
from assay.audits import document_review as dr
from assay.audits import selectors as sel
from assay.keyset import Page

router = audit_routes.router
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class AttachIn(Schema):
    model_config = ConfigDict(extra="forbid")
    attributes: list[str] = Field(description="Attribute codes the document supports")


class DetachIn(Schema):
    model_config = ConfigDict(extra="forbid")
    attribute: str
    reason: str = Field(description="Why it no longer supports the attribute (required)")


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


@router.post("audits/{audit_id}/documents", response={201: dr.ReviewDocumentOut, **ERRORS})
def document_upload(
    request: HttpRequest,
    audit_id: int,
    attributes: Form[str],
    file: UploadedFile = File(...),  # noqa: B008
) -> Status[dr.ReviewDocumentOut]:
    """A document for review before fieldwork (multipart: ``file`` and ``attributes``, the
    attribute codes it supports separated by commas). Stored by content address, never
    overwritten; refused once fieldwork is closed."""
    user = who(request)
    row = dr.review_document_upload(
        by=user,
        audit=sel.audit_get(user, audit_id),
        upload=file,
        original_name=file.name or "upload",
        attributes=_codes(attributes),
        expected_size=file.size,
    )
    return Status(201, dr.document_answer(dr.document_get(user, audit_id, row.pk)))


# After the POST: the path resolves to the POST's URL name, which the upload limits know.
@router.get(
    "audits/{audit_id}/documents",
    response={200: s.PageOut[dr.ReviewDocumentOut], 400: s.Error, **ERRORS},
)
def documents(request: HttpRequest, audit_id: int, page: Query[s.PageQuery]) -> Page[Any]:
    """The audit's review documents with the attributes each supports now, newest first."""
    found = dr.documents_page(who(request), audit_id, page.cursor, page.size)
    return found.map(dr.document_answer)


@router.get(
    "audits/{audit_id}/documents/{document_id}/file",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The document's content, in the media type it was stored with",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def document_file(request: HttpRequest, audit_id: int, document_id: int) -> FileResponse:
    """The document's content, streamed, as an attachment (whoever sees the audit)."""
    row, handle = dr.document_open(who(request), audit_id, document_id)
    return FileResponse(
        handle, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )


@router.post(
    "audits/{audit_id}/documents/{document_id}/attach",
    response={200: dr.ReviewDocumentOut, **ERRORS},
)
def document_attach(
    request: HttpRequest, audit_id: int, document_id: int, body: AttachIn
) -> dr.ReviewDocumentOut:
    """Attach the document to more attributes (those already attached are left alone)."""
    user = who(request)
    dr.review_document_attach(
        by=user, document=dr.document_get(user, audit_id, document_id), attributes=body.attributes
    )
    return dr.document_answer(dr.document_get(user, audit_id, document_id))


@router.post(
    "audits/{audit_id}/documents/{document_id}/detach",
    response={200: dr.ReviewDocumentOut, **ERRORS},
)
def document_detach(
    request: HttpRequest, audit_id: int, document_id: int, body: DetachIn
) -> dr.ReviewDocumentOut:
    """Detach the document from one attribute, with a reason; the file and its history stay."""
    user = who(request)
    dr.review_document_detach(
        by=user,
        document=dr.document_get(user, audit_id, document_id),
        attribute=body.attribute,
        reason=body.reason,
    )
    return dr.document_answer(dr.document_get(user, audit_id, document_id))
