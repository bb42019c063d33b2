"""URL map of the server-rendered pages. The JSON API lives under /api/v1/ (assay.api)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from assay.web.views import (
    accounts,
    audits,
    body_accounts,
    bulk,
    caseload,
    catalogue,
    centres,
    me,
    people,
    plan_editor,
    plans,
    portfolio,
    registrations,
)
from assay.web.views import notifications as notification_views
from assay.web.views import reviews as review_views
from assay.web.views import unit_screen as unit_views
from assay.web.views import witness as witness_views

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("catalogue/", catalogue.qualification_index, name="catalogue"),
    path("catalogue/search/", catalogue.criteria_search, name="catalogue-search"),
    path("catalogue/<str:key>/", catalogue.qualification_detail, name="catalogue-qualification"),
    path(
        "catalogue/<str:key>/units/<path:number>/",
        catalogue.unit_detail,
        name="catalogue-unit",
    ),
    path("nos/", catalogue.nos_map, name="nos-map"),
    path("plans/", plans.plan_index, name="plans"),
    path("plans/<str:key>/", plans.plan_builder, name="plan-builder"),
    path("plans/<str:key>/check", plans.plan_check, name="plan-check"),
    path("plans/<str:key>/complete", plans.plan_complete, name="plan-complete"),
    path("centres/", centres.centre_index, name="centres"),
    path("centres/<int:pk>/", centres.centre_dashboard, name="centre-dashboard"),
    path("centres/<int:pk>/sites", centres.sites_add, name="centre-sites"),
    path("centres/<int:pk>/anchors.jsonl", centres.centre_anchors, name="centre-anchors"),
    path("centres/<int:pk>/progress/", caseload.centre_progress_page, name="centre-progress"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("me/", me.me, name="me"),
    path("me/signatures/", me.employer_signatures, name="employer-signatures"),
    path("invitation/<str:token>/", accounts.invitation, name="invitation"),
    path("centres/<int:pk>/accounts/", accounts.centre_accounts, name="centre-accounts"),
    path("centres/<int:pk>/accounts/invite", accounts.invite, name="centre-accounts-invite"),
    path(
        "centres/<int:pk>/accounts/invitations/<int:invitation_pk>/resend",
        accounts.invitation_resend_view,
        name="centre-invitation-resend",
    ),
    path(
        "centres/<int:pk>/accounts/invitations/<int:invitation_pk>/cancel",
        accounts.invitation_cancel_view,
        name="centre-invitation-cancel",
    ),
    path(
        "centres/<int:pk>/accounts/<int:user_pk>/deactivate",
        accounts.deactivate,
        name="centre-account-deactivate",
    ),
    path(
        "centres/<int:pk>/accounts/<int:user_pk>/reactivate",
        accounts.reactivate,
        name="centre-account-reactivate",
    ),
    path(
        "centres/<int:pk>/accounts/roles/<int:membership_pk>/revoke",
        accounts.revoke,
        name="centre-role-revoke",
    ),
    path("centres/<int:pk>/people/", people.people, name="centre-people"),
    path("centres/<int:pk>/people/grant", people.people_grant, name="centre-people-grant"),
    path(
        "centres/<int:pk>/people/<int:user_pk>/competence",
        people.people_competence,
        name="centre-people-competence",
    ),
    path(
        "centres/<int:pk>/people/<int:user_pk>/competence/<int:competence_pk>/achieved",
        people.people_achieved,
        name="centre-people-achieved",
    ),
    path("centres/<int:pk>/people/<int:user_pk>/cpd", people.people_cpd, name="centre-people-cpd"),
    path("centres/<int:pk>/register/", centres.register, name="centre-register"),
    path("centres/<int:pk>/register/check", centres.register_check, name="centre-register-check"),
    path("centres/<int:pk>/register/bulk", bulk.bulk_register, name="centre-register-bulk"),
    path("registrations/<int:pk>/", registrations.registration_detail, name="registration"),
    path(
        "registrations/<int:pk>/status",
        registrations.registration_status,
        name="registration-status",
    ),
    path(
        "registrations/<int:pk>/initial-assessment",
        registrations.initial_assessment,
        name="registration-initial-assessment",
    ),
    path(
        "registrations/<int:pk>/extend",
        registrations.registration_extension,
        name="registration-extend",
    ),
    path("registrations/<int:pk>/rpl", registrations.rpl_claim, name="registration-rpl"),
    path(
        "registrations/<int:pk>/credit-transfers",
        registrations.credit_transfer,
        name="registration-credit-transfer",
    ),
    path(
        "registrations/<int:pk>/rpl/<int:claim_pk>/decide",
        registrations.rpl_decision,
        name="registration-rpl-decide",
    ),
    path("registrations/<int:pk>/sign", registrations.sign, name="registration-sign"),
    path(
        "registrations/<int:pk>/account",
        registrations.account_link,
        name="registration-account",
    ),
    path(
        "registrations/<int:pk>/employer-contact",
        registrations.employer_contact,
        name="registration-employer-contact",
    ),
    path("registrations/<int:pk>/plan/", plan_editor.plan_edit, name="registration-plan"),
    path(
        "registrations/<int:pk>/plan/check", plan_editor.plan_check, name="registration-plan-check"
    ),
    path(
        "registrations/<int:pk>/plan/suggest",
        plan_editor.plan_suggest,
        name="registration-plan-suggest",
    ),
    path("registrations/<int:pk>/portfolio/", portfolio.portfolio, name="portfolio"),
    path(
        "registrations/<int:pk>/portfolio/evidence",
        portfolio.evidence_new,
        name="portfolio-evidence",
    ),
    path(
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/files",
        portfolio.evidence_attach,
        name="portfolio-attach",
    ),
    path(
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/declare",
        portfolio.evidence_declare,
        name="portfolio-declare",
    ),
    path(
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/map",
        portfolio.evidence_map,
        name="portfolio-map",
    ),
    path(
        "registrations/<int:pk>/mappings/<int:mapping_pk>/decide",
        unit_views.mapping_decision,
        name="portfolio-mapping-decide",
    ),
    path("registrations/<int:pk>/units/<str:unit>/", unit_views.unit_page, name="portfolio-unit"),
    path("registrations/<int:pk>/units/<str:unit>/judge", unit_views.judge, name="portfolio-judge"),
    path(
        "registrations/<int:pk>/units/<str:unit>/judge-many",
        unit_views.judge_many,
        name="portfolio-judge-many",
    ),
    path(
        "registrations/<int:pk>/units/<str:unit>/confirm-all",
        unit_views.confirm_all,
        name="portfolio-confirm-all",
    ),
    path("registrations/<int:pk>/units/<str:unit>/span", unit_views.span, name="portfolio-span"),
    path(
        "registrations/<int:pk>/units/<str:unit>/sign-off",
        unit_views.sign_off,
        name="portfolio-sign-off",
    ),
    path(
        "registrations/<int:pk>/units/<str:unit>/reopen", unit_views.reopen, name="portfolio-reopen"
    ),
    path(
        "registrations/<int:pk>/units/<str:unit>/files/<int:file_pk>/inline",
        unit_views.file_preview,
        name="portfolio-file-preview",
    ),
    path("evidence/files/<int:file_pk>/", portfolio.evidence_file, name="evidence-file"),
    path("registrations/<int:pk>/reviews/", review_views.reviews, name="reviews"),
    path("registrations/<int:pk>/reviews/new", review_views.plan_new, name="reviews-new"),
    path(
        "registrations/<int:pk>/reviews/activity-row",
        review_views.activity_row,
        name="reviews-activity-row",
    ),
    path(
        "registrations/<int:pk>/reviews/<int:plan_pk>/edit",
        review_views.plan_edit,
        name="reviews-edit",
    ),
    path(
        "registrations/<int:pk>/reviews/<int:plan_pk>/sign", review_views.sign, name="reviews-sign"
    ),
    path(
        "registrations/<int:pk>/reviews/activities/<int:activity_pk>/done",
        review_views.activity_done,
        name="reviews-activity-done",
    ),
    path(
        "registrations/<int:pk>/portfolio/evidence/<int:item_pk>/witness",
        witness_views.witness_add,
        name="portfolio-witness",
    ),
    path("witness/<str:token>/", witness_views.witness_link, name="witness-link"),
    path("notifications/", notification_views.notification_index, name="notifications"),
    path(
        "notifications/read-all",
        notification_views.notification_mark_all_read,
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read",
        notification_views.notification_mark_read,
        name="notification-read",
    ),
    path("audits/", audits.audit_index, name="audits"),
    path("audits/standards/", audits.standard_index, name="audits-standards"),
    path("audits/new", audits.audit_new, name="audits-new"),
    path("audits/bodies/<int:pk>/accounts/", body_accounts.body_accounts, name="body-accounts"),
    path(
        "audits/bodies/<int:pk>/accounts/invite", body_accounts.invite, name="body-accounts-invite"
    ),
    path(
        "audits/bodies/<int:pk>/accounts/invitations/<int:invitation_pk>/resend",
        body_accounts.invitation_resend_view,
        name="body-invitation-resend",
    ),
    path(
        "audits/bodies/<int:pk>/accounts/invitations/<int:invitation_pk>/cancel",
        body_accounts.invitation_cancel_view,
        name="body-invitation-cancel",
    ),
    path(
        "audits/bodies/<int:pk>/accounts/roles/<int:membership_pk>/revoke",
        body_accounts.revoke,
        name="body-role-revoke",
    ),
    path(
        "audits/organisations/<int:pk>/",
        audits.organisation_detail,
        name="audits-organisation",
    ),
    path(
        "audits/certificates/<str:number>/",
        audits.certificate_detail,
        name="audit-certificate",
    ),
    path(
        "audits/certificates/<str:number>/withdraw",
        audits.certificate_withdraw_view,
        name="audit-certificate-withdraw",
    ),
    path("audits/renewals/", audits.renewals, name="audits-renewals"),
    path("audits/renewals/send", audits.renewals_send, name="audits-renewals-send"),
    path("audits/<int:pk>/", audits.audit_detail, name="audit"),
    path("audits/<int:pk>/advance", audits.audit_advance, name="audit-advance"),
    path("audits/<int:pk>/auditors", audits.audit_assign, name="audit-assign"),
    path("audits/<int:pk>/recertify", audits.audit_recertify, name="audit-recertify"),
    path("audits/<int:pk>/sample/", audits.sample, name="audit-sample"),
    path("audits/<int:pk>/sample/verify", audits.sample_verify, name="audit-sample-verify"),
    path(
        "audits/<int:pk>/self-assessment/",
        audits.self_assessment,
        name="audit-self-assessment",
    ),
    path("audits/<int:pk>/sites/<int:office_pk>/", audits.site_scores, name="audit-site"),
    path(
        "audits/<int:pk>/sites/<int:office_pk>/evidence",
        audits.site_evidence,
        name="audit-site-evidence",
    ),
    path(
        "audits/<int:pk>/evidence/<int:file_pk>/",
        audits.site_evidence_file,
        name="audit-evidence-file",
    ),
    path("audits/<int:pk>/results/", audits.results, name="audit-results"),
    path("audits/<int:pk>/report.pdf", audits.report_pdf, name="audit-report-pdf"),
    path("audits/<int:pk>/report.xlsx", audits.report_xlsx, name="audit-report-xlsx"),
    path("audits/<int:pk>/decision/", audits.decision, name="audit-decision"),
    path("audits/<int:pk>/certificate", audits.certificate_new, name="audit-certificate-new"),
    path("register/certificates/", audits.register, name="register-certificates"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Self-service password reset: Django's views, our templates (registration/password_reset_*).
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
