"""The one name for "a person signed in" and for "whoever is asking".

Assay keeps Django's built-in user model (ADR 0013), so ``User`` is
``django.contrib.auth.models.User``; ``AnyUser`` adds the anonymous visitor for the public
pages and the permission predicates that answer "no" to them. Services and selectors type
their actor with these instead of ``Any`` or ``AbstractBaseUser``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

AnyUser = User | AnonymousUser

__all__ = ["AnyUser", "User"]
