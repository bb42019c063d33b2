"""Exports of catalogue content in open formats (1EdTech CASE 1.1)."""

from __future__ import annotations

from typing import Any

from assay.catalogue.case import export_case
from assay.catalogue.models import CrosswalkEntry, Qualification, SpecFile


def case_package(qual: Qualification) -> dict[str, Any]:
    """A CASE CFPackage for the qualification, with its NOS crosswalk when one is imported."""
    content = qual.spec.content
    crosswalk_spec = (
        SpecFile.objects.filter(
            kind="crosswalk",
            pk__in=CrosswalkEntry.objects.filter(qualification_spec_id=qual.spec.spec_id).values(
                "spec"
            ),
        )
        .order_by("-pk")
        .first()
    )
    framework_spec = None
    if crosswalk_spec is not None:
        framework_spec = (
            SpecFile.objects.filter(spec_id=crosswalk_spec.content["to"]).order_by("-pk").first()
        )
    return export_case(
        content,
        framework=framework_spec.content if framework_spec else None,
        crosswalk=crosswalk_spec.content if crosswalk_spec else None,
    )
