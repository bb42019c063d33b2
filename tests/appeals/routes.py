"""The page routes of appeals and complaints; tests/appeals/test_pages.py tries each one for
every role, and tests/web/test_role_matrix.py counts them as covered."""

APPEAL_ROUTES = (
    "registrations/<int:pk>/appeals/",
    "registrations/<int:pk>/appeals/new/<int:decision_pk>",
    "registrations/<int:pk>/appeals/<int:appeal_pk>/",
    "registrations/<int:pk>/appeals/<int:appeal_pk>/decide",
    "registrations/<int:pk>/appeals/<int:appeal_pk>/escalate",
    "registrations/<int:pk>/appeals/<int:appeal_pk>/withdraw",
    "centres/<int:pk>/appeals/",
    "centres/<int:pk>/complaints/new",
)
