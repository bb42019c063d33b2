"""A registration's page, its acts and its learning plan."""

from django.urls import path

from assay.web.views import plan_editor, registrations

R = "registrations/<int:pk>/"

urlpatterns = [
    path(R, registrations.registration_detail, name="registration"),
    path(R + "status", registrations.registration_status, name="registration-status"),
    path(
        R + "initial-assessment",
        registrations.initial_assessment,
        name="registration-initial-assessment",
    ),
    path(R + "extend", registrations.registration_extension, name="registration-extend"),
    path(R + "rpl", registrations.rpl_claim, name="registration-rpl"),
    path(
        R + "credit-transfers", registrations.credit_transfer, name="registration-credit-transfer"
    ),
    path(
        R + "rpl/<int:claim_pk>/decide", registrations.rpl_decision, name="registration-rpl-decide"
    ),
    path(R + "sign", registrations.sign, name="registration-sign"),
    path(R + "account", registrations.account_link, name="registration-account"),
    path(
        R + "employer-contact",
        registrations.employer_contact,
        name="registration-employer-contact",
    ),
    path(R + "plan/", plan_editor.plan_edit, name="registration-plan"),
    path(R + "plan/check", plan_editor.plan_check, name="registration-plan-check"),
    path(R + "plan/suggest", plan_editor.plan_suggest, name="registration-plan-suggest"),
]
