"""Framework files uploaded through the page before import runs could be private (ADR 0062):
their runs become private. Who uploaded each was not recorded, so platform administrators alone
see them. The page's uploads were read from a temporary folder named cg-framework-…; a file
loaded by the import_social_value_framework command is left public, as it was."""

from django.db import migrations


def make_uploads_private(apps, schema_editor):
    ImportRun = apps.get_model("imports", "ImportRun")
    ImportRun.objects.filter(
        dataset="social_value_framework", source__contains="cg-framework-"
    ).update(private=True)


class Migration(migrations.Migration):

    dependencies = [
        ("social_value", "0002_framework_imported_by"),
        ("imports", "0003_uploads_are_private"),
    ]

    operations = [
        migrations.RunPython(make_uploads_private, migrations.RunPython.noop),
    ]
