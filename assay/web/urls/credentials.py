"""Credentials: public verification, status lists, the issuer profile, a candidate's downloads."""

from django.urls import path

from assay.web.views import credentials

urlpatterns = [
    path("verify/", credentials.verify_form, name="credentials-verify"),
    path("verify/<str:number>", credentials.verify_number, name="credentials-verify-number"),
    path("credentials/status/<int:list_id>", credentials.status_list, name="credentials-status"),
    path("credentials/issuer", credentials.issuer_profile, name="credentials-issuer"),
    path("me/credentials/", credentials.my_credentials, name="credentials-mine"),
    path(
        "me/credentials/<int:credential_id>.json",
        credentials.credential_download,
        name="credentials-download",
    ),
]
