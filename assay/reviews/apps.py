"""Assessment plans and progress reviews: activities, targets, signatures, coverage snapshots."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "assay.reviews"
    label = "reviews"
    verbose_name = "Assessment plans and reviews"
