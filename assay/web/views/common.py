"""Lookups shared by the page views: catalogue misses become 404 pages, not 500s."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from assay.catalogue import selectors
from assay.catalogue.models import Qualification, Unit, UnitGroup
from assay.errors import NotFound


def qualification_or_404(key: str) -> Qualification:
    """The newest version of a qualification, or a 404 naming the key that missed."""
    try:
        return selectors.qualification_get(key)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def units_by_group(units: Iterable[Unit]) -> list[tuple[UnitGroup, list[Unit]]]:
    """Units laid out under their group headings, groups in the order the spec prints them.

    Pure presentation: the spec lists units in group order, but a page must not depend on it.
    """
    grouped: dict[int, tuple[UnitGroup, list[Unit]]] = {}
    for unit in units:
        grouped.setdefault(unit.group_id, (unit.group, []))[1].append(unit)
    return sorted(grouped.values(), key=lambda pair: pair[0].position)
