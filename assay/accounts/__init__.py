"""Accounts: API tokens, invitations, deactivation and role revocation, with their history."""
