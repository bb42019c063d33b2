"""Re-seal decision chains written before chains were bound to their registration.

Before this version every chain started at the all-zero genesis, so a chain could be moved to
another registration unnoticed. Each existing chain is first verified as it was written (a
broken chain is left exactly as it is, for ``assay records verify`` to report), then re-hashed
from ``genesis("registration:<id>")``. Assay had no production installations before this
version (docs/records.md).
"""

from django.db import migrations

from assay.engines.records import chain


def reseal(apps, schema_editor):  # type: ignore[no-untyped-def]
    Decision = apps.get_model("portfolios", "Decision")
    ids = Decision.objects.filter(seq=1, prev_hash=chain.GENESIS).values_list(
        "registration_id", flat=True
    )
    for registration_id in list(ids):
        rows = list(Decision.objects.filter(registration_id=registration_id).order_by("seq"))
        records = [
            chain.Record(r.seq, r.kind, r.payload, r.actor_name, r.at, r.prev_hash, r.hash)
            for r in rows
        ]
        if not chain.verify(records).ok:
            continue
        name = f"registration:{registration_id}"
        previous = chain.genesis(name)
        for row in rows:
            row.prev_hash = previous
            row.hash = chain.record_hash(
                row.seq, row.kind, row.payload, row.actor_name, row.at, previous
            )
            row.save(update_fields=["prev_hash", "hash"])
            previous = row.hash


class Migration(migrations.Migration):
    dependencies = [("portfolios", "0003_clock_timestamps")]

    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
