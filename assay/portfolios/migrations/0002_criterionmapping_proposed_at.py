"""When each mapping was proposed, so the assessor's queue shows how long it has waited."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Mappings proposed before the field existed take their evidence item's creation time
    (the best earlier bound: a proposal cannot precede its item)."""
    mapping = apps.get_model("portfolios", "CriterionMapping")
    item = apps.get_model("portfolios", "EvidenceItem")
    mapping.objects.filter(proposed_at__isnull=True).update(
        proposed_at=Subquery(item.objects.filter(pk=OuterRef("item_id")).values("created_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("portfolios", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="criterionmapping",
            name="proposed_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="criterionmapping",
            name="proposed_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
    ]
