"""Who a command acts as, and turning domain errors into the CLI's one-line failures.

Writes need ``--as USERNAME`` (or ``ASSAY_AS``) so that every change records a person. Reads
without ``--as`` run as the operator, who has the database anyway and so sees everything;
with ``--as`` they see exactly what that person would see in the browser or the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def as_option(*, required: bool) -> Callable[[F], F]:
    help_text = (
        "Act as this user (every write records who)."
        if required
        else "See what this user may see (default: everything, as the operator)."
    )
    return click.option(
        "--as",
        "as_user",
        metavar="USERNAME",
        envvar="ASSAY_AS",
        required=required,
        help=help_text,
    )


def user_named(username: str) -> Any:
    """The active user called ``username``; exit 2 when there is none."""
    from django.contrib.auth import get_user_model

    from assay.cli.output import fail

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        fail(f"unknown user {username!r}")
    return user


def acting(username: str | None) -> Any:
    """The named user, or the operator (an unsaved superuser that sees everything)."""
    if username:
        return user_named(username)
    from django.contrib.auth import get_user_model

    return get_user_model()(username="operator", is_superuser=True, is_staff=True)


def date_option_value(value: str | None, name: str) -> dt.date | None:
    from assay.cli.output import fail
    from assay.registrations.bulk import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        fail(f"{name}: {exc}")


@contextmanager
def domain_errors() -> Iterator[None]:
    """Unknown objects, refusals and bad input end the command: one line, exit 2."""
    from assay.cli.output import fail
    from assay.errors import InvalidInput, NotAllowed, NotFound, RegistrationRefused

    try:
        yield
    except NotFound as exc:
        fail(str(exc))
    except NotAllowed as exc:
        fail(f"not allowed: {exc}")
    except RegistrationRefused as exc:
        fail("registration refused: " + " ".join(f"[{c}] {m}" for c, m in exc.reasons))
    except InvalidInput as exc:
        fail(f"invalid: {exc}")
