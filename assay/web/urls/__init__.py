"""URL map of the server-rendered pages, one module per domain (the JSON API lives under
/api/v1/, assay.api).

The modules' lists are joined flat, not ``include()``d under prefixes, so every pattern reads
whole where it is declared and the route tests can list them from ``urlpatterns``. Their
prefixes do not overlap in a way where order across modules matters.
"""

from assay.web.urls import (
    accounts,
    appeals,
    audits,
    catalogue,
    centres,
    claims,
    credentials,
    iqa,
    jobs,
    portfolios,
    registrations,
    reviews,
)

urlpatterns = [
    *catalogue.urlpatterns,
    *centres.urlpatterns,
    *registrations.urlpatterns,
    *portfolios.urlpatterns,
    *reviews.urlpatterns,
    *appeals.urlpatterns,
    *accounts.urlpatterns,
    *audits.urlpatterns,
    *iqa.urlpatterns,
    *credentials.urlpatterns,
    *claims.urlpatterns,
    *jobs.urlpatterns,
]
