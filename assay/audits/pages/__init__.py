"""Reads for the audit web pages, one call per page, by area (``home``, ``audit``, ``scores``),
narrowed through the selectors (ADR 0006).

Each function fetches the audit with ``selectors.audit_get`` first, so an audit the user may
not see is ``NotFound`` exactly like a missing one; a page whose act the user's role does not
allow on a visible audit raises ``NotAllowed`` with the sentence saying who can. What a user may
do next (``acts``) is worked out here from the same permission helpers the services use, so a
page never offers a button the service would refuse for the role.
"""
