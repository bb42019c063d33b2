"""ICSS organisational audits, a body's accounts and the public certificate register."""

from django.urls import path

from assay.web.views import audits, body_accounts

A = "audits/<int:pk>/"
B = "audits/bodies/<int:pk>/accounts/"

urlpatterns = [
    path("audits/", audits.audit_index, name="audits"),
    path("audits/standards/", audits.standard_index, name="audits-standards"),
    path("audits/new", audits.audit_new, name="audits-new"),
    path(B, body_accounts.body_accounts, name="body-accounts"),
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
    path("audits/organisations/<int:pk>/", audits.organisation_detail, name="audits-organisation"),
    path("audits/certificates/<str:number>/", audits.certificate_detail, name="audit-certificate"),
    path(
        "audits/certificates/<str:number>/withdraw",
        audits.certificate_withdraw_view,
        name="audit-certificate-withdraw",
    ),
    path("audits/renewals/", audits.renewals, name="audits-renewals"),
    path("audits/renewals/send", audits.renewals_send, name="audits-renewals-send"),
    path(A, audits.audit_detail, name="audit"),
    path(A + "advance", audits.audit_advance, name="audit-advance"),
    path(A + "auditors", audits.audit_assign, name="audit-assign"),
    path(A + "recertify", audits.audit_recertify, name="audit-recertify"),
    path(A + "sample/", audits.sample, name="audit-sample"),
    path(A + "sample/verify", audits.sample_verify, name="audit-sample-verify"),
    path(A + "self-assessment/", audits.self_assessment, name="audit-self-assessment"),
    path(A + "sites/<int:office_pk>/", audits.site_scores, name="audit-site"),
    path(A + "sites/<int:office_pk>/evidence", audits.site_evidence, name="audit-site-evidence"),
    path(A + "evidence/<int:file_pk>/", audits.site_evidence_file, name="audit-evidence-file"),
    path(A + "results/", audits.results, name="audit-results"),
    path(A + "report.pdf", audits.report_pdf, name="audit-report-pdf"),
    path(A + "report.xlsx", audits.report_xlsx, name="audit-report-xlsx"),
    path(A + "decision/", audits.decision, name="audit-decision"),
    path(A + "certificate", audits.certificate_new, name="audit-certificate-new"),
    path("register/certificates/", audits.register, name="register-certificates"),
]
