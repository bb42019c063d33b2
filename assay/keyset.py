"""Keyset pagination: every list in the web and the API reads one page at a time.

Offsets get slower the deeper a user pages (the database walks and drops every row before the
page) and shift when rows are added meanwhile; a keyset cursor instead says "the rows after this
one in this order", which an index answers directly whatever the list's length (issue 12).

A cursor is the ordering values of the row at the page's edge, signed with the ordering it was
made for: a cursor that was edited, truncated or taken from another list is refused with a clear
error instead of answering a wrong page. The ordering must end in a unique key (``pk``) and its
fields must not be NULL (annotate a ``Coalesce`` where a column may be), so that every row has
exactly one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet

from assay.errors import InvalidInput

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_SIZE = 50
MAX_SIZE = 200
_SALT = "assay.keyset"
BAD_CURSOR = "this page link is not valid any more; start again from the first page"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its rows, and the cursors of the pages after and before it (None at
    either end)."""

    items: list[T]
    next: str | None
    previous: str | None
    size: int

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def map(self, fn: Callable[[T], Any]) -> Page[Any]:
        """The same page with every row turned by ``fn`` (a read model, an API shape)."""
        return Page([fn(item) for item in self.items], self.next, self.previous, self.size)


def page_size(size: int | str | None) -> int:
    """A requested page size clamped to 1..MAX_SIZE; missing or unreadable means the default."""
    try:
        n = int(size) if size not in (None, "") else DEFAULT_SIZE
    except (TypeError, ValueError):
        raise InvalidInput(
            {"size": f"page size must be a whole number from 1 to {MAX_SIZE}"}
        ) from None
    if not 1 <= n <= MAX_SIZE:
        raise InvalidInput({"size": f"page size must be a whole number from 1 to {MAX_SIZE}"})
    return n


def _value(row: Any, path: str) -> Any:
    if isinstance(row, dict) and path in row:
        return row[path]
    value = row
    for part in path.split("__"):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return dt.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
        raise ValueError("unknown cursor value")
    return value


def _salt(ordering: Sequence[str]) -> str:
    return f"{_SALT}:{','.join(ordering)}"


def cursor_of(row: Any, ordering: Sequence[str], direction: str) -> str:
    """The signed cursor for the rows after (``direction`` "n") or before ("p") ``row``."""
    values = [_encode(_value(row, key.lstrip("-"))) for key in ordering]
    return signing.dumps([direction, values], salt=_salt(ordering), compress=True)


def _read(cursor: str, ordering: Sequence[str]) -> tuple[str, list[Any]]:
    try:
        direction, raw = signing.loads(cursor, salt=_salt(ordering))
        if direction not in ("n", "p") or len(raw) != len(ordering):
            raise ValueError("wrong shape")
        return direction, [_decode(v) for v in raw]
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise InvalidInput({"cursor": BAD_CURSOR}) from None


def _beyond(ordering: Sequence[str], values: Sequence[Any], forward: bool) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (before, when not ``forward``), as the
    expanded form of a row comparison that every database answers with the ordering's index:
    (a > x) or (a = x and b > y) or ..."""
    clauses = Q(pk__in=[])
    equal: dict[str, Any] = {}
    for key, value in zip(ordering, values, strict=True):
        field = key.lstrip("-")
        ascending = not key.startswith("-")
        op = "gt" if ascending == forward else "lt"
        clauses |= Q(**equal, **{f"{field}__{op}": value})
        equal[f"{field}__exact"] = value
    return clauses


def _invert(ordering: Sequence[str]) -> list[str]:
    return [key[1:] if key.startswith("-") else f"-{key}" for key in ordering]


def paginate(
    queryset: QuerySet[M],
    ordering: Sequence[str],
    cursor: str | None = None,
    size: int | str | None = None,
) -> Page[M]:
    """One page of ``queryset`` in ``ordering`` (field paths, "-" for descending, ending in a
    unique key): the first page without a cursor, else the page after or before the row the
    cursor names. Two queries at most whatever the list's length: the page (one row more, to
    know whether another follows) and, on a backward step, nothing more."""
    n = page_size(size)
    ordering = list(ordering)
    if not cursor:
        rows = list(queryset.order_by(*ordering)[: n + 1])
        more = len(rows) > n
        rows = rows[:n]
        return Page(rows, cursor_of(rows[-1], ordering, "n") if more else None, None, n)
    direction, values = _read(cursor, ordering)
    forward = direction == "n"
    qs = queryset.filter(_beyond(ordering, values, forward))
    rows = list(qs.order_by(*(ordering if forward else _invert(ordering)))[: n + 1])
    more = len(rows) > n
    rows = rows[:n]
    if not forward:
        rows.reverse()
    if not rows:
        return Page([], None, None, n)
    next_cursor = cursor_of(rows[-1], ordering, "n") if (more or not forward) else None
    previous = cursor_of(rows[0], ordering, "p") if (forward or more) else None
    return Page(rows, next_cursor, previous, n)


__all__ = [
    "BAD_CURSOR",
    "DEFAULT_SIZE",
    "MAX_SIZE",
    "Page",
    "cursor_of",
    "page_size",
    "paginate",
]
