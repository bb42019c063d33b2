"""Reads for the audits index, an organisation, planning a new audit and renewals (what a
signed-in user finds before opening one audit)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from assay.audits import permissions as perm
from assay.audits.certificates import REMIND_DAYS, ReminderDue, reminders_due_page
from assay.audits.models import (
    Audit,
    AuditStatus,
    BodyMembership,
    BodyRole,
    CertifyingBody,
    Organisation,
    StandardVersion,
)
from assay.audits.reference_answers import (
    CertificateOut,
    OfficeOut,
    OrganisationOut,
    certificate_answer,
    organisation_answer,
)
from assay.audits.selectors import (
    audits_page,
    audits_visible_to,
    certificates_page,
    organisation_get,
    organisations_page,
    organisations_visible_to,
)
from assay.errors import InvalidInput, NotAllowed
from assay.keyset import Page
from assay.users import AnyUser

# The query parameters that carry each list's cursor on the pages (``?audits=<cursor>``); one
# ``size`` serves them all.
ORGANISATIONS, AUDITS, CERTIFICATES = "organisations", "audits", "certificates"

# --- the audits index -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditsHome:
    """What the signed-in user has to do with audits: their organisations, audits and
    certificates (one keyset page of each), and whether they may plan audits (a body
    administrator)."""

    organisations: Page[Organisation]
    audits: Page[Audit]
    certificates: Page[CertificateOut]
    can_plan: bool
    roles: frozenset[str]
    can_remind: bool = False
    administered_bodies: list[CertifyingBody] = field(default_factory=list)  # accounts links


def audit_roles(user: AnyUser) -> frozenset[str]:
    """The audit roles a user holds anywhere (the nav link shows for any of them)."""
    if not user.is_authenticated:
        return frozenset()
    roles = set(
        BodyMembership.objects.filter(user_id=user.pk, active=True).values_list("role", flat=True)
    )
    if perm.contact_organisation_ids(user):
        roles.add("contact")
    if perm.is_operator(user):
        roles.add(BodyRole.ADMINISTRATOR)
    return frozenset(roles)


def audits_home(
    user: AnyUser, cursors: Mapping[str, str | None] | None = None, size: int | str | None = None
) -> AuditsHome:
    """The index: ``cursors`` maps ``ORGANISATIONS``, ``AUDITS`` and ``CERTIFICATES`` to the
    page of each list to show (the first when absent)."""
    cursors = cursors or {}
    roles = audit_roles(user)
    return AuditsHome(
        organisations=organisations_page(user, cursors.get(ORGANISATIONS), size),
        audits=audits_page(user, cursors.get(AUDITS), size),
        certificates=certificates_page(user, cursors.get(CERTIFICATES), size).map(
            certificate_answer
        ),
        can_plan=BodyRole.ADMINISTRATOR in roles,
        roles=roles,
        can_remind=BodyRole.ADMINISTRATOR in roles,
        administered_bodies=_administered_bodies(user, roles),
    )


def _administered_bodies(user: AnyUser, roles: frozenset[str]) -> list[CertifyingBody]:
    """The bodies whose accounts page the user may open: their administrators' (the
    operator's: every body)."""
    if BodyRole.ADMINISTRATOR not in roles:
        return []
    rows = CertifyingBody.objects.order_by("name")
    if perm.is_operator(user):
        return list(rows)
    return list(rows.filter(pk__in=perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)))


# --- organisations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationPage:
    """The organisation as the API answers it, its offices grouped by state or territory with
    the name of each one's division (the answer gives its id), and what the page alone lists:
    the body it is a client of, its audits and certificates, whether the user may plan."""

    organisation: OrganisationOut
    body_name: str
    offices_by_state: list[tuple[str, list[tuple[OfficeOut, str]]]]
    audits: Page[Audit]
    certificates: Page[CertificateOut]
    can_plan: bool


def organisation_page(
    user: AnyUser,
    pk: int,
    cursors: Mapping[str, str | None] | None = None,
    size: int | str | None = None,
) -> OrganisationPage:
    """An organisation with its divisions and its offices grouped by state or territory, and
    a page of its audits and of its certificates (``cursors`` as for ``audits_home``)."""
    cursors = cursors or {}
    row = organisation_get(user, pk)
    organisation = organisation_answer(row)
    division_names = {d.id: d.name for d in organisation.divisions}
    by_state: dict[str, list[tuple[OfficeOut, str]]] = defaultdict(list)
    for office in organisation.offices:
        division = division_names.get(office.division, "") if office.division else ""
        by_state[office.state].append((office, division))
    return OrganisationPage(
        organisation=organisation,
        body_name=row.body.name,
        offices_by_state=sorted(by_state.items()),
        audits=audits_page(user, cursors.get(AUDITS), size, organisation=row),
        certificates=certificates_page(user, cursors.get(CERTIFICATES), size, organisation=row).map(
            certificate_answer
        ),
        can_plan=perm.can_administer(user, row.body_id),
    )


SUGGESTIONS = 20  # the most organisations, divisions or audits one search suggests
_NAMED_REFERENCE = re.compile(r"^.*\(([^()]+)\)\s*$")  # "Acme Services (ACME)"


