"""A centre's pages: dashboard, progress, people, accounts and registering candidates."""

from django.urls import path

from assay.web.views import accounts, bulk, caseload, centres, eqa, people

C = "centres/<int:pk>/"

urlpatterns = [
    path("centres/", centres.centre_index, name="centres"),
    path(C, centres.centre_dashboard, name="centre-dashboard"),
    path(C + "sites", centres.sites_add, name="centre-sites"),
    path(C + "anchors.jsonl", centres.centre_anchors, name="centre-anchors"),
    path(C + "progress/", caseload.centre_progress_page, name="centre-progress"),
    path("caseload/", caseload.caseload, name="caseload"),
    path(C + "accounts/", accounts.centre_accounts, name="centre-accounts"),
    path(C + "accounts/invite", accounts.invite, name="centre-accounts-invite"),
    path(
        C + "accounts/invitations/<int:invitation_pk>/resend",
        accounts.invitation_resend_view,
        name="centre-invitation-resend",
    ),
    path(
        C + "accounts/invitations/<int:invitation_pk>/cancel",
        accounts.invitation_cancel_view,
        name="centre-invitation-cancel",
    ),
    path(
        C + "accounts/<int:user_pk>/deactivate",
        accounts.deactivate,
        name="centre-account-deactivate",
    ),
    path(
        C + "accounts/<int:user_pk>/reactivate",
        accounts.reactivate,
        name="centre-account-reactivate",
    ),
    path(
        C + "accounts/roles/<int:membership_pk>/revoke", accounts.revoke, name="centre-role-revoke"
    ),
    path(C + "people/", people.people, name="centre-people"),
    path(C + "people/grant", people.people_grant, name="centre-people-grant"),
    path(
        C + "people/<int:user_pk>/competence",
        people.people_competence,
        name="centre-people-competence",
    ),
    path(
        C + "people/<int:user_pk>/competence/<int:competence_pk>/achieved",
        people.people_achieved,
        name="centre-people-achieved",
    ),
    path(C + "people/<int:user_pk>/cpd", people.people_cpd, name="centre-people-cpd"),
    path(C + "register/", centres.register, name="centre-register"),
    path(C + "register/check", centres.register_check, name="centre-register-check"),
    path(C + "register/bulk", bulk.bulk_register, name="centre-register-bulk"),
    path(C + "eqa/", eqa.eqa, name="centre-eqa"),
    path(C + "eqa/visits", eqa.visit_add, name="centre-eqa-visit"),
    path(
        C + "eqa/visits/<int:visit_pk>/findings",
        eqa.visit_findings,
        name="centre-eqa-visit-findings",
    ),
    path(C + "eqa/action-points/<int:point_pk>/done", eqa.point_done, name="centre-eqa-point-done"),
    path(C + "eqa/sanctions", eqa.sanction_add, name="centre-eqa-sanction"),
    path(
        C + "eqa/sanctions/<int:sanction_pk>/lift",
        eqa.sanction_remove,
        name="centre-eqa-sanction-lift",
    ),
]
