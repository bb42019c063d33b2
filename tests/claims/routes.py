"""The page routes of claims and certificates; tests/claims/test_role_matrix.py tries each
one for every role, and tests/web/test_role_matrix.py counts the centre ones as covered."""

CLAIM_ROUTES = (
    "centres/<int:pk>/claims/",
    "centres/<int:pk>/claims/new",
    "centres/<int:pk>/claims/check",
    "centres/<int:pk>/claims/batches",
)
OTHER_ROUTES = (
    "claims/queue/",
    "claims/samples/",
    "claims/<int:pk>/",
    "claims/<int:pk>/<str:act_name>",
    "certificates/<int:pk>.pdf",
)
