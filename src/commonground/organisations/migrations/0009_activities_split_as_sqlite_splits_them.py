"""PostgreSQL indexes an organisation's activities split into words as SQLite's FTS5 splits
them (accents dropped, any run of other characters a break), so a word lookup finds the same
organisations on both databases (ADR 0003, ADR 0047). Rebuilds the vector of every organisation
on PostgreSQL; nothing to do on SQLite."""

from django.db import migrations

from commonground.organisations.search.index import rebuild_postgres_search_vectors


class Migration(migrations.Migration):
    dependencies = [("organisations", "0008_embedding_passages")]

    operations = [
        migrations.RunPython(rebuild_postgres_search_vectors, migrations.RunPython.noop),
    ]
