"""On SQLite, a covering index lets the catalogue search read the folded names without
walking the long columns (raw import text) of every row. PostgreSQL uses its trigram index.
"""

from django.db import migrations

INDEX = "catalog_version_search_cover"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedureversion "
        "(status, flagged, field_id, levels, search_text)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_supplement_setting")]
    operations = [migrations.RunPython(forwards, backwards)]
