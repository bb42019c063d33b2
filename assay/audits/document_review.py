"""Document review: evidence given before fieldwork, attached to the attributes it supports.

The organisation's contact or an auditor assigned to the audit uploads a document (stored by
content address through ``assay.files.storage``: hashed while it streams, type sniffed, never
overwritten) and names the standard's attributes it supports. Attaching and detaching are
append-only ``ReviewDocumentLink`` rows (a detach carries its reason; the file stays), each
act chained in the audit's record (``records.DOCUMENT`` / ``records.LINKS``). Once the lead
auditor closes fieldwork (the report is submitted) nothing is uploaded, attached or detached:
the decision is made on what was there.

Whoever sees the audit (``selectors.audit_get``: the body's administrators and decision
makers, its assigned auditors, the organisation's contacts, the operator) reads the documents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from pydantic import BaseModel, ConfigDict

from assay.audits import permissions as perm
from assay.audits.models import (
    Audit,
    AuditStatus,
    FieldworkReport,
    ReviewDocument,
    ReviewDocumentLink,
)
from assay.audits.records import (
    DOCUMENT,
    LINKS,
    audit_lock,
    audit_record,
    document_fields,
    link_fields,
)
from assay.audits.selectors import audit_get
from assay.audits.standards import standard_of
from assay.engines.plausible import reason_problem
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.files.storage import open_evidence, store_upload
from assay.keyset import Page, paginate
from assay.users import AnyUser, User

DOCUMENT_ORDER = ("-uploaded_at", "-pk")  # newest first
MAX_ATTRIBUTES = 200


# --- what the front doors show ------------------------------------------------------------------


class ReviewDocumentOut(BaseModel):
    """One review document with the attributes it supports now (the API's response, the
    pages' and the report's row)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    sha256: str
    short_sha: str
    size: int
    media_type: str
    uploaded_by: str
    uploaded_at: dt.datetime
    attributes: list[str]


def _current(links: Iterable[ReviewDocumentLink]) -> list[str]:
    """The attributes a document supports: the latest link row per attribute, if attached."""
    latest: dict[str, bool] = {}
    for link in sorted(links, key=lambda r: (r.at, r.pk)):
        latest[link.attribute] = link.attached
    return sorted(a for a, on in latest.items() if on)


def document_answer(row: ReviewDocument) -> ReviewDocumentOut:
    return ReviewDocumentOut(
        id=row.pk,
        name=row.original_name,
        sha256=row.sha256,
        short_sha=row.short_sha,
        size=row.size,
        media_type=row.media_type,
        uploaded_by=row.uploaded_by.get_username(),
        uploaded_at=row.uploaded_at,
        attributes=_current(row.links.all()),
    )


# --- writes --------------------------------------------------------------------------------------


def review_open_problem(audit: Audit) -> str | None:
    """Why documents can no longer be given for review (None: they can)."""
    report = FieldworkReport.objects.filter(audit=audit).first()
    if report is not None:
        return (
            f"document review is closed: fieldwork was closed on "
            f"{report.submitted_on:%d/%m/%Y} when the lead auditor submitted the report"
        )
    if audit.status == AuditStatus.DECIDED:
        return "document review is closed: the audit is decided"
    return None


def may_give_documents(user: AnyUser, audit: Audit) -> bool:
    """The organisation's contact or an auditor assigned to the audit."""
    return perm.is_contact_of(user, audit.organisation_id) or perm.is_assigned_auditor(user, audit)


def _check_writer(by: User, audit: Audit) -> None:
    if not may_give_documents(by, audit):
        raise NotAllowed(
            "only the organisation's contacts and the audit's auditors give documents for review"
        )
    problem = review_open_problem(audit)
    if problem:
        raise InvalidInput({"audit": problem})


def _check_attributes(audit: Audit, attributes: Sequence[str], *, required: bool) -> list[str]:
    wanted = list(dict.fromkeys(a.strip() for a in attributes if a and a.strip()))
    if required and not wanted:
        raise InvalidInput({"attributes": "name at least one attribute the document supports"})
    if len(wanted) > MAX_ATTRIBUTES:
        raise InvalidInput({"attributes": f"at most {MAX_ATTRIBUTES} attributes"})
    standard = standard_of(audit.standard)
    unknown = [a for a in wanted if not standard.has_attribute(a)]
    if unknown:
        shown = ", ".join(repr(a[:64]) for a in unknown[:5])
        raise InvalidInput(
            {"attributes": f"{standard.code} v{standard.version} has no attribute {shown}"}
        )
    return wanted


