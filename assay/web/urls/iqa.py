"""Internal quality assurance: the IV's queue and picks, and the lead IQA's centre plan."""

from django.urls import path

from assay.web.views import iqa

urlpatterns = [
    path("iqa/", iqa.iqa_queue, name="iqa-queue"),
    path("iqa/picks/<int:pk>/", iqa.iqa_pick, name="iqa-pick"),
    path("iqa/picks/<int:pk>/verify", iqa.iqa_verify, name="iqa-verify"),
    path("centres/<int:pk>/iqa/", iqa.centre_iqa, name="centre-iqa"),
    path("centres/<int:pk>/iqa/draw", iqa.centre_iqa_draw, name="centre-iqa-draw"),
    path("centres/<int:pk>/iqa/strategy", iqa.centre_iqa_strategy, name="centre-iqa-strategy"),
    path(
        "centres/<int:pk>/iqa/standardisation/",
        iqa.centre_standardisation,
        name="centre-standardisation",
    ),
    path(
        "centres/<int:pk>/iqa/standardisation/record",
        iqa.centre_standardisation_record,
        name="centre-standardisation-record",
    ),
    path(
        "centres/<int:pk>/iqa/standardisation/actions/<int:action_pk>/done",
        iqa.standardisation_action_done,
        name="standardisation-action-done",
    ),
    path("centres/<int:pk>/iqa/report.<str:fmt>", iqa.centre_iqa_report, name="centre-iqa-report"),
]
