"""Accounts: API tokens for programs that call the JSON API on a person's behalf."""
