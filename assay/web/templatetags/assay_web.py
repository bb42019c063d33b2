"""Small presentation helpers: wording for spec codes, and the nav's current-page marker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from assay import clock
from assay.users import User

register = template.Library()

_NUMBER_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}
_RELATIONS = {
    "exactMatchOf": "Exact match",
    "isRelatedTo": "Related",
    "none": "No key function",
}
_SIMULATION = {
    "never": "Simulation not allowed",
    "knowledge-only": "Simulation for knowledge evidence only",
    "exception": "Simulation only in the stated exception",
}


@register.simple_tag(takes_context=True)
def current(context: dict[str, Any], section: str) -> SafeString:
    """``aria-current="page"`` on the nav link of the section being viewed."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    return mark_safe(' aria-current="page"') if name.startswith(section) else mark_safe("")


@register.filter
def range_lead(select: str | int) -> str:
    """How many items of an evidence range are needed, in words ("all of", "two of")."""
    if select == "all":
        return "all of"
    if select == 1:
        return "at least one of"
    if isinstance(select, int):
        return f"{_NUMBER_WORDS.get(select, str(select))} of"
    return str(select)


@register.filter
def relation_label(relation: str) -> str:
    """A crosswalk relation (SKOS-style code) in plain words."""
    return _RELATIONS.get(relation, relation)


@register.filter
def simulation_label(allowed: str) -> str:
    """A unit's ``simulation.allowed`` code in plain words."""
    return _SIMULATION.get(allowed, allowed)


@register.filter
def lookup(mapping: dict[str, Any] | None, key: str) -> Any:
    """``mapping[key]`` for templates, or an empty list when absent."""
    return (mapping or {}).get(key, [])


@register.simple_tag
def pinned_today() -> dt.date | None:
    """The pinned date of the one clock, or None when it runs on the real date."""
    return clock.today() if clock.is_pinned() else None


@register.filter
def person(user: User | None) -> str:
    """A person's full name, or their username when none is recorded."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


@register.filter
def duration_words(span: dt.timedelta) -> str:
    """A cool-off period in words: "1 hour", "90 minutes"."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' * (hours != 1)}"
    return f"{minutes} minute{'s' * (minutes != 1)}"


@register.inclusion_tag("web/_pager.html", takes_context=True)
def pager(context: dict[str, Any], page: Any, param: str = "cursor") -> dict[str, Any]:
    """Previous/next links of a keyset page (``assay.keyset.Page``), keeping the list's other
    query parameters (filters, size) and replacing only the cursor."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def link(cursor: str | None) -> str | None:
        if cursor is None or query is None:
            return None
        q = query.copy()
        q[param] = cursor
        return "?" + q.urlencode()

    first = None
    if query is not None and param in query:
        q = query.copy()
        del q[param]
        first = "?" + q.urlencode()
    return {
        "previous": link(getattr(page, "previous", None)),
        "next": link(getattr(page, "next", None)),
        "first": first if getattr(page, "previous", None) else None,
    }


@register.filter
def moment(value: str | dt.datetime | None) -> str:
    """A chained record's moment (ISO 8601 text with its offset, as hashed) in the house
    form "dd/mm/yyyy HH:MM", in the site's time zone; text that is no moment is shown as is."""
    if value is None or value == "":
        return ""
    try:
        when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        from django.utils import timezone

        when = timezone.localtime(when)
    return when.strftime("%d/%m/%Y %H:%M")
