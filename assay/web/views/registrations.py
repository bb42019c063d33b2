"""The candidate's registration page and its forms: status, initial assessment, RPL,
signatures, and (for administrators) the candidate's sign-in and employer contact.

A registration the user may not see answers 404 (``registration_get``); a form their role does
not allow answers 403 with the service's reason. Bad input re-renders the page with the form's
field errors (400) and changes nothing. The learning plan editor lives in ``plan_editor.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay import clock
from assay.centres.permissions import can_administer
from assay.errors import NotAllowed
from assay.progress import registration_page
from assay.progress.completion import registration_extend, registration_transition
from assay.registrations.induction import initial_assessment_record, signature_record
from assay.registrations.links import candidate_account_link, candidate_employer_contact_set
from assay.registrations.prior_learning import credit_transfer_record, rpl_claim_create, rpl_decide
from assay.registrations.selectors import registration_get
from assay.web.flow import done, submit
from assay.web.forms import (
    CreditTransferForm,
    ExtensionForm,
    InitialAssessmentForm,
    RplClaimForm,
    RplDecisionForm,
    SignForm,
    StatusForm,
)
from assay.web.people_forms import AccountLinkForm, EmployerContactForm
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view

# Which page flag offers each form (used only when re-rendering a rejected form).
FORM_FLAGS = {
    "status": ("can_change_status", "only a centre administrator or lead IQA can change status"),
    "initial": (
        "can_assess_initially",
        "only a centre administrator or tutor records the initial assessment",
    ),
    "rpl": ("can_claim_rpl", "only the candidate or a centre administrator can claim RPL"),
    "decide": ("can_decide_rpl", "only an assessor of this candidate can decide on RPL"),
    "credit": (
        "can_record_credit_transfer",
        "only a centre administrator or an assessor of this candidate records credit transfer",
    ),
    "sign": ("sign_as", "you cannot sign for this registration"),
    "account": ("can_link_accounts", "only a centre administrator can link a candidate's sign-in"),
    "employer": (
        "can_link_accounts",
        "only a centre administrator can set a candidate's employer contact",
    ),
}


def _forms(
    page: registration_page.RegistrationPage, bound: Mapping[str, forms.Form]
) -> dict[str, Any]:
    ia = page.initial_assessment
    initial = (
        {
            "training_needs": ia.training_needs,
            "support_needs": ia.support_needs,
            **ia.job_role,
        }
        if ia
        else None
    )
    contact = page.candidate.employer_contact_id
    built: dict[str, Any] = {
        "status": StatusForm(),
        "initial": InitialAssessmentForm(initial=initial),
        "rpl": RplClaimForm(),
        "credit": CreditTransferForm(),
        "account": AccountLinkForm(),
        "employer": EmployerContactForm(initial={"employer_contact": contact}),
        **bound,
    }
    built["rpl"].offer(page.unit_choices)
    built["credit"].offer(page.unit_choices)
    built["employer"].offer(page.employer_contacts)
    return built


def _page(
    request: AuthedRequest,
    pk: int,
    bound: Mapping[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = registration_page.registration_page(request.user, pk, clock.today())
    for name in bound or {}:
        flag, message = FORM_FLAGS[name]
        if not getattr(page, flag):
            raise NotAllowed(message)
    context = {"page": page, "forms": _forms(page, bound or {}), "errored": set(bound or {})}
    return render(request, "web/registrations/detail.html", context, status=status)


@require_GET
@member_view
def registration_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Candidate facts, status and history, plan, initial assessment, RPL and signatures."""
    return _page(request, pk)


def _done(request: AuthedRequest, pk: int, message: str) -> HttpResponse:
    return done(request, message, "registration", pk=pk)


def _again(request: AuthedRequest, pk: int, name: str) -> Callable[[forms.Form], HttpResponse]:
    """The page again with the form ``name`` bound and its errors shown (400)."""
    return lambda form: _page(request, pk, {name: form}, status=400)


@require_POST
@member_view
def registration_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move the registration to an allowed next status (``registration_transition``): an
    explicit choice, a reason and a confirmation, every missing one reported at once."""
    registration = registration_get(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        change = registration_transition(
            by=request.user,
            registration=registration,
            to=data["status"],
            reason=data["reason"],
            confirmed=data["confirm"],
        )
        return _done(request, pk, f"Status changed to {change.get_to_status_display()}.")

    return submit(StatusForm(request.POST), act, _again(request, pk, "status"))


@require_POST
@member_view
def initial_assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record training and support needs and the job role (``initial_assessment_record``)."""
    registration = registration_get(request.user, pk)
    form = InitialAssessmentForm(request.POST)

    def act(data: dict[str, Any]) -> HttpResponse:
        record = initial_assessment_record(
            by=request.user,
            registration=registration,
            training_needs=data["training_needs"],
            support_needs=data["support_needs"],
            job_role_facts=form.job_role_facts(),
        )
        level = record.recommended_level
        return _done(request, pk, f"Initial assessment recorded: Level {level} recommended.")

    return submit(form, act, _again(request, pk, "initial"))


