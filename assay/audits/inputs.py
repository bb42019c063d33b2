"""Stored rows → the audit engine's inputs (offices to sample, latest scores, sites).

No permission checks here: callers (services, selectors) have already narrowed the audit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from assay.audits.models import (
    Audit,
    Finding,
    Office,
    SamplePick,
    SamplingPolicy,
    SelfAssessment,
    SiteScore,
)
from assay.audits.results_table import Site
from assay.engines.audit.findings import FindingFacts
from assay.engines.audit.sampling import DEFAULT_RULE, SamplingRule
from assay.engines.audit.sampling import Office as SampleOffice


def sampling_rule_of(body_id: int) -> tuple[SamplingRule, int]:
    """The body's current sampling rule and its policy version (0: Assay's default)."""
    latest = SamplingPolicy.objects.filter(body_id=body_id).order_by("-version").first()
    if latest is None:
        return DEFAULT_RULE, 0
    return SamplingRule(latest.rule, latest.rule_version, latest.random_percent), latest.version


def scope_offices(audit: Audit) -> QuerySet[Office]:
    """The offices in the audit's scope: the whole organisation, or one division's offices."""
    offices = Office.objects.filter(organisation_id=audit.organisation_id)
    if audit.division_id is not None:
        offices = offices.filter(division_id=audit.division_id)
    return offices.order_by("state", "pk")


def sample_inputs(audit: Audit) -> list[SampleOffice]:
    """The engine's offices for the draw, with the risk history of earlier audits of the same
    organisation: the mean of an office's latest scores in the last audit that visited it,
    and the date of that visit (never visited → None, the highest risk)."""
    offices = list(scope_offices(audit))
    earlier = SiteScore.objects.filter(
        audit__organisation_id=audit.organisation_id,
        audit__created_on__lte=audit.created_on,
        office_id__in=[o.pk for o in offices],
    ).exclude(audit_id=audit.pk)
    latest: dict[tuple[int, int, str], int] = {}
    visited: dict[int, tuple[dt.date, int]] = {}
    for row in earlier.order_by("pk").values(
        "audit_id", "audit__created_on", "office_id", "attribute", "score", "recorded_on"
    ):
        latest[(row["office_id"], row["audit_id"], row["attribute"])] = row["score"]
        seen = visited.get(row["office_id"])
        if seen is None or (row["recorded_on"], row["audit_id"]) >= seen:
            visited[row["office_id"]] = (row["recorded_on"], row["audit_id"])
    result = []
    for office in offices:
        last_score = None
        last_visit = visited.get(office.pk)
        if last_visit is not None:
            values = [
                score
                for (office_id, audit_id, _), score in latest.items()
                if office_id == office.pk and audit_id == last_visit[1]
            ]
            last_score = round(sum(values) / len(values), 4) if values else None
        result.append(
            SampleOffice(
                id=str(office.pk),
                name=office.name,
                state=office.state,
                is_main=office.is_division_main if audit.division_id else office.is_main,
                complaints=office.complaints,
                last_score=last_score,
                last_visited=last_visit[0] if last_visit else None,
            )
        )
    return result


def finding_facts(audit: Audit) -> list[FindingFacts]:
    """The audit's findings as the decision reads them (sites named by office name), in
    number order, with each nonconformity's corrective action state."""
    rows = (
        Finding.objects.filter(audit=audit)
        .select_related("office", "corrective_action")
        .order_by("number")
    )
    facts = []
    for f in rows:
        action = getattr(f, "corrective_action", None)
        facts.append(
            FindingFacts(
                f.ref,
                f.grade,
                f.attribute,
                f.office.name,
                f.summary,
                None if action is None else action.state,
            )
        )
    return facts


def sampled_sites(audit: Audit) -> tuple[str, ...]:
    """The required sites of the audit, in draw order. Sites are named by office name (unique
    within an organisation) so that the engine's reasons read "… at Perth office"."""
    return tuple(
        SamplePick.objects.filter(sample__audit=audit)
        .order_by("position")
        .values_list("office__name", flat=True)
    )


def sampled_site_rows(audit: Audit) -> tuple[Site, ...]:
    """``sampled_sites`` with each office's state and whether it is the main office (of its
    state, or of the division's offices in the state for a division audit), in one query."""
    main = "office__is_division_main" if audit.division_id else "office__is_main"
    rows = (
        SamplePick.objects.filter(sample__audit=audit)
        .order_by("position")
        .values_list("office__name", "office__state", main)
    )
    return tuple(Site(name, name, state, bool(is_main)) for name, state, is_main in rows)


def latest_scores(audit: Audit) -> dict[str, dict[str, int]]:
    """site (office name) → attribute → the latest score (append-only rows; latest wins)."""
    scores: dict[str, dict[str, int]] = defaultdict(dict)
    for site, attribute, score in (
        SiteScore.objects.filter(audit=audit)
        .order_by("pk")
        .values_list("office__name", "attribute", "score")
    ):
        scores[site][attribute] = score
    return dict(scores)


def latest_self_assessment(audit: Audit) -> dict[str, int]:
    """attribute → management's latest expected score."""
    out: dict[str, int] = {}
    for attribute, score in (
        SelfAssessment.objects.filter(audit=audit).order_by("pk").values_list("attribute", "score")
    ):
        out[attribute] = score
    return out
