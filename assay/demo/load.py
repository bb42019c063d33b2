"""Demo data: the shipped catalogue plus sign-in accounts. Idempotent: `make run` twice is safe."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.core.management import call_command

from assay.catalogue.services import catalogue_import_library
from assay.demo.appeals import demo_appeals_load
from assay.demo.audits import demo_audits_load
from assay.demo.centre import demo_centre_load
from assay.demo.claims import demo_claims_load
from assay.demo.eqa import demo_eqa_load
from assay.demo.iqa import demo_iqa_load
from assay.demo.portfolios import demo_portfolios_load
from assay.demo.reviews import demo_reviews_load
from assay.errors import InvalidInput
from assay.records.services import anchor_log_orphaned

DEMO_USERS = [
    # (username, password, is_staff)
    ("admin", "assay-demo-admin", True),
    ("viewer", "assay-demo-viewer", False),
]


def demo_load() -> Iterator[str]:
    """Migrate (stopping, with nothing written, over an anchor log whose database is gone),
    import the catalogue library, ensure the demo accounts exist, then the demo centre with its
    staff and candidates (``assay.demo.centre``), then their portfolios at every stage
    (``assay.demo.portfolios``), then the certifying body, its clients and their audits
    (``assay.demo.audits``)."""
    call_command("migrate", interactive=False, verbosity=0)
    if problem := anchor_log_orphaned():
        raise InvalidInput({"anchors": problem})
    yield "database migrated"
    for result in catalogue_import_library():
        yield f"{result.spec_id} v{result.version}: {result.status}"
    users = get_user_model()
    for username, password, is_staff in DEMO_USERS:
        email = f"{username}@example.org"
        user, created = users.objects.get_or_create(
            username=username,
            defaults={"is_staff": is_staff, "is_superuser": is_staff, "email": email},
        )
        if created:
            user.set_password(password)
            user.save()
        elif not user.email:
            users.objects.filter(pk=user.pk).update(email=email)
        yield f"user {username}: {'created' if created else 'exists'}"
    yield from demo_centre_load()
    yield from demo_portfolios_load()
    yield from demo_iqa_load()
    yield from demo_reviews_load()
    yield from demo_appeals_load()
    yield from demo_eqa_load()
    yield from demo_claims_load()
    yield from demo_audits_load()
