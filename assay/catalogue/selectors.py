"""Reads from the catalogue. The catalogue is public reference data (ADR 0004)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from assay.catalogue.combination import engine_spec
from assay.catalogue.models import (
    Criterion,
    CrosswalkEntry,
    NosArea,
    NosFunction,
    Outcome,
    Qualification,
    SpecFile,
    Unit,
)
from assay.engines.combination.model import Spec
from assay.engines.coverage import has_content
from assay.errors import NotFound
from assay.keyset import Page, paginate

QUALIFICATION_ORDER = ("code", "pk")
CRITERION_ORDER = ("unit__qualification__code", "unit__position", "position", "pk")


def newest_qualifications() -> QuerySet[Qualification]:
    """The newest imported version of each qualification (no later spec file carries its
    code), with its spec file's header but not its content: a list shows none of it."""
    newer = Qualification.objects.filter(code=OuterRef("code")).filter(
        Q(spec__pk__gt=OuterRef("spec__pk"))
        | Q(spec__pk=OuterRef("spec__pk"), pk__gt=OuterRef("pk"))
    )
    return (
        Qualification.objects.filter(~Exists(newer)).select_related("spec").defer("spec__content")
    )


def qualification_list() -> list[Qualification]:
    """The newest imported version of each qualification, by code."""
    return list(newest_qualifications().order_by(*QUALIFICATION_ORDER))


def qualifications_page(
    cursor: str | None = None, size: int | str | None = None
) -> Page[Qualification]:
    """One page of ``qualification_list``."""
    return paginate(newest_qualifications(), QUALIFICATION_ORDER, cursor, size)


def qualification_get(key: str, *, version: str | None = None) -> Qualification:
    """A qualification by code (``4430-04``) or spec id (``cg-4430-04``), newest version unless
    ``version`` is given. Codes compare case-insensitively."""
    qs = Qualification.objects.select_related("spec").filter(
        Q(code__iexact=key) | Q(spec__spec_id__iexact=key)
    )
    if version is not None:
        qs = qs.filter(spec__version=version)
    qual = qs.order_by("-spec__pk", "-pk").first()
    if qual is None:
        suffix = f" version {version}" if version else ""
        raise NotFound(f"unknown qualification {key!r}{suffix}")
    return qual


def qualification_versions(qual: Qualification) -> list[str]:
    return list(
        SpecFile.objects.filter(spec_id=qual.spec.spec_id)
        .order_by("pk")
        .values_list("version", flat=True)
    )


def units_overview(qual: Qualification) -> QuerySet[Unit]:
    """Units with their group only, for lists and the plan builder (one query)."""
    return Unit.objects.filter(qualification=qual).select_related("group")


def units_of(qual: Qualification) -> QuerySet[Unit]:
    """Units with their group, outcomes, criteria and evidence requirements in 5 queries."""
    return (
        Unit.objects.filter(qualification=qual)
        .select_related("group")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.prefetch_related(
                    Prefetch("criteria", queryset=Criterion.objects.order_by("position"))
                ),
            ),
            "evidence_requirements",
            Prefetch("criteria", queryset=Criterion.objects.filter(outcome__isnull=True)),
        )
    )


def unit_get(qual: Qualification, number: str) -> Unit:
    unit = units_of(qual).filter(number=number).first()
    if unit is None:
        raise NotFound(f"unknown unit {number!r} in {qual.code}")
    return unit


def unit_dict(unit: Unit) -> dict[str, Any]:
    """The JSON shape of a unit (``catalogue show`` and the API share it)."""
    data: dict[str, Any] = {
        "number": unit.number,
        "code": unit.code,
        "title": unit.title,
        "level": unit.level,
        "credit": unit.credit,
        "glh": unit.glh,
        "group": unit.group.name,
        "group_id": unit.group.slug,
        "mandatory": unit.group.mandatory,
        "nos": unit.nos or None,
        "ndaq": unit.ndaq or None,
        "aim": unit.aim or None,
        "outcomes": [
            {
                "number": o.number,
                "title": o.title,
                "criteria": [{"number": c.number, "text": c.text} for c in o.criteria.all()],
            }
            for o in unit.outcomes.all()
        ],
        "evidence_requirements": [
            {"number": r.number, "text": r.text, "range": r.range}
            for r in unit.evidence_requirements.all()
        ],
    }
    elements = [c for c in unit.criteria.all() if c.outcome_id is None]
    if elements:
        data["elements"] = [{"number": e.number, "title": e.text} for e in elements]
    for key in ("real_job_required", "simulation"):
        if key in unit.details:
            data[key] = unit.details[key]
    return data


