"""The decision's date on the one clock (ADR 0007), beside the row's write time."""

from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Decisions recorded before the field existed take the date they were written."""
    decision = apps.get_model("audits", "AuditDecision")
    for row in decision.objects.filter(decided_on__isnull=True):
        row.decided_on = row.decided_at.date()
        row.save(update_fields=["decided_on"])


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditdecision",
            name="decided_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditdecision",
            name="decided_at",
            field=models.DateTimeField(auto_now_add=True, help_text="When the row was written"),
        ),
        migrations.AlterField(
            model_name="auditdecision",
            name="decided_on",
            field=models.DateField(help_text="The decision's date on the one clock (ADR 0007)"),
        ),
    ]
