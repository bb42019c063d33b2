"""Assessment plans and progress reviews of a registration."""

from django.urls import path

from assay.web.views import reviews

R = "registrations/<int:pk>/reviews/"

urlpatterns = [
    path(R, reviews.reviews, name="reviews"),
    path(R + "new", reviews.plan_new, name="reviews-new"),
    path(R + "activity-row", reviews.activity_row, name="reviews-activity-row"),
    path(R + "<int:plan_pk>/edit", reviews.plan_edit, name="reviews-edit"),
    path(R + "<int:plan_pk>/sign", reviews.sign, name="reviews-sign"),
    path(
        R + "activities/<int:activity_pk>/done", reviews.activity_done, name="reviews-activity-done"
    ),
]
