"""PostgreSQL's search_vector holds each organisation's place tokens too, as SQLite's facets
column does, so a search within a place is one GIN lookup (ADR 0024, 2026-12-04). Rebuilds the
vector of every organisation on PostgreSQL; nothing to do on SQLite."""

from django.db import migrations

from commonground.organisations.search.index import refresh_search_index

BATCH = 5000


def place_tokens_into_search_vectors(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    organisation = apps.get_model("organisations", "Organisation")
    ids = list(organisation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        refresh_search_index(ids[start : start + BATCH])


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_shortlists")]

    operations = [
        migrations.RunPython(place_tokens_into_search_vectors, migrations.RunPython.noop),
    ]
