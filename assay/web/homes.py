"""Each role's home after sign-in, the chooser at /me/ for people with several, and the nav
links a person can use, worked out once at sign-in and kept in the session.

Base.html reads the session key, so a page costs no query per nav link. A role granted or
revoked later shows from the next sign-in (or when /me/ is opened, which refreshes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from assay.centres.models import Membership
from assay.engines.accounts.homes import ROLE_HOME, HomeKind, nav_links
from assay.registrations.models import Registration
from assay.users import AnyUser, User

SESSION_KEY = "assay_nav"


@dataclass(frozen=True, slots=True)
class Home:
    kind: HomeKind
    label: str
    url: str


def _audit_roles(user: AnyUser) -> frozenset[str]:
    from assay.audits.pages.home import audit_roles

    return audit_roles(user)


def _awarding_body(user: AnyUser) -> bool:
    from assay.claims.access import is_awarding_body

    return is_awarding_body(user)


def homes_of(user: AnyUser) -> list[Home]:
    """Every home a person has, in the engine's order (one per centre or registration)."""
    if not user.is_authenticated:
        return []
    homes: list[Home] = []
    if getattr(user, "is_superuser", False):
        homes.append(Home(HomeKind.CENTRES, "Every centre (awarding body)", reverse("centres")))
    rows = Membership.objects.filter(user_id=user.pk, active=True).select_related("centre")
    seen: set[tuple[HomeKind, int]] = set()
    for m in rows:
        kind = ROLE_HOME.get(m.role)
        if kind is None:
            continue
        if kind is HomeKind.CENTRE and (kind, m.centre_id) not in seen:
            seen.add((kind, m.centre_id))
            url = reverse("centre-dashboard", args=[m.centre_id])
            homes.append(Home(kind, f"{m.centre.name}: {m.get_role_display().lower()}", url))
        elif kind in (HomeKind.CASELOAD, HomeKind.SIGNATURES) and (kind, 0) not in seen:
            seen.add((kind, 0))
            name = "caseload" if kind is HomeKind.CASELOAD else "employer-signatures"
            label = "My caseload" if kind is HomeKind.CASELOAD else "Waiting for my signature"
            homes.append(Home(kind, label, reverse(name)))
    own = Registration.objects.filter(candidate__user_id=user.pk).select_related(
        "qualification", "centre"
    )
    for reg in own.order_by("-registered_on", "-pk"):
        url = reverse("portfolio", args=[reg.pk])
        label = f"My portfolio: {reg.qualification.code} at {reg.centre.name}"
        homes.append(Home(HomeKind.PORTFOLIO, label, url))
    if _audit_roles(user):
        homes.append(Home(HomeKind.AUDITS, "My audits", reverse("audits")))
    if _awarding_body(user):
        homes.append(
            Home(HomeKind.CLAIMS, "Claims to decide (awarding body)", reverse("claims-queue"))
        )
    order = list(HomeKind)
    return sorted(homes, key=lambda h: order.index(h.kind))


def remember_nav(request: HttpRequest, user: User) -> list[str]:
    """Work out the person's nav links and keep them in the session."""
    roles = frozenset(
        Membership.objects.filter(user_id=user.pk, active=True).values_list("role", flat=True)
    )
    links = sorted(
        nav_links(
            roles,
            superuser=bool(getattr(user, "is_superuser", False)),
            audit_roles=bool(_audit_roles(user)),
            awarding_body=_awarding_body(user),
        )
    )
    if request.session.get(SESSION_KEY) != links:
        request.session[SESSION_KEY] = links
    return links


def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (connected in ``WebConfig.ready``)."""
    if request is None or not hasattr(request, "session"):
        return
    remember_nav(request, user)
