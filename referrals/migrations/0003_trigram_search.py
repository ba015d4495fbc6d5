"""pg_trgm, for the header's search: names close in spelling (docs/search.md).

TrigramExtension does nothing on a database other than PostgreSQL (CreateExtension checks
the connection's vendor), so the demo's SQLite skips it and searches by a plain match."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_screening_questions")]

    operations = [TrigramExtension()]
