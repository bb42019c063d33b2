"""Claims and certificates (issue 14)."""

from django.urls import path

from assay.web.views import claims

urlpatterns = [
    path("centres/<int:pk>/claims/", claims.centre_claims, name="centre-claims"),
    path("centres/<int:pk>/claims/new", claims.claim_add, name="centre-claim-add"),
    path("centres/<int:pk>/claims/check", claims.claim_check, name="centre-claim-check"),
    path("centres/<int:pk>/claims/batches", claims.batch_add, name="centre-claim-batch"),
    path("claims/queue/", claims.queue, name="claims-queue"),
    path("claims/samples/", claims.samples, name="claims-samples"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/<str:act_name>", claims.claim_act, name="claim-act"),
    path("certificates/<int:pk>.pdf", claims.certificate_download, name="certificate-pdf"),
]
