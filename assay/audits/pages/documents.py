"""The document review page: an audit's review documents a page at a time, with what the
viewer may do (upload, attach, detach) and, once fieldwork is closed, why nothing more is."""

from __future__ import annotations

from dataclasses import dataclass

from assay.audits.document_review import (
    ReviewDocumentOut,
    document_answer,
    documents_page,
    may_give_documents,
    review_open_problem,
)
from assay.audits.models import Audit
from assay.audits.selectors import audit_get
from assay.audits.standards import standard_of
from assay.engines.audit.model import Standard
from assay.keyset import Page
from assay.users import AnyUser


@dataclass(frozen=True)
class DocumentsPage:
    audit: Audit
    standard: Standard
    documents: Page[ReviewDocumentOut]
    may_write: bool  # the organisation's contact or an assigned auditor
    closed: str | None  # why documents can no longer be given (None: they can)

    @property
    def writable(self) -> bool:
        return self.may_write and self.closed is None


def documents_page_for(
    user: AnyUser, pk: int, cursor: str | None = None, size: str | None = None
) -> DocumentsPage:
    """The page for whoever sees the audit (``audit_get``: NotFound otherwise)."""
    audit = audit_get(user, pk)
    return DocumentsPage(
        audit=audit,
        standard=standard_of(audit.standard),
        documents=documents_page(user, pk, cursor, size).map(document_answer),
        may_write=may_give_documents(user, audit),
        closed=review_open_problem(audit),
    )