@require_POST
@member_view
def rpl_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    """Claim recognition of prior learning for one unit (``rpl_claim_create``)."""
    registration = registration_get(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        claim = rpl_claim_create(
            by=request.user, registration=registration, unit=data["unit"], evidence=data["evidence"]
        )
        return _done(request, pk, f"RPL claimed for unit {claim.unit_number}.")

    return submit(RplClaimForm(request.POST), act, _again(request, pk, "rpl"))


@require_POST
@member_view
def credit_transfer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a unit achieved elsewhere, with its certificate (``credit_transfer_record``)."""
    registration = registration_get(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        record = credit_transfer_record(
            by=request.user,
            registration=registration,
            unit=data["unit"],
            certificate_reference=data["certificate_reference"],
            note=data["note"],
        )
        return _done(request, pk, f"Unit {record.unit_number} credited by credit transfer.")

    return submit(CreditTransferForm(request.POST), act, _again(request, pk, "credit"))


@require_POST
@member_view
def rpl_decision(request: AuthedRequest, pk: int, claim_pk: int) -> HttpResponse:
    """An assessor of the candidate accepts or rejects an RPL claim (``rpl_decide``)."""
    registration = registration_get(request.user, pk)
    claim = next((c for c in registration.rpl_claims.all() if c.pk == claim_pk), None)
    if claim is None:
        raise Http404(f"no RPL claim {claim_pk} on registration {pk}")

    def act(data: dict[str, Any]) -> HttpResponse:
        decided = rpl_decide(by=request.user, claim=claim, accept=data["decision"] == "accept")
        verdict = "accepted" if decided.accepted else "rejected"
        return _done(request, pk, f"RPL for unit {decided.unit_number} {verdict}.")

    return submit(RplDecisionForm(request.POST), act, _again(request, pk, "decide"))


@require_POST
@member_view
def sign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sign the induction checklist or learning contract (``signature_record``): the text
    signed is the one the page shows, kept with its hash, the IP address and the browser."""
    registration = registration_get(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        document = data["document"]
        signature = signature_record(
            by=request.user,
            registration=registration,
            document=document,
            capacity=data["capacity"],
            text=registration_page.document_text(registration, document),
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.headers.get("User-Agent", ""),
        )
        signed = f"{signature.get_document_display()} signed as {signature.capacity}."
        return _done(request, pk, signed)

    return submit(SignForm(request.POST), act, _again(request, pk, "sign"))


@require_POST
@member_view
def account_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give the candidate a sign-in of their own (``candidate_account_link``)."""
    registration = registration_get(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        candidate = candidate_account_link(
            by=request.user, candidate=registration.candidate, user=data["username"]
        )
        return _done(request, pk, f"{candidate} now signs in as {candidate.user}.")

    return submit(AccountLinkForm(request.POST), act, _again(request, pk, "account"))


@require_POST
@member_view
def employer_contact(request: AuthedRequest, pk: int) -> HttpResponse:
    """Name the candidate's employer contact, or none (``candidate_employer_contact_set``)."""
    registration = registration_get(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        candidate = candidate_employer_contact_set(
            by=request.user, candidate=registration.candidate, user=data["employer_contact"]
        )
        contact = candidate.employer_contact
        name = contact and (contact.get_full_name() or contact.get_username())
        named = f"{name} is now" if name else "Nobody is now"
        return _done(request, pk, f"{named} {candidate}'s employer contact.")

    return submit(EmployerContactForm(request.POST), act, _again(request, pk, "employer"))


@require_http_methods(["GET", "POST"])
@member_view
def registration_extension(request: AuthedRequest, pk: int) -> HttpResponse:
    """Extend the period of registration to a later end date, with a reason
    (``registration_extend``); the extension is kept with who and when."""
    registration = registration_get(request.user, pk)
    if not can_administer(request.user, registration.centre):
        raise NotAllowed("only a centre administrator can extend a registration")

    def show(form: ExtensionForm, status: int = 400) -> HttpResponse:
        context = {"registration": registration, "form": form}
        return render(request, "web/registrations/extend.html", context, status=status)

    def act(data: dict[str, Any]) -> HttpResponse:
        extension = registration_extend(
            by=request.user,
            registration=registration,
            new_end=data["new_end"],
            reason=data["reason"],
        )
        return _done(request, pk, f"Period extended to {extension.new_end:%d/%m/%Y}.")

    if request.method != "POST":
        return show(ExtensionForm(), status=200)
    return submit(ExtensionForm(request.POST), act, show)
