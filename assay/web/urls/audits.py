"""ICSS organisational audits, a body's accounts and the public certificate register."""

from django.urls import path

from assay.web.views import body_accounts
from assay.web.views.audits import (
    audit,
    certificates,
    clients,
    documents,
    findings,
    home,
    programme,
    sampling,
    scores,
)

A = "audits/<int:pk>/"
B = "audits/bodies/<int:pk>/accounts/"
C = "audits/organisations/<int:pk>/"

urlpatterns = [
    path("audits/", home.audit_index, name="audits"),
    path("audits/standards/", home.standard_index, name="audits-standards"),
    path("audits/new", home.audit_new, name="audits-new"),
    path("audits/new/suggest", home.audit_new_suggest, name="audits-new-suggest"),
    path(B, body_accounts.body_accounts, name="body-accounts"),
    path(
        "audits/bodies/<int:pk>/sampling/",
        sampling.sampling_rule,
        name="audits-body-sampling",
    ),
    path(B + "invite", body_accounts.invite, name="body-accounts-invite"),
    path(
        B + "invitations/<int:invitation_pk>/resend",
        body_accounts.invitation_resend_view,
        name="body-invitation-resend",
    ),
    path(
        B + "invitations/<int:invitation_pk>/cancel",
        body_accounts.invitation_cancel_view,
        name="body-invitation-cancel",
    ),
    path(B + "roles/<int:membership_pk>/revoke", body_accounts.revoke, name="body-role-revoke"),
    path("audits/organisations/<int:pk>/", home.organisation_detail, name="audits-organisation"),
    path(
        "audits/organisations/<int:pk>/ics-membership",
        home.organisation_ics_membership,
        name="audits-organisation-ics",
    ),
    path(
        "audits/organisations/<int:pk>/contacts",
        home.organisation_contact_grant,
        name="audits-organisation-contact",
    ),
    path(
        "audits/certificates/<str:number>/",
        certificates.certificate_detail,
        name="audit-certificate",
    ),
    path(
        "audits/certificates/<str:number>/certificate.pdf",
        certificates.certificate_download,
        name="audit-certificate-pdf",
    ),
    path(
        "audits/certificates/<str:number>/withdraw",
        certificates.certificate_withdraw_view,
        name="audit-certificate-withdraw",
    ),
    # A body's clients (issue 15): add, edit, divisions, offices, import.
    path("audits/clients/new", clients.client_new, name="audits-client-new"),
    path("audits/clients/import", clients.client_import_view, name="audits-client-import"),
    path(C + "edit", clients.client_edit, name="audits-client-edit"),
    path(C + "divisions", clients.division_add_view, name="audits-client-division-add"),
    path(
        C + "divisions/<int:division_pk>/",
        clients.division_edit_view,
        name="audits-client-division",
    ),
    path(C + "offices/new", clients.office_view, name="audits-client-office-new"),
    path(C + "offices/<int:office_pk>/", clients.office_view, name="audits-client-office"),
    path("audits/renewals/", home.renewals, name="audits-renewals"),
    path("audits/renewals/send", home.renewals_send, name="audits-renewals-send"),
    path(A, audit.audit_detail, name="audit"),
    path(A + "advance", audit.audit_advance, name="audit-advance"),
    path(A + "close", audit.audit_close, name="audit-close"),
    path(A + "auditors", audit.audit_assign, name="audit-assign"),
    path(A + "recertify", audit.audit_recertify, name="audit-recertify"),
    path(A + "plan/", programme.audit_plan, name="audit-plan"),
    path(C + "programme/", programme.organisation_programme, name="audits-programme"),
    path("audits/bodies/<int:pk>/calendar/", programme.body_calendar, name="audits-calendar"),
    path("audits/auditors/<int:pk>/", programme.auditor_competence, name="audits-auditor"),
    path("audits/auditors/<int:pk>/competence", programme.competence_add, name="audits-competence"),
    path("audits/auditors/<int:pk>/conflicts", programme.conflict_add, name="audits-conflict"),
    path("audits/calendar-feed/", programme.feed_settings, name="audits-feed"),
    path("audits/calendar-feed/mine.ics", programme.feed_mine, name="audits-feed-mine"),
    path("calendar/<str:token>.ics", programme.feed_by_token, name="audits-feed-token"),
    path(A + "sample/", audit.sample, name="audit-sample"),
    path(A + "sample/verify", audit.sample_verify, name="audit-sample-verify"),
    path(A + "self-assessment/", scores.self_assessment, name="audit-self-assessment"),
    path(A + "sites/<int:office_pk>/", scores.site_scores, name="audit-site"),
    path(A + "sites/<int:office_pk>/evidence", scores.site_evidence, name="audit-site-evidence"),
    path(A + "evidence/", scores.evidence_list, name="audit-evidence"),
    path(A + "evidence/<int:file_pk>/", scores.site_evidence_file, name="audit-evidence-file"),
    path(A + "documents/", documents.documents, name="audit-documents"),
    path(
        A + "documents/<int:document_pk>/file",
        documents.document_file,
        name="audit-document-file",
    ),
    path(
        A + "documents/<int:document_pk>/attach",
        documents.document_attach,
        name="audit-document-attach",
    ),
    path(
        A + "documents/<int:document_pk>/detach",
        documents.document_detach,
        name="audit-document-detach",
    ),
    path(A + "results/", scores.results, name="audit-results"),
    path(A + "report.pdf", scores.report_pdf, name="audit-report-pdf"),
    path(A + "report.xlsx", scores.report_xlsx, name="audit-report-xlsx"),
    path(A + "findings/", findings.findings, name="audit-findings"),
    path(A + "findings/raise", findings.finding_raise, name="audit-finding-raise"),
    path(
        A + "findings/<int:number>/respond",
        findings.finding_respond,
        name="audit-finding-respond",
    ),
    path(A + "findings/<int:number>/review", findings.finding_review, name="audit-finding-review"),
    path(A + "decision/", certificates.decision, name="audit-decision"),
    path(A + "certificate", certificates.certificate_new, name="audit-certificate-new"),
    path("register/certificates/", certificates.register, name="register-certificates"),
]
