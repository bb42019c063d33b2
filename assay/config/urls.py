"""Top-level URL map: the web pages and the JSON API."""

from django.urls import include, path

from assay.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("assay.web.urls")),
]
