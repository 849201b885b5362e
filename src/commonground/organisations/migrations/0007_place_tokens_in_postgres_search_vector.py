"""PostgreSQL's search_vector holds each organisation's place tokens too, as SQLite's facets
column does, so a search within a place is one GIN lookup (ADR 0024, 2026-12-04). Rebuilds the
vector of every organisation on PostgreSQL; nothing to do on SQLite."""

from django.db import migrations

from commonground.organisations.search.index import rebuild_postgres_search_vectors


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_shortlists")]

    operations = [
        migrations.RunPython(rebuild_postgres_search_vectors, migrations.RunPython.noop),
    ]
