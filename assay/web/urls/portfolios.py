"""The portfolio page, the assessor's unit screen, evidence files and witness statements."""

from django.urls import path

from assay.web.views import membership, portfolio, unit_screen, witness

R = "registrations/<int:pk>/"
E = R + "portfolio/evidence/<int:item_pk>/"
U = R + "units/<str:unit>/"

urlpatterns = [
    path(R + "portfolio/", portfolio.portfolio, name="portfolio"),
    path(R + "portfolio/evidence", portfolio.evidence_new, name="portfolio-evidence"),
    path(R + "portfolio/rejections", portfolio.rejections, name="portfolio-rejections"),
    path(R + "portfolio/membership", membership.membership_box, name="portfolio-membership"),
    path(E + "files", portfolio.evidence_attach, name="portfolio-attach"),
    path(E + "declare", portfolio.evidence_declare, name="portfolio-declare"),
    path(E + "map", portfolio.evidence_map, name="portfolio-map"),
    path(E + "propose", portfolio.evidence_propose, name="portfolio-propose"),
    path(
        R + "mappings/<int:mapping_pk>/decide",
        unit_screen.mapping_decision,
        name="portfolio-mapping-decide",
    ),
    path(U, unit_screen.unit_page, name="portfolio-unit"),
    path(U + "judge", unit_screen.judge, name="portfolio-judge"),
    path(U + "judge-many", unit_screen.judge_many, name="portfolio-judge-many"),
    path(U + "confirm-all", unit_screen.confirm_all, name="portfolio-confirm-all"),
    path(U + "span", unit_screen.span, name="portfolio-span"),
    path(U + "sign-off", unit_screen.sign_off, name="portfolio-sign-off"),
    path(U + "reopen", unit_screen.reopen, name="portfolio-reopen"),
    path(U + "files/<int:file_pk>/inline", unit_screen.file_preview, name="portfolio-file-preview"),
    path("evidence/files/<int:file_pk>/", portfolio.evidence_file, name="evidence-file"),
    path(E + "witness", witness.witness_add, name="portfolio-witness"),
    path("witness/<str:token>/", witness.witness_link, name="witness-link"),
]
