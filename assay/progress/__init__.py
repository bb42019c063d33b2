"""Read models and decisions that span registrations, portfolios and reviews: the caseload,
centre progress, the registration page and completing a registration."""
