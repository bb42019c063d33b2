"""Appeals against assessment decisions, and complaints about a centre."""

from django.urls import path

from assay.web.views import appeals

A = "registrations/<int:pk>/appeals/"
C = "centres/<int:pk>/"

urlpatterns = [
    path(A, appeals.registration_list, name="registration-appeals"),
    path(A + "new/<int:decision_pk>", appeals.lodge, name="appeal-new"),
    path(A + "<int:appeal_pk>/", appeals.appeal, name="appeal"),
    path(A + "<int:appeal_pk>/decide", appeals.decide, name="appeal-decide"),
    path(A + "<int:appeal_pk>/escalate", appeals.escalate, name="appeal-escalate"),
    path(A + "<int:appeal_pk>/withdraw", appeals.withdraw, name="appeal-withdraw"),
    path(C + "appeals/", appeals.centre_list, name="centre-appeals"),
    path(C + "complaints/new", appeals.complain, name="complaint-new"),
]