def qualification_summary(qual: Qualification) -> dict[str, Any]:
    return {
        "code": qual.code,
        "id": qual.spec.spec_id,
        "version": qual.spec.version,
        "title": qual.title,
        "level": qual.level,
        "awarding_body": qual.awarding_body,
    }


def qualification_dict(qual: Qualification) -> dict[str, Any]:
    """Everything ``catalogue show --json`` prints: header, groups, rules and every unit."""
    content = qual.spec.content
    return {
        **qualification_summary(qual),
        "accreditation_number": qual.accreditation_number or None,
        "last_registration": content.get("last_registration"),
        "last_certification": content.get("last_certification"),
        "minimum_age": qual.minimum_age,
        "groups": [
            {"id": g["id"], "name": g["name"], "mandatory": g["mandatory"]}
            for g in content["groups"]
        ],
        "rules": content["rules"],
        "units": [unit_dict(u) for u in units_of(qual)],
    }


@lru_cache(maxsize=64)
def _engine_spec_for(spec_pk: int, sha256: str) -> Spec:
    return engine_spec(SpecFile.objects.get(pk=spec_pk).content)


def qualification_engine_spec(qual: Qualification) -> Spec:
    """The rules engine's view of a qualification (cached by content hash)."""
    return _engine_spec_for(qual.spec.pk, qual.spec.sha256)


@lru_cache(maxsize=64)
def _without_content_for(spec_pk: int, sha256: str) -> frozenset[str]:
    units = SpecFile.objects.get(pk=spec_pk).content.get("units") or ()
    return frozenset(str(u["number"]) for u in units if not has_content(u))


def units_without_content(qual: Qualification) -> frozenset[str]:
    """Numbers of the units whose outcomes and criteria the catalogue does not hold (the
    C&G 4430-04 Level 3 options 303-318): achieved only by credit transfer until a
    specification file with their content is imported (ADR 0010). Cached by content hash."""
    return _without_content_for(qual.spec.pk, qual.spec.sha256)


def _criteria_matching(text: str) -> QuerySet[Criterion]:
    qs = Criterion.objects.select_related("unit__qualification", "outcome")
    words = [w for w in text.split() if w]
    if not words:
        return qs.none()
    for word in words:
        qs = qs.filter(text__icontains=word)
    return qs


def criteria_page(
    text: str, cursor: str | None = None, size: int | str | None = None
) -> Page[Criterion]:
    """One page of the criteria (and elements) whose text contains every word of ``text``:
    by qualification code, unit and criterion."""
    return paginate(_criteria_matching(text), CRITERION_ORDER, cursor, size)


def nos_map() -> tuple[list[NosArea], dict[str, list[tuple[str, str, CrosswalkEntry]]]]:
    """NOS areas with functions (newest framework), and crosswalk entries keyed by function."""
    newest = SpecFile.objects.filter(kind="framework").order_by("-pk").first()
    if newest is None:
        return [], {}
    areas = list(
        NosArea.objects.filter(spec=newest).prefetch_related(
            Prefetch("functions", queryset=NosFunction.objects.order_by("code"))
        )
    )
    links: dict[str, list[tuple[str, str, CrosswalkEntry]]] = {}
    latest_quals = {q.spec.spec_id: q for q in qualification_list()}
    for entry in CrosswalkEntry.objects.select_related("spec").order_by("pk"):
        qual = latest_quals.get(entry.qualification_spec_id)
        code = qual.code if qual else entry.qualification_spec_id
        links.setdefault(entry.function_code, []).append((code, entry.unit_number, entry))
    return areas, links


def spec_content(spec_id: str) -> dict[str, Any] | None:
    """Newest content of a non-qualification spec (framework, crosswalk, membership)."""
    spec = SpecFile.objects.filter(spec_id=spec_id).order_by("-pk").first()
    return None if spec is None else dict(spec.content)
