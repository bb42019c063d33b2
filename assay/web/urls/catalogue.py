"""The public catalogue, the NOS map and the plan builder."""

from django.urls import path

from assay.web.views import catalogue, plans

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("catalogue/", catalogue.qualification_index, name="catalogue"),
    # Before catalogue/<str:key>/, which would swallow "search".
    path("catalogue/search/", catalogue.criteria_search, name="catalogue-search"),
    path("catalogue/<str:key>/", catalogue.qualification_detail, name="catalogue-qualification"),
    path("catalogue/<str:key>/units/<path:number>/", catalogue.unit_detail, name="catalogue-unit"),
    path("nos/", catalogue.nos_map, name="nos-map"),
    path("plans/", plans.plan_index, name="plans"),
    path("plans/<str:key>/", plans.plan_builder, name="plan-builder"),
    path("plans/<str:key>/check", plans.plan_check, name="plan-check"),
    path("plans/<str:key>/complete", plans.plan_complete, name="plan-complete"),
]