@dataclass(frozen=True)
class NewAuditChoices:
    """What an administrator may choose from when planning an audit: the standard versions (a
    short list, shown whole, without their content) and, read only for what was typed or
    searched, the organisations of the bodies they administer and those bodies' decided audits
    not yet re-certified. Nothing here grows the page with the body's clients."""

    standards: list[StandardVersion]
    organisations: QuerySet[Organisation]
    previous: QuerySet[Audit]


def new_audit_choices(user: AnyUser) -> NewAuditChoices:
    bodies = perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)
    orgs = organisations_visible_to(user)
    audits = audits_visible_to(user).filter(status=AuditStatus.DECIDED, next_audits__isnull=True)
    if not perm.is_operator(user):
        if not bodies:
            raise NotAllowed("only the certifying body's administrators plan audits")
        orgs = orgs.filter(body_id__in=bodies)
        audits = audits.filter(body_id__in=bodies)
    return NewAuditChoices(
        standards=list(StandardVersion.objects.defer("content").order_by("code", "-version")),
        organisations=orgs,
        previous=audits,
    )


def organisation_label(organisation: Organisation) -> str:
    """How a suggestion names an organisation, and one way to type it back."""
    return f"{organisation.name} ({organisation.reference})"


def organisation_matching(choices: NewAuditChoices, typed: str) -> Organisation:
    """The organisation ``typed`` names among those the user plans audits for: its number, its
    reference, "Name (REFERENCE)" as suggested, or its exact name (case aside). Anything else,
    or a name two organisations share, is InvalidInput on ``organisation`` saying what to do."""
    text = typed.strip()
    orgs = choices.organisations
    found: Organisation | None = None
    if text.isdigit():
        found = orgs.filter(pk=int(text)).first()
    if found is None and text:
        found = orgs.filter(reference__iexact=text).first()
    named = _NAMED_REFERENCE.match(text)
    if found is None and named:
        found = orgs.filter(reference__iexact=named.group(1).strip()).first()
    if found is None and text:
        same_name = list(orgs.filter(name__iexact=text).order_by("pk")[:2])
        if len(same_name) > 1:
            raise InvalidInput(
                {
                    "organisation": f"more than one organisation is called {text!r}: give its "
                    "reference"
                }
            )
        found = same_name[0] if same_name else None
    if found is None:
        raise InvalidInput(
            {
                "organisation": f"no organisation you plan audits for matches {text!r}: type "
                "its name, its reference or its number"
            }
        )
    return found


def _search(text: str) -> Q:
    return Q(name__icontains=text) | Q(reference__istartswith=text)


def new_audit_suggestions(
    user: AnyUser, field: str, typed: Mapping[str, str]
) -> list[tuple[str, str]]:
    """At most ``SUGGESTIONS`` (value, label) pairs for one field of the plan-an-audit form,
    matching what was typed in it, among what the user may plan: organisations by name or
    reference, the divisions of the organisation typed, decided audits by number or
    organisation. The value is what the form accepts back."""
    choices = new_audit_choices(user)
    text = typed.get(field, "").strip()
    if field == "organisation":
        orgs = choices.organisations.filter(_search(text)) if text else choices.organisations
        return [
            (organisation_label(o), "")
            for o in orgs.select_related(None)
            .only("pk", "name", "reference")
            .order_by("name", "pk")[:SUGGESTIONS]
        ]
    if field == "division":
        try:
            organisation = organisation_matching(choices, typed.get("organisation", ""))
        except InvalidInput:
            return []
        divisions = organisation.divisions.order_by("name", "pk")
        if text:
            divisions = divisions.filter(name__icontains=text)
        return [
            (d.name, f"{organisation.name}: {d.name} division") for d in divisions[:SUGGESTIONS]
        ]
    if field == "previous":
        audits = choices.previous.defer("standard__content")
        if text.isdigit():
            audits = audits.filter(pk=int(text))
        elif text:
            audits = audits.filter(
                Q(organisation__name__icontains=text) | Q(organisation__reference__istartswith=text)
            )
        return [
            (str(a.pk), f"Audit {a.pk}: {a.scope_text}, {a.created_on:%d/%m/%Y}")
            for a in audits.order_by("organisation__name", "-created_on", "pk")[:SUGGESTIONS]
        ]
    raise InvalidInput({"field": "suggestions are for organisation, division or previous"})


# --- renewals ----------------------------------------------------------------------------------


def may_remind(user: AnyUser) -> None:
    """Renewal reminders are the certifying body's administrators' (the service only ever
    lists the certificates of bodies the user administers); anybody else is NotAllowed."""
    if not (perm.is_operator(user) or perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)):
        raise NotAllowed("only the certifying body's administrators send renewal reminders")


@dataclass(frozen=True)
class RenewalsPage:
    within_days: int
    due: Page[ReminderDue]


def renewals_page(
    user: AnyUser,
    within_days: int = REMIND_DAYS,
    cursor: str | None = None,
    size: int | str | None = None,
) -> RenewalsPage:
    """A keyset page of the valid certificates of the user's bodies expiring within
    ``within_days``, soonest first, with who would be reminded and whether they already were
    (``reminders_due``, the CLI's read, one page at a time)."""
    may_remind(user)
    due = reminders_due_page(user, within_days=within_days, cursor=cursor, size=size)  # type: ignore[arg-type]
    return RenewalsPage(within_days, due)