def review_document_upload(
    *,
    by: User,
    audit: Audit,
    upload: IO[bytes] | File,
    original_name: str,
    attributes: Sequence[str],
    expected_size: int | None = None,
) -> ReviewDocument:
    """Store a document for review and attach it to the attributes it supports (at least one),
    in one chained act. Refused once fieldwork is closed."""
    _check_writer(by, audit)
    wanted = _check_attributes(audit, attributes, required=True)
    stored = store_upload(
        upload,
        original_name=original_name,
        max_bytes=int(settings.ASSAY_EVIDENCE_MAX_BYTES),
        allowed_types=frozenset(settings.ASSAY_EVIDENCE_TYPES),
        expected_size=expected_size,
    )
    with transaction.atomic():
        locked = audit_lock(audit)
        problem = review_open_problem(locked)
        if problem:
            raise InvalidInput({"audit": problem})
        row = ReviewDocument.objects.create(
            audit=audit, **stored.row_fields(), uploaded_by_id=by.pk
        )
        links = [
            ReviewDocumentLink.objects.create(document=row, attribute=a, attached=True, by_id=by.pk)
            for a in wanted
        ]
        audit_record(
            audit.pk,
            DOCUMENT,
            {"document": document_fields(row), "links": [link_fields(k) for k in links]},
            by,
        )
    return row


def review_document_attach(
    *, by: User, document: ReviewDocument, attributes: Sequence[str]
) -> ReviewDocument:
    """Attach a document to more attributes (those it already supports are left alone)."""
    audit = document.audit
    _check_writer(by, audit)
    wanted = _check_attributes(audit, attributes, required=True)
    with transaction.atomic():
        locked = audit_lock(audit)
        problem = review_open_problem(locked)
        if problem:
            raise InvalidInput({"audit": problem})
        held = set(_current(ReviewDocumentLink.objects.filter(document=document)))
        links = [
            ReviewDocumentLink.objects.create(
                document=document, attribute=a, attached=True, by_id=by.pk
            )
            for a in wanted
            if a not in held
        ]
        if links:
            audit_record(audit.pk, LINKS, {"links": [link_fields(k) for k in links]}, by)
    return document


def review_document_detach(
    *, by: User, document: ReviewDocument, attribute: str, reason: str
) -> ReviewDocument:
    """Detach a document from one attribute, with a reason (required). The file and every
    earlier link stay; the detach is a new row in the chain."""
    audit = document.audit
    _check_writer(by, audit)
    problem = reason_problem(reason, "the reason")
    if problem:
        raise InvalidInput({"reason": problem})
    with transaction.atomic():
        locked = audit_lock(audit)
        closed = review_open_problem(locked)
        if closed:
            raise InvalidInput({"audit": closed})
        if attribute not in _current(ReviewDocumentLink.objects.filter(document=document)):
            raise InvalidInput({"attribute": f"the document is not attached to {attribute[:64]!r}"})
        link = ReviewDocumentLink.objects.create(
            document=document,
            attribute=attribute,
            attached=False,
            reason=reason.strip(),
            by_id=by.pk,
        )
        audit_record(audit.pk, LINKS, {"links": [link_fields(link)]}, by)
    return document


# --- reads ---------------------------------------------------------------------------------------


def documents_of(audit: Audit) -> QuerySet[ReviewDocument]:
    """An audit the caller already fetched narrowed: its documents with uploader and links
    (a fixed number of queries)."""
    return (
        ReviewDocument.objects.filter(audit=audit)
        .select_related("uploaded_by")
        .prefetch_related("links")
    )


def documents_page(
    user: AnyUser, audit_id: int, cursor: str | None = None, size: int | str | None = None
) -> Page[ReviewDocument]:
    """One page of the audit's review documents, newest first (whoever sees the audit)."""
    return paginate(documents_of(audit_get(user, audit_id)), DOCUMENT_ORDER, cursor, size)


def documents_by_attribute(audit: Audit) -> dict[str, list[ReviewDocumentOut]]:
    """attribute code → the documents that support it now, oldest first (the report's and the
    scoring pages' list)."""
    out: dict[str, list[ReviewDocumentOut]] = defaultdict(list)
    for row in documents_of(audit).order_by("uploaded_at", "pk"):
        answer = document_answer(row)
        for attribute in answer.attributes:
            out[attribute].append(answer)
    return dict(out)


def document_get(user: AnyUser, audit_id: int, document_id: int) -> ReviewDocument:
    """A document of an audit the user may see; another audit's is NotFound like a missing
    one."""
    audit = audit_get(user, audit_id)
    row = documents_of(audit).filter(pk=document_id).first()
    if row is None:
        raise NotFound(f"no review document {document_id} in audit {audit_id}")
    return row


def document_open(user: AnyUser, audit_id: int, document_id: int) -> tuple[ReviewDocument, File]:
    """The document opened for reading (the caller closes it), for whoever sees the audit."""
    row = document_get(user, audit_id, document_id)
    return row, open_evidence(row.storage_name)


__all__ = [
    "ReviewDocumentOut",
    "document_answer",
    "document_get",
    "document_open",
    "documents_by_attribute",
    "documents_of",
    "documents_page",
    "may_give_documents",
    "review_document_attach",
    "review_document_detach",
    "review_document_upload",
    "review_open_problem",
]
