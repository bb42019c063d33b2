"""``notify``: in-app notifications now, one email per recipient once the act commits (sent by
the worker, which tries again when the mail server fails: ``assay.jobs.email``).

Rows are written in the caller's transaction, so an act that rolls back leaves none; emails
go out from ``transaction.on_commit``, so a rolled-back act sends nothing. Within one
transaction (one request: an item with its file, several mappings proposed at once) the acts
for the same person, kind, registration and page merge into one notification, and each person
gets one email for the lot. Someone without an email address is told in the app only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from assay import clock
from assay.engines.notifications import Event, Recipient
from assay.errors import NotFound
from assay.jobs.email import email_later
from assay.notifications.models import Notification
from assay.notifications.selectors import notifications_of
from assay.registrations.models import Registration
from assay.users import User

BatchKey = tuple[int, str, int | None, str]


@dataclass
class _Batch:
    """The notifications written in one transaction, by (recipient, kind, registration, link),
    each as the pk and ``created_at`` it was written with."""

    rows: dict[BatchKey, tuple[int, datetime]] = field(default_factory=dict)
    sent: bool = False

    def send(self) -> None:
        """Queued on commit by every ``notify`` that writes a row; the first one sends."""
        if not self.sent:
            self.sent = True
            _send([pk for pk, _ in self.rows.values()])

    def surviving(self) -> dict[int, Notification]:
        """The batch's rows still there as written (one query): a rolled-back savepoint or
        transaction took the others, and on SQLite a later row may reuse a rolled-back pk."""
        if not self.rows:
            return {}
        written = set(self.rows.values())
        found = Notification.objects.filter(pk__in=[pk for pk, _ in written])
        return {row.pk: row for row in found if (row.pk, row.created_at) in written}


# The open batch of each database connection (a connection is one thread's or task's).
_batches: WeakKeyDictionary[BaseDatabaseWrapper, _Batch] = WeakKeyDictionary()


def _batch() -> tuple[_Batch | None, dict[int, Notification]]:
    """The batch of the current transaction with its surviving rows; None outside one.

    Each ``notify`` that writes a row queues ``batch.send`` on commit beside it, so a row
    and a queued send are rolled back together: while a row of the batch survives, so does a
    send, and the batch is this transaction's. When none survives (the batch was sent, or
    rolled back with its savepoint or transaction) a new batch starts; an old one still queued
    has nothing left to send."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None, {}
    batch = _batches.get(connection)
    if batch is not None and not batch.sent:
        rows = batch.surviving()
        if rows:
            return batch, rows
    batch = _batches[connection] = _Batch()
    return batch, {}


def notify(
    *,
    kind: Event,
    recipients: Iterable[Recipient],
    text: str,
    line: str,
    link: str,
    registration: Registration | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """Tell each recipient (never ``actor``): ``text`` says what happened, ``line`` is this
    act (merged with the others of the same transaction), ``link`` the page to look at."""
    batch, kept = _batch()
    registration_id = registration.pk if registration is not None else None
    written: list[Notification] = []
    created = False
    for recipient in recipients:
        if actor is not None and recipient.user == actor.pk:
            continue
        key: BatchKey = (recipient.user, str(kind), registration_id, link)
        # Gone when a savepoint holding it was rolled back: then it is written afresh.
        row = kept.get(batch.rows[key][0]) if batch is not None and key in batch.rows else None
        if row is not None:
            row.body = f"{row.body}\n{line}" if line not in row.lines else row.body
            row.save(update_fields=["body"])
        else:
            row = Notification.objects.create(
                recipient_id=recipient.user,
                kind=str(kind),
                text=text[:300],
                body=line,
                reason=recipient.reason[:300],
                link=link,
                registration_id=registration_id,
            )
            created = True
            if batch is not None:
                batch.rows[key] = (row.pk, row.created_at)
                kept[row.pk] = row
        written.append(row)
    if batch is not None and created:
        transaction.on_commit(batch.send, robust=True)
    elif batch is None and written:
        transaction.on_commit(partial(_send, [row.pk for row in written]), robust=True)
    return written


def site_url(path: str) -> str:
    """An absolute address for an email (``ASSAY_SITE_URL`` + the path)."""
    return str(getattr(settings, "ASSAY_SITE_URL", "")).rstrip("/") + path


def _email_text(row: Notification) -> str:
    lines = [row.text, *(f"- {line}" for line in row.lines), ""]
    lines += [f"Open: {site_url(row.link)}", f"You are told because {row.reason}."]
    return "\n".join(lines)


def _send(pks: Sequence[int]) -> None:
    """One email per recipient with an address, covering all their notifications in ``pks``
    (those that still exist: rows of a rolled-back savepoint are gone)."""
    rows = Notification.objects.filter(pk__in=pks).select_related("recipient").order_by("pk")
    by_recipient: dict[int, list[Notification]] = {}
    for row in rows:
        by_recipient.setdefault(row.recipient_id, []).append(row)
    for notes in by_recipient.values():
        address = (getattr(notes[0].recipient, "email", "") or "").strip()
        if not address:
            continue
        subject = notes[0].text if len(notes) == 1 else f"{len(notes)} updates in Assay"
        body = "\n\n".join(_email_text(note) for note in notes)
        email_later(subject=subject, body=body, to=[address])


def notification_read(*, by: User, pk: int) -> Notification:
    """Mark one of the user's notifications read; another person's answers NotFound exactly
    like a missing one. Reading twice keeps the first time."""
    row = notifications_of(by).filter(pk=pk).first()
    if row is None:
        raise NotFound(f"no notification {pk}")
    if row.read_at is None:
        row.read_at = clock.now()
        row.save(update_fields=["read_at"])
    return row


def notifications_read_all(*, by: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return notifications_of(by).filter(read_at__isnull=True).update(read_at=clock.now())
