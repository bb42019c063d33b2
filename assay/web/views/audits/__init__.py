"""Pages of the certification audit cycle (docs/audits.md), one per step, and the public
certificate register, in modules by area: ``home`` (index, standards, organisations, planning,
renewals), ``audit`` (one audit and its sample), ``scores`` (scoring, results, reports),
``certificates`` (decision, certificates, the public register); ``present`` holds what they
share.

Thin views: parse the form, call one read of ``assay.audits.pages`` or one service, render.
Every audit page is narrowed through the selectors: an audit, organisation, office or
certificate the user may not see answers 404 like a missing one; an act the role may not do
answers 403 with the service's sentence; bad input re-renders with the errors (400) and changes
nothing. Only ``/register/certificates/`` is open without signing in.
"""
