"""The page routes of assessment plans and reviews; tests/reviews/test_pages.py tries each one
for every role, and tests/web/test_role_matrix.py counts them as covered."""

REVIEW_ROUTES = (
    "registrations/<int:pk>/reviews/",
    "registrations/<int:pk>/reviews/new",
    "registrations/<int:pk>/reviews/activity-row",
    "registrations/<int:pk>/reviews/<int:plan_pk>/edit",
    "registrations/<int:pk>/reviews/<int:plan_pk>/sign",
    "registrations/<int:pk>/reviews/activities/<int:activity_pk>/done",
)
