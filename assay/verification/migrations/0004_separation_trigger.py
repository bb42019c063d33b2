"""The database refuses a ``unit_verified`` decision by anyone who assessed in the unit."""

from django.db import migrations

from assay.verification import duty_triggers


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in duty_triggers.create_sql(schema_editor.connection.vendor):
            cursor.execute(statement)


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in duty_triggers.drop_sql(schema_editor.connection.vendor):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0003_standardisation"),
        ("portfolios", "0010_alter_decision_kind"),
        ("registrations", "0004_status_extension"),
    ]

    operations = [migrations.RunPython(create, drop)]
